"""Centrality on both engines against igraph: weighted in/out degree, eigenvector, HITS,
closeness and harmonic centrality; the broker score against networkx's subset betweenness;
top-k per kind."""

from __future__ import annotations

import warnings

import igraph
import networkx as nx
import numpy as np
import pytest

from graphkit import broker_score, closeness, degree, eigenvector, harmonic, hits, top_k

ENGINES = ["networkit", "networkx"]


def _weighted(G: nx.Graph, seed: int) -> nx.Graph:
    rng = np.random.default_rng(seed)
    for _, _, data in G.edges(data=True):
        data["weight"] = float(rng.integers(1, 6))
    return G


UNDIRECTED = _weighted(nx.gnm_random_graph(120, 500, seed=1), 1)
DIRECTED = _weighted(nx.gnp_random_graph(120, 0.05, seed=2, directed=True), 2)


def _igraph(G: nx.Graph) -> igraph.Graph:
    g = igraph.Graph(n=G.number_of_nodes(), edges=list(G.edges()), directed=G.is_directed())
    g.es["weight"] = [d["weight"] for _, _, d in G.edges(data=True)]
    return g


def _values(result, column: str, n: int) -> np.ndarray:
    found = dict(zip(result.frame["id"], result.frame[column]))
    return np.array([found[v] for v in range(n)], dtype=np.float64)


@pytest.mark.parametrize("engine", ENGINES)
def test_weighted_in_and_out_degree_equal_igraph_strength(engine):
    g, n = _igraph(DIRECTED), DIRECTED.number_of_nodes()
    result = degree(DIRECTED, weight="weight", engine=engine)
    assert _values(result, "in_degree", n).tolist() == g.strength(mode="in", weights="weight")
    assert _values(result, "out_degree", n).tolist() == g.strength(mode="out", weights="weight")
    assert _values(result, "degree", n).tolist() == g.strength(mode="all", weights="weight")
    unweighted = degree(UNDIRECTED, engine=engine)
    assert _values(unweighted, "degree", 120).tolist() == _igraph(UNDIRECTED).degree()
    assert list(unweighted.frame.columns) == ["kind", "id", "degree"]


@pytest.mark.parametrize("engine", ENGINES)
def test_eigenvector_equals_igraph(engine):
    expected = np.array(_igraph(UNDIRECTED).eigenvector_centrality(scale=False, weights="weight"))
    found = _values(eigenvector(UNDIRECTED, weight="weight", tol=1e-12, max_iter=5000, engine=engine),
                    "eigenvector", 120)
    assert np.abs(found - expected / np.linalg.norm(expected)).max() < 1e-6


def _eigen_graphs() -> dict[str, nx.Graph]:
    return {
        "random": UNDIRECTED,
        "karate": nx.karate_club_graph(),
        "scale-free": _weighted(nx.barabasi_albert_graph(500, 3, seed=3), 2),
        "small world": _weighted(nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1), 3),  # 1,700 iterations
        "grid": nx.convert_node_labels_to_integers(nx.grid_2d_graph(12, 12)),
        "directed": DIRECTED,
    }


EIGEN_GRAPHS = _eigen_graphs()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", EIGEN_GRAPHS)
def test_eigenvector_defaults_agree_with_igraph_within_1e_9(name, engine):
    G = EIGEN_GRAPHS[name]
    g = igraph.Graph(n=G.number_of_nodes(), edges=list(G.edges()), directed=G.is_directed())
    g.es["weight"] = [d.get("weight", 1.0) for _, _, d in G.edges(data=True)]
    expected = np.array(g.eigenvector_centrality(scale=False, weights="weight"))
    found = _values(eigenvector(G, weight="weight", engine=engine), "eigenvector", G.number_of_nodes())
    assert np.abs(found - expected / np.linalg.norm(expected)).max() < 1e-9
    # networkx's own defaults (tol=1e-6) were off by about 1e-5 here
    if name == "karate":
        loose = _values(eigenvector(G, weight="weight", tol=1e-6, engine=engine), "eigenvector", 34)
        assert np.abs(loose - expected / np.linalg.norm(expected)).max() > 1e-6


@pytest.mark.parametrize("engine", ENGINES)
def test_hits_equals_igraph(engine):
    g = _igraph(DIRECTED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # igraph warns about zero scores (sources, sinks)
        hub = np.array(g.hub_score(weights="weight", scale=False))
        authority = np.array(g.authority_score(weights="weight", scale=False))
    result = hits(DIRECTED, engine=engine)
    assert np.abs(_values(result, "hub", 120) - hub / hub.sum()).max() < 1e-9
    assert np.abs(_values(result, "authority", 120) - authority / authority.sum()).max() < 1e-9


def _reach_in(g: igraph.Graph) -> np.ndarray:
    """Nodes that reach each node (itself included)."""
    return np.array([len(g.subcomponent(v, mode="in")) for v in range(g.vcount())])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("G", [UNDIRECTED, DIRECTED, _weighted(nx.disjoint_union(UNDIRECTED, nx.path_graph(5)), 3)],
                         ids=["undirected", "directed", "two components"])
def test_closeness_and_harmonic_equal_igraph(G, weighted, engine):
    g, n = _igraph(G), len(G)
    weights = "weight" if weighted else None
    # igraph's closeness averages over the nodes that reach a node; networkx's (and graphkit's)
    # also scales by the share of nodes that do (Wasserman and Faust).
    share = (_reach_in(g) - 1) / (n - 1)
    expected = np.nan_to_num(np.array(g.closeness(mode="in", weights=weights)), nan=0.0) * share
    found = _values(closeness(G, weight=weights, engine=engine), "closeness", n)
    assert np.abs(found - expected).max() < 1e-12
    expected = np.array(g.harmonic_centrality(mode="in", weights=weights, normalized=False))
    found = _values(harmonic(G, weight=weights, engine=engine), "harmonic", n)
    assert np.abs(found - expected).max() < 1e-9


def _kinded() -> nx.Graph:
    G = nx.Graph()
    rng = np.random.default_rng(4)
    kinds = ["Institution"] * 4 + ["Creator"] * 30 + ["Viewer"] * 200
    G.add_nodes_from((f"n{i:03d}", {"kind": k, "id": f"n{i:03d}"}) for i, k in enumerate(kinds))
    for i in range(4):  # institutions to creators
        for c in rng.choice(30, 5, replace=False):
            G.add_edge(f"n{i:03d}", f"n{4 + c:03d}")
    for v in range(200):  # viewers to creators
        for c in rng.choice(30, 2, replace=False):
            G.add_edge(f"n{34 + v:03d}", f"n{4 + c:03d}")
    G.add_edges_from((f"n{4 + c:03d}", f"n{5 + c:03d}") for c in range(0, 28, 3))
    return G


@pytest.mark.parametrize("engine", ENGINES)
def test_broker_score_counts_each_institution_viewer_pair_once(engine):
    G = _kinded()
    result = broker_score(G, engine=engine)
    sources = [v for v, d in G.nodes(data=True) if d["kind"] == "Institution"]
    targets = [v for v, d in G.nodes(data=True) if d["kind"] == "Viewer"]
    # networkx halves every pair on an undirected graph (right when sources and targets are one set).
    expected = nx.betweenness_centrality_subset(G, sources, targets, normalized=False)
    found = dict(zip(result.frame["id"], result.frame["broker_score"]))
    assert set(result.frame["kind"]) == {"Creator"} and len(found) == 30
    assert found == pytest.approx({v: 2 * expected[v] for v in found}, rel=1e-9, abs=1e-12)
    # And by definition, path by path: each pair's share of its shortest paths through v.
    by_paths = dict.fromkeys(found, 0.0)
    for s in sources:
        for t in targets:
            if not nx.has_path(G, s, t):
                continue
            paths = list(nx.all_shortest_paths(G, s, t))
            for path in paths:
                for v in path[1:-1]:
                    if v in by_paths:
                        by_paths[v] += 1 / len(paths)
    assert found == pytest.approx(by_paths, rel=1e-9, abs=1e-12)
    assert result.summary["sources"] == 4 and result.summary["targets"] == 200
    assert result.frame["broker_score"].is_monotonic_decreasing


def test_top_k_per_kind():
    result = degree(_kinded())
    top = top_k(result, 3)
    assert top.groupby("kind").size().to_dict() == {"Creator": 3, "Institution": 3, "Viewer": 3}
    creators = result.frame[result.frame["kind"] == "Creator"].head(3)
    assert top[top["kind"] == "Creator"]["id"].tolist() == creators["id"].tolist()
    assert top["rank"].tolist() == [1, 2, 3] * 3
