r"""Find a dataset's files and read each into a table of raw values with line numbers.

Nothing here checks values; :mod:`loaders.convert` and :mod:`loaders.dataset` convert and
check.  Every physical line after a CSV header, and every line of a JSON Lines file,
ends up in exactly one row or one problem, or the whole file is refused with a
file-level problem (``RawTable.unreadable``).  Physical lines end at ``\n``, ``\r\n`` or
``\r``, as Python's ``csv`` module counts them.

The encoding of text files is chosen per file: a UTF-8 byte-order mark means UTF-8;
else the bytes are tried as strict UTF-8; a file with a non-ASCII line that is valid
UTF-8 is UTF-8, and a line that is not is refused; only a file with no such line is read
as GB18030.  ``encoding=`` forces one.

This module reads a file whole; :mod:`loaders.chunks` reads one a chunk at a time.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.errors import Problem

__all__ = ["FORMATS", "RawTable", "find_files", "read_table", "decode"]

#: File extensions the loader reads, by format name.
FORMATS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_NO_LINES = np.zeros(0, dtype=np.int64)


@dataclass
class RawTable:
    """One file's rows before validation.

    ``frame`` holds the values as read (strings for CSV; JSON or Parquet values
    otherwise), ``lines`` the line (or row) each row starts on and ``ends`` the line it
    ends on (they differ for a CSV record with a quoted line break), aligned with ``frame``.
    ``arrow_types`` maps each Parquet column to its Arrow type; ``empty`` marks a 0-byte file.
    """

    name: str
    format: str
    frame: pd.DataFrame
    lines: np.ndarray
    encoding: str | None = None
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # the file itself could not be read: no row can be trusted
    ends: np.ndarray | None = None
    warnings: list[str] = field(default_factory=list)
    arrow_types: dict = field(default_factory=dict)
    empty: bool = False
    read_bytes: int | None = None  # of a chunk (iter_table): how much of the file is read up to its end

    def __post_init__(self) -> None:
        if self.ends is None:
            self.ends = self.lines


def _refused(name: str, fmt: str, problems: list[Problem]) -> RawTable:
    return RawTable(name, fmt, pd.DataFrame(), _NO_LINES, problems=problems, unreadable=True)


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a kind's file, or None."""
    try:
        mode = path.stat().st_mode  # follows symbolic links
    except OSError as exc:
        if path.is_symlink():
            if exc.errno == errno.ELOOP:
                return "a symbolic link that loops back on itself; point it at the data file"
            return f"a symbolic link to {os.readlink(path)!r}, which does not exist"
        return f"cannot be read: {exc.strerror}"
    if stat.S_ISDIR(mode):
        return "a folder, not a file; a kind's rows must be in one file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device)"
    return None


def _fold(text: str) -> str:
    """``text`` without case, spaces, ``_`` or ``-``: how near-miss names are matched."""
    return re.sub(r"[\s_-]+", "", text.casefold())


def find_files(folder: Path, stems: list[str]) -> tuple[dict[str, Path], list[Problem], list[str]]:
    """Map each known file stem to its file in ``folder``.

    Returns the mapping, problems (a stem present in two formats, a kind's name that is a
    folder, a dangling or looping link, a missing folder) and the names of files the model
    does not know (reported as warnings, with a hint when the name differs from a known
    one only by case or spaces).
    """
    if not folder.is_dir():
        return {}, [Problem(str(folder), None, None, "not a folder (expected a dataset folder)")], []
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    folded = {_fold(stem): stem for stem in stems}
    unknown = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        stem, ext = path.stem, path.suffix.lower()
        if ext not in FORMATS.values() or stem not in stems:
            if path.is_file():
                near = folded.get(_fold(stem)) if ext in FORMATS.values() else None
                unknown.append(f"{path.name} (did you mean {near}{ext}?)" if near else path.name)
            continue
        why = _not_a_file(path)
        if why is not None:
            problems.append(Problem(path.name, None, None, why))
        elif stem in found:
            problems.append(
                Problem(path.name, None, None, f"{found[stem].name} is the same kind in another format; keep one")
            )
        else:
            found[stem] = path
    if not found and not problems:
        expected = ", ".join(f"{s}.csv" for s in stems)
        problems.append(Problem(str(folder), None, None, f"no dataset files found (expected some of: {expected})"))
    return found, problems, unknown


def _where(data: bytes, start: int) -> tuple[int, int, bytes]:
    """Line (1-based), character in that line (1-based) and the line's bytes before ``start``."""
    before = data[:start]
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    line = len(before[:line_start].splitlines()) + 1
    prefix = before[line_start:]
    return line, len(prefix.decode("utf-8", errors="replace")) + 1, prefix


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str | None, str | None, Problem | None, bytes]:
    """As :func:`decode`, plus the bad line's bytes before the fault (to name its column)."""
    if encoding:
        try:
            return data.decode(encoding), encoding, None, b""
        except UnicodeDecodeError as exc:
            line, char, prefix = _where(data, exc.start)
            msg = f"cannot decode as {encoding} at character {char} (byte 0x{data[exc.start]:02X})"
            return None, None, Problem(name, line, None, msg), prefix
        except LookupError as exc:
            return None, None, Problem(name, None, None, f"cannot decode as {encoding}: {exc}"), b""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig", None, b""
        except UnicodeDecodeError as exc:
            start = exc.start + len(codecs.BOM_UTF8)  # the codec counts from after the mark
            line, char, prefix = _where(data, start)
            msg = f"not valid UTF-8 at character {char} (byte 0x{data[start]:02X}) in a file marked UTF-8"
            return None, None, Problem(name, line, None, msg), prefix
    if data.startswith(_UTF16_BOMS):
        return None, None, Problem(name, None, None, "UTF-16 is not supported; save the file as UTF-8 or GB18030"), b""
    try:
        return data.decode("utf-8"), "utf-8", None, b""
    except UnicodeDecodeError:
        pass
    # Mixed or another encoding: a non-ASCII line that is valid UTF-8 makes the file UTF-8.
    utf8_line: int | None = None
    bad: list[tuple[int, int]] = []
    offset = 0
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        if not raw.isascii():
            try:
                raw.decode("utf-8")
                utf8_line = utf8_line or number
            except UnicodeDecodeError as exc:
                bad.append((offset + exc.start, len(bad)))
        offset += len(raw)
    if utf8_line is None:
        try:
            return data.decode("gb18030"), "gb18030", None, b""
        except UnicodeDecodeError as exc:
            line, char, prefix = _where(data, exc.start)
            msg = (f"not valid UTF-8 or GB18030 at character {char} (byte 0x{data[exc.start]:02X}); "
                   "pass the encoding explicitly")
            return None, None, Problem(name, line, None, msg), prefix
    line, char, prefix = _where(data, bad[0][0])
    more = f"; {len(bad) - 1} more line{'s' if len(bad) > 2 else ''} like it" if len(bad) > 1 else ""
    msg = (f"not valid UTF-8 at character {char} (byte 0x{data[bad[0][0]]:02X}), though line {utf8_line} is "
           f"UTF-8: this line is in another encoding{more}; re-save the file as UTF-8 "
           "(or force one encoding with --encoding)")
    return None, None, Problem(name, line, None, msg), prefix


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str | None, str | None, Problem | None]:
    r"""Decode file bytes; returns ``(text, encoding used, problem)``.

    >>> decode("名称".encode("gb18030"), "t.csv")[1]
    'gb18030'
    >>> decode(codecs.BOM_UTF8 + b"id", "t.csv")[:2]
    ('id', 'utf-8-sig')
    >>> print(decode("id\n名\n".encode() + "李\n".encode("gb18030"), "t.csv")[2])  # doctest: +ELLIPSIS
    t.csv, line 3: not valid UTF-8 at character 1 (byte 0xC0), though line 2 is UTF-8: ...
    """
    return _decode(data, name, encoding)[:3]


def read_table(path: Path, encoding: str | None = None) -> RawTable:
    """Read one CSV, JSON Lines or Parquet file into a :class:`RawTable`."""
    fmt = next(f for f, ext in FORMATS.items() if path.suffix.lower() == ext)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _refused(path.name, fmt, [Problem(path.name, None, None, f"cannot be read: {exc.strerror}")])
    if not data:  # 0 bytes (or only blank lines in a text file) means no rows, in every format
        return RawTable(path.name, fmt, pd.DataFrame(), _NO_LINES, empty=True)
    if fmt == "parquet":
        return _read_parquet(path.name, data)
    text, used, problem, prefix = _decode(data, path.name, encoding)
    if problem is not None:
        if fmt == "csv" and problem.line is not None and problem.line > 1:
            problem = _with_column(problem, data, prefix)
        return _refused(path.name, fmt, [problem])
    assert text is not None
    table = _read_csv(path.name, text) if fmt == "csv" else _read_jsonl(path.name, text)
    table.encoding = used
    return table


def _with_column(problem: Problem, data: bytes, prefix: bytes) -> Problem:
    """Name the CSV column an undecodable byte sits in (from the header, if it decodes)."""
    first = data.splitlines()[0] if data else b""
    try:
        header = next(csv.reader([first.decode("utf-8-sig")]))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return problem
    index = _field_at(prefix.decode("utf-8", errors="replace"))
    column = header[index].strip() if index < len(header) else None
    return Problem(problem.file, problem.line, column, problem.message)


def _field_at(text: str) -> int:
    """Index of the CSV field that ``text`` (the start of a line) ends in."""
    index, quoted = 0, False
    for ch in text:
        if ch == '"':
            quoted = not quoted  # a doubled quote toggles twice
        elif ch == "," and not quoted:
            index += 1
    return index


def _fault(record: str) -> tuple[int, str]:
    """Where a malformed CSV record goes wrong: its field index and what is wrong there."""
    index, i, n = 0, 0, len(record)
    while i < n:
        if record[i] == '"':
            j = i + 1
            while True:
                k = record.find('"', j)
                if k < 0:
                    return index, "unclosed"
                if not record.startswith('""', k):
                    break
                j = k + 2
            i = k + 1
            if i < n and record[i] not in ",\r\n":
                return index, "after"
        else:
            k = record.find(",", i)
            if k < 0:
                return index, "other"
            i = k
        if i >= n or record[i] in "\r\n":
            return index, "other"
        index, i = index + 1, i + 1
    return index, "other"


def _stripped(name: str, cells: list[str], what: str) -> tuple[list[str], list[str]]:
    """Cells without surrounding whitespace, and a warning when any had some."""
    out = [c.strip() for c in cells]
    changed = [c for c, o in zip(cells, out) if c != o]
    if not changed:
        return out, []
    shown = ", ".join(ascii(c) for c in changed[:5]) + (", ..." if len(changed) > 5 else "")
    what = what if len(changed) > 1 else what[:-1]
    return out, [f"{name}: stripped surrounding whitespace from {len(changed)} {what}: {shown}"]


_TEXT = "string[pyarrow]"  # CSV cells stay text until validation; Arrow makes the checks vectorised


def _read_simple_csv(name: str, text: str) -> RawTable | None:
    """Arrow's CSV reader for the common case, or None to take the careful path.

    The common case has no quotes, carriage returns, NULs or blank lines and at least two
    columns, so data row i sits on line i + 2; Arrow refuses any row whose field count
    differs from the header's.  Its result is the one the careful path would give.
    """
    if '"' in text or "\r" in text or "\x00" in text:
        return None
    body = text[:-1] if text.endswith("\n") else text
    if not body or "\n\n" in body or body.startswith("\n") or body.endswith("\n"):
        return None
    raw_header = body.split("\n", 1)[0].split(",")
    header, warnings = _stripped(name, raw_header, "header cells")
    if len(header) < 2 or len(set(header)) != len(header) or len(set(raw_header)) != len(raw_header):
        return None
    import pyarrow as pa
    import pyarrow.csv as pacsv

    parse = pacsv.ParseOptions(quote_char=False, escape_char=False, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(column_types={h: pa.string() for h in raw_header}, strings_can_be_null=False)
    try:
        table = pacsv.read_csv(io.BytesIO(text.encode("utf-8")), parse_options=parse, convert_options=convert)
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    rows = body.count("\n")
    if table.num_rows != rows or table.column_names != raw_header:
        return None
    frame = pd.DataFrame({h: pd.Series(pd.arrays.ArrowStringArray(table.column(i)), copy=False)
                          for i, h in enumerate(header)})
    lines = np.arange(2, rows + 2, dtype=np.int64)
    return RawTable(name, "csv", frame, lines, warnings=warnings)


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\r\n")


def _read_csv(name: str, text: str, spans: bool = True, shift: int = 0) -> RawTable:
    """``text`` read as CSV, its line numbers ``shift`` on (a chunk read with the header: its place in the file)."""
    fast = _read_simple_csv(name, text)
    if fast is None:
        return _read_careful_csv(name, text, spans, shift)
    fast.lines = fast.ends = fast.lines + shift
    return fast


def _spans_warning(name: str, count: int, shown: list[tuple[int, int]]) -> list[str]:
    """The warning for ``count`` good records that span several lines (``shown``: the first three)."""
    if not count:
        return []
    spans = ", ".join(f"{a}-{b}" for a, b in shown[:3])
    many = count > 1
    return [f"{name}: {count} record{'s' if many else ''} with a quoted line break "
            f"span{'' if many else 's'} several lines (lines {spans}{', ...' if count > 3 else ''})"]


def _read_careful_csv(name: str, text: str, spans: bool = True, shift: int = 0) -> RawTable:
    # The csv module (not pandas) so that each record keeps the physical lines it spans;
    # a short, long or malformed record becomes a problem at its first line and reading
    # resumes after its last.  A quote that never closes makes the file unreadable.
    physical = io.StringIO(text, newline="").readlines()
    pos = next((i for i, line in enumerate(physical) if not _is_blank(line)), len(physical))
    if pos == len(physical):  # only blank lines: as empty as 0 bytes
        return RawTable(name, "csv", pd.DataFrame(), _NO_LINES, empty=True)
    reader = csv.reader(iter(physical[pos:]), strict=True)
    try:
        raw_header = next(reader)
    except csv.Error as exc:
        return _refused(name, "csv", [Problem(name, pos + 1, None, f"malformed header: {exc}")])
    header, warnings = _stripped(name, raw_header, "header cells")
    width = len(header)
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        return _refused(name, "csv", [Problem(name, pos + 1, ", ".join(dupes), "column named twice in the header")])
    shown_header = ",".join(header) if len(",".join(header)) <= 80 else ",".join(header)[:77] + "..."
    pos += reader.line_num
    rows: list[list[str]] = []
    starts: list[int] = []
    ends: list[int] = []
    problems: list[Problem] = []

    def column(index: int) -> str | None:
        return header[index] if index < width else None

    while pos < len(physical):
        reader = csv.reader(_tail(physical, pos), strict=True)
        base = pos
        try:
            for row in reader:
                end = base + reader.line_num  # exclusive index of the record's last line
                first, last = pos + 1, end
                pos = end
                if last == first and _is_blank(physical[pos - 1]):
                    continue  # a blank line
                first, last = first + shift, last + shift
                if len(row) != width:
                    span = f" in the record on lines {first}-{last}" if last > first else ""
                    problems.append(Problem(name, first, None, f"expected {width} fields as in the header "
                                                               f"({shown_header}), found {len(row)}{span}"))
                else:
                    rows.append(row)
                    starts.append(first)
                    ends.append(last)
            break
        except csv.Error as exc:
            end = base + reader.line_num
            first, last = pos + 1 + shift, end + shift
            index, what = _fault("".join(physical[pos:end]))
            if what == "unclosed" or "end of data" in str(exc):
                msg = ("a quote opens this field and never closes, so every later line would be read into it; "
                       "close the quote, or double a quote that is part of the value")
                return _refused(name, "csv", [Problem(name, first, column(index), msg)])
            span = f"; the record runs over lines {first}-{last}" if last > first else ""
            msg = f"malformed CSV: text after the closing quote of a field (double a quote inside a quoted field){span}"
            problems.append(Problem(name, first, column(index), msg))
            pos = end
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    starts_a, ends_a = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    multi = np.flatnonzero(ends_a > starts_a)
    if spans:
        warnings += _spans_warning(name, len(multi), [(int(starts_a[i]), int(ends_a[i])) for i in multi[:3]])
    return RawTable(name, "csv", frame.astype(_TEXT), starts_a, problems=problems, ends=ends_a, warnings=warnings)


def _tail(lines: list[str], pos: int):
    return (lines[i] for i in range(pos, len(lines)))


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON value")


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        keys = [k for k, _ in pairs]
        twice = next(k for k in keys if keys.count(k) > 1)
        raise ValueError(f"key {twice!r} appears twice in one object")
    return record


def _read_jsonl(name: str, text: str) -> RawTable:
    records, lines, problems = _jsonl_rows(name, io.StringIO(text, newline="").readlines(), 1)
    if not records and not problems:  # only blank lines: as empty as 0 bytes
        return RawTable(name, "jsonl", pd.DataFrame(), _NO_LINES, empty=True)
    keys = list(dict.fromkeys(key for record in records for key in record))
    return _jsonl_table(name, keys, records, lines, problems)


def _jsonl_rows(name: str, physical: list[str], first: int) -> tuple[list[dict], list[int], list[Problem]]:
    """The objects of JSON Lines ``physical`` (the first is line ``first``), their lines, and problems."""
    records: list[dict] = []
    lines: list[int] = []
    problems: list[Problem] = []
    for number, line in enumerate(physical, start=first):
        if _is_blank(line):
            continue
        try:
            record = json.loads(line, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, number, None, f"malformed JSON: {exc.msg} at character {exc.colno}"))
            continue
        except ValueError as exc:
            problems.append(Problem(name, number, None, f"malformed JSON: {exc}"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(name, number, None, f"expected a JSON object, found {type(record).__name__}"))
            continue
        records.append(record)
        lines.append(number)
    return records, lines, problems


def _jsonl_table(name: str, keys: list[str], records: list[dict], lines: list[int],
                 problems: list[Problem]) -> RawTable:
    """The table of ``records``, with the columns ``keys`` (the whole file's, in the order first seen)."""
    names, warnings = _stripped(name, keys, "keys")
    if warnings:
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})
            msg = "two keys differ only by surrounding whitespace: " + ", ".join(twice)
            return _refused(name, "jsonl", [Problem(name, None, None, msg)])
        rename = dict(zip(keys, names))
        records = [{rename[k]: v for k, v in r.items()} for r in records]
    # Column by column as object arrays, so JSON integers stay integers next to nulls.
    columns = list(dict.fromkeys(names))
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in records], dtype=object) for c in columns})
    return RawTable(name, "jsonl", frame, np.asarray(lines, dtype=np.int64), problems=problems, warnings=warnings)


def _read_parquet(name: str, data: bytes) -> RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(data))
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        return _refused(name, "parquet", [Problem(name, None, None, f"unreadable Parquet: {exc}")])
    names, warnings, refusal = _parquet_names(name, list(table.column_names))
    if refusal is not None:
        return refusal
    table = table.rename_columns(names)
    types = {n: table.schema.field(n).type for n in names}
    if not names:
        return RawTable(name, "parquet", pd.DataFrame(index=range(table.num_rows)).astype(object),
                        np.arange(1, table.num_rows + 1, dtype=np.int64), warnings=warnings, arrow_types=types)
    midnight = {n: _midnight(table.column(n)) for n in names if pa.types.is_timestamp(types[n])}
    frame = _parquet_frame(table, names, midnight)
    lines = np.arange(1, len(frame) + 1, dtype=np.int64)
    return RawTable(name, "parquet", frame, lines, warnings=warnings, arrow_types=types)


def _parquet_names(name: str, columns: list[str]) -> tuple[list[str], list[str], RawTable | None]:
    """Column names stripped of whitespace, the warning saying so, and the refusal of a name given twice."""
    names, warnings = _stripped(name, columns, "column names")
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        return names, warnings, _refused(name, "parquet", [Problem(name, None, ", ".join(twice), "column named twice")])
    return names, warnings, None


def _midnight(col) -> bool:
    """Whether every timestamp in ``col`` is at midnight (a null, or no value, counts as one)."""
    import pyarrow.compute as pc

    return pc.all(pc.equal(pc.floor_temporal(col, unit="day"), col)).as_py() is not False


def _parquet_frame(table, names: list[str], midnight: dict[str, bool]) -> pd.DataFrame:
    """A Parquet table's (or record batch's) values as objects; ``midnight`` says which timestamps read as dates."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {}
    for i, n in enumerate(names):
        col = table.column(i)
        if pa.types.is_timestamp(col.type):  # a date at midnight reads as a date; any other time stays visible
            col = col.cast(pa.date32()) if midnight[n] else pc.cast(col, pa.string())
        if pa.types.is_date(col.type):
            col = pc.cast(col, pa.string())
        columns[n] = col
    return pa.table(columns).to_pandas(integer_object_nulls=True).astype(object)
