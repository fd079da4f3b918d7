"""``analyze``, what ``graphkit analyze`` and the report run: its steps, columns and summaries,
the fast path on a generated projection agreeing with the reference path, results written
back to a store."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import loaders
from graphkit import (
    EmbeddedStore,
    Pseudonymiser,
    analyze,
    components,
    core_number,
    degree,
    model,
    pagerank,
)
from graphkit.analysis.pipeline import BETWEENNESS_K

STEPS = ["components", "louvain", "pagerank", "degree", "kcore", "betweenness"]


@pytest.fixture(scope="module")
def generated_store(generated) -> EmbeddedStore:
    data = loaders.read_dataset(generated, pseudonymise=Pseudonymiser(b"analysis-test-key"))
    store = EmbeddedStore()
    store.load(data)
    return store


@pytest.fixture(scope="module")
def projection(generated_store):
    return generated_store.analysis_graph("whole")


@pytest.fixture(scope="module")
def analysis(projection):
    return analyze(projection, seed=0)


def test_analyze_runs_every_step_on_the_fast_path(analysis, projection):
    assert list(analysis.results) == STEPS
    engines = {name: r.provenance.parameters["engine"] for name, r in analysis.results.items()}
    assert set(engines.values()) == {"fast"}  # the canonical name of the engine (alias "networkit")
    assert "_networkx" not in vars(projection)  # the fast path never built the networkx view
    b = analysis.results["betweenness"].provenance
    assert b.parameters["k"] == BETWEENNESS_K == 256 and b.seed == 0
    assert analysis.results["louvain"].provenance.versions["networkit"]


def test_node_columns_are_the_models_analysis_properties(analysis, projection):
    nodes = analysis.nodes()
    assert list(nodes.columns) == ["kind", "id", "component", "community", "pagerank", "degree", "core_number",
                                   "betweenness"]
    names = {p.name for p in model.ANALYSIS_PROPERTIES}
    assert set(nodes.columns[2:]) <= names
    assert len(nodes) == projection.number_of_nodes() and not nodes.isna().any().any()


def test_summaries_keep_their_keys(analysis, projection):
    summary = analysis.summary()
    assert set(summary["components"]) == {"nodes", "edges", "components", "giant_size", "giant_share", "density",
                                          "isolates"}
    assert {"modularity", "communities", "largest"} <= set(summary["louvain"])
    assert summary["components"]["nodes"] == projection.number_of_nodes()
    assert 0.3 < summary["louvain"]["modularity"] < 1
    assert summary["kcore"]["degeneracy"] >= 1


def test_results_write_back_to_the_store(analysis, generated_store):
    assert generated_store.write_results(analysis.nodes()) == len(analysis.nodes())
    creators = generated_store.nodes("Creator")
    assert {"community", "core_number", "betweenness"} <= set(creators.columns)


def test_the_fast_path_agrees_with_the_reference_on_the_projection(analysis, projection):
    def by_key(frame, column):
        return frame.set_index(["kind", "id"])[column]

    fast = analysis.results
    reference = {
        "degree": degree(projection, weight="weight", engine="networkx"),
        "pagerank": pagerank(projection, engine="networkx"),
        "kcore": core_number(projection, engine="networkx"),
        "components": components(projection, engine="networkx"),
    }
    assert fast["components"].frame.equals(reference["components"].frame)
    assert fast["components"].summary == reference["components"].summary
    assert fast["kcore"].frame.equals(reference["kcore"].frame)
    # Tie weights are fractional (log2(1 + views)): sums in another order differ in the last bits.
    assert np.allclose(by_key(fast["degree"].frame, "degree").sort_index(),
                       by_key(reference["degree"].frame, "degree").sort_index(), rtol=1e-12, atol=0)
    a = by_key(fast["pagerank"].frame, "pagerank").sort_index()
    b = by_key(reference["pagerank"].frame, "pagerank").sort_index()
    assert np.abs(a.to_numpy() - b.to_numpy()).max() < 1e-6


def test_small_graphs_take_networkx_and_exact_betweenness():
    a = analyze(nx.karate_club_graph())
    assert {r.provenance.parameters["engine"] for r in a.results.values()} == {"reference"}
    assert a.results["betweenness"].provenance.parameters["k"] is None


def test_a_large_networkx_graph_is_converted_once(monkeypatch):
    from graphkit.graph import Graph

    calls = []
    original = Graph.from_networkx.__func__

    def counting(cls, *args, **kwargs):
        calls.append(1)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(Graph, "from_networkx", classmethod(counting))
    G = nx.barabasi_albert_graph(3000, 3, seed=1)
    a = analyze(G, seed=1)
    assert len(calls) == 1
    assert a.results["louvain"].provenance.engine == "networkit"
    assert sorted(a.nodes()["id"]) == sorted(G)


def test_every_analysis_function_is_documented():
    from pathlib import Path

    import graphkit.analysis

    doc = (Path(__file__).resolve().parents[1] / "docs" / "analysis.md").read_text()
    for name in graphkit.analysis.__all__:
        if callable(getattr(graphkit.analysis, name)) and name != "Analysis":
            assert f"`{name}(" in doc, name


def test_the_networkit_graph_is_the_merged_edges_built_once():
    from graphkit import Graph

    s, t = np.array([0, 1, 1, 2, 3]), np.array([1, 0, 2, 2, 0])
    g = Graph(np.array(["a", "b", "c", "d"], dtype=object), np.full(4, "K", dtype=object), s, t,
              np.array([1.0, 2.0, 0.5, 4.0, 1.0]), np.full(5, "R", dtype=object))
    G = g.to_networkit()
    assert G is g.to_networkit() and G.isWeighted() and not G.isDirected()
    merged = {(int(a), int(b)): w for a, b, w in zip(*g.merged_edges())}
    assert merged == {(0, 1): 3.0, (1, 2): 0.5, (2, 2): 4.0, (0, 3): 1.0}  # parallel edges summed
    assert {(min(u, v), max(u, v)): G.weight(u, v) for u, v in G.iterEdges()} == merged
    unit = Graph(g.ids, g.kinds, s[1:], t[1:], np.ones(4), g.rel_types[1:])  # no parallel edges
    assert unit.to_networkit() is unit.to_networkit(weighted=False)  # unit weights: one graph, no weights
