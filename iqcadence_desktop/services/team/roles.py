"""Roles and what each may do (S13). The one table every permission check reads."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """admin: everything; manager: their clients, and settings and rules; csm: their
    clients' customers only."""

    ADMIN = "admin"
    MANAGER = "manager"
    CSM = "csm"


class Permission(StrEnum):
    """An action that not every role may take (reading and editing customers in one's
    own clients is open to every role and needs no permission)."""

    EDIT_SETTINGS = "edit settings"
    EDIT_RULES = "edit rules"
    MANAGE_CSMS = "rename, merge or reassign CSMs"
    MANAGE_USERS = "manage users"
    MANAGE_CLIENTS = "manage clients"
    BACKUP_RESTORE = "back up or restore the whole database"
    SEE_ALL_CLIENTS = "see every client"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MANAGER: frozenset(
        {Permission.EDIT_SETTINGS, Permission.EDIT_RULES, Permission.MANAGE_CSMS}
    ),
    Role.CSM: frozenset(),
}


def parse_role(text: str) -> Role:
    """A role from its name; a clear sentence when it is not one."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise ValueError(
            f'"{text}" is not a role; use one of ' + ", ".join(r.value for r in Role) + "."
        ) from None
