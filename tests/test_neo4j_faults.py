"""A server (or the loading client) killed in the middle of a load, on the streaming path `graphkit load --neo4j`
takes: the load ends with a one-line message (under -q,
nothing else: no traceback, no driver retry warnings), and running it again after a restart
gives exactly the expected counts (nothing lost or duplicated)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import loaders
from graphkit import Neo4jStore
from tests.conftest import graphkit_cli

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[1]


def _server(command: str, env: dict) -> str:
    proc = subprocess.run([str(ROOT / "scripts" / "neo4j"), command], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.mark.slow
def test_sigkill_mid_load_then_rerun_gives_exact_counts(neo4j_uri, tmp_path):
    dataset = tmp_path / "d"
    summary = loaders.generate(300, 5, dataset)
    run = tmp_path / "run"
    env = {**os.environ, "GRAPHKIT_NEO4J_RUN": str(run), "GRAPHKIT_NEO4J_DATA": str(run / "data"),
           "NEO4J_PASSWORD": "fault-test-password-0123"}
    env.pop("GRAPHKIT_NEO4J_PORT", None)
    uri = _server("start", env)
    try:
        cli_env = {"NEO4J_PASSWORD": env["NEO4J_PASSWORD"], "GRAPHKIT_PSEUDONYM_KEY": "fault-test-key-0123456789",
                   "GRAPHKIT_NEO4J_MAX_RETRY_TIME": "2"}
        exe = Path(sys.executable).parent / "graphkit"
        load = subprocess.Popen([str(exe), "-q", "load", str(dataset), "--neo4j", uri, "--batch-size", "500"],
                                env={**os.environ, **cli_env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with Neo4jStore(uri, password=env["NEO4J_PASSWORD"]) as probe:
            deadline = time.monotonic() + 120
            while probe.counts()["FOLLOWS"] == 0 and load.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
        assert load.poll() is None, "the load finished before the server could be killed"
        os.kill(int((run / "pid").read_text()), signal.SIGKILL)
        out, err = load.communicate(timeout=120)
        assert load.returncode == 1
        # One line under -q: no traceback, none of the driver's retry warnings.
        assert err.count("\n") == 1 and err.startswith("graphkit: error: lost the connection to Neo4j"), err
        assert "run the same load again" in err

        uri = _server("start", env)
        again = graphkit_cli("load", str(dataset), "--neo4j", uri, env=cli_env)
        assert again.returncode == 0, again.stderr
        with Neo4jStore(uri, password=env["NEO4J_PASSWORD"]) as store:
            assert store.counts() == {**summary.nodes, **summary.relationships}
    finally:
        _server("stop", env)


@pytest.mark.slow
def test_client_sigkill_mid_streamed_load_then_rerun_gives_exact_counts(neo4j_uri, tmp_path):
    """The load process itself killed while it streams (half the batches written): a re-run completes it exactly."""
    dataset = tmp_path / "d"
    summary = loaders.generate(300, 6, dataset)
    password = os.environ.get("NEO4J_PASSWORD", "")
    cli_env = {"NEO4J_PASSWORD": password, "GRAPHKIT_PSEUDONYM_KEY": "fault-test-key-0123456789"}
    with Neo4jStore(neo4j_uri, password=password) as store:
        store.clear()
        exe = Path(sys.executable).parent / "graphkit"
        load = subprocess.Popen([str(exe), "-q", "load", str(dataset), "--neo4j", neo4j_uri, "--batch-size", "500"],
                                env={**os.environ, **cli_env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while store.counts()["ENGAGES_WITH"] == 0 and load.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert load.poll() is None, "the load finished before it could be killed"
        load.send_signal(signal.SIGKILL)
        load.communicate(timeout=60)
        assert load.returncode == -signal.SIGKILL
        partial = store.counts()
        assert 0 < partial["ENGAGES_WITH"] < summary.relationships["ENGAGES_WITH"]
        again = graphkit_cli("load", str(dataset), "--neo4j", neo4j_uri, env=cli_env)
        assert again.returncode == 0, again.stderr
        assert store.counts() == {**summary.nodes, **summary.relationships}
        store.clear()
