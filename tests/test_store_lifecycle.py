"""The embedded store's life on disk: open or create, keys, the writer lock, and saves that a kill cannot lose."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, Pseudonymiser, StoreError, model
from tests.conftest import graphkit_cli, write_dataset


def _snapshot(store):
    frames = {**{k.label: store.nodes(k.label) for k in model.NODE_KINDS},
              **{r.type: store.relationships(r.type) for r in model.REL_KINDS}}
    return {k: f.to_json(orient="records") for k, f in frames.items()}


def _key_file(tmp_path, text="a-pseudonym-key-for-lifecycle-tests"):
    path = tmp_path / "key"
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_the_readme_python_snippet_after_the_cli_keeps_results_and_key(valid_dataset, tmp_path):
    store_path = tmp_path / "my-store"
    graphkit_cli("load", str(valid_dataset), "--store", str(store_path), check=True)
    graphkit_cli("analyze", "--store", str(store_path), "--out", str(tmp_path / "a"), "--write", check=True)
    on_disk = EmbeddedStore.open(store_path)
    assert on_disk.key_fingerprint is not None and "pagerank" in on_disk.nodes("Creator")

    # What the README's Python example does, with the same (default, config-folder) key.
    data = loaders.read_dataset(valid_dataset, pseudonymise=Pseudonymiser.from_config())
    store = EmbeddedStore(store_path)
    assert store.counts() == on_disk.counts()  # opened, not started empty
    store.load(data)
    store.save()
    again = EmbeddedStore.open(store_path)
    assert _snapshot(again) == _snapshot(on_disk)
    assert again.key_fingerprint == on_disk.key_fingerprint

    other = loaders.read_dataset(valid_dataset, pseudonymise=Pseudonymiser(b"another-key-0123456789"))
    with pytest.raises(StoreError, match="different pseudonym key"):
        EmbeddedStore(store_path).load(other)
    assert len(EmbeddedStore.open(store_path).nodes("Viewer")) == 2


def test_the_constructor_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a saved graphkit store .* not empty"):
        EmbeddedStore(tmp_path / "stuff")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        EmbeddedStore(tmp_path / "afile")
    with pytest.raises(StoreError, match="run `graphkit load` first"):
        EmbeddedStore(tmp_path / "absent", create=False)
    assert EmbeddedStore(tmp_path / "absent").counts()["Creator"] == 0
    assert not (tmp_path / "absent").exists()  # nothing is created until a save


def test_saving_never_replaces_another_store(valid_dataset, pseudonymiser, tmp_path):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    first = EmbeddedStore(tmp_path / "a")
    first.load(data)
    first.save()
    with pytest.raises(StoreError, match="already holds a graphkit store"):
        EmbeddedStore().save(tmp_path / "a")
    assert EmbeddedStore.open(tmp_path / "a").counts() == first.counts()


def test_a_store_saved_by_another_writer_since_opening_refuses_the_stale_save(valid_dataset, pseudonymiser, tmp_path):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    seed = EmbeddedStore(tmp_path / "s")
    seed.load(data)
    seed.save()
    one, two = EmbeddedStore(tmp_path / "s"), EmbeddedStore(tmp_path / "s")
    one.write_results(pd.DataFrame({"kind": ["Creator"], "id": ["c1"], "pagerank": [0.5]}))
    one.save()
    two.write_results(pd.DataFrame({"kind": ["Creator"], "id": ["c2"], "pagerank": [0.25]}))
    with pytest.raises(StoreError, match="saved by another writer after this store was opened"):
        two.save()
    saved = EmbeddedStore.open(tmp_path / "s").nodes("Creator").set_index("id")
    assert saved.loc["c1", "pagerank"] == 0.5 and pd.isna(saved.loc["c2", "pagerank"])


def test_viewer_rows_without_a_key_fingerprint_are_refused(valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    with pytest.raises(StoreError, match="viewer rows need the fingerprint"):
        EmbeddedStore().load(data.nodes, data.relationships)
    store = EmbeddedStore()
    store.load(data.nodes, data.relationships, key_fingerprint=pseudonymiser.fingerprint)
    assert store.key_fingerprint == pseudonymiser.fingerprint
    no_viewers = {k: v for k, v in data.nodes.items() if k != "Viewer"}
    rels = {k: v for k, v in data.relationships.items() if "Viewer" not in (model.rel_kind(k).source, model.rel_kind(k).target)}
    assert EmbeddedStore().load(no_viewers, rels).counts["Creator"] == 2  # nothing to pseudonymise, no key needed


def test_a_store_with_viewers_but_no_fingerprint_refuses_a_keyed_load_and_says_how_to_recover(
        valid_dataset, pseudonymiser, tmp_path):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    old = EmbeddedStore()
    old.load(data)
    old.key_fingerprint = None  # what a store saved by the old save() looks like
    old.save(tmp_path / "s")
    store = EmbeddedStore(tmp_path / "s")
    with pytest.raises(StoreError, match=r"2 viewers but no pseudonym key fingerprint.*bind_key"):
        store.load(data)
    store.bind_key(pseudonymiser.fingerprint)  # the documented recovery
    store.load(data)
    store.save()
    assert EmbeddedStore.open(tmp_path / "s").key_fingerprint == pseudonymiser.fingerprint


def test_a_second_writer_fails_clearly_while_the_lock_is_held(valid_dataset, tmp_path):
    store_path = tmp_path / "s"
    key = _key_file(tmp_path)
    graphkit_cli("load", str(valid_dataset), "--store", str(store_path), "--pseudonym-key-file", str(key), check=True)
    with EmbeddedStore.writing(store_path):
        proc = graphkit_cli("load", str(valid_dataset), "--store", str(store_path), "--pseudonym-key-file", str(key))
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert f"is being written by process {os.getpid()}" in proc.stderr
        info = graphkit_cli("info", "--store", str(store_path), check=True)  # readers need no lock
        assert "Creator\t2" in info.stdout


def _halves(tmp_path):
    """Two datasets with disjoint topics: a lost load shows as missing topics."""
    a = write_dataset(tmp_path / "a", {"topics.csv": "id,name,level\n" + "".join(f"a{i},A{i},0\n" for i in range(300))})
    b = write_dataset(tmp_path / "b", {"topics.csv": "id,name,level\n" + "".join(f"b{i},B{i},0\n" for i in range(300))})
    return a, b


def test_racing_cli_loads_never_lose_a_load_that_reported_success(tmp_path):
    a, b = _halves(tmp_path)
    key = _key_file(tmp_path)
    for attempt in range(3):
        store_path = tmp_path / f"s{attempt}"
        exe = os.path.join(os.path.dirname(sys.executable), "graphkit")
        procs = [subprocess.Popen([exe, "load", str(d), "--store", str(store_path), "--pseudonym-key-file", str(key)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for d in (a, b)]
        outputs = [p.communicate(timeout=120) for p in procs]
        results = [(p.returncode, err) for p, (_, err) in zip(procs, outputs)]
        topics = set(EmbeddedStore.open(store_path).nodes("Topic")["id"])
        for (rc, err), prefix in zip(results, "ab"):
            if rc == 0:
                assert {f"{prefix}{i}" for i in range(300)} <= topics  # a successful load is in the store
            else:
                assert rc == 1 and "is being written by" in err and "Traceback" not in err


CHILD = textwrap.dedent("""
    import os, shutil, signal, sys, pathlib
    import pandas as pd
    from graphkit import EmbeddedStore
    step, path = sys.argv[1], pathlib.Path(sys.argv[2])
    kill = lambda: os.kill(os.getpid(), signal.SIGKILL)
    renames = []
    real_rename, real_rmtree, real_parquet = pathlib.Path.rename, shutil.rmtree, pd.DataFrame.to_parquet
    def rename(self, target):
        renames.append(self)
        if step == "before_commit" and len(renames) == 1: kill()
        out = real_rename(self, target)
        if step == "after_commit" and len(renames) == 1: kill()
        return out
    def rmtree(p, *a, **k):
        if step == "deleting_old" and str(p).endswith(".old"):
            victim = next(pathlib.Path(p).rglob("*.parquet"))
            victim.unlink()  # part of the old folder is gone when the kill comes
            kill()
        return real_rmtree(p, *a, **k)
    written = []
    def to_parquet(self, target, *a, **k):
        written.append(target)
        if step == "writing" and len(written) == 3: kill()
        return real_parquet(self, target, *a, **k)
    pathlib.Path.rename, shutil.rmtree, pd.DataFrame.to_parquet = rename, rmtree, to_parquet
    import graphkit.stores._folder as folder
    folder.shutil.rmtree = rmtree
    store = EmbeddedStore(path)
    store.upsert_nodes("Topic", pd.DataFrame({"id": ["new"], "name": ["New"], "level": [0]}))
    store.save()
""")


@pytest.mark.parametrize("step, survives", [
    ("writing", "old"),         # killed while writing the new folder
    ("before_commit", "old"),   # new folder complete, old not yet moved aside
    ("after_commit", "new"),    # old moved aside, new not yet in place: roll forward
    ("deleting_old", "new"),    # new in place, killed while deleting the old state
])
def test_a_kill_at_any_step_of_a_save_leaves_exactly_one_store(tmp_path, step, survives):
    store_path = tmp_path / "W"
    first = EmbeddedStore(store_path)
    first.upsert_nodes("Topic", pd.DataFrame({"id": ["old"], "name": ["Old"], "level": [0]}))
    first.save()
    proc = subprocess.run([sys.executable, "-c", CHILD, step, str(store_path)], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr  # it really was killed at that point
    info = graphkit_cli("info", "--store", str(store_path))
    assert info.returncode == 0 and "Traceback" not in info.stderr
    ids = set(EmbeddedStore.open(store_path).nodes("Topic")["id"])
    assert ids == ({"old"} if survives == "old" else {"old", "new"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["W", "W.lock"]


def test_a_killed_first_save_leaves_no_half_store(tmp_path):
    store_path = tmp_path / "W"
    proc = subprocess.run([sys.executable, "-c", CHILD, "writing", str(store_path)], capture_output=True, text=True)
    assert proc.returncode == -9
    store = EmbeddedStore(store_path)
    assert store.counts()["Topic"] == 0 and store.recovered and "incomplete first save" in store.recovered
    assert not (tmp_path / "W.saving").exists()


HOLDER = textwrap.dedent("""
    import sys, time, pathlib
    from graphkit.stores import _folder
    lock = _folder.lock_for(pathlib.Path(sys.argv[1]))
    lock.acquire()
    print("locked", flush=True)
    time.sleep(1.0)
    print(f"releasing {time.time()!r}", flush=True)
    lock.release()
""")


def test_opening_waits_for_a_save_in_progress_instead_of_repairing_it(tmp_path):
    store_path = tmp_path / "W"
    first = EmbeddedStore(store_path)
    first.upsert_nodes("Topic", pd.DataFrame({"id": ["old"], "name": ["Old"], "level": [0]}))
    first.save()
    (tmp_path / "W.saving").mkdir()  # looks like a save under way, and another process holds the lock
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store_path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    store = EmbeddedStore(store_path)
    opened = time.time()
    released = float(holder.communicate(timeout=10)[0].split()[-1])
    assert opened >= released  # it waited for the holder rather than repairing under its feet
    assert set(store.nodes("Topic")["id"]) == {"old"} and not (tmp_path / "W.saving").exists()


def test_pseudonym_key_files_readable_by_others_are_refused(valid_dataset, tmp_path):
    key = _key_file(tmp_path)
    key.chmod(0o644)
    proc = graphkit_cli("load", str(valid_dataset), "--store", str(tmp_path / "s"), "--pseudonym-key-file", str(key))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"chmod 600 {key}" in proc.stderr and "mode 644" in proc.stderr
    assert not (tmp_path / "s").exists()


def test_the_first_load_says_where_it_created_the_key_and_to_back_it_up(valid_dataset, tmp_path):
    config = tmp_path / "config"
    env = {"GRAPHKIT_CONFIG_DIR": str(config)}
    first = graphkit_cli("load", str(valid_dataset), "--store", str(tmp_path / "s"), env=env, check=True)
    assert f"created a new pseudonym key in {config / 'pseudonym.key'}" in first.stderr and "Back it up" in first.stderr
    assert (config / "pseudonym.key").stat().st_mode & 0o777 == 0o600
    second = graphkit_cli("load", str(valid_dataset), "--store", str(tmp_path / "s"), env=env, check=True)
    assert "created a new pseudonym key" not in second.stderr
