"""The local REST API (S12): the inbound action contract on 127.0.0.1, behind an API
key, served by waitress, thin over the same services as the GUI and CLI."""

from iqcadence_desktop.services.api.actions import ACTIONS, ApiActions, contract
from iqcadence_desktop.services.api.keys import API_KEY_ENV, ApiKeyDTO, ApiKeyService, NewKey
from iqcadence_desktop.services.api.server import DEFAULT_PORT, ApiServer
from iqcadence_desktop.services.api.service import ApiService
from iqcadence_desktop.services.api.wsgi import MAX_BODY, PATHS, ApiApp

__all__ = [
    "ACTIONS",
    "API_KEY_ENV",
    "ApiActions",
    "ApiApp",
    "ApiKeyDTO",
    "ApiKeyService",
    "ApiServer",
    "ApiService",
    "DEFAULT_PORT",
    "MAX_BODY",
    "NewKey",
    "PATHS",
    "contract",
]
