"""The embedded store: the graph in pandas frames in this process, saved as Parquet.

Saved layout (a folder)::

    manifest.json                  format name and version, key fingerprint, counts
    nodes/<Label>.parquet          one file per node label: id, then properties
    relationships/<TYPE>.parquet   one per type: source_id, target_id, then properties

Saving writes a new folder beside the old one and swaps it in, so a failed save leaves
the previous store intact.  The pseudonym key is never saved; only its fingerprint.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from graphkit import model
from graphkit.derive import creator_activity
from graphkit.errors import StoreError
from graphkit.graph import Graph
from graphkit.stores.base import Store, Weight, assemble_graph, check_result_frame, resolve_projection, weight_of

__all__ = ["EmbeddedStore", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_REL_KEY = [model.SOURCE_ID, model.TARGET_ID]
_LIST_COLUMNS = {p.name for k in model.NODE_KINDS for p in k.properties if p.type == "enum_list"}


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _upsert(old: pd.DataFrame, new: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Rows of ``new`` replace the given columns of matching rows of ``old``; others are appended."""
    old_i, new_i = old.set_index(key), new.set_index(key)
    if new_i.index.has_duplicates:
        raise StoreError("duplicate keys in one write; validate with loaders.read_dataset first")
    for col in new_i.columns:
        if col not in old_i.columns:
            old_i[col] = pd.Series(dtype=new_i[col].dtype)
    both = new_i.index.intersection(old_i.index)
    if len(both):
        for col in new_i.columns:
            old_i.loc[both, col] = new_i.loc[both, col]
    fresh = new_i[~new_i.index.isin(old_i.index)]
    combined = pd.concat([old_i, fresh]) if len(old_i) else fresh.reindex(columns=old_i.columns.union(fresh.columns, sort=False))
    return combined.reset_index()


class EmbeddedStore(Store):
    """An in-process store; nothing to install or start.

    Parameters
    ----------
    path : str or Path, optional
        Folder the store is saved to by :meth:`save`, and reopened from with :meth:`open`.

    Examples
    --------
    >>> import pandas as pd
    >>> store = EmbeddedStore()
    >>> store.upsert_nodes("Topic", pd.DataFrame({"id": ["t1"], "name": ["Physics"], "level": [0]}))
    1
    >>> store.counts()["Topic"]
    1
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.key_fingerprint: str | None = None
        self._nodes = {k.label: _empty(k.columns) for k in model.NODE_KINDS}
        self._rels = {r.type: _empty(r.columns) for r in model.REL_KINDS}

    def __repr__(self) -> str:
        return f"EmbeddedStore(path={str(self.path) if self.path else None!r})"

    # -- writing -------------------------------------------------------------------------
    def check_key(self, fingerprint: str) -> None:
        if self.key_fingerprint not in (None, fingerprint):
            raise StoreError(
                "this store was loaded with a different pseudonym key; loading with this one would "
                "give the same viewers new ids. Use the original key (GRAPHKIT_PSEUDONYM_KEY) or a new store"
            )

    def bind_key(self, fingerprint: str) -> None:
        self.key_fingerprint = fingerprint

    def upsert_nodes(self, label: str, frame: pd.DataFrame) -> int:
        kind = model.node_kind(label)
        self._nodes[kind.label] = _upsert(self._nodes[kind.label], frame.reindex(columns=list(kind.columns)), [model.ID])
        return len(frame)

    def upsert_relationships(self, rel_type: str, frame: pd.DataFrame) -> int:
        rel = model.rel_kind(rel_type)
        for col, label in ((model.SOURCE_ID, rel.source), (model.TARGET_ID, rel.target)):
            if not frame[col].isin(self._nodes[label][model.ID]).all():
                raise StoreError(f"{rel_type}: some {col} values are not {label} nodes of this store")
        self._rels[rel.type] = _upsert(self._rels[rel.type], frame.reindex(columns=list(rel.columns)), _REL_KEY)
        return len(frame)

    def refresh_derived(self) -> None:
        creators = self._nodes[model.CREATOR.label]
        derived = creator_activity(creators, self._rels[model.PUBLISHES_ON.type])
        for col in derived.columns[1:]:
            creators[col] = derived[col].to_numpy()

    def write_results(self, frame: pd.DataFrame) -> int:
        columns = check_result_frame(frame)
        written = 0
        for label, part in frame.groupby("kind", sort=False):
            if label not in self._nodes:
                raise StoreError(f"unknown node kind {label!r} in the result frame")
            nodes = self._nodes[label]
            values = part.set_index("id")[columns]
            for col in columns:
                mapped = nodes[model.ID].map(values[col])
                nodes[col] = mapped if col not in nodes else mapped.combine_first(nodes[col])
            written += int(nodes[model.ID].isin(values.index).sum())
        return written

    # -- reading -------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {**{k: len(f) for k, f in self._nodes.items()}, **{k: len(f) for k, f in self._rels.items()}}

    def node_ids(self, label: str) -> set[str]:
        return set(self._nodes[model.node_kind(label).label][model.ID])

    def nodes(self, label: str) -> pd.DataFrame:
        return self._nodes[model.node_kind(label).label].copy()

    def relationships(self, rel_type: str) -> pd.DataFrame:
        return self._rels[model.rel_kind(rel_type).type].copy()

    def project(
        self,
        *,
        nodes: Iterable[str] | None = None,
        relationships: Iterable[str] | None = None,
        weight: Weight = None,
        directed: bool = False,
    ) -> Graph:
        """Project chosen kinds into a :class:`~graphkit.Graph` (see :class:`~graphkit.stores.base.Store`)."""
        node_kinds, rel_kinds = resolve_projection(nodes, relationships)
        edges = []
        for rel in rel_kinds:
            frame = self._rels[rel.type]
            w = weight_of(rel, weight)
            values = frame[w].astype("float64").fillna(1.0).to_numpy() if isinstance(w, str) else [float(w)] * len(frame)
            edges.append((rel.type, frame[model.SOURCE_ID].to_numpy(), frame[model.TARGET_ID].to_numpy(), values))
        return assemble_graph(
            ((k.label, self._nodes[k.label][model.ID].to_numpy(dtype=object)) for k in node_kinds),
            edges,
            source_labels={r.type: (r.source, r.target) for r in rel_kinds},
            directed=directed,
        )

    # -- persistence ---------------------------------------------------------------------
    def save(self, path: str | Path | None = None) -> Path:
        """Write the store to ``path`` (default: the path it was opened with)."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise StoreError("no path to save the store to; pass one")
        tmp = target.with_name(target.name + ".saving")
        shutil.rmtree(tmp, ignore_errors=True)
        (tmp / "nodes").mkdir(parents=True)
        (tmp / "relationships").mkdir()
        try:
            for label, frame in self._nodes.items():
                frame.to_parquet(tmp / "nodes" / f"{label}.parquet", index=False)
            for rel_type, frame in self._rels.items():
                frame.to_parquet(tmp / "relationships" / f"{rel_type}.parquet", index=False)
            manifest = {
                "format": "graphkit-embedded-store",
                "format_version": FORMAT_VERSION,
                "key_fingerprint": self.key_fingerprint,
                "counts": self.counts(),
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise StoreError(f"cannot save the store to {target}: {exc.strerror}") from exc
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        self.path = target
        return target

    @classmethod
    def open(cls, path: str | Path) -> EmbeddedStore:
        """Reopen a store saved with :meth:`save`."""
        path = Path(path)
        manifest_path = path / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text())
        except FileNotFoundError:
            raise StoreError(f"{path} is not a saved graphkit store (no manifest.json); run `graphkit load` first") from None
        except (OSError, json.JSONDecodeError) as exc:
            raise StoreError(f"cannot read {manifest_path}: {exc}") from exc
        if manifest.get("format") != "graphkit-embedded-store" or manifest.get("format_version") != FORMAT_VERSION:
            raise StoreError(f"{path} holds an unsupported store format: {manifest.get('format')} v{manifest.get('format_version')}")
        store = cls(path)
        store.key_fingerprint = manifest.get("key_fingerprint")
        for label in store._nodes:
            store._nodes[label] = _read(path / "nodes" / f"{label}.parquet")
        for rel_type in store._rels:
            store._rels[rel_type] = _read(path / "relationships" / f"{rel_type}.parquet")
        if store.counts() != manifest.get("counts"):
            raise StoreError(f"{path} is damaged: its files do not match the counts in manifest.json")
        return store


def _read(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from exc
    for col in _LIST_COLUMNS.intersection(frame.columns):  # Parquet gives arrays back; the model has lists
        frame[col] = frame[col].map(lambda v: [] if v is None else list(v))
    return frame
