"""Find a dataset's files and read each into a table of raw values with line numbers.

Nothing here knows about types; :mod:`loaders.convert` and :mod:`loaders.dataset` convert and check.  The
encoding of text files is chosen per file: a UTF-8 byte-order mark means UTF-8; else
the bytes are tried as strict UTF-8, then as GB18030; ``encoding=`` forces one.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.errors import Problem

__all__ = ["FORMATS", "RawTable", "find_files", "read_table", "decode"]

#: File extensions the loader reads, by format name.
FORMATS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class RawTable:
    """One file's rows before validation.

    ``frame`` holds the values as read (strings for CSV; JSON or Parquet values
    otherwise), ``lines`` the line (or row) each row came from, aligned with ``frame``.
    """

    name: str
    format: str
    frame: pd.DataFrame
    lines: np.ndarray
    encoding: str | None = None
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # the file itself could not be read: no row can be trusted


def find_files(folder: Path, stems: list[str]) -> tuple[dict[str, Path], list[Problem], list[str]]:
    """Map each known file stem to its file in ``folder``.

    Returns the mapping, problems (a stem present in two formats, a missing folder) and
    the names of files the model does not know (reported as warnings).
    """
    if not folder.is_dir():
        return {}, [Problem(str(folder), None, None, "not a folder (expected a dataset folder)")], []
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    ext_to_stem = {ext: stem for stem in stems for ext in FORMATS.values()}
    unknown = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        stem, ext = path.stem, path.suffix.lower()
        if ext not in ext_to_stem or stem not in stems:
            unknown.append(path.name)
            continue
        if stem in found:
            problems.append(
                Problem(path.name, None, None, f"{found[stem].name} is the same kind in another format; keep one")
            )
            continue
        found[stem] = path
    if not found and not problems:
        expected = ", ".join(f"{s}.csv" for s in stems)
        problems.append(Problem(str(folder), None, None, f"no dataset files found (expected some of: {expected})"))
    return found, problems, unknown


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str | None, str | None, Problem | None]:
    """Decode file bytes; returns ``(text, encoding used, problem)``.

    >>> decode("名称".encode("gb18030"), "t.csv")[1]
    'gb18030'
    >>> decode(codecs.BOM_UTF8 + b"id", "t.csv")[:2]
    ('id', 'utf-8-sig')
    """
    if encoding:
        try:
            return data.decode(encoding), encoding, None
        except (UnicodeDecodeError, LookupError) as exc:
            return None, None, Problem(name, None, None, f"cannot decode as {encoding}: {exc}")
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith(_UTF16_BOMS):
        return None, None, Problem(name, None, None, "UTF-16 is not supported; save the file as UTF-8 or GB18030")
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            return data.decode(enc), enc, None
        except UnicodeDecodeError as exc:
            error = exc
    line = data[: error.start].count(b"\n") + 1
    msg = f"not valid {' or '.join(c.upper() for c in candidates)} (byte {error.start}); pass the encoding explicitly"
    return None, None, Problem(name, line, None, msg)


def read_table(path: Path, encoding: str | None = None) -> RawTable:
    """Read one CSV, JSON Lines or Parquet file into a :class:`RawTable`."""
    fmt = next(f for f, ext in FORMATS.items() if path.suffix.lower() == ext)
    if fmt == "parquet":
        return _read_parquet(path)
    text, used, problem = decode(path.read_bytes(), path.name, encoding)
    if problem is not None:
        return RawTable(path.name, fmt, pd.DataFrame(), np.zeros(0, dtype=np.int64), problems=[problem], unreadable=True)
    assert text is not None
    table = _read_csv(path.name, text) if fmt == "csv" else _read_jsonl(path.name, text)
    table.encoding = used
    return table


_TEXT = "string[pyarrow]"  # CSV cells stay text until validation; Arrow makes the checks vectorised


def _read_simple_csv(name: str, text: str) -> RawTable | None:
    """pandas' C parser for the common case, or None to take the careful path.

    The common case has no quotes, no carriage returns and no blank lines, so data row i
    sits on line i + 2, and exactly (width - 1) commas per line (a long row makes pandas
    raise; the total then rules out short ones).
    """
    if '"' in text or "\r" in text:
        return None
    body = text[:-1] if text.endswith("\n") else text
    if not body or "\n\n" in body or body.startswith("\n"):
        return None
    header = body.split("\n", 1)[0].split(",")
    rows = body.count("\n")
    if len(set(h.strip() for h in header)) != len(header) or body.count(",") != (rows + 1) * (len(header) - 1):
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, engine="c")
    except (ValueError, pd.errors.ParserError):
        return None
    if len(frame) != rows:
        return None
    frame.columns = [h.strip() for h in header]
    lines = np.arange(2, rows + 2, dtype=np.int64)
    return RawTable(name, "csv", frame.astype(_TEXT), lines)


def _read_csv(name: str, text: str) -> RawTable:
    fast = _read_simple_csv(name, text)
    if fast is not None:
        return fast
    # The csv module (not pandas) so that each row keeps the physical line it starts on,
    # quoted newlines included, and a short or long row becomes a problem, not an abort.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader)
    except StopIteration:
        return RawTable(name, "csv", pd.DataFrame(), np.zeros(0, dtype=np.int64))
    except csv.Error as exc:
        return RawTable(name, "csv", pd.DataFrame(), np.zeros(0, dtype=np.int64),
                        problems=[Problem(name, 1, None, f"malformed header: {exc}")], unreadable=True)
    header = [h.strip() for h in header]
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(name, start, None, f"malformed CSV: {exc}"))
            start = reader.line_num + 1
            continue
        if not row:  # a blank line
            start = reader.line_num + 1
            continue
        if len(row) != width:
            problems.append(Problem(name, start, None, f"expected {width} fields as in the header, found {len(row)}"))
        else:
            rows.append(row)
            lines.append(start)
        start = reader.line_num + 1
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append(Problem(name, 1, ", ".join(dupes), "column named twice in the header"))
        return RawTable(name, "csv", pd.DataFrame(), np.zeros(0, dtype=np.int64), problems=problems, unreadable=True)
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    return RawTable(name, "csv", frame.astype(_TEXT), np.asarray(lines, dtype=np.int64), problems=problems)


def _read_jsonl(name: str, text: str) -> RawTable:
    records: list[dict] = []
    lines: list[int] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, number, None, f"malformed JSON: {exc.msg} at character {exc.colno}"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(name, number, None, f"expected a JSON object, found {type(record).__name__}"))
            continue
        records.append(record)
        lines.append(number)
    # Column by column as object arrays, so JSON integers stay integers next to nulls.
    columns = list(dict.fromkeys(key for record in records for key in record))
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in records], dtype=object) for c in columns})
    return RawTable(name, "jsonl", frame, np.asarray(lines, dtype=np.int64), problems=problems)


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(path).to_pandas()
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        return RawTable(path.name, "parquet", pd.DataFrame(), np.zeros(0, dtype=np.int64),
                        problems=[Problem(path.name, None, None, f"unreadable Parquet: {exc}")], unreadable=True)
    lines = np.arange(1, len(frame) + 1, dtype=np.int64)
    return RawTable(path.name, "parquet", frame.astype(object), lines)
