"""The report's figures: matplotlib drawn to inline SVG, the same bytes on every run.

Each function takes a measure's frame (columns as the measure documents them) and returns
one ``<svg>`` element ready to inline: real axes with ticks and units, percentages as
percentages, log scales said in the axis label.  Matplotlib runs on its SVG canvas with no
pyplot state; ``svg.hashsalt`` (set per figure) and ``metadata={"Date": None}`` make the
output deterministic.  Text stays text (``svg.fonttype = "none"``), so the browser draws it
with its own fonts; the font list puts DejaVu Sans first and a CJK font after it
(``fonts-noto-cjk``, installed by ``scripts/setup-browser``) so Chinese names render where
that font is present, and matplotlib's missing-glyph warnings are silenced where it is not.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullLocator, PercentFormatter

from graphkit import model
from graphkit.errors import ArgumentError

__all__ = [
    "community_sizes",
    "disparity_heatmap",
    "earning_by_decile",
    "lorenz_curves",
    "partnership_difference",
    "reach_by_hop",
    "resource_shares",
    "share_bars",
]

_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Source Han Sans SC")
_BLUE, _ORANGE, _GREY, _RED = "#4e79a7", "#f28e2b", "#7f7f7f", "#e15759"
_SEGMENT_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1", "#9c755f")


@lru_cache(maxsize=1)
def _fonts() -> list[str]:
    """DejaVu Sans (matplotlib's own) and the first CJK font installed, if any."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *[name for name in _CJK_FONTS if name in installed][:1], "sans-serif"]


def _rc(salt: str) -> dict[str, Any]:
    return {
        "svg.hashsalt": salt, "svg.fonttype": "none", "font.family": _fonts(), "font.size": 9,
        "axes.spines.top": False, "axes.spines.right": False, "axes.titlesize": 10, "axes.titleweight": "bold",
        "axes.grid": True, "grid.color": "#e6e6e6", "grid.linewidth": 0.6, "axes.axisbelow": True,
        "legend.fontsize": 8, "legend.frameon": False,
    }


@contextmanager
def _figure(salt: str, width: float, height: float, out: list[str]) -> Iterator[Figure]:
    """A figure drawn under the report's style; on exit its SVG (without XML prologue) is appended to ``out``."""
    with matplotlib.rc_context(_rc(salt)), warnings.catch_warnings():  # type: ignore[arg-type]
        warnings.filterwarnings("ignore", message="Glyph .* missing from")  # no CJK font: boxes, not a failure
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasSVG(fig)
        yield fig
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    out.append(svg[svg.index("<svg"):].replace("<svg ", '<svg role="img" ', 1))


def _percent_axis(axis: Any) -> None:
    """Shares in [0, 1] shown as whole percentages."""
    axis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))


def _need(frame: pd.DataFrame, function: str) -> None:
    if not len(frame):
        raise ArgumentError(f"{function}: nothing to draw (the frame is empty)")


def lorenz_curves(lorenz: pd.DataFrame, gini: dict[str, float], *, salt: str = "lorenz") -> str:
    """The Lorenz curve of attention over creators: follows, views and engagement.

    Parameters
    ----------
    lorenz : DataFrame
        :func:`graphkit.lorenz`'s frame (its ``overall`` rows are drawn).
    gini : dict of str to float
        The Gini coefficient by measure, for the legend.
    salt : str
        The SVG id salt (one per figure in a page).

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> frame = pd.DataFrame({"scope": "overall", "measure": "follows", "creator_share": [0, 0.5, 1],
    ...                       "attention_share": [0, 0.1, 1]})
    >>> lorenz_curves(frame, {"follows": 0.4}).startswith("<svg")
    True
    """
    part = lorenz[lorenz["scope"] == "overall"]
    _need(part, "lorenz_curves")
    out: list[str] = []
    with _figure(salt, 5.2, 3.6, out) as fig:
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], color=_GREY, linestyle="--", linewidth=1, label="equal attention (Gini 0)")
        for colour, (measure, curve) in zip(_SEGMENT_COLOURS, part.groupby("measure", sort=True)):
            ax.plot(curve["creator_share"], curve["attention_share"], color=colour, linewidth=1.8,
                    label=f"{measure} (Gini {gini.get(str(measure), float('nan')):.2f})")
        ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="creators, least attention first (cumulative % of creators)",
               ylabel="cumulative % of attention", title="Lorenz curve of attention over creators")
        _percent_axis(ax.xaxis)
        _percent_axis(ax.yaxis)
        ax.legend(loc="upper left")
    return out[0]


def reach_by_hop(reach: pd.DataFrame, segments: Sequence[str], *, salt: str = "reach") -> str:
    """Share of viewers within 1..h hops of any institution, per viewer segment.

    Parameters
    ----------
    reach : DataFrame
        :func:`graphkit.institution_reach`'s frame (its ``level == "all"`` rows are drawn).
    segments : sequence of str
        The segment properties, one panel each (e.g. ``("age_band", "region_type")``).
    salt : str
        The SVG id salt.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> frame = pd.DataFrame({"level": "all", "segment": ["all", "all", "age_band", "age_band"],
    ...                       "value": ["all", "all", "60_plus", "60_plus"], "hop": [1, 2, 1, 2],
    ...                       "share_within": [0.1, 0.9, 0.05, 0.8], "viewers": [10, 10, 4, 4]})
    >>> reach_by_hop(frame, ["age_band"]).count("<svg")
    1
    """
    part = reach[reach["level"] == "all"]
    _need(part, "reach_by_hop")
    overall = part[part["segment"] == "all"]
    out: list[str] = []
    with _figure(salt, 7.6, 3.2, out) as fig:
        axes = fig.subplots(1, len(segments), sharey=True, squeeze=False)[0]
        for ax, segment in zip(axes, segments):
            ax.plot(overall["hop"], overall["share_within"], color="black", linestyle="--", linewidth=1.2,
                    marker="o", markersize=3, label=f"all viewers ({int(overall['viewers'].iloc[0]):,})")
            rows = part[part["segment"] == segment]
            for colour, (value, line) in zip(_SEGMENT_COLOURS, rows.groupby("value", sort=False)):
                ax.plot(line["hop"], line["share_within"], color=colour, linewidth=1.4, marker="o", markersize=3,
                        label=f"{value} ({int(line['viewers'].iloc[0]):,})")
            hops = sorted(part["hop"].unique())
            ax.xaxis.set_major_locator(FixedLocator(hops))
            ax.set(ylim=(0, 1.02), xlabel="hops from the nearest institution (at most)",
                   title=f"by {segment.replace('_', ' ')}")
            _percent_axis(ax.yaxis)
            ax.legend(loc="lower right", title="segment (viewers)", title_fontsize=8)
        axes[0].set_ylabel("% of the segment's viewers reached")
        fig.suptitle("Viewers within h hops of an institution (institution - creator - viewer)", fontsize=10,
                     fontweight="bold")
    return out[0]


def disparity_heatmap(fair: pd.DataFrame, measure: str, *, title: str, salt: str = "disparity") -> str:
    """Field x segment disparity ratios, under-served cells marked.

    Colour: the ratio of the segment's rate to the overall rate on a log scale centred on 1
    (blue below, red above); a cell whose 95% interval lies below 1 carries a black frame
    and a ``▼``.

    Parameters
    ----------
    fair : DataFrame
        :func:`graphkit.fair_access`'s frame; the rows of ``measure`` are drawn (fields with
        a name; the all-fields rows, ``field == ""``, are left out).
    measure : str
        ``"views_per_viewer"`` or ``"reach"``.
    title : str
        The figure's title.
    salt : str
        The SVG id salt.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> frame = pd.DataFrame({"measure": "reach", "field": ["t1", "t1"], "field_name": ["Law", "Law"],
    ...                       "segment": "age_band", "value": ["18_24", "60_plus"], "ratio": [1.1, 0.7],
    ...                       "under_served": [False, True]})
    >>> "▼" in disparity_heatmap(frame, "reach", title="t")
    True
    """
    part = fair[(fair["measure"] == measure) & (fair["field"].astype(str) != "")]
    _need(part, "disparity_heatmap")
    # Segments in the model's order, each one's values in its enum's order (others after, by name).
    order = {"age_band": model.AGE_BANDS, "region_type": model.REGION_TYPES}
    segments = [s for s in model.SEGMENTS if s in set(part["segment"])] + sorted(
        set(part["segment"]) - set(model.SEGMENTS))
    columns = []
    for segment in segments:
        values = set(part.loc[part["segment"] == segment, "value"].astype(str))
        known = [v for v in order.get(segment, ()) if v in values]
        columns += [(segment, v) for v in known + sorted(values - set(known))]
    fields = sorted(part["field_name"].astype(str).unique())
    ratio = part.pivot_table(index="field_name", columns=["segment", "value"], values="ratio", aggfunc="first")
    ratio = ratio.reindex(index=fields, columns=pd.MultiIndex.from_tuples(columns))
    flag = part.assign(flag=part["under_served"].astype(bool)).pivot_table(
        index="field_name", columns=["segment", "value"], values="flag", aggfunc="first")
    flag = flag.reindex(index=fields, columns=pd.MultiIndex.from_tuples(columns)).fillna(False).astype(bool)
    values = ratio.to_numpy(float)
    spread = float(np.nanmax(np.abs(np.log(np.clip(values, 1e-3, None))))) if np.isfinite(values).any() else 0.1
    spread = max(spread, 0.05)
    out: list[str] = []
    with _figure(salt, 7.6, max(2.4, 1.1 + 0.3 * len(fields)), out) as fig:
        ax = fig.subplots()
        ax.grid(False)
        image = ax.imshow(np.ma.masked_invalid(values), cmap="RdBu_r", aspect="auto",
                          norm=LogNorm(vmin=float(np.exp(-spread)), vmax=float(np.exp(spread))))
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                under = bool(flag.iat[i, j])
                dark = abs(math.log(max(value, 1e-3))) > 0.55 * spread  # white on the deep colours
                ax.text(j, i, f"{'▼ ' if under else ''}{value:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if dark else "black", fontweight="bold" if under else "normal")
                if under:
                    ax.add_patch(matplotlib.patches.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False,
                                                              edgecolor="black", linewidth=1.2))
        ax.set_xticks(range(len(columns)), [str(v) for _, v in columns], rotation=30, ha="right")
        ax.set_yticks(range(len(fields)), fields)
        groups = list(dict.fromkeys(s for s, _ in columns))
        for boundary in [sum(1 for s, _ in columns if s in groups[:k]) - 0.5 for k in range(1, len(groups))]:
            ax.axvline(boundary, color="white", linewidth=3)
        ax.set_xlabel("viewer segment (" + "; ".join(g.replace("_", " ") for g in groups) + ")")
        ax.set_title(title)
        bar = fig.colorbar(image, ax=ax, shrink=0.9)
        bar.set_label("ratio to the overall rate (log scale)")
        ticks = [t for t in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0)
                 if np.exp(-spread) <= t <= np.exp(spread)]
        bar.ax.yaxis.set_major_locator(FixedLocator(ticks))
        bar.ax.yaxis.set_minor_locator(NullLocator())
        bar.ax.set_yticklabels([f"{t:g}" for t in ticks])
    return out[0]


def earning_by_decile(position: pd.DataFrame, overall_share: float, *, salt: str = "deciles") -> str:
    """Earning share of active creators per decile of audience PageRank, the overall share as a line.

    Parameters
    ----------
    position : DataFrame
        :func:`graphkit.earning_by_position`'s frame (its ``decile`` rows).
    overall_share : float
        The earning share of all active creators.
    salt : str
        The SVG id salt.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> frame = pd.DataFrame({"group": "decile", "value": ["D1: 1 to 2", "D2: 2 to 3"], "active": [10, 10],
    ...                       "earning": [6, 8], "share": [0.6, 0.8]})
    >>> earning_by_decile(frame, 0.7).count("<svg")
    1
    """
    part = position[position["group"] == "decile"]
    _need(part, "earning_by_decile")
    share, n = part["share"].to_numpy(float), part["active"].to_numpy(float)
    half = 1.96 * np.sqrt(np.clip(share * (1 - share), 0, None) / np.maximum(n, 1))  # normal-approximation 95%
    labels = [str(v).split(":")[0] for v in part["value"]]
    out: list[str] = []
    with _figure(salt, 6.4, 3.2, out) as fig:
        ax = fig.subplots()
        ax.bar(range(len(part)), share, color=_BLUE, yerr=half, capsize=2, error_kw={"linewidth": 0.8},
               label="earning share (bar: 95% interval)")
        ax.axhline(overall_share, color=_ORANGE, linewidth=1.5, linestyle="--",
                   label=f"all active creators: {overall_share:.1%}")
        ax.set_xticks(range(len(part)), labels)
        ax.set(ylim=(0, 1), xlabel="decile of PageRank on the audience graph (D1 lowest, D10 highest)",
               ylabel="% of the decile's active creators earning",
               title="Earning share by network position")
        _percent_axis(ax.yaxis)
        fig.legend(loc="outside lower center", ncol=2)  # under the axes: never over a bar
    return out[0]


def share_bars(labels: Sequence[str], shares: Sequence[float], *, overall: float, overall_label: str, title: str,
               xlabel: str, salt: str = "shares", xmax: float | None = 1.0) -> str:
    """Horizontal bars of shares (0 to 1), one per label, with the overall share as a dashed line.

    Parameters
    ----------
    labels : sequence of str
        One per bar, top to bottom (say the denominator in it, e.g. ``"Law (863)"``).
    shares : sequence of float
        The bars' shares.
    overall : float
        The reference share.
    overall_label : str
        What the reference is (its value is added).
    title, xlabel : str
        The figure's title and x-axis label.
    salt : str
        The SVG id salt.
    xmax : float or None
        The axis' right end (``None``: fitted to the bars).

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> "Law (863)" in share_bars(["Law (863)", "Arts (320)"], [0.58, 0.61], overall=0.56, overall_label="all",
    ...                           title="t", xlabel="x")
    True
    """
    if not len(labels):
        raise ArgumentError("share_bars: nothing to draw (no bars)")
    out: list[str] = []
    with _figure(salt, 6.6, max(1.8, 0.9 + 0.26 * len(labels)), out) as fig:
        ax = fig.subplots()
        y = np.arange(len(labels))[::-1]
        ax.barh(y, np.asarray(shares, dtype=float), color=_BLUE)
        shown = f"{overall:.2%}" if 0 < overall < 0.01 else f"{overall:.1%}"
        ax.axvline(overall, color=_ORANGE, linestyle="--", linewidth=1.5, label=f"{overall_label}: {shown}")
        ax.set_yticks(y, list(labels))
        ax.set(xlim=(0, xmax), xlabel=xlabel, title=title)
        _percent_axis(ax.xaxis)
        fig.legend(loc="outside lower center")  # under the axes: never over a bar
    return out[0]


def partnership_difference(summary: dict[str, Any], *, salt: str = "partnership") -> str:
    """Partnered creators' extra viewers: the raw difference and the matched one with its 95% interval.

    Parameters
    ----------
    summary : dict
        :func:`graphkit.partnership_effect`'s summary.
    salt : str
        The SVG id salt.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> s = {"raw_difference_viewers": 160.0, "matched_difference_viewers": 9.0, "matched_ci_low_viewers": -1.0,
    ...      "matched_ci_high_viewers": 19.0, "partnered_creators": 28, "matched_creators": 21}
    >>> partnership_difference(s).count("<svg")
    1
    """
    raw, matched = float(summary["raw_difference_viewers"]), float(summary["matched_difference_viewers"])
    low, high = float(summary["matched_ci_low_viewers"]), float(summary["matched_ci_high_viewers"])
    out: list[str] = []
    with _figure(salt, 6.4, 1.9, out) as fig:
        ax = fig.subplots()
        ax.barh([1], [raw], color=_GREY, height=0.5)
        ax.barh([0], [matched], color=_BLUE, height=0.5, xerr=[[matched - low], [high - matched]], capsize=3)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks([1, 0], [f"raw: {int(summary['partnered_creators'])} partnered vs all others",
                               f"matched: {int(summary['matched_creators'])} pairs (95% interval)"])
        ax.set(xlabel="distinct viewers per creator: partnered minus comparison",
               title="Do partnered creators reach more viewers?")
    return out[0]


def resource_shares(resources: pd.DataFrame, *, salt: str = "resources") -> str:
    """Per field: its share of partnerships against its share of viewers' declared interest.

    Parameters
    ----------
    resources : DataFrame
        :func:`graphkit.resource_allocation`'s frame.
    salt : str
        The SVG id salt.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> frame = pd.DataFrame({"field_name": ["Law", "Arts"], "partnership_share": [0.7, 0.3],
    ...                       "interest_share": [0.4, 0.6]})
    >>> resource_shares(frame).count("<svg")
    1
    """
    _need(resources, "resource_shares")
    part = resources.sort_values("interest_share", ascending=True)
    y = np.arange(len(part))
    out: list[str] = []
    with _figure(salt, 6.4, max(1.8, 0.9 + 0.3 * len(part)), out) as fig:
        ax = fig.subplots()
        ax.barh(y + 0.2, part["interest_share"].to_numpy(float), height=0.4, color=_GREY,
                label="share of declared interest")
        ax.barh(y - 0.2, part["partnership_share"].to_numpy(float), height=0.4, color=_BLUE,
                label="share of partnerships")
        ax.set_yticks(y, part["field_name"].astype(str))
        ax.set(xlabel="% of all (interest declarations; institution-creator partnerships)",
               title="Where partnerships go, against where interest is")
        _percent_axis(ax.xaxis)
        ax.legend(loc="lower right")
    return out[0]


def community_sizes(sizes: pd.DataFrame, *, salt: str = "communities") -> str:
    """The largest communities' sizes, each bar labelled by its top topic.

    Parameters
    ----------
    sizes : DataFrame
        ``community``, ``label`` (e.g. its top topic's name), ``size`` (nodes) and optional
        ``viewers``; drawn in the order given.
    salt : str
        The SVG id salt.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> frame = pd.DataFrame({"community": [0, 1], "label": ["Physics", "历史"], "size": [30, 20]})
    >>> "历史" in community_sizes(frame)
    True
    """
    _need(sizes, "community_sizes")
    y = np.arange(len(sizes))[::-1]
    out: list[str] = []
    with _figure(salt, 6.4, max(1.8, 0.9 + 0.26 * len(sizes)), out) as fig:
        ax = fig.subplots()
        total = sizes["size"].to_numpy(float)
        if "viewers" in sizes.columns:
            viewers = sizes["viewers"].to_numpy(float)
            ax.barh(y, total - viewers, color=_BLUE, label="creators, institutions and topics")
            ax.barh(y, viewers, left=total - viewers, color="#a0cbe8", label="viewers")
            ax.legend(loc="lower right")
        else:
            ax.barh(y, total, color=_BLUE)
        ax.set_yticks(y, [f"{c}: {label}" for c, label in zip(sizes["community"], sizes["label"])])
        ax.set(xlabel="members (nodes)", ylabel="community: its top topic",
               title="The largest communities (Louvain, whole graph)")
    return out[0]
