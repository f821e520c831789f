"""Fixtures that break real infrastructure for a test: no mocks of the database."""

import contextlib
import socket

import pytest
from django.db import connection


@pytest.fixture
def refused_port():
    """A TCP port on 127.0.0.1 that refuses connections for the whole test.

    The socket is bound (so no other process takes the port) but never listens:
    the kernel answers every connection attempt with a reset.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def database_cut(transactional_db, refused_port):
    """A context manager pointing the default connection at a refused port.

    Inside it every new database connection fails as it would with PostgreSQL
    stopped; on leaving it the real server is used again. Needs a transactional
    test: the connection is closed, which a test transaction would not survive.
    """
    saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}

    def restore():
        connection.close()
        connection.settings_dict.update(saved)

    @contextlib.contextmanager
    def cut():
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(refused_port))
        try:
            yield
        finally:
            restore()

    yield cut
    restore()
