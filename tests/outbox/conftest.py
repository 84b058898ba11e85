import socket

import pytest


@pytest.fixture
def unused_port() -> int:
    """A local TCP port nobody listens on: an SMTP server that is down, until one starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
