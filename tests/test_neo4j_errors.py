"""Every driver error is one line naming what failed, chained to the driver's error, with no
secret in it: wrong and rate-limited passwords, unreachable and silent servers, credentials in
the URI, bad timeouts, and the driver's own log records kept off stderr.  Only the tests
marked ``neo4j`` need the test server; the others use loopback sockets of their own."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import neo4j.exceptions
import pytest

from graphkit import ArgumentError, ConfigError, StoreError
from graphkit.stores.neo4j import DEFAULT_CONNECT_TIMEOUT, Neo4jStore
from tests.conftest import graphkit_cli

SECRET = "Sup3r-s3cret-pa55word-XYZ"


@contextmanager
def silent_listener() -> Iterator[str]:
    """A loopback port that completes TCP connections (the backlog) and never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"bolt://127.0.0.1:{sock.getsockname()[1]}"


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"bolt://127.0.0.1:{sock.getsockname()[1]}"


def _chain_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def test_a_silent_listener_fails_within_the_connection_timeout():
    with silent_listener() as uri:
        start = time.monotonic()
        with pytest.raises(StoreError) as err:
            Neo4jStore(uri, password=SECRET, connection_timeout=1)
        elapsed = time.monotonic() - start
    assert elapsed < 4, elapsed
    assert str(err.value) == (f"cannot reach Neo4j at {uri}: no answer within 1 s (a Neo4j server answers at once; "
                              "is this its Bolt port? GRAPHKIT_NEO4J_CONNECT_TIMEOUT sets the wait)")
    assert isinstance(err.value.__cause__, neo4j.exceptions.ServiceUnavailable)
    assert SECRET not in _chain_text(err.value)


def test_the_connection_timeout_comes_from_the_environment_in_the_cli():
    with silent_listener() as uri:
        start = time.monotonic()
        proc = graphkit_cli("-q", "info", "--neo4j", uri,
                            env={"GRAPHKIT_NEO4J_CONNECT_TIMEOUT": "1", "NEO4J_PASSWORD": SECRET})
        elapsed = time.monotonic() - start
    assert elapsed < 8, elapsed  # the interpreter's start-up included
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith(f"graphkit: error: cannot reach Neo4j at {uri}: no answer within 1 s")
    assert proc.stderr.count("\n") == 1 and SECRET not in proc.stderr


def test_an_unreachable_server_is_one_line():
    uri = closed_port()
    proc = graphkit_cli("-q", "info", "--neo4j", uri, env={"NEO4J_PASSWORD": SECRET})
    assert proc.returncode == 1
    assert proc.stderr == (f"graphkit: error: cannot reach Neo4j at {uri}: "
                           "connection refused (is the server running, and is this its Bolt port?)\n")


@pytest.mark.parametrize("uri", [
    f"bolt://127.0.0.1:7687?password={SECRET}",
    f"bolt://127.0.0.1:7687/?PassWord={SECRET}",
    f"neo4j://127.0.0.1:7687?policy=eu&auth_token={SECRET}",
    f"neo4j://127.0.0.1:7687?{SECRET}",
    f"bolt://neo4j:{SECRET}@127.0.0.1:7687",
    f"bolt://{SECRET}@127.0.0.1:7687",
    f"http://127.0.0.1:7474/?password={SECRET}",
    f"bolt://127.0.0.1:7687?region={SECRET}",
    f"bolt://127.0.0.1:7687/{SECRET}",
    f"bolt://127.0.0.1:{SECRET}",
])
def test_credentials_in_the_uri_are_refused_without_echoing_them(uri):
    with pytest.raises(ConfigError) as err:
        Neo4jStore(uri, password="x")
    assert SECRET not in _chain_text(err.value)
    proc = graphkit_cli("info", "--neo4j", uri, env={"NEO4J_PASSWORD": "x"})
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), "5", True])
def test_a_bad_connection_timeout_is_refused(value):
    with pytest.raises(ArgumentError, match="connection_timeout must be a positive number of seconds"):
        Neo4jStore(closed_port(), password="x", connection_timeout=value)


@pytest.mark.parametrize("raw", ["soon", "0", "-2", "nan"])
def test_a_bad_connection_timeout_in_the_environment_is_refused(raw, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_NEO4J_CONNECT_TIMEOUT", raw)
    with pytest.raises(ConfigError, match="GRAPHKIT_NEO4J_CONNECT_TIMEOUT must be a"):
        Neo4jStore(closed_port(), password="x")


def test_the_default_connection_timeout_is_short(monkeypatch):
    monkeypatch.delenv("GRAPHKIT_NEO4J_CONNECT_TIMEOUT", raising=False)
    with pytest.raises(StoreError) as err:
        Neo4jStore(closed_port(), password="x")
    assert DEFAULT_CONNECT_TIMEOUT <= 10 and "connection refused" in str(err.value)


def test_driver_log_records_do_not_reach_stderr():
    """With no logging configured, Python prints warnings of a logger without handlers raw on
    stderr; the store keeps the driver's (retries, notifications) off it."""
    code = ("import logging, graphkit.stores.neo4j; "
            "logging.getLogger('neo4j.session').warning('Transaction failed and will be retried in 1s'); "
            "logging.getLogger('neo4j.notifications').warning('a server notification')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr == ""


def _wait_until_logins_work(uri: str, deadline_s: float = 60) -> None:
    """The server refuses even the right password for a few seconds after too many wrong ones."""
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            Neo4jStore(uri).close()
            return
        except StoreError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.neo4j
def test_a_wrong_password_leaves_no_secret_in_the_error_chain(neo4j_uri):
    try:
        with pytest.raises(StoreError) as err:
            Neo4jStore(neo4j_uri, password=SECRET)
    finally:
        _wait_until_logins_work(neo4j_uri)
    message = str(err.value)
    assert "\n" not in message and "refused the credentials of user 'neo4j'" in message
    assert isinstance(err.value.__cause__, neo4j.exceptions.Neo4jError)  # chained, not `from None`
    assert SECRET not in _chain_text(err.value)


@pytest.mark.neo4j
def test_repeated_wrong_passwords_give_one_line_each_never_a_traceback(neo4j_uri):
    # All at once: one after another, on a loaded machine each process can start after the lock of
    # the previous failures has run out, and the server never says "too many".
    try:
        with ThreadPoolExecutor(6) as pool:
            runs = list(pool.map(lambda i: graphkit_cli("info", "--neo4j", neo4j_uri,
                                                        env={"NEO4J_PASSWORD": f"{SECRET}-{i}"}), range(6)))
    finally:
        _wait_until_logins_work(neo4j_uri)
    for proc in runs:
        assert proc.returncode == 1 and proc.stdout == ""
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("graphkit: error: Neo4j at ")
        assert "Traceback" not in proc.stderr and SECRET not in proc.stderr
    # Neo4j locks the user out for a few seconds after three failures in a row.
    assert any("too many wrong passwords" in proc.stderr for proc in runs), [p.stderr for p in runs]
