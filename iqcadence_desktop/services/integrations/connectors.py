"""Builds the connector for a system from its options and credential."""

from __future__ import annotations

from typing import Any

from iqcadence_desktop.services.integrations.base import Connector
from iqcadence_desktop.services.integrations.hubspot import HubSpotConnector
from iqcadence_desktop.services.integrations.salesforce import SalesforceConnector
from iqcadence_desktop.services.integrations.stripe import StripeConnector


def make_connector(
    system: str, options: dict[str, Any], token: str, client_secret: str | None = None
) -> Connector:
    """The connector for `system`; `options["base_url"]` points it elsewhere (tests)."""
    if system == "hubspot":
        return HubSpotConnector(token, options)
    if system == "salesforce":
        return SalesforceConnector(token, options, client_secret)
    if system == "stripe":
        return StripeConnector(token, options)
    raise ValueError(f"unknown system {system!r}")
