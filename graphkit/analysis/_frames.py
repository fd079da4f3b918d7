"""What the frame-based measures share: argument checks on store frames, segments, fields and names.

The domain's measures (the three questions: :mod:`graphkit.analysis.connect` and its neighbours,
:mod:`~graphkit.analysis.business`, :mod:`~graphkit.analysis.allocation`) take the frames a
store returns (``store.nodes(label)``, ``store.relationships(type)``) and never a store.
Their results name nodes as people do: with names and fields next to the ids.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis._checks import check_known
from graphkit.errors import ArgumentError

__all__ = ["ALL", "FIELD", "SEGMENTS", "UNKNOWN_FIELD", "check_frame", "creator_fields", "distinct", "fields_and_names",
           "names", "positions", "segment_codes", "topic_fields"]

#: The column naming a top-level field (a level-0 topic's id) in result frames.
FIELD = "field"
#: The field of a topic whose ancestors do not reach a top-level topic (never in generated data).
UNKNOWN_FIELD = ""
#: The ``segment`` and ``value`` (and ``field``, ``id``) of a row over everything: no breakdown.
ALL = "all"
#: The viewer properties results are broken down by, one at a time: the model's viewer enums.
SEGMENTS = model.SEGMENTS
_ID = model.ID


def check_frame(function: str, name: str, frame: object, columns: tuple[str, ...]) -> pd.DataFrame:
    """Refuse a ``frame`` that is not a DataFrame with ``columns``, saying which are missing.

    >>> check_frame("f", "creators", pd.DataFrame({"x": [1]}), ("id",))
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: f: creators needs the columns 'id'; missing 'id' (it has 'x')
    """
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError(f"{function}: {name} must be a DataFrame (e.g. from store.nodes() or "
                            f"store.relationships()), got a {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        has = ", ".join(repr(c) for c in frame.columns) or "none"
        raise ArgumentError(f"{function}: {name} needs the columns {', '.join(map(repr, columns))}; "
                            f"missing {', '.join(map(repr, missing))} (it has {has})")
    return frame


def topic_fields(topics: pd.DataFrame, subtopic_of: pd.DataFrame) -> pd.Series:
    """Each topic's top-level field: the id of the ancestor with no parent, by topic id.

    A topic with no SUBTOPIC_OF parent is its own field.

    >>> topics = pd.DataFrame({"id": ["t1", "t2", "t3"]})
    >>> sub = pd.DataFrame({"source_id": ["t2", "t3"], "target_id": ["t1", "t2"]})
    >>> topic_fields(topics, sub).to_dict()
    {'t1': 't1', 't2': 't1', 't3': 't1'}
    """
    check_frame("topic_fields", "topics", topics, (model.ID,))
    check_frame("topic_fields", "subtopic_of", subtopic_of, (model.SOURCE_ID, model.TARGET_ID))
    parent = subtopic_of.drop_duplicates(model.SOURCE_ID).set_index(model.SOURCE_ID)[model.TARGET_ID]
    field = pd.Series(topics[model.ID].to_numpy(), index=topics[model.ID].to_numpy(), dtype=object)
    for _ in range(len(topics) + 1):  # a taxonomy is a tree: depth < number of topics
        up = field.map(parent)
        moved = up.notna()
        if not moved.any():
            return field.rename(FIELD)
        field[moved] = up[moved]
    field[field.map(parent).notna()] = UNKNOWN_FIELD  # a cycle: no top-level ancestor
    return field.rename(FIELD)


def names(ids: pd.Series | np.ndarray, nodes: pd.DataFrame) -> np.ndarray:
    """The ``name`` of each id in ``ids``, from a node frame (``""`` where unknown).

    >>> names(pd.Series(["c2", "c9"]), pd.DataFrame({"id": ["c2"], "name": ["Physics Explained"]})).tolist()
    ['Physics Explained', '']
    """
    ids = np.asarray(ids, dtype=object)
    if "name" not in nodes.columns:
        return np.full(len(ids), "", dtype=object)
    found = pd.Series(ids).map(nodes.set_index(model.ID)["name"]).to_numpy(dtype=object)
    found[pd.isna(found)] = ""
    return found


def segment_codes(function: str, viewers: pd.DataFrame, segments: Sequence[str]) -> list[tuple[str, list, np.ndarray]]:
    """For ``all`` and each segment: its name, its values (model order, then sorted), each viewer's code."""
    if isinstance(segments, str):
        segments = [segments]
    check_known(function, "segment", segments, [c for c in viewers.columns if c != _ID], where="viewers have")
    out: list[tuple[str, list, np.ndarray]] = [(ALL, [ALL], np.zeros(len(viewers), dtype=np.int64))]
    for name in segments:
        values = viewers[name].astype(object).where(viewers[name].notna(), "unknown").astype(str)
        known = next((p.values for p in model.VIEWER.properties if p.name == name), ())
        present = set(values.unique())
        order = [v for v in known if v in present] + sorted(present - set(known))
        out.append((name, order, pd.Index(order).get_indexer(values)))
    return out


def distinct(keys: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of ``keys`` (integers in ``[0, size)``), sorted: a table, not a sort."""
    seen = np.zeros(size, dtype=bool)
    seen[keys] = True
    return np.flatnonzero(seen)


def fields_and_names(topics: pd.DataFrame, subtopic_of: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each topic's field (by topic id) and each topic's name (by id)."""
    return topic_fields(topics, subtopic_of), pd.Series(names(topics[_ID], topics), index=topics[_ID].to_numpy())


def creator_fields(function: str, creators: pd.DataFrame, topics: pd.DataFrame,
                    subtopic_of: pd.DataFrame) -> pd.DataFrame:
    """``id``, ``name``, ``primary_topic``, ``topic_name``, ``field``, ``field_name`` of every creator."""
    check_frame(function, "creators", creators, (_ID, model.PRIMARY_TOPIC))
    check_frame(function, "topics", topics, (_ID,))
    field, topic_name = fields_and_names(topics, subtopic_of)
    primary = creators[model.PRIMARY_TOPIC].astype(object).where(creators[model.PRIMARY_TOPIC].notna(), "")
    f = primary.map(field).fillna(UNKNOWN_FIELD)
    return pd.DataFrame({_ID: creators[_ID].to_numpy(dtype=object), "name": names(creators[_ID], creators),
                         model.PRIMARY_TOPIC: primary.to_numpy(dtype=object),
                         "topic_name": primary.map(topic_name).fillna("").to_numpy(dtype=object),
                         FIELD: f.to_numpy(dtype=object), "field_name": f.map(topic_name).fillna("").to_numpy(dtype=object)})


def positions(function: str, what: str, ids: pd.Series, index: pd.Index, of: str) -> np.ndarray:
    """Positions of ``ids`` in ``index``; refuses ids it lacks (naming a few)."""
    where = index.get_indexer(ids.to_numpy(dtype=object))
    if (where < 0).any():
        missing = ", ".join(map(repr, pd.unique(ids[where < 0])[:3]))
        raise ArgumentError(f"{function}: {what} names {of} not in the {of} frame (e.g. {missing}); pass frames "
                            "of the same store")
    return where
