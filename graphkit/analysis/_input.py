"""What every analysis function shares: reading its input, naming nodes, sorting frames.

An input is a :class:`~graphkit.Graph` projection or a networkx graph.  The fast engine works
on a :class:`~graphkit.Graph` (a networkx graph is converted once, nodes sorted by
``str(node)``, its own nodes kept in :attr:`~graphkit.Graph.networkx_nodes`) and maps
results back by node position; the reference engine works on a networkx graph (the
projection's cached view, or the user's graph itself).  How a node is identified (position,
kind and id, name) is said once, in :mod:`graphkit.graph`.  Choosing the engine and making
the Result is :mod:`graphkit.analysis._dispatch`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypeAlias

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.analysis._checks import check_graph
from graphkit.errors import AnalysisError, ArgumentError
from graphkit.graph import Graph
from graphkit.model import ID, KIND

__all__ = [
    "GraphLike",
    "TO_UNDIRECTED",
    "align_column",
    "as_graph",
    "as_networkx",
    "canonical_labels",
    "check_kinds",
    "edge_frame",
    "fast_undirected",
    "frame_rank",
    "kind_positions",
    "listed_nodes",
    "lookup",
    "networkit",
    "node_columns",
    "node_frame",
    "node_kinds",
    "nx_weight",
    "positions",
    "sort_frame",
    "undirected",
]

GraphLike: TypeAlias = Graph | nx.Graph

#: The conversion note for a directed graph made undirected.
TO_UNDIRECTED = "directed graph made undirected, weights of reciprocal edges summed"


def as_graph(graph: GraphLike, weight: str | None = "weight") -> Graph:
    """The arrays form of ``graph``: a projection itself, or a networkx graph converted once.

    A converted graph has its nodes sorted by ``str(node)``, ``weight`` read into the weights
    (1 where absent), and its nodes kept, by position, as :attr:`~graphkit.Graph.networkx_nodes`.
    """
    if isinstance(graph, Graph):
        return graph
    check_graph("analysis", graph)
    converted = Graph.from_networkx(graph, weight=weight, sort_nodes=True)
    return replace(converted, networkx_nodes=_objects(sorted(graph.nodes, key=str)))


def as_networkx(graph: GraphLike) -> nx.Graph:
    """The networkx form of ``graph`` (a projection's cached view, or the graph itself)."""
    if isinstance(graph, Graph):
        return graph.to_networkx()
    check_graph("analysis", graph)
    return graph


def nx_weight(graph: GraphLike, weight: str | None) -> str | None:
    """The edge attribute holding weights in :func:`as_networkx`'s graph."""
    return ("weight" if weight else None) if isinstance(graph, Graph) else weight


def fast_undirected(graph: Graph, conversions: list[str]) -> Graph:
    """``graph`` without directions (cached on the graph), noting the conversion."""
    if graph.directed:
        conversions.append(TO_UNDIRECTED)
    return graph.undirected()


def undirected(graph: GraphLike, weight: str | None, conversions: list[str]) -> tuple[nx.Graph, str | None]:
    """An undirected networkx graph in sorted node order, and the edge attribute holding its weights.

    The attribute is ``None`` for an unweighted graph.

    A projection gives its cached view (directions dropped first, if any).  A networkx graph
    is used as it is when already undirected, simple and sorted; otherwise it is copied in
    sorted order with the weights of reciprocal (and parallel) edges summed.  Sorting the
    nodes fixes the order that seeded algorithms visit them in, so the same seed gives the
    same answer however the graph was built.
    """
    if isinstance(graph, Graph):  # projections are already in a fixed order
        return fast_undirected(graph, conversions).to_networkx(), ("weight" if weight else None)
    if graph.is_directed():
        conversions.append(TO_UNDIRECTED)
    elif not graph.is_multigraph() and list(graph.nodes) == sorted(graph.nodes, key=str):
        return graph, weight
    nodes = sorted(graph.nodes, key=str)
    out = nx.Graph()
    out.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        if weight is None:
            out.add_edge(u, v)
        elif out.has_edge(u, v):
            out[u][v][weight] += data.get(weight, 1.0)
        else:
            out.add_edge(u, v, **{weight: data.get(weight, 1.0)})
    return out, weight


def node_columns(graph: nx.Graph, nodes: Iterable) -> pd.DataFrame:
    """``kind`` and ``id`` columns (object dtype, as on the fast path) for networkx ``nodes``.

    Read from the node attributes, else ``""`` and the node itself.
    """
    data = graph.nodes
    nodes = list(nodes)
    return pd.DataFrame({KIND: pd.Series(_objects([data[n].get(KIND, "") for n in nodes]), dtype=object),
                         ID: pd.Series(_objects([data[n].get(ID, n) for n in nodes]), dtype=object)})


def node_frame(graph: Graph, index: np.ndarray | None = None) -> pd.DataFrame:
    """``kind`` and ``id`` of the nodes at positions ``index`` (all, in order, when ``None``)."""
    kinds, ids = graph.kinds, graph.ids
    if index is not None:
        kinds, ids = kinds[index], ids[index]
    return pd.DataFrame({KIND: pd.Series(kinds, dtype=object), ID: pd.Series(ids, dtype=object)})


def lookup(graph: Graph, nodes: Iterable, what: str) -> np.ndarray:
    """Positions of ``nodes``, in their order, by their names.

    Names are :meth:`~graphkit.Graph.names`: a projection's ``"<Label>:<id>"`` keys, or the
    nodes of the networkx graph that :func:`as_graph` converted.
    """
    wanted = [nodes] if isinstance(nodes, str) else list(nodes)
    index = pd.Index(graph.names(), dtype=object)
    if not index.is_unique:
        raise AnalysisError(f"the graph's node keys are not unique; cannot look up {what}")
    found = index.get_indexer(pd.Index(_objects(wanted), dtype=object))
    if (found < 0).any():
        _missing_nodes(what, [w for w, f in zip(wanted, found) if f < 0], graph.networkx_nodes is None)
    return found


def listed_nodes(G: nx.Graph, nodes: Iterable | None, what: str) -> list | None:
    """``nodes`` of the networkx graph ``G`` as a list, each once, in order (``None`` stays).

    Refuses nodes that ``G`` does not have, naming them.
    """
    if nodes is None:
        return None
    listed = list(dict.fromkeys([nodes] if isinstance(nodes, str) else nodes))
    missing = [v for v in listed if v not in G]
    if missing:
        _missing_nodes(what, missing, False)
    return listed


def _missing_nodes(what: str, missing: list, projection: bool) -> None:
    shown = ", ".join(repr(m) for m in missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    how = ' (a projection\'s nodes are named "<Label>:<id>", e.g. "Creator:c1")' if projection else ""
    raise ArgumentError(f"{what}: {len(missing)} node{'s are' if len(missing) > 1 else ' is'} not in the graph: "
                        f"{shown}{how}")


def positions(graph: Graph, nodes: Iterable, what: str) -> np.ndarray:
    """Sorted, distinct positions of ``nodes`` (see :func:`lookup`)."""
    return np.unique(lookup(graph, nodes, what))


def kind_positions(graph: Graph, kind: str, what: str) -> np.ndarray:
    """Positions of the nodes of ``kind``; refuses a kind the graph does not have."""
    found = np.flatnonzero(graph.kinds == kind)
    if not len(found):
        _no_kind(what, kind, node_kinds(graph))
    return found


def node_kinds(graph: GraphLike) -> set[str]:
    """The node kinds present.

    A projection's labels, a networkx graph's ``kind`` attributes (``""`` for nodes without one).
    """
    if isinstance(graph, Graph):
        return set(np.unique(graph.kinds.astype(str)).tolist())
    return {str(kind) for _, kind in graph.nodes(data=KIND, default="")}


def check_kinds(function: str, graph: GraphLike, **kinds: str | None) -> None:
    """Refuse each ``name=kind`` (``None``: not asked for) that ``graph`` has no nodes of.

    >>> check_kinds("reach", nx.Graph([(1, 2)]), sources="Institution")
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: reach sources: the graph has no 'Institution' nodes; its kinds are '' (nodes ...
    """
    present = node_kinds(graph)
    for name, kind in kinds.items():
        if kind is not None and kind not in present:
            _no_kind(f"{function} {name}", kind, present)


def _no_kind(what: str, kind: str, present: set[str]) -> None:
    listed = ", ".join(repr(k) for k in sorted(present)) or "none (the graph is empty)"
    if "" in present:
        listed += " (nodes without a 'kind' attribute)"
    raise ArgumentError(f"{what}: the graph has no {kind!r} nodes; its kinds are {listed}")


def _objects(values: Sequence) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _sort_key(column: pd.Series) -> pd.Series:
    if column.dtype != object:
        return column
    kind = pd.api.types.infer_dtype(column, skipna=False)
    return column if kind in ("string", "integer", "floating", "mixed-integer-float") else column.map(str)


def sort_frame(frame: pd.DataFrame, by: Sequence[str] = (), ascending: bool | Sequence[bool] = True) -> pd.DataFrame:
    """``frame`` sorted by ``by`` then ``kind`` and ``id`` (ids of mixed types compare as text).

    >>> f = pd.DataFrame({"kind": ["", ""], "id": [2, "a"], "x": [1.0, 1.0]})
    >>> sort_frame(f, ["x"], [False])["id"].tolist()
    [2, 'a']
    """
    by = list(by)
    asc = [ascending] * len(by) if isinstance(ascending, bool) else list(ascending)
    keys = pd.DataFrame({f"_{i}": frame[c] for i, c in enumerate(by)})
    keys["_kind"] = _sort_key(frame[KIND].reset_index(drop=True)).to_numpy()
    keys["_id"] = _sort_key(frame[ID].reset_index(drop=True)).to_numpy()
    keys.index = frame.index
    order = keys.sort_values(list(keys.columns), ascending=asc + [True, True], kind="mergesort").index
    return frame.loc[order].reset_index(drop=True)


def frame_rank(frame: pd.DataFrame) -> np.ndarray:
    """Each row's rank in (kind, id) order."""
    order = sort_frame(frame[[KIND, ID]].assign(_row=np.arange(len(frame))))["_row"].to_numpy()
    rank = np.empty(len(frame), dtype=np.int64)
    rank[order] = np.arange(len(frame))
    return rank


def edge_frame(a: pd.DataFrame, b: pd.DataFrame, **columns: Any) -> pd.DataFrame:
    """Edges between the nodes of ``a`` and ``b`` (aligned ``kind``, ``id`` frames).

    Columns ``source_kind``, ``source_id``, ``target_kind``, ``target_id`` and ``columns``:
    each edge written with its ends in (kind, id) order, rows sorted by source then target.
    """
    rank = frame_rank(pd.concat([a[[KIND, ID]], b[[KIND, ID]]], ignore_index=True))
    swap = rank[: len(a)] > rank[len(a):]
    ak, ai, bk, bi = (x.to_numpy() for x in (a[KIND], a[ID], b[KIND], b[ID]))
    frame = pd.DataFrame({
        "source_kind": np.where(swap, bk, ak), "source_id": _objects(np.where(swap, bi, ai)),
        "target_kind": np.where(swap, ak, bk), "target_id": _objects(np.where(swap, ai, bi)),
        **columns,
    })
    keys = pd.DataFrame({c: _sort_key(frame[c]).to_numpy() for c in
                         ("source_kind", "source_id", "target_kind", "target_id")})
    order = keys.sort_values(list(keys.columns), kind="mergesort").index
    return frame.iloc[order].reset_index(drop=True)


def align_column(g: Graph, frame: pd.DataFrame, column: str) -> np.ndarray:
    """``frame[column]`` (keyed by ``kind``, ``id``) in the node order of ``g``; missing: NaN."""
    index = pd.MultiIndex.from_frame(frame[[KIND, ID]].astype(object))
    where = index.get_indexer(pd.MultiIndex.from_arrays([g.kinds.astype(object), g.ids.astype(object)]))
    values = frame[column].to_numpy(dtype=object)
    out = np.full(g.number_of_nodes(), np.nan, dtype=object)
    out[where >= 0] = values[where[where >= 0]]
    return out


def canonical_labels(frame: pd.DataFrame, column: str) -> pd.Series:
    """:func:`~graphkit.analysis._arrays.relabel` of ``frame[column]``, ranks in (kind, id) order."""
    from graphkit.analysis._arrays import relabel

    return pd.Series(relabel(frame[column].to_numpy(), frame_rank(frame)), index=frame.index, name=column)


@contextmanager
def networkit(seed: int | None = None, threads: int | None = None):
    """NetworKit, seeded and limited to ``threads`` threads inside the block (restored after).

    Seeded with ``nk.setSeed(seed, False)``: the same stream whatever the thread.
    """
    import networkit as nk

    before = nk.getMaxNumberOfThreads()  # getCurrentNumberOfThreads() is 1 outside a parallel region
    if threads is not None:
        nk.setNumberOfThreads(threads)
    if seed is not None:
        nk.setSeed(int(seed), False)
    try:
        yield nk
    finally:
        nk.setNumberOfThreads(before)
