"""The named queries of ``cypher/queries/`` on the embedded store's frames.

Each ``.cypher`` file is the definition of its query; the function of the same name here
computes the same answer with pandas, numpy and scipy on the embedded store's node frames
(by label) and relationship frames (by type): the same columns in the same order, the same
rows in the same order, built from plain Python values as the Neo4j store's rows are (so an
empty result is a frame with no columns, as there).  :data:`QUERIES` maps each name to its
function; ``tests/test_named_queries.py`` runs every named query on both stores and fails
for a named query that has no function here.

The functions take ``(nodes, rels, **params)`` with the parameters already checked and
converted (:func:`graphkit.stores.base.check_named_query`).  The topic taxonomy is walked
as the Cypher walks it, ``SUBTOPIC_OF*0..3``: one row per path of up to 3 hops.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from graphkit import model

__all__ = ["QUERIES", "Frames"]

Frames = Mapping[str, pd.DataFrame]
_ID, _SRC, _DST = model.ID, model.SOURCE_ID, model.TARGET_ID
_TAXONOMY_DEPTH = 3  # SUBTOPIC_OF*0..3
_REACH_TYPES = (model.AFFILIATED_WITH, model.PARTNERS_WITH, model.COLLABORATES_WITH, model.FOLLOWS, model.ENGAGES_WITH)
_EXAMPLES = 20


def _plain(value: Any) -> Any:
    """A value as the driver returns it: numpy scalars to Python, missing to None."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The result as the Neo4j store builds it: ``DataFrame.from_records`` of plain rows."""
    if frame.empty:
        return pd.DataFrame.from_records([])
    columns = [[_plain(v) for v in frame[c].tolist()] for c in frame.columns]
    records = [dict(zip(frame.columns, row)) for row in zip(*columns)]
    return pd.DataFrame.from_records(records, columns=list(frame.columns))


def _positions(index: pd.Index, values: pd.Series) -> np.ndarray:
    """Each value's position in ``index`` (-1 where absent): ``index.get_indexer``, faster on repeats."""
    codes, uniques = pd.factorize(values)
    where = np.append(index.get_indexer(uniques), -1)  # code -1 (missing) picks the appended -1
    return where[codes]


#: Per (relationship frame, end column): the frame, its length, the sorted distinct ends,
#: where each one's rows start in ``order``, and ``order`` (row positions grouped by end).
#: The store replaces a relationship frame on every write, never changes one in place; an
#: entry goes when its frame does.
_ENDS: dict[tuple[int, str], tuple[weakref.ref[pd.DataFrame], int, np.ndarray, np.ndarray, np.ndarray]] = {}


def _rows_at(frame: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """Positions of the rows whose ``column`` is ``value``, through an index built once per frame."""
    key, rows = (id(frame), column), len(frame)
    entry = _ENDS.get(key)
    if entry is None or entry[0]() is not frame or entry[1] != rows:
        codes, uniques = pd.factorize(frame[column], sort=True)
        starts = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))])
        entry = (weakref.ref(frame, lambda _: _ENDS.pop(key, None)), rows,
                 np.asarray(uniques, dtype=object), starts, np.argsort(codes, kind="stable"))
        _ENDS[key] = entry
    _, _, uniques, starts, order = entry
    at = int(np.searchsorted(uniques, value))
    if at == len(uniques) or uniques[at] != value:
        return order[:0]
    return order[starts[at]:starts[at + 1]]


def _topics(nodes: Frames) -> pd.Index:
    """Topic ids, sorted: positions in the taxonomy matrices."""
    return pd.Index(np.sort(nodes[model.TOPIC.label][_ID].to_numpy(dtype=object)))


def _paths(nodes: Frames, rels: Frames, topics: pd.Index) -> sparse.csr_matrix:
    """``P[t, u]``: the number of ``SUBTOPIC_OF`` paths of 0..3 hops from topic ``t`` up to ``u``."""
    sub = rels[model.SUBTOPIC_OF.type]
    n = len(topics)
    step = sparse.csr_matrix((np.ones(len(sub)), (topics.get_indexer(sub[_SRC]), topics.get_indexer(sub[_DST]))),
                             shape=(n, n))
    power = sparse.identity(n, format="csr")
    total = power.copy()
    for _ in range(_TAXONOMY_DEPTH):
        power = power @ step
        total = total + power
    return total.tocsr()


def _publishes(rels: Frames, topics: pd.Index) -> pd.DataFrame:
    pub = rels[model.PUBLISHES_ON.type]
    return pub.assign(_topic=topics.get_indexer(pub[_DST]))


def _creator_fields(frame: pd.DataFrame, nodes: Frames, columns: list[str]) -> pd.DataFrame:
    creators = nodes[model.CREATOR.label].set_index(_ID)
    return frame.join(creators[[c for c in columns if c in creators.columns]], on=_ID).reindex(
        columns=[*frame.columns, *columns])


def top_creators_in_topic(nodes: Frames, rels: Frames, *, topic: str, limit: int) -> pd.DataFrame:
    """``top_creators_in_topic.cypher``: creators by views on a topic and its subtopics."""
    topics = _topics(nodes)
    below = np.asarray(_paths(nodes, rels, topics)[:, topics.get_loc(topic)].todense()).ravel()
    pub = _publishes(rels, topics)
    times = below[pub["_topic"].to_numpy()]
    pub = pub[times > 0]
    times = times[times > 0].astype(np.int64)
    sums = pd.DataFrame({_ID: pub[_SRC].to_numpy(), "views": pub["views"].to_numpy(dtype=np.int64) * times,
                         "videos": pub["videos"].to_numpy(dtype=np.int64) * times}).groupby(_ID, sort=False).sum()
    top = sums.reset_index().sort_values(["views", _ID], ascending=[False, True], kind="stable").head(limit)
    top = _creator_fields(top, nodes, ["name", "followers"])
    return _rows(top[[_ID, "name", "views", "videos", "followers"]])


def top_creators_by_score(nodes: Frames, rels: Frames, *, topic: str, score: str, limit: int) -> pd.DataFrame:
    """``top_creators_by_score.cypher``: the same creators ranked by a written-back score."""
    topics = _topics(nodes)
    below = np.asarray(_paths(nodes, rels, topics)[:, topics.get_loc(topic)].todense()).ravel()
    pub = _publishes(rels, topics)
    ids = pd.unique(pub.loc[below[pub["_topic"].to_numpy()] > 0, _SRC])
    frame = _creator_fields(pd.DataFrame({_ID: ids}), nodes, ["name", score, "followers"])
    frame = frame[frame[score].notna()]
    if next(p for p in model.ANALYSIS_PROPERTIES if p.name == score).type == "integer":
        frame[score] = frame[score].astype(np.int64)  # held as floats where some creators have none
    frame = frame.sort_values([score, _ID], ascending=[False, True], kind="stable").head(limit)
    return _rows(frame.rename(columns={score: "score"})[[_ID, "name", "score", "followers"]])


def institution_reach(nodes: Frames, rels: Frames, *, institution: str, k: int) -> pd.DataFrame:
    """``institution_reach.cypher``: distinct creators and viewers within 1..k hops."""
    labels = sorted({end for r in _REACH_TYPES for end in (r.source, r.target)})
    index, offset, start = {}, {}, 0
    for label in labels:
        index[label], offset[label] = pd.Index(nodes[label][_ID].to_numpy(dtype=object)), start
        start += len(index[label])
    src = np.concatenate([_positions(index[r.source], rels[r.type][_SRC]) + offset[r.source] for r in _REACH_TYPES])
    dst = np.concatenate([_positions(index[r.target], rels[r.type][_DST]) + offset[r.target] for r in _REACH_TYPES])
    reached = np.zeros(start, dtype=bool)
    reached[index[model.INSTITUTION.label].get_loc(institution) + offset[model.INSTITUTION.label]] = True
    rows = []
    for hop in range(1, k + 1):
        grown = reached.copy()
        grown[dst[reached[src]]] = True
        grown[src[reached[dst]]] = True
        reached = grown
        count = {label: int(reached[offset[label]:offset[label] + len(index[label])].sum())
                 for label in (model.CREATOR.label, model.VIEWER.label)}
        rows.append((hop, count[model.CREATOR.label], count[model.VIEWER.label]))
    return _rows(pd.DataFrame(rows, columns=["hop", "creators", "viewers"]))


def topic_co_coverage(nodes: Frames, rels: Frames, *, min_videos: int, limit: int) -> pd.DataFrame:
    """``topic_co_coverage.cypher``: topic pairs by creators publishing at least min_videos on both."""
    topics = _topics(nodes)
    pub = _publishes(rels, topics)
    pub = pub[pub["videos"].to_numpy(dtype=np.int64) >= min_videos]
    creators, _ = pd.factorize(pub[_SRC])
    cover = sparse.csr_matrix((np.ones(len(pub)), (creators, pub["_topic"].to_numpy())),
                              shape=(creators.max() + 1 if len(pub) else 0, len(topics)))
    cover.data[:] = 1.0
    pairs = sparse.triu(cover.T @ cover, k=1).tocoo()
    order = np.lexsort((pairs.col, pairs.row, -pairs.data))[:limit]
    a, b = pairs.row[order], pairs.col[order]
    names = nodes[model.TOPIC.label].set_index(_ID)["name"]
    frame = pd.DataFrame({"topic_a": topics[a], "name_a": names.reindex(topics[a]).to_numpy(),
                          "topic_b": topics[b], "name_b": names.reindex(topics[b]).to_numpy(),
                          "shared_creators": pairs.data[order].astype(np.int64)})
    return _rows(frame)


def bridging_creators(nodes: Frames, rels: Frames, *, min_institutions: int, limit: int) -> pd.DataFrame:
    """``bridging_creators.cypher``: creators by institutions tied × top-level fields published on."""
    creators = nodes[model.CREATOR.label]
    aff, part = rels[model.AFFILIATED_WITH.type], rels[model.PARTNERS_WITH.type]
    ties = pd.DataFrame({_ID: np.concatenate([aff[_SRC].to_numpy(dtype=object), part[_DST].to_numpy(dtype=object)]),
                         "i": np.concatenate([aff[_DST].to_numpy(dtype=object), part[_SRC].to_numpy(dtype=object)])})
    institutions = ties.drop_duplicates().groupby(_ID).size()
    frame = pd.DataFrame({_ID: creators[_ID].to_numpy(dtype=object), "name": creators["name"].to_numpy(dtype=object)})
    frame["institutions"] = institutions.reindex(frame[_ID]).fillna(0).to_numpy(dtype=np.int64)
    frame = frame[frame["institutions"] >= min_institutions]
    topics = _topics(nodes)
    sub = rels[model.SUBTOPIC_OF.type]
    roots = ~topics.isin(sub.loc[sub[_DST].isin(topics), _SRC])
    to_root = _paths(nodes, rels, topics)[:, np.flatnonzero(roots)]
    pub = _publishes(rels, topics)
    rows = pd.Index(frame[_ID]).get_indexer(pub[_SRC])
    keep = rows >= 0
    cover = sparse.csr_matrix((np.ones(int(keep.sum())), (rows[keep], pub["_topic"].to_numpy()[keep])),
                              shape=(len(frame), len(topics)))
    frame["fields"] = np.diff((cover @ to_root).tocsr().indptr).astype(np.int64)  # nonzero roots per creator
    frame["bridging"] = frame["institutions"] * frame["fields"]
    frame = frame.sort_values(["bridging", _ID], ascending=[False, True], kind="stable").head(limit)
    return _rows(frame)


def _neighbourhood(label: str) -> Callable[..., pd.DataFrame]:
    def neighbourhood(nodes: Frames, rels: Frames, *, id: str) -> pd.DataFrame:  # noqa: A002 - the declared name
        found: dict[tuple[str, str], list[np.ndarray]] = {}
        for rel in model.REL_KINDS:
            frame = rels[rel.type]
            for here, there, end, kind in ((_SRC, _DST, rel.source, rel.target), (_DST, _SRC, rel.target, rel.source)):
                if end == label:
                    ids = frame[there].take(_rows_at(frame, here, id)).to_numpy(dtype=object)
                    found.setdefault((rel.type, kind), []).append(ids)
        rows = []
        for (relationship, kind), parts in sorted(found.items()):
            ids = sorted(np.concatenate(parts).tolist())
            if ids:
                rows.append((relationship, kind, len(ids), [] if kind == model.VIEWER.label else ids[:_EXAMPLES]))
        return _rows(pd.DataFrame(rows, columns=["relationship", "kind", "neighbours", "examples"]))

    neighbourhood.__name__ = neighbourhood.__qualname__ = f"neighbourhood_{label.lower()}"
    neighbourhood.__doc__ = f"``neighbourhood_{label.lower()}.cypher``: a {label}'s neighbours by type and kind."
    return neighbourhood


def segment_coverage(nodes: Frames, rels: Frames, *, segment: str) -> pd.DataFrame:
    """``segment_coverage.cypher``: distinct viewers and views per primary topic and segment value."""
    eng, creators, viewers = rels[model.ENGAGES_WITH.type], nodes[model.CREATOR.label], nodes[model.VIEWER.label]
    topic_code, topic_values = pd.factorize(creators[model.PRIMARY_TOPIC])  # -1: no primary topic
    segment_code, segment_values = pd.factorize(viewers[segment], use_na_sentinel=False)
    viewer = _positions(pd.Index(viewers[_ID]), eng[_SRC])
    topic = topic_code[_positions(pd.Index(creators[_ID]), eng[_DST])]
    keep = topic >= 0
    viewer, topic, views = viewer[keep], topic[keep], eng["views"].to_numpy(dtype=np.int64)[keep]
    n_segments = len(segment_values)
    group = topic * n_segments + segment_code[viewer]
    distinct = np.unique(topic * len(viewers) + viewer)  # (topic, viewer) pairs; a viewer has one segment
    counted = np.bincount((distinct // len(viewers)) * n_segments + segment_code[distinct % len(viewers)],
                          minlength=len(topic_values) * n_segments)
    summed = np.bincount(group, weights=views, minlength=len(topic_values) * n_segments)
    cells = np.flatnonzero(counted)
    grouped = pd.DataFrame({"topic": np.asarray(topic_values, dtype=object)[cells // n_segments],
                            "segment": np.asarray(segment_values, dtype=object)[cells % n_segments],
                            "viewers": counted[cells].astype(np.int64),
                            "views": np.rint(summed[cells]).astype(np.int64)})
    names = nodes[model.TOPIC.label].set_index(_ID)["name"]
    grouped = grouped[grouped["topic"].isin(names.index)]
    grouped.insert(1, "name", names.reindex(grouped["topic"]).to_numpy(dtype=object))
    grouped = grouped.sort_values(["topic", "segment"], kind="stable")
    return _rows(grouped[["topic", "name", "segment", "viewers", "views"]])


#: Every named query's embedded implementation, by name.
QUERIES: dict[str, Callable[..., pd.DataFrame]] = {
    "bridging_creators": bridging_creators,
    "institution_reach": institution_reach,
    "neighbourhood_creator": _neighbourhood(model.CREATOR.label),
    "neighbourhood_institution": _neighbourhood(model.INSTITUTION.label),
    "neighbourhood_topic": _neighbourhood(model.TOPIC.label),
    "segment_coverage": segment_coverage,
    "top_creators_by_score": top_creators_by_score,
    "top_creators_in_topic": top_creators_in_topic,
    "topic_co_coverage": topic_co_coverage,
}
