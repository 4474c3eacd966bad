"""The local REST API over real HTTP: auth, Host guard, CORS, limits, paging, actions, audit."""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import Iterator

import pytest
import requests

from iqcadence_desktop.services.api import ApiServer
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers import CustomerFilter


@pytest.fixture
def api(services: Services) -> Iterator[tuple[str, str]]:
    server = ApiServer(services.api.app, port=0)
    server.start()
    key = services.api.keys.new("tests").key
    try:
        yield server.url, key
    finally:
        server.stop()


def _get(api: tuple[str, str], **params: object) -> requests.Response:
    url, key = api
    return requests.get(url, params=params, headers={"x-api-key": key}, timeout=10)


def _post(api: tuple[str, str], action: str, data: object, path: str = "") -> requests.Response:
    url, key = api
    url = url.replace("/api-inbound", path) if path else url
    return requests.post(
        url, json={"action": action, "data": data}, headers={"x-api-key": key}, timeout=10
    )


def test_missing_or_wrong_key_is_401_json(services: Services, api: tuple[str, str]) -> None:
    url, _ = api
    r = requests.get(url, params={"action": "list_customers"}, timeout=10)
    assert r.status_code == 401 and "x-api-key" in r.json()["error"]["message"]
    r = requests.get(
        url, params={"action": "list_customers"}, headers={"x-api-key": "iqc_dead_beef"}, timeout=10
    )
    assert r.status_code == 401 and "not valid" in r.json()["error"]["message"]
    assert r.headers["Content-Type"].startswith("application/json")


def test_revoked_key_stops_working(services: Services, api: tuple[str, str]) -> None:
    assert _get(api, action="list_customers").status_code == 200
    services.api.keys.revoke()
    assert _get(api, action="list_customers").status_code == 401


def test_environment_key_works_headless(
    services: Services, api: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IQCADENCE_API_KEY", "a-long-key-from-the-environment")
    r = requests.get(
        api[0],
        params={"action": "list_customers"},
        headers={"x-api-key": "a-long-key-from-the-environment"},
        timeout=10,
    )
    assert r.status_code == 200


def test_host_header_other_than_localhost_is_403(api: tuple[str, str]) -> None:
    url, key = api
    r = requests.get(
        url,
        params={"action": "list_customers"},
        timeout=10,
        headers={"x-api-key": key, "Host": "evil.example.com"},
    )
    assert r.status_code == 403 and "localhost" in r.json()["error"]["message"]
    r = requests.get(
        url.replace("127.0.0.1", "localhost"),
        params={"action": "list_customers"},
        headers={"x-api-key": key},
        timeout=10,
    )
    assert r.status_code == 200


def test_no_cors_for_other_origins(api: tuple[str, str]) -> None:
    url, key = api
    r = requests.get(
        url,
        params={"action": "list_customers"},
        timeout=10,
        headers={"x-api-key": key, "Origin": "https://evil.example.com"},
    )
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r.headers
    r = requests.options(url, timeout=10, headers={"Origin": "https://evil.example.com"})
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r.headers
    r = requests.options(url, timeout=10, headers={"Origin": "http://localhost:3000"})
    assert (
        r.status_code == 204 and r.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    )


def test_binds_to_loopback_only(services: Services, api: tuple[str, str]) -> None:
    port = int(api[0].split(":")[2].split("/")[0])
    addresses = {
        a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    } - {"127.0.0.1", "127.0.1.1"}
    for address in addresses:
        with socket.socket() as sock, pytest.raises(OSError):
            sock.settimeout(1)
            sock.connect((address, port))


def test_body_over_one_mib_is_413(api: tuple[str, str]) -> None:
    url, key = api
    big = json.dumps(
        {"action": "upsert_account", "data": {"name": "x", "note": "a" * (1024 * 1024)}}
    )
    r = requests.post(
        url, data=big, headers={"x-api-key": key, "Content-Type": "application/json"}, timeout=10
    )
    assert r.status_code == 413 and "1 MiB" in r.json()["error"]["message"]


def test_malformed_json_and_bad_fields_are_400_naming_the_field(api: tuple[str, str]) -> None:
    url, key = api
    r = requests.post(
        url, data=b'{"action": "upsert_account", "data": {', headers={"x-api-key": key}, timeout=10
    )
    assert r.status_code == 400 and r.json()["error"]["field"] == "body"
    r = _post(api, "upsert_account", {"name": "Acme", "logins": "lots"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "logins"
    r = _post(api, "upsert_account", {"name": "Acme", "colour": "red"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "colour"
    r = _get(api, action="list_customers", limit="501")
    assert r.status_code == 400 and r.json()["error"]["field"] == "limit"
    r = _get(api, action="list_customers", sort="mood")
    assert r.status_code == 400 and r.json()["error"]["field"] == "sort"
    r = _get(api, action="explode")
    assert r.status_code == 400 and r.json()["error"]["field"] == "action"


def test_upsert_rescores_and_answers_score_and_status(
    services: Services, api: tuple[str, str]
) -> None:
    r = _post(
        api,
        "upsert_account",
        {
            "name": "Acme Corp",
            "mrr": 5000,
            "logins": 22,
            "adoption": 75,
            "tickets": 1,
            "tier": "mid",
            "manager": "Sarah",
            "tags": "vip, emea",
        },
    )
    assert r.status_code == 201
    body = r.json()
    assert body["created"] and body["rescored"]
    assert (
        body["score"] == body["data"]["score"]
        and body["status"] == body["data"]["status"] != "unscored"
    )
    assert body["data"]["tags"] == ["emea", "vip"] and body["data"]["mrr"] == 5000
    r = _post(api, "update_health", {"name": "Acme Corp", "field": "logins", "value": 0})
    assert r.status_code == 200 and r.json()["score"] < body["score"]
    r = _post(api, "upsert_account", {"name": "Acme Corp", "score": 91})
    assert r.json()["data"]["manual_score"] and r.json()["score"] == 91  # explicit score overrides
    r = _post(api, "update_health", {"name": "Acme Corp", "field": "tickets", "value": 4})
    assert not r.json()["data"]["manual_score"]  # the next signal update clears it
    r = _post(api, "update_health", {"name": "Nobody", "field": "logins", "value": 1})
    assert r.status_code == 404


def test_get_delete_and_score_customer(services: Services, api: tuple[str, str]) -> None:
    cid = services.customers.create({"name": "Globex", "logins": 10}).id
    assert _get(api, action="get_customer", name="globex").json()["data"]["id"] == cid
    assert _get(api, action="get_customer", id=f"CUS-{cid:06d}").json()["data"]["name"] == "Globex"
    r = _post(api, "score_customer", {"id": cid}, path="/functions/v1/api-inbound")
    assert r.status_code == 200 and r.json()["status"] == r.json()["data"]["status"]
    r = _post(api, "delete_customer", {"name": "Globex"})
    assert r.status_code == 200 and r.json()["data"]["recoverable"]
    assert services.customers.list_customers() == []
    assert services.customers.list_customers(CustomerFilter(trash=True))


def test_list_filters_sort_and_pages(services: Services, api: tuple[str, str]) -> None:
    for i in range(12):
        services.customers.create(
            {
                "name": f"Acct {i:02d}",
                "mrr": 100 * (i + 1),
                "logins": 30 if i % 2 else 1,
                "tier": "enterprise" if i < 4 else "smb",
                "tags": "vip" if i < 3 else "",
            }
        )
    r = _get(api, action="list_customers", sort="mrr", order="asc", limit=5, offset=0)
    page = r.json()
    assert [c["name"] for c in page["data"]] == [f"Acct {i:02d}" for i in range(5)]
    assert page["total"] == 12 and page["has_more"] and page["next_offset"] == 5
    last = _get(api, action="list_customers", sort="mrr", order="asc", limit=5, offset=10).json()
    assert len(last["data"]) == 2 and not last["has_more"]
    assert _get(api, action="list_customers", tier="enterprise").json()["total"] == 4
    assert _get(api, action="list_customers", tag="VIP").json()["total"] == 3
    statuses = {c["status"] for c in _get(api, action="list_customers", limit=500).json()["data"]}
    some = sorted(statuses)[0]
    filtered = _get(api, action="list_customers", status=some).json()["data"]
    assert filtered and all(c["status"] == some for c in filtered)
    by_name = _get(api, action="list_customers", sort="name", order="desc", limit=1).json()["data"]
    assert by_name[0]["name"] == "Acct 11"
    assert set(by_name[0]) >= {
        "logins",
        "adoption",
        "tickets",
        "days",
        "growth",
        "since",
        "score",
        "status",
    }


def test_updated_since_for_zapier_polling(services: Services, api: tuple[str, str], clock) -> None:  # type: ignore[no-untyped-def]
    services.customers.create({"name": "Old"})
    clock.at = clock.at + dt.timedelta(hours=2)
    services.customers.create({"name": "New"})
    since = (clock.at - dt.timedelta(hours=1)).isoformat() + "Z"
    r = _get(api, action="list_customers", updated_since=since, sort="updated_at", order="desc")
    assert [c["name"] for c in r.json()["data"]] == ["New"]
    assert (
        _get(api, action="list_customers", updated_since="yesterday").json()["error"]["field"]
        == "updated_since"
    )


def test_every_call_is_audited_in_the_api_log(services: Services, api: tuple[str, str]) -> None:
    _get(api, action="list_customers")
    requests.get(api[0], params={"action": "list_customers"}, timeout=10)
    _post(api, "upsert_account", {"name": "Acme"})
    log = services.api.log()
    assert [(e.details or {}).get("status") for e in log][:3] == [201, 401, 200]
    assert [(e.details or {}).get("action") for e in log][:3] == [
        "upsert_account",
        "list_customers",
        "list_customers",
    ]
    key_id = services.api.keys.keys()[0].key_id
    assert (log[0].details or {}).get("key_id") == key_id and (log[1].details or {}).get(
        "key_id"
    ) is None
