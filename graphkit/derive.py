"""Creator properties derived from the loaded data (``model.DERIVED_PROPERTIES``).

A creator is *active* when it published at least one video in the period; its *primary
topic* is the topic with most of its videos, ties going to the smallest topic id.
Stores recompute these after every load, so they always describe the whole store.
"""

from __future__ import annotations

import pandas as pd

from graphkit import model
from graphkit.model import ACTIVE, HAS_INCOME, PRIMARY_TOPIC, VIDEOS, VIEWS

__all__ = ["creator_activity"]

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
    pub = publishes[[src, dst, VIDEOS, VIEWS]].astype({VIDEOS: "int64", VIEWS: "int64"})
    totals = pub.groupby(src)[[VIDEOS, VIEWS]].sum()
    with_videos = pub[pub[VIDEOS] > 0].sort_values([src, VIDEOS, dst], ascending=[True, False, True])
    primary = with_videos.drop_duplicates(src).set_index(src)[dst]
    out = pd.DataFrame({model.ID: creators[model.ID].to_numpy()})
    out[VIDEOS] = out[model.ID].map(totals[VIDEOS]).fillna(0).astype("int64")
    out[VIEWS] = out[model.ID].map(totals[VIEWS]).fillna(0).astype("int64")
    out[ACTIVE] = out[VIDEOS] >= 1
    out[PRIMARY_TOPIC] = out[model.ID].map(primary).astype(object).where(out[ACTIVE], None)
    # A file without the optional income column leaves it missing, which means no stream.
    out[HAS_INCOME] = creators[INCOME_STREAMS].map(lambda v: hasattr(v, "__len__") and len(v) > 0).to_numpy(dtype=bool)
    return out
