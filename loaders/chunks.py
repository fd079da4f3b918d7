r"""Read one dataset file as a sequence of chunks, with the whole file's line numbers.

The two-pass streaming loader (:func:`loaders.stream_dataset`) reads every file twice, once
to validate it and once to write it, and holds only about one chunk of rows at a time; so
each file is read here about :data:`CHUNK_BYTES` at a time.  The chunks hold exactly the
rows, line numbers, problems and warnings that the whole read (:func:`loaders.files.read_table`)
gives: CSV without quotes, carriage returns or NULs in strict UTF-8 is cut at line feeds;
other CSV and JSON Lines are first read through once, a block at a time, to choose the
encoding and find the record boundaries (or the keys), then cut only there; Parquet is read
a record batch at a time.

A file the whole read refuses (bytes that do not decode, a quote that never closes, a bad or
repeated header, repeated Parquet names, a file pyarrow cannot open), a Parquet file without
columns, an empty file or one that cannot be opened falls back to a whole read, handed out
in slices, so that its problem reads the same.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.errors import Problem
from loaders.files import (
    _NO_LINES,
    _UTF16_BOMS,
    FORMATS,
    RawTable,
    _fault,
    _is_blank,
    _jsonl_rows,
    _jsonl_table,
    _midnight,
    _parquet_frame,
    _parquet_names,
    _read_csv,
    _refused,
    _spans_warning,
    read_table,
)

__all__ = ["iter_table", "CHUNK_BYTES"]


#: Bytes of text (or of Arrow memory, for Parquet) read per chunk when a file is streamed (about 50,000 rows of
#: the benchmark dataset): a streamed load of 1.2M rows peaks about 200 MB above the imports, 350 MB with 8 MB
#: chunks (bench/load_memory.py).  Through iter_table alone, peak RSS above the imports (whole read in brackets):
#: 151 MB JSON Lines 46 MB (1.7 GB), 241 MB QUOTE_ALL CSV 72 MB (3.9 GB), 220 MB GB18030 CRLF CSV 107 MB
#: (5.1 GB), 10 MB Parquet of 1.3M rows in a 1M-row row group 93 MB (512 MB; pyarrow alone holds 81 MB there).
CHUNK_BYTES = 2 << 20
_BLOCK = 16 << 20


def _streamable(path: Path) -> bool:
    """Whether a CSV file can be cut at line feeds into chunks that read exactly as the whole file.

    It must be strict UTF-8 without a byte-order mark and hold no quote, carriage return or
    NUL (so every record is one line and every line ends at a line feed), and its first line
    must not be blank (the header is then line 1).  One pass over the bytes, a block at a time.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            first = True
            while block := handle.read(_BLOCK):
                if first and (block.startswith(codecs.BOM_UTF8) or _is_blank(block.split(b"\n", 1)[0].decode(
                        "utf-8", errors="replace")) or b"\n" not in block):
                    return False
                first = False
                if b'"' in block or b"\r" in block or b"\x00" in block:
                    return False
                decoder.decode(block, final=False)
            decoder.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return False
    return not first


def _slices(table: RawTable, rows: int, size: int) -> Iterator[RawTable]:
    """A whole file's table as chunks of ``rows`` rows; its problems and warnings go with the first."""
    n = len(table.frame)
    assert table.ends is not None
    for start in range(0, max(n, 1), rows):
        stop = min(start + rows, n)
        first = start == 0
        yield RawTable(table.name, table.format, table.frame.iloc[start:stop].reset_index(drop=True),
                       table.lines[start:stop], table.encoding, table.problems if first else [],
                       table.unreadable, table.ends[start:stop], table.warnings if first else [],
                       table.arrow_types, table.empty, size * stop // n if n else size)


def _decoded(path: Path, codec: str, block: int) -> Iterator[str]:
    """The text of ``path``, ``block`` bytes at a time (raises UnicodeDecodeError as a whole decode would)."""
    decoder = codecs.getincrementaldecoder(codec)()
    with path.open("rb") as handle:
        while data := handle.read(block):
            yield decoder.decode(data)
    yield decoder.decode(b"", final=True)


def _physical(texts: Iterator[str]) -> Iterator[str]:
    r"""Physical lines (ending at ``\n``, ``\r\n`` or ``\r``) of text handed in pieces, as ``readlines`` splits them."""
    carry = ""
    for text in texts:
        if carry:
            text = carry + text
        if not text:
            continue
        lines = io.StringIO(text, newline="").readlines()
        carry = lines.pop() if not lines[-1].endswith("\n") else ""  # a "\r" may be the half of "\r\n"
        yield from lines
    if carry:
        yield carry


_SURROGATE = re.compile("[\udc80-\udcff]")


def _has_utf8_line(path: Path, block: int = _BLOCK) -> bool:
    """Whether a line of ``path`` holds non-ASCII bytes that are valid UTF-8 (:func:`_decode`'s test), block by block."""
    rest = b""
    with path.open("rb") as handle:
        while True:
            data = handle.read(block)
            data, more = rest + data, bool(data)
            cut = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1 if more else len(data)
            data, rest = data[:cut], data[cut:]
            if not data.isascii():
                text = data.decode("utf-8", errors="surrogateescape")  # a bad byte becomes a lone surrogate
                if any(not line.isascii() and not _SURROGATE.search(line) for line in re.split("[\r\n]", text)):
                    return True
            if not more:
                return False


def _scanned(path: Path, encoding: str | None, block: int, scan):
    """``(codec, scan(lines))`` with the codec :func:`_decode` would choose, or None where the whole read refuses.

    ``scan`` reads the decoded physical lines of the whole file; a decode fault ends it and
    (reading without ``encoding``) tries GB18030 where :func:`_decode` does.
    """
    with path.open("rb") as handle:
        head = handle.read(len(codecs.BOM_UTF8))
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            return None
        codec = encoding
    elif head.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif head.startswith(_UTF16_BOMS):
        return None
    else:
        codec = "utf-8"
    try:
        return codec, scan(_physical(_decoded(path, codec, block)))
    except UnicodeDecodeError:
        if codec != "utf-8" or encoding or _has_utf8_line(path, block):
            return None
    try:
        return "gb18030", scan(_physical(_decoded(path, "gb18030", block)))
    except UnicodeDecodeError:
        return None


def _grouped(lines: Iterator[str], ends: Iterator[int]) -> Iterator[tuple[int, list[str]]]:
    """Lines in groups ending before each line index of ``ends`` (and at the end): ``(first index, lines)``."""
    index, first, group = 0, 0, []
    stop = next(ends, -1)
    for line in lines:
        group.append(line)
        index += 1
        if index == stop:
            yield first, group
            first, group, stop = index, [], next(ends, -1)
    if group or first == 0:
        yield first, group


def _by_size(lines: Iterator[str], chunk_bytes: int) -> Iterator[tuple[int, list[str]]]:
    """Lines in groups of at least ``chunk_bytes`` characters (but the last): ``(first index, lines)``."""
    index, first, total, group = 0, 0, 0, []
    for line in lines:
        group.append(line)
        index += 1
        total += len(line)
        if total >= chunk_bytes:
            yield first, group
            first, total, group = index, 0, []
    if group or first == 0:
        yield first, group


def _text_chunks(path: Path, fmt: str, encoding: str | None, chunk_bytes: int) -> Iterator[RawTable] | None:
    """A CSV or JSON Lines file in chunks, after a first pass; None where it must be read whole."""
    block = min(max(chunk_bytes, 1 << 20), _BLOCK)
    scanned = _scanned(path, encoding, block,
                       (lambda lines: _csv_plan(lines, chunk_bytes)) if fmt == "csv" else _jsonl_plan)
    if scanned is None or scanned[1] is None:
        return None
    codec, plan = scanned
    return (_csv_chunks if fmt == "csv" else _jsonl_chunks)(path, codec, plan, chunk_bytes)


def _read_share(size: int, done: int, total: int) -> int:
    return size * done // max(total, 1)


@dataclass
class _JsonlPlan:
    keys: list[str]
    any_line: bool  # a line that is not blank
    chars: int


def _jsonl_plan(lines: Iterator[str]) -> _JsonlPlan:
    """The keys of a JSON Lines file's objects in the order :func:`_read_jsonl` finds them."""
    keys: dict[str, None] = {}
    any_line, chars = False, 0
    for line in lines:
        chars += len(line)
        if _is_blank(line):
            continue
        any_line = True
        try:
            quick = json.loads(line)  # only a line bringing a new key is checked as _jsonl_rows checks it
        except ValueError:
            continue
        if isinstance(quick, dict) and any(k not in keys for k in quick) and _jsonl_rows("", [line], 1)[0]:
            keys.update(dict.fromkeys(quick))
    return _JsonlPlan(list(keys), any_line, chars)


def _jsonl_chunks(path: Path, codec: str, plan: _JsonlPlan, chunk_bytes: int) -> Iterator[RawTable]:
    name, size = path.name, path.stat().st_size
    if not plan.any_line:
        yield RawTable(name, "jsonl", pd.DataFrame(), _NO_LINES, encoding=codec, empty=True, read_bytes=size)
        return
    head = _jsonl_table(name, plan.keys, [], [], [])
    if head.unreadable:
        head.encoding, head.read_bytes = codec, size
        yield head
        return
    done = 0
    for first, group in _by_size(_physical(_decoded(path, codec, max(min(chunk_bytes, _BLOCK), 1))), chunk_bytes):
        table = _jsonl_table(name, plan.keys, *_jsonl_rows(name, group, first + 1))
        table.encoding = codec
        if first:
            table.warnings = []
        done += sum(map(len, group))
        table.read_bytes = _read_share(size, done, plan.chars)
        yield table


@dataclass
class _CsvPlan:
    header: list[str]  # the physical lines of the header record
    cuts: list[int]  # line indices (0-based) before which a chunk ends: each a record boundary
    spans: int  # good records over several lines, and the first three (first and last line)
    shown: list[tuple[int, int]]
    chars: int
    empty: bool = False


class _Counted:
    """Physical lines handed to ``csv.reader`` one at a time, counted, and those of the record being read."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines, self.count, self.chars = lines, 0, 0
        self.record: list[str] = []

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.count += 1
            self.chars += len(line)
            self.record.append(line)
            yield line


def _csv_plan(lines: Iterator[str], chunk_bytes: int = CHUNK_BYTES) -> _CsvPlan | None:
    """A CSV file's header and record boundaries, read as :func:`_read_careful_csv` reads; None if it is refused.

    A fresh ``csv.reader`` at a record boundary reads on exactly as the one that reached it, so
    a chunk cut there and read with the header gives the whole read's rows for its lines.
    """
    source = _Counted(lines)
    it = iter(source)
    for line in it:
        if not _is_blank(line):
            break
    else:
        return _CsvPlan([], [], 0, [], source.chars, empty=True)
    pos = source.count - 1  # the header's first line
    source.record = [line]
    reader = csv.reader(itertools.chain([line], it), strict=True)
    try:
        raw_header = next(reader)
    except csv.Error:
        return None
    header = [c.strip() for c in raw_header]
    if len(set(header)) != len(header):
        return None
    width, header_lines = len(header), source.record
    cuts: list[int] = []
    shown: list[tuple[int, int]] = []
    spans, since = 0, source.chars
    pos = source.count
    while True:
        source.record = []
        reader = csv.reader(it, strict=True)
        try:
            for row in reader:
                first, last = pos + 1, source.count
                pos = last
                if len(row) == width and last > first:
                    spans += 1
                    if len(shown) < 3:
                        shown.append((first, last))
                if source.chars - since >= chunk_bytes:
                    cuts.append(pos)
                    since = source.chars
                source.record = []
            break
        except csv.Error as exc:
            if _fault("".join(source.record))[1] == "unclosed" or "end of data" in str(exc):
                return None
            pos = source.count
            if source.chars - since >= chunk_bytes:
                cuts.append(pos)
                since = source.chars
    return _CsvPlan(header_lines, cuts, spans, shown, source.chars)


def _csv_chunks(path: Path, codec: str, plan: _CsvPlan, chunk_bytes: int) -> Iterator[RawTable]:
    name, size = path.name, path.stat().st_size
    if plan.empty:
        yield RawTable(name, "csv", pd.DataFrame(), _NO_LINES, encoding=codec, empty=True, read_bytes=size)
        return
    head = "".join(plan.header)
    lines = _physical(_decoded(path, codec, max(min(chunk_bytes, _BLOCK), 1)))
    done = 0
    for first, group in _grouped(lines, iter(plan.cuts)):
        done += sum(map(len, group))
        if first == 0:
            table = _read_csv(name, "".join(group), spans=False)
            table.warnings += _spans_warning(name, plan.spans, plan.shown)
        else:
            table = _read_csv(name, head + "".join(group), spans=False, shift=first - len(plan.header))
            table.warnings = []
        table.encoding = codec
        table.read_bytes = _read_share(size, done, plan.chars)
        yield table


def _parquet_chunks(path: Path, chunk_bytes: int) -> Iterator[RawTable] | None:
    """A Parquet file a record batch at a time; None where it must be read whole."""
    import pyarrow.parquet as pq

    name = path.name
    try:
        parquet = pq.ParquetFile(path, buffer_size=1 << 20)  # column chunks read a megabyte at a time
        schema = parquet.schema_arrow
    except Exception:  # pyarrow raises several unrelated types for a bad file: the whole read words it
        return None
    columns = list(schema.names)
    names, warnings, refusal = _parquet_names(name, columns)
    if refusal is not None or not names:
        return None
    types = {n: schema.field(i).type for i, n in enumerate(names)}
    # Batches of about chunk_bytes in Arrow's memory (near a CSV row's size), measured on the first rows:
    # Parquet's own "uncompressed" sizes are of dictionary-encoded pages, several times smaller.
    try:
        probe = next(parquet.iter_batches(batch_size=1024), None)
    except Exception:
        return None
    batch = max(1, chunk_bytes * probe.num_rows // max(probe.nbytes, 1)) if probe is not None else 1024
    return _parquet_batches(path, parquet, names, columns, types, warnings, batch)


def _parquet_batches(path, parquet, names, columns, types, warnings, batch) -> Iterator[RawTable]:
    import pyarrow as pa

    name, size, rows = path.name, path.stat().st_size, parquet.metadata.num_rows
    try:
        stamps = [c for c, n in zip(columns, names) if pa.types.is_timestamp(types[n])]
        midnight = dict.fromkeys([n for c, n in zip(columns, names) if c in stamps], True)
        if stamps:
            for part in parquet.iter_batches(batch_size=max(batch, 65536), columns=stamps):
                for c, n in zip(columns, names):
                    if c in stamps and midnight[n]:
                        midnight[n] = _midnight(part.column(c))
        done = 0
        for part in parquet.iter_batches(batch_size=batch):
            frame = _parquet_frame(part, names, midnight)
            lines = np.arange(done + 1, done + len(frame) + 1, dtype=np.int64)
            yield RawTable(name, "parquet", frame, lines, warnings=[] if done else warnings,
                           arrow_types=types, read_bytes=_read_share(size, done + len(frame), rows))
            done += len(frame)
        if not rows:
            yield RawTable(name, "parquet", _parquet_frame(pa.table({c: pa.array([], type=types[n]) for c, n in
                                                                     zip(columns, names)}), names, midnight),
                           _NO_LINES, warnings=warnings, arrow_types=types, read_bytes=size)
    except Exception as exc:  # a fault past the first batch: said in the chunk where it is found
        yield _refused(name, "parquet", [Problem(name, None, None, f"unreadable Parquet: {exc}")])


def iter_table(path: Path, encoding: str | None = None, chunk_bytes: int = CHUNK_BYTES) -> Iterator[RawTable]:
    r"""Read one file as a sequence of :class:`RawTable` chunks, with the whole file's line numbers.

    Every format is read about ``chunk_bytes`` at a time, so only about one chunk is in memory,
    and the chunks hold the rows, lines, problems and warnings :func:`read_table` gives for the
    whole file; the file's own problems and warnings (header, encoding, keys, records spanning
    lines) come with the first chunk only.

    - CSV whose records are one line each (UTF-8, no quotes, carriage returns or NULs) is cut
      at line feeds.  Other CSV (quotes, CRLF, GB18030, a byte-order mark, a forced encoding)
      is first read through once, decoded a block at a time, to choose the encoding as the
      whole read does and find the record boundaries (the ``csv`` module's, errors included),
      then cut only there; each chunk is read with the file's header.
    - JSON Lines is read through once to choose the encoding and gather the keys (the columns
      of every chunk), then cut at line ends.
    - Parquet is read a record batch at a time, of about ``chunk_bytes`` of uncompressed data
      (memory is still about a row group's compressed column chunks); a first pass reads only
      timestamp columns, which read as dates only where every value in the file is at midnight.

    A file the whole read refuses (bytes that do not decode, a quote that never closes, a bad
    or repeated header, repeated Parquet names, a file pyarrow cannot open), a Parquet file
    without columns, an empty file or one that cannot be opened is read whole by
    :func:`read_table` and handed out in slices, so its problem reads the same: the memory of
    one whole file, but only for a file that is refused.  A text file without line ends is
    one chunk, however long.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "topics.csv"
    >>> _ = path.write_text("id,name\nt1,A\nt2,B\nt3,C\n")
    >>> [chunk.lines.tolist() for chunk in iter_table(path, chunk_bytes=10)]
    [[2, 3], [4]]
    >>> _ = path.write_text('id,name\nt1,"A,\nB"\nt2,C\n')
    >>> [(c.lines.tolist(), c.ends.tolist()) for c in iter_table(path, chunk_bytes=10)]
    [([2], [3]), ([4], [4])]
    """
    fmt = next(f for f, ext in FORMATS.items() if path.suffix.lower() == ext)
    if fmt == "csv" and encoding is None and _streamable(path):
        yield from _simple_chunks(path, chunk_bytes)
        return
    chunks: Iterator[RawTable] | None = None
    try:
        size = path.stat().st_size
        if size:
            chunks = _parquet_chunks(path, chunk_bytes) if fmt == "parquet" else \
                _text_chunks(path, fmt, encoding, chunk_bytes)
    except OSError:
        chunks = None
    if chunks is None:
        table = read_table(path, encoding)
        yield from _slices(table, max(1, chunk_bytes // 40), path.stat().st_size)  # about 40 bytes a row
        return
    yield from chunks


def _simple_chunks(path: Path, chunk_bytes: int) -> Iterator[RawTable]:
    """A CSV file that :func:`_streamable` accepts, cut at line feeds."""
    with path.open("rb") as handle:
        head = handle.readline()
        header = head.decode("utf-8")
        line = 1  # the physical line the next chunk's first line follows
        rest = b""
        first = True
        while True:
            block = handle.read(max(chunk_bytes, 1))
            data = rest + block
            if block:
                cut = data.rfind(b"\n") + 1
                if cut == 0:  # one long line: read on until it ends
                    rest = data
                    continue
                body, rest = data[:cut], data[cut:]
            else:
                body, rest = data, b""
            if not body and not first:
                return
            table = _read_csv(path.name, header if header.endswith("\n") else header + "\n") if not body else \
                _read_csv(path.name, header + body.decode("utf-8"))
            table.encoding = "utf-8"
            if not first:
                table.warnings = []
            table.lines = table.lines + (line - 1)
            table.ends = table.ends + (line - 1) if table.ends is not None else table.lines
            table.problems = [Problem(p.file, p.line + line - 1 if p.line is not None else None, p.column, p.message)
                              for p in table.problems] if (first or not table.unreadable) else []
            line += body.count(b"\n")
            first = False
            table.read_bytes = handle.tell() - len(rest)
            yield table
            if table.unreadable or not block:
                return
