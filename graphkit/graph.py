"""graphkit's analysis graph: a projection held as arrays, with a networkx view on request.

Stores project into a :class:`Graph`; analysis functions accept a :class:`Graph` or any
networkx graph.  Arrays keep a million-edge graph cheap to hold and let compiled engines
be built straight from them; :meth:`Graph.to_networkx` builds (once) the view that the
reference algorithms use, and :meth:`Graph.to_networkit` the compiled engine's graph, built
straight from the arrays.  In both a node is its position in ``ids``; in the networkx view a
node's key is ``"<Label>:<id>"`` and it carries the attributes ``kind`` and ``id``.  Parallel
relationships between the same two nodes (say FOLLOWS and ENGAGES_WITH) become one edge
whose weight is their sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import networkit

__all__ = ["Graph", "node_key"]


def node_key(kind: str, node_id: str) -> str:
    """The key of a node in the networkx view.

    >>> node_key("Creator", "c1")
    'Creator:c1'
    """
    return f"{kind}:{node_id}"


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
    meta: dict = field(default_factory=dict)

    def number_of_nodes(self) -> int:
        return len(self.ids)

    def number_of_edges(self) -> int:
        return len(self.source)

    def is_directed(self) -> bool:
        return self.directed

    @cached_property
    def keys(self) -> np.ndarray:
        """Node keys ``"<Label>:<id>"``, aligned with ``ids``."""
        return (pd.Series(self.kinds, dtype=object).astype(str) + ":"
                + pd.Series(self.ids, dtype=object).astype(str)).to_numpy(dtype=object)

    def nodes_frame(self) -> pd.DataFrame:
        """One row per node: ``kind``, ``id``, in node order."""
        return pd.DataFrame({"kind": self.kinds, "id": self.ids})

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
        """This graph with directions dropped (itself when undirected; built once, then cached).

        Reciprocal relationships become one edge whose weight is their sum.
        """
        return self if not self.directed else self._undirected

    @cached_property
    def _undirected(self) -> Graph:
        return replace(self, directed=False, meta=dict(self.meta))

    def to_networkit(self, weighted: bool = True) -> networkit.Graph:
        """The NetworKit graph (built once from :meth:`merged_edges`, then cached; treat it as read-only).

        Node ``i`` is position ``i`` of ``ids``.  ``weighted=False`` gives the same edges with
        weight 1, for the algorithms that count hops (and is what ``weighted=True`` gives when
        every weight is 1).
        """
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

    def to_networkx(self) -> nx.Graph | nx.DiGraph:
        """The networkx view (built once, then cached; treat it as read-only)."""
        return self._networkx

    @cached_property
    def _networkx(self) -> nx.Graph | nx.DiGraph:
        graph: nx.Graph = nx.DiGraph() if self.directed else nx.Graph()
        keys = self.keys
        graph.add_nodes_from(
            (key, {"kind": kind, "id": node_id}) for key, kind, node_id in zip(keys, self.kinds, self.ids)
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
        ids = _objects([data[n].get("id", n) for n in nodes])
        kinds = _objects([data[n].get("kind", "") for n in nodes])
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
