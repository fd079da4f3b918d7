"""The standard report of ``graphkit report`` and ``graphkit demo``: HTML and JSON.

:func:`graphkit.report` gathers what it shows from a store; this module only lays it out.

It takes DataFrames and Results only.  Viewers appear as counts and segments, never
one by one: node-level tables list creators, institutions and topics.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis.pipeline import Analysis
from graphkit.reports.html import Section, render
from graphkit.reports.svg import bar_chart, loglog_scatter
from graphkit.reports.tables import write_csv
from graphkit.results import Result

__all__ = ["ReportInput", "build_report", "write_report"]


@dataclass(frozen=True)
class ReportInput:
    """What the standard report shows.

    ``domain`` holds the Results of :func:`~graphkit.attention_concentration` (key
    ``attention``), :func:`~graphkit.income` (``income``) and :func:`~graphkit.segment_access`
    (keyed by the Viewer segment property, e.g. ``age_band``); ``profiles`` is
    :func:`~graphkit.community_profiles` of the analysis's Louvain communities.
    """

    counts: dict[str, int]
    analysis: Analysis
    domain: dict[str, Result]
    creators: pd.DataFrame
    topics: pd.DataFrame
    institutions: pd.DataFrame
    profiles: Result


def _community_table(data: ReportInput, limit: int = 10) -> pd.DataFrame:
    """The largest communities (Louvain numbers them largest first).

    Size, members per kind, the names of their top topics and their conductance.
    """
    profiles = data.profiles.frame.head(limit)
    names = data.topics.set_index(model.ID)["name"]
    table = profiles[["community", "size"]].copy()
    for kind in model.NODE_KINDS:
        table[kind.file] = profiles[kind.file] if kind.file in profiles.columns else 0
    table["top topics"] = [
        "; ".join(str(names.get(topic, topic)) for topic in ids.split(";") if topic) for ids in profiles["top_topics"]
    ]
    table["conductance"] = profiles["conductance"]
    return table.reset_index(drop=True)


def _top(frame: pd.DataFrame, nodes: pd.DataFrame, label: str, n: int = 10) -> pd.DataFrame:
    part = frame[frame["kind"] == label].sort_values(["pagerank", "id"], ascending=[False, True]).head(n)
    extra = [c for c in ("name", "followers", "category") if c in nodes.columns]
    named = nodes.set_index(model.ID)[extra]
    return part[["id", "pagerank", "degree", "community"]].join(named, on="id")


def _degree_figure(frame: pd.DataFrame) -> str:
    counts = frame["degree"].round().astype(int).value_counts().sort_index()
    return loglog_scatter(counts.index.to_numpy(), counts.to_numpy(), title="Degree distribution (all nodes)",
                          xlabel="weighted degree", ylabel="nodes")


def build_report(data: ReportInput) -> tuple[str, dict[str, Any]]:
    """The report as an HTML page and a JSON-ready dict."""
    summary = data.analysis.summary()
    nodes = data.analysis.nodes()
    sizes = data.profiles.frame.set_index("community")["size"]
    profiles = _community_table(data)
    top_creators = _top(nodes, data.creators, model.CREATOR.label)
    top_institutions = _top(nodes, data.institutions, model.INSTITUTION.label)
    attention, income = data.domain["attention"], data.domain["income"]
    comp, louv = summary["components"], summary["louvain"]
    sections = [
        Section("Dataset", tables={"Nodes and relationships": pd.DataFrame(
            {"kind": list(data.counts), "count": list(data.counts.values())})}),
        Section("Connectivity", [
            f"{comp['components']} component{'s' if comp['components'] != 1 else ''}; the largest holds {comp['giant_share']:.1%} of "
            f"{comp['nodes']} nodes. Density {comp['density']:.3g}."]),
        Section("Communities", [
            f"Louvain found {louv['communities']} communities, modularity {louv['modularity']:.4f}."],
            {"Largest communities": profiles},
            [bar_chart([str(c) for c in sizes.index[:30]], sizes.to_numpy()[:30].tolist(),
                       title="Community sizes (30 largest)", xlabel="community", ylabel="nodes")]),
        Section("Who is central", tables={"Top creators by PageRank": top_creators,
                                          "Top institutions by PageRank": top_institutions},
                figures=[_degree_figure(nodes)]),
        Section("Attention and income", [
            f"The top {attention.summary['top_fraction']:.0%} of creators hold {attention.summary['top_share']:.1%} "
            f"of all follows (Gini {attention.summary['gini']:.3f}).",
            f"{income.summary['earning_share']:.1%} of {income.summary['active_creators']} active creators earned "
            "income in the period (the 2024 report: about 70%)."],
            {"Income streams of earning creators": income.frame}),
        Section("Fair access", ["Engagement and fields reached per viewer segment."],
                {f"By {p.name.replace('_', ' ')}": data.domain[p.name].frame
                 for p in model.VIEWER.properties if p.name in data.domain}),
    ]
    html = render("graphkit report", sections, footer="Viewers are pseudonymous and shown only as aggregates.")
    report = {
        "counts": data.counts,
        "analysis": summary,
        "provenance": {k: r.provenance.to_dict() for k, r in data.analysis.results.items()},
        "communities": profiles.to_dict(orient="records"),
        "top_creators": top_creators.to_dict(orient="records"),
        "top_institutions": top_institutions.to_dict(orient="records"),
        "domain": {k: {"summary": r.summary, "frame": r.frame.head(50).to_dict(orient="records")}
                   for k, r in data.domain.items() if k != "attention"} | {"attention": {"summary": attention.summary}},
    }
    return html, report


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA:
        return None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_report(data: ReportInput, out: str | Path) -> dict[str, Path]:
    """Write ``report.html``, ``report.json`` and ``nodes.csv`` (non-viewer node measures) to ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    html, report = build_report(data)
    paths = {"html": out / "report.html", "json": out / "report.json", "csv": out / "nodes.csv"}
    paths["html"].write_text(html, encoding="utf-8")
    paths["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False, default=_jsonable) + "\n",
                             encoding="utf-8")
    nodes = data.analysis.nodes()
    write_csv(nodes[nodes["kind"] != model.VIEWER.label], paths["csv"])
    return paths
