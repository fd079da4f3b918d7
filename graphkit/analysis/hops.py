"""Reach between node kinds: how many hops separate, say, institutions from viewers.

The report's first question is whether knowledge gets from institutions to the public: the
share of viewers within 1, 2, 3 ... hops of any institution, over chosen relationship types,
is the direct measure.  Paths ignore direction (an institution reaches a viewer who follows
one of its creators) and weights.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis._checks import COUNT, check_arguments, check_known
from graphkit.analysis._dispatch import EngineName, Output, check_engine, dispatch, implements
from graphkit.analysis._input import GraphLike, as_graph, check_kinds, kind_positions, networkit, node_frame, sort_frame
from graphkit.errors import AnalysisError
from graphkit.graph import Graph
from graphkit.results import Result

__all__ = ["REACH_RELATIONSHIPS", "reach"]

#: The default relationship types of :func:`reach`: the ways knowledge passes from an
#: institution to the public (affiliated and partner creators, their collaborators, the
#: viewers who follow or engage with them).
REACH_RELATIONSHIPS: tuple[str, ...] = (
    model.AFFILIATED_WITH.type,
    model.PARTNERS_WITH.type,
    model.COLLABORATES_WITH.type,
    model.FOLLOWS.type,
    model.ENGAGES_WITH.type,
)


def reach(
    graph: GraphLike,
    *,
    sources: str = model.INSTITUTION.label,
    targets: str = model.VIEWER.label,
    relationships: Iterable[str] | None = REACH_RELATIONSHIPS,
    max_hops: int | None = None,
    engine: EngineName = "auto",
) -> Result:
    """Hops from the nearest node of kind ``sources`` to every node of kind ``targets``.

    Parameters
    ----------
    graph : Graph or networkx graph
    sources, targets : str
        Node kinds (the ``kind`` of a projection's nodes; the ``kind`` attribute of a networkx
        graph's), each one the graph has.
    relationships : iterable of str or None
        Relationship types the paths may use (a projection's types; the ``type`` attribute of
        a networkx graph's edges), each one the graph or the data model has; ``None`` for
        all.  Default :data:`REACH_RELATIONSHIPS`.
    max_hops : int, optional
        Report ``share_within_<h>`` up to this many hops, at least 1 (default: the largest
        found).
    engine : {"auto", "fast", "reference"}

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``hops`` (nullable integer; missing when no path), one row
        per target node, sorted by hops (unreached last), kind, id.  ``summary``: ``sources``,
        ``targets``, ``reached``, ``share_reached``, ``mean_hops`` (of those reached; ``None`` if none), and
        for h = 1, 2, ... ``share_within_<h>`` (cumulative share of targets) and ``hops_<h>``
        (targets exactly h hops away).

    Raises
    ------
    ArgumentError
        Not a graph, a bad ``max_hops`` or ``engine``, a kind the graph has no nodes of, or a
        relationship type neither the graph nor the data model has (the known ones listed).
    AnalysisError
        The graph's edges have no relationship types to choose from.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("i", {"kind": "Institution"}), ("c", {"kind": "Creator"}),
    ...                   ("v1", {"kind": "Viewer"}), ("v2", {"kind": "Viewer"}), ("v3", {"kind": "Viewer"})])
    >>> G.add_edges_from([("i", "c", {"type": "AFFILIATED_WITH"}), ("v1", "c", {"type": "FOLLOWS"}),
    ...                   ("v2", "v1", {"type": "FOLLOWS"})])
    >>> r = reach(G)
    >>> r.frame["hops"].tolist()
    [2, 3, <NA>]
    >>> r.summary["share_within_2"], r.summary["share_within_3"], r.summary["share_reached"]
    (0.3333333333333333, 0.6666666666666666, 0.6666666666666666)
    """
    check_arguments("reach", graph, max_hops=(max_hops, COUNT.or_none()))
    check_engine("reach", engine)
    check_kinds("reach", graph, sources=sources, targets=targets)
    if isinstance(relationships, str):
        relationships = [relationships]
    g = as_graph(graph, None)
    src = kind_positions(g, sources, "reach sources")
    tgt = kind_positions(g, targets, "reach targets")
    keep = np.ones(g.number_of_edges(), dtype=bool)
    types = None
    if relationships is not None:
        types = list(relationships)
        known = set(pd.unique(g.rel_types.astype(str))) - {""}
        if not known and g.number_of_edges():
            raise AnalysisError("reach: the graph's edges have no relationship types (a networkx graph's "
                                "'type' attribute); pass relationships=None to use every edge")
        check_known("reach", "relationship type", types, known | {r.type for r in model.REL_KINDS},
                    where="the graph and the data model have")
        keep = np.isin(g.rel_types.astype(str), types)
    params = {"sources": sources, "targets": targets, "relationships": types, "max_hops": max_hops}
    edges = np.asarray(g.source)[keep], np.asarray(g.target)[keep]
    return dispatch("reach", g, engine, params, arrays=True, edges=edges, sources=src, targets=tgt,
                    max_hops=max_hops)


@implements("reach", "fast")
def _reach_fast(g: Graph, *, edges: tuple[np.ndarray, np.ndarray], sources: np.ndarray, targets: np.ndarray,
                max_hops: int | None) -> Output:
    n = g.number_of_nodes()
    s, t = edges
    with networkit() as nk:
        # One search from a virtual node joined to every source gives each node's distance
        # to the nearest source.
        ends_a = np.concatenate([s, np.full(len(sources), n)]).astype(np.uint64)
        ends_b = np.concatenate([t, sources]).astype(np.uint64)
        G = nk.GraphFromCoo((ends_a, ends_b), n=n + 1, weighted=False, directed=False)
        dist = np.asarray(nk.distance.BFS(G, n, storePaths=False).run().getDistances())[:n]
    hops = np.where(np.isfinite(dist) & (dist < 1e300), dist - 1, -1).astype(np.int64)
    return _reached(g, hops, sources, targets, max_hops, "networkit")


@implements("reach", "reference")
def _reach_reference(g: Graph, *, edges: tuple[np.ndarray, np.ndarray], sources: np.ndarray, targets: np.ndarray,
                     max_hops: int | None) -> Output:
    n = g.number_of_nodes()
    s, t = edges
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(zip(s.tolist(), t.tolist()))
    found = nx.multi_source_dijkstra_path_length(G, set(sources.tolist()), weight=lambda u, v, d: 1)
    hops = np.full(n, -1, dtype=np.int64)
    hops[list(found)] = list(found.values())
    return _reached(g, hops, sources, targets, max_hops, "networkx")


def _reached(g: Graph, hops: np.ndarray, src: np.ndarray, tgt: np.ndarray, max_hops: int | None,
             library: str) -> Output:
    """The frame and summary of the hops to every node (-1: not reached), either engine's."""
    h = hops[tgt]
    frame = node_frame(g, tgt).assign(hops=pd.array(np.where(h >= 0, h, 0), dtype="Int64"))
    frame.loc[h < 0, "hops"] = pd.NA
    frame = frame.assign(_unreached=h < 0, _h=np.where(h >= 0, h, 0))
    frame = sort_frame(frame, ["_unreached", "_h"]).drop(columns=["_unreached", "_h"])
    reached = h[h >= 0]
    summary: dict = {
        "sources": len(src),
        "targets": len(tgt),
        "reached": len(reached),
        "share_reached": len(reached) / len(tgt),
        "mean_hops": float(reached.mean()) if len(reached) else None,
    }
    counts = np.bincount(reached) if len(reached) else np.zeros(1, dtype=np.int64)
    top = max_hops if max_hops is not None else len(counts) - 1
    cumulative = np.cumsum(np.pad(counts, (0, max(0, top + 1 - len(counts)))))
    for hop in range(1, top + 1):
        summary[f"share_within_{hop}"] = float(cumulative[hop] / len(tgt))
        summary[f"hops_{hop}"] = int(counts[hop]) if hop < len(counts) else 0
    conversions = ["paths ignore edge direction and weight"] if g.directed else []
    return Output(library, frame=frame, summary=summary, conversions=conversions)
