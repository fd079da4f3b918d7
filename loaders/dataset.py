"""Read a dataset folder into validated frames, checking all of it before anything is written.

Every problem in every file is collected (file, line, column, what was expected).  With
``on_error="fail"`` any problem raises one :class:`~graphkit.errors.LoaderError` listing
them all; with ``on_error="skip"`` the rows with problems are set aside as rejects,
together with relationships whose ends were rejected, and the good rows are returned.
File-level problems (a kind's path that is not a file, an undecodable file, an unclosed
CSV quote, a missing required column, a Parquet column of the wrong type) are fatal
either way.  Before conversion every text cell is checked for refused characters and
stripped of surrounding whitespace, and ids are put in Unicode NFC
(:func:`loaders.convert.clean_text`); warnings say what was stripped.

Viewer identifiers are replaced by pseudonyms before any check, so no message, reject
or frame carries a raw viewer id.
"""

from __future__ import annotations

import bisect
import codecs
import html
import itertools
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.errors import ArgumentError, LoaderError, Problem
from loaders.chunks import CHUNK_BYTES, iter_table
from loaders.convert import arrow_type_problem, clean_text, convert, expected, missing_mask, text_fault
from loaders.files import RawTable, _fold, find_files
from loaders.progress import Meter

__all__ = ["Dataset", "StreamedDataset", "read_dataset", "stream_dataset", "REJECT_COLUMNS"]

#: Columns of the rejects table (and file).
REJECT_COLUMNS = ["file", "line", "column", "reason"]
Pseudonymise = Callable[[pd.Series], pd.Series]
#: Called in the first pass with a kind's name and each chunk's rows that passed the chunk's checks.
OnChunk = Callable[[str, pd.DataFrame], None]
_DTYPES = {"integer": "Int64", "float": "float64", "boolean": "boolean"}
_ENDS = (model.ID, model.SOURCE_ID, model.TARGET_ID)


@dataclass
class Dataset:
    """A validated dataset: one frame per node label and per relationship type.

    Parameters
    ----------
    nodes : dict of str to DataFrame
        By label: the ``id`` column then the model's properties.  Kinds without a file have
        empty frames.
    relationships : dict of str to DataFrame
        By type: ``source_id``, ``target_id`` then properties.
    rejects : DataFrame
        The rows with problems set aside by ``on_error="skip"``, one row per problem
        (columns :data:`REJECT_COLUMNS`).
    warnings : list of str
        What reading noticed but accepted.
    source : str
        The folder it was read from.
    key_fingerprint : str or None
        Identifies the pseudonym key that made the viewer ids (when the pseudonymiser has
        one); ``Store.load(dataset)`` checks and binds it.
    generated : dict or None
        The record ``graphkit generate`` left in the folder (its scale, seed, options), when
        the data is synthetic; ``Store.load(dataset)`` records it with the store, so a
        report on the store carries the synthetic-data notice.
    """

    nodes: dict[str, pd.DataFrame]
    relationships: dict[str, pd.DataFrame]
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    key_fingerprint: str | None = None
    generated: dict[str, object] | None = None

    def counts(self) -> dict[str, int]:
        """Rows per node label and relationship type."""
        return {k: len(f) for k, f in {**self.nodes, **self.relationships}.items()}

    def __repr__(self) -> str:
        return "\n".join(self._describe())

    def _repr_html_(self) -> str:
        head, *rest = self._describe()
        return f"<div><strong>{html.escape(head)}</strong>" + "".join(f"<br>{html.escape(r)}" for r in rest) + "</div>"

    def _describe(self) -> list[str]:
        """Counts, rejects, warnings and the key's fingerprint (a prefix): no rows, so no viewer ids."""
        def counts(frames: dict[str, pd.DataFrame]) -> str:
            return ", ".join(f"{k} {len(f):,}" for k, f in frames.items() if len(f)) or "none"

        source = f" read from {self.source!r}" if self.source else ""
        key = f"{self.key_fingerprint[:8]}..." if self.key_fingerprint else "none"
        return [f"Dataset{source}", f"nodes: {counts(self.nodes)}", f"relationships: {counts(self.relationships)}",
                f"rejects: {len(self.rejects):,} problems; warnings: {len(self.warnings):,}; "
                f"pseudonym key fingerprint: {key}"]


def _empty(kind: model.NodeKind | model.RelKind) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in kind.columns})
    for prop in kind.properties:
        if prop.type in _DTYPES:
            frame[prop.name] = frame[prop.name].astype(_DTYPES[prop.type])
    return frame


def _article(word: str) -> str:
    return "an" if word[0].lower() in "aeiou" else "a"


_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "FULLWIDTH", "MATHEMATICAL")


def _escaped(ch: str) -> str:
    """``ch``, or its escape when it is invisible or could pass for an ASCII character."""
    if ch.isascii() and ch.isprintable():
        return ch
    if ch.isprintable() and not unicodedata.name(ch, "").startswith(_LOOKALIKE_SCRIPTS) and not (
            unicodedata.normalize("NFKC", ch).isascii() or unicodedata.category(ch).startswith(("Z", "M"))):
        return ch  # e.g. Chinese: shown as is
    return ascii(ch)[1:-1]


def _shown(value: object, private: bool) -> str:
    r"""A value for a message: quoted, cut at 40 characters, look-alikes and invisibles escaped.

    >>> print(_shown("c\u0430t\u200b", False), _shown("物理", False))
    'c\u0430t\u200b' '物理'
    """
    if private:
        return "a viewer id (not shown)"
    text = str(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return "'" + "".join("\\'" if ch == "'" else "\\\\" if ch == "\\" else _escaped(ch) for ch in text) + "'"


class _Checker:
    """Collects problems per row of one table and builds its typed frame."""

    def __init__(self, table: RawTable) -> None:
        self.table = table
        self.n = len(table.frame)
        self.fatal: list[Problem] = [p for p in table.problems if p.line is None or table.unreadable]
        self.rows: list[Problem] = [p for p in table.problems if p.line is not None and not table.unreadable]
        self.bad = np.zeros(self.n, dtype=bool)
        self.warnings: list[str] = list(table.warnings)
        self.header: dict[str, str] = {}  # model name -> the file's column name, where a file uses an alias
        self.stripped: dict[str, int] = {}  # cells stripped of surrounding whitespace, by column

    def flag(self, mask: pd.Series | np.ndarray, column: str, message: Callable[[int], str] | str) -> None:
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        self.bad[positions] = True
        lines, ends = self.table.lines, self.table.ends
        for pos in positions:
            text = message(int(pos)) if callable(message) else message
            if ends is not None and ends[pos] != lines[pos]:  # every line of a rejected record is accounted for
                text += f" (the record spans lines {lines[pos]}-{ends[pos]})"
            self.rows.append(Problem(self.table.name, int(lines[pos]), self.header.get(column, column), text))

    def typed(self, kind: model.NodeKind | model.RelKind, keys: tuple[str, ...], private: Collection[str]) -> pd.DataFrame:
        raw, name = self.table.frame, self.table.name
        self.unknown: list[str] = []
        renamed = _renamed(kind, raw.columns)
        if renamed:  # a file with a former column name (Property.aliases) reads as the current one
            raw = raw.rename(columns=renamed)
            self.header = {new: old for old, new in renamed.items()}
            self.warnings.extend(f"{name}: column {old} was renamed {new}; read it as {new}"
                                 for old, new in renamed.items())
        if self.table.empty:
            what = kind.label if isinstance(kind, model.NodeKind) else kind.type
            self.warnings.append(f"{name} is empty: read as no {what} rows")
        if self.table.unreadable or raw.shape == (0, 0):  # unreadable, or an empty file: no rows
            return _empty(kind)
        unknown = [c for c in raw.columns if c not in kind.columns]
        required = list(keys) + [p.name for p in kind.properties if p.required]
        missing_cols = [c for c in required if c not in raw.columns]
        line = 1 if self.table.format == "csv" else None
        for col in missing_cols:
            near = _near(col, unknown)
            hint = f"; found {_shown(near, False)}: did you mean {col}?" if near else ""
            self.fatal.append(Problem(name, line, col, "required column is missing" + hint))
        self.unknown = [f"{c} (did you mean {_near(c, kind.columns)}?)" if _near(c, kind.columns) else c
                        for c in unknown]
        props = {p.name: p for p in kind.properties}
        for col, arrow_type in self.table.arrow_types.items():
            col = renamed.get(col, col)
            if col in kind.columns:
                problem, warning = arrow_type_problem(props.get(col) or model.Property(col, "string"), arrow_type)
                if problem:
                    self.fatal.append(Problem(name, None, col, "Parquet column " + problem))
                if warning:
                    self.warnings.append(f"{name}: column {col} {warning}")
        out = _empty(kind).reindex(range(self.n))
        if self.fatal:
            return out
        for col in kind.columns:
            if col not in raw.columns:
                continue
            prop = props.get(col) or model.Property(col, "string", required=True)
            level = "id" if col in _ENDS else "label" if col == "name" or prop.type.startswith("enum") else "text"
            values, faulty, stripped = clean_text(raw[col].reset_index(drop=True), level)
            if stripped:  # said once per file, summed over its chunks (_File.finish)
                self.stripped[col] = self.stripped.get(col, 0) + stripped
            if faulty.any():
                def fault(pos: int, v: pd.Series = values, lv: str = level) -> str:
                    return str(text_fault(v[pos], lv))

                self.flag(faulty, col, fault)
            absent = missing_mask(values) & ~faulty
            if prop.required:
                self.flag(absent, col, "required value is missing")
            present = values[~absent & ~faulty]
            typed, bad = convert(prop, present)

            def wrong(pos: int, v: pd.Series = values, p: model.Property = prop, c: str = col) -> str:
                return f"expected {expected(p)}, got {_shown(v[pos], c in private)}"

            self.flag(_spread(bad, self.n), col, wrong)
            column = pd.Series([None] * self.n, dtype=object)
            column[present.index] = typed.to_numpy(dtype=object)
            if prop.type == "enum_list":
                column = column.map(lambda v: v if isinstance(v, list) else [])
            out[col] = column.astype(_DTYPES.get(prop.type, object))
        return out


def _renamed(kind: model.NodeKind | model.RelKind, columns: Collection[str]) -> dict[str, str]:
    """Former column names among ``columns`` (``Property.aliases``) → the current ones, unless both are given.

    >>> _renamed(model.INSTITUTION, ["id", "name", "kind"])
    {'kind': 'category'}
    """
    renamed = {}
    for prop in kind.properties:
        alias = next((a for a in prop.aliases if a in columns), None)
        if alias is not None and prop.name not in columns:
            renamed[alias] = prop.name
    return renamed


def _near(name: str, columns: Collection[str]) -> str | None:
    """The column among ``columns`` that differs from ``name`` only by case, spaces, ``_`` or ``-``."""
    folded = _fold(name)
    return next((c for c in columns if c != name and _fold(c) == folded), None)


def _spread(mask: pd.Series, n: int) -> np.ndarray:
    full = np.zeros(n, dtype=bool)
    full[mask.index.to_numpy()[mask.to_numpy()]] = True
    return full


def _hashes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the ids in ``values`` and the mask of those present (not missing)."""
    present = values.notna().to_numpy(dtype=bool)
    hashes = np.zeros(len(values), dtype=np.uint64)
    if present.any():
        hashes[present] = pd.util.hash_array(values[present].to_numpy(dtype=object))
    return hashes, present


def _hash_all(ids: Iterable[str], size: int = 1 << 16) -> np.ndarray:
    """The 64-bit hashes of ``ids`` (a set or any iterable), hashed a slice at a time: no copy of all ids as a list."""
    parts, it = [], iter(ids)
    while piece := list(itertools.islice(it, size)):
        parts.append(_hashes(pd.Series(piece, dtype=object))[0])
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)


class _Lines:
    """The line and last line of each row of one file, chunk by chunk, for the messages that name them.

    A chunk of one-line records numbered in a row (every chunk of a plain CSV file) is kept
    as its first line alone, so a file of millions of rows costs a few bytes per chunk.
    """

    def __init__(self) -> None:
        self.parts: list[int | tuple[np.ndarray, np.ndarray]] = []
        self.starts = [0]

    @property
    def rows(self) -> int:
        return self.starts[-1]

    def add(self, lines: np.ndarray, ends: np.ndarray) -> None:
        n = len(lines)
        consecutive = n > 0 and bool((np.diff(lines) == 1).all()) and np.array_equal(lines, ends)
        self.parts.append(int(lines[0]) if consecutive else (lines, ends))
        self.starts.append(self.starts[-1] + n)

    def at(self, row: int) -> tuple[int, int]:
        """The (line, last line) of the file's ``row``-th row (0-based, over all chunks)."""
        chunk = bisect.bisect_right(self.starts, row) - 1
        part, offset = self.parts[chunk], row - self.starts[chunk]
        if isinstance(part, int):
            return part + offset, part + offset
        return int(part[0][offset]), int(part[1][offset])


class _Ids:
    """The ids of one node kind as sorted unique 64-bit hashes: 8 bytes an id, looked up with ``searchsorted``.

    Two ids share a hash with probability about n²/2^65 (1e-8 for a million ids); a
    relationship end that matched a foreign id by such a collision would still be refused
    by the store, which checks every end it writes.
    """

    def __init__(self, hashes: np.ndarray) -> None:
        self.hashes = np.unique(hashes)

    def positions(self, values: pd.Series) -> np.ndarray:
        """Each value's position in :attr:`hashes`, or -1 (missing, or not an id of this kind)."""
        hashes, present = _hashes(values)
        at = np.searchsorted(self.hashes, hashes).clip(max=max(len(self.hashes) - 1, 0))
        found = present & (len(self.hashes) > 0)
        if len(self.hashes):
            found &= self.hashes[at] == hashes
        return np.where(found, at, -1)

    def contains(self, values: pd.Series) -> np.ndarray:
        return self.positions(values) >= 0


class _File:
    """Pass 1 over one kind's file: its problems and warnings, what later checks need, and (kept) its frames.

    Rows are read and checked a chunk at a time (:func:`loaders.chunks.iter_table`); across
    chunks it keeps per row only whether it is good and a 64-bit key (the id's hash for
    nodes, the pair of end positions for relationships), from which duplicates are found
    when the file is done, and the rows' lines per chunk (:class:`_Lines`).
    """

    def __init__(self, kind: model.NodeKind | model.RelKind, path: Path, keep: bool,
                 on_chunk: OnChunk | None = None) -> None:
        self.kind, self.path, self.keep, self.on_chunk = kind, path, keep, on_chunk
        self.node = isinstance(kind, model.NodeKind)
        self.name = kind.label if isinstance(kind, model.NodeKind) else kind.type
        self.fatal: list[Problem] = []
        self.rows: list[Problem] = []  # read and value problems, and duplicate node ids
        self.late: list[Problem] = []  # relationship ends and duplicates: reported only when nothing is fatal
        self.warnings: list[str] = []
        self.unknown: list[str] = []
        self.stripped: dict[str, int] = {}
        self.header: dict[str, str] = {}
        self.table_name = path.name
        self.chunks = 0
        self.lines = _Lines()
        self.ok: list[np.ndarray] = []
        self.keys: list[np.ndarray] = []  # uint64 per row; for nodes with `present`, for relationships _UNCODED where none
        self.present: list[np.ndarray] = []
        self.kept: list[tuple[pd.DataFrame, np.ndarray]] = []
        self.good = 0
        stat = path.stat()
        self.stamp = (stat.st_size, stat.st_mtime_ns)
        self.rejected_lines = np.zeros(0, dtype=np.int64)
        self.index: _Ids | None = None
        self.rejected: np.ndarray = np.zeros(0, dtype=np.uint64)

    def check(self, table: RawTable, pseudonymise: Pseudonymise, ends: _Ends | None) -> tuple[_Checker, pd.DataFrame]:
        """Read one chunk into its typed frame, collecting its problems (and, with ``ends``, checking ends)."""
        checker = _Checker(table)
        frame = _typed(checker, self.kind, pseudonymise)
        if self.chunks == 0:  # the file's own problems and warnings are the same in every chunk: said once
            self.fatal = list(checker.fatal)
            self.warnings = list(checker.warnings)
            self.unknown = list(checker.unknown)
            self.header = dict(checker.header)
            self.table_name = table.name
        elif table.unreadable:  # a fault found later in the file (a Parquet batch that does not decode)
            self.fatal.extend(checker.fatal)
        for col, count in checker.stripped.items():
            self.stripped[col] = self.stripped.get(col, 0) + count
        self.chunks += 1
        self.rows.extend(checker.rows)
        if ends is not None and not checker.fatal and isinstance(self.kind, model.RelKind):
            before = len(checker.rows)
            _check_ends(checker, frame, self.kind, ends)
            self.late.extend(checker.rows[before:])
        return checker, frame

    def add(self, table: RawTable, pseudonymise: Pseudonymise, ends: _Ends | None) -> None:
        """Pass 1 for one chunk: check it and keep what the later checks need."""
        checker, frame = self.check(table, pseudonymise, ends)
        if checker.fatal:
            return
        assert table.ends is not None
        self.lines.add(table.lines, table.ends)
        self.ok.append(~checker.bad)
        if self.node:
            hashes, present = _hashes(frame[model.ID])
            self.keys.append(hashes)
            self.present.append(present)
        elif ends is not None:
            assert isinstance(self.kind, model.RelKind)
            source = ends.index[self.kind.source].positions(frame[model.SOURCE_ID])
            target = ends.index[self.kind.target].positions(frame[model.TARGET_ID])
            width = np.uint64(max(len(ends.index[self.kind.target].hashes), 1))
            coded = (source >= 0) & (target >= 0)
            keys = np.full(len(frame), _UNCODED, dtype=np.uint64)
            keys[coded] = source[coded].astype(np.uint64) * width + target[coded].astype(np.uint64)
            self.keys.append(keys)
            self.present.append(coded)
        if self.keep:
            self.kept.append((frame, checker.bad))
        if self.on_chunk is not None:
            good = frame[~checker.bad].reset_index(drop=True) if checker.bad.any() else frame
            if len(good):
                self.on_chunk(self.name, good)

    def finish(self, existing: Collection[str] | None = None) -> None:
        """Find duplicates over all chunks, then the id index and rejected ids (nodes), and the counts."""
        self.warnings += [f"{self.table_name}: stripped surrounding whitespace from {n} cell{'s' if n > 1 else ''} "
                          f"in column {col}" for col in self.kind.columns if (n := self.stripped.get(col, 0))]
        if self.fatal or not self.ok:
            self.lines = _Lines()
            return
        sizes = [len(a) for a in self.ok]
        ok = np.concatenate(self.ok)
        self.ok = []
        if self.keys:
            keys, present = np.concatenate(self.keys), np.concatenate(self.present)
            self.keys, self.present = [], []
            what = f"{self.kind.label} id" if isinstance(self.kind, model.NodeKind) else f"{self.kind.type} relationship"
            column = model.ID if self.node else model.SOURCE_ID
            dup, first_row = _repeats(keys, present, ok)
            target = self.rows if self.node else self.late
            for pos in np.flatnonzero(dup):
                line, end = self.lines.at(int(pos))
                text = f"duplicate {what}; first on line {self.lines.at(int(first_row[pos]))[0]}"
                if end != line:
                    text += f" (the record spans lines {line}-{end})"
                target.append(Problem(self.table_name, line, self.header.get(column, column), text))
            ok &= ~dup
            if self.keep and dup.any():
                for (_, bad), part in zip(self.kept, np.split(dup, np.cumsum(sizes)[:-1])):
                    bad |= part
            del dup, first_row
            if self.node:
                known = keys[present]
                if existing:
                    known = np.concatenate([known, _hash_all(existing)])
                self.index = _Ids(known)
                self.rejected = np.setdiff1d(keys[present & ~ok], keys[present & ok])
        self.good = int(ok.sum())
        self.lines = _Lines()

    def problems(self) -> list[Problem]:
        """Every row problem of the file in line order (a line's in the order they were found)."""
        return sorted(self.rows + self.late, key=lambda p: p.line or 0)

    def frame(self) -> pd.DataFrame:
        """The good rows of a kept file, in file order."""
        parts = [part[~bad] for part, bad in self.kept]
        self.kept = []
        if not parts:
            return _empty(self.kind)
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)


_UNCODED = np.uint64(2**64 - 1)


def _repeats(keys: np.ndarray, present: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Good rows whose key an earlier row (good or not) has, and for each the position of its key's first good row.

    As ``frame.duplicated(keys, keep="first") & ok`` of the whole file, with the first line
    taken among the good rows.
    """
    dup = np.zeros(len(keys), dtype=bool)
    first = np.zeros(0, dtype=np.int64)
    present_keys = keys[present]  # a copy, sorted in place
    present_keys.sort()
    if not (present_keys[1:] == present_keys[:-1]).any():  # the usual case, found with one sorted copy
        return dup, first
    del present_keys
    rows = np.flatnonzero(present)
    order = rows[np.argsort(keys[rows], kind="stable")]
    first = np.zeros(len(keys), dtype=np.int64)
    sorted_keys = keys[order]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    group = np.cumsum(starts) - 1
    repeated = ~starts & ok[order]
    if repeated.any():
        good = np.flatnonzero(ok[order])
        groups, at = np.unique(group[good], return_index=True)
        first_good = np.full(int(group[-1]) + 1, -1, dtype=np.int64)
        first_good[groups] = order[good[at]]
        dup[order[repeated]] = True
        first[order[repeated]] = first_good[group[repeated]]
    return dup, first


@dataclass
class _Ends:
    """What relationship ends are checked against: each node kind's ids, and (when skipping) its rejected ids."""

    index: dict[str, _Ids]
    rejected: dict[str, np.ndarray]
    skip: bool


def _typed(checker: _Checker, kind: model.NodeKind | model.RelKind, pseudonymise: Pseudonymise) -> pd.DataFrame:
    """One chunk's typed frame, viewer ids pseudonymised."""
    if isinstance(kind, model.NodeKind):
        private = {model.ID} if kind.pseudonymised else set()
        frame = checker.typed(kind, (model.ID,), private)
        if kind.pseudonymised and not checker.fatal:
            frame[model.ID] = _pseudonymise(frame[model.ID], pseudonymise)
        return frame
    ends = ((model.SOURCE_ID, kind.source), (model.TARGET_ID, kind.target))
    viewer_ends = {c for c, end in ends if end == model.VIEWER.label}
    # Where one end is a viewer, neither end's values are shown: a file with its
    # columns swapped would otherwise echo raw viewer ids from the other column.
    frame = checker.typed(kind, (model.SOURCE_ID, model.TARGET_ID), set(dict(ends)) if viewer_ends else set())
    for col in viewer_ends:
        if not checker.fatal:
            frame[col] = _pseudonymise(frame[col], pseudonymise)
    return frame


@dataclass
class _Pass:
    """What pass 1 over a folder found."""

    files: list[_File]
    warnings: list[str]
    rejects: pd.DataFrame


def _validate(folder: Path, pseudonymise: Pseudonymise, on_error: str, encoding: str | None,
              existing: Mapping[str, Collection[str]] | None, *, keep: bool, chunk_bytes: int,
              progress: Callable[[str], None] | None, on_chunk: OnChunk | None = None) -> _Pass:
    """Pass 1: read and check every file a chunk at a time; raise as :func:`read_dataset` does."""
    if on_error not in ("fail", "skip"):
        raise ArgumentError(f"on_error must be 'fail' or 'skip', not {on_error!r}")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ArgumentError(f"unknown encoding {encoding!r}; try utf-8 or gb18030") from None
    kinds: list[model.NodeKind | model.RelKind] = [*model.NODE_KINDS, *model.REL_KINDS]
    paths, problems, unknown_files = find_files(folder, [k.file for k in kinds])
    if problems:
        raise LoaderError(problems)
    warnings = [f"ignored files the model does not know: {', '.join(unknown_files)}"] if unknown_files else []
    files: list[_File] = []
    ends: _Ends | None = None
    total = sum(paths[k.file].stat().st_size for k in kinds if k.file in paths)
    meter = Meter(progress, total, unit="MB") if progress is not None else None
    done = 0
    for kind in kinds:
        if kind.file not in paths:
            continue
        if isinstance(kind, model.RelKind) and ends is None:
            # Ends may point at any node row present (a bad row's own problem is reported already);
            # when skipping, a relationship whose end row was rejected is rejected too.  Not
            # checked at all when a file-level problem was found (the error lists only those).
            nodes = {f.name: f for f in files}
            none = _Ids(np.zeros(0, dtype=np.uint64))
            index = {k.label: nodes[k.label].index or none if k.label in nodes else
                     _Ids(_hash_all((existing or {}).get(k.label, ())))
                     for k in model.NODE_KINDS}
            rejected = {k.label: nodes[k.label].rejected if k.label in nodes else np.zeros(0, dtype=np.uint64)
                        for k in model.NODE_KINDS}
            ends = _Ends(index, rejected, on_error == "skip")
        fatal_before = any(f.fatal for f in files)
        state = _File(kind, paths[kind.file], keep, None if fatal_before else on_chunk)
        for table in iter_table(paths[kind.file], encoding, chunk_bytes):
            state.add(table, pseudonymise, None if fatal_before or state.fatal else ends)
            if meter is not None:
                meter.update(f"validating {state.table_name} ({state.lines.rows:,} rows)",
                             done + (table.read_bytes or 0))
        done += state.stamp[0]
        state.finish((existing or {}).get(kind.label) if isinstance(kind, model.NodeKind) else None)
        warnings.extend(state.warnings)
        if state.unknown:
            warnings.append(f"{state.table_name}: ignored columns the model does not know: {', '.join(state.unknown)}")
        files.append(state)
    if meter is not None and total:
        meter.update("validated", total)

    fatal = [p for f in files for p in f.fatal]
    if fatal:
        raise LoaderError(fatal + [p for f in files for p in sorted(f.rows, key=lambda p: p.line or 0)])
    all_rows = [p for f in files for p in f.problems()]
    if all_rows and on_error == "fail":
        raise LoaderError(all_rows)
    for f in files:
        f.rejected_lines = np.unique(np.asarray([p.line for p in f.rows + f.late if p.line is not None],
                                                dtype=np.int64))
    return _Pass(files, warnings, _rejects(all_rows))


def read_dataset(
    folder: str | Path,
    *,
    pseudonymise: Pseudonymise,
    on_error: str = "fail",
    encoding: str | None = None,
    existing: Mapping[str, Collection[str]] | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    progress: Callable[[str], None] | None = None,
) -> Dataset:
    r"""Read and validate every file of a dataset folder.

    Parameters
    ----------
    folder : str or Path
        Folder with files named ``<kind file>.csv|.jsonl|.parquet`` (see docs/data-model.md).
    pseudonymise : callable
        Maps a Series of raw viewer ids to pseudonyms (:class:`graphkit.Pseudonymiser`).
    on_error : {"fail", "skip"}
        ``"fail"`` raises on any problem; ``"skip"`` returns the good rows and the rejects.
    encoding : str, optional
        Force the text encoding of CSV and JSON Lines files (default: detect per file).
    existing : mapping of label to ids, optional
        Node ids already in the target store, valid as relationship ends.
    chunk_bytes : int
        How much of a CSV file is read and checked at a time (see :func:`loaders.chunks.iter_table`).
    progress : callable, optional
        Called with a line now and then: the share of the bytes validated, the rate, the time left.

    Returns
    -------
    Dataset

    Raises
    ------
    LoaderError
        Listing every problem, when any is found and ``on_error="fail"``, or a file-level
        problem in either mode.

    See Also
    --------
    stream_dataset : the same checks, without holding the rows (for loading into Neo4j).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "topics.csv").write_text("id,name\nt1,Physics\n")
    >>> read_dataset(d, pseudonymise=lambda s: s).counts()["Topic"]
    1

    A file may still use a column's former name (``Property.aliases``):

    >>> _ = (d / "institutions.csv").write_text("id,name,kind\ni1,IOP,research_institute\n")
    >>> data = read_dataset(d, pseudonymise=lambda s: s)
    >>> data.warnings, data.nodes["Institution"]["category"].tolist()
    (['institutions.csv: column kind was renamed category; read it as category'], ['research_institute'])
    """
    folder = Path(folder)
    found = _validate(folder, pseudonymise, on_error, encoding, existing, keep=True, chunk_bytes=chunk_bytes,
                      progress=progress)
    frames = {f.name: f.frame() for f in found.files}
    nodes = {k.label: frames.get(k.label, _empty(k)) for k in model.NODE_KINDS}
    rels = {k.type: frames.get(k.type, _empty(k)) for k in model.REL_KINDS}
    return Dataset(nodes, rels, found.rejects, found.warnings, str(folder), getattr(pseudonymise, "fingerprint", None),
                   _generated(folder))


@dataclass
class StreamedDataset:
    """A validated dataset whose rows stay in their files until they are written.

    What :func:`stream_dataset` returns: the counts, rejects and warnings of the whole
    dataset (its first pass), and :meth:`frames`, which reads the files again and hands out
    the good rows a chunk at a time (its second pass).  ``Store.load(data)`` takes it as it
    takes a :class:`Dataset`.

    Parameters
    ----------
    rows : dict of str to int
        Good rows per node label and relationship type (every kind of the model).
    rejects, warnings, source, key_fingerprint, generated
        As in :class:`Dataset`.
    _files, _pseudonymise, _encoding, _chunk_bytes
        What the second pass reads again with; :func:`stream_dataset` sets them (not for callers).
    """

    rows: dict[str, int]
    rejects: pd.DataFrame
    warnings: list[str]
    source: str
    key_fingerprint: str | None
    generated: dict[str, object] | None = None
    _files: list[_File] = field(default_factory=list, repr=False)
    _pseudonymise: Pseudonymise | None = field(default=None, repr=False)
    _encoding: str | None = field(default=None, repr=False)
    _chunk_bytes: int = field(default=CHUNK_BYTES, repr=False)

    def counts(self) -> dict[str, int]:
        """Good rows per node label and relationship type."""
        return dict(self.rows)

    def __repr__(self) -> str:
        counts = {k: n for k, n in self.rows.items() if n}
        return (f"StreamedDataset read from {self.source!r}: {sum(counts.values()):,} rows to write "
                f"({', '.join(f'{k} {n:,}' for k, n in counts.items()) or 'none'}); rejects: {len(self.rejects):,}")

    def frames(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """The good rows, kind by kind in the model's order (nodes first), a chunk at a time.

        Each file is read, converted and pseudonymised again exactly as in the first pass,
        less the rows rejected there.

        Raises
        ------
        LoaderError
            A file changed (size or modification time) since it was validated.
        """
        assert self._pseudonymise is not None
        for state in self._files:
            stat = state.path.stat()
            if (stat.st_size, stat.st_mtime_ns) != state.stamp:
                raise LoaderError([Problem(state.path.name, None, None,
                                           "changed after it was validated; read the dataset again")])
            for table in iter_table(state.path, self._encoding, self._chunk_bytes):
                checker = _Checker(table)
                frame = _typed(checker, state.kind, self._pseudonymise)
                drop = np.isin(table.lines, state.rejected_lines) if len(state.rejected_lines) else None
                if drop is not None and drop.any():
                    frame = frame[~drop].reset_index(drop=True)
                if len(frame):
                    yield state.name, frame


def stream_dataset(
    folder: str | Path,
    *,
    pseudonymise: Pseudonymise,
    on_error: str = "fail",
    encoding: str | None = None,
    existing: Mapping[str, Collection[str]] | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    progress: Callable[[str], None] | None = None,
    on_chunk: OnChunk | None = None,
) -> StreamedDataset:
    r"""Validate a dataset folder as :func:`read_dataset` does, keeping only what the checks need.

    The first pass reads every file a chunk at a time and keeps, besides the problems, the
    ids of each node kind as 64-bit hashes (8 bytes an id) and, for the file being read, a
    line, a flag and a key per row; the rows themselves are read again, chunk by chunk, when
    :meth:`StreamedDataset.frames` is iterated (by ``Store.load``).  Same parameters, checks,
    messages and rejects as :func:`read_dataset`.

    Parameters
    ----------
    folder, pseudonymise, on_error, encoding, existing
        As in :func:`read_dataset`.
    chunk_bytes : int
        How much of a file one chunk holds (default :data:`loaders.chunks.CHUNK_BYTES`).
    progress : callable, optional
        Called with a line (done, rate, time left) at most every few seconds of a long pass.
    on_chunk : callable, optional
        Called during the first pass with a kind's name and each chunk's rows that passed
        that chunk's own checks, converted and pseudonymised as :meth:`StreamedDataset.frames`
        yields them, so that a writer needs no second pass (the bulk import's files).  Rows
        found bad only later (a duplicate of a row in an earlier chunk) are among them, so
        they are what the second pass yields only when the dataset has no rejects at all:
        ``rejects`` is empty and the rows given per kind sum to :meth:`counts`.  Not called
        for a file after one with a file-level problem (the pass then raises).

    Returns
    -------
    StreamedDataset

    Raises
    ------
    LoaderError
        As :func:`read_dataset`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "topics.csv").write_text("id,name\nt1,Physics\nt2,Maths\n")
    >>> data = stream_dataset(d, pseudonymise=lambda s: s)
    >>> data.counts()["Topic"], [(name, len(frame)) for name, frame in data.frames()]
    (2, [('Topic', 2)])
    """
    folder = Path(folder)
    found = _validate(folder, pseudonymise, on_error, encoding, existing, keep=False, chunk_bytes=chunk_bytes,
                      progress=progress, on_chunk=on_chunk)
    good = {f.name: f.good for f in found.files}
    rows = {name: good.get(name, 0) for name in [*(k.label for k in model.NODE_KINDS), *(r.type for r in model.REL_KINDS)]}
    return StreamedDataset(rows, found.rejects, found.warnings, str(folder), getattr(pseudonymise, "fingerprint", None),
                           _generated(folder), found.files, pseudonymise, encoding, chunk_bytes)


def _generated(folder: str | Path) -> dict[str, object] | None:
    """The generator's record in ``folder``, if ``graphkit generate`` wrote it (see :mod:`loaders.generator`)."""
    from loaders.generator import generated_record  # the generator imports this module's neighbours

    return generated_record(folder)


def _pseudonymise(ids: pd.Series, pseudonymise: Pseudonymise) -> pd.Series:
    present = ids.notna()
    out = ids.copy()
    out[present] = pseudonymise(ids[present].astype(str)).to_numpy()
    return out


def _check_ends(checker: _Checker, frame: pd.DataFrame, kind: model.RelKind, ends: _Ends) -> None:
    has_viewer_end = model.VIEWER.label in (kind.source, kind.target)
    for col, label in ((model.SOURCE_ID, kind.source), (model.TARGET_ID, kind.target)):
        values = frame[col]
        usable = values.notna() & ~pd.Series(checker.bad)
        private = has_viewer_end

        def message(pos: int, label: str = label, private: bool = private, values: pd.Series = values) -> str:
            value = values[pos]
            if not private:
                one = pd.Series([value], dtype=object)
                for other, ids in ends.index.items():
                    if other != label and ids.contains(one)[0]:
                        return f"{_shown(value, False)} is {_article(other)} {other} id, expected {_article(label)} {label}"
                return f"no {label} with id {_shown(value, False)}"
            return f"no {label} with this id (ids in files with viewers are never shown)"

        checker.flag(usable & ~ends.index[label].contains(values), col, message)
        if ends.skip and len(ends.rejected[label]):
            hashes, present = _hashes(values)
            checker.flag(usable & present & np.isin(hashes, ends.rejected[label]), col, f"its {label} was rejected")
    if kind.source == kind.target:
        loops = (frame[model.SOURCE_ID] == frame[model.TARGET_ID]) & ~pd.Series(checker.bad)
        checker.flag(loops, model.TARGET_ID, "a relationship from a node to itself")


def _rejects(problems: list[Problem]) -> pd.DataFrame:
    if not problems:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    table = pd.DataFrame([(p.file, p.line, p.column or "", p.message) for p in problems], columns=REJECT_COLUMNS)
    # One row per rejected line, reasons joined, in file then line order.
    grouped = table.groupby(["file", "line"], sort=False).agg({"column": lambda c: ";".join(dict.fromkeys(c)),
                                                               "reason": lambda r: "; ".join(r)})
    return grouped.reset_index().sort_values(["file", "line"], kind="stable").reset_index(drop=True)
