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

import codecs
import html
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.errors import ArgumentError, LoaderError, Problem
from loaders.convert import arrow_type_problem, clean_text, convert, expected, missing_mask, text_fault
from loaders.files import RawTable, _fold, find_files, read_table

__all__ = ["Dataset", "read_dataset", "REJECT_COLUMNS"]

#: Columns of the rejects table (and file).
REJECT_COLUMNS = ["file", "line", "column", "reason"]
Pseudonymise = Callable[[pd.Series], pd.Series]
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
    """

    nodes: dict[str, pd.DataFrame]
    relationships: dict[str, pd.DataFrame]
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    key_fingerprint: str | None = None

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
            if stripped:
                self.warnings.append(f"{name}: stripped surrounding whitespace from {stripped} "
                                     f"cell{'s' if stripped > 1 else ''} in column {col}")
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


def _duplicates(checker: _Checker, frame: pd.DataFrame, keys: list[str], what: str) -> None:
    ok = ~checker.bad
    dup = frame.duplicated(keys, keep="first") & ok
    if dup.any():
        first = frame[ok].drop_duplicates(keys, keep="first")
        first_line = dict(zip(map(tuple, first[keys].to_numpy()), checker.table.lines[first.index]))
        checker.flag(dup, keys[0], lambda pos: f"duplicate {what}; first on line {first_line[tuple(frame.loc[pos, keys])]}")


def read_dataset(
    folder: str | Path,
    *,
    pseudonymise: Pseudonymise,
    on_error: str = "fail",
    encoding: str | None = None,
    existing: Mapping[str, Collection[str]] | None = None,
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

    Returns
    -------
    Dataset

    Raises
    ------
    LoaderError
        Listing every problem, when any is found and ``on_error="fail"``, or a file-level
        problem in either mode.

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
    if on_error not in ("fail", "skip"):
        raise ArgumentError(f"on_error must be 'fail' or 'skip', not {on_error!r}")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ArgumentError(f"unknown encoding {encoding!r}; try utf-8 or gb18030") from None
    folder = Path(folder)
    kinds: list[model.NodeKind | model.RelKind] = [*model.NODE_KINDS, *model.REL_KINDS]
    paths, problems, unknown_files = find_files(folder, [k.file for k in kinds])
    if problems:
        raise LoaderError(problems)
    warnings = [f"ignored files the model does not know: {', '.join(unknown_files)}"] if unknown_files else []
    checkers: dict[str, _Checker] = {}
    frames: dict[str, pd.DataFrame] = {}
    for kind in kinds:
        name = kind.label if isinstance(kind, model.NodeKind) else kind.type
        if kind.file not in paths:
            frames[name] = _empty(kind)
            continue
        checker = _Checker(read_table(paths[kind.file], encoding))
        if isinstance(kind, model.NodeKind):
            private = {model.ID} if kind.pseudonymised else set()
            frame = checker.typed(kind, (model.ID,), private)
            if kind.pseudonymised and not checker.fatal:
                frame[model.ID] = _pseudonymise(frame[model.ID], pseudonymise)
            if not checker.fatal:
                _duplicates(checker, frame, [model.ID], f"{kind.label} id")
        else:
            ends = ((model.SOURCE_ID, kind.source), (model.TARGET_ID, kind.target))
            viewer_ends = {c for c, end in ends if end == model.VIEWER.label}
            # Where one end is a viewer, neither end's values are shown: a file with its
            # columns swapped would otherwise echo raw viewer ids from the other column.
            frame = checker.typed(kind, (model.SOURCE_ID, model.TARGET_ID), set(dict(ends)) if viewer_ends else set())
            for col in viewer_ends:
                if not checker.fatal:
                    frame[col] = _pseudonymise(frame[col], pseudonymise)
        warnings.extend(checker.warnings)
        if checker.unknown:
            warnings.append(f"{checker.table.name}: ignored columns the model does not know: {', '.join(checker.unknown)}")
        checkers[name], frames[name] = checker, frame

    fatal = [p for c in checkers.values() for p in c.fatal]
    if fatal:
        raise LoaderError(fatal + [p for c in checkers.values() for p in sorted(c.rows, key=lambda p: p.line or 0)])

    # Ends may point at any node row present (a bad row's own problem is reported already);
    # when skipping, a relationship whose end row was rejected is rejected too.
    node_ids = {
        k.label: set(frames[k.label][model.ID].dropna()) | set((existing or {}).get(k.label, ()))
        for k in model.NODE_KINDS
    }
    rejected_ids = {k.label: _rejected(frames[k.label], checkers.get(k.label)) for k in model.NODE_KINDS}
    for kind in model.REL_KINDS:
        if kind.type not in checkers:
            continue
        checker = checkers[kind.type]
        _check_ends(checker, frames[kind.type], kind, node_ids, rejected_ids, skip=on_error == "skip")
        _duplicates(checker, frames[kind.type], [model.SOURCE_ID, model.TARGET_ID], f"{kind.type} relationship")

    all_rows = [p for c in checkers.values() for p in sorted(c.rows, key=lambda p: p.line or 0)]
    if all_rows and on_error == "fail":
        raise LoaderError(all_rows)
    nodes = {k.label: _good(frames[k.label], checkers.get(k.label)) for k in model.NODE_KINDS}
    rels = {k.type: _good(frames[k.type], checkers.get(k.type)) for k in model.REL_KINDS}
    return Dataset(nodes, rels, _rejects(all_rows), warnings, str(folder), getattr(pseudonymise, "fingerprint", None))


def _pseudonymise(ids: pd.Series, pseudonymise: Pseudonymise) -> pd.Series:
    present = ids.notna()
    out = ids.copy()
    out[present] = pseudonymise(ids[present].astype(str)).to_numpy()
    return out


def _good(frame: pd.DataFrame, checker: _Checker | None) -> pd.DataFrame:
    if checker is None:
        return frame
    return frame[~checker.bad].reset_index(drop=True)


def _rejected(frame: pd.DataFrame, checker: _Checker | None) -> set[str]:
    if checker is None:
        return set()
    ids = frame[model.ID]
    return set(ids[checker.bad].dropna()) - set(ids[~checker.bad])


def _check_ends(checker: _Checker, frame: pd.DataFrame, kind: model.RelKind, node_ids: dict[str, set[str]],
                rejected: dict[str, set[str]], *, skip: bool) -> None:
    has_viewer_end = model.VIEWER.label in (kind.source, kind.target)
    for col, label in ((model.SOURCE_ID, kind.source), (model.TARGET_ID, kind.target)):
        values = frame[col]
        usable = values.notna() & ~pd.Series(checker.bad)
        private = has_viewer_end

        def message(pos: int, label: str = label, private: bool = private, values: pd.Series = values) -> str:
            value = values[pos]
            if not private:
                for other, ids in node_ids.items():
                    if other != label and value in ids:
                        return f"{_shown(value, False)} is {_article(other)} {other} id, expected {_article(label)} {label}"
                return f"no {label} with id {_shown(value, False)}"
            return f"no {label} with this id (ids in files with viewers are never shown)"

        checker.flag(usable & ~values.isin(node_ids[label]), col, message)
        if skip and rejected[label]:
            checker.flag(usable & values.isin(rejected[label]), col, f"its {label} was rejected")
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
