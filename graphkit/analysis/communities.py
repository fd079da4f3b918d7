"""Community structure.

Louvain (python-louvain, or NetworKit's PLM), label propagation and modularity.

Both engines see the graph undirected (a directed graph's reciprocal weights summed, said in
the provenance) in a fixed node order, so a seed reproduces its partition however the graph
was built.  NetworKit runs single-threaded here: its parallel move phase depends on thread
scheduling, and one thread with ``nk.setSeed(seed, False)`` makes it reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.analysis._checks import POSITIVE, SEED, SIZE, check_arguments, check_known
from graphkit.analysis._dispatch import EngineName, Output, dispatch, implements
from graphkit.analysis._input import GraphLike, align_column, as_graph, fast_undirected, networkit
from graphkit.errors import ArgumentError
from graphkit.graph import Graph
from graphkit.model import ID, KIND
from graphkit.results import Result

__all__ = ["label_propagation", "louvain", "modularity"]

#: The move phase's passes over the nodes per level (NetworKit's default); it always ends.
PLM_MAX_ITER = 32


def louvain(
    graph: GraphLike,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int = 0,
    level: int | None = None,
    engine: EngineName = "auto",
) -> Result:
    """Louvain communities, reproducible for a seed.

    The reference engine is python-louvain (``generate_dendrogram``, nodes visited in an order
    shuffled by ``seed``; networkx's ``louvain_partitions`` when ``resolution != 1``, which
    python-louvain 0.16 mishandles); the fast engine is NetworKit's PLM with refinement
    (``refine=True``, ``par="none randomized"``, single-threaded, seeded).  A directed graph is made
    undirected first, summing the weights of reciprocal edges; the provenance says so.

    Parameters
    ----------
    graph : Graph or networkx graph
    weight : str or None
        Edge attribute holding weights (for a projection: its weights); ``None`` for unweighted.
    resolution : float
        Modularity resolution gamma (networkx's and NetworKit's), above 0 (at 0 or below every
        merge gains and the "modularity" is meaningless); above 1 gives smaller communities.
    seed : int
        Random seed, an integer in [0, 2**32 - 1].
    level : int or None
        A level of the dendrogram (0 = the first, finest pass), an integer 0 or more;
        ``None`` for the best partition.  On NetworKit the levels are the passes of the unrefined method, and the
        best partition is the refined one.
    engine : {"auto", "fast", "reference"}
        ``"auto"``: the fast engine (NetworKit) above 5,000 edges, the reference one
        (python-louvain) below; ``"networkit"`` and ``"networkx"`` are their aliases.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``community`` (0 = the largest; ties by the smallest
        member), sorted by community, kind, id.  ``summary``: ``modularity`` (of the returned
        partition, at ``resolution``), ``communities``, ``largest``, and with ``level`` given
        ``level`` and ``levels`` (how many the dendrogram has).

    Raises
    ------
    ArgumentError
        Not a graph, a parameter out of its range (checked first), or ``level`` beyond the
        dendrogram (known only once it is built).

    Examples
    --------
    >>> r = louvain(nx.karate_club_graph(), seed=0)
    >>> r.summary["communities"], round(r.summary["modularity"], 2)
    (4, 0.44)
    >>> louvain(nx.karate_club_graph(), level=0).summary["levels"]
    2
    """
    check_arguments("louvain", graph, resolution=(resolution, POSITIVE), seed=(seed, SEED),
                    level=(level, SIZE.or_none()))
    seed, level, resolution = int(seed), None if level is None else int(level), float(resolution)  # numpy too
    params = {"weight": weight, "resolution": resolution, "seed": seed, "level": level}
    return dispatch("louvain", graph, engine, params, weight=weight, undirected=True, finish=_communities,
                    resolution=resolution, seed=seed, level=level)


@implements("louvain", "fast")
def _louvain_fast(g: Graph, *, weight: str | None, resolution: float, seed: int, level: int | None) -> Output:
    extra: dict = {}
    G = g.to_networkit(weight is not None)
    with networkit(seed=seed, threads=1) as nk:
        if level is None:
            plm = nk.community.PLM(G, refine=True, gamma=resolution, par="none randomized", maxIter=PLM_MAX_ITER,
                                   turbo=True, recurse=True)
            labels = np.asarray(plm.run().getPartition().getVector(), dtype=np.int64)
        else:
            levels = _plm_levels(nk, G, resolution)
            labels = _pick_level(levels, level)
            extra = {"level": level, "levels": len(levels)}
    q = _modularity(g, labels, weight is not None, resolution)
    return Output("networkit", {"community": labels}, by="community", labels=True,
                  summary={"modularity": q, **extra})


@implements("louvain", "reference")
def _louvain_reference(G: nx.Graph, *, weight: str | None, resolution: float, seed: int,
                       level: int | None) -> Output:
    levels = _reference_levels(G, weight, resolution, seed)
    partition = levels[-1] if level is None else _pick_level(levels, level)
    extra = {} if level is None else {"level": level, "levels": len(levels)}
    q = nx.community.modularity(G, _groups(partition), weight=weight or "__unweighted__",
                                resolution=resolution) if G.number_of_edges() else 0.0
    return Output("python-louvain" if resolution == 1.0 else "networkx", {"community": partition}, rows=list(partition),
                  by="community", labels=True, summary={"modularity": float(q), **extra})


def _reference_levels(G: nx.Graph, key: str | None, resolution: float, seed: int) -> list[dict]:
    """The dendrogram of the reference Louvain: python-louvain's, or at ``resolution != 1`` networkx's.

    python-louvain 0.16 moves nodes by the resolution as networkx and NetworKit define it,
    but stops by a modularity that scales the other term, and so ends too early.
    """
    if G.number_of_edges() == 0:
        return [{n: i for i, n in enumerate(G)}]
    if resolution == 1.0:
        import community as community_louvain  # python-louvain

        dendrogram = community_louvain.generate_dendrogram(G, weight=key or "__unweighted__", random_state=seed)
        return [community_louvain.partition_at_level(dendrogram, i) for i in range(len(dendrogram))]
    passes = nx.community.louvain_partitions(G, weight=key, resolution=resolution, seed=seed)
    return [{n: c for c, members in enumerate(groups) for n in members} for groups in passes]


def _plm_levels(nk, G, resolution: float) -> list[np.ndarray]:
    """The dendrogram of unrefined PLM: each pass's partition of the original nodes."""
    levels: list[np.ndarray] = []
    mapping = np.arange(G.numberOfNodes())
    current = G
    while True:
        plm = nk.community.PLM(current, refine=False, gamma=resolution, par="none randomized",
                               maxIter=PLM_MAX_ITER, turbo=True, recurse=False)
        zeta = plm.run().getPartition()
        zeta.compact()
        if zeta.numberOfSubsets() == current.numberOfNodes() and levels:
            break
        coarse, fine_to_coarse = nk.community.PLM.coarsen(current, zeta)
        mapping = np.asarray(fine_to_coarse, dtype=np.int64)[mapping]
        levels.append(mapping.copy())
        if coarse.numberOfNodes() == current.numberOfNodes():
            break
        current = coarse
    return levels


def _pick_level(levels: Sequence, level: int):
    if not 0 <= level < len(levels):
        raise ArgumentError(f"louvain: level {level} is not in the dendrogram, which has levels 0 to "
                            f"{len(levels) - 1}")
    return levels[level]


def _groups(partition: Mapping) -> list[set]:
    groups: dict = {}
    for node, label in partition.items():
        groups.setdefault(label, set()).add(node)
    return list(groups.values())


def _plp(g: Graph, weighted: bool, seed: int) -> np.ndarray:
    """NetworKit's PLP on a copy of ``g`` with nodes renumbered in an order shuffled by ``seed``.

    PLP visits nodes by number, and a fixed order floods labels across weak ties.
    """
    s, t, w = g.merged_edges()
    n = g.number_of_nodes()
    order = np.random.default_rng(seed).permutation(n)
    with networkit(seed=seed, threads=1) as nk:
        ends = (order[s].astype(np.uint64), order[t].astype(np.uint64))
        G = nk.GraphFromCoo((w, ends) if weighted else ends, n=n, weighted=weighted, directed=False)
        labels = np.asarray(nk.community.PLP(G).run().getPartition().getVector(), dtype=np.int64)
    return labels[order]


def _communities(frame: pd.DataFrame, summary: dict) -> tuple[pd.DataFrame, dict]:
    """The summary of a partition (modularity first, then the counts), from its frame."""
    sizes = np.bincount(frame["community"].to_numpy()) if len(frame) else np.zeros(0, dtype=np.int64)
    return frame, {"modularity": float(summary.pop("modularity")), "communities": len(sizes),
                   "largest": int(sizes.max()) if len(sizes) else 0, **summary}


def _modularity(g: Graph, labels: np.ndarray, weighted: bool, resolution: float) -> float:
    """Newman's modularity of ``labels`` (by position) on the undirected projection ``g``.

    As networkx and python-louvain define it (a self loop counts twice in a degree).
    """
    s, t, w = g.merged_edges()
    if not weighted:
        w = np.ones(len(s))
    m = w.sum()
    if m == 0:
        return 0.0
    codes, uniques = pd.factorize(labels)
    k = len(uniques)
    degree = np.bincount(s, w, g.number_of_nodes()) + np.bincount(t, w, g.number_of_nodes())
    same = codes[s] == codes[t]
    inside = np.bincount(codes[s[same]], w[same], k)
    total = np.bincount(codes, degree, k)
    return float((inside / m - resolution * (total / (2 * m)) ** 2).sum())


def modularity(
    graph: GraphLike,
    communities: Result | pd.DataFrame | Mapping,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
) -> float:
    """Modularity of a partition of ``graph`` (made undirected, reciprocal weights summed).

    Parameters
    ----------
    graph : Graph or networkx graph
    communities : Result, DataFrame or mapping
        A community Result (or its frame: ``kind``, ``id``, ``community``), or a mapping from
        node (networkx key) to community.  Nodes it leaves out are singletons.
    weight : str or None
        Edge attribute holding weights (for a projection: its weights); ``None``: unweighted.
    resolution : float
        Resolution gamma, above 0.

    Raises
    ------
    ArgumentError
        Not a graph, a bad ``resolution``, communities of another type or without the
        columns above, or a mapping naming nodes the graph does not have.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> round(modularity(G, {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}), 4)
    0.3571
    """
    check_arguments("modularity", graph, resolution=(resolution, POSITIVE))
    frame = community_frame("modularity", communities, mapping=True)
    g = fast_undirected(as_graph(graph, weight), [])
    labels: np.ndarray
    if frame is None:  # community_frame gives None for a mapping only
        mapping = cast(Mapping, communities)
        nodes = g.names()
        check_known("modularity", "node", mapping, set(nodes), where="the graph's nodes include",
                    limit=5)
        labels = np.array([mapping.get(n, None) for n in nodes], dtype=object)
    else:
        labels = align_column(g, frame, "community")
    missing = pd.isna(labels)
    labels = labels.astype(object)
    labels[missing] = [("singleton", i) for i in np.flatnonzero(missing)]
    return _modularity(g, pd.factorize(labels)[0], weight is not None, resolution)


def community_frame(function: str, communities, *, mapping: bool = False) -> pd.DataFrame | None:
    """The ``kind``, ``id``, ``community`` frame of a community Result or frame, checked.

    ``None`` for a mapping, where ``mapping`` allows one.
    """
    if mapping and isinstance(communities, Mapping):
        return None
    if not isinstance(communities, (Result, pd.DataFrame)):
        kinds = "a community Result, its frame or a mapping of node to community" if mapping else \
            "a community Result or its frame"
        raise ArgumentError(f"{function}: communities must be {kinds}, got a {type(communities).__name__}")
    frame = communities.frame if isinstance(communities, Result) else communities
    if not {KIND, ID, "community"} <= set(frame.columns):
        has = ", ".join(repr(c) for c in frame.columns) or "none"
        raise ArgumentError(f"{function}: communities need the columns 'kind', 'id' and 'community'; the frame "
                            f"has {has}")
    return frame


def label_propagation(graph: GraphLike, *, weight: str | None = "weight", seed: int = 0,
                      engine: EngineName = "auto") -> Result:
    """Label propagation communities (fast, coarse; a baseline for Louvain).

    The reference engine runs networkx's asynchronous label propagation
    (``asyn_lpa_communities``); the fast engine runs NetworKit's PLP single-threaded, seeded,
    over the nodes in an order shuffled by the seed.  They are different variants and their
    partitions differ; each is reproducible for a seed.  A directed graph is made undirected
    (recorded).

    Parameters
    ----------
    graph : Graph or networkx graph
    weight : str or None
        Edge attribute holding weights (for a projection: its weights); ``None``: unweighted.
    seed : int
        Random seed, an integer in [0, 2**32 - 1].
    engine : {"auto", "fast", "reference"}

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``community`` (0 = the largest), sorted by community.
        ``summary``: ``modularity``, ``communities``, ``largest``.

    Raises
    ------
    ArgumentError
        Not a graph, or a bad ``seed`` or ``engine``.

    Examples
    --------
    >>> G = nx.union(nx.complete_graph(5), nx.complete_graph(range(5, 10)))
    >>> label_propagation(G, seed=1).summary["communities"]
    2
    """
    check_arguments("label_propagation", graph, seed=(seed, SEED))
    seed = int(seed)
    return dispatch("label_propagation", graph, engine, {"weight": weight, "seed": seed}, weight=weight,
                    undirected=True, finish=_communities, seed=seed)


@implements("label_propagation", "fast")
def _label_propagation_fast(g: Graph, *, weight: str | None, seed: int) -> Output:
    labels = _plp(g, weight is not None, seed)
    return Output("networkit", {"community": labels}, by="community", labels=True,
                  summary={"modularity": _modularity(g, labels, weight is not None, 1.0)})


@implements("label_propagation", "reference")
def _label_propagation_reference(G: nx.Graph, *, weight: str | None, seed: int) -> Output:
    groups = list(nx.community.asyn_lpa_communities(G, weight=weight, seed=seed))
    nodes = [n for group in groups for n in group]
    labels = np.array([i for i, group in enumerate(groups) for _ in group], dtype=np.int64)
    q = nx.community.modularity(G, groups, weight=weight or "__unweighted__") if G.number_of_edges() else 0.0
    return Output("networkx", {"community": labels}, rows=nodes, by="community", labels=True,
                  summary={"modularity": float(q)})
