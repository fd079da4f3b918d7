"""What only the embedded store does: save and reopen, and named queries refused (the behaviours
every store shares are in tests/test_store_contract.py; its life on disk in tests/test_store_lifecycle.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, StoreError, model
from graphkit.errors import LoaderError, QueryError


@pytest.fixture
def loaded(valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    store = EmbeddedStore()
    store.load(data)
    return store, data


def _snapshot(store):
    frames = {**{k.label: store.nodes(k.label) for k in model.NODE_KINDS},
              **{r.type: store.relationships(r.type) for r in model.REL_KINDS}}
    return {k: f.to_json(orient="records") for k, f in frames.items()}


def test_save_and_reopen_round_trip(loaded, tmp_path):
    store, _ = loaded
    store.write_results(pd.DataFrame({"kind": ["Creator"], "id": ["c1"], "community": [3]}))
    store.key_fingerprint = "abc"
    store.save(tmp_path / "s")
    again = EmbeddedStore.open(tmp_path / "s")
    assert _snapshot(again) == _snapshot(store)
    assert again.key_fingerprint == "abc"
    assert again.nodes("Creator").loc[0, "income_streams"] == ["advertising", "revenue_sharing"]
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["counts"] == store.counts() and "key" not in json.dumps(manifest).replace("key_fingerprint", "")


def test_reopening_a_damaged_or_foreign_folder_fails_clearly(loaded, tmp_path):
    store, _ = loaded
    with pytest.raises(StoreError, match="not a saved graphkit store"):
        EmbeddedStore.open(tmp_path)
    store.save(tmp_path / "s")
    (tmp_path / "s" / "relationships" / "FOLLOWS.parquet").write_bytes(b"junk")
    with pytest.raises(StoreError, match="cannot read"):
        EmbeddedStore.open(tmp_path / "s")


def test_named_queries_run_on_the_embedded_store(valid_dataset, pseudonymiser):
    store = EmbeddedStore()
    store.load(loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser))
    top = store.query("top_creators_in_topic", topic="t0", limit="10")  # t1 is a subtopic of t0
    assert top[["id", "views", "videos"]].values.tolist() == [["c1", 50000, 12], ["c2", 0, 0]]
    with pytest.raises(QueryError, match="^no Topic with id 't9'$"):
        store.query("top_creators_in_topic", topic="t9", limit=1)


def _frames(store):
    return {**{k.label: store.nodes(k.label) for k in model.NODE_KINDS},
            **{r.type: store.relationships(r.type) for r in model.REL_KINDS}}


@pytest.mark.parametrize("which", ["valid", "generated"])
def test_a_loaded_store_equals_the_same_store_reopened_dtypes_and_all(which, request, tmp_path, pseudonymiser):
    folder = request.getfixturevalue("valid_dataset" if which == "valid" else "generated")
    streamed, whole = EmbeddedStore(tmp_path / "streamed"), EmbeddedStore(tmp_path / "whole")
    # Small chunks: each kind is joined from many, as in a large load.
    streamed.load(loaders.stream_dataset(folder, pseudonymise=pseudonymiser, chunk_bytes=8192))
    whole.load(loaders.read_dataset(folder, pseudonymise=pseudonymiser))
    streamed.save()
    whole.save()
    reopened = _frames(EmbeddedStore.open(tmp_path / "streamed"))
    for store in (streamed, whole):
        for name, frame in _frames(store).items():
            pd.testing.assert_frame_equal(frame, reopened[name], obj=name)  # dtypes included
    text = [c for c, t in reopened["ENGAGES_WITH"].dtypes.items() if t == "str"]
    assert text == ["source_id", "target_id"]  # text is Arrow-backed, not Python objects
    assert reopened["Creator"].dtypes.astype(str).to_dict() == {
        "id": "str", "name": "str", "followers": "Int64", "joined": "str", "region": "str",
        "income_streams": "object", "videos": "int64", "views": "int64", "active": "bool", "primary_topic": "str",
        "has_income": "bool"}


def test_an_empty_store_equals_itself_reopened(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    store.save()
    reopened = _frames(EmbeddedStore.open(tmp_path / "s"))
    for name, frame in _frames(store).items():
        pd.testing.assert_frame_equal(frame, reopened[name], obj=name)


def test_a_load_that_fails_part_way_leaves_the_store_as_it_was(valid_dataset, pseudonymiser):
    store = EmbeddedStore()
    store.load(loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser))
    before, fingerprint, generated = _snapshot(store), store.key_fingerprint, store.generated
    (valid_dataset / "topics.csv").write_text("id,name,level\nt0,Science,0\nt1,Physics,1\nt2,Chemistry,1\n")
    data = loaders.stream_dataset(valid_dataset, pseudonymise=pseudonymiser)
    with (valid_dataset / "follows.csv").open("a") as f:  # changed after validation: its second pass refuses it
        f.write("raw-viewer-2,c2,2024-02-03\n")
    with pytest.raises(LoaderError, match="changed after it was validated"):
        store.load(data)  # the new topic was written before the error
    assert _snapshot(store) == before
    assert (store.key_fingerprint, store.generated) == (fingerprint, generated)


@pytest.mark.parametrize("first", [True, False], ids=["into an empty kind", "over rows already held"])
def test_a_write_repeating_a_key_is_refused_and_changes_nothing(loaded, first):
    store, _ = loaded
    if first:
        store = EmbeddedStore()
        store.upsert_nodes("Creator", pd.DataFrame({"id": ["c1", "c2"]}))
        store.upsert_nodes("Topic", pd.DataFrame({"id": ["t1", "t2"]}))
    (c1, c2), (t1, t2) = store.nodes("Creator")["id"][:2], store.nodes("Topic")["id"][:2]
    before = _snapshot(store)
    repeated = pd.DataFrame({"source_id": [c1, c2, c1], "target_id": [t1, t1, t1]})
    with pytest.raises(StoreError, match="duplicate keys in one write"):
        store.upsert_relationships("PUBLISHES_ON", repeated)
    assert _snapshot(store) == before
    # the same ends in other pairs are no repeat: (c1, t2) differs from (c1, t1) and (c2, t1)
    store.upsert_relationships("PUBLISHES_ON", repeated.assign(target_id=[t1, t1, t2]))


def test_a_store_saved_a_row_group_at_a_time_reopens_equal(generated_store_rows, tmp_path, monkeypatch):
    import graphkit.stores.embedded as embedded

    store = generated_store_rows
    monkeypatch.setattr(embedded, "_SAVE_ROWS", 7)  # every kind of the generated data spans many groups
    store.save(tmp_path / "s")
    again = EmbeddedStore.open(tmp_path / "s")
    for label in [k.label for k in model.NODE_KINDS]:
        pd.testing.assert_frame_equal(again.nodes(label), store.nodes(label))
    for rel in [r.type for r in model.REL_KINDS]:
        pd.testing.assert_frame_equal(again.relationships(rel), store.relationships(rel))


@pytest.fixture
def generated_store_rows(tmp_path, pseudonymiser):
    loaders.generate(30, seed=3, out=tmp_path / "data")
    store = EmbeddedStore()
    store.load(loaders.stream_dataset(tmp_path / "data", pseudonymise=pseudonymiser))
    return store


@pytest.mark.parametrize("rows_per_chunk", [7, 1000])
def test_derived_properties_summed_chunk_by_chunk_are_those_of_the_whole(generated, pseudonymiser, rows_per_chunk):
    """The bulk import's files derive creator properties from PUBLISHES_ON chunks as they come."""
    from graphkit.derive import Activity, creator_activity

    data = loaders.read_dataset(generated, pseudonymise=pseudonymiser)
    creators, publishes = data.nodes["Creator"], data.relationships["PUBLISHES_ON"].sample(frac=1, random_state=3)
    activity = Activity()
    for start in range(0, len(publishes), rows_per_chunk):
        activity.add(publishes.iloc[start:start + rows_per_chunk])
    whole = creator_activity(creators, publishes)
    assert whole["active"].any() and not whole["active"].all()  # both kinds of creator are there
    pd.testing.assert_frame_equal(activity.of(creators["id"]), whole.drop(columns="has_income"))
