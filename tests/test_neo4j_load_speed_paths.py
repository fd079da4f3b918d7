"""The Neo4j store's CREATE path for the first load of a kind: a kind the database holds none of
is written by CREATE (no search for an existing relationship), guarded so that a retried batch
is never created twice, a racing write turns it back to MERGE, and a rerun merges.  Checked
against the embedded store's answers and exact counts on a real server."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, Neo4jStore, Pseudonymiser, model
from graphkit.errors import LoaderError, StoreError
from graphkit.stores.neo4j import _relationship_batch

pytestmark = pytest.mark.neo4j
KEY = b"speed-path-key-0123456789"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> loaders.Dataset:
    out = tmp_path_factory.mktemp("gen") / "d"
    loaders.generate(150, 11, out)
    return loaders.read_dataset(out, pseudonymise=Pseudonymiser(KEY))


def _frames(store) -> dict[str, pd.DataFrame]:
    return {**{k.label: store.nodes(k.label) for k in model.NODE_KINDS},
            **{r.type: store.relationships(r.type) for r in model.REL_KINDS}}


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by key, columns by name, missing values as None (the stores' frames differ only in these)."""
    keys = [model.SOURCE_ID, model.TARGET_ID] if model.SOURCE_ID in frame.columns else [model.ID]
    frame = frame.sort_values(keys, ignore_index=True)[sorted(frame.columns)].astype(object)
    return frame.where(frame.notna(), None)


def _meta_keys(store: Neo4jStore) -> set[str]:
    with store._session() as session:
        return {k for r in session.run("MATCH (m:GraphkitMeta) RETURN keys(m) AS keys") for k in r["keys"]}


def _follows(data: loaders.Dataset) -> tuple[str, pd.DataFrame, dict]:
    rel = model.FOLLOWS
    frame = data.relationships[rel.type]
    return rel.type, frame, {"batch": _relationship_batch(frame, rel)}


def test_a_first_load_stores_what_the_embedded_store_stores_and_leaves_no_claim(neo4j_store, data):
    neo4j_store.batch_size = 700  # several CREATE batches per large kind
    summary = neo4j_store.load(data)
    embedded = EmbeddedStore()
    embedded.load(data)
    assert neo4j_store.counts() == embedded.counts() == data.counts()
    assert summary.created == summary.written == data.counts()
    for name, frame in _frames(embedded).items():
        pd.testing.assert_frame_equal(_values(_frames(neo4j_store)[name]), _values(frame), obj=name)
    assert {k for k in _meta_keys(neo4j_store) if k.startswith("create_")} == set()  # claims released


def test_a_rerun_merges_and_changes_no_count(neo4j_store, data):
    neo4j_store.load(data)
    first = _frames(neo4j_store)
    again = neo4j_store.load(data)
    assert neo4j_store.counts() == data.counts()
    assert set(again.created.values()) == {0}
    for name, frame in first.items():
        pd.testing.assert_frame_equal(_frames(neo4j_store)[name], frame, obj=name)


def test_a_load_after_a_partial_first_load_gives_exact_counts(neo4j_store, data):
    # A first load killed part-way leaves a kind non-empty: the next load merges over it.
    neo4j_store.load(data.nodes, {model.FOLLOWS.type: data.relationships[model.FOLLOWS.type].head(123)},
                     key_fingerprint=data.key_fingerprint)
    assert neo4j_store.counts()[model.FOLLOWS.type] == 123
    neo4j_store.load(data)
    assert neo4j_store.counts() == data.counts()


def test_a_retried_batch_that_had_committed_is_merged_not_created_twice(neo4j_store, data):
    neo4j_store.load(data.nodes, {}, key_fingerprint=data.key_fingerprint)
    what, frame, params = _follows(data)
    rel = model.FOLLOWS
    claim = neo4j_store._claim(what, frame, (model.SOURCE_ID, model.TARGET_ID))
    assert claim is not None and claim[1] == 0  # the database holds no FOLLOWS: this write may create
    before_commit = list(claim)
    assert neo4j_store._write_guarded(what, f"merge_{rel.file}", f"create_{rel.file}", claim, params, None) == claim
    # The driver retries the same transaction when a commit's answer is lost: same claim, same batch number.
    assert neo4j_store._write_guarded(what, f"merge_{rel.file}", f"create_{rel.file}", before_commit, params,
                                      None) is None
    assert neo4j_store.counts()[what] == len(frame)
    assert not neo4j_store.relationships(what).duplicated([model.SOURCE_ID, model.TARGET_ID]).any()


def test_a_write_by_another_load_turns_the_create_claim_back_to_merge(neo4j_store, neo4j_uri, data):
    neo4j_store.load(data.nodes, {}, key_fingerprint=data.key_fingerprint)
    what, frame, params = _follows(data)
    rel = model.FOLLOWS
    claim = neo4j_store._claim(what, frame, (model.SOURCE_ID, model.TARGET_ID))
    assert claim is not None
    with Neo4jStore(neo4j_uri) as other:  # merges some of the same rows while the claim is held
        other._write_guarded(what, f"merge_{rel.file}", f"create_{rel.file}", None,
                             {"batch": _relationship_batch(frame.head(50), rel)}, None)
    assert neo4j_store._write_guarded(what, f"merge_{rel.file}", f"create_{rel.file}", claim, params, None) is None
    assert neo4j_store.counts()[what] == len(frame)


def test_a_non_empty_kind_is_never_claimed(neo4j_store, data):
    neo4j_store.load(data.nodes, {}, key_fingerprint=data.key_fingerprint)
    what, frame, _ = _follows(data)
    neo4j_store.upsert_relationships(what, frame.head(1))
    assert neo4j_store._claim(what, frame, (model.SOURCE_ID, model.TARGET_ID)) is None
    assert neo4j_store._claim(model.VIEWER.label, data.nodes[model.VIEWER.label], (model.ID,)) is None


def test_duplicate_rows_in_a_first_write_make_one_relationship(neo4j_store, data):
    neo4j_store.load(data.nodes, {}, key_fingerprint=data.key_fingerprint)
    what, frame, _ = _follows(data)
    doubled = pd.concat([frame.head(40), frame.head(40)], ignore_index=True)
    assert neo4j_store.upsert_relationships(what, doubled) == 80
    assert neo4j_store.counts()[what] == 40


def test_a_streamed_first_load_in_many_chunks_gives_exact_counts(neo4j_store, data, tmp_path):
    out = tmp_path / "d"
    loaders.generate(150, 11, out)
    neo4j_store.batch_size = 500
    streamed = loaders.stream_dataset(out, pseudonymise=Pseudonymiser(KEY), chunk_bytes=20_000)
    neo4j_store.load(streamed)
    assert neo4j_store.counts() == data.counts()
    neo4j_store.load(loaders.stream_dataset(out, pseudonymise=Pseudonymiser(KEY)))
    assert neo4j_store.counts() == data.counts()


def test_a_file_changed_after_validation_stops_a_neo4j_load_at_that_file(neo4j_store, tmp_path):
    out = tmp_path / "d"
    loaders.generate(60, 5, out)
    streamed = loaders.stream_dataset(out, pseudonymise=Pseudonymiser(KEY), chunk_bytes=4096)
    engagements = out / "engages_with.csv"
    engagements.write_text(engagements.read_text() + engagements.read_text().splitlines()[1] + "\n")
    with pytest.raises(LoaderError, match="engages_with.csv: changed after it was validated"):
        neo4j_store.load(streamed)
    counts = neo4j_store.counts()
    # The kinds before it were written (a rerun of the load completes it); none of it or after it.
    assert counts["Creator"] == 60 and counts["ENGAGES_WITH"] == 0 and counts["INTERESTED_IN"] == 0
    assert not [t for t in threading.enumerate() if t.name == "graphkit-read-ahead"]


def test_relationship_rows_in_any_order_are_stored_as_the_embedded_store_stores_them(neo4j_store, data):
    # A batch matches each run of one source once; shuffled rows make many short, repeated runs.
    shuffled = {rel: frame.sample(frac=1, random_state=3).reset_index(drop=True)
                for rel, frame in data.relationships.items()}
    neo4j_store.batch_size = 300
    neo4j_store.load(data.nodes, shuffled, key_fingerprint=data.key_fingerprint)
    neo4j_store.load(data.nodes, shuffled, key_fingerprint=data.key_fingerprint)  # the MERGE path
    embedded = EmbeddedStore()
    embedded.load(data)
    got, want = _frames(neo4j_store), _frames(embedded)
    for name in data.relationships:
        pd.testing.assert_frame_equal(_values(got[name]), _values(want[name]), check_dtype=False, obj=name)


@pytest.mark.parametrize("first", [True, False], ids=["create", "merge"])
def test_a_row_whose_end_is_not_a_node_refuses_its_whole_batch(neo4j_store, data, first):
    rel = model.FOLLOWS
    rows = data.relationships[rel.type].sort_values(model.SOURCE_ID, ignore_index=True)
    neo4j_store.load(data.nodes, {} if first else {rel.type: rows.tail(10)}, key_fingerprint=data.key_fingerprint)
    before = neo4j_store.counts()[rel.type]
    bad = rows.head(20).copy()
    bad.loc[7, model.SOURCE_ID] = "no-such-viewer"  # inside a run of one source or its own
    with pytest.raises(StoreError, match=r"FOLLOWS: 1 of 20 rows in a batch name a source_id or target_id"):
        neo4j_store.load({}, {rel.type: bad}, key_fingerprint=data.key_fingerprint)
    assert neo4j_store.counts()[rel.type] == before
