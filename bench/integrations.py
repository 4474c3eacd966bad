"""Integrations and the local API, each beside a baseline measured in the same run.

Targets (issue 17):
- sync of 10,000 companies from the fake HubSpot (100 per page) ≤ 15 s end to end,
  rescore included; baseline: the raw fetch of the same pages with requests.
- the API answers list_customers&limit=500 over 100k customers in ≤ 150 ms at the 95th
  percentile; baseline: a bare WSGI hello-world on the same server (waitress).
- the API sustains ≥ 200 requests/s under a Zapier-like mix (list_customers polling with
  updated_since and limit=50, get_customer by id) from 8 client threads; baseline: the
  hello-world's rate with the same clients.

The API and the hello-world each run in their own process (as `iqcadence-cli serve`
would), so the clients here do not share a GIL with the server.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench.common import Report, measure, parser
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.system.clock import FixedClock
from iqcadence_desktop.services.system.secrets import InMemorySecretStore
from tests.fakes.hubspot import FakeHubSpot

TODAY = dt.date(2026, 11, 26)
ROOT = Path(__file__).resolve().parents[1]
HELLO = (
    "import sys\nfrom waitress.server import create_server\n"
    "def app(environ, start_response):\n"
    "    body = b'{\"ok\":true}'\n"
    "    start_response('200 OK', [('Content-Type', 'application/json'), "
    "('Content-Length', str(len(body)))])\n"
    "    return [body]\n"
    "server = create_server(app, host='127.0.0.1', port=0, threads=6)\n"
    "print(f'Serving on http://127.0.0.1:{server.effective_port}/api-inbound ', "
    "file=sys.stderr, flush=True)\n"
    "server.run()\n"
)
SERVE = "import sys; from iqcadence_desktop.cli import main; sys.exit(main())"


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# -- sync --------------------------------------------------------------------------------
def bench_sync(report: Report, companies: int, runs: int, folder: Path) -> None:
    with FakeHubSpot() as fake:
        fake.populate(companies, TODAY)
        counter = iter(range(10**6))

        def fresh_sync() -> None:
            db = open_database(folder / f"sync-{next(counter)}.sqlite3")
            services = build_services(db, FixedClock(TODAY), secrets=InMemorySecretStore())
            services.integrations.connect(
                "hubspot", token="pat-na1-test", options={"base_url": fake.url}
            )
            result = services.integrations.sync("hubspot")
            assert result.new == companies, result.summary()
            db.close()

        def raw_fetch() -> None:
            session = requests.Session()
            session.headers["Authorization"] = "Bearer pat-na1-test"
            for kind, props in (
                ("companies", "name,hubspot_owner_id,notes_last_contacted"),
                ("deals", "amount,dealstage,closedate"),
            ):
                after = None
                while True:
                    params = {
                        "limit": 100,
                        "properties": props,
                        **({"after": after} if after else {}),
                    }
                    if kind == "deals":
                        params["associations"] = "companies"
                    data = session.get(
                        f"{fake.url}/crm/v3/objects/{kind}", params=params, timeout=30
                    ).json()
                    after = (data.get("paging") or {}).get("next", {}).get("after")
                    if not after:
                        break
            session.close()

        report.add(f"sync {companies:,} HubSpot companies (ours)", measure(fresh_sync, runs))
        report.add("raw fetch of the same pages (baseline)", measure(raw_fetch, runs))
        report.limit(f"sync {companies:,} HubSpot companies (ours)", 15.0)
        report.ratio(
            f"sync {companies:,} HubSpot companies (ours)",
            "raw fetch of the same pages (baseline)",
            10.0,
        )


# -- API ---------------------------------------------------------------------------------
class Served:
    """A server process; its URL is read from its first line on stderr."""

    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.proc.stderr is not None
        line = self.proc.stderr.readline()
        while "Serving" not in line:
            line = self.proc.stderr.readline()
            if not line:
                raise RuntimeError("the server did not start")
        self.url = line.split(" on ")[1].split(" ")[0]

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        if self.proc.stderr is not None:
            self.proc.stderr.close()


def _latencies(url: str, key: str, params_list: list[dict[str, object]]) -> list[float]:
    session = requests.Session()
    session.headers["x-api-key"] = key
    out = []
    for params in params_list:
        start = time.perf_counter()
        response = session.get(url, params=params, timeout=30)
        out.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text[:200]
    session.close()
    return out


def _rate(url: str, key: str, ids: list[int], seconds: float, clients: int = 8) -> float:
    """Requests per second from `clients` threads, each with a keep-alive session."""
    done = [0] * clients
    stop = time.perf_counter() + seconds
    since = (dt.datetime(2026, 11, 26, 11, 0)).isoformat() + "Z"

    def client(n: int) -> None:
        session = requests.Session()
        session.headers["x-api-key"] = key
        i = n
        while time.perf_counter() < stop:
            if i % 2:
                params = {"action": "get_customer", "id": ids[i % len(ids)]}
            else:
                params = {
                    "action": "list_customers",
                    "updated_since": since,
                    "sort": "updated_at",
                    "order": "desc",
                    "limit": 50,
                }
            assert session.get(url, params=params, timeout=30).status_code == 200
            done[n] += 1
            i += clients
        session.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - start)


def bench_api(
    report: Report, customers: int, requests_n: int, seconds: float, folder: Path
) -> None:
    path = folder / "api.sqlite3"
    db = open_database(path)
    services = build_services(db, FixedClock(TODAY), secrets=InMemorySecretStore())
    services.customers.load_sample(customers, days=1)
    services.customers.ensure_daily_snapshots(dt.date.today())
    key = services.api.keys.new("bench").key
    ids = [c for c in range(1, customers + 1, max(1, customers // 500))]
    db.close()
    api = Served([sys.executable, "-c", SERVE, "--db", str(path), "serve", "--port", "0"])
    hello = Served([sys.executable, "-c", HELLO])
    try:
        sorts = ["updated_at", "name", "score", "mrr", "created_at"]
        params = [
            {
                "action": "list_customers",
                "limit": 500,
                "sort": sorts[i % 5],
                "offset": (i * 997) % max(1, customers - 500),
            }
            for i in range(requests_n)
        ]
        _latencies(api.url, key, params[:5])  # warm-up (first call refreshes the day)
        ours = _latencies(api.url, key, params)
        base = _latencies(hello.url, key, params)
        name = f"list_customers limit=500 over {customers:,} (ours)"
        report.add(name, ours)
        report.add("bare WSGI hello-world (baseline)", base)
        p95 = percentile(ours, 95)
        print(
            f"  p95 of {name}: {p95 * 1000:.1f} ms; "
            f"baseline p95 {percentile(base, 95) * 1000:.1f} ms"
        )
        report.checks.append((f"{name} p95 (s)", p95, 0.150, p95 <= 0.150))
        rate = _rate(api.url, key, ids, seconds)
        base_rate = _rate(hello.url, key, ids, seconds)
        print(
            f"  sustained: ours {rate:.0f} requests/s, hello-world {base_rate:.0f} requests/s "
            f"(ratio {base_rate / rate:.2f}, median per request "
            f"{statistics.median([1 / rate]) * 1000:.1f} ms)"
        )
        report.checks.append(("Zapier-like mix: requests/s (≥ 200)", rate, 200.0, rate >= 200))
    finally:
        api.close()
        hello.close()


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--part", choices=("all", "sync", "api"), default="all")
    args = p.parse_args()
    companies, runs = (300, 1) if args.smoke else (10_000, args.runs)
    customers, n, seconds = (2_000, 20, 1.0) if args.smoke else (100_000, 200, 10.0)
    report = Report("Integrations and the local API")
    with tempfile.TemporaryDirectory() as tmp:
        if args.part in ("all", "sync"):
            bench_sync(report, companies, runs, Path(tmp))
        if args.part in ("all", "api"):
            bench_api(report, customers, n, seconds, Path(tmp))
    report.print(args.json)


if __name__ == "__main__":
    main()
