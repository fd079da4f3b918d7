"""What every Store does, run against each implementation through the ``store`` fixture
(tests/conftest.py: the embedded store, then the Neo4j test server): upserts, idempotent
loads, derived properties, projection, write-back, the pseudonym key, counts and read-back.

Where the stores differ by design, each branch asserts that store's documented behaviour.
What only one store has lives in tests/test_embedded_store.py and tests/test_neo4j_store.py.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import graphkit
import loaders
from graphkit import EmbeddedStore, Pseudonymiser, StoreError, model

OTHER_KEY = Pseudonymiser(b"another-key-0123456789")


@pytest.fixture
def loaded(store, valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    store.load(data)
    return store, data


def _snapshot(store) -> dict[str, str]:
    frames = {**{k.label: store.nodes(k.label) for k in model.NODE_KINDS},
              **{r.type: store.relationships(r.type) for r in model.REL_KINDS}}
    return {k: f.to_json(orient="records") for k, f in frames.items()}


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame[model.SOURCE_ID], frame[model.TARGET_ID]))


def test_an_empty_store_counts_zero_of_every_kind_and_reads_back_the_models_columns(store):
    assert store.counts() == {**{k.label: 0 for k in model.NODE_KINDS}, **{r.type: 0 for r in model.REL_KINDS}}
    for kind in model.NODE_KINDS:
        frame = store.nodes(kind.label)
        assert frame.empty and tuple(frame.columns[:len(kind.columns)]) == kind.columns
        assert store.node_ids(kind.label) == set()
    for rel in model.REL_KINDS:
        frame = store.relationships(rel.type)
        assert frame.empty and tuple(frame.columns[:len(rel.columns)]) == rel.columns


def test_counts_ids_and_frames_read_back_what_was_loaded_with_the_models_columns(loaded):
    store, data = loaded
    counts = store.counts()
    for kind in model.NODE_KINDS:
        frame, ids = store.nodes(kind.label), set(data.nodes[kind.label][model.ID])
        assert counts[kind.label] == len(frame) == len(ids)
        assert set(frame[model.ID]) == store.node_ids(kind.label) == ids
        assert tuple(frame.columns[:len(kind.columns)]) == kind.columns
    for rel in model.REL_KINDS:
        frame = store.relationships(rel.type)
        assert counts[rel.type] == len(frame) == len(data.relationships[rel.type])
        assert _pairs(frame) == _pairs(data.relationships[rel.type])
        assert tuple(frame.columns[:len(rel.columns)]) == rel.columns
    engages = store.relationships("ENGAGES_WITH").set_index(model.TARGET_ID)
    assert engages.loc["c1", "watch_seconds"] == 130.5 and pd.isna(engages.loc["c2", "likes"])
    assert sorted(store.nodes("Creator").set_index(model.ID).loc["c1", "income_streams"]) == [
        "advertising", "revenue_sharing"]


def test_loading_twice_changes_nothing(loaded):
    store, data = loaded
    before = _snapshot(store)
    store.load(data)
    assert _snapshot(store) == before


def test_the_load_summary_counts_rows_written_and_created_and_where_it_can_rows_changed(
        store, valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    rows = data.counts()
    first = store.load(data)
    assert first.written == first.created == rows and first.counts == store.counts()
    second = store.load(data)
    assert second.written == rows and not any(second.created.values()) and second.counts == first.counts
    if isinstance(store, EmbeddedStore):  # it compares values, so it can say nothing changed
        assert second.changed == {k: 0 for k in rows} and second.unchanged
        assert second.describe() == (f"nothing changed: all {sum(rows.values())} rows were already in the store, "
                                     "unchanged")
        renamed = {**data.nodes, "Topic": data.nodes["Topic"].assign(name=["Science", "Physics!"])}
        third = store.load(renamed, data.relationships, key_fingerprint=pseudonymiser.fingerprint)
        assert third.changed == {**{k: 0 for k in rows}, "Topic": 1} and not third.unchanged
    else:  # Neo4j's MERGE cannot tell an update from a rewrite: changed is None
        assert second.changed is None and not second.unchanged
        assert second.describe() == (f"nothing new: all {sum(rows.values())} rows were already in the store "
                                     "(their properties written again)")


def test_upsert_updates_properties_in_place_and_keeps_derived_and_analysis_properties(loaded):
    store, _ = loaded
    store.upsert_nodes("Topic", pd.DataFrame({"id": ["t1", "t2"], "name": ["Physics!", "Chemistry"], "level": [1, 1]}))
    topics = store.nodes("Topic").set_index("id")
    assert topics.loc["t1", "name"] == "Physics!" and topics.loc["t2", "name"] == "Chemistry"
    assert store.counts()["Topic"] == 3
    store.write_results(pd.DataFrame({"kind": ["Creator"], "id": ["c1"], "pagerank": [0.5]}))
    creators = store.nodes("Creator")
    store.upsert_nodes("Creator", creators[creators["id"] == "c1"][list(model.CREATOR.columns)].assign(name="Renamed"))
    c1 = store.nodes("Creator").set_index("id").loc["c1"]
    assert c1["name"] == "Renamed" and c1["pagerank"] == 0.5 and c1["active"] and c1["primary_topic"] == "t1"


def test_a_relationship_to_a_missing_node_is_refused_and_never_stored(loaded):
    """Both stores refuse it with a StoreError naming the type; the loaders refuse such a row earlier still."""
    store, _ = loaded
    before = store.counts()
    frame = pd.DataFrame({"source_id": ["c1", "c2"], "target_id": ["t1", "nope"], "videos": [1, 1], "views": [1, 1]})
    with pytest.raises(StoreError, match="PUBLISHES_ON|not Topic nodes"):
        store.upsert_relationships("PUBLISHES_ON", frame)
    assert store.counts() == before and ("c2", "nope") not in _pairs(store.relationships("PUBLISHES_ON"))
    publishes = store.relationships("PUBLISHES_ON").set_index(["source_id", "target_id"])
    assert publishes.loc[("c1", "t1"), "videos"] == 12  # the good row of the refused batch was not written either


def test_binding_another_key_is_refused_and_keeps_the_first(loaded):
    store, data = loaded
    with pytest.raises(StoreError, match="different pseudonym key"):
        store.bind_key("e" * 16)
    store.check_key(data.key_fingerprint)  # still the first one
    store.bind_key(data.key_fingerprint)  # binding the same key again is fine


def test_derived_creator_properties(loaded):
    store, _ = loaded
    creators = store.nodes("Creator").set_index("id")
    assert {p.name for p in model.DERIVED_PROPERTIES} <= set(creators.columns)
    assert creators.loc["c1", "videos"] == 12 and creators.loc["c1", "views"] == 50000
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
                      weight={"ENGAGES_WITH": "views"})
    viewer = f"Viewer:{pseudonymiser.one('raw-viewer-1')}"
    assert g.to_networkx()[viewer]["Creator:c1"]["weight"] == 1.0 + 5.0


def test_a_viewer_who_follows_and_watched_five_videos_gets_the_documented_tie_weight(loaded, pseudonymiser):
    # One follow (1) and five views (log2(1 + 5)) of the same creator, on every graph that takes them.
    store, _ = loaded
    viewer = f"Viewer:{pseudonymiser.one('raw-viewer-1')}"
    for name in ("audience", "reach", "whole"):
        g = store.analysis_graph(name)
        assert g.spec is not None and g.spec.name == name
        view = g.undirected().to_networkx()
        assert view[viewer]["Creator:c1"]["weight"] == pytest.approx(1.0 + math.log2(6.0)), name
    audience = store.analysis_graph("audience")
    assert audience.directed and audience.to_networkx().has_edge(viewer, "Creator:c1")
    assert not audience.to_networkx().has_edge("Creator:c1", viewer)
    # Viewers are not in the knowledge or collaboration graphs at all.
    for name in ("knowledge", "collaboration"):
        assert "Viewer" not in set(store.analysis_graph(name).kinds)


def test_provenance_names_the_analysis_graph_and_its_formulas(loaded):
    store, _ = loaded
    result = graphkit.pagerank(store.analysis_graph("audience"))
    assert result.provenance.graph["name"] == "audience"
    assert result.provenance.graph["weights"] == {"FOLLOWS": "1", "ENGAGES_WITH": "log2(1 + views)"}
    assert result.provenance.graph["directed"] is True
    assert "summed" in result.provenance.graph["parallel"]
    assert graphkit.pagerank(store.project()).provenance.graph is None


def test_raw_projection_refuses_tie_weights_with_a_pointer_to_analysis_graph(loaded):
    store, _ = loaded
    with pytest.raises(graphkit.StoreError, match="analysis_graph"):
        store.project(weight=model.ANALYSIS_WEIGHTS)


def test_directed_projection_keeps_direction(loaded):
    store, _ = loaded
    g = store.project(nodes=["Topic"], directed=True)
    assert list(g.to_networkx().edges) == [("Topic:t1", "Topic:t0")]


def test_write_results_adds_only_analysis_properties_and_keeps_other_nodes_scores(loaded):
    store, _ = loaded
    frame = pd.DataFrame({"kind": ["Creator", "Topic"], "id": ["c1", "t1"], "pagerank": [0.5, 0.25]})
    assert store.write_results(frame) == 2
    creators = store.nodes("Creator").set_index("id")
    assert creators.loc["c1", "pagerank"] == 0.5 and pd.isna(creators.loc["c2", "pagerank"])
    assert store.nodes("Topic").set_index("id").loc["t1", "pagerank"] == 0.25
    store.write_results(pd.DataFrame({"kind": ["Creator"], "id": ["c2"], "pagerank": [0.125]}))
    assert store.nodes("Creator").set_index("id")["pagerank"].to_dict() == {"c1": 0.5, "c2": 0.125}
    before = _snapshot(store)
    with pytest.raises(StoreError, match="not analysis properties"):
        store.write_results(frame.assign(name="x"))
    with pytest.raises(StoreError, match="needs the columns 'kind' and 'id'"):
        store.write_results(frame.drop(columns="kind"))
    assert _snapshot(store) == before


def test_a_load_with_another_pseudonym_key_is_refused_and_changes_nothing(loaded, valid_dataset, pseudonymiser):
    store, _ = loaded
    store.check_key(pseudonymiser.fingerprint)
    with pytest.raises(StoreError, match="different pseudonym key"):
        store.check_key(OTHER_KEY.fingerprint)
    before = _snapshot(store)
    with pytest.raises(StoreError, match="different pseudonym key"):
        store.load(loaders.read_dataset(valid_dataset, pseudonymise=OTHER_KEY))
    assert _snapshot(store) == before
    store.check_key(pseudonymiser.fingerprint)  # the first key is still the bound one


def test_viewer_rows_without_a_key_fingerprint_are_refused_before_anything_is_written(
        store, valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    with pytest.raises(StoreError, match="viewer rows need the fingerprint"):
        store.load(data.nodes, data.relationships)
    assert not any(store.counts().values())


def test_viewers_stored_without_a_fingerprint_refuse_a_keyed_load_until_the_key_is_bound(
        store, valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    store.upsert_nodes("Viewer", data.nodes["Viewer"])
    with pytest.raises(StoreError, match=r"2 viewers but no pseudonym key fingerprint.*bind_key"):
        store.load(data)
    assert store.counts()["Creator"] == 0
    store.bind_key(pseudonymiser.fingerprint)  # the documented recovery
    assert store.load(data).counts == data.counts()


def test_analysis_graphs_cut_from_one_projection_equal_their_own_projections(loaded):
    store, _ = loaded
    names = list(model.ANALYSIS_GRAPHS)
    together = store.analysis_graphs(names)
    for name in names:
        alone, cut = store.analysis_graph(name), together[name]
        assert cut.spec == alone.spec and cut.directed == alone.directed
        assert list(cut.keys) == list(alone.keys), name
        a = sorted(zip(alone.keys[alone.source], alone.keys[alone.target], alone.rel_types, alone.weight))
        b = sorted(zip(cut.keys[cut.source], cut.keys[cut.target], cut.rel_types, cut.weight))
        assert a == b, name


def test_a_store_loaded_from_generated_data_remembers_it_for_the_report(store, tmp_path):
    folder = tmp_path / "gen"
    loaders.generate(20, 1, folder)
    assert store.generated is None
    store.load(loaders.read_dataset(folder, pseudonymise=Pseudonymiser(b"generated-key-0123456789")))
    assert store.generated is not None and store.generated["scale"] == 20 and store.generated["seed"] == 1
    if isinstance(store, EmbeddedStore):  # it survives a save and a reopen
        store.save(tmp_path / "saved")
        assert EmbeddedStore.open(tmp_path / "saved").generated == store.generated
    paths = graphkit.report(store, tmp_path / "r", resamples=50)
    assert "Synthetic data" in paths["html"].read_text(encoding="utf-8")


def test_a_store_loaded_from_collected_data_is_not_marked_generated(loaded):
    store, _ = loaded
    assert store.generated is None
