"""graphkit's analysis graph: a projection held as arrays, with a networkx view on request.

Stores project into a :class:`Graph`; analysis functions accept a :class:`Graph` or any
networkx graph.  Arrays keep a million-edge graph cheap to hold and let compiled engines
be built straight from them; :meth:`Graph.to_networkx` builds (once) the view that the
reference algorithms use.  In that view a node's key is ``"<Label>:<id>"`` and it carries
the attributes ``kind`` and ``id``; parallel relationships between the same two nodes
(say FOLLOWS and ENGAGES_WITH) become one edge whose weight is their sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np
import pandas as pd

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
        return (pd.Series(self.kinds, dtype=object) + ":" + pd.Series(self.ids, dtype=object)).to_numpy()

    def nodes_frame(self) -> pd.DataFrame:
        """One row per node: ``kind``, ``id``, in node order."""
        return pd.DataFrame({"kind": self.kinds, "id": self.ids})

    def merged_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Edge ends and weights with parallel edges merged (weights summed) and self loops kept.

        Undirected graphs get each pair once with ``source <= target``.
        """
        s, t = self.source, self.target
        if not self.directed:
            s, t = np.minimum(s, t), np.maximum(s, t)
        frame = pd.DataFrame({"s": s, "t": t, "w": self.weight})
        merged = frame.groupby(["s", "t"], sort=True, as_index=False)["w"].sum()
        return merged["s"].to_numpy(), merged["t"].to_numpy(), merged["w"].to_numpy(dtype=float)

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
    def from_networkx(cls, graph: nx.Graph, weight: str | None = "weight") -> Graph:
        """Arrays from a networkx graph; node attributes ``kind`` and ``id`` are used if present."""
        nodes = list(graph.nodes)
        index = {n: i for i, n in enumerate(nodes)}
        data = graph.nodes
        ids = np.array([data[n].get("id", n) for n in nodes], dtype=object)
        kinds = np.array([data[n].get("kind", "") for n in nodes], dtype=object)
        edges = list(graph.edges(data=True))
        src = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
        dst = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
        w = np.fromiter(
            ((d.get(weight, 1.0) if weight else 1.0) for _, _, d in edges), dtype=np.float64, count=len(edges)
        )
        types = np.array([d.get("type", "") for _, _, d in edges], dtype=object)
        return cls(ids, kinds, src, dst, w, types, directed=graph.is_directed())
