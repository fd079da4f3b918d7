"""Communities on both engines: Louvain's parameters, levels and reproducibility, modularity,
stability across seeds (NMI and ARI checked against igraph), community profiles, label
propagation."""

from __future__ import annotations

import random

import igraph
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphkit import (
    AnalysisError,
    ArgumentError,
    adjusted_rand,
    community_profiles,
    label_propagation,
    louvain,
    modularity,
    nmi,
    stability,
)

ENGINES = ["networkit", "networkx"]


def _planted(seed: int = 1) -> nx.Graph:
    G = nx.planted_partition_graph(6, 30, 0.35, 0.02, seed=seed)
    rng = np.random.default_rng(seed)
    for _, _, data in G.edges(data=True):
        data["weight"] = float(rng.integers(1, 4))
    return G


def _labels(result, nodes) -> list:
    found = dict(zip(result.frame["id"], result.frame["community"]))
    return [found[v] for v in nodes]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_same_seed_reproduces_the_partition_however_the_graph_was_built(engine):
    G = _planted()
    edges = list(G.edges(data=True))
    random.Random(3).shuffle(edges)
    nodes = list(G.nodes)
    random.Random(4).shuffle(nodes)
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    first = louvain(G, seed=7, engine=engine)
    again = louvain(G, seed=7, engine=engine)
    rebuilt = louvain(H, seed=7, engine=engine)
    assert first.frame.equals(again.frame) and first.frame.equals(rebuilt.frame)
    assert first.summary == rebuilt.summary and first.provenance.seed == 7


@pytest.mark.parametrize("engine", ENGINES)
def test_louvain_summary_is_networkx_modularity_of_the_partition(engine):
    G = _planted()
    for weight in ("weight", None):
        result = louvain(G, weight=weight, seed=0, engine=engine)
        groups = result.frame.groupby("community")["id"].apply(set).tolist()
        assert result.summary["modularity"] == pytest.approx(nx.community.modularity(G, groups, weight=weight))
        assert result.summary["communities"] == len(groups)
        assert result.summary["largest"] == max(len(g) for g in groups)
        sizes = result.frame["community"].value_counts().sort_index().to_numpy()
        assert (np.diff(sizes) <= 0).all()  # community 0 is the largest
    assert result.summary["communities"] == 6  # the planted six


@pytest.mark.parametrize("engine", ENGINES)
def test_resolution_and_levels(engine):
    G = _planted()
    coarse = louvain(G, resolution=0.2, seed=0, engine=engine).summary["communities"]
    fine = louvain(G, resolution=3.0, seed=0, engine=engine).summary["communities"]
    assert coarse < 6 < fine
    first = louvain(G, level=0, seed=0, engine=engine)
    levels = first.summary["levels"]
    last = louvain(G, level=levels - 1, seed=0, engine=engine)
    assert first.summary["level"] == 0 and first.summary["communities"] >= last.summary["communities"]
    with pytest.raises(ArgumentError, match="not in the dendrogram"):
        louvain(G, level=levels, seed=0, engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_directed_graph_is_made_undirected_summing_weights_and_says_so(engine):
    D = nx.DiGraph()
    D.add_weighted_edges_from([(1, 2, 2.0), (2, 1, 3.0), (2, 3, 1.0), (3, 4, 5.0), (4, 3, 5.0), (4, 1, 0.5)])
    result = louvain(D, seed=0, engine=engine)
    assert any("made undirected" in c and "summed" in c for c in result.provenance.conversions)
    U = nx.Graph()
    U.add_weighted_edges_from([(1, 2, 5.0), (2, 3, 1.0), (3, 4, 10.0), (4, 1, 0.5)])
    assert result.frame.equals(louvain(U, seed=0, engine=engine).frame)
    assert modularity(D, result) == pytest.approx(modularity(U, result))


def test_modularity_equals_networkx():
    G = _planted()
    rng = np.random.default_rng(0)
    parts = {v: int(rng.integers(0, 5)) for v in G}
    groups = [{v for v in G if parts[v] == c} for c in range(5)]
    for weight in ("weight", None):
        for gamma in (0.5, 1.0, 2.0):
            expected = nx.community.modularity(G, groups, weight=weight, resolution=gamma)
            assert modularity(G, parts, weight=weight, resolution=gamma) == pytest.approx(expected, abs=1e-12)


def test_nmi_and_adjusted_rand_equal_igraph():
    rng = np.random.default_rng(2)
    for _ in range(10):
        a = rng.integers(0, 6, 300)
        b = np.where(rng.random(300) < 0.7, a, rng.integers(0, 9, 300))
        for ours, method in ((nmi, "nmi"), (adjusted_rand, "adjusted_rand")):
            assert ours(a, b) == pytest.approx(igraph.compare_communities(a.tolist(), b.tolist(), method=method),
                                               abs=1e-12)
    assert nmi([1, 1, 1], [0, 0, 0]) == 1.0 and adjusted_rand([1, 2, 3], [7, 8, 9]) == 1.0


@pytest.mark.parametrize("engine", ENGINES)
def test_stability_compares_every_pair_of_seeds(engine):
    G = nx.Graph(nx.karate_club_graph().edges())
    r = stability(G, seeds=[0, 1, 2, 3], weight=None, engine=engine)
    assert len(r.frame) == 6 and list(r.frame.columns) == ["seed_a", "seed_b", "nmi", "ari"]
    runs = {s: _labels(louvain(G, weight=None, seed=s, engine=engine), sorted(G)) for s in range(4)}
    row = r.frame.iloc[0]
    expected = igraph.compare_communities(runs[int(row.seed_a)], runs[int(row.seed_b)], method="nmi")
    assert row.nmi == pytest.approx(expected)
    assert 0 < r.summary["nmi_min"] <= r.summary["nmi_mean"] <= 1
    assert r.summary["modularity_min"] <= r.summary["modularity_mean"] <= r.summary["modularity_max"]
    on_planted = stability(_planted(), seeds=3, engine=engine)
    assert on_planted.summary["nmi_min"] > 0.95  # a clear structure is stable across seeds


def test_community_profiles():
    G = nx.Graph()
    kinds = {"c1": "Creator", "c2": "Creator", "t1": "Topic", "i1": "Institution", "v1": "Viewer", "v2": "Viewer",
             "c3": "Creator", "t2": "Topic", "v3": "Viewer"}
    G.add_nodes_from((n, {"kind": k, "id": n}) for n, k in kinds.items())
    G.add_weighted_edges_from([("c1", "t1", 5), ("c2", "t1", 1), ("c1", "i1", 1), ("v1", "c1", 3), ("v2", "c2", 1),
                               ("c3", "t2", 2), ("v3", "c3", 1), ("v2", "c3", 1)])
    parts = pd.DataFrame({"kind": list(kinds.values()), "id": list(kinds),
                          "community": [0, 0, 0, 0, 0, 0, 1, 1, 1]})
    r = community_profiles(G, parts, top=2)
    first = r.frame.iloc[0]
    assert first["size"] == 6 and first["creators"] == 2 and first["viewers"] == 2 and first["topics"] == 1
    assert first["top_creators"] == "c1;c2" and first["top_topics"] == "t1" and first["top_institutions"] == "i1"
    assert r.frame.iloc[1]["top_institutions"] == ""
    for row in r.frame.itertuples():
        members = set(parts.loc[parts["community"] == row.community, "id"])
        assert row.conductance == pytest.approx(nx.conductance(G, members, weight="weight"))
    with pytest.raises(AnalysisError, match="leave out"):
        community_profiles(G, parts.iloc[:-1])


@pytest.mark.parametrize("engine", ENGINES)
def test_label_propagation_is_reproducible_and_never_splits_a_clique(engine):
    G = nx.ring_of_cliques(6, 10)
    first = label_propagation(G, seed=2, engine=engine, weight=None)
    assert first.frame.equals(label_propagation(G, seed=2, engine=engine, weight=None).frame)
    labels = _labels(first, range(60))
    assert all(len(set(labels[c * 10:(c + 1) * 10])) == 1 for c in range(6))
    assert 2 <= first.summary["communities"] <= 6
    planted = [label_propagation(_planted(), seed=s, engine=engine) for s in range(5)]
    truth = [v // 30 for v in range(180)]
    assert np.mean([nmi(_labels(r, range(180)), truth) for r in planted]) > 0.8
