"""Bulk import (graphkit.stores.bulk): Neo4j's offline importer for a first load into an empty database.

On a server of the module's own (scripts/neo4j in a temporary run folder): the importer must
stop and restart it, which the shared test server must not see.  A bulk import must leave
exactly what an online load leaves on a fresh database (counts, properties, derived creator
properties, constraints, key fingerprint); a database that is not empty is refused, unchanged;
an import that fails (a corrupted file, a killed importer) leaves the database empty and says so.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, Neo4jStore, Pseudonymiser, model, workflows
from graphkit.errors import ArgumentError, StoreError
from graphkit.stores import bulk
from tests.conftest import graphkit_cli

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[1]
KEY = "bulk-test-key-0123456789"
PASSWORD = "bulk-test-password-0123"


def _script(command: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "scripts" / "neo4j"), command], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def server(neo4j_uri, tmp_path_factory):
    """A server of this module's own; the environment points scripts/neo4j (and bulk) at it."""
    run = tmp_path_factory.mktemp("bulk-run")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRAPHKIT_NEO4J_RUN", str(run))
        mp.setenv("GRAPHKIT_NEO4J_DATA", str(run / "data"))
        mp.setenv("NEO4J_PASSWORD", PASSWORD)
        mp.delenv("GRAPHKIT_NEO4J_PORT", raising=False)
        started = _script("start", dict(os.environ))
        assert started.returncode == 0, started.stderr
        try:
            yield started.stdout.strip(), run
        finally:
            _script("stop", dict(os.environ))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bulk-data") / "d"
    loaders.generate(300, 5, out)
    return out


def _reset(store: Neo4jStore) -> None:
    """A fresh database: no node, no relationship, no constraint (test housekeeping)."""
    store.clear()
    with store._session() as session:
        for name in [r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")]:
            session.run(f"DROP CONSTRAINT `{name}`").consume()


@pytest.fixture
def empty(server):
    uri, _ = server
    with Neo4jStore(uri, password=PASSWORD) as store:
        _reset(store)
        yield store


def _read(folder: Path, store: Neo4jStore) -> loaders.StreamedDataset:
    return workflows.read_folder(store, folder, pseudonymiser=Pseudonymiser(KEY.encode()), stream=True)


def _snapshot(store: Neo4jStore) -> dict:
    """Everything a load leaves, in a comparable form."""
    frames = {}
    for kind in model.NODE_KINDS:
        frame = store.nodes(kind.label)
        frames[kind.label] = frame.sort_values(model.ID).reset_index(drop=True)
    for rel in model.REL_KINDS:
        frame = store.relationships(rel.type)
        frames[rel.type] = frame.sort_values([model.SOURCE_ID, model.TARGET_ID]).reset_index(drop=True)
    with store._session() as session:
        constraints = sorted((r["type"], tuple(r["labelsOrTypes"]), tuple(r["properties"]))
                             for r in session.run("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties"))
        meta = [r.data() for r in session.run("MATCH (m:GraphkitMeta) RETURN m.name AS name, "
                                                "m.key_fingerprint AS key_fingerprint")]
    return {"counts": store.counts(), "frames": frames, "constraints": constraints, "meta": meta}


def _status(env: dict | None = None) -> str:
    return _script("status", env or dict(os.environ)).stdout.strip()


def _read_writing(folder: Path, store: Neo4jStore, writer: bulk.ImportWriter, **options) -> loaders.StreamedDataset:
    """As ``graphkit load --bulk`` reads: the import files written during validation."""
    with writer:
        return workflows.read_folder(store, folder, pseudonymiser=Pseudonymiser(KEY.encode()), on_chunk=writer,
                                     **options)


@pytest.mark.parametrize("written", ["during validation", "after validation"])
def test_bulk_import_leaves_what_an_online_load_leaves_on_a_fresh_database(empty, dataset, server, tmp_path, written):
    timings: dict[str, float] = {}
    if written == "during validation":
        writer = bulk.ImportWriter(tmp_path / "import")
        summary = bulk.bulk_import(empty, _read_writing(dataset, empty, writer), files=writer.files, timings=timings)
        assert timings["write"] == 0 and writer.files.derived  # no second pass; derived properties in the files
    else:
        summary = bulk.bulk_import(empty, _read(dataset, empty), timings=timings)
        assert timings["write"] > 0
    bulked = _snapshot(empty)
    assert summary.created == {k: n for k, n in bulked["counts"].items() if n}
    assert bulked["counts"]["ENGAGES_WITH"] > 1000 and bulked["counts"]["Viewer"] > 100

    _reset(empty)
    with Neo4jStore(server[0], password=PASSWORD) as fresh:  # a new client, as a new graphkit load is
        workflows.load_dataset(fresh, _read(dataset, fresh))
        online = _snapshot(fresh)

    assert bulked["counts"] == online["counts"]
    assert bulked["constraints"] == online["constraints"] and len(online["constraints"]) == len(model.NODE_KINDS) + 1
    assert bulked["meta"] == online["meta"] == [{"name": "graphkit",
                                                 "key_fingerprint": Pseudonymiser(KEY.encode()).fingerprint}]
    for name, frame in online["frames"].items():
        pd.testing.assert_frame_equal(bulked["frames"][name], frame, obj=name)
    creators = bulked["frames"]["Creator"]
    for derived in (model.VIDEOS, model.VIEWS, model.ACTIVE, model.PRIMARY_TOPIC, model.HAS_INCOME):
        assert creators[derived].notna().any(), derived  # refresh_derived ran after the import


def test_a_database_that_is_not_empty_is_refused_and_left_unchanged(empty, dataset, server):
    uri, _ = server
    topics = dataset.parent / "topics-only"
    topics.mkdir(exist_ok=True)
    (topics / "topics.csv").write_text("id,name\nt1,Physics\nt2,Maths\n")
    workflows.load_dataset(empty, _read(topics, empty))
    before = _snapshot(empty)

    with pytest.raises(StoreError, match=r"needs a new, empty database.* holds 3 nodes and 0 relationships"):
        bulk.bulk_import(empty, _read(dataset, empty))
    cli = graphkit_cli("-q", "load", str(dataset), "--neo4j", uri, "--bulk", env={"GRAPHKIT_PSEUDONYM_KEY": KEY})
    assert cli.returncode == 1 and cli.stderr.count("\n") == 1, cli.stderr
    assert "needs a new, empty database" in cli.stderr

    assert _status() == f"running {uri}"  # never stopped
    after = _snapshot(empty)
    assert after["counts"] == before["counts"] and after["constraints"] == before["constraints"]
    pd.testing.assert_frame_equal(after["frames"]["Topic"], before["frames"]["Topic"])


def test_bulk_needs_neo4j_and_the_scripts_server(tmp_path, dataset, empty):
    cli = graphkit_cli("load", str(dataset), "--store", str(tmp_path / "s"), "--bulk")
    assert cli.returncode != 0 and "--bulk imports into Neo4j" in cli.stderr
    with pytest.raises(StoreError, match="needs the one scripts/neo4j started"):
        bulk.check_target(empty, run_dir=tmp_path / "no-such-run")


def test_a_corrupted_import_file_leaves_the_database_empty_and_says_so(empty, dataset, server, tmp_path):
    uri, _ = server
    files = bulk.write_import_files(_read(dataset, empty), tmp_path / "import")
    with files.files["Creator"].open("a") as f:  # followers must be a long
        f.write("c999999,Broken,not-a-number,,,\n")
    with pytest.raises(StoreError, match=r"bulk import failed, nothing was imported and the database is empty"):
        bulk.import_files(empty, files)
    assert _status() == f"running {uri}"
    assert sum(empty.counts().values()) == 0
    bulk.check_empty(empty)  # no node of any label either
    # The restored database takes the import it was meant for.
    files.files["Creator"].write_text("".join(files.files["Creator"].read_text().splitlines(True)[:-1]))
    bulk.import_files(empty, files)
    assert empty.counts()["ENGAGES_WITH"] == files.rows["ENGAGES_WITH"]


def _importer_pid(run: Path) -> int | None:
    """The importer's JVM for this run folder, found by its command line (never by name)."""
    tag = f"-Dgraphkit.neo4j.import={run}".encode()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if tag in (proc / "cmdline").read_bytes().split(b"\0"):
                    return int(proc.name)
            except OSError:
                continue
    return None


def test_a_killed_importer_leaves_the_database_empty_and_says_so(empty, dataset, server):
    uri, run = server
    load = subprocess.Popen([str(Path(sys.executable).parent / "graphkit"), "-q", "load", str(dataset),
                             "--neo4j", uri, "--bulk"], env={**os.environ, "GRAPHKIT_PSEUDONYM_KEY": KEY},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    pid = None
    while pid is None and load.poll() is None and time.monotonic() < deadline:
        pid = _importer_pid(run)
        time.sleep(0.02)
    assert pid is not None, "the importer never started"
    os.kill(pid, signal.SIGKILL)
    _, err = load.communicate(timeout=300)
    assert load.returncode == 1, err
    assert err.count("\n") == 1 and "the bulk import failed, nothing was imported and the database is empty" in err
    assert _status() == f"running {uri}"
    assert sum(empty.counts().values()) == 0
    bulk.check_empty(empty)


def test_the_importer_compiles_with_c2_only_for_a_large_import(tmp_path):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_bytes(b"x" * 1000)
    with large.open("wb") as f:  # sparse: its size, not its blocks, is what counts
        f.truncate(bulk.FULL_JIT_BYTES)
    assert bulk._jit(bulk.ImportFiles(tmp_path, {"Topic": small})) == "quick"
    assert bulk._jit(bulk.ImportFiles(tmp_path, {"Topic": small, "FOLLOWS": large})) == "full"


def test_bulk_load_refuses_an_embedded_store(tmp_path, dataset):
    store = EmbeddedStore(tmp_path / "s")
    with pytest.raises(ArgumentError, match="writes a Neo4j database"):
        workflows.bulk_load(store, workflows.read_folder(store, dataset, pseudonymiser=Pseudonymiser(KEY.encode())))


def _pid(run: Path) -> str:
    return (run / "pid").read_text().strip()


def test_a_dataset_that_fails_validation_never_stops_the_server(empty, dataset, server, tmp_path):
    uri, run = server
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in dataset.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    with (bad / "creators.csv").open("a") as f:  # followers must be a number
        f.write("c999999,Broken,not-a-number,2020-01-01,Beijing,\n")
    before = _pid(run)
    cli = graphkit_cli("-q", "load", str(bad), "--neo4j", uri, "--bulk", env={"GRAPHKIT_PSEUDONYM_KEY": KEY})
    assert cli.returncode == 1 and "followers" in cli.stderr, cli.stderr
    assert _status() == f"running {uri}" and _pid(run) == before  # the same server process: never stopped
    assert sum(empty.counts().values()) == 0


def test_writing_that_fails_after_the_stop_starts_the_server_again_with_the_database_empty(
        empty, dataset, server, tmp_path):
    uri, run = server
    changed = tmp_path / "changed"
    changed.mkdir()
    for f in dataset.iterdir():
        (changed / f.name).write_bytes(f.read_bytes())
    data = _read(changed, empty)  # validated; then a file changes before the import files are written
    with (changed / "follows.csv").open("a") as f:
        f.write("\n")
    before = _pid(run)
    with pytest.raises(StoreError, match=r"writing the import files failed, nothing was imported and the server "
                                         r"was started again, its database empty.*changed after it was validated"):
        bulk.bulk_import(empty, data)
    assert _status() == f"running {uri}" and _pid(run) != before  # it was stopped, and is up again
    assert sum(empty.counts().values()) == 0
    bulk.check_empty(empty)


def test_rows_rejected_after_their_chunk_was_written_are_written_again_without_them(empty, tmp_path, server):
    folder = tmp_path / "late-duplicate"
    folder.mkdir()
    (folder / "topics.csv").write_text("id,name\nt1,Physics\nt2,Maths\nt1,Physics again\n")
    (folder / "subtopic_of.csv").write_text("source_id,target_id\nt2,t1\n")
    writer = bulk.ImportWriter(tmp_path / "import")
    data = _read_writing(folder, empty, writer, on_error="skip", stream=True)
    assert writer.files.rows["Topic"] == 3 and data.counts()["Topic"] == 2 and not bulk.holds(writer.files, data)
    timings: dict[str, float] = {}
    bulk.bulk_import(empty, data, files=writer.files, timings=timings)
    assert timings["write"] > 0  # the files were written again, from the second pass
    topics = empty.nodes("Topic").sort_values("id")
    assert topics["name"].tolist() == ["Physics", "Maths"] and empty.counts()["SUBTOPIC_OF"] == 1


def test_a_cli_bulk_load_writes_the_import_files_once_and_loads_every_row(empty, dataset, server):
    uri, _ = server
    cli = graphkit_cli("load", str(dataset), "--neo4j", uri, "--bulk", env={"GRAPHKIT_PSEUDONYM_KEY": KEY})
    assert cli.returncode == 0, cli.stderr
    assert "the import files were written during validation" in cli.stderr and "writing import file" not in cli.stderr
    online = EmbeddedStore()
    online.load(loaders.read_dataset(dataset, pseudonymise=Pseudonymiser(KEY.encode())))
    assert empty.counts() == online.counts()


def test_bulk_import_reports_the_time_of_each_step(empty, dataset):
    timings: dict[str, float] = {}
    summary = bulk.bulk_import(empty, _read(dataset, empty), timings=timings)
    assert set(timings) == {"write", "stop", "stop_wait", "backup", "import", "start", "finish"}
    assert all(t >= 0 for t in timings.values()) and timings["import"] > 0.5 and timings["stop_wait"] <= timings["stop"]
    assert empty.counts()["ENGAGES_WITH"] == summary.created["ENGAGES_WITH"] > 1000


def test_values_with_commas_and_quotes_are_imported_as_they_are(empty, tmp_path):
    folder = tmp_path / "quoted"
    folder.mkdir()
    (folder / "topics.csv").write_text('id,name,level\nt1,"Maths, applied",1\nt2,"The ""new"" physics",\nt3,Plain,2\n')
    bulk.bulk_import(empty, _read(folder, empty))
    topics = empty.nodes("Topic").sort_values("id")
    assert topics["name"].tolist() == ["Maths, applied", 'The "new" physics', "Plain"]
    assert topics["level"].tolist()[0] == 1 and pd.isna(topics["level"].tolist()[1])
