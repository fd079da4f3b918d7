"""Bipartite projections.

Creator-creator by shared audience or shared topics, topic-topic by shared creators, and
any other pair of kinds.

Two nodes of kind ``nodes`` are joined when they share neighbours of kind ``via``.  The
fast path multiplies sparse incidence matrices (``B @ B.T``) a block of rows at a time, so
memory stays near the size of the answer after ``threshold``; the work is checked first.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.analysis._checks import NON_NEGATIVE, POSITIVE, check_arguments, check_choice, check_known
from graphkit.analysis._dispatch import EngineName, Output, check_engine, dispatch, implements
from graphkit.analysis._input import GraphLike, as_graph, check_kinds, edge_frame, kind_positions, node_frame
from graphkit.errors import AnalysisError, ArgumentError
from graphkit.graph import Graph
from graphkit.results import Result

__all__ = ["MAX_PAIRS", "bipartite_projection"]

#: The most (node, node, shared neighbour) triples a projection may visit before refusing.
MAX_PAIRS = 200_000_000
_BLOCK = 2_000_000  # triples per block of rows on the fast path


def bipartite_projection(
    graph: GraphLike,
    *,
    nodes: str = "Creator",
    via: str = "Viewer",
    relationships: Iterable[str] | None = None,
    weight: str = "count",
    threshold: float = 1.0,
    max_pairs: float = MAX_PAIRS,
    engine: EngineName = "auto",
) -> Result:
    """Project the ``nodes``-``via`` edges onto ``nodes``.

    Two nodes are linked when they share ``via`` neighbours.

    Parameters
    ----------
    graph : Graph or networkx graph
    nodes, via : str
        Node kinds, two different ones the graph has: creator-creator by shared audience is
        ``nodes="Creator", via="Viewer"``; by shared topics ``via="Topic"``; topic-topic by
        shared creators ``nodes="Topic", via="Creator"``.
    relationships : iterable of str, optional
        Only edges of these types count (e.g. ``["ENGAGES_WITH"]``), each one the graph has;
        default all between the two kinds.  Directions are ignored.
    weight : {"count", "product"}
        ``"count"``: the number of shared neighbours (networkx's
        ``weighted_projected_graph``); ``"product"``: the sum over shared neighbours of the
        product of the two edges' weights (``B W B^T``; e.g. co-engagement).
    threshold : float
        Keep links with at least this weight, 0 or more.
    max_pairs : float
        Refuse when the projection would visit more (node, node, neighbour) triples, the
        sum over ``via`` nodes of degree squared; above 0.
    engine : {"auto", "fast", "reference"}

    Returns
    -------
    Result
        ``frame``: ``source_kind``, ``source_id``, ``target_kind``, ``target_id``, ``weight``,
        one row per link (ends in (kind, id) order), sorted by weight descending then ends.
        ``summary``: ``nodes``, ``via``, ``links``, ``triples`` (the work), ``threshold``.
        ``nx.from_pandas_edgelist(frame, "source_id", "target_id", "weight")`` makes it a graph.

    Raises
    ------
    ArgumentError
        Not a graph, a bad ``weight``, ``threshold``, ``max_pairs`` or ``engine``, ``nodes``
        equal to ``via``, or kinds or relationship types the graph does not have (named).
    AnalysisError
        More than ``max_pairs`` triples: raise ``threshold`` does not help (the work comes
        first); restrict ``relationships``, sample the ``via`` nodes, or raise ``max_pairs``.

    Examples
    --------
    >>> G = nx.Graph([("c1", "v1"), ("c2", "v1"), ("c2", "v2"), ("c3", "v2"), ("c1", "v3"), ("c2", "v3")])
    >>> nx.set_node_attributes(G, {n: "Creator" if n[0] == "c" else "Viewer" for n in G}, "kind")
    >>> r = bipartite_projection(G, threshold=1)
    >>> r.frame[["source_id", "target_id", "weight"]].values.tolist()
    [['c1', 'c2', 2.0], ['c2', 'c3', 1.0]]
    """
    check_arguments("bipartite_projection", graph, threshold=(threshold, NON_NEGATIVE),
                    max_pairs=(max_pairs, POSITIVE))
    check_choice("bipartite_projection", "weight", weight, ("count", "product"))
    check_engine("bipartite_projection", engine)
    if nodes == via:
        raise ArgumentError(f"bipartite_projection: nodes and via must be two different kinds, got {nodes!r} for both")
    check_kinds("bipartite_projection", graph, nodes=nodes, via=via)
    if isinstance(relationships, str):
        relationships = [relationships]
    g = as_graph(graph, "weight")
    if relationships is not None:
        relationships = list(relationships)
        check_known("bipartite_projection", "relationship type", relationships,
                    set(np.unique(g.rel_types.astype(str)).tolist()) - {""}, where="the graph has")
    a_pos = kind_positions(g, nodes, "projection nodes")
    b_pos = kind_positions(g, via, "projection via")
    s, t, w = np.asarray(g.source), np.asarray(g.target), np.asarray(g.weight, dtype=np.float64)
    keep = np.ones(len(s), dtype=bool)
    if relationships is not None:
        keep = np.isin(g.rel_types.astype(str), list(relationships))
    is_a, is_b = np.zeros(g.number_of_nodes(), bool), np.zeros(g.number_of_nodes(), bool)
    is_a[a_pos], is_b[b_pos] = True, True
    forward = keep & is_a[s] & is_b[t]
    backward = keep & is_b[s] & is_a[t]
    a_end = np.concatenate([s[forward], t[backward]])
    b_end = np.concatenate([t[forward], s[backward]])
    w_end = np.concatenate([w[forward], w[backward]])
    # One incidence entry per (node, via) pair, parallel relationships summed.
    row = np.searchsorted(a_pos, a_end)
    col = np.searchsorted(b_pos, b_end)
    import scipy.sparse as sp

    B = sp.csr_array((w_end, (row, col)), shape=(len(a_pos), len(b_pos)))
    B.sum_duplicates()
    if weight == "count":
        B.data[:] = 1.0
    via_degree = np.diff(B.tocsc().indptr).astype(np.float64)
    triples = float(np.sum(via_degree * via_degree))
    if triples > max_pairs:
        raise AnalysisError(
            f"projecting {len(a_pos):,} {nodes} nodes through {len(b_pos):,} {via} nodes would visit about "
            f"{triples:.1e} (node, node, {via}) triples, over max_pairs={max_pairs:.0e}: restrict relationships, "
            f"sample the {via} nodes, or raise max_pairs if the memory is there")
    params = {"nodes": nodes, "via": via, "relationships": None if relationships is None else list(relationships),
              "weight": weight, "threshold": threshold}
    counts = {"nodes": len(a_pos), "via": len(b_pos), "triples": triples, "threshold": threshold}
    return dispatch("bipartite_projection", g, engine, params, arrays=True, finish=_summary(counts),
                    incidence=B, rows=a_pos, weight_by=weight, threshold=threshold)


@implements("bipartite_projection", "fast")
def _projection_fast(g: Graph, *, incidence, rows: np.ndarray, weight_by: str, threshold: float) -> Output:
    return Output("scipy", frame=_links(g, rows, *_blocks(incidence, threshold)), conversions=_ignored(g))


@implements("bipartite_projection", "reference")
def _projection_reference(g: Graph, *, incidence, rows: np.ndarray, weight_by: str, threshold: float) -> Output:
    return Output("networkx", frame=_links(g, rows, *_reference(incidence, weight_by, threshold)),
                  conversions=_ignored(g))


def _links(g: Graph, rows: np.ndarray, left: np.ndarray, right: np.ndarray, values: np.ndarray) -> pd.DataFrame:
    """The links between incidence rows ``left`` and ``right`` as an edge frame, heaviest first.

    ``rows`` are the nodes of ``g`` that the incidence rows stand for.
    """
    frame = edge_frame(node_frame(g, rows[left]), node_frame(g, rows[right]), weight=values)
    return frame.iloc[np.argsort(-frame["weight"].to_numpy(), kind="stable")].reset_index(drop=True)


def _summary(counts: dict):
    """A ``finish`` adding the number of links to the projection's ``counts``."""
    def finish(frame: pd.DataFrame, _: dict) -> tuple[pd.DataFrame, dict]:
        return frame, {"nodes": counts["nodes"], "via": counts["via"], "links": len(frame),
                       "triples": counts["triples"], "threshold": counts["threshold"]}

    return finish


def _ignored(g: Graph) -> list[str]:
    return ["edge directions ignored"] if g.directed else []


def _blocks(B, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Upper-triangle entries of ``B @ B.T`` at or above ``threshold``, a block of rows at a time."""
    BT = B.T.tocsr()
    pattern = B.copy()
    pattern.data[:] = 1.0
    cumulative = np.cumsum(pattern @ np.diff(BT.indptr).astype(np.float64))  # triples up to each row
    cuts = np.searchsorted(cumulative, np.arange(_BLOCK, cumulative[-1], _BLOCK), side="right") \
        if len(cumulative) else np.zeros(0, np.int64)
    bounds = np.unique(np.concatenate([[0], cuts, [B.shape[0]]]).astype(np.int64))
    lefts, rights, values = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
    for start, stop in zip(bounds[:-1], bounds[1:]):
        block = (B[start:stop] @ BT).tocoo()
        r, c, v = block.row.astype(np.int64) + start, block.col.astype(np.int64), block.data
        keep = (c > r) & (v >= threshold)
        lefts.append(r[keep])
        rights.append(c[keep])
        values.append(v[keep])
    return np.concatenate(lefts), np.concatenate(rights), np.concatenate(values)


def _reference(B, weight: str, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The networkx projection of the incidence matrix ``B`` (rows: nodes; columns: via)."""
    coo = B.tocoo()
    G = nx.Graph()
    G.add_nodes_from((("a", i) for i in range(B.shape[0])), bipartite=0)
    G.add_nodes_from((("b", j) for j in range(B.shape[1])), bipartite=1)
    G.add_weighted_edges_from(zip((("a", i) for i in coo.row.tolist()), (("b", j) for j in coo.col.tolist()),
                                  coo.data.tolist()))
    top = [("a", i) for i in range(B.shape[0])]
    if weight == "count":
        P = nx.bipartite.weighted_projected_graph(G, top)
    else:
        def product(graph, u, v):
            return sum(graph[u][x]["weight"] * graph[v][x]["weight"] for x in set(graph[u]) & set(graph[v]))

        P = nx.bipartite.generic_weighted_projected_graph(G, top, weight_function=product)
    found = [(min(u[1], v[1]), max(u[1], v[1]), float(d["weight"])) for u, v, d in P.edges(data=True)
             if d["weight"] >= threshold]
    arr = np.array(found, dtype=np.float64).reshape(-1, 3)
    return arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), arr[:, 2]
