"""Projections carry the node properties a user colours or filters by, and the networkx view
puts them on its nodes, with each edge's relationship type; both stores give the same."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, Graph, model
from graphkit.graph import NODE_ATTRIBUTES, attribute_names


@pytest.fixture
def loaded(store, valid_dataset, pseudonymiser):
    store.load(loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser))
    return store


def test_nodes_carry_the_properties_of_their_kind(loaded, pseudonymiser):
    view = loaded.analysis_graph("whole").to_networkx()
    viewer = f"Viewer:{pseudonymiser.one('raw-viewer-1')}"
    # Hand-read from tests/conftest.py VALID (primary_topic and has_income derived at load).
    assert view.nodes["Creator:c1"] == {"kind": "Creator", "id": "c1", "name": "Physics Lab", "followers": 4000000,
                                        "primary_topic": "t1", "has_income": True}
    assert view.nodes["Creator:c2"] == {"kind": "Creator", "id": "c2", "name": "Dr. 李", "followers": 1200,
                                        "has_income": False}  # no video, so no primary topic
    assert view.nodes["Institution:i1"] == {"kind": "Institution", "id": "i1", "name": "Institute of Physics",
                                            "category": "research_institute", "followers": 4000000}
    assert view.nodes["Topic:t0"] == {"kind": "Topic", "id": "t0", "name": "Science", "level": 0}
    assert view.nodes[viewer] == {"kind": "Viewer", "id": pseudonymiser.one("raw-viewer-1"), "age_band": "60_plus",
                                  "region_type": "rural"}
    assert type(view.nodes["Creator:c1"]["followers"]) is int and type(view.nodes["Creator:c1"]["has_income"]) is bool


def test_edges_carry_their_type_and_merged_types_are_joined_with_the_summed_weight(loaded, pseudonymiser):
    view = loaded.analysis_graph("whole").to_networkx()
    viewer = f"Viewer:{pseudonymiser.one('raw-viewer-1')}"
    # A follow (1) and five views (log2(1 + 5)) of c1: one edge, both types, the tie weights summed.
    assert view.edges[viewer, "Creator:c1"]["type"] == "ENGAGES_WITH;FOLLOWS"
    assert view.edges[viewer, "Creator:c1"]["weight"] == pytest.approx(1.0 + math.log2(6.0))
    assert view.edges["Creator:c1", "Institution:i1"] == {"weight": 2.0, "type": "AFFILIATED_WITH;PARTNERS_WITH"}
    assert view.edges["Topic:t1", "Topic:t0"] == {"weight": 1.0, "type": "SUBTOPIC_OF"}
    audience = loaded.analysis_graph("audience").to_networkx()
    other = f"Viewer:{pseudonymiser.one('raw-viewer-2')}"
    assert audience.edges[other, "Creator:c2"]["type"] == "ENGAGES_WITH"


def test_written_back_results_become_attributes_with_their_types(loaded):
    frame = pd.DataFrame({"kind": ["Creator", "Topic"], "id": ["c1", "t1"], "community": [3, 0],
                          "pagerank": [0.25, 0.125]})
    loaded.write_results(frame)
    g = loaded.analysis_graph("whole")
    assert "community" in g.attributes.columns and "hub" not in g.attributes.columns  # never written: left out
    view = g.to_networkx()
    assert view.nodes["Creator:c1"]["community"] == 3 and type(view.nodes["Creator:c1"]["community"]) is int
    assert view.nodes["Topic:t1"]["pagerank"] == 0.125
    assert "community" not in view.nodes["Creator:c2"]


def test_attributes_are_aligned_with_the_nodes_by_position(loaded):
    g = loaded.project(nodes=["Topic", "Creator"])
    assert len(g.attributes) == g.number_of_nodes()
    names = dict(zip(g.keys, g.attributes["name"]))
    assert names == {"Creator:c1": "Physics Lab", "Creator:c2": "Dr. 李", "Topic:t0": "Science", "Topic:t1": "Physics"}


def test_attributes_follow_their_node_when_the_store_holds_ids_out_of_order():
    store = EmbeddedStore()
    store.upsert_nodes("Topic", pd.DataFrame({"id": ["t9", "t1", "t5"], "name": ["Nine", "One", "Five"],
                                              "level": [2, 0, 1]}))
    g = store.project()
    assert list(g.ids) == ["t1", "t5", "t9"]
    assert list(g.attributes["name"]) == ["One", "Five", "Nine"] and list(g.attributes["level"]) == [0, 1, 2]


def test_the_attribute_columns_have_the_same_dtypes_whatever_the_kinds(loaded):
    g = loaded.analysis_graph("whole")
    dtypes = {c: str(t) for c, t in g.attributes.dtypes.items()}
    assert dtypes == {"name": "str", "followers": "Int64", "primary_topic": "str", "has_income": "boolean",
                      "category": "category", "level": "Int64", "age_band": "category", "region_type": "category"}


@pytest.mark.neo4j
def test_both_stores_give_equal_attribute_frames(neo4j_store, valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    embedded = EmbeddedStore()
    results = pd.DataFrame({"kind": ["Creator", "Viewer"], "id": ["c2", pseudonymiser.one("raw-viewer-2")],
                            "core_number": [1, 2], "betweenness": [0.5, 0.0]})
    for s in (embedded, neo4j_store):
        s.load(data)
        s.write_results(results)
    for name in model.ANALYSIS_GRAPHS:
        ours, theirs = embedded.analysis_graph(name), neo4j_store.analysis_graph(name)
        pd.testing.assert_frame_equal(ours.attributes, theirs.attributes, check_exact=True)
        assert list(ours.merged_types()) == list(theirs.merged_types()), name
        assert dict(ours.to_networkx().nodes(data=True)) == dict(theirs.to_networkx().nodes(data=True)), name


def test_graphs_cut_from_one_projection_carry_the_attributes_of_their_own_projections(loaded):
    loaded.write_results(pd.DataFrame({"kind": ["Viewer"], "id": [loaded.nodes("Viewer")["id"].iloc[0]],
                                       "community": [4]}))  # a column only viewers have
    cut = loaded.analysis_graphs(list(model.ANALYSIS_GRAPHS))
    for name in model.ANALYSIS_GRAPHS:
        pd.testing.assert_frame_equal(cut[name].attributes, loaded.analysis_graph(name).attributes, check_exact=True)


def test_the_neo4j_projection_statements_return_the_attribute_columns_in_order():
    from graphkit.cypher import load_query

    for kind in model.NODE_KINDS:
        text = load_query(f"project_{kind.file}").text
        returned = [part.split(" AS ")[1].strip() for part in text.split("RETURN", 1)[1].split(",")]
        assert returned == [model.ID, *attribute_names(kind.label)], kind.label
    assert set(NODE_ATTRIBUTES) == {k.label for k in model.NODE_KINDS}


def _types_by_networkx(g: Graph) -> dict[tuple[int, int], str]:
    """Each merged pair's types, collected independently through a networkx multigraph."""
    multi = nx.MultiDiGraph() if g.directed else nx.MultiGraph()
    multi.add_edges_from((int(s), int(t), {"type": r}) for s, t, r in zip(g.source, g.target, g.rel_types))
    out = {}
    for u, v in set(multi.edges()):
        pair = (u, v) if g.directed else (min(u, v), max(u, v))
        out[pair] = ";".join(sorted({d["type"] for d in multi.get_edge_data(u, v).values()}))
    return out


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("types", [4, 70])  # 70: more than the bit mask holds, so the pandas path
def test_merged_types_match_a_networkx_multigraph(directed, types):
    rng = np.random.default_rng(5)
    n, m = 40, 600
    g = Graph(np.array([f"n{i}" for i in range(n)], dtype=object), np.full(n, "Creator", dtype=object),
              rng.integers(0, n, m), rng.integers(0, n, m), np.ones(m),
              np.array([f"T{k:02d}" for k in rng.integers(0, types, m)], dtype=object), directed=directed)
    s, t, _ = g.merged_edges()
    got = dict(zip(zip(s.tolist(), t.tolist()), g.merged_types().tolist()))
    assert got == _types_by_networkx(g)
    assert any(";" in v for v in got.values())  # the test holds merged pairs


def test_a_graph_without_attributes_still_gives_kind_and_id():
    g = Graph(np.array(["a", "b"], dtype=object), np.array(["Topic", "Topic"], dtype=object), np.array([0]),
              np.array([1]), np.array([1.0]), np.array(["SUBTOPIC_OF"], dtype=object))
    assert g.attributes is None
    assert dict(g.to_networkx().nodes(data=True)) == {"Topic:a": {"kind": "Topic", "id": "a"},
                                                      "Topic:b": {"kind": "Topic", "id": "b"}}


def test_the_attributed_view_writes_to_graphml_and_gexf_and_reads_back(loaded, tmp_path):
    view = loaded.analysis_graph("whole").to_networkx()
    nx.write_graphml(view, tmp_path / "g.graphml")
    nx.write_gexf(view, tmp_path / "g.gexf")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.nodes["Creator:c1"]["name"] == "Physics Lab" and back.nodes["Creator:c1"]["followers"] == 4000000
    assert back.edges["Creator:c1", "Institution:i1"]["type"] == "AFFILIATED_WITH;PARTNERS_WITH"
    # networkx's GEXF writer takes the node's ``id`` attribute as its GEXF id: find the node by name.
    levels = {d["name"]: d["level"] for _, d in nx.read_gexf(tmp_path / "g.gexf").nodes(data=True) if "level" in d}
    assert levels == {"Science": 0, "Physics": 1}
