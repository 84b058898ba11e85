"""Small helpers the tests share."""

import time

import pytest


def wait_for(predicate, timeout: float = 30, interval: float = 0.2):
    """Poll until `predicate()` is truthy; return its value or fail with a clear message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Gave up waiting after {timeout} s for {predicate.__name__}")
