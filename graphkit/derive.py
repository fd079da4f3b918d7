"""Creator properties derived from the loaded data (``model.DERIVED_PROPERTIES``).

A creator is *active* when it published at least one video in the period; its *primary
topic* is the topic with most of its videos, ties going to the smallest topic id.
Stores recompute these after every load, so they always describe the whole store.
"""

from __future__ import annotations

import pandas as pd

from graphkit import model

__all__ = ["creator_activity"]


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
    src, dst = model.SOURCE_ID, model.TARGET_ID
    pub = publishes[[src, dst, "videos", "views"]].astype({"videos": "int64", "views": "int64"})
    totals = pub.groupby(src)[["videos", "views"]].sum()
    with_videos = pub[pub["videos"] > 0].sort_values([src, "videos", dst], ascending=[True, False, True])
    primary = with_videos.drop_duplicates(src).set_index(src)[dst]
    out = pd.DataFrame({model.ID: creators[model.ID].to_numpy()})
    out["videos"] = out[model.ID].map(totals["videos"]).fillna(0).astype("int64")
    out["views"] = out[model.ID].map(totals["views"]).fillna(0).astype("int64")
    out["active"] = out["videos"] >= 1
    out["primary_topic"] = out[model.ID].map(primary).astype(object).where(out["active"], None)
    out["has_income"] = creators["income_streams"].map(lambda v: len(v) > 0).to_numpy(dtype=bool)
    return out
