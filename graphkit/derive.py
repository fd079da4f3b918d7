"""Creator properties derived from the loaded data (``model.DERIVED_PROPERTIES``).

A creator is *active* when it published at least one video in the period; its *primary
topic* is the topic with most of its videos, ties going to the smallest topic id.
Stores recompute these after every load, so they always describe the whole store.
"""

from __future__ import annotations

import pandas as pd

from graphkit import model
from graphkit.model import ACTIVE, HAS_INCOME, PRIMARY_TOPIC, VIDEOS, VIEWS

__all__ = ["Activity", "creator_activity"]

INCOME_STREAMS = next(p.name for p in model.CREATOR.properties if p.type == "enum_list")


def _check_model(publishes: model.RelKind = model.PUBLISHES_ON) -> None:
    """Refuse a model whose PUBLISHES_ON lacks the integer counts the derived sums add up.

    Run once at import, so that an edit of the model that breaks the derivation fails at once.

    Raises
    ------
    ImportError
        ``publishes`` has no integer property named ``videos`` or ``views``.

    Examples
    --------
    >>> _check_model(model.RelKind("PUBLISHES_ON", "publishes_on", "Creator", "Topic"))
    Traceback (most recent call last):
    ...
    ImportError: the derived creator properties sum PUBLISHES_ON.videos and .views; missing: videos, views
    """
    types = {p.name: p.type for p in publishes.properties}
    missing = [name for name in (VIDEOS, VIEWS) if types.get(name) != "integer"]
    if missing:
        raise ImportError(f"the derived creator properties sum {publishes.type}.{VIDEOS} and .{VIEWS}; "
                          f"missing: {', '.join(missing)}")


_check_model()


class Activity:
    """The derived properties' sums and primary topics, accumulated over PUBLISHES_ON chunks.

    :func:`creator_activity` is one chunk of it; a bulk import's files add the chunks as
    they are written, holding one row per creator with videos, never the relationships.
    A (creator, topic) pair appears once in a validated dataset, so a creator's best topic
    is the best of each chunk's.

    Examples
    --------
    >>> a = Activity()
    >>> a.add(pd.DataFrame({"source_id": ["c1"], "target_id": ["t2"], "videos": [3], "views": [10]}))
    >>> a.add(pd.DataFrame({"source_id": ["c1"], "target_id": ["t1"], "videos": [3], "views": [5]}))
    >>> a.of(pd.Series(["c1", "c2"])).values.tolist()
    [['c1', 6, 15, True, 't1'], ['c2', 0, 0, False, None]]
    """

    def __init__(self) -> None:
        self._totals: pd.DataFrame | None = None
        self._best: pd.DataFrame | None = None

    @staticmethod
    def _first(pub: pd.DataFrame) -> pd.DataFrame:
        """Each creator's topic with most videos, ties to the smallest topic id."""
        src, dst = model.SOURCE_ID, model.TARGET_ID
        return pub.sort_values([src, VIDEOS, dst], ascending=[True, False, True]).drop_duplicates(src)

    def add(self, publishes: pd.DataFrame) -> None:
        """Add PUBLISHES_ON rows (``source_id``, ``target_id``, ``videos``, ``views``)."""
        src, dst = model.SOURCE_ID, model.TARGET_ID
        pub = publishes[[src, dst, VIDEOS, VIEWS]].astype({VIDEOS: "int64", VIEWS: "int64"})
        totals = pub.groupby(src)[[VIDEOS, VIEWS]].sum()
        self._totals = totals if self._totals is None else self._totals.add(totals, fill_value=0).astype("int64")
        best = self._first(pub.loc[pub[VIDEOS] > 0, [src, VIDEOS, dst]])
        self._best = best if self._best is None else self._first(pd.concat([self._best, best], ignore_index=True))

    def of(self, ids: pd.Series) -> pd.DataFrame:
        """``id``, ``videos``, ``views``, ``active``, ``primary_topic`` for ``ids``, in their order."""
        out = pd.DataFrame({model.ID: pd.Series(ids).to_numpy()})
        totals = self._totals if self._totals is not None else pd.DataFrame(columns=[VIDEOS, VIEWS])
        primary = (self._best.set_index(model.SOURCE_ID)[model.TARGET_ID] if self._best is not None
                   else pd.Series(dtype=object))
        out[VIDEOS] = out[model.ID].map(totals[VIDEOS]).fillna(0).astype("int64")
        out[VIEWS] = out[model.ID].map(totals[VIEWS]).fillna(0).astype("int64")
        out[ACTIVE] = out[VIDEOS] >= 1
        out[PRIMARY_TOPIC] = out[model.ID].map(primary).astype(object).where(out[ACTIVE], None)
        return out


def creator_activity(creators: pd.DataFrame, publishes: pd.DataFrame) -> pd.DataFrame:
    """Derived properties for every creator.

    Parameters
    ----------
    creators : DataFrame
        Creator nodes (``id``, ``income_streams``, ...).
    publishes : DataFrame
        PUBLISHES_ON relationships (``source_id``, ``target_id``, ``videos``, ``views``).

    Returns
    -------
    DataFrame
        ``id``, ``videos``, ``views``, ``active``, ``primary_topic``, ``has_income``,
        one row per creator in the order of ``creators``.

    Examples
    --------
    >>> creators = pd.DataFrame({"id": ["c1", "c2"], "income_streams": [["advertising"], []]})
    >>> pub = pd.DataFrame({"source_id": ["c1", "c1"], "target_id": ["t2", "t1"],
    ...                     "videos": [3, 3], "views": [10, 5]})
    >>> creator_activity(creators, pub)[["id", "videos", "active", "primary_topic", "has_income"]].values.tolist()
    [['c1', 6, True, 't1', True], ['c2', 0, False, None, False]]
    """
    activity = Activity()
    activity.add(publishes)
    out = activity.of(creators[model.ID])
    # A file without the optional income column leaves it missing, which means no stream.
    out[HAS_INCOME] = creators[INCOME_STREAMS].map(lambda v: hasattr(v, "__len__") and len(v) > 0).to_numpy(dtype=bool)
    return out
