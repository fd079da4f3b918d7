"""The report a researcher would publish: the three questions, communities, who is central, an appendix.

:func:`graphkit.report` gathers a :class:`ReportData` from a store (the answers object, the
standard analysis of the ``whole`` graph, names, the data's source); :func:`build_report`
turns it into a :class:`~graphkit.reports.html.Document` of findings, figures and tables;
:func:`write_report` writes ``report.html``, ``report.md``, ``report.json`` (validated by
``report.schema.json``, :data:`SCHEMA_VERSION`) and one CSV per detail table under ``tables/``.

Every number in a finding carries its unit and denominator; a value equal everywhere or
below a uniform baseline is left out or explained.  Viewers appear only as counts and
segments.  The wording of each section is in ``docs/report.md``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis.pipeline import Analysis
from graphkit.answers import QUESTIONS, Answers
from graphkit.reports import figures as fig
from graphkit.reports.appendix import appendix_section
from graphkit.reports.html import Document, Figure, Finding, Section, Table, render_html, render_markdown
from graphkit.reports.network import bundle_script, network_view
from graphkit.reports.tables import write_csv
from graphkit.results import Result

__all__ = ["SCHEMA_ID", "SCHEMA_VERSION", "ReportData", "build_report", "report_json", "write_report"]

#: The version of ``report.json``'s layout (``graphkit/reports/report.schema.json``); a change
#: that removes or renames a field raises the major number.
SCHEMA_VERSION = "1.0.0"
SCHEMA_ID = f"urn:graphkit:report-schema:{SCHEMA_VERSION}"
_SCHEMA_FILE = Path(__file__).with_name("report.schema.json")


@dataclass(frozen=True)
class ReportData:
    """What the report shows, gathered by :func:`graphkit.report` (frames and Results only).

    Parameters
    ----------
    answers : Answers
        :func:`graphkit.answers` of the store.
    analysis : Analysis
        :func:`graphkit.analyze` of the ``whole`` analysis graph (communities, PageRank).
    profiles : Result
        :func:`graphkit.community_profiles` of the analysis's Louvain communities.
    attention : Result
        :func:`graphkit.pagerank` on the ``audience`` graph.
    knowledge_degree : Result
        :func:`graphkit.degree` (weighted) on the ``knowledge`` graph.
    creators, institutions, topics : DataFrame
        The store's node frames (names, fields, followers).
    network : tuple of DataFrame, optional
        :func:`~graphkit.reports.network.network_nodes` of the whole graph (nodes, edges).
    source : dict
        ``store`` (where it lives), ``dataset`` (the folder, if known) and ``files``
        (``name``, ``bytes``).
    generated : dict, optional
        The generator's record (``GENERATED.json``) when the data came from ``graphkit generate``.
    created : str
        When the report was made (ISO 8601, UTC).
    key_fingerprint : str, optional
        The fingerprint of the pseudonym key the viewers were made with.
    """

    answers: Answers
    analysis: Analysis
    profiles: Result
    attention: Result
    knowledge_degree: Result
    creators: pd.DataFrame
    institutions: pd.DataFrame
    topics: pd.DataFrame
    network: tuple[pd.DataFrame, pd.DataFrame] | None = None
    source: dict[str, Any] = field(default_factory=dict)
    generated: dict[str, Any] | None = None
    created: str = ""
    key_fingerprint: str | None = None


def _pct(x: float | None, digits: int = 1) -> str:
    """A share as a percentage; ``n/a`` where there is none (no rows to take it over, NaN)."""
    return f"{x:.{digits}%}" if x is not None and x == x else "n/a"


def _n(x: float | None) -> str:
    return f"{int(x):,}" if x is not None and x == x else "n/a"


def _seg(value: object) -> str:
    """A segment value or group name in words: ``60_plus`` -> ``60+``, ``18_24`` -> ``18-24``."""
    text = str(value)
    if text.endswith("_plus"):
        return text[:-5] + "+"
    if re.fullmatch(r"\d+_\d+", text):
        return text.replace("_", "-")
    return text.replace("_", " ")


# --- Question 1 -----------------------------------------------------------------------------

def _connectivity(data: ReportData) -> Section:
    c = data.answers.connectivity
    section = Section("connectivity", "1. Efficient connectivity: does knowledge reach the public?",
                      QUESTIONS["connectivity"])
    reach = c["reach"].frame
    every = reach[(reach["level"] == "all") & (reach["segment"] == "all")].set_index("hop")
    hops = int(c["reach"].summary["max_hops"])
    h = min(2, hops)
    viewers = int(every["viewers"].iloc[0])
    segs = reach[(reach["level"] == "all") & (reach["segment"] != "all") & (reach["hop"] == h)
                 & (reach["value"] != "unknown")]
    low = segs.sort_values(["share_within", "value"]).iloc[0] if len(segs) else None
    section.figures.append(Figure("reach", "Reach by hop per viewer segment", (
        "Share of each segment's viewers within h hops of any institution over affiliations, partnerships, "
        "collaborations, follows and engagement (the reach graph; hops ignore weights)."),
        fig.reach_by_hop(reach, model.SEGMENTS)))
    comparison = (f"The least reached segment, {_seg(low['value'])} viewers ({_n(low['viewers'])}), has "
                  f"{_pct(low['share_within'])} within {h} hops." if low is not None else "")
    section.findings.append(Finding(
        f"{_pct(every.loc[h, 'share_within'])} of {_n(viewers)} viewers are within {h} hops of an institution "
        f"(institution - creator - viewer), and {_pct(every.loc[hops, 'share_within'])} within {hops}.",
        float(every.loc[h, "share_within"]), "share of viewers", f"{viewers} viewers", comparison, "reach"))

    match = c["interest_match"]
    rows = match.frame[(match.frame["field"] == "all") & ~match.frame["segment"].isin(["all"])
                       & (match.frame["value"] != "unknown")].sort_values(["match_share", "value"])
    served = c["interest_served"]
    section.figures.append(Figure("served", "Interest served per field", (
        "For the viewers who declared interest in a field: the share of their views that land in that field "
        "(a view counts for the creator's primary topic)."),
        fig.share_bars(*_served_bars(served.frame), overall=float(served.summary["served_share"]),
                       overall_label="all fields", title="Is declared interest served? (field, interested viewers)",
                       xlabel="% of interested viewers' views that are in the field", salt="served")))
    spread = (f"By segment it runs from {_pct(rows['match_share'].iloc[0])} ({_seg(rows['value'].iloc[0])}) to "
              f"{_pct(rows['match_share'].iloc[-1])} ({_seg(rows['value'].iloc[-1])})."
              if len(rows) and match.summary["views"] else "")
    least = (f"{served.summary['least_served_field_name']} is the least served field: "
             f"{_pct(served.summary['least_served_share'])} of its interested viewers' views are in it, against "
             f"{_pct(served.summary['served_share'])} over all fields." if served.summary.get("least_served_field_name")
             else "No field has interested viewers with views to compare.")
    section.findings.append(Finding(
        f"{_pct(match.summary['match_share'])} of {_n(match.summary['views'])} views land in a topic the viewer "
        f"declared interest in (or a subtopic of one). {least}",
        float(match.summary["match_share"]), "share of views", f"{match.summary['views']} views", spread, "served"))

    brokers = c["brokers"].frame
    pairs = len(data.institutions) * viewers
    if len(brokers) and pairs:
        share = brokers["broker_score"] / pairs  # the score counts each institution-viewer pair once
        top = brokers.iloc[0]
        head = brokers.head(10).assign(share=share.head(10))
        section.figures.append(Figure("brokers", "Brokers: the creators on most institution-viewer paths", (
            "Each creator's share of the shortest paths between institutions and viewers on the reach graph (a pair's "
            "paths split evenly); the dashed line is the median creator."),
            fig.share_bars([f"{n} ({f})" for n, f in zip(head["name"], head["field_name"])], head["share"].tolist(),
                           overall=float(share.median()), overall_label="median creator",
                           title="Top 10 brokers", xlabel="% of institution-viewer pairs' shortest paths through it",
                           salt="brokers", xmax=None)))
        section.findings.append(Finding(
            f"{top['name']} ({top['field_name']}) carries the most of institutions' knowledge to viewers: it lies on "
            f"{_pct(share.iloc[0])} of the shortest institution-viewer paths ({_n(pairs)} pairs).",
            float(share.iloc[0]), "share of institution-viewer pairs' shortest paths", f"{pairs} pairs",
            f"The median creator lies on {_pct(float(share.median()), 2)}.", "brokers"))
    effect = c["partnership_effect"].summary
    if effect.get("partnered_creators") and effect.get("matched_creators") and \
            effect.get("matched_ci_low_viewers") is not None:
        lo, hi = effect["matched_ci_low_viewers"], effect["matched_ci_high_viewers"]
        verdict = ("the interval contains 0: no clear effect once audience size is matched" if lo <= 0 <= hi
                   else "the interval excludes 0")
        section.figures.append(Figure("partnership", "Partnered creators against comparable ones", (
            f"Raw: mean distinct viewers of the {_n(effect['partnered_creators'])} partnered creators minus that "
            f"of the {_n(effect['other_creators'])} others. Matched: {effect['matching']}."),
            fig.partnership_difference(effect)))
        section.findings.append(Finding(
            f"Creators in an institution partnership reach {effect['partnered_mean_viewers']:.1f} distinct viewers "
            f"on average against {effect['other_mean_viewers']:.1f} for the others (raw difference "
            f"{effect['raw_difference_viewers']:+.1f} viewers per creator).",
            float(effect["raw_difference_viewers"]), "viewers per creator",
            f"{effect['partnered_creators']} partnered creators",
            f"Matched on followers within the field ({_n(effect['matched_creators'])} pairs), the difference is "
            f"{effect['matched_difference_viewers']:+.1f} viewers (95% interval {lo:+.1f} to {hi:+.1f}): {verdict}.",
            "partnership"))
    inst = reach[(reach["level"] == "institution") & (reach["segment"] == "all") & (reach["hop"] == h)]
    section.tables += [
        Table("reach_institutions", f"Reach within {h} hops per institution",
              inst[["id", "name", "category", "field_name", "reached_within", "viewers", "share_within",
                    "creators_within"]].sort_values(["share_within", "id"], ascending=[False, True]),
              "reached_within of viewers; creators_within: creators within the same hops.", open=True),
        Table("reach", "Reach by hop (all, per category, field and institution; per segment)", reach,
              view=reach[reach["level"] == "all"][["segment", "value", "viewers", "hop", "reached_at_hop",
                                                   "reached_within", "share_within"]]),
        Table("interest_served", "Interest served per field and segment", served.frame),
        Table("brokers", "Brokers: creators by broker score and participation", brokers,
              view=brokers[["id", "name", "field_name", "broker_score", "community", "participation"]]),
        Table("co_creation", "Co-creation: institutions, fields and the creators they reach", c["co_creation"].frame,
              view=c["co_creation"].frame.drop(columns=["creator_names"], errors="ignore")),
    ]
    return section


def _served_bars(frame: pd.DataFrame) -> tuple[list[str], list[float]]:
    part = frame[frame["segment"] == "all"].sort_values("served_share", ascending=False)
    return ([f"{name} ({n:,})" for name, n in zip(part["field_name"], part["interested_viewers"])],
            part["served_share"].astype(float).tolist())


# --- Question 2 -----------------------------------------------------------------------------

def _business(data: ReportData) -> Section:
    b = data.answers.business
    section = Section("business", "2. Sustainable business models: who earns?", QUESTIONS["business"])
    earning = b["earning"]
    frame, s = earning.frame, earning.summary
    kinds = frame[(frame["group"] == "creator_kind") & (frame["active"] > 0)].sort_values(["share", "value"])
    streams = frame[frame["group"] == "stream"].sort_values(["share", "value"], ascending=[False, True])
    bars = frame[(frame["group"] != "all") & (frame["active"] > 0)]
    section.figures.append(Figure("earning", "Earning share by stream, creator kind and follower band", (
        "Share of each group's active creators earning income (for a stream: earning from it); the number of "
        "active creators in brackets; the dashed line is all active creators."),
        fig.share_bars([f"{_seg(g)}: {_seg(v)} ({a:,})" for g, v, a in zip(bars["group"], bars["value"],
                                                                              bars["active"])],
                       bars["share"].astype(float).tolist(), overall=float(s["earning_share"]),
                       overall_label=f"all {s['active_creators']:,} active creators",
                       title="Who earns (active creators)", xlabel="% of the group's active creators earning",
                       salt="earning")))
    comparison = ""
    if len(kinds) >= 2:
        lo, hi = kinds.iloc[0], kinds.iloc[-1]
        comparison = (f"{_seg(lo['value']).capitalize()} creators earn least often ({_pct(lo['share'])} of "
                      f"{_n(lo['active'])}), {_seg(hi['value'])} ones most often ({_pct(hi['share'])} of "
                      f"{_n(hi['active'])}).")
    if len(streams):
        comparison += (f" The commonest stream is {_seg(streams.iloc[0]['value'])} ({_pct(streams.iloc[0]['share'])} "
                       "of active creators).")
    section.findings.append(Finding(
        f"{_pct(s['earning_share'])} of {_n(s['active_creators'])} active creators earned income "
        f"({_n(s['earning_creators'])} creators).", float(s["earning_share"]), "share of active creators",
        f"{s['active_creators']} active creators", comparison.strip(), "earning"))

    position = b["position"]
    p = position.summary
    deciles = position.frame[position.frame["group"] == "decile"]
    section.figures.append(Figure("deciles", "Earning share by centrality decile", (
        "Active creators in ten equal groups by PageRank on the audience graph (viewers' follows and engagement); "
        "bars: each decile's earning share with a 95% normal-approximation interval; dashed: the overall share."),
        fig.earning_by_decile(position.frame, float(s["earning_share"]))))
    known = all(isinstance(p.get(k), (int, float)) and p[k] == p[k] for k in ("spearman_rho", "rho_ci_low", "rho_ci_high"))
    related = not known or p["rho_ci_low"] <= 0 <= p["rho_ci_high"]
    # Too few creators (or all earning alike) leave rho undefined: say so rather than read a sign into it.
    verdict = ("too few active creators, or all alike in earning, to relate position to earning" if not known else
               "no detectable relation between position and earning" if related else
               ("central creators earn more often" if p["spearman_rho"] > 0 else "central creators earn less often"))
    if len(deciles):
        lo, hi = deciles.sort_values("share").iloc[0], deciles.sort_values("share").iloc[-1]
        spread = (f"Deciles range from {_pct(lo['share'])} ({str(lo['value']).split(':')[0]}) to {_pct(hi['share'])} "
                  f"({str(hi['value']).split(':')[0]}), against {_pct(s['earning_share'])} overall.")
    else:
        spread = ""
    rho = (f"is {p['spearman_rho']:+.3f} (95% interval {p['rho_ci_low']:+.3f} to {p['rho_ci_high']:+.3f}, "
           f"{_n(p['resamples'])} bootstrap resamples, {_n(p['creators'])} active creators)" if known else
           f"cannot be computed ({_n(p['creators'])} active creators)")
    section.findings.append(Finding(
        f"Spearman's rho between a creator's audience PageRank and earning {rho}: {verdict}.",
        float(p["spearman_rho"]) if known else None, "Spearman's rho",
        f"{p['creators']} active creators", spread or "no deciles to compare", "deciles"))
    section.tables += [
        Table("earning", "Earning by stream, creator kind and follower band", frame,
              "share: of the group's active creators; share_of_earners: of all earning creators."),
        Table("earning_position", "Earning by PageRank decile, core band and community", position.frame),
    ]
    return section


# --- Question 3 -----------------------------------------------------------------------------

def _allocation(data: ReportData) -> Section:
    a = data.answers.allocation
    section = Section("allocation", "3. Rational allocation and fair access", QUESTIONS["allocation"])
    conc = a["concentration"].summary
    gini = {m: float(conc[f"gini_{m}"]) for m in ("follows", "views", "engagement")}
    section.figures.append(Figure("lorenz", "Lorenz curve of attention", (
        "Creators ordered from least to most attention; the curve is the share of all attention the first x% hold "
        "(follows; video views; engagement, the views viewers' ENGAGES_WITH records count). The diagonal is equal "
        "attention."), fig.lorenz_curves(a["lorenz"].frame, gini)))
    overall = a["concentration"].frame
    follows = overall[(overall["scope"] == "overall") & (overall["measure"] == "follows")].iloc[0]
    section.findings.append(Finding(
        f"The top 1% of {_n(conc['creators'])} creators hold {_pct(conc['top1_share_follows'])} of "
        f"{_n(follows['total'])} follows, and the top 10% hold {_pct(conc['top10_share_follows'])}: attention is "
        f"as concentrated as if {conc['equivalent_creators_follows']:.0f} creators shared it equally.",
        float(conc["top1_share_follows"]), "share of follows", f"{int(follows['total'])} follows",
        f"Equal attention would give the top 1% 1.0%. Gini: follows {gini['follows']:.2f}, views {gini['views']:.2f}, "
        f"engagement {gini['engagement']:.2f} (0 equal, 1 all on one creator).", "lorenz"))

    fair = a["fair_access"]
    frame = fair.frame
    flagged = frame[frame["under_served"].astype(bool)]
    for measure, what in (("views_per_viewer", "views per viewer"), ("reach", "reach (share of viewers who viewed "
                                                                         "the field at all)")):
        section.figures.append(Figure(f"disparity_{measure}", f"Fair access: {what}, field x segment", (
            "Each cell: the segment's rate over the rate of all viewers (1 = fair). ▼ and a frame: under-served, "
            "the 95% bootstrap interval lies below 1 (unknown values are shown, never flagged)."),
            fig.disparity_heatmap(frame, measure, title=f"Disparity ratio of {what}", salt=f"disparity-{measure}")))
    worst = flagged[flagged["field"].astype(str) != ""].sort_values(["ratio", "field", "value"])
    if len(worst):
        w = worst.iloc[0]
        unit = "views per viewer" if w["measure"] == "views_per_viewer" else "share of viewers reached"
        text = (f"{_n(len(flagged))} of {_n(len(frame))} field x segment cells are under-served (95% interval below 1). "
                f"The worst: {_seg(w['value'])} viewers ({_n(w['viewers'])}) get {w['ratio']:.2f}x the overall "
                f"{unit} in {w['field_name']} ({w['rate']:.3g} against {w['overall_rate']:.3g}; interval "
                f"{w['ratio_low']:.2f} to {w['ratio_high']:.2f}).")
    else:
        text = f"None of the {_n(len(frame))} field x segment cells is under-served (no 95% interval lies below 1)."
    allf = frame[(frame["field"].astype(str) == "") & (frame["measure"] == "views_per_viewer")].sort_values("ratio")
    comparison = ("Over all fields: " + "; ".join(f"{_seg(r['value'])} {r['ratio']:.2f}x" for _, r in
                                                  allf.head(3).iterrows()) + " the overall views per viewer."
                  if len(allf) else "")
    section.findings.append(Finding(text, float(len(flagged)), "under-served cells", f"{len(frame)} cells",
                                    comparison, "disparity_views_per_viewer"))

    res = a["resource_allocation"]
    rf = res.frame
    if len(rf) and res.summary.get("partnerships"):
        over, under = rf.sort_values(["ratio", "field"]).iloc[-1], rf.sort_values(["ratio", "interest_share"],
                                                                                   ascending=[True, False]).iloc[0]
        section.figures.append(Figure("resources", "Partnerships against declared interest, by field", (
            "Each field's share of the institution-creator partnerships (by the partner creator's field) and its "
            "share of viewers' declared interests."), fig.resource_shares(rf)))
        section.findings.append(Finding(
            f"{over['field_name']} receives {_pct(over['partnership_share'])} of the {_n(res.summary['partnerships'])} "
            f"partnerships against {_pct(over['interest_share'])} of viewers' declared interest "
            f"({over['ratio']:.2f}x).", float(over["partnership_share"]), "share of partnerships",
            f"{res.summary['partnerships']} partnerships",
            f"{under['field_name']} receives {_pct(under['partnership_share'])} against {_pct(under['interest_share'])} "
            "of interest.", "resources"))
    section.tables += [
        Table("fair_access", "Fair access per field and segment (under-served first)", frame,
              "rate: views per viewer, or share of the segment's viewers reached; ratio = rate / overall_rate."),
        Table("concentration", "Attention concentration overall, per field and per community", overall),
        Table("resource_allocation", "Resources by field against declared interest", rf),
    ]
    return section


# --- communities and who is central ---------------------------------------------------------

def _name_list(ids: str, lookup: pd.Series) -> str:
    return "; ".join(str(lookup.get(i, i)) for i in str(ids).split(";") if i)


def community_table(profiles: pd.DataFrame, creators: pd.DataFrame, institutions: pd.DataFrame,
                    topics: pd.DataFrame) -> pd.DataFrame:
    """Community profiles with names instead of ids, largest first.

    Examples
    --------
    >>> profiles = pd.DataFrame({"community": [0], "size": [3], "top_topics": ["t1"], "top_institutions": [""],
    ...                          "top_creators": ["c1;c2"], "conductance": [0.1]})
    >>> names = pd.DataFrame({"id": ["t1", "c1", "c2"], "name": ["Physics", "A", "B"]})
    >>> community_table(profiles, names, names, names)[["label", "top creators"]].values.tolist()
    [['Physics', 'A; B']]
    """
    lookups = {k: f.set_index(model.ID)["name"] for k, f in
               (("topics", topics), ("institutions", institutions), ("creators", creators))}
    out = profiles[["community", "size"] + [k.file for k in model.NODE_KINDS if k.file in profiles.columns]].copy()
    for kind, lookup in lookups.items():
        out[f"top {kind}"] = [_name_list(ids, lookup) for ids in profiles[f"top_{kind}"]]
    out.insert(1, "label", [t.split("; ")[0] if t else "(no topic)" for t in out["top topics"]])
    out["conductance"] = profiles["conductance"]
    return out.sort_values(["size", "community"], ascending=[False, True]).reset_index(drop=True)


def _communities(data: ReportData) -> tuple[Section, dict[int, str]]:
    section = Section("communities", "Communities", "Which groups of creators, topics, institutions and viewers "
                      "hang together (Louvain on the whole graph)?")
    table = community_table(data.profiles.frame, data.creators, data.institutions, data.topics)
    louv = data.analysis.results["louvain"].summary
    nodes = int(table["size"].sum())
    largest = table.iloc[0]
    shown = table.head(15)
    section.figures.append(Figure("community_sizes", "Community sizes", (
        f"The {len(shown)} largest of {len(table)} communities, labelled by their top topic (the topic with the most "
        "weight of ties inside the community)."),
        fig.community_sizes(shown.assign(viewers=shown.get("viewers", 0)))))
    section.findings.append(Finding(
        f"Louvain found {louv['communities']} communities in the whole graph of {_n(nodes)} nodes (modularity "
        f"{louv['modularity']:.3f}); the largest, community {largest['community']} ({largest['label']}), holds "
        f"{_n(largest['size'])} nodes ({_pct(largest['size'] / nodes)}).", float(louv["communities"]), "communities",
        f"{nodes} nodes", f"An equal split would give each {nodes / max(len(table), 1):.0f} nodes.",
        "community_sizes"))
    section.tables.append(Table("communities", "Community profiles", table,
                                "conductance: weight of ties leaving / the smaller volume (0: closed, 1: open).",
                                open=True))
    return section, {int(c): str(label) for c, label in zip(table["community"], table["label"])}


def _central(data: ReportData, labels: dict[int, str]) -> tuple[Section, str]:
    section = Section("central", "Who is central", "Each kind by a measure that means something for it: creators by "
                      "the audience's attention and by carrying institutions' knowledge; institutions by their ties "
                      "in the knowledge graph and their reach.")
    script = ""
    rank = data.attention.frame
    creators = rank[rank[model.KIND] == model.CREATOR.label][[model.ID, "pagerank"]]
    info = data.answers.connectivity["brokers"].frame[[model.ID, "name", "field_name", "broker_score"]]
    table = creators.merge(info, on=model.ID, how="left")
    followers = data.creators.set_index(model.ID).get("followers")
    if followers is not None:
        table["followers"] = table[model.ID].map(followers)
    total = float(table["pagerank"].sum()) or 1.0
    table["attention_share"] = table["pagerank"] / total
    table["vs_uniform"] = table["attention_share"] * len(table)
    table = table.sort_values(["attention_share", model.ID], ascending=[False, True]).reset_index(drop=True)
    if data.network is not None:
        nodes, edges = data.network
        section.figures.append(Figure("network", "The network: most central creators and institutions", (
            "Coloured by community (labelled by its top topic), sized by PageRank on the whole graph; type a name "
            "to find it."), html=network_view(nodes, edges, title="Most central creators and institutions",
                                              community_labels=labels, size_label="PageRank on the whole graph",
                                              include_bundle=False)))
        script = bundle_script()
    else:
        section.notes.append("The interactive network view is left out: its JavaScript bundle is not built "
                             "(scripts/setup-js builds it).")
    if len(table):
        top = table.iloc[0]
        top10 = float(table["attention_share"].head(10).sum())
        section.findings.append(Finding(
            f"{top['name']} ({top['field_name']}) holds the most of the audience's attention: "
            f"{_pct(top['attention_share'], 2)} of the creators' PageRank on the audience graph, "
            f"{top['vs_uniform']:.1f}x the uniform share of 1/{_n(len(table))}; the top 10 hold {_pct(top10)}.",
            float(top["attention_share"]), "share of creators' audience PageRank", f"{len(table)} creators",
            f"Ten creators with equal attention would hold {_pct(10 / len(table))}.",
            "network" if data.network is not None else None))
    degree = data.knowledge_degree.frame
    inst = degree[degree[model.KIND] == model.INSTITUTION.label][[model.ID, "degree"]]
    inst = inst.merge(data.institutions[[model.ID, "name", "category"]], on=model.ID, how="left")
    reach = data.answers.connectivity["reach"].frame
    hop = min(2, int(data.answers.connectivity["reach"].summary["max_hops"]))
    within = reach[(reach["level"] == "institution") & (reach["segment"] == "all") & (reach["hop"] == hop)]
    inst[f"viewers_within_{hop}_hops_share"] = inst[model.ID].map(within.set_index("id")["share_within"])
    inst = inst.rename(columns={"degree": "knowledge_ties"}).sort_values(["knowledge_ties", model.ID],
                                                                        ascending=[False, True])
    if len(inst):
        top = inst.iloc[0]
        section.findings.append(Finding(
            f"{top['name']} has the most ties in the knowledge graph: {top['knowledge_ties']:.0f} (affiliated and "
            f"partner creators, weight 1 each), and reaches {_pct(top[f'viewers_within_{hop}_hops_share'])} of viewers "
            f"within {hop} hops.", float(top["knowledge_ties"]), "ties", f"{len(inst)} institutions",
            f"The mean institution has {inst['knowledge_ties'].mean():.1f}.",
            "network" if data.network is not None else None))
    section.tables += [
        Table("central_creators", "Creators by the audience's attention (PageRank on the audience graph)",
              table[[model.ID, "name", "field_name", "followers", "attention_share", "vs_uniform", "broker_score"]
                    if "followers" in table.columns else [model.ID, "name", "field_name", "attention_share",
                                                          "vs_uniform", "broker_score"]],
              "attention_share: of all creators' PageRank; vs_uniform: times 1/creators.", open=True),
        Table("central_institutions", "Institutions by ties in the knowledge graph", inst, open=True),
    ]
    return section, script


# --- the document and its files -------------------------------------------------------------

def _notice(data: ReportData) -> str:
    g = data.generated
    if not g:
        return ""
    return (f"This data was written by `graphkit generate` (scale {g.get('scale')}, seed {g.get('seed')}, earning "
            f"link {g.get('earning_link', 0)}), not collected from a platform. Its figures are planted, not found: "
            "the generator plants about 90% of creators active, about 70% of active creators earning, the top 1% of "
            "creators holding about 40% of follows, older and rural viewers following and engaging less, and "
            "topic-aligned communities (docs/generator.md). Read the findings as a check of the method, not as "
            "facts about a platform.")


def build_report(data: ReportData) -> Document:
    """The report as a :class:`~graphkit.reports.html.Document`, ready to render.

    Parameters
    ----------
    data : ReportData
        What :func:`graphkit.report` gathered.

    Returns
    -------
    Document
        Sections: the three questions, communities, who is central, the appendix.

    Examples
    --------
    >>> import graphkit
    >>> build_report.__name__  # graphkit.report(store, out) builds and writes it; see docs/report.md
    'build_report'
    """
    communities, labels = _communities(data)
    central, script = _central(data, labels)
    sections = [_connectivity(data), _business(data), _allocation(data), communities, central,
                appendix_section(data.answers, data.analysis, data.source, data.generated, data.created,
                                 data.key_fingerprint, extra={"profiles": data.profiles, "attention": data.attention,
                                                              "knowledge_degree": data.knowledge_degree})]
    return Document("Knowledge dissemination: the three questions", data.created, _notice(data), sections, script)


def _plain(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, NaN and NA to None, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def report_json(document: Document, data: ReportData, *, rows: int = 20) -> dict[str, Any]:
    """``report.json``: the document's text and numbers, the appendix and each measure's head.

    Parameters
    ----------
    document : Document
        :func:`build_report`'s document.
    data : ReportData
        What it was built from.
    rows : int
        Rows of each measure's frame included (every row is in the CSV tables).

    Returns
    -------
    dict
        Valid against ``graphkit/reports/report.schema.json``.

    Examples
    --------
    >>> report_json.__name__
    'report_json'
    """
    sections = []
    for s in document.sections:
        sections.append({
            "id": s.id, "title": s.title, "question": s.question,
            "findings": [{"text": f.text, "value": f.value, "unit": f.unit, "denominator": f.denominator,
                          "comparison": f.comparison, "figure": f.figure} for f in s.findings],
            "figures": [{"id": f.id, "title": f.title, "caption": f.caption} for f in s.figures],
            "tables": [{"id": t.id, "title": t.title, "note": t.note, "rows": len(t.frame),
                        "columns": [str(c) for c in t.frame.columns], "csv": f"tables/{t.id}.csv"} for t in s.tables],
        })
    appendix = next(s for s in document.sections if s.id == "appendix")
    return _plain({
        "$schema": SCHEMA_ID, "schema_version": SCHEMA_VERSION, "title": document.title, "created": document.created,
        "generated": data.generated, "notice": document.notice, "sections": sections,
        "appendix": {t.id: t.frame.to_dict(orient="records") for t in appendix.tables},
        "answers": data.answers.to_dict(rows),
    })


def schema() -> dict[str, Any]:
    """The JSON Schema of ``report.json`` (draft 2020-12).

    >>> schema()["$id"] == SCHEMA_ID
    True
    """
    loaded: dict[str, Any] = json.loads(_SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def write_report(data: ReportData, out: str | Path) -> dict[str, Path]:
    """Write ``report.html``, ``report.md``, ``report.json`` and ``tables/<id>.csv`` to ``out``.

    Parameters
    ----------
    data : ReportData
        What :func:`graphkit.report` gathered.
    out : str or Path
        The folder (created).

    Returns
    -------
    dict of str to Path
        ``html``, ``md``, ``json``, then each table's id.

    Examples
    --------
    >>> write_report.__name__  # graphkit.report(store, out) calls it
    'write_report'
    """
    folder = Path(out)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    document = build_report(data)
    paths = {"html": folder / "report.html", "md": folder / "report.md", "json": folder / "report.json"}
    paths["html"].write_text(render_html(document), encoding="utf-8")
    paths["md"].write_text(render_markdown(document), encoding="utf-8")
    paths["json"].write_text(json.dumps(report_json(document, data), indent=1, ensure_ascii=False,
                                        allow_nan=False) + "\n", encoding="utf-8")
    for section in document.sections:
        for table in section.tables:
            paths[table.id] = folder / "tables" / f"{table.id}.csv"
            write_csv(table.frame, paths[table.id])
    return paths
