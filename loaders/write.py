r"""Write frames as a dataset folder: one file per kind, CSV, JSON Lines or Parquet.

The encoding is the one :mod:`loaders.files` reads.  A dataset folder holds
``<kind.file>.<format>`` for every kind of the model, a header-only (or empty) file for a
kind without rows.  Columns are exactly ``kind.columns`` in the model's order.

* CSV: UTF-8 without BOM, a header row, commas, ``\n`` line ends, an empty cell for a missing
  optional value, ``enum_list`` values joined by :data:`graphkit.model.LIST_SEPARATOR`
  (an empty cell is an empty list), dates ``YYYY-MM-DD``.
* JSON Lines: one object per row, keys in column order, ``null`` for a missing optional
  value, ``enum_list`` as an array, non-ASCII text as is.
* Parquet (pyarrow): integers int64, floats float64, ``enum_list`` ``list<string>``, dates
  and enums as strings.

Each file is written a slice of rows at a time (:data:`_SLICE_ROWS`), so only one slice is
ever held as text or as an Arrow table; a kind may also be given as a :class:`SlicedFrame`,
which materialises its rows only a slice at a time (the generator's large kinds are).  Every
format encodes each row on its own, so the files are the same whatever the slice size.

Examples
--------
>>> import tempfile, pathlib
>>> from loaders.generator import generate_frames
>>> with tempfile.TemporaryDirectory() as tmp:
...     paths = write_frames(generate_frames(10), tmp, format="jsonl")
...     first = paths[0].read_text(encoding="utf-8").splitlines()[0]
>>> [p.name for p in paths][:2], first.startswith('{"id":"c000001","name":')
(['creators.jsonl', 'institutions.jsonl'], True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from graphkit import model
from loaders import files

__all__ = ["FORMATS", "SlicedFrame", "write_frames"]

#: The formats that can be written (those the loader reads), by name.
FORMATS: tuple[str, ...] = tuple(files.FORMATS)

#: Rows materialised and written at a time.  Parquet's default row-group size, so a Parquet
#: file gets the row groups it would get written whole.  Tests set it small.
_SLICE_ROWS = 1 << 20

_KINDS: tuple[model.NodeKind | model.RelKind, ...] = (*model.NODE_KINDS, *model.REL_KINDS)
_ARROW = {"string": pa.string(), "date": pa.string(), "enum": pa.string(), "integer": pa.int64(),
          "float": pa.float64(), "boolean": pa.bool_(), "enum_list": pa.list_(pa.string())}  # fmt: skip


@runtime_checkable
class SlicedFrame(Protocol):
    """A kind's rows, materialised one slice at a time (what :func:`write_frames` also takes).

    ``len(rows)`` is the number of rows and ``rows.rows(start, stop)`` the frame of rows
    ``start`` to ``stop`` (columns and dtypes as a whole frame's), for any
    ``0 <= start <= stop <= len(rows)``.
    """

    def __len__(self) -> int: ...

    def rows(self, start: int, stop: int) -> pd.DataFrame:
        """Rows ``start`` to ``stop`` (excluded) as a DataFrame."""
        ...


def _types(kind: model.NodeKind | model.RelKind) -> dict[str, str]:
    ends = (model.ID,) if isinstance(kind, model.NodeKind) else (model.SOURCE_ID, model.TARGET_ID)
    return {**{c: "string" for c in ends}, **{p.name: p.type for p in kind.properties}}


def _slices(source: pd.DataFrame | SlicedFrame) -> Iterator[pd.DataFrame]:
    """The rows in slices of :data:`_SLICE_ROWS`; one empty slice when there are none."""
    n, step = len(source), max(1, _SLICE_ROWS)
    for start in range(0, max(n, 1), step):
        stop = min(start + step, n)
        yield source.iloc[start:stop] if isinstance(source, pd.DataFrame) else source.rows(start, stop)


def _write(kind: model.NodeKind | model.RelKind, source: pd.DataFrame | SlicedFrame, path: Path, fmt: str) -> None:
    types = _types(kind)
    if fmt == "csv":
        lists = [col for col, typ in types.items() if typ == "enum_list"]
        types = {col: "string" if col in lists else typ for col, typ in types.items()}
        _write_csv(source, lists, pa.schema([(c, _ARROW[t]) for c, t in types.items()]), path)
    elif fmt == "jsonl":
        with path.open("w", encoding="utf-8", newline="") as out:
            for frame in _slices(source):
                text = frame.to_json(orient="records", lines=True, force_ascii=False) if len(frame) else ""
                out.write(text if not text or text.endswith("\n") else text + "\n")
    else:
        schema = pa.schema([(c, _ARROW[t]) for c, t in types.items()])
        writer = None
        try:
            for frame in _slices(source):
                table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
                writer = writer or pq.ParquetWriter(path, table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()


def _joined(frame: pd.DataFrame, lists: list[str]) -> pd.DataFrame:
    """``frame`` with its ``enum_list`` columns as CSV cells (values joined by the separator)."""
    if not lists:
        return frame
    frame = frame.copy()
    for col in lists:
        frame[col] = frame[col].map(model.LIST_SEPARATOR.join)
    return frame


def _write_csv(source: pd.DataFrame | SlicedFrame, lists: list[str], schema: pa.Schema, path: Path) -> None:
    """The body through Arrow's writer (fast) when no value needs quoting, else pandas.

    The choice is per file, not per slice: pandas writes floats otherwise than Arrow
    (``42.0`` against ``42``), so a file is all Arrow or, from its first value that needs
    quoting, rewritten all with pandas.
    """
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    with path.open("wb") as out:
        out.write((",".join(schema.names) + "\n").encode("utf-8"))
        try:
            for frame in _slices(source):
                body = pa.BufferOutputStream()
                pacsv.write_csv(pa.Table.from_pandas(_joined(frame, lists), schema=schema, preserve_index=False),
                                body, options)  # fmt: skip
                out.write(body.getvalue())
            return
        except pa.ArrowInvalid:  # a comma, quote or line break in some value: let pandas quote it
            pass
    with path.open("w", encoding="utf-8", newline="") as text:
        for i, frame in enumerate(_slices(source)):
            _joined(frame, lists).to_csv(text, index=False, header=i == 0, lineterminator="\n")


def write_frames(frames: Mapping[str, pd.DataFrame | SlicedFrame], out: str | Path, *, format: str = "csv",
                 progress: Callable[[str], None] | None = None) -> list[Path]:  # fmt: skip
    """Write frames keyed by kind file name as ``<out>/<kind.file>.<format>``, one per kind.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame or SlicedFrame
        As :func:`loaders.generator.generate_frames` returns them: one per kind of the model.
        A :class:`SlicedFrame` is materialised one slice of rows at a time.
    out : str or pathlib.Path
        Dataset folder, created if missing; existing files of the same names are replaced.
    format : {"csv", "jsonl", "parquet"}
        File format (see ``docs/generator.md`` for the exact encoding of each).
    progress : callable, optional
        Called with a one-line message after each file is written.

    Returns
    -------
    list of pathlib.Path
        The files written, in the model's kind order.

    Raises
    ------
    ValueError
        If ``format`` is not one of :data:`FORMATS` or a kind's frame is missing.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    missing = [kind.file for kind in _KINDS if kind.file not in frames]
    if missing:
        raise ValueError(f"no frame for {', '.join(missing)}; every kind of the model needs one")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in _KINDS:
        path = folder / f"{kind.file}{files.FORMATS[format]}"
        _write(kind, frames[kind.file], path, format)
        paths.append(path)
        if progress is not None:
            progress(f"wrote {path.name} ({len(frames[kind.file]):,} rows)")
    return paths
