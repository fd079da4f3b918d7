"""The domain's own measures, computed from store frames (not graphs).

These answer the report's questions directly: how concentrated attention is, what share
of active creators earn income and from which streams, and whether viewer segments
(the elderly, the young, rural viewers) reach each field.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis._checks import FRACTION, check_arguments, check_known
from graphkit.errors import ArgumentError
from graphkit.results import Provenance, Result

__all__ = ["attention_concentration", "income", "segment_access"]


#: The viewer properties :func:`segment_access` can group by: the model's enums.
SEGMENTS = model.SEGMENTS


def _frame(function: str, name: str, frame: object, columns: tuple[str, ...]) -> None:
    """Refuse a ``frame`` that is not a DataFrame with ``columns``, saying which are missing."""
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError(f"{function}: {name} must be a DataFrame (e.g. from store.nodes() or "
                            f"store.relationships()), got a {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        has = ", ".join(repr(c) for c in frame.columns) or "none"
        raise ArgumentError(f"{function}: {name} needs the columns {', '.join(map(repr, columns))}; "
                            f"missing {', '.join(map(repr, missing))} (it has {has})")


def _gini(values: np.ndarray) -> float:
    values = np.sort(values.astype(float))
    n, total = len(values), values.sum()
    if n == 0 or total == 0:
        return 0.0
    return float((2 * np.arange(1, n + 1) - n - 1).dot(values) / (n * total))


def attention_concentration(creators: pd.DataFrame, follows: pd.DataFrame, *, top: float = 0.01) -> Result:
    """How concentrated follows are on few creators.

    Parameters
    ----------
    creators : DataFrame
        Creator nodes, with ``id``.
    follows : DataFrame
        FOLLOWS relationships, with ``target_id`` (the creator).
    top : float
        The top fraction of creators, in (0, 1].

    Returns
    -------
    Result
        ``frame``: ``id``, ``follows`` per creator (zero included), most followed first.
        ``summary``: ``top_share`` (share of all follows held by the top ``top`` fraction
        of creators), ``gini``, ``creators``, ``follows``.

    Raises
    ------
    ArgumentError
        Frames of another type or without those columns, or ``top`` outside (0, 1].

    Examples
    --------
    >>> creators = pd.DataFrame({"id": ["a", "b", "c", "d"]})
    >>> follows = pd.DataFrame({"source_id": ["v1", "v2", "v3", "v1"], "target_id": ["a", "a", "a", "b"]})
    >>> attention_concentration(creators, follows, top=0.25).summary["top_share"]
    0.75
    """
    _frame("attention_concentration", "creators", creators, (model.ID,))
    _frame("attention_concentration", "follows", follows, (model.TARGET_ID,))
    check_arguments("attention_concentration", None, top=(top, FRACTION))
    counts = follows[model.TARGET_ID].value_counts()
    frame = pd.DataFrame({model.ID: creators[model.ID].to_numpy()})
    frame["follows"] = frame[model.ID].map(counts).fillna(0).astype("int64")
    frame = frame.sort_values(["follows", model.ID], ascending=[False, True], ignore_index=True)
    k = max(1, int(round(top * len(frame)))) if len(frame) else 0
    total = int(frame["follows"].sum())
    summary = {
        "top_fraction": top,
        "top_share": float(frame["follows"].head(k).sum() / total) if total else 0.0,
        "gini": _gini(frame["follows"].to_numpy()),
        "creators": len(frame),
        "follows": total,
    }
    return Result(frame, Provenance("attention_concentration", {"top": top}, "pandas"), summary)


def income(creators: pd.DataFrame) -> Result:
    """Share of active creators earning income, and the share using each stream.

    Needs the derived ``active`` and ``has_income`` columns (every store provides them).

    Parameters
    ----------
    creators : DataFrame
        Creator rows with the derived ``active`` and ``has_income`` columns and the
        ``income_streams`` lists, as a store's creator frame has them.

    Returns
    -------
    Result
        ``frame``: ``stream``, ``creators``, ``share_of_earning``.  ``summary``:
        ``active_creators``, ``earning``, ``earning_share``.

    Raises
    ------
    ArgumentError
        Not a DataFrame with ``active``, ``has_income`` and ``income_streams``.
    """
    _frame("income", "creators", creators, (model.ACTIVE, model.HAS_INCOME, "income_streams"))
    active = creators[creators[model.ACTIVE].astype(bool)]
    earning = active[active[model.HAS_INCOME].astype(bool)]
    streams = earning["income_streams"].explode().value_counts()
    frame = pd.DataFrame({"stream": list(model.INCOME_STREAMS)})
    frame["creators"] = frame["stream"].map(streams).fillna(0).astype("int64")
    frame["share_of_earning"] = frame["creators"] / len(earning) if len(earning) else 0.0
    summary = {
        "active_creators": len(active),
        "earning": len(earning),
        "earning_share": len(earning) / len(active) if len(active) else 0.0,
    }
    return Result(frame, Provenance("income", {}, "pandas"), summary)


def segment_access(
    viewers: pd.DataFrame, engages: pd.DataFrame, creators: pd.DataFrame, *, segment: str = "age_band"
) -> Result:
    """Per viewer segment: viewers, engagement per viewer, and how many fields it reaches.

    A viewer reaches a topic when it engages with a creator whose primary topic it is.

    Parameters
    ----------
    viewers, engages, creators : DataFrame
        Viewer nodes (``id`` and ``segment``), ENGAGES_WITH relationships (``source_id``,
        ``target_id``, ``views``) and creator nodes (``id``, ``primary_topic``).
    segment : str
        A viewer property with a fixed set of values: one of :data:`SEGMENTS`.

    Returns
    -------
    Result
        ``frame``: ``segment``, ``viewers``, ``views_per_viewer``, ``topics_reached``,
        ``topics_reached_per_viewer``, sorted by segment in the model's order.

    Raises
    ------
    ArgumentError
        An unknown ``segment`` (the known ones listed), or frames without those columns.
    """
    check_known("segment_access", "segment", [segment], SEGMENTS, where="viewers can be grouped by")
    _frame("segment_access", "viewers", viewers, (model.ID, segment))
    _frame("segment_access", "engages", engages, (model.SOURCE_ID, model.TARGET_ID, "views"))
    _frame("segment_access", "creators", creators, (model.ID, model.PRIMARY_TOPIC))
    prop = next(p for p in model.VIEWER.properties if p.name == segment)
    seg = viewers.set_index(model.ID)[segment]
    primary = creators.set_index(model.ID)[model.PRIMARY_TOPIC]
    e = pd.DataFrame({
        "segment": engages[model.SOURCE_ID].map(seg).to_numpy(),
        "viewer": engages[model.SOURCE_ID].to_numpy(),
        "topic": engages[model.TARGET_ID].map(primary).to_numpy(),
        "views": engages["views"].astype("float64").to_numpy(),
    })
    per_viewer_topics = e.dropna(subset=["topic"]).drop_duplicates(["viewer", "topic"]).groupby("segment").size()
    frame = pd.DataFrame({"segment": [v for v in prop.values if v in set(seg)]})
    frame["viewers"] = frame["segment"].map(seg.value_counts()).astype("int64")
    frame["views_per_viewer"] = frame["segment"].map(e.groupby("segment")["views"].sum()).fillna(0) / frame["viewers"]
    topics = e.dropna(subset=["topic"]).groupby("segment")["topic"].nunique()
    frame["topics_reached"] = frame["segment"].map(topics).fillna(0).astype("int64")
    frame["topics_reached_per_viewer"] = frame["segment"].map(per_viewer_topics).fillna(0) / frame["viewers"]
    return Result(frame, Provenance("segment_access", {"segment": segment}, "pandas"))
