"""Zachary's karate club (networkx's, unweighted, with the ``club`` split): degree, betweenness
and PageRank equal networkx's reference values, and Louvain recovers the split about as well
as igraph's Louvain does, on both engines."""

from __future__ import annotations

import random

import igraph
import networkx as nx
import pytest

from graphkit import betweenness, degree, louvain, pagerank

ENGINES = ["networkit", "networkx"]


@pytest.fixture(scope="module")
def karate() -> nx.Graph:
    G = nx.karate_club_graph()
    for _, _, data in G.edges(data=True):  # the unweighted graph (networkx's copy has weights)
        data.clear()
    return G


def _by_node(result, column: str) -> dict:
    return dict(zip(result.frame["id"], result.frame[column]))


@pytest.mark.parametrize("engine", ENGINES)
def test_degree_equals_networkx(karate, engine):
    assert _by_node(degree(karate, engine=engine), "degree") == dict(karate.degree())


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("normalized", [True, False])
def test_betweenness_equals_networkx(karate, engine, normalized):
    found = _by_node(betweenness(karate, normalized=normalized, engine=engine), "betweenness")
    expected = nx.betweenness_centrality(karate, normalized=normalized)
    assert found == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
def test_pagerank_equals_networkx(karate, engine):
    found = _by_node(pagerank(karate, weight=None, engine=engine), "pagerank")
    expected = nx.pagerank(karate, weight=None, tol=1e-12)
    assert found == pytest.approx(expected, abs=1e-9)


def _club_labels(G: nx.Graph) -> list[int]:
    return [0 if G.nodes[v]["club"] == "Mr. Hi" else 1 for v in sorted(G)]


SEEDS = range(20)


def igraph_louvain_nmi(G: nx.Graph, truth: list[int]) -> float:
    """igraph's Louvain (multilevel) NMI against ``truth``, averaged over seeds: on a graph this
    small, near-optimal partitions differ and one run says little."""
    g = igraph.Graph(n=G.number_of_nodes(), edges=[(u, v) for u, v in G.edges()])
    scores = []
    for seed in SEEDS:
        random.seed(seed)  # python-igraph draws from Python's random module
        scores.append(igraph.compare_communities(g.community_multilevel().membership, truth, method="nmi"))
    return sum(scores) / len(scores)


@pytest.mark.parametrize("engine", ENGINES)
def test_louvain_recovers_the_club_split_as_well_as_igraph(karate, engine):
    truth = _club_labels(karate)
    scores = []
    for seed in SEEDS:
        result = louvain(karate, weight=None, seed=seed, engine=engine)
        found = _by_node(result, "community")
        scores.append(igraph.compare_communities([found[v] for v in sorted(karate)], truth, method="nmi"))
    assert sum(scores) / len(scores) >= igraph_louvain_nmi(karate, truth) - 0.02
    assert result.provenance.engine == ("networkit" if engine == "networkit" else "python-louvain")
