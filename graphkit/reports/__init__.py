"""Reports: the researcher's report (HTML, Markdown, JSON, CSV) and graph exports for Gephi."""

import importlib
from typing import TYPE_CHECKING

from graphkit.reports.export import EXPORT_FORMATS, export_graph
from graphkit.reports.tables import neutralise, write_csv

if TYPE_CHECKING:
    from graphkit.reports.standard import SCHEMA_VERSION, ReportData, build_report, write_report

__all__ = ["EXPORT_FORMATS", "SCHEMA_VERSION", "ReportData", "build_report", "export_graph", "neutralise", "write_csv",
           "write_report"]

#: The report itself is imported on first use: it brings matplotlib and Jinja2, which a load or an export never needs.
_STANDARD = ("SCHEMA_VERSION", "ReportData", "build_report", "write_report")


def __getattr__(name: str) -> object:
    if name not in _STANDARD:
        raise AttributeError(f"module 'graphkit.reports' has no attribute {name!r}")
    return getattr(importlib.import_module("graphkit.reports.standard"), name)
