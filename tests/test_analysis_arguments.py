"""Wrong arguments get a clear error before any work: not a graph, a number out of range, a
name the graph or frame does not have.  Each refusal is an ArgumentError (a ValueError too)
that names the function, the parameter and what it accepts."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import graphkit
from graphkit import (
    ArgumentError,
    EmbeddedStore,
    Graph,
    adjusted_rand,
    analyze,
    articulation_points,
    betweenness,
    bipartite_projection,
    bridges,
    broker_score,
    brokers,
    closeness,
    clustering,
    community_profiles,
    components,
    core_number,
    degree,
    eigenvector,
    harmonic,
    hits,
    institution_reach,
    label_propagation,
    louvain,
    modularity,
    nmi,
    pagerank,
    participation_coefficient,
    reach,
    stability,
    top_k,
)

PARTS = pd.DataFrame({"kind": [""] * 3, "id": [0, 1, 2], "community": [0, 0, 1]})
INSTITUTIONS = pd.DataFrame({"id": ["i"], "name": ["I"], "category": ["university"]})
VIEWERS = pd.DataFrame({"id": ["v"], "age_band": ["60_plus"], "region_type": ["rural"]})
CREATORS = pd.DataFrame({"id": ["c"], "name": ["C"], "primary_topic": ["t"]})
TOPICS = pd.DataFrame({"id": ["t"], "name": ["T"]})
SUBTOPICS = pd.DataFrame({"source_id": [], "target_id": []})

#: Every public function that takes a graph first, with what else it needs.
GRAPH_FUNCTIONS = {
    "analyze": lambda g, **kw: analyze(g, **kw),
    "articulation_points": lambda g, **kw: articulation_points(g, **kw),
    "betweenness": lambda g, **kw: betweenness(g, **kw),
    "bipartite_projection": lambda g, **kw: bipartite_projection(g, **kw),
    "bridges": lambda g, **kw: bridges(g, **kw),
    "broker_score": lambda g, **kw: broker_score(g, **kw),
    "closeness": lambda g, **kw: closeness(g, **kw),
    "clustering": lambda g, **kw: clustering(g, **kw),
    "community_profiles": lambda g, **kw: community_profiles(g, PARTS, **kw),
    "components": lambda g, **kw: components(g, **kw),
    "core_number": lambda g, **kw: core_number(g, **kw),
    "degree": lambda g, **kw: degree(g, **kw),
    "eigenvector": lambda g, **kw: eigenvector(g, **kw),
    "harmonic": lambda g, **kw: harmonic(g, **kw),
    "hits": lambda g, **kw: hits(g, **kw),
    "label_propagation": lambda g, **kw: label_propagation(g, **kw),
    "louvain": lambda g, **kw: louvain(g, **kw),
    "modularity": lambda g, **kw: modularity(g, PARTS, **kw),
    "pagerank": lambda g, **kw: pagerank(g, **kw),
    "reach": lambda g, **kw: reach(g, **kw),
    "stability": lambda g, **kw: stability(g, **kw),
    # The three questions' measures that take a graph first, with the frames they need.
    "institution_reach": lambda g, **kw: institution_reach(g, INSTITUTIONS, VIEWERS, **kw),
    "brokers": lambda g, **kw: brokers(g, CREATORS, TOPICS, SUBTOPICS, **kw),
    "participation_coefficient": lambda g, **kw: participation_coefficient(g, PARTS, **kw),
}
#: The public functions that take no graph (tested below with their own inputs).
OTHER_FUNCTIONS = {"adjusted_rand", "nmi", "top_k",
                   # frames in, tested in tests/test_answers_*.py
                   "institution_fields", "interest_match", "interest_served", "co_creation", "partnership_effect",
                   "creator_kinds", "earning", "earning_by_position", "concentration", "lorenz", "fair_access",
                   "resource_allocation"}
#: What the analysis package exports besides functions.
NOT_FUNCTIONS = {"AUTO_EDGES", "Analysis", "MAX_WORK", "REACH_RELATIONSHIPS"}


def _unusable() -> Graph:
    """A projection whose edge arrays no computation can read (3 sources, 1 target): a call
    that refuses with ArgumentError on it refused before touching the edges."""
    return Graph(np.array(["a", "b", "c"], dtype=object), np.full(3, "Node", dtype=object), np.array([0, 1, 2]),
                 np.array([1]), np.ones(3), np.full(3, "LINKS", dtype=object))


def test_every_public_analysis_function_is_covered_here():
    exported = set(graphkit.analysis.__all__) - NOT_FUNCTIONS
    assert exported == set(GRAPH_FUNCTIONS) | OTHER_FUNCTIONS


@pytest.mark.parametrize("name", sorted(GRAPH_FUNCTIONS))
@pytest.mark.parametrize("given", ["my-store", Path("my-store")], ids=["str", "path"])
def test_a_path_where_a_graph_is_expected_says_how_to_open_a_store(name, given):
    with pytest.raises(ArgumentError, match=rf"^{name}: expected a graphkit.Graph or a networkx graph, got the "
                                            r"\w+ .*my-store.*; to analyse a saved store, open it with "
                                            r"graphkit.EmbeddedStore.open\(path\) and project it"):
        GRAPH_FUNCTIONS[name](given)


def test_a_store_or_another_object_where_a_graph_is_expected_says_what_to_do():
    with pytest.raises(ArgumentError, match=r"got a graphkit\.stores\..*EmbeddedStore; project the store first"):
        pagerank(EmbeddedStore())
    with pytest.raises(ArgumentError, match=r"got a builtins.list; convert it to networkx"):
        louvain([(1, 2)])
    with pytest.raises(ValueError):  # an ArgumentError is a ValueError too
        components(None)


#: (function, keyword arguments, what the message says) for numbers out of range.
OUT_OF_RANGE = [
    ("louvain", {"resolution": -1}, "louvain: resolution must be a number > 0, got -1"),
    ("louvain", {"resolution": 0}, "resolution must be a number > 0, got 0"),
    ("louvain", {"resolution": math.nan}, "resolution must be a number > 0, got nan"),
    ("louvain", {"resolution": math.inf}, "resolution must be a number > 0, got inf"),
    ("louvain", {"resolution": "1"}, "resolution must be a number > 0, got '1'"),
    ("louvain", {"seed": -1}, r"seed must be an integer in \[0, 4294967295\], got -1"),
    ("louvain", {"seed": 1.5}, "seed must be an integer"),
    ("louvain", {"level": -1}, "level must be an integer >= 0, or None, got -1"),
    ("label_propagation", {"seed": 2**32}, "seed must be an integer in"),
    ("stability", {"seeds": 1}, "seeds must be an integer >= 2, got 1"),
    ("stability", {"seeds": [3, 3]}, "the seeds must be distinct"),
    ("stability", {"seeds": [-1, 2]}, "seed must be an integer in"),
    ("stability", {"resolution": 0}, "resolution must be a number > 0"),
    ("modularity", {"resolution": -0.5}, "modularity: resolution must be a number > 0"),
    ("pagerank", {"alpha": 0}, r"pagerank: alpha must be a number in \(0, 1\), got 0"),
    ("pagerank", {"alpha": 1}, r"alpha must be a number in \(0, 1\), got 1"),
    ("pagerank", {"alpha": 1.5}, r"alpha must be a number in \(0, 1\)"),
    ("pagerank", {"tol": 0}, "tol must be a number > 0, got 0"),
    ("pagerank", {"max_iter": 0}, "max_iter must be an integer >= 1, got 0"),
    ("pagerank", {"max_iter": 2.5}, "max_iter must be an integer >= 1, got 2.5"),
    ("pagerank", {"max_iter": True}, "max_iter must be an integer >= 1, got True"),
    ("eigenvector", {"tol": -1e-6}, "eigenvector: tol must be a number > 0"),
    ("eigenvector", {"max_iter": 0}, "max_iter must be an integer >= 1"),
    ("hits", {"tol": 0}, "hits: tol must be a number > 0"),
    ("hits", {"max_iter": -5}, "max_iter must be an integer >= 1"),
    ("betweenness", {"k": 1}, "betweenness: k must be an integer >= 2, or None, got 1"),
    ("betweenness", {"k": 2.5}, "k must be an integer >= 2, or None, got 2.5"),
    ("betweenness", {"seed": -3}, "seed must be an integer in"),
    ("reach", {"max_hops": 0}, "reach: max_hops must be an integer >= 1, or None, got 0"),
    ("bipartite_projection", {"threshold": -1}, "bipartite_projection: threshold must be a number >= 0"),
    ("bipartite_projection", {"max_pairs": 0}, "max_pairs must be a number > 0"),
    ("bipartite_projection", {"weight": "sum"}, "weight must be one of 'count', 'product'; got 'sum'"),
    ("community_profiles", {"top": -1}, "community_profiles: top must be an integer >= 0"),
    ("analyze", {"seed": -1}, "analyze: seed must be an integer in"),
    ("analyze", {"progress": "yes"}, "progress must be a callable or None"),
    ("core_number", {"mode": "all"}, "core_number: mode must be one of 'undirected', 'in\\+out'; got 'all'"),
    ("closeness", {"engine": "igraph"}, "closeness: engine must be one of 'auto', 'fast', 'reference'"),
    ("components", {"engine": None}, "components: engine must be one of"),
]


@pytest.mark.parametrize(("name", "options", "message"), OUT_OF_RANGE,
                         ids=[f"{n}-{next(iter(o))}={next(iter(o.values()))!r}" for n, o, _ in OUT_OF_RANGE])
def test_numbers_out_of_range_are_refused_before_any_work(name, options, message):
    with pytest.raises(ArgumentError, match=message):
        GRAPH_FUNCTIONS[name](_unusable(), **options)


def test_louvain_with_a_negative_resolution_no_longer_returns_a_modularity_of_2():
    with pytest.raises(ArgumentError, match="resolution must be a number > 0"):
        louvain(nx.karate_club_graph(), resolution=-1)
    assert louvain(nx.karate_club_graph(), resolution=0.5).summary["modularity"] <= 1


def test_values_inside_the_ranges_are_accepted():
    G = nx.karate_club_graph()
    assert pagerank(G, alpha=0.5, tol=1e-8, max_iter=np.int64(500)).frame["pagerank"].sum() == pytest.approx(1)
    assert betweenness(G, k=np.int64(2), seed=2**32 - 1).summary["sources"] == 2
    assert louvain(G, resolution=np.float32(1.5), seed=np.uint32(7)).summary["communities"] > 1
    assert reach(G, sources="", targets="", relationships=None, max_hops=1).summary["share_within_1"] == 1.0
    assert len(top_k(degree(G), 0)) == 0


def _kinds() -> nx.Graph:
    G = nx.Graph([("i", "c1"), ("c1", "v1"), ("i", "c2"), ("c2", "v1"), ("c2", "v2"), ("c1", "t")])
    nx.set_node_attributes(G, {"i": "Institution", "c1": "Creator", "c2": "Creator", "v1": "Viewer",
                               "v2": "Viewer", "t": "Topic"}, "kind")
    nx.set_edge_attributes(G, "FOLLOWS", "type")
    return G


@pytest.mark.parametrize("engine", ["networkit", "networkx"])
def test_unknown_nodes_are_named_on_both_engines(engine):
    G = nx.karate_club_graph()
    with pytest.raises(ArgumentError, match=r"pagerank personalization: 2 nodes are not in the graph: 'nobody', 99"):
        pagerank(G, personalization={0: 1.0, "nobody": 1.0, 99: 2.0}, engine=engine)  # networkx ignored them
    with pytest.raises(ArgumentError, match="betweenness sources: 1 node is not in the graph: 'x'"):
        betweenness(G, sources=[0, "x"], engine=engine)
    with pytest.raises(ArgumentError, match="betweenness targets: 1 node is not in the graph: 'y'"):
        betweenness(G, targets=["y"], engine=engine)


def test_personalization_weights_are_checked():
    G = nx.karate_club_graph()
    with pytest.raises(ArgumentError, match="weights must be finite numbers >= 0, got {0: -1}"):
        pagerank(G, personalization={0: -1, 1: 2})
    with pytest.raises(ArgumentError, match="finite numbers >= 0"):
        pagerank(G, personalization={0: math.nan})
    with pytest.raises(ArgumentError, match="positive weight to at least one node"):
        pagerank(G, personalization={0: 0, 1: 0})
    with pytest.raises(ArgumentError, match="a mapping of node to weight or an iterable of nodes"):
        pagerank(G, personalization="Institution")


def test_a_projection_s_unknown_node_key_says_how_its_nodes_are_named():
    g = Graph.from_networkx(_kinds())
    g = Graph(g.ids, g.kinds, g.source, g.target, g.weight, g.rel_types)
    with pytest.raises(ArgumentError, match=r'not in the graph: .c1.*named "<Label>:<id>"'):
        pagerank(g, personalization=["c1"], engine="networkit")
    assert pagerank(g, personalization=["Creator:c1"], engine="networkit").frame["id"].iloc[0] == "c1"


@pytest.mark.parametrize("engine", ["networkit", "networkx"])
def test_unknown_kinds_and_relationship_types_are_named(engine):
    G = _kinds()
    kinds = "its kinds are 'Creator', 'Institution', 'Topic', 'Viewer'"
    with pytest.raises(ArgumentError, match=f"reach sources: the graph has no 'Museum' nodes; {kinds}"):
        reach(G, sources="Museum", engine=engine)
    with pytest.raises(ArgumentError, match="reach targets: the graph has no 'viewer' nodes"):
        reach(G, targets="viewer", engine=engine)
    with pytest.raises(ArgumentError, match="reach: unknown relationship type 'LIKES'; the graph and the data "
                                            "model have 'AFFILIATED_WITH'"):
        reach(G, relationships="LIKES", engine=engine)
    with pytest.raises(ArgumentError, match="broker_score brokers: the graph has no 'Museum' nodes"):
        broker_score(G, brokers="Museum", engine=engine)
    with pytest.raises(ArgumentError, match="broker_score sources: the graph has no 'Museum' nodes"):
        broker_score(G, sources="Museum", engine=engine)
    with pytest.raises(ArgumentError, match="bipartite_projection via: the graph has no 'Audience' nodes"):
        bipartite_projection(G, via="Audience", engine=engine)
    with pytest.raises(ArgumentError, match="unknown relationship type 'ENGAGES_WITH'; the graph has 'FOLLOWS'"):
        bipartite_projection(G, relationships=["ENGAGES_WITH"], engine=engine)
    with pytest.raises(ArgumentError, match="nodes and via must be two different kinds"):
        bipartite_projection(G, nodes="Viewer", via="Viewer", engine=engine)


def test_top_k_names_its_columns():
    result = degree(nx.karate_club_graph())
    with pytest.raises(ArgumentError, match="top_k: unknown column 'pagerank'; the frame's score columns are "
                                            "'degree'"):
        top_k(result, 3, column="pagerank")
    with pytest.raises(ArgumentError, match="unknown columns 'kind', 'id'; the frame has 'node', 'score'"):
        top_k(pd.DataFrame({"node": [1], "score": [1.0]}))
    with pytest.raises(ArgumentError, match="top_k: expected a Result or a DataFrame, got a str"):
        top_k("pagerank.csv")
    with pytest.raises(ArgumentError, match="top_k: k must be an integer >= 0, got -1"):
        top_k(result, -1)
    assert top_k(result, 2, column="degree")["rank"].tolist() == [1, 2]


def test_communities_are_checked():
    G = nx.path_graph(3)
    with pytest.raises(ArgumentError, match="modularity: unknown node 'nobody'"):
        modularity(G, {0: 0, "nobody": 1})
    with pytest.raises(ArgumentError, match="communities need the columns 'kind', 'id' and 'community'; the frame "
                                            "has 'id', 'label'"):
        modularity(G, pd.DataFrame({"id": [0], "label": [0]}))
    with pytest.raises(ArgumentError, match="community_profiles: communities must be a community Result or its "
                                            "frame, got a dict"):
        community_profiles(G, {0: 0})
    with pytest.raises(ArgumentError, match="label sequences of one length"):
        nmi([0, 1], [0])
    with pytest.raises(ArgumentError, match="label sequences of one length"):
        adjusted_rand([0, 1, 1], [[0, 1, 1]])


def test_frame_measures_check_their_frames_first():
    creators = pd.DataFrame({"id": ["a", "b"]})
    with pytest.raises(ArgumentError, match="creators must be a DataFrame"):
        graphkit.earning("creators.csv", pd.DataFrame(), pd.DataFrame())
    with pytest.raises(ArgumentError, match="earning: creators needs the columns"):
        graphkit.earning(creators, pd.DataFrame(), pd.DataFrame())
    with pytest.raises(ArgumentError, match="concentration: creators needs the columns"):
        graphkit.concentration(creators, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
