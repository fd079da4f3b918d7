"""Shortest-path betweenness.

Exact, sampled from ``k`` seeded sources, and restricted to paths between two node sets
(the broker score).

Exact betweenness on the fast path is NetworKit's (parallel Brandes).  Sampled and subset
betweenness run Brandes' algorithm from the chosen sources on sparse matrices: a batch of
sources advances one breadth-first level per sparse-matrix product, so there is no per-edge
Python.  Results are scaled exactly as networkx scales them, so both engines agree; the
sampled sources are drawn as networkx draws them (``random.Random(seed).sample``) over the
nodes in graphkit's order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

import networkx as nx
import numpy as np

from graphkit.analysis._arrays import matrix
from graphkit.analysis._checks import SEED, Domain, check_arguments
from graphkit.analysis._dispatch import EngineName, Output, dispatch, implements
from graphkit.analysis._guard import check_work, search_work
from graphkit.analysis._input import GraphLike, check_kinds, kind_positions, listed_nodes, networkit, positions
from graphkit.errors import ArgumentError
from graphkit.graph import Graph
from graphkit.model import KIND
from graphkit.results import Result

__all__ = ["betweenness", "broker_score"]

#: Sampled sources: at least two (the scaling divides by ``k - 1``).
SAMPLE = Domain(2, math.inf, high_open=True, integer=True)

#: Memory for one batch of sources in the sparse Brandes (about 40 bytes per node and source).
BATCH_BYTES = 24 * 2**20


def _rescale(raw: np.ndarray, n: int, normalized: bool, directed: bool, sampled: np.ndarray | None) -> np.ndarray:
    """The ``_rescale`` of networkx (endpoints excluded) applied to sums over ordered pairs."""
    big_n = n - 1
    if big_n < 2:
        return raw
    correction = 1 if directed else 2
    if sampled is None:
        scale = 1 / (big_n * (big_n - 1)) if normalized else 1 / correction
        return raw * scale
    k = len(sampled)
    if normalized:
        source, other = 1 / ((k - 1) * (big_n - 1)), 1 / (k * (big_n - 1))
    else:
        source, other = big_n / ((k - 1) * correction), big_n / (k * correction)
    scales = np.full(n, other)
    scales[sampled] = source
    return raw * scales


def sparse_brandes(g: Graph, sources: np.ndarray, targets: np.ndarray | None = None) -> np.ndarray:
    """Sum over ``sources`` s and ``targets`` t of the share of shortest s-t paths through each node.

    ``sources`` and ``targets`` default to all nodes; endpoints excluded, unweighted, over
    ordered pairs.
    """
    A = matrix(g, unit=True)  # self loops stay: they never join two levels
    AT = A if not g.directed else matrix(g, unit=True, transpose=True)
    n = g.number_of_nodes()
    target_weight = np.ones(n)
    if targets is not None:
        target_weight = np.zeros(n)
        target_weight[targets] = 1.0
    batch = int(max(1, min(64, BATCH_BYTES // (40 * max(n, 1)))))
    total = np.zeros(n)
    for start in range(0, len(sources), batch):
        total += _batch(A, AT, sources[start:start + batch], target_weight)
    return total


#: A level touching fewer than this share of the nodes is multiplied on its rows alone.
SMALL_LEVEL = 0.3


def _batch(A, AT, sources: np.ndarray, target_weight: np.ndarray) -> np.ndarray:
    """Brandes from a batch of sources at once: column j of each n-by-b array is source j's search.

    Small levels (the first and last few) are multiplied on their own rows only.
    """
    n, b = A.shape[0], len(sources)
    cols = np.arange(b)
    small = SMALL_LEVEL * n
    dist = np.full((n, b), -1, dtype=np.int32)
    sigma = np.zeros((n, b))
    dist[sources, cols] = 0
    sigma[sources, cols] = 1.0
    rows = np.unique(sources)
    levels = [rows]  # the nodes at each depth, in any column
    depth, found = 0, b
    while found < n * b:  # forward: path counts, one level of every search per product
        if len(rows) < small:
            reached = A[rows].T @ (sigma[rows] * (dist[rows] == depth))
        else:
            reached = AT @ np.where(dist == depth, sigma, 0.0)
        new = dist < 0
        new &= reached > 0
        count = int(np.count_nonzero(new))
        if not count:
            break
        depth += 1
        found += count
        dist[new] = depth
        np.copyto(sigma, reached, where=new)
        rows = np.flatnonzero(new.any(axis=1))
        levels.append(rows)
        del reached, new
    delta = np.zeros((n, b))
    # Backward: dependencies flow one level up per product.  Level 1 is left out: it would
    # only add to the sources' own dependencies, which do not count.
    for level in range(depth, 1, -1):
        here, above = levels[level], levels[level - 1]
        if len(here) < small and len(above) < small:
            at = dist[here] == level
            part = delta[here] + target_weight[here, None]
            np.divide(part, sigma[here], out=part, where=at)
            part *= at
            coef = np.zeros((n, b))
            coef[here] = part
            up = A[above] @ coef
            up *= sigma[above]
            up *= dist[above] == level - 1
            delta[above] += up
        else:
            at = dist == level
            coef = delta + target_weight[:, None]
            np.divide(coef, sigma, out=coef, where=at)
            coef *= at
            up = A @ coef
            up *= sigma
            np.add(delta, up, out=delta, where=dist == level - 1)
        del coef, up
    delta[sources, cols] = 0.0
    return delta.sum(axis=1)


def _sample(n: int, k: int | None, seed: int) -> np.ndarray | None:
    if k is None:
        return None
    if not 2 <= k <= n:
        raise ArgumentError(f"betweenness: k must be between 2 and the number of nodes ({n}), got {k}; "
                            "k = n gives the exact values")
    return np.array(random.Random(seed).sample(range(n), k), dtype=np.int64)


def betweenness(
    graph: GraphLike,
    *,
    k: int | None = None,
    seed: int = 0,
    normalized: bool = True,
    weight: str | None = None,
    sources: Iterable | None = None,
    targets: Iterable | None = None,
    engine: EngineName = "auto",
    force: bool = False,
) -> Result:
    """Shortest-path betweenness centrality: exact, sampled, or between two node sets.

    Parameters
    ----------
    graph : Graph or networkx graph
    k : int, optional
        Sample ``k`` source nodes (seeded) and scale up, as networkx's ``k``: an integer from 2
        to the number of nodes; ``k = n`` gives the exact values.
    seed : int
        Seed of the sample, an integer in [0, 2**32 - 1].
    normalized : bool
        Divide by the number of ordered pairs of other nodes ``(n - 1)(n - 2)``; otherwise an
        undirected graph counts each pair once.
    weight : str, optional
        Edge lengths for weighted shortest paths (for a projection: its weights).  Weighted
        sampled and subset betweenness run on networkx only.
    sources, targets : iterable of nodes, optional
        Count only paths from ``sources`` to ``targets`` (networkx's
        ``betweenness_centrality_subset``; nodes as networkx keys, every one of them in the
        graph).  Not with ``k``.
    engine : {"auto", "fast", "reference"}
    force : bool
        Run even when the size check refuses.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``betweenness``, sorted descending.  ``summary``:
        ``sources`` (searches run), ``max``.

    Raises
    ------
    ArgumentError
        Not a graph, ``k`` outside [2, n], a bad ``seed`` or ``engine``, ``k`` with
        ``sources`` or ``targets``, or nodes the graph does not have (named).
    AnalysisError
        A computation too large for its budget (:data:`~graphkit.analysis.MAX_WORK`: about
        two minutes at the measured rate; pass ``k``, or ``force=True``).

    Examples
    --------
    >>> r = betweenness(nx.path_graph(4), normalized=False)
    >>> r.frame[["id", "betweenness"]].values.tolist()
    [[1, 2.0], [2, 2.0], [0, 0.0], [3, 0.0]]
    >>> betweenness(nx.path_graph(4), k=4, seed=1).frame["betweenness"].round(4).tolist()
    [0.6667, 0.6667, 0.0, 0.0]
    """
    check_arguments("betweenness", graph, k=(k, SAMPLE.or_none()), seed=(seed, SEED))
    k, seed = None if k is None else int(k), int(seed)  # numpy integers too
    subset = sources is not None or targets is not None
    if k is not None and subset:
        raise ArgumentError("betweenness: k samples sources from all nodes; it does not combine with sources or "
                            "targets")
    params = {"k": k, "seed": seed if k is not None else None, "normalized": normalized, "weight": weight,
              "sources": sources is not None, "targets": targets is not None}
    return dispatch("betweenness", graph, engine, params, weight=weight, finish=_largest("betweenness"), k=k,
                    sample_seed=seed, sources=sources, targets=targets, normalized=normalized, force=force,
                    sort_nodes=not isinstance(graph, Graph))


def _fast_declines(*, weight: str | None, k: int | None, sources, targets, **_) -> str | None:
    if weight is not None and (k is not None or sources is not None or targets is not None):
        return ("weighted sampled or subset betweenness runs on networkx only (the reference engine): pass "
                "engine='reference' (or 'auto'), or weight=None")
    return None


@implements("betweenness", "fast", declines=_fast_declines)
def _betweenness_fast(g: Graph, *, weight: str | None, k: int | None, sample_seed: int, sources, targets,
                      normalized: bool, force: bool, sort_nodes: bool) -> Output:
    """By position (a networkx graph's arrays are in sorted order already)."""
    src = positions(g, sources, "betweenness sources") if sources is not None else None
    tgt = positions(g, targets, "betweenness targets") if targets is not None else None
    return _fast(g, k, sample_seed, src, tgt, normalized, weight is not None, force)


@implements("betweenness", "reference")
def _betweenness_reference(G: nx.Graph, *, weight: str | None, k: int | None, sample_seed: int, sources, targets,
                           normalized: bool, force: bool, sort_nodes: bool) -> Output:
    """Sampling from the nodes in the fast engine's order.

    A projection's view in its arrays' order, a user's graph sorted (``sort_nodes``).
    """
    nodes = sorted(G.nodes, key=str) if sort_nodes else list(G.nodes)
    return _reference(G, nodes, k, sample_seed, listed_nodes(G, sources, "betweenness sources"),
                      listed_nodes(G, targets, "betweenness targets"), normalized, weight, force)


def _largest(column: str):
    """A ``finish`` adding ``max`` (of ``column``) to the summary."""
    def finish(frame, summary: dict):
        return frame, {**summary, "max": float(frame[column].max()) if len(frame) else 0.0}

    return finish


def _fast(g: Graph, k: int | None, seed: int, src: np.ndarray | None, tgt: np.ndarray | None,
          normalized: bool, weighted: bool, force: bool) -> Output:
    """Betweenness on the fast engine, by position."""
    n, m = g.number_of_nodes(), len(g.merged_edges()[0])
    subset = src is not None or tgt is not None
    sample = _sample(n, k, seed)
    start = sample if sample is not None else (src if src is not None else np.arange(n))
    exact = sample is None and not subset
    guard = ("weighted betweenness" if weighted else "betweenness") if exact else "sampled betweenness"
    check_work(search_work(len(start), n, m), "fast", guard, _what(k, subset, n, m), _instead(k, subset), force)
    if exact:
        with networkit() as nk:
            algo = nk.centrality.Betweenness(g.to_networkit(weighted), normalized=False)
            raw = np.asarray(algo.run().scores())
        library = "networkit"
    else:
        raw = sparse_brandes(g, start, tgt)
        library = "scipy"
    scores = _rescale(raw, n, normalized, g.directed, sample)
    return Output(library, {"betweenness": scores}, by="betweenness", summary={"sources": len(start)})


def _reference(G: nx.Graph, nodes: list, k: int | None, seed: int, sources: list | None, targets: list | None,
               normalized: bool, key: str | None, force: bool) -> Output:
    """Betweenness by networkx, sources sampled in the order ``nodes``."""
    n, m = G.number_of_nodes(), G.number_of_edges()
    subset = sources is not None or targets is not None
    sample = _sample(n, k, seed)
    start = [nodes[i] for i in sample] if sample is not None else (sources if sources is not None else nodes)
    exact = sample is None and not subset
    guard = ("betweenness" if exact else "sampled betweenness")
    guard = f"weighted {guard}" if key is not None else guard
    check_work(search_work(len(set(start)), n, m), "reference", guard, _what(k, subset, n, m), _instead(k, subset),
               force)
    if exact:
        found = nx.betweenness_centrality(G, normalized=normalized, weight=key)
        scores = np.array([found[v] for v in nodes], dtype=np.float64)
    else:  # networkx's subset variant from the sampled sources, scaled as networkx scales a sample
        found = nx.betweenness_centrality_subset(G, start, targets if targets is not None else nodes,
                                                 normalized=False, weight=key)
        raw = np.array([found[v] for v in nodes], dtype=np.float64) * (1 if G.is_directed() else 2)
        scores = _rescale(raw, n, normalized, G.is_directed(), sample)
    return Output("networkx", {"betweenness": scores}, rows=nodes, by="betweenness",
                  summary={"sources": len(set(start))})


def _what(k: int | None, subset: bool, n: int, m: int) -> str:
    what = "subset betweenness" if subset else ("sampled betweenness" if k is not None else "exact betweenness")
    return f"{what} on {n:,} nodes and {m:,} edges"


def _instead(k: int | None, subset: bool) -> str:
    if k is None and not subset:
        return "pass k=256 for an estimate from 256 seeded sources"
    return "pass fewer sources (a smaller k, or a sample of the sources)"


def broker_score(
    graph: GraphLike,
    *,
    sources: str = "Institution",
    targets: str = "Viewer",
    brokers: str | None = "Creator",
    normalized: bool = False,
    engine: EngineName = "auto",
    force: bool = False,
) -> Result:
    """The broker score: betweenness restricted to shortest paths between two node kinds.

    Paths run from nodes of kind ``sources`` to nodes of kind ``targets``, on the undirected,
    unweighted graph.

    With the defaults: how much each creator lies on the shortest paths between institutions
    and viewers: the sum over every (institution, viewer) pair of the share of its shortest
    paths through the creator, each pair counted once.  (networkx's
    ``betweenness_centrality_subset`` halves every pair on an undirected graph, which counts
    each pair once only when sources and targets are the same set; for two different kinds
    the broker score is twice its value.)  A directed graph is made undirected (recorded in
    the provenance).

    Parameters
    ----------
    graph : Graph or networkx graph
    sources, targets : str
        Node kinds, each one the graph has.
    brokers : str or None
        The kind reported, one the graph has (``None``: every node).
    normalized : bool
        Divide by ``(n - 1)(n - 2)``, as :func:`betweenness`.
    engine : {"auto", "fast", "reference"}
    force : bool
        Run even when the size check refuses.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``broker_score``, sorted descending.  ``summary``:
        ``sources``, ``targets``, ``brokers``, ``max``.

    Raises
    ------
    ArgumentError
        Not a graph, a bad ``engine``, or a kind the graph has no nodes of (its kinds listed).
    AnalysisError
        More searches than the budget allows (one per source node).

    Examples
    --------
    >>> G = nx.Graph([("i", "c1"), ("c1", "v1"), ("i", "c2"), ("c2", "v1"), ("c2", "v2")])
    >>> nx.set_node_attributes(G, {"i": "Institution", "c1": "Creator", "c2": "Creator",
    ...                            "v1": "Viewer", "v2": "Viewer"}, "kind")
    >>> broker_score(G).frame[["id", "broker_score"]].values.tolist()   # (i, v1): half each; (i, v2): c2
    [['c2', 1.5], ['c1', 0.5]]
    """
    check_arguments("broker_score", graph)
    check_kinds("broker_score", graph, sources=sources, targets=targets, brokers=brokers)
    params = {"sources": sources, "targets": targets, "brokers": brokers, "normalized": normalized}
    return dispatch("broker_score", graph, engine, params, undirected=True, finish=_brokers(brokers, sources != targets),
                    sources=sources, targets=targets, normalized=normalized, force=force)


@implements("broker_score", "fast")
def _broker_score_fast(g: Graph, *, sources: str, targets: str, normalized: bool, force: bool) -> Output:
    src = kind_positions(g, sources, "broker score sources")
    tgt = kind_positions(g, targets, "broker score targets")
    out = _fast(g, None, 0, src, tgt, normalized, False, force)
    out.summary = {"sources": len(src), "targets": len(tgt)}
    return out


@implements("broker_score", "reference")
def _broker_score_reference(G: nx.Graph, *, sources: str, targets: str, normalized: bool, force: bool) -> Output:
    nodes = list(G.nodes)
    kinds = [G.nodes[v].get(KIND, "") for v in nodes]
    src = [v for v, kind in zip(nodes, kinds) if kind == sources]
    tgt = [v for v, kind in zip(nodes, kinds) if kind == targets]
    out = _reference(G, nodes, None, 0, src, tgt, normalized, None, force)
    out.summary = {"sources": len(src), "targets": len(tgt)}
    return out


def _brokers(brokers: str | None, pairs_once: bool):
    """A ``finish`` naming the score ``broker_score`` and keeping the ``brokers`` kind.

    ``pairs_once``: sources and targets are different kinds, so no pair is seen from both
    ends; subset betweenness on an undirected graph halves every pair (networkx's convention,
    right when the two sets are one), so the score is doubled back to one count per pair.
    """
    def finish(frame, found: dict):
        frame = frame.rename(columns={"betweenness": "broker_score"})
        if pairs_once:
            frame = frame.assign(broker_score=frame["broker_score"] * 2.0)
        if brokers is not None:
            frame = frame[frame[KIND] == brokers].reset_index(drop=True)
        return frame, {**found, "brokers": len(frame),
                       "max": float(frame["broker_score"].max()) if len(frame) else 0.0}

    return finish
