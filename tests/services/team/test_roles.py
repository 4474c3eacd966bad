"""Role x action matrix: what admins, managers and CSMs may and may not do (S13)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from iqcadence_desktop.errors import PermissionDeniedError
from iqcadence_desktop.services.alerts import AlertConfig
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.scoring import BandThresholds, ScoringConfig
from iqcadence_desktop.services.team import Role
from tests.services.team.helpers import ADMIN, CSM, MANAGER, PASSWORD, make_team

Action = Callable[[Services, dict[str, int], Path], object]

ACTIONS: dict[str, Action] = {
    "edit own client's customer": lambda s, ids, _: s.customers.update(
        ids["Acme One"], {"logins": 9}
    ),
    "edit scoring settings": lambda s, ids, _: s.config.save(
        ScoringConfig(bands=BandThresholds(watch=55))
    ),
    "edit alert rules": lambda s, ids, _: s.alert_config.save(AlertConfig(tickets_warning=7)),
    "edit branding": lambda s, ids, _: s.settings.set_many({"branding.company": "Us"}),
    "rename a CSM": lambda s, ids, _: s.managers.rename("Acme One CSM", "Anna"),
    "add a user": lambda s, ids, _: s.team.add_user("new@team.io", Role.CSM, PASSWORD),
    "add a client": lambda s, ids, _: s.team.add_client("Initech"),
    "back up everything": lambda s, ids, tmp: s.backups.backup(tmp / "b.json"),
}

ALLOWED = {
    Role.ADMIN: set(ACTIONS),
    Role.MANAGER: {
        "edit own client's customer",
        "edit scoring settings",
        "edit alert rules",
        "edit branding",
        "rename a CSM",
    },
    Role.CSM: {"edit own client's customer"},
}
EMAILS = {Role.ADMIN: ADMIN, Role.MANAGER: MANAGER, Role.CSM: CSM}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_action_matrix(services: Services, tmp_path: Path, role: Role, action: str) -> None:
    ids = make_team(services)
    services.team.sign_in(EMAILS[role], PASSWORD)
    if action in ALLOWED[role]:
        ACTIONS[action](services, ids, tmp_path)
    else:
        with pytest.raises(PermissionDeniedError, match=f"Your role \\({role.value}\\) cannot"):
            ACTIONS[action](services, ids, tmp_path)


def test_disabled_user_cannot_sign_in_and_last_admin_stays(services: Services) -> None:
    make_team(services)
    services.team.sign_in(ADMIN, PASSWORD)
    services.team.disable(CSM)
    with pytest.raises(Exception, match="disabled"):
        services.team.sign_in(CSM, PASSWORD)
    services.team.sign_in(ADMIN, PASSWORD)
    with pytest.raises(Exception, match="cannot disable or demote yourself"):
        services.team.set_role(ADMIN, Role.CSM)
    with pytest.raises(Exception, match="wrong"):
        services.team.sign_in(ADMIN, "not-the-password")


def test_password_change_and_audit_names_the_real_user(services: Services) -> None:
    ids = make_team(services)
    services.team.sign_in(CSM, PASSWORD)
    services.team.change_password(PASSWORD, "a-new-password")
    services.team.sign_in(CSM, "a-new-password")
    services.customers.update(ids["Acme Two"], {"logins": 12})
    entry = services.audit.entries()[0]
    assert entry.user == f"Priya <{CSM}>" and entry.action == "customer_updated"
    row = services.customers.get(ids["Acme Two"])
    assert row.version > 1
