"""Connectivity and cohesion on both engines: bridges, articulation points, clustering and
transitivity, density, reach between node kinds, bipartite projections."""

from __future__ import annotations

import igraph
import networkx as nx
import numpy as np
import pytest

import loaders
from graphkit import (
    AnalysisError,
    ArgumentError,
    EmbeddedStore,
    Pseudonymiser,
    articulation_points,
    bipartite_projection,
    bridges,
    clustering,
    components,
    model,
    reach,
)
from graphkit.analysis import REACH_RELATIONSHIPS

ENGINES = ["networkit", "networkx"]


@pytest.fixture(scope="module")
def generated_store(generated) -> EmbeddedStore:
    data = loaders.read_dataset(generated, pseudonymise=Pseudonymiser(b"analysis-test-key"))
    store = EmbeddedStore()
    store.load(data)
    return store


@pytest.fixture(scope="module")
def generated_graph(generated_store):
    return generated_store.analysis_graph("whole")


def _tree_of_blocks() -> nx.Graph:
    G = nx.barbell_graph(5, 3)  # two cliques joined by a path: bridges and cut nodes
    G.add_edges_from([(20, 21), (21, 22), (22, 20), (22, 23)])  # a triangle with a tail, apart
    G.add_edge(0, 0)  # a self loop is never a bridge
    G.add_node(30)
    return G


@pytest.mark.parametrize("engine", ENGINES)
def test_bridges_and_articulation_points_equal_networkx(engine):
    G = _tree_of_blocks()
    found = bridges(G, engine=engine).frame
    expected = {frozenset(e) for e in nx.bridges(nx.Graph(G))}
    assert {frozenset(e) for e in zip(found["source_id"], found["target_id"])} == expected
    cut = articulation_points(G, engine=engine)
    assert set(cut.frame["id"]) == set(nx.articulation_points(G))
    blocks = [b for b in nx.biconnected_components(G)]
    assert cut.summary["blocks"] == len(blocks)
    assert (cut.frame["blocks"] >= 2).all()


@pytest.mark.parametrize("engine", ENGINES)
def test_bridges_of_a_directed_graph_are_of_its_undirected_form(engine):
    D = nx.DiGraph([(1, 2), (2, 3), (3, 1), (3, 4)])
    result = bridges(D, engine=engine)
    assert result.frame[["source_id", "target_id"]].values.tolist() == [[3, 4]]
    assert any("undirected" in c for c in result.provenance.conversions)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("G", [nx.karate_club_graph(), nx.gnm_random_graph(300, 1200, seed=2),
                               nx.powerlaw_cluster_graph(300, 4, 0.5, seed=3)])
def test_clustering_and_transitivity_equal_igraph(G, engine):
    g = igraph.Graph(n=G.number_of_nodes(), edges=list(G.edges()))
    result = clustering(G, engine=engine)
    found = dict(zip(result.frame["id"], result.frame["clustering"]))
    expected = g.transitivity_local_undirected(mode="zero")
    assert [found[v] for v in range(G.number_of_nodes())] == pytest.approx(expected, abs=1e-12)
    assert result.summary["transitivity"] == pytest.approx(g.transitivity_undirected(), abs=1e-12)
    assert result.summary["average_clustering"] == pytest.approx(g.transitivity_avglocal_undirected(mode="zero"))
    assert result.summary["triangles"] == len(g.cliques(3, 3))


@pytest.mark.parametrize("engine", ENGINES)
def test_density_and_isolates_equal_networkx(engine):
    for G in (_tree_of_blocks(), nx.gnp_random_graph(50, 0.1, seed=1, directed=True)):
        summary = components(G, engine=engine).summary
        assert summary["density"] == pytest.approx(nx.density(G))
        assert summary["isolates"] == nx.number_of_isolates(G)
        assert summary["edges"] == G.number_of_edges()


def _dissemination() -> nx.Graph:
    """Two institutions, three creators, six viewers, one topic: hops known by hand."""
    G = nx.Graph()
    kinds = {"i1": "Institution", "i2": "Institution", "c1": "Creator", "c2": "Creator", "c3": "Creator",
             "t1": "Topic", **{f"v{i}": "Viewer" for i in range(1, 7)}}
    G.add_nodes_from((n, {"kind": k, "id": n}) for n, k in kinds.items())
    typed = [("c1", "i1", "AFFILIATED_WITH"), ("i2", "c2", "PARTNERS_WITH"), ("c2", "c3", "COLLABORATES_WITH"),
             ("v1", "c1", "FOLLOWS"), ("v2", "c1", "ENGAGES_WITH"), ("v3", "c2", "FOLLOWS"),
             ("v4", "c3", "ENGAGES_WITH"), ("c3", "t1", "PUBLISHES_ON"), ("v5", "t1", "INTERESTED_IN"),
             ("v5", "v6", "FOLLOWS")]
    G.add_edges_from((u, v, {"type": t}) for u, v, t in typed)
    return G


@pytest.mark.parametrize("engine", ENGINES)
def test_reach_counts_hops_over_the_documented_relationship_types(engine):
    G = _dissemination()
    r = reach(G, engine=engine)
    hops = dict(zip(r.frame["id"], r.frame["hops"]))
    # v5 is reached only through PUBLISHES_ON and INTERESTED_IN, which the default leaves out;
    # v6 hangs off v5.
    assert {v: hops[v] for v in ("v1", "v2", "v3", "v4")} == {"v1": 2, "v2": 2, "v3": 2, "v4": 3}
    assert hops["v5"] is pd_na() and hops["v6"] is pd_na()
    assert r.summary["share_within_1"] == 0.0
    assert r.summary["share_within_2"] == pytest.approx(3 / 6)
    assert r.summary["share_within_3"] == pytest.approx(4 / 6)
    assert r.summary["hops_2"] == 3 and r.summary["hops_3"] == 1
    assert r.summary["reached"] == 4 and r.summary["mean_hops"] == pytest.approx(2.25)
    everything = reach(G, relationships=None, engine=engine)
    assert dict(zip(everything.frame["id"], everything.frame["hops"]))["v5"] == 4  # i2 c2 c3 t1 v5
    assert set(REACH_RELATIONSHIPS) <= {r.type for r in model.REL_KINDS}


def pd_na():
    import pandas as pd

    return pd.NA


def test_reach_engines_agree_on_a_generated_dataset(generated_graph):
    a = reach(generated_graph, engine="networkit")
    b = reach(generated_graph, engine="networkx")
    assert a.frame.equals(b.frame) and a.summary == b.summary
    assert a.summary["share_reached"] > 0.5 and a.summary["targets"] > 1000


def test_reach_refuses_what_it_cannot_answer():
    G = _dissemination()
    with pytest.raises(ArgumentError, match="no 'Museum' nodes"):
        reach(G, sources="Museum")
    with pytest.raises(ArgumentError, match="unknown relationship type 'LIKES'"):
        reach(G, relationships=["LIKES"])
    with pytest.raises(AnalysisError, match="relationships=None"):
        reach(nx.Graph([(1, 2)]), sources="", targets="")  # no kinds, no types


@pytest.mark.parametrize("weight", ["count", "product"])
def test_bipartite_projections_agree_with_networkx(weight):
    B = nx.bipartite.random_graph(40, 150, 0.08, seed=5)
    rng = np.random.default_rng(1)
    for _, _, data in B.edges(data=True):
        data["weight"] = float(rng.integers(1, 9))
    nx.set_node_attributes(B, {n: "Creator" if d["bipartite"] == 0 else "Viewer" for n, d in B.nodes(data=True)},
                           "kind")
    fast = bipartite_projection(B, weight=weight, threshold=3, engine="networkit")
    slow = bipartite_projection(B, weight=weight, threshold=3, engine="networkx")
    assert fast.frame.equals(slow.frame) and len(fast.frame) > 20
    assert (fast.frame["weight"] >= 3).all()
    if weight == "count":  # networkx's own projection, independently
        P = nx.bipartite.weighted_projected_graph(B, [n for n, d in B.nodes(data=True) if d["bipartite"] == 0])
        expected = {frozenset((u, v)): d["weight"] for u, v, d in P.edges(data=True) if d["weight"] >= 3}
        got = {frozenset((u, v)): w for u, v, w in zip(fast.frame["source_id"], fast.frame["target_id"],
                                                       fast.frame["weight"])}
        assert got == expected


def test_bipartite_projections_of_the_generated_dataset(generated_store):
    graph = generated_store.analysis_graph("whole")
    topics = bipartite_projection(graph, nodes="Topic", via="Creator", relationships=["PUBLISHES_ON"])
    assert topics.summary["links"] > 0 and topics.frame["source_kind"].eq("Topic").all()
    audience = bipartite_projection(graph, nodes="Creator", via="Viewer", weight="product", threshold=50)
    assert audience.summary["links"] > 0 and (audience.frame["weight"] >= 50).all()
    with pytest.raises(AnalysisError, match="max_pairs"):
        bipartite_projection(graph, nodes="Creator", via="Viewer", max_pairs=1000)
