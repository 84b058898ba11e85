"""The benchmark's statistics and verdicts (bench/load.py): what `make bench` prints."""

import math

from bench.load import Run, Sample, format_table, percentile, summarise, verdict


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0
    assert percentile([7.0], 0.99) == 7.0
    assert math.isnan(percentile([], 0.5))


def test_summarise_counts_rate_latency_queries_size_and_errors():
    samples = [Sample(0.010, 200, 2048, 4), Sample(0.030, 200, 2048, 6), Sample(0.020, 500, 0, 5)]
    row = summarise(Run(samples=samples, elapsed=0.5, clients=2))
    assert row == {
        "clients": 2,
        "requests": 3,
        "rps": 6.0,
        "p50_ms": 20.0,
        "p99_ms": 30.0,
        "queries": 5.0,
        "kb": 4096 / 3 / 1024,
        "errors": 1,
    }
    assert (
        summarise(Run(samples=samples[:1], elapsed=1, clients=1), ok_statuses={302})["errors"] == 1
    )


def test_verdict_reads_minima_and_maxima():
    row = {"p50_ms": 20.0, "queries": 9.0, "floor_ratio": 0.5, "rps": 120.0}
    assert verdict(row, {}) == ""
    assert verdict(row, {"p50_ms": 25, "queries": 10, "rps": 100}) == "met"
    assert verdict(row, {"p50_ms": 15, "floor_ratio": 0.6}) == (
        "MISSED p50_ms 20 (want ≤ 15); floor_ratio 0.5 (want ≥ 0.6)"
    )
    assert verdict({"queries": None}, {"queries": 10}) == "MISSED queries – (want ≤ 10)"


def test_format_table_has_one_line_per_row():
    row = {
        "page": "home",
        "clients": 8,
        "requests": 10,
        "rps": 50.0,
        "p50_ms": 2.0,
        "p99_ms": 9.0,
        "queries": None,
        "kb": 4.5,
        "errors": 0,
        "floor_ratio": 0.25,
        "verdict": "met",
    }
    lines = format_table([row]).splitlines()
    assert len(lines) == 3
    assert lines[2].split() == [
        "home",
        "8",
        "10",
        "50.0",
        "2.0",
        "9.0",
        "–",
        "4.5",
        "0",
        "0.25",
        "met",
    ]
