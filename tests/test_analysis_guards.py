"""Guarded defaults: size checks refuse expensive work with a message that says what to do
instead; bad settings are refused; nothing runs with settings known to hang."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graphkit import (
    AnalysisError,
    ArgumentError,
    Graph,
    betweenness,
    broker_score,
    closeness,
    components,
    eigenvector,
    harmonic,
    label_propagation,
    louvain,
    pagerank,
)
from graphkit.analysis import MAX_WORK
from graphkit.analysis._dispatch import ALIASES
from graphkit.analysis._guard import RATES, SECONDS, check_work
from graphkit.analysis._input import networkit

ROOT = Path(__file__).resolve().parents[1]


def _random_projection(n: int, m: int, seed: int = 0) -> Graph:
    rng = np.random.default_rng(seed)
    s, t = rng.integers(0, n, m), rng.integers(0, n, m)
    return Graph(np.arange(n).astype(str).astype(object), np.full(n, "Node", dtype=object), s, t, np.ones(m),
                 np.full(m, "LINKS", dtype=object))


def test_exact_betweenness_on_a_large_graph_refuses_and_says_to_sample():
    g = _random_projection(200_000, 200_000)
    with pytest.raises(AnalysisError, match=r"exact betweenness on 200,000 nodes and 199,\d+ edges would take about "
                                            r"8e\+10 search steps, about \d+ (minutes|hours) at the \de\+07 steps a second "
                                            r"measured .* pass k=256 .*, or force=True"):
        betweenness(g)
    assert betweenness(g, k=16, seed=0).summary["sources"] == 16  # what the message suggests runs


def test_each_computation_has_its_own_budget():
    g = _random_projection(50_000, 50_000)  # 5e9 steps from every node
    with pytest.raises(AnalysisError, match="reference engine"):
        betweenness(g, engine="networkx")
    for measure in (closeness, harmonic):
        with pytest.raises(AnalysisError, match="closeness|harmonic"):
            measure(g, engine="networkx")
        with pytest.raises(AnalysisError, match="weighted"):
            measure(_random_projection(100_000, 100_000), weight="weight", engine="networkit")  # 2e10
    # NetworKit's closeness measured five times faster than its harmonic centrality.
    assert MAX_WORK["networkit"]["closeness"] > 5e9 > MAX_WORK["networkit"]["harmonic"]


def test_the_budgets_are_the_measured_rates_times_two_minutes():
    assert SECONDS == 120
    assert MAX_WORK.keys() == RATES.keys()
    for engine, rates in RATES.items():
        assert MAX_WORK[engine] == {guard: rate * SECONDS for guard, rate in rates.items()}


def _guard_cases():
    return [(engine, guard) for engine, budgets in MAX_WORK.items() for guard in budgets]


@pytest.mark.parametrize(("engine", "guard"), _guard_cases())
def test_a_guard_admits_its_budget_and_refuses_just_above_it(engine, guard):
    budget = MAX_WORK[engine][guard]
    check_work(budget, engine, guard, "this", "do that", False)  # admitted: about two minutes here
    with pytest.raises(AnalysisError) as refused:
        check_work(budget * (1 + 1e-9), engine, guard, "this", "do that", False)
    assert "about 2 minutes at the" in str(refused.value)
    assert str(refused.value).endswith(": do that, or force=True to run it anyway")
    check_work(budget * 10, engine, guard, "this", "do that", True)  # force runs anyway


KARATE = nx.karate_club_graph()  # 34 nodes, 78 edges: a search is 112 steps
KINDS = nx.Graph([("i", "c1"), ("c1", "v1"), ("i", "c2"), ("c2", "v1"), ("c2", "v2")])
nx.set_node_attributes(KINDS, {"i": "Institution", "c1": "Creator", "c2": "Creator", "v1": "Viewer",
                               "v2": "Viewer"}, "kind")

#: Public calls with the guard each one is charged to and its work (searches x (n + m)).
GUARDED = [
    ("networkit", "betweenness", lambda e, f: betweenness(KARATE, engine=e, force=f), 34 * 112),
    ("networkx", "betweenness", lambda e, f: betweenness(KARATE, engine=e, force=f), 34 * 112),
    ("networkit", "weighted betweenness",
     lambda e, f: betweenness(KARATE, weight="weight", engine=e, force=f), 34 * 112),
    ("networkx", "weighted betweenness",
     lambda e, f: betweenness(KARATE, weight="weight", engine=e, force=f), 34 * 112),
    ("networkit", "sampled betweenness", lambda e, f: betweenness(KARATE, k=10, engine=e, force=f), 10 * 112),
    ("networkx", "sampled betweenness", lambda e, f: betweenness(KARATE, k=10, engine=e, force=f), 10 * 112),
    ("networkx", "weighted sampled betweenness",
     lambda e, f: betweenness(KARATE, k=10, weight="weight", engine=e, force=f), 10 * 112),
    ("networkit", "sampled betweenness",
     lambda e, f: betweenness(KARATE, sources=[0, 1, 2], engine=e, force=f), 3 * 112),
    ("networkx", "sampled betweenness",
     lambda e, f: betweenness(KARATE, sources=[0, 1, 2], engine=e, force=f), 3 * 112),
    ("networkit", "sampled betweenness", lambda e, f: broker_score(KINDS, engine=e, force=f), 1 * 10),
    ("networkx", "sampled betweenness", lambda e, f: broker_score(KINDS, engine=e, force=f), 1 * 10),
    *[(engine, measure, lambda e, f, m=measure: FUNCTIONS[m](KARATE, engine=e, force=f), 34 * 112)
      for engine in ("networkit", "networkx") for measure in ("closeness", "harmonic")],
    *[(engine, f"weighted {measure}",
       lambda e, f, m=measure: FUNCTIONS[m](KARATE, weight="weight", engine=e, force=f), 34 * 112)
      for engine in ("networkit", "networkx") for measure in ("closeness", "harmonic")],
]
FUNCTIONS = {"closeness": closeness, "harmonic": harmonic}


@pytest.mark.parametrize(("engine", "guard", "call", "work"), GUARDED,
                         ids=[f"{e}-{g}-{w}" for e, g, _, w in GUARDED])
def test_each_function_charges_its_guard_the_work_the_bench_counts(monkeypatch, engine, guard, call, work):
    monkeypatch.setitem(MAX_WORK[engine], guard, work)  # exactly the budget: admitted
    assert len(call(engine, False).frame)
    monkeypatch.setitem(MAX_WORK[engine], guard, work - 1)  # one step over: refused
    with pytest.raises(AnalysisError, match=r"search steps.*: (pass|compute).*, or force=True"):
        call(engine, False)
    assert len(call(engine, True).frame)


def test_every_guard_is_measured_by_the_bench():
    spec = importlib.util.spec_from_file_location("bench_guards", ROOT / "bench" / "guards.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    measured = {(ALIASES.get(engine, engine), guard) for engine, guard in bench.GUARDS}  # the bench names aliases
    assert measured == {(engine, guard) for engine, rates in RATES.items() for guard in rates}


def test_networkit_threads_are_restored_after_a_single_threaded_step():
    import networkit as nk

    before = nk.getMaxNumberOfThreads()
    with networkit(seed=0, threads=1):
        assert nk.getMaxNumberOfThreads() == 1
    assert nk.getMaxNumberOfThreads() == before  # parallel steps stay parallel after Louvain


@pytest.mark.parametrize("engine", ["networkit", "networkx"])
def test_iterations_that_do_not_converge_are_refused(engine):
    G = nx.gnp_random_graph(50, 0.1, seed=1, directed=True)
    with pytest.raises(AnalysisError, match="did not converge.*max_iter"):
        pagerank(G, max_iter=2, engine=engine)
    with pytest.raises(AnalysisError, match="did not converge"):
        eigenvector(nx.path_graph(30), max_iter=2, tol=1e-14, engine=engine)


def test_bad_settings_are_refused_with_what_to_do():
    G = nx.gnp_random_graph(40, 0.1, seed=2)
    with pytest.raises(ArgumentError, match=r"engine must be one of 'auto', 'fast', 'reference' \(aliases: 'networkit' "
                                            r"for 'fast', 'networkx' for 'reference'\); got 'igraph'"):
        components(G, engine="igraph")
    with pytest.raises(AnalysisError, match="undirected"):
        components(G, strong=True)
    with pytest.raises(ArgumentError, match="does not combine"):
        betweenness(G, k=5, sources=[1])
    with pytest.raises(ArgumentError, match="k must be between 2 and the number of nodes"):
        betweenness(G, k=100)
    with pytest.raises(ArgumentError, match="not in the graph: 'nobody'"):
        betweenness(G, sources=[1, "nobody"], engine="networkit")
    with pytest.raises(ArgumentError, match="not in the graph: 'nobody'"):
        pagerank(G, personalization={"nobody": 1.0}, engine="networkit")
    weighted = nx.Graph(G)
    nx.set_edge_attributes(weighted, 2.0, "weight")
    with pytest.raises(ArgumentError, match="networkx only"):
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
