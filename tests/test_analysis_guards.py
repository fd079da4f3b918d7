"""Guarded defaults: size checks refuse expensive work with a message that says what to do
instead; bad settings are refused; nothing runs with settings known to hang."""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
import pytest

from graphkit import (
    AnalysisError,
    Graph,
    betweenness,
    closeness,
    components,
    eigenvector,
    harmonic,
    label_propagation,
    louvain,
    pagerank,
)
from graphkit.analysis import MAX_WORK


def _random_projection(n: int, m: int, seed: int = 0) -> Graph:
    rng = np.random.default_rng(seed)
    s, t = rng.integers(0, n, m), rng.integers(0, n, m)
    return Graph(np.arange(n).astype(str).astype(object), np.full(n, "Node", dtype=object), s, t, np.ones(m),
                 np.full(m, "LINKS", dtype=object))


def test_exact_betweenness_on_a_large_graph_refuses_and_says_to_sample():
    g = _random_projection(200_000, 200_000)
    with pytest.raises(AnalysisError, match=r"exact betweenness would take about 4e\+10 edge visits.*pass k=256"):
        betweenness(g)
    assert betweenness(g, k=16, seed=0).summary["sources"] == 16  # what the message suggests runs


def test_the_networkx_engine_has_a_smaller_budget():
    g = _random_projection(20_000, 20_000)
    with pytest.raises(AnalysisError, match="networkx engine's budget"):
        betweenness(g, engine="networkx")
    for measure in (closeness, harmonic):
        with pytest.raises(AnalysisError, match="closeness|harmonic"):
            measure(g, engine="networkx")


def test_force_runs_past_the_budget(monkeypatch):
    G = nx.karate_club_graph()
    monkeypatch.setitem(MAX_WORK, "networkx", 10)
    with pytest.raises(AnalysisError, match="force=True"):
        betweenness(G, engine="networkx")
    assert betweenness(G, engine="networkx", force=True).summary["sources"] == 34
    assert len(closeness(G, engine="networkx", force=True).frame) == 34


@pytest.mark.parametrize("engine", ["networkit", "networkx"])
def test_iterations_that_do_not_converge_are_refused(engine):
    G = nx.gnp_random_graph(50, 0.1, seed=1, directed=True)
    with pytest.raises(AnalysisError, match="did not converge.*max_iter"):
        pagerank(G, max_iter=2, engine=engine)
    with pytest.raises(AnalysisError, match="did not converge"):
        eigenvector(nx.path_graph(30), max_iter=2, tol=1e-14, engine=engine)


def test_bad_settings_are_refused_with_what_to_do():
    G = nx.gnp_random_graph(40, 0.1, seed=2)
    with pytest.raises(AnalysisError, match="unknown engine"):
        components(G, engine="igraph")
    with pytest.raises(AnalysisError, match="undirected"):
        components(G, strong=True)
    with pytest.raises(AnalysisError, match="does not combine"):
        betweenness(G, k=5, sources=[1])
    with pytest.raises(AnalysisError, match="k must be between 2"):
        betweenness(G, k=100)
    with pytest.raises(AnalysisError, match="not in the graph"):
        betweenness(G, sources=[1, "nobody"], engine="networkit")
    with pytest.raises(AnalysisError, match="not in the graph"):
        pagerank(G, personalization={"nobody": 1.0}, engine="networkit")
    weighted = nx.Graph(G)
    nx.set_edge_attributes(weighted, 2.0, "weight")
    with pytest.raises(AnalysisError, match="networkx only"):
        betweenness(weighted, k=5, weight="weight", engine="networkit")
    assert betweenness(weighted, k=5, weight="weight").provenance.engine == "networkx"  # auto takes networkx


@pytest.mark.parametrize("engine", ["networkit", "networkx"])
def test_louvain_and_label_propagation_end_on_sparse_graphs(engine):
    start = time.perf_counter()
    for G in (nx.path_graph(3000), nx.star_graph(3000), nx.empty_graph(50), nx.cycle_graph(2000)):
        r = louvain(G, seed=0, weight=None, engine=engine)
        assert r.summary["communities"] >= 1
        label_propagation(G, seed=0, weight=None, engine=engine)
        louvain(G, seed=0, weight=None, resolution=2.0, engine=engine)
    assert time.perf_counter() - start < 60
