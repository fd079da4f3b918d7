"""Short notebook and console views of graphkit's objects: bounded, escaped, no viewer ids.

Each ``__repr__`` and ``_repr_html_`` says what the object is, its size, a head of its frame
(:data:`ROWS` rows) and its summary, never a dump: a result of a million rows shows five.
Viewer ids are pseudonyms, yet a view shows none (:func:`masked`): reports show viewers as
counts and segments only.  HTML text goes through :func:`html.escape`; frames through
pandas' ``to_html``, which escapes too.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from graphkit.model import ID, KEY_SEPARATOR, KIND, VIEWER

__all__ = ["ROWS", "PSEUDONYM", "cut", "value_counts", "counts_text", "items_text", "masked", "frame_text",
           "html_block"]

#: Rows of a frame a view shows.
ROWS = 5
#: What a view shows in place of a viewer id.
PSEUDONYM = "(pseudonym)"
_ITEMS = 12  # summary entries shown
_COLUMNS = 10  # frame columns shown
_VIEWER_KEY = VIEWER.label + KEY_SEPARATOR


def cut(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, ending ``...`` when cut.

    >>> cut("abcdef", 5)
    'ab...'
    """
    return text if len(text) <= limit else text[:limit - 3] + "..."


def value_counts(values: np.ndarray) -> dict[str, int]:
    """How many times each value occurs, in order of first appearance (a hash count, no sort).

    >>> value_counts(np.array(["Topic", "Creator", "Topic"], dtype=object))
    {'Topic': 2, 'Creator': 1}
    """
    counts = pd.Series(values, dtype=object).value_counts(sort=False)
    return {str(k): int(v) for k, v in counts.items()}


def counts_text(counts: Mapping[str, int], *, skip_zero: bool = False) -> str:
    """``"Creator 2, Topic 1"`` (``"none"`` when empty).

    >>> counts_text({"Creator": 1200, "Viewer": 0}, skip_zero=True)
    'Creator 1,200'
    """
    shown = [f"{k} {v:,}" for k, v in counts.items() if v or not skip_zero]
    return ", ".join(shown) or "none"


def _value(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    return cut(str(value), 60)


def items_text(items: Mapping[str, Any]) -> str:
    """``"k=v, ..."`` of the first entries, each value cut, floats to 6 significant digits.

    >>> items_text({"modularity": 0.41234567, "communities": 3})
    'modularity=0.412346, communities=3'
    """
    shown = [f"{k}={_value(v)}" for k, v in list(items.items())[:_ITEMS]]
    more = len(items) - _ITEMS
    return ", ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def masked(frame: pd.DataFrame, rows: int = ROWS) -> pd.DataFrame:
    """The first ``rows`` rows, the id of every Viewer row (and any ``"Viewer:..."`` key) masked.

    >>> frame = pd.DataFrame({"kind": ["Creator", "Viewer"], "id": ["c1", "v-9f2e"], "score": [0.5, 0.1]})
    >>> masked(frame)["id"].tolist()
    ['c1', '(pseudonym)']
    """
    head = frame.head(rows).copy()
    if KIND in head.columns and ID in head.columns:
        viewer = (head[KIND].astype(str) == VIEWER.label).to_numpy()
        if viewer.any():
            head[ID] = head[ID].astype(object).where(~viewer, PSEUDONYM)
    for col in head.columns:  # keys "Viewer:<pseudonym>" in other columns (paths, pairs)
        if head[col].dtype == object or pd.api.types.is_string_dtype(head[col].dtype):
            text = head[col].astype(object)
            keys = text.map(lambda v: isinstance(v, str) and v.startswith(_VIEWER_KEY)).astype(bool)
            if keys.any():
                head[col] = text.where(~keys, _VIEWER_KEY + PSEUDONYM)
    return head


def frame_text(frame: pd.DataFrame, rows: int = ROWS) -> str:
    """The masked head as text, a few columns wide, saying how many rows there are in all."""
    if frame.empty:
        return f"(no rows; columns: {cut(', '.join(map(str, frame.columns)), 120) or 'none'})"
    text = masked(frame, rows).to_string(max_cols=_COLUMNS, max_colwidth=30)
    shown = min(rows, len(frame))
    return text + (f"\n(first {shown} of {len(frame):,} rows)" if len(frame) > shown else "")


def html_block(title: str, lines: Iterable[str] = (), items: Mapping[str, Any] | None = None,
               frame: pd.DataFrame | None = None) -> str:
    """A small HTML view: a bold title, lines of text, a table of ``items`` and the masked head of ``frame``.

    >>> html_block("Result <b>", ["2 rows"], {"n": 2})
    '<div><strong>Result &lt;b&gt;</strong><br>2 rows<table><tr><th>n</th><td>2</td></tr></table></div>'
    """
    parts = [f"<div><strong>{html.escape(title)}</strong>"]
    parts += [f"<br>{html.escape(line)}" for line in lines]
    if items:
        rows = [f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(_value(v))}</td></tr>"
                for k, v in list(items.items())[:_ITEMS]]
        if len(items) > _ITEMS:
            rows.append(f"<tr><td colspan=\"2\">and {len(items) - _ITEMS} more</td></tr>")
        parts.append("<table>" + "".join(rows) + "</table>")
    if frame is not None:
        if frame.empty:
            parts.append(f"<br>{html.escape(frame_text(frame))}")
        else:
            parts.append(masked(frame).to_html(max_cols=_COLUMNS, border=0, escape=True))
            if len(frame) > ROWS:
                parts.append(f"<br>first {ROWS} of {len(frame):,} rows")
    return "".join(parts) + "</div>"
