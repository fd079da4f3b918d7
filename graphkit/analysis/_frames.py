"""What the frame-based measures share: argument checks on store frames, fields and names.

The domain's measures (the three questions: :mod:`graphkit.analysis.connect`,
:mod:`~graphkit.analysis.business`, :mod:`~graphkit.analysis.allocation`) take the frames a
store returns (``store.nodes(label)``, ``store.relationships(type)``) and never a store.
Their results name nodes as people do: with names and fields next to the ids.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.errors import ArgumentError

__all__ = ["check_frame", "topic_fields", "names", "FIELD", "UNKNOWN_FIELD"]

#: The column naming a top-level field (a level-0 topic's id) in result frames.
FIELD = "field"
#: The field of a topic whose ancestors do not reach a top-level topic (never in generated data).
UNKNOWN_FIELD = ""


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
