"""Team mode (S13): clients, users, roles, sign-in, and the Scope every query consults.

Sits just above `system` in the layers: customers, scoring and everything above take a
`Scope` from here and never decide on their own which rows a user may see.
"""

from iqcadence_desktop.services.team.migrate import MigrationReport, Migrator
from iqcadence_desktop.services.team.passwords import hash_password, verify_password
from iqcadence_desktop.services.team.roles import ROLE_PERMISSIONS, Permission, Role, parse_role
from iqcadence_desktop.services.team.scoping import LOCAL_USER, TEAM_WIDE_ACTIONS, Identity, Scope
from iqcadence_desktop.services.team.service import (
    TEAM_CHANGED,
    ClientDTO,
    TeamService,
    UserDTO,
    client_key,
    password_key,
    server_password_key,
    with_server_password,
)

__all__ = [
    "ClientDTO",
    "Identity",
    "LOCAL_USER",
    "MigrationReport",
    "Migrator",
    "Permission",
    "ROLE_PERMISSIONS",
    "Role",
    "Scope",
    "TEAM_CHANGED",
    "TEAM_WIDE_ACTIONS",
    "TeamService",
    "UserDTO",
    "client_key",
    "hash_password",
    "parse_role",
    "password_key",
    "server_password_key",
    "verify_password",
    "with_server_password",
]
