"""Reports: the researcher's report (HTML, Markdown, JSON, CSV) and graph exports for Gephi."""

from graphkit.reports.export import EXPORT_FORMATS, export_graph
from graphkit.reports.standard import SCHEMA_VERSION, ReportData, build_report, write_report
from graphkit.reports.tables import neutralise, write_csv

__all__ = ["EXPORT_FORMATS", "SCHEMA_VERSION", "ReportData", "build_report", "export_graph", "neutralise", "write_csv",
           "write_report"]
