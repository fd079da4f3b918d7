"""graphkit's analysis graph: a projection held as arrays, with a networkx view on request.

Stores project into a :class:`Graph`; analysis functions accept a :class:`Graph` or any
networkx graph.  Arrays keep a million-edge graph cheap to hold and let compiled engines
be built straight from them; :meth:`Graph.to_networkx` builds (once) the view that the
reference algorithms use, and :meth:`Graph.to_networkit` the compiled engine's graph, built
straight from the arrays.  Parallel relationships between the same two nodes (say FOLLOWS
and ENGAGES_WITH) become one edge whose weight is their sum.

Node identity
-------------
This is the one place that says what a node is; everything else refers here.

- **Its position** ``i`` in the arrays (``ids[i]``, ``kinds[i]``; ``source`` and ``target``
  hold positions).  The fast engine works by position only: node ``i`` of the NetworKit
  graph, row ``i`` of the sparse matrices, entry ``i`` of every result array.
- **Its kind and id**, the ``kind`` and ``id`` columns of every result frame: a node's label
  and its id, unique within the label.  Frames are sorted by them (:meth:`Graph.rank`), so
  results do not depend on the engine or on the order a graph was built in.
- **Its name**, how a caller names a node (PageRank's ``personalization``, betweenness'
  ``sources``, a modularity mapping): for a projection its key ``"<Label>:<id>"``
  (:func:`node_key`, :attr:`Graph.keys`), which is also its node in the networkx view;
  for a graph converted from networkx, the user's own networkx node, kept by position in
  :attr:`Graph.networkx_nodes` (:meth:`Graph.names` gives whichever applies).  A networkx
  graph's ``kind`` and ``id`` are its node attributes where present (else ``""`` and the
  node itself).

Everything derived from the arrays (merged edges, the undirected graph, the networkx view,
the NetworKit graphs, the sparse structure, the node order) is built on first use and kept
by the graph, so it goes when the graph goes; nothing is cached anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.model import ID, KEY_SEPARATOR, KIND, AnalysisGraph, node_key

if TYPE_CHECKING:
    import networkit

__all__ = ["Graph", "node_key"]


@dataclass(frozen=True, eq=False)
class Graph:
    """A projected graph.

    Parameters
    ----------
    ids : ndarray of str
        Node ids, unique within a kind.
    kinds : ndarray of str
        Node labels, aligned with ``ids``.
    source, target : ndarray of int64
        Edge ends as positions into ``ids``.
    weight : ndarray of float64
        Edge weights (1.0 where the projection named no weight).
    rel_types : ndarray of str
        Relationship type of each edge.
    directed : bool
        Whether edges run from ``source`` to ``target`` only.
    networkx_nodes : ndarray of object, optional
        The networkx nodes the graph was converted from, by position (what a caller names
        them by); ``None`` for a projection, whose nodes are named by :attr:`keys`.
    spec : AnalysisGraph, optional
        The analysis graph this projection is (``store.analysis_graph(name)``), whose name
        and weight formulas go into every result's provenance; ``None`` for any other graph.

    Examples
    --------
    >>> import numpy as np
    >>> g = Graph(np.array(["c1", "t1"], dtype=object), np.array(["Creator", "Topic"], dtype=object),
    ...           np.array([0]), np.array([1]), np.array([2.0]), np.array(["PUBLISHES_ON"], dtype=object))
    >>> g.number_of_nodes(), g.number_of_edges()
    (2, 1)
    >>> sorted(g.to_networkx().edges(data="weight"))
    [('Creator:c1', 'Topic:t1', 2.0)]
    """

    ids: np.ndarray
    kinds: np.ndarray
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    rel_types: np.ndarray
    directed: bool = False
    networkx_nodes: np.ndarray | None = None
    spec: AnalysisGraph | None = None

    def number_of_nodes(self) -> int:
        """The number of nodes, as networkx's ``G.number_of_nodes()``."""
        return len(self.ids)

    def number_of_edges(self) -> int:
        """The number of edges in the arrays, parallel relationships counted apart (``len(source)``)."""
        return len(self.source)

    def is_directed(self) -> bool:
        """Whether the edges are directed, as networkx's ``G.is_directed()``."""
        return self.directed

    @cached_property
    def keys(self) -> np.ndarray:
        """Node keys ``"<Label>:<id>"``, aligned with ``ids``."""
        return (pd.Series(self.kinds, dtype=object).astype(str) + KEY_SEPARATOR
                + pd.Series(self.ids, dtype=object).astype(str)).to_numpy(dtype=object)

    def names(self) -> np.ndarray:
        """What a caller names each node by, by position.

        :attr:`networkx_nodes` when the graph was converted from networkx, else :attr:`keys`
        (see "Node identity" above).
        """
        return self.keys if self.networkx_nodes is None else self.networkx_nodes

    def rank(self) -> np.ndarray:
        """Each node's rank in (kind, id) order (ids of mixed types compared as text).

        Built once, then cached (treat it as read-only).
        """
        return self._rank

    @cached_property
    def _rank(self) -> np.ndarray:
        try:
            by_id = np.argsort(self.ids, kind="stable")
        except TypeError:
            by_id = np.argsort(self.ids.astype(str), kind="stable")
        order = by_id[np.argsort(self.kinds[by_id].astype(str), kind="stable")]
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return rank

    def nodes_frame(self) -> pd.DataFrame:
        """One row per node: ``kind``, ``id``, in node order."""
        return pd.DataFrame({KIND: self.kinds, ID: self.ids})

    def merged_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Edge ends and weights with parallel edges merged (weights summed) and self loops kept.

        Undirected graphs get each pair once with ``source <= target``.  Sorted by
        ``(source, target)``; ends are int32 positions when they fit.  Computed once, then
        cached (treat the arrays as read-only).
        """
        return self._merged

    @cached_property
    def _merged(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s = np.asarray(self.source, dtype=np.int64)
        t = np.asarray(self.target, dtype=np.int64)
        w = np.asarray(self.weight, dtype=np.float64)
        n = max(self.number_of_nodes(), 1)
        key = np.minimum(s, t) * n + np.maximum(s, t) if not self.directed else s * n + t
        if len(key) and not np.all(key[1:] > key[:-1]):  # not already sorted and distinct
            order = np.argsort(key, kind="stable")
            key, w = key[order], w[order]
            del order
            starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
            key, w = key[starts], np.add.reduceat(w, starts) if len(starts) else w[:0]
        ends = np.int32 if n < 2**31 else np.int64  # half the memory for any graph one machine holds
        return (key // n).astype(ends), (key % n).astype(ends), w.copy() if w is self.weight else w

    def undirected(self) -> Graph:
        """The graph with directions dropped (itself when undirected; built once, then cached).

        Reciprocal relationships become one edge whose weight is their sum.
        """
        return self if not self.directed else self._undirected

    @cached_property
    def _undirected(self) -> Graph:
        return replace(self, directed=False)

    def to_networkit(self, weighted: bool | None = True) -> networkit.Graph:
        """The NetworKit graph (built once from :meth:`merged_edges`, then cached; treat it as read-only).

        Node ``i`` is position ``i`` of ``ids``.  ``weighted=False`` gives the same edges with
        weight 1, for the algorithms that count hops (and is what ``weighted=True`` gives when
        every weight is 1); ``None``, for algorithms that ignore weights, whichever is built.
        """
        if weighted is None:
            weighted = "_networkit_unweighted" not in vars(self)
        return self._networkit if weighted else self._networkit_unweighted

    @cached_property
    def _networkit(self) -> networkit.Graph:
        import networkit as nk

        s, t, w = self.merged_edges()
        if np.all(w == 1.0):  # unit weights: the unweighted graph is the same graph, in less memory
            return self._networkit_unweighted
        return nk.GraphFromCoo((w, (s.astype(np.uint64), t.astype(np.uint64))), n=self.number_of_nodes(),
                               weighted=True, directed=self.directed)

    @cached_property
    def _networkit_unweighted(self) -> networkit.Graph:
        import networkit as nk

        s, t, _ = self.merged_edges()
        return nk.GraphFromCoo((s.astype(np.uint64), t.astype(np.uint64)), n=self.number_of_nodes(),
                               weighted=False, directed=self.directed)

    def csr(self, transpose: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The CSR structure of the adjacency (``transpose``: of its transpose).

        Built once by counting sort, then cached: ``indptr``, ``indices`` (sorted within rows) and
        ``edge``, the :meth:`merged_edges` position of each entry (``None``: in order).

        An undirected graph's matrix is symmetric (each edge in both rows, a self loop once), so
        its transpose is itself.  :meth:`release_csr` drops them.
        """
        return self._csr_transposed if transpose and self.directed else self._csr

    def release_csr(self) -> None:
        """Drop the cached CSR structures (rebuilt when next needed).

        ``analyze`` does so before its NetworKit steps, so that the two never hold memory at once.
        """
        vars(self).pop("_csr", None)
        vars(self).pop("_csr_transposed", None)

    @cached_property
    def _csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        s, t, _ = self.merged_edges()
        n, m = self.number_of_nodes(), len(s)
        index = _index_type(n, m)
        if not self.directed:
            return _symmetric(s, t, n, index)
        indptr = np.zeros(n + 1, dtype=index)  # merged edges are sorted by (source, target): rows as they are
        np.cumsum(np.bincount(s, minlength=n), out=indptr[1:])
        return indptr, t.astype(index), None

    @cached_property
    def _csr_transposed(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        s, t, _ = self.merged_edges()
        n, m = self.number_of_nodes(), len(s)
        index = _index_type(n, m)
        order = np.argsort(t, kind="stable")  # rows are targets: a stable sort keeps each row's sources ascending
        indptr = np.zeros(n + 1, dtype=index)
        np.cumsum(np.bincount(t, minlength=n), out=indptr[1:])
        return indptr, s[order].astype(index), order.astype(index)

    def to_networkx(self) -> nx.Graph | nx.DiGraph:
        """The networkx view (built once, then cached; treat it as read-only)."""
        return self._networkx

    @cached_property
    def _networkx(self) -> nx.Graph | nx.DiGraph:
        graph: nx.Graph = nx.DiGraph() if self.directed else nx.Graph()
        keys = self.keys
        graph.add_nodes_from(
            (key, {KIND: kind, ID: node_id}) for key, kind, node_id in zip(keys, self.kinds, self.ids)
        )
        s, t, w = self.merged_edges()
        graph.add_weighted_edges_from(zip(keys[s], keys[t], w.tolist()))
        return graph

    @classmethod
    def from_networkx(cls, graph: nx.Graph, weight: str | None = "weight", *, sort_nodes: bool = False) -> Graph:
        """Arrays from a networkx graph; node attributes ``kind`` and ``id`` are used if present.

        ``sort_nodes`` orders the nodes by ``str(node)`` (stably), so the same graph built in a
        different order gives the same arrays; otherwise the graph's own node order is kept.
        """
        nodes = list(graph.nodes)
        if sort_nodes:
            nodes.sort(key=str)
        index = {n: i for i, n in enumerate(nodes)}
        data = graph.nodes
        ids = _objects([data[n].get(ID, n) for n in nodes])
        kinds = _objects([data[n].get(KIND, "") for n in nodes])
        edges = list(graph.edges(data=True))
        src = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
        dst = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
        w = np.fromiter(
            ((d.get(weight, 1.0) if weight else 1.0) for _, _, d in edges), dtype=np.float64, count=len(edges)
        )
        types = np.array([d.get("type", "") for _, _, d in edges], dtype=object)
        return cls(ids, kinds, src, dst, w, types, directed=graph.is_directed())


def _objects(values: list) -> np.ndarray:
    """A 1-d object array of ``values`` (tuples stay whole, as networkx nodes may be tuples)."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _index_type(n: int, m: int) -> type[np.signedinteger[Any]]:
    """int32 for the CSR indices when they fit (half the memory), else int64."""
    return np.int32 if 2 * m < 2**31 - 1 and n < 2**31 - 1 else np.int64


def _symmetric(s: np.ndarray, t: np.ndarray, n: int,
               index: type[np.signedinteger[Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR of an undirected graph from its merged edges (``s <= t``, sorted).

    Each row holds its lower entries (from edges ending there), then its upper ones (edges
    starting there).

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
