"""A small load generator over http.client, and the statistics of what it measured.

Each client is a thread with its own connection; a run stops after `max_requests` or
`seconds`, whichever comes first, and waits for the requests in flight. gunicorn's sync
workers close the connection after each response, so every request connects anew, as a
browser behind no proxy would.
"""

import http.client
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True)
class Sample:
    seconds: float
    status: int
    size: int
    queries: int | None


@dataclass
class Run:
    samples: list[Sample]
    elapsed: float
    clients: int


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `fraction` of the values
    at or below it (p50 of 1..4 is 2, p99 of 1..100 is 99). NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(math.ceil(fraction * len(ordered)), 1)
    return ordered[rank - 1]


def summarise(run: Run, *, ok_statuses=frozenset({200})) -> dict:
    """req/s (completed requests over the wall time), p50 and p99 in ms, the mean queries and
    response size, and how many answers had another status than expected."""
    seconds = [s.seconds for s in run.samples]
    counted = [s.queries for s in run.samples if s.queries is not None]
    return {
        "clients": run.clients,
        "requests": len(run.samples),
        "rps": len(run.samples) / run.elapsed if run.elapsed > 0 else math.nan,
        "p50_ms": percentile(seconds, 0.50) * 1000,
        "p99_ms": percentile(seconds, 0.99) * 1000,
        "queries": sum(counted) / len(counted) if counted else None,
        "kb": (sum(s.size for s in run.samples) / len(run.samples) / 1024)
        if run.samples
        else math.nan,
        "errors": sum(1 for s in run.samples if s.status not in ok_statuses),
    }


def _send(connection: http.client.HTTPConnection, request: Request) -> Sample:
    started = time.perf_counter()
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
    except OSError:
        # A timeout or a reset counts as a failed request (status 0), not as a crash.
        connection.close()
        return Sample(time.perf_counter() - started, 0, 0, None)
    seconds = time.perf_counter() - started
    queries = response.getheader("X-Bench-Queries")
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return Sample(seconds, response.status, size, int(queries) if queries else None)


def run(
    *,
    host: str,
    port: int,
    make_request: Callable[[int, int], Request | None],
    clients: int,
    seconds: float,
    max_requests: int,
    min_requests: int = 1,
    timeout: float = 60,
) -> Run:
    """`make_request(client, n)` gives client's n-th request, or None when it has no more.
    At least `min_requests` are made even past `seconds`: a slow page gets a p50 too."""
    deadline = time.perf_counter() + seconds
    samples: list[Sample] = []
    lock = threading.Lock()
    issued = 0

    def client(index: int) -> None:
        nonlocal issued
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        n = 0
        try:
            while True:
                with lock:
                    if issued >= max_requests or (
                        issued >= min_requests and time.perf_counter() >= deadline
                    ):
                        return
                    issued += 1
                request = make_request(index, n)
                if request is None:
                    return
                n += 1
                sample = _send(connection, request)
                with lock:
                    samples.append(sample)
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(samples=samples, elapsed=time.perf_counter() - started, clients=clients)


def format_table(rows: list[dict]) -> str:
    """The table `make bench` prints: one line per page and number of clients."""
    header = (
        f"{'page':<34} {'clients':>7} {'reqs':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'queries':>7} {'kB':>8} {'err':>4} {'×floor':>7}  target"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        queries = "–" if row["queries"] is None else f"{row['queries']:.1f}"
        ratio = "–" if row.get("floor_ratio") is None else f"{row['floor_ratio']:.2f}"
        lines.append(
            f"{row['page']:<34} {row['clients']:>7} {row['requests']:>5} {row['rps']:>8.1f} "
            f"{row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} {queries:>7} {row['kb']:>8.1f} "
            f"{row['errors']:>4} {ratio:>7}  {row.get('verdict', '')}"
        )
    return "\n".join(lines)


def verdict(row: dict, targets: dict) -> str:
    """'met' or what was missed, for targets like {"p50_ms": 15, "queries": 10,
    "kb": 500, "floor_ratio": 0.6, "rps": 100, "p99_ms": 400} (ratio and req/s are minima,
    the rest maxima)."""
    if not targets:
        return ""
    minima = {"floor_ratio", "rps"}
    missed = []
    for key, limit in targets.items():
        value = row.get(key)
        if value is None or (value < limit if key in minima else value > limit):
            shown = "–" if value is None else f"{value:.3g}"
            sign = "≥" if key in minima else "≤"
            missed.append(f"{key} {shown} (want {sign} {limit})")
    return "met" if not missed else "MISSED " + "; ".join(missed)
