"""`make bench`: seed a database of its own, start gunicorn as production would, measure.

Environment (all optional): BENCH_DATABASE_URL (a PostgreSQL database the run drops and
creates; default kvinnofrid_bench on the local server), BENCH_CACHE_URL (the Redis database
the site's cache uses; flushed first), BENCH_PORT, BENCH_SECONDS (the length of each
measured run), BENCH_WORKERS (gunicorn's, 2 by default as in the Dockerfile).

`python -m bench --only results` measures only the pages whose name contains "results" (and
the floor, which every ratio needs); the database is seeded whole all the same.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "var" / "bench"
HOST = "127.0.0.1"
CSRF = "benchbenchbenchbenchbenchbench12"  # a 32-character secret, cookie and form alike


def _configure() -> dict[str, str]:
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kvinnofrid_bench"
    )
    if not urlsplit(database_url).path.strip("/").startswith("kvinnofrid_bench"):
        sys.exit("BENCH_DATABASE_URL must name a database starting with kvinnofrid_bench.")
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
        # The embedded broker: the receipts that submits queue wait in var/bench/run, and no
        # worker's queue in Redis is touched.
        "REDIS_URL": "",
        "VAR_DIR": str(OUT_DIR / "run"),
        "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}",
        "DEBUG": "false",
        # Plain HTTP on loopback: no redirect to HTTPS, no secure-only cookies.
        "HTTPS": "false",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def _recreate_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.strip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _prepare(env: dict[str, str]):
    """A fresh database, migrated and seeded; the static files collected; the cache empty."""
    _recreate_database(env["DATABASE_URL"])
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from bench.seed import seed

    for folder in ("broker/queue", "broker/processed"):
        (OUT_DIR / "run" / folder).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    call_command("collectstatic", verbosity=0, interactive=False)
    collected = time.perf_counter()
    seeded = seed()
    done = time.perf_counter()
    cache.clear()
    timings = {
        "migrate_s": migrated - started,
        "collectstatic_s": collected - migrated,
        "seed_s": done - collected,
    }
    print(
        f"migrate {timings['migrate_s']:.1f} s, collectstatic {timings['collectstatic_s']:.1f} s,"
        f" seed {timings['seed_s']:.1f} s",
        flush=True,
    )
    from django.db import connections

    connections.close_all()
    return seeded, timings


def _start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "kvinnofrid.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-tmp-dir",
        "/dev/shm",
        "--timeout",
        "90",
    ]
    process = subprocess.Popen(command, cwd=BASE_DIR)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5):
                return process
        except OSError:
            if process.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.3)
    process.terminate()
    sys.exit("gunicorn did not answer /healthz within a minute")


def _cookies(session: str | None) -> dict[str, str]:
    cookie = f"csrftoken={CSRF}"
    if session:
        cookie += f"; sessionid={session}"
    return {"Cookie": cookie, "Host": HOST}


def _scenarios(seeded) -> list[dict]:
    """Each page: its requests, the clients to measure it with, its targets."""
    from bench.load import Request
    from bench.seed import organisation_number

    def get(path: str, session: str | None = None):
        request = Request("GET", path, _cookies(session))
        return lambda client, n: request

    def post(path: str, session: str):
        headers = {**_cookies(session), "Content-Type": "application/x-www-form-urlencoded"}
        request = Request("POST", path, headers, urlencode({"csrfmiddlewaretoken": CSRF}).encode())
        return lambda client, n: request

    large, small = seeded.large, seeded.small

    def after_a_change(path: str, session: str):
        # What the first reader waits after a score, a ruling or a criterion changed, the
        # workers warm: the results' version replaced before each request, as the receivers
        # replace it.
        from jury.reports.caching import results_changed
        from nominations.models import Edition

        edition_id = Edition.objects.get(year=large.year).pk
        request = Request("GET", path, _cookies(session))

        def make(client: int, n: int) -> Request:
            results_changed(edition_id, after_commit=False)
            return request

        return make

    # Targets per number of clients (the issue's): maxima, except req/s and the ratio.
    public = {8: {"floor_ratio": 0.6}}
    scoring = {1: {"p50_ms": 12, "queries": 10}}
    lists = {1: {"p50_ms": 150}}
    # Uncached is the first request a worker answers (first_ms), cached the p50 after it.
    results_large = {1: {"first_ms": 250, "p50_ms": 25, "queries": 15, "kb": 500}}
    sessions = list(seeded.drafts)

    # Each draft is submitted once, across runs: a second post would only be a double click.
    next_draft = dict.fromkeys(sessions, 0)

    def submit(client: int, _n: int):
        session = sessions[client % len(sessions)]
        drafts = seeded.drafts[session]
        n = next_draft[session]
        if n >= len(drafts):
            return None
        next_draft[session] = n + 1
        body = urlencode(
            {
                "csrfmiddlewaretoken": CSRF,
                "submit": "1",
                "nominee_name": f"Bench submit {drafts[n]}",
                "nominee_kind": "municipality",
                "municipalities": seeded.municipality_id,
                "areas": seeded.area_id,
                "motivation": "Ett långsiktigt arbete i bred samverkan.",
                "nominator_organisation_name": "Exempelföreningen",
                "nominator_organisation_number": organisation_number(900_000 + client),
                "contact_name": "Kim Kontakt",
                "contact_email": "kim@bench.example.org",
                "consent": "on",
            }
        ).encode()
        headers = {
            **_cookies(sessions[client % len(sessions)]),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return Request("POST", f"/nominations/{drafts[n]}/edit/", headers, body)

    chair, member, staff = large.chair_session, large.member_session, seeded.secretariat_session
    return [
        {"page": "floor (bare view)", "make": get("/bench/floor"), "clients": [1, 8]},
        {"page": "home", "make": get("/"), "clients": [1, 8], "targets": public},
        {"page": "call", "make": get("/call/"), "clients": [1, 8], "targets": public},
        {
            "page": "winner's page",
            "make": get("/prize/2023/"),
            "clients": [1, 8],
            "targets": public,
        },
        {"page": "archive", "make": get("/prize/"), "clients": [1, 8], "targets": public},
        {"page": "feed", "make": get("/prize/feed/"), "clients": [1, 8], "targets": public},
        {
            "page": "nomination submit",
            "make": submit,
            "warm": False,
            "clients": [1, 32],
            "ok": {302},
            "targets": {1: {"p50_ms": 15, "queries": 15}, 32: {"rps": 100, "p99_ms": 400}},
        },
        {
            "page": "scoring page (2,000)",
            "make": get(f"/jury/{large.year}/nominees/{large.member_nominee_id}/", member),
            "clients": [1, 8],
            "targets": scoring,
        },
        {
            "page": "scoring overview (2,000)",
            "make": get(f"/jury/{large.year}/nominees/", member),
            "clients": [1, 8],
            "targets": lists,
        },
        {
            "page": "screening list (2,000)",
            "make": get(f"/screening/?edition={large.year}", staff),
            "clients": [1, 8],
            "targets": lists,
        },
        {
            "page": "results (30 × 7)",
            "make": get(f"/jury/{small.year}/results/", small.chair_session),
            "clients": [1],
            "min_requests": 5,
            "targets": {1: {"p50_ms": 15}},
        },
        {
            "page": "results (2,000 × 25)",
            "make": get(f"/jury/{large.year}/results/", chair),
            "clients": [1],
            "min_requests": 5,
            "targets": results_large,
        },
        {
            "page": "results (2,000 × 25), after a change",
            "make": after_a_change(f"/jury/{large.year}/results/", chair),
            "clients": [1],
            "min_requests": 5,
            "targets": {1: {"p50_ms": 250, "queries": 15, "kb": 500}},
        },
        {
            "page": "results export csv (2,000)",
            "make": get(f"/jury/{large.year}/results/export.csv", chair),
            "clients": [1],
            # Not kept between requests: nothing to warm, and each takes a while.
            "warm": False,
        },
        {
            # The workbook is a worker's (jury.services.results_exports): the request only
            # asks for it, and a second ask finds the first one waiting.
            "page": "results export xlsx asked for (2,000)",
            "make": post(f"/jury/{large.year}/results/exports/new/", chair),
            "clients": [1],
            "ok": {302},
            "warm": False,
        },
    ]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="make bench")
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="measure only the pages whose name contains TEXT (and the floor)",
    )
    return parser.parse_args()


def main() -> None:
    only = _arguments().only
    env = _configure()
    sys.path.insert(0, str(BASE_DIR))
    from bench import load

    seeded, timings = _prepare(env)
    port = int(os.environ.get("BENCH_PORT", "8765"))
    seconds = float(os.environ.get("BENCH_SECONDS", "6"))
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    server = _start_gunicorn(port, workers)
    rows: list[dict] = []
    try:
        scenarios = [
            scenario
            for scenario in _scenarios(seeded)
            if only is None or only in scenario["page"] or scenario["page"].startswith("floor")
        ]
        # The first request of each page after the start: what the first visitor waits.
        first_ms: dict[str, float] = {}
        for scenario in scenarios:
            if not scenario.get("warm", True):
                continue
            # As many at once as there are workers, so that each worker has seen the page
            # (each keeps its own computed results) before the measured runs.
            warm = load.run(
                host=HOST,
                port=port,
                make_request=scenario["make"],
                clients=workers,
                seconds=90,
                max_requests=workers,
                timeout=90,
            )
            sample = warm.samples[0]
            if sample.status not in scenario.get("ok", {200}):
                print(f"{scenario['page']}: status {sample.status} on the first request")
            first_ms[scenario["page"]] = max(s.seconds for s in warm.samples) * 1000
        floor: dict[int, float] = {}
        for scenario in scenarios:
            for clients in scenario["clients"]:
                measured = load.run(
                    host=HOST,
                    port=port,
                    make_request=scenario["make"],
                    clients=clients,
                    seconds=seconds,
                    max_requests=2000,
                    min_requests=scenario.get("min_requests", 1),
                    timeout=90,
                )
                row = {"page": scenario["page"]} | load.summarise(
                    measured, ok_statuses=scenario.get("ok", {200})
                )
                row["first_ms"] = first_ms.get(scenario["page"])
                if scenario["page"].startswith("floor"):
                    floor[clients] = row["rps"]
                row["floor_ratio"] = row["rps"] / floor[clients] if clients in floor else None
                targets = scenario.get("targets", {}).get(clients, {})
                row["targets"] = targets
                row["verdict"] = load.verdict(row, targets)
                rows.append(row)
                print(load.format_table([row]).splitlines()[-1], flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A worker still busy with a slow export: it need not finish.
            server.kill()
            server.wait()
    print()
    print(load.format_table(rows))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    report = {
        "when": stamp,
        "machine": {"cpus": os.cpu_count(), "gunicorn_workers": workers, "seconds": seconds},
        "seeding": timings,
        "large": asdict(seeded.large) | {"nominee_ids": len(seeded.large.nominee_ids)},
        "rows": rows,
    }
    for name in (f"bench-{stamp}.json", "latest.json"):
        (OUT_DIR / name).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nwritten to {OUT_DIR / 'latest.json'}")


if __name__ == "__main__":
    main()
