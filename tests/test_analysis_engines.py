"""Engines behind one dispatcher: canonical names and aliases, unknown engines, adding an
engine without editing a measure; node identity and the caches a graph owns."""

from __future__ import annotations

import gc
import weakref

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import graphkit
from graphkit import ArgumentError, Graph
from graphkit.analysis import _dispatch
from graphkit.analysis._dispatch import ALIASES, Engine, Output, engines, implements, register_engine, unregister
from graphkit.analysis._input import as_networkx, node_columns, sort_frame


def _kinds() -> nx.Graph:
    G = nx.gnp_random_graph(40, 0.12, seed=4)
    nx.set_node_attributes(G, {n: ("Institution", "Creator", "Viewer")[n % 3] for n in G}, "kind")
    nx.set_edge_attributes(G, "FOLLOWS", "type")
    return G


#: (name, call) for one measure of each kind of Result the dispatcher builds.
CALLS = [
    ("degree", lambda G, e: graphkit.degree(G, weight="weight", engine=e)),
    ("pagerank", lambda G, e: graphkit.pagerank(G, personalization=[0, 1], engine=e)),
    ("hits", lambda G, e: graphkit.hits(G, engine=e)),
    ("louvain", lambda G, e: graphkit.louvain(G, seed=2, engine=e)),
    ("label_propagation", lambda G, e: graphkit.label_propagation(G, seed=2, engine=e)),
    ("components", lambda G, e: graphkit.components(G, engine=e)),
    ("bridges", lambda G, e: graphkit.bridges(G, engine=e)),
    ("articulation_points", lambda G, e: graphkit.articulation_points(G, engine=e)),
    ("core_number", lambda G, e: graphkit.core_number(G, engine=e)),
    ("clustering", lambda G, e: graphkit.clustering(G, engine=e)),
    ("closeness", lambda G, e: graphkit.closeness(G, engine=e)),
    ("betweenness", lambda G, e: graphkit.betweenness(G, k=8, seed=1, engine=e)),
    ("broker_score", lambda G, e: graphkit.broker_score(G, engine=e)),
    ("reach", lambda G, e: graphkit.reach(G, relationships=None, engine=e)),
    ("bipartite_projection", lambda G, e: graphkit.bipartite_projection(G, via="Institution", engine=e)),
    ("stability", lambda G, e: graphkit.stability(G, seeds=2, engine=e)),
]


def _same(a, b) -> None:
    """Equal results.  NetworKit's exact betweenness sums in parallel, so two runs may differ in
    the last bits, and tied rows may swap: compare by node, to 1e-12."""
    order = list(a.frame.columns[:2])  # kind, id (or the two ends of a bridge or a pair)
    fa = a.frame.sort_values(order, key=lambda c: c.map(str), ignore_index=True)
    fb = b.frame.sort_values(order, key=lambda c: c.map(str), ignore_index=True)
    pd.testing.assert_frame_equal(fa, fb, check_exact=False, rtol=1e-12, atol=1e-15)
    assert a.summary == pytest.approx(b.summary, rel=1e-12)
    assert a.provenance == b.provenance


@pytest.mark.parametrize(("alias", "canonical"), sorted(ALIASES.items()))
@pytest.mark.parametrize(("name", "call"), CALLS, ids=[name for name, _ in CALLS])
def test_an_alias_gives_what_its_engine_gives_and_records_the_canonical_name(name, call, alias, canonical):
    G = _kinds()
    by_alias, by_name = call(G, alias), call(G, canonical)
    _same(by_alias, by_name)
    assert by_name.provenance.parameters["engine"] == canonical


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_analyze_takes_the_aliases_too(alias):
    a = graphkit.analyze(nx.karate_club_graph(), engine=alias)
    b = graphkit.analyze(nx.karate_club_graph(), engine=ALIASES[alias])
    for step in a.results:
        _same(a.results[step], b.results[step])


def test_provenance_names_the_engine_and_the_library_that_computed():
    G = nx.karate_club_graph()
    fast, reference = graphkit.louvain(G, engine="fast").provenance, graphkit.louvain(G, engine="reference").provenance
    assert (fast.parameters["engine"], fast.engine) == ("fast", "networkit")
    assert (reference.parameters["engine"], reference.engine) == ("reference", "python-louvain")
    assert "networkit" in fast.versions and "scipy" in fast.versions
    assert graphkit.pagerank(G, engine="fast").provenance.engine == "scipy"  # the fast engine is not only NetworKit
    assert graphkit.pagerank(nx.path_graph(3)).provenance.parameters["engine"] == "reference"  # auto: small graph


LISTED = ("engine must be one of 'auto', 'fast', 'reference' (aliases: 'networkit' for 'fast', 'networkx' for "
          "'reference'); got 'igraph'")


@pytest.mark.parametrize("function", ["pagerank", "louvain", "components", "reach", "bipartite_projection",
                                      "stability", "analyze"])
def test_an_unknown_engine_is_an_argument_error_listing_the_engines(function):
    G = _kinds()
    with pytest.raises(ArgumentError) as error:
        getattr(graphkit, function)(G, engine="igraph")
    assert str(error.value) == f"{function}: {LISTED}"
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("engine", [None, 1, "FAST", "auto "])
def test_engines_are_named_exactly(engine):
    with pytest.raises(ArgumentError, match="engine must be one of 'auto', 'fast', 'reference'"):
        graphkit.degree(nx.path_graph(3), engine=engine)


def test_a_named_engine_that_cannot_run_the_options_refuses_and_auto_falls_back():
    G = nx.karate_club_graph()
    with pytest.raises(ArgumentError, match="betweenness: weighted sampled or subset betweenness runs on networkx "
                                            "only .*engine='reference'"):
        graphkit.betweenness(G, k=5, weight="weight", engine="fast")
    big = nx.gnm_random_graph(3000, 6000, seed=1)  # auto takes the fast engine, which declines
    found = graphkit.betweenness(big, k=2, weight="weight", force=True).provenance
    assert (found.parameters["engine"], found.engine) == ("reference", "networkx")


def _toy_convert(graph, weight, undirected, conversions):
    """The toy engine's input: a plain dict of node to neighbour list."""
    G = as_networkx(graph)
    return {"nodes": G, "adjacency": {n: list(G[n]) for n in G}}, weight


def _toy_frame(data, out: Output) -> pd.DataFrame:
    G = data["nodes"]
    frame = node_columns(G, list(G))
    for name, values in out.columns.items():
        frame[name] = np.array([values[n] for n in G], dtype=np.float64)
    return sort_frame(frame, [out.by], [False])


@pytest.fixture
def toy():
    """A toy engine implementing degree only, registered for one test and then removed."""
    register_engine(Engine("toy", _toy_convert, _toy_frame, libraries=("networkx",)))

    @implements("degree", "toy")
    def _degree_toy(data, *, weight):
        return Output("python", {"degree": {n: float(len(ns)) for n, ns in data["adjacency"].items()}}, by="degree")

    yield "toy"
    unregister(engine="toy")


def test_an_engine_is_added_by_registering_implementations_not_by_editing_measures(toy):
    G = nx.karate_club_graph()
    found = graphkit.degree(G, engine=toy)
    pd.testing.assert_frame_equal(found.frame, graphkit.degree(G, engine="reference").frame)
    assert (found.provenance.parameters["engine"], found.provenance.engine) == ("toy", "python")
    assert engines("degree") == ["fast", "reference", "toy"]
    with pytest.raises(ArgumentError, match="pagerank: engine must be one of 'auto', 'fast', 'reference' .*; the "
                                            "'toy' engine does not run pagerank; got 'toy'"):
        graphkit.pagerank(G, engine=toy)
    with pytest.raises(ArgumentError, match="analyze: .*the 'toy' engine does not run analyze"):
        graphkit.analyze(G, engine=toy)  # it lacks the other steps


def test_unregistering_an_engine_removes_it_everywhere(toy):
    unregister(engine=toy)
    assert "toy" not in _dispatch.ENGINES and engines("degree") == ["fast", "reference"]
    with pytest.raises(ArgumentError, match="got 'toy'"):
        graphkit.degree(nx.path_graph(3), engine="toy")


def test_a_converted_networkx_graph_is_named_by_its_own_nodes_a_projection_by_its_keys():
    from graphkit.analysis._input import as_graph, lookup

    G = nx.Graph([("b", ("t", 1)), ("a", "b")])
    g = as_graph(G)
    assert list(g.names()) == [("t", 1), "a", "b"] and g.networkx_nodes is not None  # sorted by str(node)
    assert lookup(g, ["b", ("t", 1)], "these").tolist() == [2, 0]
    projection = Graph.from_networkx(G)
    assert projection.networkx_nodes is None and list(projection.names()) == list(projection.keys)
    assert not hasattr(g, "meta")  # no mutable mapping on the frozen graph
    with pytest.raises(AttributeError):
        g.networkx_nodes = None  # frozen


def test_a_graph_owns_its_caches_and_they_go_with_it():
    G = nx.gnm_random_graph(300, 900, seed=2, directed=True)
    g = Graph.from_networkx(G)
    for engine in ("fast", "reference"):
        graphkit.pagerank(g, engine=engine)
        graphkit.louvain(g, engine=engine)
        graphkit.components(g, engine=engine)
    cached = set(vars(g))
    assert {"_csr_transposed", "_rank", "_merged", "_networkx"} <= cached
    assert g.csr(transpose=True) is g.csr(transpose=True)  # built once
    g.release_csr()
    assert "_csr_transposed" not in vars(g)
    graphkit.pagerank(g, engine="fast")  # rebuilt when next needed
    alive = weakref.ref(g)
    del g
    gc.collect()
    assert alive() is None  # nothing outside the graph held on to it
