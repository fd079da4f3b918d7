"""The report as a document (sections of findings, figures and tables) and its HTML and Markdown.

:mod:`graphkit.reports.standard` fills a :class:`Document`; this module lays it out with the
Jinja2 templates in ``graphkit/reports/templates/`` (autoescaped HTML, so a name can never
become markup).  The HTML page is self-contained: CSS inline, figures inline SVG, the network
view's script inlined once; nothing is loaded from outside the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

__all__ = ["Document", "Figure", "Finding", "Section", "Table", "cell", "render_html", "render_markdown"]

#: Rows of a table shown in the page; every row is in its CSV file.
SHOWN_ROWS = 15


@dataclass
class Figure:
    """A figure: an inline ``<svg>`` (or an HTML fragment such as a network view) with its caption."""

    id: str
    title: str
    caption: str
    svg: str = ""
    html: str = ""


@dataclass
class Finding:
    """One finding in plain words: a number with its unit and denominator, a comparison, a figure.

    ``value``, ``unit``, ``denominator`` and ``comparison`` carry the same numbers for
    ``report.json``; ``figure`` is the id of the figure that shows it.
    """

    text: str
    value: float | None
    unit: str
    denominator: str
    comparison: str
    figure: str | None = None


@dataclass
class Table:
    """A detail table: its rows are written whole to ``<id>.csv``; the page shows the first few."""

    id: str
    title: str
    frame: pd.DataFrame
    note: str = ""
    view: pd.DataFrame | None = None  # what the page shows (default: the frame's first rows)
    open: bool = False  # shown unfolded in the page


@dataclass
class Section:
    """A part of the report: a question, its findings, then figures, tables and notes."""

    id: str
    title: str
    question: str = ""
    findings: list[Finding] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Document:
    """The whole report: a title, when it was made, an optional notice, sections and extra page code."""

    title: str
    created: str
    notice: str
    sections: list[Section]
    scripts: str = ""  # raw HTML once per page (the network view's bundle)


def cell(value: Any, column: str = "") -> str:
    """A table cell as text: shares as percentages, floats to 4 significant digits, NA as blank.

    >>> cell(0.6796, "share"), cell(12345.678), cell(float("nan")), cell(3)
    ('68.0%', '1.235e+04', '', '3')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        if "share" in column and 0 <= value <= 1:
            return f"{value:.1%}"
        return f"{value:.4g}"
    return str(value)


def _shown(table: Table) -> pd.DataFrame:
    return table.view if table.view is not None else table.frame


def _rows(table: Table, limit: int | None) -> list[list[tuple[str, bool]]]:
    """The page's rows: (text, is a number) per cell."""
    frame = _shown(table) if limit is None else _shown(table).head(limit)
    columns = [str(c) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    return [[(cell(v, c), n) for v, c, n in zip(row, columns, numeric)]
            for row in frame.itertuples(index=False, name=None)]


@lru_cache(maxsize=2)
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("graphkit.reports", "templates"), autoescape=autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, extensions=["jinja2.ext.do"])
    env.globals.update(rows=_rows, table_view=_shown, shown_rows=SHOWN_ROWS, Markup=Markup)
    env.filters["md"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    return env


def render_html(document: Document) -> str:
    """The self-contained HTML page.

    Examples
    --------
    >>> doc = Document("T", "2026-01-01", "", [Section("s", "S", findings=[Finding("x <b>", 1.0, "", "", "")],
    ...                tables=[Table("t", "A table", pd.DataFrame({"a": [1]}))])])
    >>> page = render_html(doc)
    >>> page.startswith("<!DOCTYPE html>"), "x &lt;b&gt;" in page, "<table" in page
    (True, True, True)
    """
    figures = {f.id: f for s in document.sections for f in s.figures}
    return _environment(True).get_template("report.html.j2").render(doc=document, figures=figures)


def render_markdown(document: Document) -> str:
    """The report as Markdown: the same text and tables; each figure by its title and caption.

    Examples
    --------
    >>> doc = Document("T", "2026-01-01", "", [Section("s", "S", tables=[Table("t", "A", pd.DataFrame({"a": [1]}))])])
    >>> "| a |" in render_markdown(doc)
    True
    """
    figures = {f.id: f for s in document.sections for f in s.figures}
    return _environment(False).get_template("report.md.j2").render(doc=document, figures=figures)
