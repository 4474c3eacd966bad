"""Users, clients and signing in (S13). Every change is audited and published."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, SignInError, ValidationError
from iqcadence_desktop.models import Client, Customer, User, UserClient
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.system import (
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
    SecretStore,
    optional_write,
)
from iqcadence_desktop.services.team import passwords
from iqcadence_desktop.services.team.roles import Permission, Role
from iqcadence_desktop.services.team.scoping import Identity, Scope

TEAM_CHANGED = "team_changed"
MAX_CLIENT_NAME = 120


@dataclass(frozen=True)
class ClientDTO:
    """A client and how many live customers it has."""

    id: int
    name: str
    customers: int


@dataclass(frozen=True)
class UserDTO:
    """A team member (never their password hash)."""

    id: int
    email: str
    name: str
    role: Role
    active: bool
    clients: tuple[str, ...]


def password_key(where: str, email: str) -> str:
    """The keyring entry for a team member's password on one team database (the app's
    "remember me" and the CLI read the same one; never the database itself)."""
    return f"team-password:{where}:{email.strip().lower()}"


def server_password_key(url_without_password: str) -> str:
    """The keyring entry for the database server's own password (Connect dialog)."""
    return f"team-server-password:{url_without_password}"


def with_server_password(url: str, secrets: SecretStore) -> str:
    """A server URL with the password the Connect dialog stored, when it has none
    (a file path or an SQLite URL is returned as it is)."""
    if "://" not in url:
        return url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" or parsed.password:
        return url
    stored = secrets.get(server_password_key(url))
    if not stored:
        return url
    return parsed.set(password=stored).render_as_string(hide_password=False)


def client_key(name: str) -> str:
    return " ".join(name.split()).lower()


def clean_email(email: str) -> str:
    cleaned = email.strip().lower()
    if "@" not in cleaned or " " in cleaned or len(cleaned) > 200:
        raise ValidationError("email", f'"{email}" is not an email address.')
    return cleaned


class TeamService:
    """Clients, users, roles, passwords and sign-in; the identity lands in the Scope."""

    def __init__(
        self, db: Database, clock: Clock, scope: Scope, audit: AuditLog, events: EventBus
    ) -> None:
        self._db, self._clock, self._scope = db, clock, scope
        self._audit, self._events = audit, events

    @property
    def scope(self) -> Scope:
        return self._scope

    # -- clients ---------------------------------------------------------------------
    def clients(self) -> list[ClientDTO]:
        """The clients the acting user may see, by name, with their live customer counts."""
        counts = (
            select(Customer.client_id, func.count().label("n"))
            .where(Customer.deleted_at.is_(None))
            .group_by(Customer.client_id)
            .subquery()
        )
        stmt = self._scope.clients(
            select(Client.id, Client.name, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.client_id == Client.id)
            .order_by(Client.name_key)
        )
        with self._db.session() as s:
            return [ClientDTO(int(i), str(n), int(c)) for i, n, c in s.execute(stmt)]

    def client_id(self, name: str) -> int:
        """The id of one of the user's clients by name (case and spacing folded)."""
        with self._db.session() as s:
            found = s.scalar(
                self._scope.clients(select(Client.id).where(Client.name_key == client_key(name)))
            )
        if found is None:
            known = ", ".join(c.name for c in self.clients()) or "none"
            raise NotFoundError(f'There is no client "{name}" of yours. Your clients: {known}.')
        return int(found)

    def add_client(self, name: str) -> ClientDTO:
        self._scope.require(Permission.MANAGE_CLIENTS)
        cleaned = " ".join(name.split())
        if not cleaned or len(cleaned) > MAX_CLIENT_NAME:
            raise ValidationError(
                "client", f"A client needs a name of 1 to {MAX_CLIENT_NAME} characters."
            )
        with self._db.session() as s:
            if s.scalar(select(Client.id).where(Client.name_key == client_key(cleaned))):
                raise ValidationError("client", f'A client named "{cleaned}" already exists.')
            row = Client(name=cleaned, name_key=client_key(cleaned), created_at=self._clock.now())
            s.add(row)
            s.flush()
            self._audit.record(s, "client_added", f'Added client "{cleaned}"')
            dto = ClientDTO(row.id, cleaned, 0)
        self._publish()
        return dto

    def focus(self, name: str | None) -> None:
        """Narrow every page and command to one client (None: all of one's clients)."""
        self._scope.set_focus(None if name is None else self.client_id(name))

    # -- users -----------------------------------------------------------------------
    def has_users(self) -> bool:
        with self._db.session() as s:
            return bool(s.scalar(select(func.count()).select_from(User)))

    def users(self) -> list[UserDTO]:
        self._scope.require(Permission.MANAGE_USERS)
        with self._db.session() as s:
            names: dict[int, str] = {i: n for i, n in s.execute(select(Client.id, Client.name))}
            links: dict[int, list[str]] = {}
            for uid, cid in s.execute(select(UserClient.user_id, UserClient.client_id)):
                links.setdefault(uid, []).append(names[cid])
            return [
                UserDTO(
                    u.id,
                    u.email,
                    u.name,
                    Role(u.role),
                    u.active,
                    tuple(sorted(links.get(u.id, []))),
                )
                for u in s.scalars(select(User).order_by(User.email))
            ]

    def init_team(self, email: str, password: str, name: str = "") -> UserDTO:
        """The first admin of a new team database (refused once anyone exists)."""
        if self.has_users():
            raise ValidationError(
                "email", "This team database already has users; sign in as an admin to add more."
            )
        return self._create_user(email, name, Role.ADMIN, password, ())

    def add_user(
        self,
        email: str,
        role: Role,
        password: str,
        clients: Sequence[str] = (),
        name: str = "",
    ) -> UserDTO:
        self._scope.require(Permission.MANAGE_USERS)
        return self._create_user(email, name, role, password, clients)

    def _create_user(
        self, email: str, name: str, role: Role, password: str, clients: Sequence[str]
    ) -> UserDTO:
        email = clean_email(email)
        problem = passwords.password_problem(password)
        if problem:
            raise ValidationError("password", problem)
        display = " ".join(name.split()) or email.split("@")[0]
        now = self._clock.now()
        with self._db.session() as s:
            if s.scalar(select(User.id).where(User.email == email)):
                raise ValidationError("email", f"{email} already has an account.")
            ids = self._client_ids(s, clients)
            row = User(
                email=email,
                name=display,
                role=role.value,
                password_hash=passwords.hash_password(password),
                active=True,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            s.add_all(UserClient(user_id=row.id, client_id=c) for c in ids)
            self._audit.record(
                s,
                "user_added",
                f"Added {role.value} {email}" + (f" ({', '.join(clients)})" if clients else ""),
                details={"email": email, "role": role.value, "clients": list(clients)},
            )
            dto = UserDTO(row.id, email, display, role, True, tuple(sorted(clients)))
        self._publish()
        return dto

    def _client_ids(self, s: Session, names: Sequence[str]) -> list[int]:
        ids = []
        for name in names:
            found = s.scalar(select(Client.id).where(Client.name_key == client_key(name)))
            if found is None:
                raise NotFoundError(f'There is no client "{name}"; add it first (client add).')
            ids.append(int(found))
        return ids

    def set_role(self, email: str, role: Role) -> None:
        self._change_user(email, f"Role of {{email}} set to {role.value}", role=role.value)

    def disable(self, email: str) -> None:
        """The account can no longer sign in (its history and audit entries stay)."""
        self._change_user(email, "Disabled {email}", active=False)

    def enable(self, email: str) -> None:
        self._change_user(email, "Enabled {email}", active=True)

    def set_clients(self, email: str, clients: Sequence[str]) -> None:
        self._scope.require(Permission.MANAGE_USERS)
        with self._db.session() as s:
            row = self._user(s, email)
            ids = self._client_ids(s, clients)
            s.execute(delete(UserClient).where(UserClient.user_id == row.id))
            s.add_all(UserClient(user_id=row.id, client_id=c) for c in ids)
            row.updated_at = self._clock.now()
            self._audit.record(
                s, "user_changed", f"Clients of {row.email}: {', '.join(clients) or 'none'}"
            )
        self._publish()

    def _change_user(self, email: str, summary: str, **values: object) -> None:
        self._scope.require(Permission.MANAGE_USERS)
        with self._db.session() as s:
            row = self._user(s, email)
            if row.id == self._scope.identity.user_id and (
                values.get("active") is False or values.get("role", Role.ADMIN) != Role.ADMIN
            ):
                raise ValidationError(
                    "email", "You cannot disable or demote yourself; ask another admin."
                )
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = self._clock.now()
            self._refuse_no_admin(s)
            self._audit.record(s, "user_changed", summary.format(email=row.email))
        self._publish()

    @staticmethod
    def _refuse_no_admin(s: Session) -> None:
        s.flush()
        admins = s.scalar(
            select(func.count()).select_from(User).where(User.role == "admin", User.active)
        )
        if not admins:
            raise ValidationError("role", "A team needs at least one active admin.")

    @staticmethod
    def _user(s: Session, email: str) -> User:
        row = s.scalars(select(User).where(User.email == email.strip().lower())).first()
        if row is None:
            raise NotFoundError(f"There is no user {email}.")
        return row

    # -- signing in --------------------------------------------------------------------
    def sign_in(self, email: str, password: str) -> Identity:
        """Check the password and act as this user from now on."""
        with self._db.session() as s:
            row = s.scalars(select(User).where(User.email == email.strip().lower())).first()
            if row is None or not passwords.verify_password(row.password_hash, password):
                raise SignInError("The email or the password is wrong; try again.")
            if not row.active:
                raise SignInError(
                    f"The account {row.email} is disabled; ask an admin of your team."
                )
            identity = self._identity(s, row)
            if passwords.needs_rehash(row.password_hash):
                # Upgrading an old hash is housekeeping: never make a sign-in wait for it.
                stored = row
                optional_write(
                    s, lambda: setattr(stored, "password_hash", passwords.hash_password(password))
                )
        self._scope.set_identity(identity)
        return identity

    def _identity(self, s: Session, row: User) -> Identity:
        role = Role(row.role)
        clients: frozenset[int] | None = None
        if role is not Role.ADMIN:
            clients = frozenset(
                s.scalars(select(UserClient.client_id).where(UserClient.user_id == row.id))
            )
        return Identity(row.id, row.email, row.name, role, clients)

    def change_password(self, old: str, new: str) -> None:
        """The signed-in user's own password."""
        me = self._scope.identity
        if me.user_id is None:
            raise SignInError("Sign in to a team database to change your password.")
        problem = passwords.password_problem(new)
        if problem:
            raise ValidationError("password", problem)
        with self._db.session() as s:
            row = s.get(User, me.user_id)
            if row is None or not passwords.verify_password(row.password_hash, old):
                raise SignInError("The current password is wrong; nothing was changed.")
            row.password_hash = passwords.hash_password(new)
            row.updated_at = self._clock.now()
            self._audit.record(s, "password_changed", f"{row.email} changed their password")

    def reset_password(self, email: str, new: str) -> None:
        """An admin sets someone's password (they forgot it)."""
        self._scope.require(Permission.MANAGE_USERS)
        problem = passwords.password_problem(new)
        if problem:
            raise ValidationError("password", problem)
        with self._db.session() as s:
            row = self._user(s, email)
            row.password_hash = passwords.hash_password(new)
            row.updated_at = self._clock.now()
            self._audit.record(s, "password_reset", f"Password of {row.email} was reset")

    def _publish(self) -> None:
        self._events.publish(DomainEvent(TEAM_CHANGED))
