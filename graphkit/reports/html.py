"""Render report sections as one self-contained HTML page (inline CSS and SVG, no scripts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import pandas as pd

__all__ = ["Section", "render"]

_CSS = """
body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right}th{background:#f3f3f3}
td:first-child,th:first-child{text-align:left}.note{color:#666;font-size:.85em}figure{margin:1em 0}
"""


@dataclass
class Section:
    """A titled part of a report: paragraphs, tables (title → DataFrame) and SVG figures."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)


def _table(title: str, frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: f"{v:.4g}")
    return f"<h3>{escape(title)}</h3>" + shown.to_html(index=False, border=0, escape=True)


def render(title: str, sections: list[Section], *, footer: str = "") -> str:
    """The HTML page.

    >>> page = render("T", [Section("S", ["p"], {"t": pd.DataFrame({"a": [1]})})])
    >>> page.startswith("<!DOCTYPE html>") and "<table" in page
    True
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
    ]
    for section in sections:
        parts.append(f"<h2>{escape(section.title)}</h2>")
        parts += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
        parts += [_table(t, f) for t, f in section.tables.items()]
        parts += [f"<figure>{svg}</figure>" for svg in section.figures]
    if footer:
        parts.append(f'<p class="note">{escape(footer)}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
