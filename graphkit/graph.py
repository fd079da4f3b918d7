"""graphkit's analysis graph: a projection held as arrays, with a networkx view on request.

Stores project into a :class:`Graph`; analysis functions accept a :class:`Graph` or any
networkx graph.  Arrays keep a million-edge graph cheap to hold and let compiled engines
be built straight from them; :meth:`Graph.to_networkx` builds (once) the view that the
reference algorithms use, and :meth:`Graph.to_networkit` the compiled engine's graph, built
straight from the arrays.  Parallel relationships between the same two nodes (say FOLLOWS
and ENGAGES_WITH) become one edge whose weight is their sum.

A projection also carries, in :attr:`Graph.attributes`, the few node properties a user
colours or filters by (:data:`NODE_ATTRIBUTES`, then the analysis results written back to
the store), which the networkx view puts on its nodes.

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

from graphkit import _repr, model
from graphkit.model import ID, KEY_SEPARATOR, KIND, LIST_SEPARATOR, AnalysisGraph, node_key

if TYPE_CHECKING:
    import networkit

__all__ = ["Graph", "node_key", "NODE_ATTRIBUTES", "attribute_names", "node_attributes"]

#: The node properties a projection carries by label (:attr:`Graph.attributes`): what a user
#: colours or filters a drawing by.  Every label also carries the analysis properties
#: (:data:`graphkit.model.ANALYSIS_PROPERTIES`) written back to the store, where present.
NODE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    model.CREATOR.label: ("name", "followers", model.PRIMARY_TOPIC, model.HAS_INCOME),
    model.INSTITUTION.label: ("name", "category", "followers"),
    model.TOPIC.label: ("name", "level"),
    model.VIEWER.label: ("age_band", "region_type"),
}

# Each attribute's property in the model (the first kind that has it: the types agree).
_PROPERTIES: dict[str, model.Property] = {}
for _prop in (*(p for k in model.NODE_KINDS for p in k.properties), *model.DERIVED_PROPERTIES,
              *model.ANALYSIS_PROPERTIES):
    _PROPERTIES.setdefault(_prop.name, _prop)


def attribute_names(label: str) -> tuple[str, ...]:
    """The node properties a projection carries for ``label``, in this order.

    Its :data:`NODE_ATTRIBUTES`, then every analysis property of the model (the Neo4j
    store's projection statements return these columns, null where absent).

    Examples
    --------
    >>> attribute_names("Viewer")[:3]
    ('age_band', 'region_type', 'component')
    """
    return NODE_ATTRIBUTES.get(label, ()) + tuple(p.name for p in model.ANALYSIS_PROPERTIES)


def _typed(name: str, values: np.ndarray) -> pd.Series:
    """One attribute column in the dtype its model type implies, so that every store gives the same."""
    prop = _PROPERTIES[name]
    if prop.type == "integer":
        return pd.Series(pd.array(values, dtype="Int64"))
    if prop.type == "float":
        return pd.Series(values, dtype="float64")
    if prop.type == "boolean":
        return pd.Series(pd.array(values, dtype="boolean"))
    if prop.type == "enum":  # one byte per node, whatever the number of nodes
        return pd.Series(pd.Categorical(values, categories=prop.values))
    return pd.Series(values, dtype="str")


def node_attributes(parts: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """The attribute frame of a projection from one frame per label, each in node order.

    Each label contributes its :func:`attribute_names` that its frame has; a column without
    any value (an analysis property never written) is left out, and a label without the
    column has missing values there.  Integer columns are ``Int64``, booleans ``boolean``,
    enums categorical and text ``str``, whichever store the frames came from.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = node_attributes([("Topic", pd.DataFrame({"name": ["Physics"], "level": [1]})),
    ...                          ("Viewer", pd.DataFrame({"age_band": ["60_plus"], "region_type": [None]}))])
    >>> list(frame.columns), frame["level"].tolist()
    (['name', 'level', 'age_band'], [1, <NA>])
    """
    total = sum(len(frame) for _, frame in parts)
    columns: dict[str, np.ndarray] = {}
    start = 0
    for label, frame in parts:
        for name in attribute_names(label):
            if name in frame.columns and frame[name].notna().any():
                if name not in columns:
                    columns[name] = np.full(total, None, dtype=object)
                values = frame[name].astype(object).to_numpy()
                columns[name][start:start + len(frame)] = np.where(pd.isna(values), None, values)
        start += len(frame)
    return pd.DataFrame({name: _typed(name, values) for name, values in columns.items()}, index=pd.RangeIndex(total))


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
    attributes : DataFrame, optional
        Node properties aligned by position (row ``i`` is node ``i``; :func:`node_attributes`):
        a store's projection fills it with :data:`NODE_ATTRIBUTES` and the written-back
        analysis properties; ``None`` for a graph built otherwise.  It costs about 1 byte
        per node for each enum column, 9 for each number and the text itself for names: a
        few MB for 10^5 nodes, small beside the edges.

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
    attributes: pd.DataFrame | None = None

    def __repr__(self) -> str:
        return "\n".join(self._describe())

    def _repr_html_(self) -> str:
        head, *rest = self._describe()
        return _repr.html_block(head, rest)

    def _describe(self) -> list[str]:
        """A few lines: size, direction, nodes per kind, edges per type, the analysis graph's formulas."""
        name = f" {self.spec.name!r}" if self.spec is not None else ""
        lines = [f"Graph{name} ({'directed' if self.directed else 'undirected'}): "
                 f"{self.number_of_nodes():,} nodes, {self.number_of_edges():,} edges"]
        lines.append("nodes: " + _repr.counts_text(_repr.value_counts(self.kinds)))
        lines.append("edges: " + _repr.counts_text(_repr.value_counts(self.rel_types)))
        if self.spec is not None:
            lines.append("weights: " + "; ".join(f"{t} {f}" for t, f in self.spec.weights().items()))
        if self.attributes is not None and len(self.attributes.columns):
            lines.append("node attributes: " + _repr.cut(", ".join(map(str, self.attributes.columns)), 200))
        return lines

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

    def merged_types(self) -> np.ndarray:
        """The relationship type of each :meth:`merged_edges` edge, aligned with them.

        Where parallel relationships of different types were merged into one edge (whose
        weight is their sum: :data:`graphkit.model.PARALLEL_RULE`), their types sorted and
        joined by ``";"`` (:data:`graphkit.model.LIST_SEPARATOR`), e.g.
        ``"ENGAGES_WITH;FOLLOWS"``: a text, so that GEXF and GraphML can hold it.  Computed
        once, then cached.

        Examples
        --------
        >>> import numpy as np
        >>> g = Graph(np.array(["v1", "c1"], dtype=object), np.array(["Viewer", "Creator"], dtype=object),
        ...           np.array([0, 0]), np.array([1, 1]), np.array([1.0, 2.0]),
        ...           np.array(["FOLLOWS", "ENGAGES_WITH"], dtype=object))
        >>> g.merged_types().tolist(), g.merged_edges()[2].tolist()
        (['ENGAGES_WITH;FOLLOWS'], [3.0])
        """
        return self._merged_types

    @cached_property
    def _merged_types(self) -> np.ndarray:
        s = np.asarray(self.source, dtype=np.int64)
        t = np.asarray(self.target, dtype=np.int64)
        n = max(self.number_of_nodes(), 1)
        key = np.minimum(s, t) * n + np.maximum(s, t) if not self.directed else s * n + t
        names, codes = np.unique(self.rel_types.astype(str), return_inverse=True)
        if len(key) and np.all(key[1:] > key[:-1]):  # as _merged: nothing to merge
            return names[codes].astype(object)
        order = np.argsort(key, kind="stable")  # the same groups, in the same order, as _merged
        key = key[order]
        starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]])) if len(key) else key
        if len(names) > 62:  # too many types for a bit mask: group them with pandas instead
            grouped = pd.Series(names[codes[order]]).groupby(np.repeat(np.arange(len(starts)), np.diff(
                np.append(starts, len(key)))), sort=True).agg(lambda v: LIST_SEPARATOR.join(sorted(set(v))))
            return grouped.to_numpy(dtype=object)
        # One bit per type: OR-ing a group's bits gives its set of types, joined once per distinct set.
        masks = np.bitwise_or.reduceat(np.left_shift(np.int64(1), codes[order].astype(np.int64)), starts)
        distinct, inverse = np.unique(masks, return_inverse=True)
        joined = np.array([LIST_SEPARATOR.join(names[(int(m) >> np.arange(len(names))) & 1 == 1]) for m in distinct],
                          dtype=object)
        return joined[inverse]

    def to_networkx(self) -> nx.Graph | nx.DiGraph:
        """The networkx view (built once, then cached; treat it as read-only).

        Nodes are keyed ``"<Label>:<id>"`` and carry ``kind``, ``id`` and the
        :attr:`attributes` they have a value for (a missing value is no attribute, as networkx
        does it).  Edges carry ``weight`` (parallel relationships merged, weights summed) and
        ``type``, the relationship type (:meth:`merged_types`: ``";"``-joined where types
        were merged).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> g = Graph(np.array(["c1", "t1"], dtype=object), np.array(["Creator", "Topic"], dtype=object),
        ...           np.array([0]), np.array([1]), np.array([2.0]), np.array(["PUBLISHES_ON"], dtype=object),
        ...           attributes=pd.DataFrame({"name": ["Physics Lab", "Physics"],
        ...                                    "followers": pd.array([4000, None], dtype="Int64")}))
        >>> view = g.to_networkx()
        >>> view.nodes["Creator:c1"]
        {'kind': 'Creator', 'id': 'c1', 'name': 'Physics Lab', 'followers': 4000}
        >>> view.nodes["Topic:t1"]
        {'kind': 'Topic', 'id': 't1', 'name': 'Physics'}
        >>> view.edges["Creator:c1", "Topic:t1"]
        {'weight': 2.0, 'type': 'PUBLISHES_ON'}
        """
        return self._networkx

    @cached_property
    def _networkx(self) -> nx.Graph | nx.DiGraph:
        graph: nx.Graph = nx.DiGraph() if self.directed else nx.Graph()
        keys = self.keys
        columns = [(KIND, self.kinds.tolist()), (ID, self.ids.tolist())]
        if self.attributes is not None:
            columns += [(str(name), _plain(self.attributes[name])) for name in self.attributes.columns]
        names = [name for name, _ in columns]
        graph.add_nodes_from(
            (key, {name: value for name, value in zip(names, row) if value is not None})
            for key, *row in zip(keys, *(values for _, values in columns))
        )
        s, t, w = self.merged_edges()
        graph.add_edges_from(
            (u, v, {"weight": weight, "type": rel_type})
            for u, v, weight, rel_type in zip(keys[s], keys[t], w.tolist(), self.merged_types().tolist())
        )
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


def _plain(column: pd.Series) -> list[Any]:
    """Python values of a column (numbers as int or float, missing as None), for networkx and its writers."""
    if pd.api.types.is_float_dtype(column.dtype):
        return [None if v != v else v for v in column.tolist()]  # NaN is the one value unequal to itself
    return column.astype(object).where(column.notna(), None).tolist()


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
