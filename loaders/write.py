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

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from graphkit import model
from loaders import files

__all__ = ["FORMATS", "write_frames"]

#: The formats that can be written (those the loader reads), by name.
FORMATS: tuple[str, ...] = tuple(files.FORMATS)

_KINDS: tuple[model.NodeKind | model.RelKind, ...] = (*model.NODE_KINDS, *model.REL_KINDS)
_ARROW = {"string": pa.string(), "date": pa.string(), "enum": pa.string(), "integer": pa.int64(),
          "float": pa.float64(), "boolean": pa.bool_(), "enum_list": pa.list_(pa.string())}  # fmt: skip


def _types(kind: model.NodeKind | model.RelKind) -> dict[str, str]:
    ends = (model.ID,) if isinstance(kind, model.NodeKind) else (model.SOURCE_ID, model.TARGET_ID)
    return {**{c: "string" for c in ends}, **{p.name: p.type for p in kind.properties}}


def _write(kind: model.NodeKind | model.RelKind, frame: pd.DataFrame, path: Path, fmt: str) -> None:
    types = _types(kind)
    if fmt == "csv":
        frame = frame.copy()
        for col, typ in types.items():
            if typ == "enum_list":
                frame[col] = frame[col].map(model.LIST_SEPARATOR.join)
                types = {**types, col: "string"}
        _write_csv(frame, pa.schema([(c, _ARROW[t]) for c, t in types.items()]), path)
    elif fmt == "jsonl":
        text = frame.to_json(orient="records", lines=True, force_ascii=False) if len(frame) else ""
        path.write_text(text if not text or text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        schema = pa.schema([(c, _ARROW[t]) for c, t in types.items()])
        pq.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False), path)


def _write_csv(frame: pd.DataFrame, schema: pa.Schema, path: Path) -> None:
    """The body through Arrow's writer (fast) when no value needs quoting, else pandas."""
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    body = pa.BufferOutputStream()
    try:
        pacsv.write_csv(table, body, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    except pa.ArrowInvalid:  # a comma, quote or line break in some value: let pandas quote it
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        return
    with path.open("wb") as out:
        out.write((",".join(frame.columns) + "\n").encode("utf-8"))
        out.write(body.getvalue())


def write_frames(frames: Mapping[str, pd.DataFrame], out: str | Path, *, format: str = "csv",
                 progress: Callable[[str], None] | None = None) -> list[Path]:  # fmt: skip
    """Write frames keyed by kind file name as ``<out>/<kind.file>.<format>``, one per kind.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        As :func:`loaders.generator.generate_frames` returns them: one per kind of the model.
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
