"""The store interface that the embedded store and the Neo4j store implement.

See ``docs/architecture.md``.  A store holds the property graph of the data model:
nodes keyed by (label, id), at most one relationship of a type between two nodes.
Writes are upserts, so loading the same data twice changes nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.errors import StoreError
from graphkit.graph import Graph

__all__ = ["Store", "LoadSummary", "Weight", "resolve_projection", "assemble_graph", "check_result_frame"]

#: A projection's weight: none (all 1), one property name used wherever a relationship
#: type has it, or a property name or constant per relationship type.
Weight = str | Mapping[str, str | float] | None
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class LoadSummary:
    """What a load wrote: rows per node label and relationship type, and the totals after it."""

    written: dict[str, int]
    counts: dict[str, int]


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
    return weight.get(rel.type, 1.0)


def assemble_graph(
    nodes: Iterable[tuple[str, np.ndarray]],
    edges: Iterable[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
    *,
    source_labels: Mapping[str, tuple[str, str]],
    directed: bool,
) -> Graph:
    """A :class:`Graph` from node id arrays per label and edge id arrays per relationship type."""
    # Ids sorted within each label: every store gives the same node order, so seeded
    # algorithms give the same answer whichever store the graph came from.
    node_list = [(label, np.sort(np.asarray(ids, dtype=object))) for label, ids in nodes]
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
    )


def check_result_frame(frame: pd.DataFrame) -> list[str]:
    """The analysis property columns of a result frame to write back; raises on others."""
    allowed = {p.name for p in model.ANALYSIS_PROPERTIES}
    if not {"kind", "id"} <= set(frame.columns):
        raise StoreError("a result frame to write back needs the columns 'kind' and 'id'")
    columns = [c for c in frame.columns if c not in ("kind", "id")]
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise StoreError(
            f"not analysis properties of the data model: {', '.join(unknown)}; known: {', '.join(sorted(allowed))}"
        )
    return columns


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

    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run a named Cypher query from ``cypher/``; only the Neo4j store can."""
        raise StoreError(
            f"named Cypher queries such as {name!r} run on the Neo4j store only; "
            "load the data with --neo4j URI (or graphkit.Neo4jStore) to query it"
        )

    def load(
        self,
        nodes: Mapping[str, pd.DataFrame],
        relationships: Mapping[str, pd.DataFrame],
        *,
        key_fingerprint: str | None = None,
        progress: Progress | None = None,
    ) -> LoadSummary:
        """Upsert validated frames (nodes first), then refresh derived properties.

        The frames come from :func:`loaders.read_dataset` (``dataset.nodes`` and
        ``dataset.relationships``); ``key_fingerprint`` is the
        :class:`~graphkit.Pseudonymiser`'s, checked against and then bound to the store.
        """
        if key_fingerprint is not None:
            self.check_key(key_fingerprint)
            self.bind_key(key_fingerprint)
        written: dict[str, int] = {}
        steps = [(k, nodes.get(k, pd.DataFrame()), self.upsert_nodes) for k in (n.label for n in model.NODE_KINDS)]
        steps += [(k, relationships.get(k, pd.DataFrame()), self.upsert_relationships) for k in (r.type for r in model.REL_KINDS)]
        for i, (name, frame, write) in enumerate(steps):
            if progress:
                progress(name, i, len(steps))
            written[name] = write(name, frame) if len(frame) else 0
        self.refresh_derived()
        return LoadSummary(written, self.counts())

    def close(self) -> None:
        """Release resources."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
