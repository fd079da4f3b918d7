"""The embedded store: the graph in pandas frames in this process, saved as Parquet.

Saved layout (a folder)::

    manifest.json                  format name and version, key fingerprint, counts, generation
    nodes/<Label>.parquet          one file per node label: id, then properties
    relationships/<TYPE>.parquet   one per type: source_id, target_id, then properties

``EmbeddedStore(path)`` opens the store saved at ``path``, or starts an empty one there
when nothing is saved yet; it refuses a folder that holds something else.  Saving writes a
new folder beside the old one and swaps it in, under an exclusive lock, and refuses when
another writer saved since this store was opened (see :mod:`graphkit.stores._folder`);
an interrupted save is finished or undone the next time the store is opened.  The
pseudonym key is never saved; only its fingerprint.
"""

from __future__ import annotations

import ctypes
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from graphkit import _repr, model
from graphkit.derive import creator_activity
from graphkit.errors import QueryError, StoreError
from graphkit.graph import Graph, attribute_names
from graphkit.stores import _folder
from graphkit.stores.base import (
    LoadSummary,
    Store,
    Weight,
    assemble_graph,
    check_named_query,
    check_result_frame,
    other_key_message,
    resolve_projection,
    unbound_viewers_message,
    weight_of,
)
from graphkit.stores.embedded_queries import QUERIES

__all__ = ["EmbeddedStore", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_REL_KEY = [model.SOURCE_ID, model.TARGET_ID]
_LIST_COLUMNS = {p.name for k in model.NODE_KINDS for p in k.properties if p.type == "enum_list"}
#: Text as pandas' Arrow-backed ``str``, the dtype Parquet gives back: a few bytes a value in
#: Arrow buffers, where a Python string object costs some 50 more, and chunks of it join without a copy.
_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
_STORED = {"string": _TEXT, "date": _TEXT, "enum": _TEXT, "integer": "Int64", "float": "float64", "boolean": "boolean"}


def _dtypes(kind: model.NodeKind | model.RelKind) -> dict[str, Any]:
    """The dtype of each of ``kind``'s columns in the store (lists stay Python objects)."""
    ends = [model.ID] if isinstance(kind, model.NodeKind) else _REL_KEY
    return {**dict.fromkeys(ends, _TEXT), **{p.name: _STORED[p.type] for p in kind.properties if p.type in _STORED}}


_KIND_DTYPES = {**{k.label: _dtypes(k) for k in model.NODE_KINDS}, **{r.type: _dtypes(r) for r in model.REL_KINDS}}


def _stored(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the model's columns of kind ``name`` in the store's dtypes; a column already so is not copied.

    A store loaded in this process and the same store reopened from its files then hold
    equal frames, dtypes included.

    >>> _stored("Topic", pd.DataFrame({"id": ["t1"], "name": [None], "level": [0]})).dtypes.astype(str).tolist()
    ['str', 'str', 'Int64']
    """
    cast = {c: t for c, t in _KIND_DTYPES[name].items() if c in frame.columns and frame[c].dtype != t}
    return frame.astype(cast) if cast else frame


def _empty(name: str, columns: Iterable[str]) -> pd.DataFrame:
    return _stored(name, pd.DataFrame({c: pd.Series(dtype=object) for c in columns}))


def _differs(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Cells whose values differ; missing equals missing whatever its spelling (None, NaN, NA)."""
    old_na, new_na = old.isna().to_numpy(), new.isna().to_numpy()
    same_text = old.astype(str).to_numpy() == new.astype(str).to_numpy()
    return ~((old_na & new_na) | (~old_na & ~new_na & same_text))


def _add_codes(code: np.ndarray, values: pd.Series) -> int | None:
    """Fold ``values`` into ``code`` in place, as ``code * (n + 1) + c``; the n, or None (untouched) on overflow.

    c is 0 for a missing value and 1..n for the n distinct values (Arrow's dictionary
    encoding for text, a chunk at a time).
    """
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow" and len(values):
        # One dictionary for all chunks (Arrow encodes a chunked array with one memo): no copy of the text.
        encoded = pa.chunked_array(pa.array(values)).dictionary_encode()
        n = len(encoded.chunk(0).dictionary)
        chunks: Iterable[np.ndarray] = (pc.fill_null(pc.add(chunk.indices.cast(pa.int64()), 1), 0).to_numpy()
                                        for chunk in encoded.chunks)
    else:
        codes, uniques = pd.factorize(values)  # missing: -1, so codes + 1 is c
        n, chunks = len(uniques), [codes + 1]
    if code.size and int(code.max()) >= 2**62 // (n + 1):
        return None
    code *= n + 1
    start = 0
    for c in chunks:
        code[start:start + len(c)] += c
        start += len(c)
    return n


def _all_in(values: pd.Series, ids: pd.Series) -> bool:
    """Whether every value is one of ``ids`` (missing only where ``ids`` has a missing), through Arrow for text."""
    if len(values) == 0:
        return True
    try:
        value_set = pa.chunked_array(pa.array(ids)).combine_chunks()
        return bool(pc.all(pc.is_in(pa.array(values), value_set=value_set)).as_py())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):  # types Arrow cannot match
        return bool(values.isin(ids).all())


def _repeated(frame: pd.DataFrame, key: list[str]) -> bool:
    """Whether two rows share a key (missing equals missing), as ``frame.duplicated(key).any()``.

    With one 64-bit code per row, folded in place column by column and sorted in place:
    about 8 bytes a row besides one chunk's codes, where ``duplicated`` takes some 40.

    >>> _repeated(pd.DataFrame({"a": ["x", "x", None], "b": ["y", "z", None]}), ["a", "b"])
    False
    """
    code = np.zeros(len(frame), dtype=np.int64)
    for col in key:
        if _add_codes(code, frame[col]) is None:  # the codes would overflow: let pandas tell
            return bool(frame.duplicated(key).any())
    code.sort()
    return bool((code[1:] == code[:-1]).any())


def _upsert(old: pd.DataFrame, new: pd.DataFrame, key: list[str]) -> tuple[pd.DataFrame, int]:
    """Rows of ``new`` replace the given columns of matching rows of ``old``; others are appended.

    Returns the combined frame and how many matching rows had a different value.
    """
    if old.empty and list(old.columns) == list(new.columns):  # a first load: no copies to match rows
        if _repeated(new, key):
            raise StoreError("duplicate keys in one write; validate with loaders.read_dataset first")
        return new.reset_index(drop=True), 0
    old_i, new_i = old.set_index(key), new.set_index(key)
    if new_i.index.has_duplicates:
        raise StoreError("duplicate keys in one write; validate with loaders.read_dataset first")
    for col in new_i.columns:
        if col not in old_i.columns:
            old_i[col] = pd.Series(dtype=new_i[col].dtype)
    both = new_i.index.intersection(old_i.index)
    changed = 0
    if len(both):
        diff = np.zeros(len(both), dtype=bool)
        for col in new_i.columns:
            diff |= _differs(old_i.loc[both, col], new_i.loc[both, col])
            old_i.loc[both, col] = new_i.loc[both, col]
        changed = int(diff.sum())
    fresh = new_i[~new_i.index.isin(old_i.index)]
    if not len(fresh):  # nothing new; concatenating would turn integer result columns into floats
        combined = old_i
    elif len(old_i):
        combined = pd.concat([old_i, fresh])
    else:
        combined = fresh.reindex(columns=old_i.columns.union(fresh.columns, sort=False))
    return combined.reset_index(), changed


#: Chunks of a streamed load between two :func:`_trim` calls (about 60 MB of CSV).
_TRIM_CHUNKS = 32


def _trim() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A load frees each chunk's working copies as it goes, but glibc keeps freed blocks for
    reuse, and over millions of rows what it keeps outgrows the store: at 11M relationships
    the process held about 440 MB that one ``malloc_trim`` gave back (``bench/load_memory.py``).
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> Any:
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # pragma: no cover - a platform without a C library to open
        return None


_LIBC = _libc()


#: Rows converted to Arrow at a time when saving: pyarrow's default row group, so the file
#: is what ``to_parquet`` writes, while only one group's numbers are copied at once.
_SAVE_ROWS = 1 << 20


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """``frame.to_parquet(path, index=False)``, converted a row group at a time (not the whole frame at once)."""
    if len(frame) <= _SAVE_ROWS:
        frame.to_parquet(path, index=False)
        return
    schema = pa.Schema.from_pandas(frame, preserve_index=False)  # from the whole column, not one group's values
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, len(frame), _SAVE_ROWS):
            part = frame.iloc[start:start + _SAVE_ROWS]
            writer.write_table(pa.Table.from_pandas(part, schema=schema, preserve_index=False))


class EmbeddedStore(Store):
    """An in-process store; nothing to install or start.

    Parameters
    ----------
    path : str or Path, optional
        The store's folder.  When it holds a saved store, that store is opened (data,
        key fingerprint and written-back results); when it does not exist yet (or is an
        empty folder), the store starts empty and :meth:`save` creates it there.  A
        folder that holds anything else is refused.  Without a path the store lives in
        memory until ``save(path)``.
    create : bool
        With ``create=False`` a missing store is an error instead (as :meth:`open`).
    lock_timeout : float
        Seconds :meth:`save` (and :meth:`writing`) wait for another writer of the same
        folder before giving up; default 0, fail at once.

    Raises
    ------
    StoreError
        The folder is not a graphkit store, is damaged, or (``create=False``) does not exist.

    Examples
    --------
    >>> import pandas as pd
    >>> store = EmbeddedStore()
    >>> store.upsert_nodes("Topic", pd.DataFrame({"id": ["t1"], "name": ["Physics"], "level": [0]}))
    1
    >>> store.counts()["Topic"]
    1
    """

    def __init__(self, path: str | Path | None = None, *, create: bool = True, lock_timeout: float = 0.0) -> None:
        self.path = Path(path) if path is not None else None
        self.key_fingerprint: str | None = None
        #: The generator's record when the data came from ``graphkit generate`` (saved in the manifest).
        self.generated: dict[str, Any] | None = None
        self.lock_timeout = lock_timeout
        self._nodes = {k.label: _empty(k.label, k.columns) for k in model.NODE_KINDS}
        self._rels = {r.type: _empty(r.type, r.columns) for r in model.REL_KINDS}
        self._generation: int | None = None  # the saved generation this store was read from
        self._changed: dict[str, int] = {}
        self.recovered: str | None = None  # what opening did about an interrupted save, if anything
        if self.path is not None:
            self._read_folder(create)

    def __repr__(self) -> str:
        return "\n".join(self._describe())

    def _repr_html_(self) -> str:
        head, *rest = self._describe()
        return _repr.html_block(head, rest)

    def _describe(self) -> list[str]:
        """Where it lives, whether saved, its counts and its key's fingerprint (a prefix), in a few lines."""
        saved = (f"on disk as generation {self._generation}" if self._generation is not None
                 else "not saved yet" if self.path is not None else "in memory, not saved")
        counts = self.counts()
        nodes = {k.label: counts[k.label] for k in model.NODE_KINDS}
        rels = {r.type: counts[r.type] for r in model.REL_KINDS}
        lines = [f"EmbeddedStore(path={str(self.path) if self.path else None!r}), {saved}",
                 "nodes: " + _repr.counts_text(nodes, skip_zero=True),
                 "relationships: " + _repr.counts_text(rels, skip_zero=True)]
        if self.key_fingerprint:
            lines.append(f"pseudonym key fingerprint: {self.key_fingerprint[:8]}...")
        return lines

    @classmethod
    def open(cls, path: str | Path) -> EmbeddedStore:
        """Open the store saved at ``path``; refuse when there is none."""
        return cls(path, create=False)

    @classmethod
    @contextmanager
    def writing(cls, path: str | Path, *, create: bool = True, timeout: float = 0.0) -> Iterator[EmbeddedStore]:
        """Open the store at ``path`` holding its exclusive writer lock until the block ends.

        Another process that tries to write the same store meanwhile waits up to its own
        timeout, then fails with a message naming this process.  Call :meth:`save` inside
        the block to keep the changes.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
        >>> with EmbeddedStore.writing(folder) as store:
        ...     _ = store.upsert_nodes("Topic", pd.DataFrame({"id": ["t1"], "name": ["Physics"], "level": [0]}))
        ...     _ = store.save()
        >>> EmbeddedStore.open(folder).counts()["Topic"]
        1
        """
        with _folder.lock_for(Path(path)).holding(timeout):
            yield cls(path, create=create, lock_timeout=timeout)

    def _read_folder(self, create: bool) -> None:
        """Fill this store from its folder, finishing or undoing an interrupted save first."""
        assert self.path is not None
        path = self.path
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path} is a file, not a store folder")
        if _folder.needs_recovery(path):
            # A save may be under way in another process: wait for it, then repair what is left.
            with _folder.lock_for(path).holding(max(self.lock_timeout, 60.0)):
                self.recovered = _folder.recover(path)
        manifest = _folder.read_manifest(path) if path.is_dir() else None
        if manifest is None:
            if path.is_dir() and any(path.iterdir()):
                raise StoreError(f"{path} is not a saved graphkit store (no manifest.json) and not empty; "
                                 "choose another folder")
            if not create:
                raise StoreError(f"{path} is not a saved graphkit store (no manifest.json); run `graphkit load` first")
            return
        if manifest.get("format") != "graphkit-embedded-store" or manifest.get("format_version") != FORMAT_VERSION:
            raise StoreError(f"{path} holds an unsupported store format: {manifest.get('format')} v{manifest.get('format_version')}")
        try:
            self._read_saved(path, manifest)
        except StoreError:
            if not _folder.needs_recovery(path):
                raise
            # A save swapped the folder while it was being read: read it again once that is done.
            with _folder.lock_for(path).holding(max(self.lock_timeout, 60.0)):
                self.recovered = _folder.recover(path)
                self._read_saved(path, _folder.read_manifest(path) or {})

    def _read_saved(self, path: Path, manifest: dict) -> None:
        self.key_fingerprint = manifest.get("key_fingerprint")
        self.generated = manifest.get("generated")
        self._generation = int(manifest.get("generation", 0))
        for label in self._nodes:
            self._nodes[label] = _stored(label, _read(path / "nodes" / f"{label}.parquet"))
        for rel_type in self._rels:
            self._rels[rel_type] = _stored(rel_type, _read(path / "relationships" / f"{rel_type}.parquet"))
        if self.counts() != manifest.get("counts"):
            raise StoreError(f"{path} is damaged: its files do not match the counts in manifest.json")

    # -- writing -------------------------------------------------------------------------
    def record_generated(self, record: dict[str, Any]) -> None:
        self.generated = dict(record)

    def check_key(self, fingerprint: str) -> None:
        if self.key_fingerprint not in (None, fingerprint):
            raise StoreError(other_key_message("store"))
        if self.key_fingerprint is None and len(self._nodes[model.VIEWER.label]):
            raise StoreError(unbound_viewers_message(len(self._nodes[model.VIEWER.label])))

    def bind_key(self, fingerprint: str) -> None:
        if self.key_fingerprint not in (None, fingerprint):
            raise StoreError(other_key_message("store"))
        self.key_fingerprint = fingerprint

    def upsert_nodes(self, label: str, frame: pd.DataFrame) -> int:
        kind = model.node_kind(label)
        new = _stored(kind.label, frame.reindex(columns=list(kind.columns)))
        self._nodes[kind.label], changed = _upsert(self._nodes[kind.label], new, [model.ID])
        self._changed[kind.label] = self._changed.get(kind.label, 0) + changed
        return len(frame)

    def upsert_relationships(self, rel_type: str, frame: pd.DataFrame) -> int:
        rel = model.rel_kind(rel_type)
        new = _stored(rel.type, frame.reindex(columns=list(rel.columns)))
        for col, label in ((model.SOURCE_ID, rel.source), (model.TARGET_ID, rel.target)):
            if not _all_in(new[col], self._nodes[label][model.ID]):
                raise StoreError(f"{rel_type}: some {col} values are not {label} nodes of this store")
        self._rels[rel.type], changed = _upsert(self._rels[rel.type], new, _REL_KEY)
        self._changed[rel.type] = self._changed.get(rel.type, 0) + changed
        return len(frame)

    def load(self, *args: Any, **kwargs: Any) -> LoadSummary:
        # A load that fails part way (a file changed since it was validated, an end the store lacks)
        # leaves the store as it was: writes replace frames and never change them, so keeping these is enough.
        before = dict(self._nodes), dict(self._rels), self.key_fingerprint, self.generated
        self._changed = {}
        try:
            return super().load(*args, **kwargs)
        except BaseException:
            self._nodes, self._rels, self.key_fingerprint, self.generated = before
            raise

    def _feed(self, frames: Iterable[tuple[str, pd.DataFrame]]) -> Iterator[tuple[str, pd.DataFrame]]:
        # A streamed dataset's chunks of a kind joined, so the kind is upserted at once; each chunk
        # in the store's dtypes as it comes: a kind's chunks wait compact, and their text joins uncopied.
        def stored() -> Iterator[tuple[str, pd.DataFrame]]:
            for count, (name, frame) in enumerate(frames, 1):
                yield name, _stored(name, frame)
                if count % _TRIM_CHUNKS == 0:
                    _trim()

        for name, frame in self._whole_kinds(stored()):
            _trim()  # the chunks were let go as the kind was joined, and its working copies once it is written
            yield name, frame
            del frame
            _trim()

    def _rows_changed(self) -> dict[str, int]:
        return dict(self._changed)

    def refresh_derived(self) -> None:
        creators = self._nodes[model.CREATOR.label]
        derived = creator_activity(creators, self._rels[model.PUBLISHES_ON.type])
        # A new frame (its other columns shared, not copied): the one before stays as it was.
        self._nodes[model.CREATOR.label] = creators.assign(**{c: derived[c].to_numpy() for c in derived.columns[1:]})

    def write_results(self, frame: pd.DataFrame) -> int:
        columns = check_result_frame(frame)
        written = 0
        for label, part in frame.groupby(model.KIND, sort=False):
            if label not in self._nodes:
                raise StoreError(f"unknown node kind {label!r} in the result frame")
            nodes = self._nodes[label]
            values = part.set_index(model.ID)[columns]
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
            ((k.label, self._nodes[k.label][model.ID].to_numpy(dtype=object), self._attributes(k.label))
             for k in node_kinds),
            edges,
            source_labels={r.type: (r.source, r.target) for r in rel_kinds},
            directed=directed,
        )

    def _attributes(self, label: str) -> pd.DataFrame:
        """The node properties a projection carries (:func:`graphkit.graph.attribute_names`) that ``label`` has."""
        frame = self._nodes[label]
        return frame[[c for c in attribute_names(label) if c in frame.columns]]

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run a named query of ``cypher/queries/`` on this store's frames; parameters as declared.

        The answer is the Neo4j store's for the same data: the same columns, rows and order
        (:mod:`graphkit.stores.embedded_queries` holds each query's implementation).

        Raises
        ------
        QueryError
            An unknown name or bad parameters (:func:`graphkit.cypher.check_query`), an
            ``id`` parameter naming no node of its label, or a ``score`` that no
            ``graphkit analyze --write`` has written yet: the Neo4j store's messages.

        Examples
        --------
        >>> store = EmbeddedStore()
        >>> _ = store.upsert_nodes("Topic", pd.DataFrame({"id": ["t1"], "name": ["Physics"], "level": [0]}))
        >>> store.query("neighbourhood_topic", id="t1").empty
        True
        >>> store.query("neighbourhood_topic", id="t2")
        Traceback (most recent call last):
        ...
        graphkit.errors.QueryError: no Topic with id 't2'
        """
        _, values, checks = check_named_query(name, params)
        run = QUERIES.get(name)
        if run is None:
            raise QueryError(f"the named query {name} has no embedded implementation yet; run it on the Neo4j store")
        for check in checks:
            if check.label is not None:
                found = bool((self._nodes[check.label][model.ID] == check.value).any())
            else:
                creators = self._nodes[model.CREATOR.label]
                found = check.value in creators and bool(creators[check.value].notna().any())
            if not found:
                raise QueryError(check.message)
        return run(self._nodes, self._rels, **values)

    # -- persistence ---------------------------------------------------------------------
    def save(self, path: str | Path | None = None) -> Path:
        """Write the store to its folder (or to ``path``, a new folder), atomically.

        Refuses to replace a different store: ``path`` must be this store's own folder or
        hold no store, and the folder must not have been saved by another writer since
        this store was opened (open it again and redo the change).
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise StoreError("no path to save the store to; pass one")
        own = self.path is not None and target.resolve() == self.path.resolve()
        with _folder.lock_for(target).holding(self.lock_timeout):
            _folder.recover(target)
            manifest = _folder.read_manifest(target) if target.is_dir() else None
            on_disk = int(manifest.get("generation", 0)) if manifest is not None else None
            if not own and manifest is not None:
                raise StoreError(f"{target} already holds a graphkit store; open it with EmbeddedStore({str(target)!r}) "
                                 "to add to it, or save to a new folder")
            if own and on_disk != self._generation:
                raise StoreError(f"{target} was saved by another writer after this store was opened; "
                                 "open it again and redo the change (nothing was written)")
            if target.is_dir() and manifest is None and any(target.iterdir()):
                raise StoreError(f"{target} is not a graphkit store and not empty; choose another folder")
            generation = (on_disk or 0) + 1
            try:
                _folder.commit(target, lambda folder: self._write_files(folder, generation))
            except OSError as exc:
                raise StoreError(f"cannot save the store to {target}: {exc.strerror}") from exc
        self.path, self._generation = target, generation
        return target

    def _write_files(self, folder: Path, generation: int) -> None:
        (folder / "nodes").mkdir()
        (folder / "relationships").mkdir()
        for label, frame in self._nodes.items():
            _write_parquet(frame, folder / "nodes" / f"{label}.parquet")
        for rel_type, frame in self._rels.items():
            _write_parquet(frame, folder / "relationships" / f"{rel_type}.parquet")
        manifest = {
            "format": "graphkit-embedded-store",
            "format_version": FORMAT_VERSION,
            "generation": generation,
            "key_fingerprint": self.key_fingerprint,
            "generated": self.generated,
            "counts": self.counts(),
        }
        (folder / _folder.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")  # last: marks it complete


def _read(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from exc
    for col in _LIST_COLUMNS.intersection(frame.columns):  # Parquet gives arrays back; the model has lists
        frame[col] = frame[col].map(lambda v: [] if v is None else list(v))
    return frame
