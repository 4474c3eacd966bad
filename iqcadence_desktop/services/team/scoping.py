"""Who is acting and which clients they may see: the one place every query consults.

`Scope` is built once per service graph (services/container.py) and handed to every
service that reads or writes customer data. A service never decides visibility itself:

* rows of `customers`: `scope.customers(stmt)` (or `scope.customer_clause()`);
* rows keyed by a customer id (snapshots, notes, contacts, alert states, audit entries,
  an automation's outbox, an API call's target): `scope.keyed_by_customer(stmt, column)`,
  or `scope.by_customer(column)` as one condition among others;
* a request naming customers by id: `scope.check_customers(session, ids)` first;
* a new customer: `scope.client_for_new(session)` gives its client;
* a guarded action: `scope.require(Permission.X)`.

On SQLite (single user) the identity is the local user, an admin with every client, so
every clause is a no-op and nothing is slower. See docs/team-mode.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, PermissionDeniedError, ValidationError
from iqcadence_desktop.models import AuditEntry, Client, Customer
from iqcadence_desktop.services.team.roles import ROLE_PERMISSIONS, Permission, Role

S = TypeVar("S", bound=Select[*tuple[Any, ...]])

#: Audit actions about the whole team's configuration: shown to everyone who may edit it.
TEAM_WIDE_ACTIONS = ("config_changed", "profile_saved", "profile_deleted", "settings_changed")


@dataclass(frozen=True)
class Identity:
    """The person acting. `user_id` None is the local single user of an SQLite file."""

    user_id: int | None
    email: str
    name: str
    role: Role
    #: The clients assigned to the user; None means every client (admins, local user).
    client_ids: frozenset[int] | None

    @property
    def label(self) -> str:
        """How the audit log names them."""
        return f"{self.name} <{self.email}>" if self.email else self.name


LOCAL_USER = Identity(None, "", "local user", Role.ADMIN, None)


class Scope:
    """The signed-in identity, an optional focus on one client, and the clauses they imply."""

    def __init__(self, identity: Identity = LOCAL_USER) -> None:
        self._identity = identity
        self._focus: int | None = None

    # -- who ---------------------------------------------------------------------------
    @property
    def identity(self) -> Identity:
        return self._identity

    @property
    def signed_in(self) -> bool:
        return self._identity.user_id is not None

    def set_identity(self, identity: Identity) -> None:
        """Act as someone else from now on (sign-in, sign-out); the focus is dropped."""
        self._identity = identity
        self._focus = None

    def actor_name(self, local_name: str) -> str:
        """The short name stored as "changed by" on records (the local user's otherwise)."""
        return self._identity.name if self.signed_in else local_name

    def allows(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self._identity.role]

    def require(self, permission: Permission) -> None:
        """Refuse the action with a plain sentence when the role does not allow it."""
        if not self.allows(permission):
            raise PermissionDeniedError(
                f"Your role ({self._identity.role.value}) cannot {permission.value}; "
                "ask an admin of your team."
            )

    # -- which clients -------------------------------------------------------------------
    @property
    def focus(self) -> int | None:
        """The one client every page and command is narrowed to, if one was chosen."""
        return self._focus

    def set_focus(self, client_id: int | None) -> None:
        """Narrow to one of the user's clients (None: all of them)."""
        allowed = self._identity.client_ids
        if client_id is not None and allowed is not None and client_id not in allowed:
            raise PermissionDeniedError("That client is not one of yours.")
        self._focus = client_id

    def client_ids(self) -> frozenset[int] | None:
        """The clients visible now; None means every client (no clause needed)."""
        if self._focus is not None:
            return frozenset({self._focus})
        return self._identity.client_ids

    def customer_clause(self) -> ColumnElement[bool]:
        """WHERE clause on `customers` for the visible clients."""
        ids = self.client_ids()
        return true() if ids is None else Customer.client_id.in_(sorted(ids))

    def customers(self, stmt: S) -> S:
        """`stmt` (which reads `customers`) limited to the visible clients."""
        ids = self.client_ids()
        return stmt if ids is None else stmt.where(Customer.client_id.in_(sorted(ids)))

    def by_customer(self, column: Any) -> ColumnElement[bool]:
        """WHERE clause for a table keyed by customer id (snapshots, notes, alerts ...)."""
        if self.client_ids() is None:
            return true()
        clause: ColumnElement[bool] = column.in_(select(Customer.id).where(self.customer_clause()))
        return clause

    def keyed_by_customer(self, stmt: S, column: Any) -> S:
        """`stmt` (over a table keyed by customer id) limited to the visible customers;
        unchanged when everything is visible, so the single-user SQL stays as it was."""
        return stmt if self.client_ids() is None else stmt.where(self.by_customer(column))

    def clients(self, stmt: S) -> S:
        """`stmt` (which reads `clients`) limited to the user's clients (the focus does not
        narrow this: it is the list one picks the focus from)."""
        ids = self._identity.client_ids
        return stmt if ids is None else stmt.where(Client.id.in_(sorted(ids)))

    def audit_clause(self) -> ColumnElement[bool]:
        """Audit entries one may read: about visible customers, one's own, and (for
        those who may edit them) changes to the team-wide settings."""
        if self.client_ids() is None:
            return true()
        parts = [
            AuditEntry.customer_id.in_(select(Customer.id).where(self.customer_clause())),
            AuditEntry.user == self._identity.label,
        ]
        if self.allows(Permission.EDIT_SETTINGS):
            parts.append(AuditEntry.action.in_(TEAM_WIDE_ACTIONS))
        return or_(*parts)

    def check_customers(self, session: Session, ids: Iterable[int]) -> None:
        """Refuse ids that do not exist or belong to another user's clients (the same
        answer for both, so ids of other clients' customers cannot be probed)."""
        wanted = set(ids)
        if not wanted or self.client_ids() is None:
            return
        seen = 0
        chunk = sorted(wanted)
        for start in range(0, len(chunk), 5000):
            part = chunk[start : start + 5000]
            seen += (
                session.scalar(
                    select(func.count())
                    .select_from(Customer)
                    .where(Customer.id.in_(part), self.customer_clause())
                )
                or 0
            )
        if seen != len(wanted):
            raise NotFoundError(
                "Some of the chosen customers do not exist or are not in your clients; "
                "refresh the list and try again."
            )

    def client_for_new(self, session: Session) -> int:
        """The client a new customer goes to: the focus, or the only client there is."""
        if self._focus is not None:
            return self._focus
        ids = self._identity.client_ids
        if ids is None:
            ids = frozenset(session.scalars(select(Client.id)))
        if len(ids) == 1:
            return next(iter(ids))
        if not ids:
            raise ValidationError(
                "client", "You have no client to add customers to; ask an admin to assign one."
            )
        raise ValidationError(
            "client",
            "You work on several clients: choose the one this goes to "
            "(the client picker at the top, or --client NAME).",
        )
