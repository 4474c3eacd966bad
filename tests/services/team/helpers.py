"""A small team: clients Acme and Globex, an admin, a manager and a CSM of Acme."""

from __future__ import annotations

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.team import Role

PASSWORD = "correct-horse-1"
ADMIN, MANAGER, CSM = "ada@team.io", "max@team.io", "priya@team.io"


def make_team(services: Services) -> dict[str, int]:
    """Clients, users and two customers per client (with notes, contacts, history)."""
    team = services.team
    acme, globex = team.add_client("Acme").id, team.add_client("Globex").id
    team.init_team(ADMIN, PASSWORD, "Ada")
    team.add_user(MANAGER, Role.MANAGER, PASSWORD, ["Acme"], "Max")
    team.add_user(CSM, Role.CSM, PASSWORD, ["Acme"], "Priya")
    ids: dict[str, int] = {}
    for client, names in (
        (acme, ("Acme One", "Acme Two")),
        (globex, ("Globex One", "Globex Zeta")),
    ):
        services.scope.set_focus(client)
        for name in names:
            cid = services.customers.create(
                {"name": name, "logins": 2, "nps": 3, "tickets": 6, "manager": name + " CSM"}
            ).id
            services.records.add_note(cid, f"note about {name}")
            services.records.add_contact(cid, {"name": f"Contact of {name}"})
            ids[name] = cid
    services.scope.set_focus(None)
    ids["acme"], ids["globex"] = acme, globex
    return ids
