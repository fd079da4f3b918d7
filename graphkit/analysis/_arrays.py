"""The fast path's array work: node order, result frames and sparse matrices.

All are built from a projection's arrays, with no per-edge Python and few temporary copies
(a million-edge graph's arrays are tens of MB each, so every copy shows in peak memory).

What these build from is cached by the :class:`~graphkit.Graph` itself (its node order,
:meth:`~graphkit.Graph.rank`, and sparse structure, :meth:`~graphkit.Graph.csr`), so it is
released with the graph.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphkit.graph import Graph
from graphkit.model import ID, KIND

__all__ = ["matrix", "ranked_frame", "relabel", "row_index"]


def ranked_frame(g: Graph, columns: dict[str, np.ndarray], by: str | None = None, descending: bool = True,
                 index: np.ndarray | None = None) -> pd.DataFrame:
    """A ``kind``, ``id``, ``columns`` frame of the nodes at ``index`` (default all).

    Sorted by ``by`` (descending unless told) then kind and id.
    """
    rank = g.rank() if index is None else g.rank()[index]
    if by is None:
        order = np.argsort(rank, kind="stable")
    else:
        key = columns[by]
        order = np.lexsort((rank, -key if descending else key))
    where = order if index is None else index[order]
    frame = pd.DataFrame({KIND: pd.Series(g.kinds[where], dtype=object),
                          ID: pd.Series(g.ids[where], dtype=object)})
    for name, values in columns.items():
        frame[name] = np.asarray(values)[order]
    return frame


def relabel(labels: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Group labels renumbered 0, 1, ... by group size (largest first).

    Ties go by the group's first member in ``rank`` order: labels that depend on neither the
    engine nor the seed.
    """
    codes, uniques = pd.factorize(np.asarray(labels))
    sizes = np.bincount(codes, minlength=len(uniques))
    first = np.full(len(uniques), np.iinfo(np.int64).max)
    np.minimum.at(first, codes, rank)
    new = np.empty(len(uniques), dtype=np.int64)
    new[np.lexsort((first, -sizes))] = np.arange(len(uniques))
    return new[codes]


def matrix(g: Graph, values: np.ndarray | None = None, transpose: bool = False, unit: bool = False):
    """The sparse adjacency matrix (CSR) of ``g``.

    Entry (u, v) = ``values`` of the merged edge u-v (default its weight; ``unit``: 1; an
    undirected graph symmetric, a self loop once on the diagonal, as networkx's
    ``to_scipy_sparse_array``).
    """
    import scipy.sparse as sp

    indptr, indices, edge = g.csr(transpose)
    if unit:
        data = np.ones(len(indices))
    else:
        data = np.asarray(g.merged_edges()[2] if values is None else values, dtype=np.float64)
        data = data[edge] if edge is not None else data.copy()
    n = g.number_of_nodes()
    return sp.csr_array((data, indices, indptr), shape=(n, n))


def row_index(g: Graph, transpose: bool = False) -> np.ndarray:
    """The row of each stored entry of :func:`matrix` (for scaling entries by their row)."""
    indptr, _, _ = g.csr(transpose)
    return np.repeat(np.arange(g.number_of_nodes()), np.diff(indptr))
