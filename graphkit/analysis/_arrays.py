"""The fast path's array work: node order, result frames and sparse matrices built from a
projection's arrays, with no per-edge Python and few temporary copies (a million-edge
graph's arrays are tens of MB each, so every copy shows in peak memory)."""

from __future__ import annotations

from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from graphkit.graph import Graph

__all__ = ["matrix", "node_rank", "ranked_frame", "relabel", "release_matrices", "row_index", "structure"]

_RANKS: WeakKeyDictionary[Graph, np.ndarray] = WeakKeyDictionary()


def node_rank(g: Graph) -> np.ndarray:
    """Each node's rank in (kind, id) order (ids of mixed types compared as text); cached."""
    found = _RANKS.get(g)
    if found is None:
        kinds, ids = g.kinds, g.ids
        try:
            by_id = np.argsort(ids, kind="stable")
        except TypeError:
            by_id = np.argsort(ids.astype(str), kind="stable")
        order = by_id[np.argsort(kinds[by_id].astype(str), kind="stable")]
        found = np.empty(len(order), dtype=np.int64)
        found[order] = np.arange(len(order))
        _RANKS[g] = found
    return found


def ranked_frame(g: Graph, columns: dict[str, np.ndarray], by: str | None = None, descending: bool = True,
                 index: np.ndarray | None = None) -> pd.DataFrame:
    """A ``kind``, ``id``, ``columns`` frame of the nodes at ``index`` (default all), sorted by
    ``by`` (descending unless told) then kind and id."""
    rank = node_rank(g) if index is None else node_rank(g)[index]
    if by is None:
        order = np.argsort(rank, kind="stable")
    else:
        key = columns[by]
        order = np.lexsort((rank, -key if descending else key))
    where = order if index is None else index[order]
    frame = pd.DataFrame({"kind": pd.Series(g.kinds[where], dtype=object),
                          "id": pd.Series(g.ids[where], dtype=object)})
    for name, values in columns.items():
        frame[name] = np.asarray(values)[order]
    return frame


def relabel(labels: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Group labels renumbered 0, 1, ... by group size (largest first), ties by the group's
    first member in ``rank`` order: labels that depend on neither the engine nor the seed."""
    codes, uniques = pd.factorize(np.asarray(labels))
    sizes = np.bincount(codes, minlength=len(uniques))
    first = np.full(len(uniques), np.iinfo(np.int64).max)
    np.minimum.at(first, codes, rank)
    new = np.empty(len(uniques), dtype=np.int64)
    new[np.lexsort((first, -sizes))] = np.arange(len(uniques))
    return new[codes]


_STRUCTURES: WeakKeyDictionary[Graph, dict] = WeakKeyDictionary()


def structure(g: Graph, transpose: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The CSR structure of ``g``'s adjacency (``transpose``: of its transpose), built once
    by counting sort and cached: ``indptr``, ``indices`` (sorted within rows) and ``edge``,
    the :meth:`~graphkit.Graph.merged_edges` position of each entry (``None``: in order).

    An undirected graph's matrix is symmetric (each edge in both rows, a self loop once), so
    its transpose is itself.
    """
    if not g.directed:
        transpose = False
    cached = _STRUCTURES.setdefault(g, {})
    if transpose not in cached:
        s, t, _ = g.merged_edges()
        n, m = g.number_of_nodes(), len(s)
        index = np.int32 if 2 * m < 2**31 - 1 and n < 2**31 - 1 else np.int64
        if g.directed and not transpose:  # merged edges are sorted by (source, target): rows as they are
            indptr = np.zeros(n + 1, dtype=index)
            np.cumsum(np.bincount(s, minlength=n), out=indptr[1:])
            cached[transpose] = (indptr, t.astype(index), None)
        elif g.directed:  # rows are targets: a stable sort keeps each row's sources ascending
            order = np.argsort(t, kind="stable")
            indptr = np.zeros(n + 1, dtype=index)
            np.cumsum(np.bincount(t, minlength=n), out=indptr[1:])
            cached[transpose] = (indptr, s[order].astype(index), order.astype(index))
        else:
            cached[transpose] = _symmetric(s, t, n, index)
    return cached[transpose]


def release_matrices(g: Graph) -> None:
    """Drop the cached matrix structures of ``g`` (rebuilt when next needed)."""
    _STRUCTURES.pop(g, None)


def _symmetric(s: np.ndarray, t: np.ndarray, n: int, index: type) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR of an undirected graph from its merged edges (``s <= t``, sorted): each row holds
    its lower entries (from edges ending there), then its upper ones (edges starting there).

    Index arithmetic stays in ``index`` (int32 when it fits) and in place: a million-edge
    graph's temporaries are a few arrays of 4 MB, not a dozen of 8 MB.
    """
    m = len(s)
    off = np.flatnonzero(s != t).astype(index)
    low_rows = t[off]
    order = np.argsort(low_rows, kind="stable").astype(index)  # by row, then column (s is sorted)
    up_count = np.bincount(s, minlength=n).astype(index)
    low_count = np.bincount(low_rows, minlength=n).astype(index)
    indptr = np.zeros(n + 1, dtype=index)
    np.cumsum(up_count + low_count, out=indptr[1:])
    # Entry position = row start + rank within the row's lower (or upper) block.
    low_shift = indptr[:-1] - (np.cumsum(low_count, dtype=index) - low_count)
    up_shift = indptr[:-1] + low_count - (np.cumsum(up_count, dtype=index) - up_count)
    del up_count, low_count
    indices = np.empty(m + len(off), dtype=index)
    edge = np.empty(m + len(off), dtype=index)
    where = low_shift[low_rows[order]]
    where += np.arange(len(off), dtype=index)
    indices[where] = s[off[order]]
    edge[where] = off[order]
    del where, order, off, low_rows
    where = up_shift[s]
    where += np.arange(m, dtype=index)
    indices[where] = t
    edge[where] = np.arange(m, dtype=index)
    return indptr, indices, edge


def matrix(g: Graph, values: np.ndarray | None = None, transpose: bool = False, unit: bool = False):
    """The sparse adjacency matrix (CSR) of ``g``, entry (u, v) = ``values`` of the merged edge
    u-v (default its weight; ``unit``: 1; an undirected graph symmetric, a self loop once on
    the diagonal, as networkx's ``to_scipy_sparse_array``)."""
    import scipy.sparse as sp

    indptr, indices, edge = structure(g, transpose)
    if unit:
        data = np.ones(len(indices))
    else:
        data = np.asarray(g.merged_edges()[2] if values is None else values, dtype=np.float64)
        data = data[edge] if edge is not None else data.copy()
    n = g.number_of_nodes()
    return sp.csr_array((data, indices, indptr), shape=(n, n))


def row_index(g: Graph, transpose: bool = False) -> np.ndarray:
    """The row of each stored entry of :func:`matrix` (for scaling entries by their row)."""
    indptr, _, _ = structure(g, transpose)
    return np.repeat(np.arange(g.number_of_nodes()), np.diff(indptr))
