"""The store interface that the embedded store and the Neo4j store implement.

See ``docs/architecture.md``.  A store holds the property graph of the data model:
nodes keyed by (label, id), at most one relationship of a type between two nodes.
Writes are upserts, so loading the same data twice changes nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any, Self

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from graphkit import model
from graphkit.cypher import CypherQuery, check_query
from graphkit.errors import ArgumentError, StoreError
from graphkit.graph import Graph, node_attributes

__all__ = ["Store", "LoadSummary", "Weight", "QueryCheck", "check_named_query", "resolve_projection", "assemble_graph",
           "check_result_frame", "restrict"]

#: A projection's weight: none (all 1), one property name used wherever a relationship
#: type has it, or a property name or constant per relationship type.
Weight = str | Mapping[str, str | float] | None
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class LoadSummary:
    """What a load did, per node label and relationship type.

    Parameters
    ----------
    written : dict of str to int
        Rows sent.
    counts : dict of str to int
        The totals after the load.
    created : dict of str to int
        Nodes or relationships that were not in the store before.
    changed : dict of str to int or None
        Rows already present whose values differ; ``None`` when the store cannot tell, as
        Neo4j's MERGE cannot.
    """

    written: dict[str, int]
    counts: dict[str, int]
    created: dict[str, int]
    changed: dict[str, int] | None = None

    @property
    def unchanged(self) -> bool:
        """True when the load created nothing and (where the store can tell) changed nothing."""
        return not any(self.created.values()) and self.changed is not None and not any(self.changed.values())

    def describe(self) -> str:
        """One line: what was created, what was already there, or that nothing changed."""
        written, created = sum(self.written.values()), sum(self.created.values())
        present = written - created
        if self.unchanged:
            return f"nothing changed: all {written} rows were already in the store, unchanged"
        if self.changed is not None:
            changed = sum(self.changed.values())
            return f"{created} created, {changed} updated, {present - changed} unchanged (of {written} rows)"
        if created == 0:
            return f"nothing new: all {written} rows were already in the store (their properties written again)"
        return f"{created} created, {present} already in the store (of {written} rows)"


def other_key_message(holder: str) -> str:
    """Why a load with another pseudonym key is refused; ``holder`` is "store" or "database"."""
    return (f"this {holder} was loaded with a different pseudonym key; loading with this one would give the same "
            f"viewers new ids. Use the original key (GRAPHKIT_PSEUDONYM_KEY) or a new {holder}")


def unbound_viewers_message(viewers: int) -> str:
    """Why a store with viewers but no key fingerprint refuses a keyed load, and how to recover."""
    return (f"this store holds {viewers} viewers but no pseudonym key fingerprint, so graphkit cannot tell "
            "which key pseudonymised them. If you are sure it was this key, record it with "
            "store.bind_key(graphkit.Pseudonymiser.from_config().fingerprint) and save; otherwise load into a new store")


def resolve_projection(
    nodes: Iterable[str] | None, relationships: Iterable[str] | None
) -> tuple[list[model.NodeKind], list[model.RelKind]]:
    """The node and relationship kinds of a projection; defaults to everything.

    Relationship kinds default to those whose ends are both among the chosen node kinds;
    naming one whose end is not chosen is an error.
    """
    try:
        node_kinds = [model.node_kind(n) for n in nodes] if nodes is not None else list(model.NODE_KINDS)
        chosen = {k.label for k in node_kinds}
        if relationships is None:
            rel_kinds = [r for r in model.REL_KINDS if r.source in chosen and r.target in chosen]
        else:
            rel_kinds = [model.rel_kind(r) for r in relationships]
    except KeyError as exc:
        raise StoreError(exc.args[0]) from None
    for rel in rel_kinds:
        if rel.source not in chosen or rel.target not in chosen:
            raise StoreError(f"{rel.type} joins {rel.source} to {rel.target}; project those node kinds too")
    return node_kinds, rel_kinds


def weight_of(rel: model.RelKind, weight: Weight) -> str | float:
    """The property name (or constant) that weighs relationships of ``rel``."""
    if weight is None:
        return 1.0
    if isinstance(weight, str):
        return weight if weight in {p.name for p in rel.properties} else 1.0
    if isinstance(weight, model.TieWeight) or any(isinstance(w, model.TieWeight) for w in weight.values()):
        raise StoreError("project() reads raw property values; for the tie weights of model.ANALYSIS_WEIGHTS "
                         "use store.analysis_graph(name)")
    return weight.get(rel.type, 1.0)


def tie_weights(graph: Graph) -> np.ndarray:
    """``graph``'s raw weights (the counts of :data:`model.ANALYSIS_WEIGHTS`) as tie weights."""
    weights = np.asarray(graph.weight, dtype=np.float64).copy()
    types = graph.rel_types.astype(str)
    for rel_type, tie in model.ANALYSIS_WEIGHTS.items():
        rows = types == rel_type
        weights[rows] = np.log2(1.0 + weights[rows]) if tie.property else 1.0
    return weights


def assemble_graph(
    nodes: Iterable[tuple[str, np.ndarray] | tuple[str, np.ndarray, pd.DataFrame]],
    edges: Iterable[tuple[str, np.ndarray, np.ndarray, ArrayLike]],
    *,
    source_labels: Mapping[str, tuple[str, str]],
    directed: bool,
) -> Graph:
    """A :class:`Graph` from node id arrays per label and edge id arrays per relationship type.

    A node entry may add a frame of node properties aligned with its ids; the graph's
    :attr:`~graphkit.Graph.attributes` are then made from them (:func:`graphkit.graph.node_attributes`).
    """
    # Ids sorted within each label: every store gives the same node order, so seeded
    # algorithms give the same answer whichever store the graph came from.
    node_list, attribute_parts = [], []
    for label, ids, *frame in nodes:
        ids = np.asarray(ids, dtype=object)
        order = np.argsort(ids, kind="stable")
        node_list.append((label, ids[order]))
        if frame:
            attribute_parts.append((label, frame[0].iloc[order].reset_index(drop=True)))
    ids = np.concatenate([a for _, a in node_list]) if node_list else np.zeros(0, dtype=object)
    kinds = np.concatenate([np.full(len(a), label, dtype=object) for label, a in node_list]) if node_list else ids
    offsets, start = {}, 0
    for label, arr in node_list:
        offsets[label] = (start, pd.Index(arr))
        start += len(arr)
    src_parts, dst_parts, w_parts, t_parts = [], [], [], []
    for rel_type, s, t, w in edges:
        s_label, t_label = source_labels[rel_type]
        s_off, s_index = offsets[s_label]
        t_off, t_index = offsets[t_label]
        src_parts.append(s_index.get_indexer(s) + s_off)
        dst_parts.append(t_index.get_indexer(t) + t_off)
        w_parts.append(np.asarray(w, dtype=np.float64))
        t_parts.append(np.full(len(s), rel_type, dtype=object))
    cat = (lambda parts, dtype: np.concatenate(parts) if parts else np.zeros(0, dtype=dtype))
    return Graph(
        ids.astype(object), kinds.astype(object), cat(src_parts, np.int64).astype(np.int64),
        cat(dst_parts, np.int64).astype(np.int64), cat(w_parts, np.float64), cat(t_parts, object), directed=directed,
        attributes=node_attributes(attribute_parts) if attribute_parts else None,
    )


def restrict(graph: Graph, spec: model.AnalysisGraph) -> Graph:
    """The analysis graph ``spec`` cut out of a projection that holds all its kinds and types.

    What :meth:`Store.analysis_graphs` does to project once and analyse several graphs: the
    nodes of ``spec``'s kinds (in the same relative order, so seeded results equal those of
    its own projection) and the edges of its types, with its direction.
    """
    keep = np.isin(graph.kinds.astype(str), list(spec.nodes))
    position = np.cumsum(keep) - 1
    edges = np.isin(graph.rel_types.astype(str), list(spec.relationships))
    # The kept nodes' attributes, less the columns only dropped kinds had (as its own projection lacks them).
    attributes = None if graph.attributes is None else graph.attributes[keep].reset_index(drop=True).dropna(
        axis=1, how="all")
    return Graph(graph.ids[keep], graph.kinds[keep], position[graph.source[edges]], position[graph.target[edges]],
                 graph.weight[edges], graph.rel_types[edges], directed=spec.directed, spec=spec, attributes=attributes)


def check_result_frame(frame: pd.DataFrame) -> list[str]:
    """The analysis property columns of a result frame to write back; raises on others."""
    allowed = {p.name for p in model.ANALYSIS_PROPERTIES}
    if not set(model.NODE_COLUMNS) <= set(frame.columns):
        raise StoreError(f"a result frame to write back needs the columns '{model.KIND}' and '{model.ID}'")
    columns = [c for c in frame.columns if c not in model.NODE_COLUMNS]
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise StoreError(
            f"not analysis properties of the data model: {', '.join(unknown)}; known: {', '.join(sorted(allowed))}"
        )
    return columns


@dataclass(frozen=True)
class QueryCheck:
    """What a store checks before it runs a named query, and the one-line message if it fails.

    ``label`` set: a node of that label with id ``value`` must exist.  ``label`` None: some
    Creator must hold a written-back value of the analysis property ``value`` (a ``score``).
    """

    param: str
    label: str | None
    value: Any
    message: str


def check_named_query(name: str, params: Mapping[str, Any]) -> tuple[CypherQuery, dict[str, Any], list[QueryCheck]]:
    """:func:`graphkit.cypher.check_query`, then the store checks to run first, in declaration order.

    Both stores run these checks, so an unknown id or an unwritten score reads the same on each.

    Examples
    --------
    >>> _, values, checks = check_named_query("top_creators_by_score", {"topic": "t9", "score": "pagerank", "limit": "3"})
    >>> values["limit"], [c.message for c in checks]
    (3, ["no Topic with id 't9'", 'no pagerank scores were written yet; run graphkit analyze --write first'])
    """
    query, values = check_query(name, params)
    checks = []
    for pname, kind in query.params.items():
        if pname in query.labels:
            label = query.labels[pname]
            checks.append(QueryCheck(pname, label, values[pname], f"no {label} with id {values[pname]!r}"))
        elif kind == "score":
            checks.append(QueryCheck(pname, None, values[pname],
                                     f"no {values[pname]} scores were written yet; run graphkit analyze --write first"))
    return query, values, checks


def _joined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The chunks as one frame, joined a column at a time.

    Each chunk's column is let go once joined, so the kind is not held twice, as a
    whole-frame concat would hold it.
    """
    if len(parts) == 1:
        return parts[0]
    columns = list(parts[0].columns)
    joined = {col: pd.concat([part.pop(col) for part in parts], ignore_index=True) for col in columns}
    return pd.DataFrame(joined, columns=columns, copy=False)


class Store(ABC):
    """A property-graph store of the data model.

    Implementations: :class:`graphkit.EmbeddedStore` (in-process, saved as Parquet) and
    :class:`graphkit.Neo4jStore`.  Use as a context manager to close it.
    """

    @abstractmethod
    def upsert_nodes(self, label: str, frame: pd.DataFrame) -> int:
        """Create or update nodes of ``label`` from a validated frame; returns rows written.

        The frame's rows replace the model's properties of the nodes they name (a column
        the frame lacks counts as missing values); derived and analysis properties stay.
        """

    @abstractmethod
    def upsert_relationships(self, rel_type: str, frame: pd.DataFrame) -> int:
        """Create or update relationships of ``rel_type``; both ends must exist."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type (every kind of the model)."""

    @abstractmethod
    def node_ids(self, label: str) -> set[str]:
        """The ids of the nodes of ``label``."""

    @abstractmethod
    def nodes(self, label: str) -> pd.DataFrame:
        """All nodes of ``label``: ``id`` then properties (file, derived and analysis)."""

    @abstractmethod
    def relationships(self, rel_type: str) -> pd.DataFrame:
        """All relationships of ``rel_type``: ``source_id``, ``target_id`` then properties."""

    @abstractmethod
    def project(
        self,
        *,
        nodes: Iterable[str] | None = None,
        relationships: Iterable[str] | None = None,
        weight: Weight = None,
        directed: bool = False,
    ) -> Graph:
        """Project the chosen kinds into a :class:`Graph` for analysis."""

    def analysis_graph(self, name: str = "whole") -> Graph:
        """Project the analysis graph called ``name`` (:data:`graphkit.model.ANALYSIS_GRAPHS`).

        Its kinds, relationship types and direction are the graph's; every relationship
        weighs its tie weight (:data:`graphkit.model.ANALYSIS_WEIGHTS`), and the graph's
        :attr:`~graphkit.Graph.spec` puts its name and formulas into every result computed
        on it.

        Raises
        ------
        ArgumentError
            An unknown name (the known ones listed).

        Examples
        --------
        >>> import graphkit
        >>> graphkit.EmbeddedStore().analysis_graph("audience").spec.weights()
        {'FOLLOWS': '1', 'ENGAGES_WITH': 'log2(1 + views)'}
        """
        try:
            spec = model.analysis_graph(name)
        except KeyError as exc:
            raise ArgumentError(exc.args[0]) from None
        raw = {t: tie.property for t, tie in model.ANALYSIS_WEIGHTS.items() if tie.property}
        graph = self.project(nodes=spec.nodes, relationships=spec.relationships, weight=raw, directed=spec.directed)
        return replace(graph, weight=tie_weights(graph), spec=spec)

    def analysis_graphs(self, names: Iterable[str]) -> dict[str, Graph]:
        """Several analysis graphs from one projection (one read of the store), by name.

        Each equals ``self.analysis_graph(name)``: the same nodes in the same order, the
        same edges and weights.

        Examples
        --------
        >>> import graphkit
        >>> sorted(graphkit.EmbeddedStore().analysis_graphs(["reach", "audience"]))
        ['audience', 'reach']
        """
        names = list(names)
        whole = self.analysis_graph("whole")
        return {name: restrict(whole, model.analysis_graph(name)) if name != "whole" else whole for name in names}

    @abstractmethod
    def write_results(self, frame: pd.DataFrame) -> int:
        """Write analysis columns of a ``kind``, ``id``, ... frame back as node properties."""

    @abstractmethod
    def refresh_derived(self) -> None:
        """Recompute the derived creator properties (``model.DERIVED_PROPERTIES``)."""

    @abstractmethod
    def check_key(self, fingerprint: str) -> None:
        """Raise :class:`StoreError` if the store holds data pseudonymised with another key.

        Reads only, so a caller can check before validating anything.
        """

    @abstractmethod
    def bind_key(self, fingerprint: str) -> None:
        """Record the pseudonym key's fingerprint (never the key) with the store."""

    @abstractmethod
    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run a named query (``cypher/queries/``): the same name, parameters, checks and columns on every store.

        Parameters are checked first (:func:`check_named_query`); an unknown name, a bad
        parameter or an unknown id raises :class:`~graphkit.errors.QueryError`.
        """

    def load(
        self,
        nodes: Mapping[str, pd.DataFrame] | Any,
        relationships: Mapping[str, pd.DataFrame] | None = None,
        *,
        key_fingerprint: str | None = None,
        progress: Progress | None = None,
        rows: Progress | None = None,
    ) -> LoadSummary:
        """Upsert validated frames (nodes first), then refresh derived properties.

        Pass the :class:`loaders.Dataset` that :func:`loaders.read_dataset` returned
        (``store.load(data)``), which carries its pseudonym key's fingerprint, or its
        ``nodes`` and ``relationships`` with ``key_fingerprint``, the
        :class:`~graphkit.Pseudonymiser`'s.  The fingerprint is checked against the store's
        and bound to it, as ``graphkit load`` does; viewer rows without one are refused.

        A :class:`loaders.StreamedDataset` (:func:`loaders.stream_dataset`) is written as it
        is read, a chunk at a time, so only a chunk is held; the embedded store gathers each
        kind's chunks, each turned into its own compact dtypes as it comes, and writes the
        kind at once (it holds its data in memory anyway).

        ``progress(name, i, n)`` is called as the i-th of the n kinds starts; ``rows(name,
        done, total)`` after each chunk written, with the rows written so far of all kinds.

        Raises
        ------
        StoreError
            Another key's fingerprint is bound to the store, or viewer rows come without one.
        """
        viewers = model.VIEWER.label
        names = [n.label for n in model.NODE_KINDS] + [r.type for r in model.REL_KINDS]
        frames: Iterable[tuple[str, pd.DataFrame]]
        generated = getattr(nodes, "generated", None) if relationships is None else None  # a dataset's own record
        if relationships is None and hasattr(nodes, "frames"):
            streamed: Any = nodes  # a loaders.StreamedDataset (not imported: stores do not depend on loaders)
            key_fingerprint = key_fingerprint or getattr(streamed, "key_fingerprint", None)
            sizes = streamed.counts()
            frames = streamed.frames()
        else:
            if relationships is None and hasattr(nodes, "relationships"):
                dataset: Any = nodes  # a loaders.Dataset
                key_fingerprint = key_fingerprint or getattr(dataset, "key_fingerprint", None)
                nodes, relationships = dataset.nodes, dataset.relationships
            given = {**{k: nodes.get(k, pd.DataFrame()) for k in names[:len(model.NODE_KINDS)]},
                     **{k: (relationships or {}).get(k, pd.DataFrame()) for k in names[len(model.NODE_KINDS):]}}
            sizes = {k: len(f) for k, f in given.items()}
            frames = ((k, f) for k, f in given.items() if len(f))
        has_viewers = sizes.get(viewers, 0) or any(
            sizes.get(r.type, 0) for r in model.REL_KINDS if viewers in (r.source, r.target))
        if key_fingerprint is None and has_viewers:
            raise StoreError("viewer rows need the fingerprint of the pseudonym key that made them: load the "
                             "dataset itself (store.load(data)) or pass key_fingerprint=pseudonymiser.fingerprint")
        if key_fingerprint is not None:
            self.check_key(key_fingerprint)
            self.bind_key(key_fingerprint)
        if generated:  # the data came from graphkit generate: a report on the store must say so
            self.record_generated(generated)
        before = self.counts()
        written = dict.fromkeys(names, 0)
        node_labels = set(names[:len(model.NODE_KINDS)])
        started = 0
        done, total = 0, sum(sizes.values())
        for name, frame in self._feed(frames):
            while started <= names.index(name):  # every kind is announced, also those without rows
                if progress:
                    progress(names[started], started, len(names))
                started += 1
            write = self.upsert_nodes if name in node_labels else self.upsert_relationships
            written[name] += write(name, frame)
            done += len(frame)
            if rows:
                rows(name, done, total)
        for i in range(started, len(names)):
            if progress:
                progress(names[i], i, len(names))
        self.refresh_derived()
        after = self.counts()
        return LoadSummary(written, after, {k: after[k] - before.get(k, 0) for k in written}, self._rows_changed())

    def _feed(self, frames: Iterable[tuple[str, pd.DataFrame]]) -> Iterable[tuple[str, pd.DataFrame]]:
        """The frames as :meth:`load` writes them: by default as they come, a chunk at a time."""
        return frames

    @staticmethod
    def _whole_kinds(frames: Iterable[tuple[str, pd.DataFrame]]) -> Iterator[tuple[str, pd.DataFrame]]:
        """Consecutive chunks of one kind joined into one frame (for a store that writes a kind at once)."""
        name, parts = "", []  # type: str, list[pd.DataFrame]
        for kind, frame in chain(frames, [("", pd.DataFrame())]):  # the empty end marker flushes the last kind
            if kind != name and parts:
                yield name, _joined(parts)
                parts = []
            name = kind
            parts.append(frame)

    def _rows_changed(self) -> dict[str, int] | None:
        """Rows of the last load that were present with other values; None where the store cannot tell."""
        return None

    @abstractmethod
    def record_generated(self, record: dict[str, Any]) -> None:
        """Record that the store holds data written by ``graphkit generate`` (``store.generated`` then gives it).

        ``Store.load`` does so for a dataset read from a folder the generator wrote.  A later
        load of other data keeps the record: the store still holds generated data.
        """

    def close(self) -> None:  # noqa: B027 - an optional hook, not abstract: a store holding nothing inherits it
        """Release resources (by default there are none, and nothing happens)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
