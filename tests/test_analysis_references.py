"""Both engines against implementations no one here wrote, on several graphs (directed and
weighted included): PageRank within 1e-6 per node, exact betweenness within 1e-9 relative,
k-core and components exactly equal, sampled betweenness with k = n equal to exact, subset
betweenness equal to networkx's ``betweenness_centrality_subset``.

The reference for a result is never the library that computed it: igraph checks both
engines; networkx additionally checks the fast path.
"""

from __future__ import annotations

import igraph
import networkx as nx
import numpy as np
import pytest

from graphkit import Graph, betweenness, components, core_number, pagerank

ENGINES = ["networkit", "networkx"]


def _weighted(G: nx.Graph, seed: int) -> nx.Graph:
    rng = np.random.default_rng(seed)
    for _, _, data in G.edges(data=True):
        data["weight"] = float(rng.integers(1, 6))  # integers: path lengths add up exactly
    return G


def _graphs() -> dict[str, tuple[nx.Graph, str | None]]:
    karate = nx.Graph(nx.karate_club_graph().edges())
    two_parts = nx.disjoint_union(nx.gnm_random_graph(120, 400, seed=1), nx.cycle_graph(7))
    two_parts.add_node(len(two_parts))  # an isolate
    directed = nx.gnp_random_graph(150, 0.03, seed=2, directed=True)  # with sinks and sources
    return {
        "karate": (karate, None),
        "weighted": (_weighted(two_parts, 3), "weight"),
        "directed": (directed, None),
        "directed weighted": (_weighted(nx.gnm_random_graph(100, 500, seed=4, directed=True), 5), "weight"),
        "scale-free": (nx.barabasi_albert_graph(400, 3, seed=6), None),
    }


GRAPHS = _graphs()


def _igraph(G: nx.Graph, weight: str | None = None) -> igraph.Graph:
    g = igraph.Graph(n=G.number_of_nodes(), edges=list(G.edges()), directed=G.is_directed())
    if weight:
        g.es["weight"] = [d[weight] for _, _, d in G.edges(data=True)]
    return g


def _values(result, column: str, n: int) -> np.ndarray:
    found = dict(zip(result.frame["id"], result.frame[column]))
    return np.array([found[v] for v in range(n)], dtype=np.float64)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", GRAPHS)
def test_pagerank_within_1e_6_of_igraph(name, engine):
    G, weight = GRAPHS[name]
    n = G.number_of_nodes()
    expected = np.array(_igraph(G, weight).pagerank(damping=0.85, weights=weight))
    found = _values(pagerank(G, weight=weight, tol=1e-10, engine=engine), "pagerank", n)
    assert np.abs(found - expected).max() < 1e-6


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["karate", "directed", "directed weighted"])
def test_personalised_pagerank_within_1e_6_of_igraph(name, engine):
    G, weight = GRAPHS[name]
    restart = [0, 3, 5]
    expected = np.array(_igraph(G, weight).personalized_pagerank(reset_vertices=restart, weights=weight))
    result = pagerank(G, weight=weight, personalization=restart, tol=1e-10, engine=engine)
    assert np.abs(_values(result, "pagerank", G.number_of_nodes()) - expected).max() < 1e-6


def _relative(found: np.ndarray, expected: np.ndarray) -> float:
    return float(np.max(np.abs(found - expected) / np.maximum(np.abs(expected), 1e-300)))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", GRAPHS)
def test_exact_betweenness_within_1e_9_relative_of_igraph(name, engine):
    G, weight = GRAPHS[name]
    expected = np.array(_igraph(G, weight).betweenness(directed=G.is_directed(), weights=weight))
    result = betweenness(G, weight=weight, normalized=False, engine=engine)
    assert _relative(_values(result, "betweenness", G.number_of_nodes()), expected) < 1e-9


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", [n for n, (_, w) in GRAPHS.items() if w is None])
@pytest.mark.parametrize("normalized", [True, False])
def test_sampled_betweenness_with_k_n_equals_exact(name, engine, normalized):
    G, _ = GRAPHS[name]
    n = G.number_of_nodes()
    exact = _values(betweenness(G, normalized=normalized, engine=engine), "betweenness", n)
    sampled = betweenness(G, k=n, seed=3, normalized=normalized, engine=engine)
    assert _relative(_values(sampled, "betweenness", n), exact) < 1e-9
    assert sampled.provenance.seed == 3 and sampled.provenance.parameters["k"] == n


@pytest.mark.parametrize("name", ["karate", "directed", "scale-free"])
def test_sampled_betweenness_equals_networkx_with_the_same_seed(name):
    # Nodes named so that graphkit's order (sorted by str) is the graph's own: the same sample.
    original = GRAPHS[name][0]
    G = original.__class__()
    G.add_nodes_from(f"n{v:04d}" for v in sorted(original))
    G.add_edges_from((f"n{u:04d}", f"n{v:04d}") for u, v in original.edges())
    k = G.number_of_nodes() // 3
    for normalized in (True, False):
        expected = nx.betweenness_centrality(G, k=k, seed=11, normalized=normalized)
        found = betweenness(G, k=k, seed=11, normalized=normalized, engine="networkit")
        got = dict(zip(found.frame["id"], found.frame["betweenness"]))
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert found.provenance.engine == "scipy"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", [n for n, (_, w) in GRAPHS.items() if w is None])
def test_subset_betweenness_equals_networkx_and_igraph(name, engine):
    G, _ = GRAPHS[name]
    n = G.number_of_nodes()
    sources, targets = list(range(0, n, 7)), list(range(3, n, 5))
    for normalized in (True, False):
        expected = nx.betweenness_centrality_subset(G, sources, targets, normalized=normalized)
        found = betweenness(G, sources=sources, targets=targets, normalized=normalized, engine=engine)
        got = dict(zip(found.frame["id"], found.frame["betweenness"]))
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)
    by_igraph = np.array(_igraph(G).betweenness(sources=sources, targets=targets, directed=G.is_directed()))
    found = betweenness(G, sources=sources, targets=targets, normalized=False, engine=engine)
    assert _relative(_values(found, "betweenness", n), by_igraph) < 1e-9


def _simple_undirected(G: nx.Graph) -> igraph.Graph:
    g = _igraph(G)
    if g.is_directed():
        g.to_undirected(mode="collapse")
    g.simplify()
    return g


def _directed_core_graphs() -> dict[str, nx.DiGraph]:
    hub = nx.DiGraph([(0, i) for i in range(1, 8)] + [(i, 0) for i in range(1, 8)])  # in+out degree 14 > n
    hub.add_edge(3, 3)  # a self loop: dropped, as networkx requires
    both_ways = nx.gnp_random_graph(120, 0.05, seed=7, directed=True)
    both_ways.add_edges_from([(v, u) for u, v in list(both_ways.edges())[::3]])  # a third reciprocated
    return {
        "directed": GRAPHS["directed"][0],
        "reciprocal pair": nx.DiGraph([(0, 1), (1, 0)]),
        "hub": hub,
        "both ways": both_ways,
        "complete": nx.complete_graph(6, nx.DiGraph()),
    }


DIRECTED_CORES = _directed_core_graphs()


def _cores(result, G) -> list[int]:
    found = dict(zip(result.frame["id"], result.frame["core_number"]))
    return [int(found[v]) for v in sorted(G)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", DIRECTED_CORES)
def test_directed_core_numbers_in_both_conventions(name, engine):
    G = DIRECTED_CORES[name]
    simple = nx.DiGraph(G)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    in_out = core_number(G, mode="in+out", engine=engine)
    expected = nx.core_number(simple)  # networkx counts in- plus out-edges on a DiGraph
    assert _cores(in_out, G) == [expected[v] for v in sorted(G)]
    ig = igraph.Graph(n=len(G), edges=list(simple.edges()), directed=True)  # nodes are 0..n-1
    assert _cores(in_out, G) == ig.coreness(mode="all")
    undirected = nx.core_number(simple.to_undirected())
    assert _cores(core_number(G, engine=engine), G) == [undirected[v] for v in sorted(G)]
    assert in_out.provenance.parameters["mode"] == "in+out"
    assert ("self loops dropped" in in_out.provenance.conversions) == (name == "hub")


@pytest.mark.parametrize("engine", ENGINES)
def test_both_core_conventions_agree_on_undirected_graphs(engine):
    G = GRAPHS["scale-free"][0]
    assert core_number(G, mode="in+out", engine=engine).frame.equals(core_number(G, engine=engine).frame)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", GRAPHS)
def test_core_numbers_equal_igraph(name, engine):
    G, _ = GRAPHS[name]
    G = G.copy()
    G.add_edge(0, 0)  # a self loop: dropped, as the provenance says
    result = core_number(G, engine=engine)
    expected = _simple_undirected(G).coreness()
    assert _values(result, "core_number", G.number_of_nodes()).tolist() == expected
    assert "self loops dropped" in result.provenance.conversions


def _partition(labels) -> set[frozenset]:
    groups: dict = {}
    for node, label in enumerate(labels):
        groups.setdefault(label, set()).add(node)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", GRAPHS)
def test_components_equal_igraph(name, engine):
    G, _ = GRAPHS[name]
    n = G.number_of_nodes()
    modes = [("weak", False)] + ([("strong", True)] if G.is_directed() else [])
    for mode, strong in modes:
        expected = _partition(_igraph(G).connected_components(mode=mode).membership)
        result = components(G, strong=strong, engine=engine)
        assert _partition(_values(result, "component", n).astype(int)) == expected
        assert result.summary["components"] == len(expected)
        assert result.summary["giant_size"] == max(len(c) for c in expected)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_projection_and_its_networkx_view_give_the_same_answers(engine):
    G, weight = GRAPHS["directed weighted"]
    s, t = np.array(G.edges(), dtype=np.int64).T
    w = np.array([d["weight"] for _, _, d in G.edges(data=True)])
    n = G.number_of_nodes()
    g = Graph(np.arange(n).astype(object), np.full(n, "Node", dtype=object), s, t, w,
              np.full(len(s), "LINKS", dtype=object), directed=True)
    for f, column in ((pagerank, "pagerank"), (betweenness, "betweenness")):
        kwargs = {"weight": "weight"}
        on_arrays = _values(f(g, engine=engine, **kwargs), column, n)
        on_networkx = _values(f(G, engine=engine, **kwargs), column, n)
        assert np.allclose(on_arrays, on_networkx, rtol=1e-12, atol=1e-15)
