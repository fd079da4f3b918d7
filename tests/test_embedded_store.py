"""The embedded store: upserts, idempotent loads, projection, write-back, save and reopen."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, StoreError, model


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


def test_loading_twice_changes_nothing(loaded):
    store, data = loaded
    before = _snapshot(store)
    store.load(data)
    assert _snapshot(store) == before


def test_upsert_updates_properties_in_place(loaded):
    store, _ = loaded
    store.upsert_nodes("Topic", pd.DataFrame({"id": ["t1", "t2"], "name": ["Physics!", "Chemistry"], "level": [1, 1]}))
    topics = store.nodes("Topic").set_index("id")
    assert topics.loc["t1", "name"] == "Physics!" and topics.loc["t2", "name"] == "Chemistry"
    assert store.counts()["Topic"] == 3


def test_relationship_to_a_missing_node_is_refused(loaded):
    store, _ = loaded
    with pytest.raises(StoreError, match="not Topic nodes"):
        store.upsert_relationships("PUBLISHES_ON", pd.DataFrame(
            {"source_id": ["c1"], "target_id": ["nope"], "videos": [1], "views": [1]}))


def test_derived_creator_properties(loaded):
    store, _ = loaded
    creators = store.nodes("Creator").set_index("id")
    assert creators.loc["c1", "active"] and not creators.loc["c2", "active"]  # c2 has 0 videos
    assert creators.loc["c1", "primary_topic"] == "t1" and pd.isna(creators.loc["c2", "primary_topic"])
    assert creators.loc["c1", "has_income"] and not creators.loc["c2", "has_income"]


def test_projection_chooses_kinds_and_weights(loaded):
    store, _ = loaded
    g = store.project(nodes=["Creator", "Topic"], weight={"PUBLISHES_ON": "videos"})
    assert set(g.kinds) == {"Creator", "Topic"} and g.number_of_nodes() == 4
    assert sorted(set(g.rel_types)) == ["COLLABORATES_WITH", "PUBLISHES_ON", "SUBTOPIC_OF"]
    view = g.to_networkx()
    assert view["Creator:c1"]["Topic:t1"]["weight"] == 12.0
    assert view["Creator:c1"]["Creator:c2"]["weight"] == 1.0
    with pytest.raises(StoreError, match="project those node kinds too"):
        store.project(nodes=["Creator"], relationships=["PUBLISHES_ON"])
    with pytest.raises(StoreError, match="unknown node kind"):
        store.project(nodes=["Video"])


def test_parallel_relationships_sum_in_the_undirected_view(loaded, pseudonymiser):
    store, _ = loaded
    g = store.project(nodes=["Viewer", "Creator"], relationships=["FOLLOWS", "ENGAGES_WITH"],
                      weight=model.ANALYSIS_WEIGHTS)
    viewer = f"Viewer:{pseudonymiser.one('raw-viewer-1')}"
    assert g.to_networkx()[viewer]["Creator:c1"]["weight"] == 1.0 + 5.0


def test_directed_projection_keeps_direction(loaded):
    store, _ = loaded
    g = store.project(nodes=["Topic"], directed=True)
    assert list(g.to_networkx().edges) == [("Topic:t1", "Topic:t0")]


def test_write_results_adds_only_model_properties(loaded):
    store, _ = loaded
    frame = pd.DataFrame({"kind": ["Creator", "Topic"], "id": ["c1", "t1"], "pagerank": [0.5, 0.25]})
    assert store.write_results(frame) == 2
    assert store.nodes("Creator").set_index("id").loc["c1", "pagerank"] == 0.5
    assert np.isnan(store.nodes("Creator").set_index("id").loc["c2", "pagerank"])
    with pytest.raises(StoreError, match="not analysis properties"):
        store.write_results(frame.assign(name="x"))


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


def test_a_store_refuses_a_second_pseudonym_key(valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    store = EmbeddedStore()
    store.load(data.nodes, data.relationships, key_fingerprint="aaaa")
    store.check_key("aaaa")
    assert store.key_fingerprint == "aaaa"
    with pytest.raises(StoreError, match="different pseudonym key"):
        store.load(data.nodes, data.relationships, key_fingerprint="bbbb")


def test_named_queries_need_neo4j():
    with pytest.raises(StoreError, match="Neo4j store only"):
        EmbeddedStore().query("top_creators_in_topic", topic="t1")
