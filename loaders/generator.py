"""The calibrated synthetic dataset generator.

``scale`` counts creators; everything else follows from it (``docs/generator.md`` has the
formula and the measured counts): about ten viewers per creator, ``max(5, scale // 100)``
institutions, the fixed 55-topic taxonomy of :mod:`loaders.taxonomy`, and about
``110 * scale`` relationships in all.  The data plants what the report describes, so that
analyses measure it back: about 90% of creators active, about 70% of active creators
earning (a Bernoulli draw per creator; ``earning_link`` makes central creators likelier to
earn, without changing how many do), Zipf popularity with the top 1% of creators holding
about 40% of all follows, and topic-aligned communities (each creator and viewer has a home
subtopic that takes about 80% of its ties).

Everything is drawn from one ``numpy.random.default_rng(seed)`` with vectorised numpy, so
the same ``(scale, seed)`` gives the same frames and byte-identical CSV and JSONL files.
The earning link draws from a second generator, ``default_rng([seed, 1])``, and only when it
is on, so switching it off writes exactly what the generator wrote before it had one.

Examples
--------
>>> from graphkit import model
>>> from loaders.generator import generate_frames
>>> frames = generate_frames(10, seed=1)
>>> len(frames[model.CREATOR.file]), len(frames[model.VIEWER.file])
(10, 100)
>>> list(frames[model.FOLLOWS.file].columns) == list(model.FOLLOWS.columns)
True
"""

from __future__ import annotations

import importlib.metadata
import json
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa

from graphkit import model
from loaders import taxonomy
from loaders.write import FORMATS, write_frames

__all__ = ["GENERATED_RECORD", "GenerateSummary", "generate", "generate_frames", "FORMATS", "generated_record",
           "write_frames"]

#: The file :func:`generate` writes beside the data files to say it made them (a dot file,
#: so the loader passes over it as it does every hidden file; the data files stay
#: byte-identical for the same ``(scale, seed)``).  A user's own export has none.
GENERATED_RECORD = ".graphkit-generated.json"

_KINDS: tuple[model.NodeKind | model.RelKind, ...] = (*model.NODE_KINDS, *model.REL_KINDS)
_STR = pd.Series(["x"]).dtype  # the default string dtype of the installed pandas
_START, _END = np.datetime64("2016-01-01"), np.datetime64("2024-12-31")
_ACTIVE, _EARNING, _HOME = 0.90, 0.70, 0.80
_AGE = {"under_18": 0.08, "18_24": 0.18, "25_34": 0.25, "35_44": 0.20, "45_59": 0.18, "60_plus": 0.11}
_AGE_FOLLOW = (0.9, 1.1, 1.1, 1.0, 0.85, 0.7)  # older viewers follow fewer creators
_REGION_TYPE = {"urban": 0.55, "town": 0.20, "rural": 0.25}
_REGION_FOLLOW = (1.05, 1.0, 0.85)
_FOLLOWS_MEAN, _ENGAGES_MEAN = 2.3, 6.85  # per viewer, before the age and region factors (mean 0.965)
_STREAM_P = {"advertising": 0.8, "ecommerce": 0.3, "revenue_sharing": 0.5}
_ROLES = (("researcher", 0.45), ("staff", 0.35), ("official account", 0.10), ("student", 0.10))
_CAMPAIGN = {"none": 0.30, "public_welfare": 0.20, "rural_revitalisation": 0.12,
             "environmental_protection": 0.12, "science_support_plan": 0.26}  # fmt: skip
_CAMPAIGN_BOOST = {"Agriculture": "rural_revitalisation", "Environment": "environmental_protection",
                   "Science popularisation": "science_support_plan", "Health": "public_welfare"}  # fmt: skip
_NAME_WORDS = ["Explained", "Daily", "Lab", "Notes", "Talk", "Corner", "Academy", "Studio"]
#: PageRank's damping factor (``graphkit.pagerank``'s default), for the planted position.
_DAMPING = 0.85
#: Entries of the oversampled candidate arrays worked on at once (draws, de-duplication), so
#: their temporaries stay this small at any scale.  The values do not depend on it: numpy's
#: ``rng.random(a)`` then ``rng.random(b)`` draws what ``rng.random(a + b)`` does.
_CHUNK = 1 << 21
#: The earning link plants on the creators' rank on this analysis graph (model.ANALYSIS_GRAPHS).
_POSITION_GRAPH = "audience"
if set(model.ANALYSIS_GRAPHS[_POSITION_GRAPH].relationships) != {model.FOLLOWS.type, model.ENGAGES_WITH.type}:
    raise ImportError("the earning link's closed-form PageRank assumes an audience graph of FOLLOWS "
                      "and ENGAGES_WITH")  # pragma: no cover - guards against model drift
for _enum, _values in ((model.AGE_BANDS, _AGE), (model.REGION_TYPES, _REGION_TYPE),
                       (model.INCOME_STREAMS, _STREAM_P), (model.CAMPAIGNS, _CAMPAIGN)):  # fmt: skip
    if not set(_values) <= set(_enum):  # pragma: no cover - guards against model drift
        raise ImportError(f"generator values {sorted(set(_values) - set(_enum))} not in the model")


@dataclass(frozen=True)
class GenerateSummary:
    """What :func:`generate` wrote.

    Parameters
    ----------
    scale, seed : int
        The arguments (``scale`` = number of creators).
    format : str
        One of :data:`FORMATS`.
    out : pathlib.Path
        The dataset folder.
    nodes : dict of str to int
        Rows per node kind, keyed by label (``"Creator"`` ...).
    relationships : dict of str to int
        Rows per relationship kind, keyed by type (``"FOLLOWS"`` ...).
    total_relationships : int
        Sum of ``relationships``.
    """

    scale: int
    seed: int
    format: str
    out: Path
    nodes: dict[str, int]
    relationships: dict[str, int]
    total_relationships: int


class _Sampler:
    """Weighted draws of items, either among all items or within one group (vectorised)."""

    def __init__(self, group: np.ndarray, weight: np.ndarray, n_groups: int) -> None:
        self.order = np.argsort(group, kind="stable")
        self.cum = np.cumsum(weight[self.order], dtype=float)
        ends = np.concatenate(([0.0], self.cum))
        counts = np.cumsum(np.bincount(group, minlength=n_groups))
        self.lo, self.hi = ends[counts - np.bincount(group, minlength=n_groups)], ends[counts]
        self.total = ends[-1]

    def draw(self, rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
        """One item per entry of ``groups``: within that group, or anywhere where it is -1 or empty."""
        items = np.empty(len(groups), dtype=self.order.dtype)
        for start in range(0, len(groups), _CHUNK):
            items[start:start + _CHUNK] = self._draw(rng, groups[start:start + _CHUNK])
        return items

    def _draw(self, rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
        g = np.maximum(groups, 0)
        lo = np.where(groups >= 0, self.lo[g], 0.0)
        hi = np.where(groups >= 0, self.hi[g], self.total)
        empty = hi <= lo
        lo, hi = np.where(empty, 0.0, lo), np.where(empty, self.total, hi)
        pos = np.searchsorted(self.cum, lo + rng.random(len(groups)) * (hi - lo), side="right")
        return self.order[np.minimum(pos, len(self.cum) - 1)]


def _first_k(owner: np.ndarray, target: np.ndarray, k: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Drop repeated (owner, target) pairs, keep each owner's first ``k`` targets, sort by pair.

    ``owner`` is sorted (as :func:`_oversample` makes it) and every target is below ``n``, so
    the work goes a chunk of whole owners at a time, and the chunks' sorted keys follow on.
    """
    keys, start = [], 0
    while start < len(owner):
        stop = start + _CHUNK
        # end the chunk where an owner begins (or after the first owner, if it alone is longer)
        stop = len(owner) if stop >= len(owner) else int(np.searchsorted(owner, owner[stop]))
        if stop <= start:
            stop = int(np.searchsorted(owner, owner[start], side="right"))
        key = owner[start:stop].astype(np.int64) * n + target[start:stop]
        _, first = np.unique(key, return_index=True)
        first.sort()
        own = owner[start:stop][first]
        keys.append(np.sort(key[first[_rank(own) < k[own]]]))
        start = stop
    key = np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)
    index = _index_type(max(len(k), n))
    return (key // n).astype(index), (key % n).astype(index)


def _index_type(n: int) -> type[np.signedinteger]:
    """int32 for positions below ``n`` where it holds them (half of int64's memory), else int64."""
    return np.int32 if n < 2**31 else np.int64


def _rank(sorted_owner: np.ndarray) -> np.ndarray:
    """Position of each entry within its run of equal values (0 for the first of a run)."""
    i = np.arange(len(sorted_owner))
    starts = np.ones(len(i), dtype=bool)
    starts[1:] = sorted_owner[1:] != sorted_owner[:-1]
    return i - np.maximum.accumulate(np.where(starts, i, 0))


def _oversample(k: np.ndarray) -> np.ndarray:
    """Owner index of each candidate: ``3k + 4`` candidates per owner with ``k > 0``."""
    return np.repeat(np.arange(len(k), dtype=_index_type(len(k))), np.where(k > 0, 3 * k + 4, 0))


def _spare(k: np.ndarray) -> np.ndarray:
    """Whether each candidate of ``_oversample(k)`` comes after its owner's first ``2k + 2``."""
    k = k[k > 0]
    return np.repeat(np.tile([False, True], len(k)), np.stack((2 * k + 2, k + 2), axis=1).ravel())


def _ties(rng: np.random.Generator, k: np.ndarray, weight: np.ndarray, home: np.ndarray, v_home: np.ndarray,
          n_topics: int) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """``k[v]`` distinct creators for each viewer v, ~80% of the draws among its home subtopic's.

    The first ``2k + 2`` draws go home or anywhere by ``weight``; a viewer whose draws ran out
    of distinct creators (small scales) takes the spare ones uniformly.  The oversampled
    candidates are this function's locals, freed once the pairs are drawn.
    """
    owner, spare = _oversample(k), _spare(k)
    cand = np.empty(len(owner), dtype=np.int64)
    cand[spare] = _Sampler(home, (weight > 0) * 1.0, n_topics).draw(rng, np.full(spare.sum(), -1))
    mine = owner[~spare]
    groups = np.empty(len(mine), dtype=v_home.dtype)
    for start in range(0, len(mine), _CHUNK):
        part = mine[start:start + _CHUNK]
        groups[start:start + len(part)] = np.where(rng.random(len(part)) < _HOME, v_home[part], -1)
    del mine
    cand[~spare] = _Sampler(home, weight, n_topics).draw(rng, groups)
    del spare, groups
    return _first_k(owner, cand, k, len(home))


def _choice(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    """Indices into ``table``'s keys drawn by its weights."""
    p = np.array(list(table.values()))
    return rng.choice(len(p), size=n, p=p / p.sum())


def _take(values: pa.Array | Sequence[str], idx: np.ndarray, present: np.ndarray | None = None) -> pd.Series:
    """``values[idx]`` as a pandas string column (via Arrow: fast), missing where not ``present``."""
    taken = pa.array(values).take(pa.array(idx, mask=None if present is None else ~present))
    return pd.Series(pd.array(taken, dtype=_STR))


def _dates(days: np.ndarray, present: np.ndarray | None = None) -> pd.Series:
    """ISO dates ``days`` after 2016-01-01, missing where not ``present``."""
    epoch = int(_START.astype("datetime64[D]").astype(np.int64))
    mask = None if present is None else ~present
    dates = pa.array((days + epoch).astype(np.int32), type=pa.date32(), mask=mask)
    return pd.Series(pd.array(dates.cast(pa.string()), dtype=_STR))


class _Take:
    """``values[idx]`` as :func:`_take` gives it, made only for the rows asked for."""

    def __init__(self, values: pa.Array | Sequence[str], idx: np.ndarray, present: np.ndarray | None = None) -> None:
        self.values, self.idx, self.present = pa.array(values), idx, present

    def __len__(self) -> int:
        return len(self.idx)

    def cut(self, start: int, stop: int) -> pd.Series:
        return _take(self.values, self.idx[start:stop], None if self.present is None else self.present[start:stop])


class _Dates:
    """:func:`_dates` of ``days``, made only for the rows asked for."""

    def __init__(self, days: np.ndarray, present: np.ndarray | None = None) -> None:
        self.days, self.present = days, present

    def __len__(self) -> int:
        return len(self.days)

    def cut(self, start: int, stop: int) -> pd.Series:
        return _dates(self.days[start:stop], None if self.present is None else self.present[start:stop])


class _Lists:
    """An ``enum_list`` column: ``combos[code]`` per row, as a list of str."""

    def __init__(self, code: np.ndarray, combos: Sequence[Sequence[str]]) -> None:
        self.code, self.combos = code, combos

    def __len__(self) -> int:
        return len(self.code)

    def cut(self, start: int, stop: int) -> list[list[str]]:
        return [list(self.combos[c]) for c in self.code[start:stop]]


_Column: TypeAlias = np.ndarray | pa.Array | pd.Series | _Take | _Dates | _Lists


class _Plan:
    """A kind's columns, kept compact (numpy arrays, Arrow values and indices) until asked for.

    :meth:`rows` makes the frame of some rows, exactly the slice of the whole frame that
    :func:`generate_frames` returns, so :func:`loaders.write.write_frames` can write a kind a
    slice at a time (a :class:`loaders.write.SlicedFrame`) without every string at once.
    """

    def __init__(self, kind: model.NodeKind | model.RelKind, *columns: _Column) -> None:
        self.kind, self.columns = kind, columns

    def __len__(self) -> int:
        return len(self.columns[0])

    def rows(self, start: int, stop: int) -> pd.DataFrame:
        cut: list[object] = []
        for col in self.columns:
            if isinstance(col, (_Take, _Dates, _Lists)):
                cut.append(col.cut(start, stop))
            elif isinstance(col, pd.Series):
                cut.append(col.iloc[start:stop].reset_index(drop=True))
            elif isinstance(col, pa.Array):
                cut.append(col.slice(start, stop - start))
            else:
                cut.append(col[start:stop])
        return _frame(self.kind, *cut)


def _ids(prefix: str, n: int, width: int) -> pa.Array:
    """``prefix`` then 1..n zero-padded to ``width`` digits (wider numbers simply grow)."""
    return pa.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)])


def _zipf_exponent(n: int) -> float:
    """Exponent s of weights ``rank ** -s`` whose top 1% of ranks (at least one) hold a share.

    The share is 0.47 from 10,000 creators up and more below (0.58 at 1,000): a viewer follows
    a creator at most once, a cap that bites harder when there are fewer popular creators per
    subtopic, so this keeps the measured top-1% share of FOLLOWS near 40% at every scale.
    """
    share = 0.47 + 0.11 * min(max(4 - np.log10(n), 0.0), 2.0)
    ranks, top = np.arange(1, n + 1, dtype=float), max(1, n // 100)
    lo, hi = 0.3, 3.0
    for _ in range(40):
        s = (lo + hi) / 2
        w = ranks**-s
        lo, hi = (s, hi) if w[:top].sum() / w.sum() < share else (lo, s)
    return (lo + hi) / 2


def _audience_position(n: int, n_v: int, follows: tuple[np.ndarray, np.ndarray],
                       engages: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """Each creator's log PageRank on the audience graph, up to a constant, in closed form.

    The audience graph points from viewers to creators, so nothing points at a viewer and
    every viewer has the same rank r; creators point nowhere (dangling).  A creator's rank is
    then ``r * (1 + d * s)``, with ``d`` the damping and ``s`` the sum, over its in-edges, of
    the edge's tie weight divided by its viewer's total out-weight (the model's
    ``ANALYSIS_WEIGHTS``: parallel FOLLOWS and ENGAGES_WITH add).  So
    ``log(1 + d * s)`` is the log PageRank a user measures with
    ``graphkit.pagerank(store.analysis_graph("audience"))``, minus ``log r``.
    """
    ties = []
    for kind, (src, dst, *counts) in ((model.FOLLOWS, follows), (model.ENGAGES_WITH, engages)):
        tie = model.ANALYSIS_WEIGHTS[kind.type]
        ties.append((src, dst, np.log2(1.0 + counts[0]) if tie.property else np.ones(len(src))))
    src, dst, weight = (np.concatenate(parts) for parts in zip(*ties, strict=True))
    out_weight = np.bincount(src, weight, minlength=n_v)
    share = np.bincount(dst, weight / out_weight[src], minlength=n)
    return np.log1p(_DAMPING * share)


def _linked_earners(rng: np.random.Generator, position: np.ndarray, active: np.ndarray, earners: int,
                    link: float) -> np.ndarray:
    """The ``earners`` active creators whose ``link * z + logistic noise`` is largest.

    ``z`` is ``position`` standardised over the active creators (mean 0, SD 1).  Earning
    when a latent score passes a threshold, with standard logistic noise, is a logistic
    model: P(earn | z) = expit(link * z - t), with ``t`` set by keeping the count.
    """
    z = np.zeros(len(position))
    sd = position[active].std()
    if sd > 0:
        z[active] = (position[active] - position[active].mean()) / sd
    score = np.where(active, link * z + rng.logistic(size=len(position)), -np.inf)
    earning = np.zeros(len(position), dtype=bool)
    earning[np.argsort(-score, kind="stable")[:earners]] = True
    return earning


def _frame(kind: model.NodeKind | model.RelKind, *columns: object) -> pd.DataFrame:
    """A frame with exactly ``kind.columns``, given in the model's order."""
    return pd.DataFrame({c: pd.array(v, dtype=_STR) if isinstance(v, pa.Array) else v
                         for c, v in zip(kind.columns, columns, strict=True)})


def generate_frames(scale: int, seed: int = 0, *, earning_link: float = 0.0) -> dict[str, pd.DataFrame]:
    """Build every kind's frame in memory (the pure core of :func:`generate`).

    Parameters
    ----------
    scale : int
        Number of creators, at least 1.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same frames.
    earning_link : float
        The planted logistic slope of earning on a creator's network position, per standard
        deviation of its log PageRank on the audience graph (over active creators); 0 (the
        default) plants none.  The same creators-earning count as with no link is kept, so
        it changes who earns, not how many (``docs/generator.md``).

    Returns
    -------
    dict of str to pandas.DataFrame
        Keyed by each kind's ``file`` name in the model's kind order, columns exactly
        ``kind.columns``.  Ids, names, enums and ISO dates are string columns (a missing
        optional value is NA), counts are int64, ``enum_list`` cells are lists of str.

    Raises
    ------
    ValueError
        If ``scale`` is not an integer of at least 1, or ``earning_link`` is not a finite number.

    Examples
    --------
    >>> from graphkit import model
    >>> frames = generate_frames(100, seed=0)
    >>> topics = frames[model.TOPIC.file]
    >>> len(topics), int(topics[model.TOPIC.columns[-1]].sum())
    (55, 45)
    >>> linked = generate_frames(100, seed=0, earning_link=1.0)[model.CREATOR.file]
    >>> earns = lambda creators: int((creators["income_streams"].map(len) > 0).sum())
    >>> earns(linked) == earns(frames[model.CREATOR.file])   # who earns changes, not how many
    True
    """
    return {file: plan.rows(0, len(plan)) for file, plan in _plans(scale, seed, earning_link).items()}


def _plans(scale: int, seed: int, earning_link: float) -> dict[str, _Plan]:
    """Every kind's :class:`_Plan`, keyed as :func:`generate_frames` keys its frames (all the draws)."""
    if isinstance(scale, bool) or not isinstance(scale, (int, np.integer)) or scale < 1:
        raise ValueError(f"scale is the number of creators and must be an integer of at least 1, got {scale!r}")
    if isinstance(earning_link, bool) or not isinstance(earning_link, numbers.Real) or not np.isfinite(earning_link):
        raise ValueError(f"earning_link is a logistic slope and must be a finite number, got {earning_link!r}")
    rng, n = np.random.default_rng(seed), int(scale)
    tax = taxonomy.topic_table()
    n_topics, n_fields, t_ids = len(tax.ids), len(taxonomy.FIELDS), pa.array(tax.ids)
    t_field, t_level = np.array(tax.fields), np.array(tax.levels)
    field_row, sub = np.flatnonzero(t_level == 0), np.flatnonzero(t_level == 1)  # topic indices
    n_sub = np.array([len(f.subtopics) for f in taxonomy.FIELDS])
    field_p = [f.weight for f in taxonomy.FIELDS]
    field_of = {f.name: i for i, f in enumerate(taxonomy.FIELDS)}
    regions, region_p = taxonomy.REGIONS, np.array(taxonomy.REGION_WEIGHTS) / sum(taxonomy.REGION_WEIGHTS)
    days = int((_END - _START).astype(int))
    plans: dict[str, _Plan] = {}

    # Creators: Zipf popularity over a random ranking, a home field and subtopic each.
    rank = rng.permutation(n)
    pop = (rank + 1.0) ** -_zipf_exponent(n)
    rel_pop = pop / pop.max()
    active = (rng.random(n) < _ACTIVE) | (rank < max(1, n // 100))
    c_field = rng.choice(n_fields, size=n, p=field_p)
    c_off = (rng.random(n) * n_sub[c_field]).astype(int)
    home = field_row[c_field] + 1 + c_off
    earning = active & (rng.random(n) < _EARNING)
    bits = np.stack([rng.random(n) < p for p in _STREAM_P.values()], axis=1)
    bits[:, 0] |= ~bits.any(axis=1)  # an earning creator has at least one stream
    names = list(_STREAM_P)  # each subset of streams as a bit code, listed in the model's order
    combos = [sorted((s for i, s in enumerate(names) if c >> i & 1), key=model.INCOME_STREAMS.index)
              for c in range(2 ** len(names))]  # fmt: skip
    code = np.where(earning, bits @ (1 << np.arange(len(names))), 0)
    c_ids, c_joined = _ids("c", n, 6), rng.integers(0, days + 1, size=n)
    c_names = (_take(tax.names, home) + " " + _take(_NAME_WORDS, rng.integers(0, len(_NAME_WORDS), n))
               + " " + pd.Series(np.arange(1, n + 1)).astype(_STR))  # fmt: skip
    followers = np.round(6e6 * rel_pop**0.9 * rng.lognormal(0, 0.25, n)).astype(np.int64) + rng.geometric(1 / 300, n)
    c_region = _take(regions, rng.choice(len(regions), size=n, p=region_p), rng.random(n) < 0.97)
    creators = (c_ids, c_names, followers, _Dates(c_joined), c_region)
    plans[model.CREATOR.file] = _Plan(model.CREATOR, *creators, _Lists(code, combos))

    # Institutions: the flagship first, then categories by weight; hospitals work in health.
    n_inst = max(5, n // 100)
    name0, category0, region0, followers0, field0 = taxonomy.FLAGSHIP_INSTITUTION
    categories = list(taxonomy.INSTITUTION_CATEGORY_WEIGHTS)
    i_category = _choice(rng, taxonomy.INSTITUTION_CATEGORY_WEIGHTS, n_inst)
    i_category[0] = categories.index(category0)
    i_field = rng.choice(n_fields, size=n_inst, p=field_p)
    i_field[i_category == categories.index("hospital")] = field_of["Health"]
    i_field[0] = field0
    i_region = rng.integers(0, len(regions), n_inst)
    i_region[0] = regions.index(region0)
    raw_followers = followers0 * 0.6 / (rng.permutation(n_inst) + 1.0) * rng.lognormal(0, 0.5, n_inst)
    i_followers = np.round(np.minimum(raw_followers, 3.5e6)).astype(np.int64) + 500
    i_followers[0] = followers0
    words = [taxonomy.INSTITUTION_CATEGORY_WORDS[c] for c in categories]
    i_names = (_take(regions, i_region) + " " + _take(words, i_category) + " "
               + pd.Series(np.arange(1, n_inst + 1)).astype(_STR))  # fmt: skip
    i_names[0] = name0
    i_ids = _ids("i", n_inst, 4)
    plans[model.INSTITUTION.file] = _Plan(model.INSTITUTION, i_ids, i_names, _take(categories, i_category),
                                          i_followers, _take(regions, i_region))  # fmt: skip

    # Topics and the taxonomy edges.
    plans[model.TOPIC.file] = _Plan(model.TOPIC, t_ids, pa.array(tax.names), t_level.astype(np.int64))
    plans[model.SUBTOPIC_OF.file] = _Plan(model.SUBTOPIC_OF, _take(t_ids, sub), _take(t_ids, field_row[t_field[sub]]))

    # PUBLISHES_ON: the home subtopic holds at least 75% of an active creator's videos.
    act = np.flatnonzero(active)
    n_extra = rng.choice(3, size=len(act), p=[0.45, 0.35, 0.20])
    home_videos = 6 + np.floor(rng.lognormal(2.5, 0.9, len(act)) * (1 + 2 * rel_pop[act] ** 0.5)).astype(np.int64)
    e_owner = np.repeat(np.arange(len(act)), n_extra)
    e_c, e_f = act[e_owner], c_field[act[e_owner]]
    shift = 1 + (rng.random(len(e_owner)) * np.maximum(n_sub[e_f] - 1, 1)).astype(int)  # a sibling subtopic
    e_topic = np.where(rng.random(len(e_owner)) < 0.8, field_row[e_f] + 1 + (c_off[e_c] + shift) % n_sub[e_f],
                       sub[rng.integers(0, len(sub), len(e_owner))])  # fmt: skip
    e_videos = np.maximum(1, home_videos[e_owner] * rng.random(len(e_owner)) // (3 * n_extra[e_owner]))
    p_c, p_t = np.concatenate((act, e_c)), np.concatenate((home[act], e_topic))
    p_v = np.concatenate((home_videos, e_videos)).astype(np.int64)
    _, idx = np.unique(p_c.astype(np.int64) * n_topics + p_t, return_index=True)  # drop repeats, sort
    p_c, p_t, p_v = p_c[idx], p_t[idx], p_v[idx]
    per_video = np.round(300 * (pop[p_c] / np.median(pop)) ** 0.7 * rng.lognormal(0, 0.6, len(p_c)))
    plans[model.PUBLISHES_ON.file] = _Plan(model.PUBLISHES_ON, _Take(c_ids, p_c), _Take(t_ids, p_t), p_v,
                                           (p_v * per_video).astype(np.int64))  # fmt: skip

    # Viewers: segments, and a home subtopic drawn by the popularity of its creators.
    n_v = 10 * n
    age, region_type = _choice(rng, _AGE, n_v), _choice(rng, _REGION_TYPE, n_v)
    topics_by_field = _Sampler(t_field, np.bincount(home, weights=pop, minlength=n_topics), n_fields)
    v_home = topics_by_field.draw(rng, np.full(n_v, -1))
    older = np.isin(age, [list(_AGE).index(a) for a in ("45_59", "60_plus")])
    for mask, field in ((older, "Health"), (region_type == list(_REGION_TYPE).index("rural"), "Agriculture")):
        mask = mask & (rng.random(n_v) < 0.25)
        v_home[mask] = topics_by_field.draw(rng, np.full(mask.sum(), field_of[field]))
    v_ids = _ids("v", n_v, 8)
    plans[model.VIEWER.file] = _Plan(model.VIEWER, v_ids, _Take(list(_AGE), age),
                                     _Take(list(_REGION_TYPE), region_type))  # fmt: skip

    # INTERESTED_IN: the home subtopic first, then its field, a sibling or any subtopic.
    k = 1 + rng.binomial(2, 0.5, n_v)
    owner = _oversample(k)
    u, f = rng.random(len(owner)), t_field[v_home[owner]]
    sibling = field_row[f] + 1 + (rng.random(len(owner)) * n_sub[f]).astype(int)
    anywhere = topics_by_field.draw(rng, np.full(len(owner), -1))
    cand = np.where(u < 0.4, field_row[f], np.where(u < 0.8, sibling, anywhere))
    cand[np.searchsorted(owner, np.arange(n_v))] = v_home
    src, dst = _first_k(owner, cand, k, n_topics)
    del owner, u, f, sibling, anywhere, cand  # the oversampled candidates: the largest arrays so far
    plans[model.INTERESTED_IN.file] = _Plan(model.INTERESTED_IN, _Take(v_ids, src), _Take(t_ids, dst))

    # FOLLOWS and ENGAGES_WITH: ~80% to creators of the home subtopic, ~20% anywhere.
    factor = np.array(_AGE_FOLLOW)[age] * np.array(_REGION_FOLLOW)[region_type]
    edges = {}
    for rel, weight, k in (
        (model.FOLLOWS, pop, rng.poisson(_FOLLOWS_MEAN * factor)),
        (model.ENGAGES_WITH, pop**0.6 * active, 1 + rng.poisson((_ENGAGES_MEAN - 1) * factor)),
    ):
        edges[rel.file] = _ties(rng, k, weight, home, v_home, n_topics)
    src, dst = edges[model.FOLLOWS.file]
    since = c_joined[dst] + (rng.random(len(src)) * (days - c_joined[dst])).astype(np.int64)
    plans[model.FOLLOWS.file] = _Plan(model.FOLLOWS, _Take(v_ids, src), _Take(c_ids, dst),
                                      _Dates(since, rng.random(len(src)) < 0.9))  # fmt: skip
    src, dst = edges[model.ENGAGES_WITH.file]
    m = len(src)
    views = 1 + np.floor(rng.lognormal(1.0, 1.0, m)).astype(np.int64)
    likes = rng.binomial(views, rng.beta(2, 8, m))
    watch = np.round(views * rng.lognormal(np.log(30), 0.5, m), 1)
    plans[model.ENGAGES_WITH.file] = _Plan(model.ENGAGES_WITH, _Take(v_ids, src), _Take(c_ids, dst), views, likes,
                                           rng.binomial(views, 0.02), rng.binomial(views, 0.04), watch)  # fmt: skip
    if earning_link:
        # Who earns now follows the audience rank; the streams and the count stay the main draw's.
        position = _audience_position(n, n_v, edges[model.FOLLOWS.file], (src, dst, views))
        earning = _linked_earners(np.random.default_rng([seed, 1]), position, active, int(earning.sum()),
                                  float(earning_link))
        code = np.where(earning, bits @ (1 << np.arange(len(names))), 0)
        plans[model.CREATOR.file] = _Plan(model.CREATOR, *creators, _Lists(code, combos))

    # AFFILIATED_WITH: ~12% of creators, mostly with an institution of their field.
    aff = np.flatnonzero(rng.random(n) < 0.12)
    groups = np.where(rng.random(len(aff)) < 0.75, c_field[aff], -1)
    inst = _Sampler(i_field, np.sqrt(i_followers), n_fields).draw(rng, groups)
    roles = rng.choice(len(_ROLES), size=len(aff), p=[p for _, p in _ROLES])
    plans[model.AFFILIATED_WITH.file] = _Plan(model.AFFILIATED_WITH, _Take(c_ids, aff), _Take(i_ids, inst),
                                              _Take([r for r, _ in _ROLES], roles))  # fmt: skip

    # PARTNERS_WITH: each institution partners with a few creators, mostly of its field.
    creators_by_field = _Sampler(c_field, np.sqrt(pop) * active, n_fields)
    k = 1 + rng.poisson(2.5, n_inst)
    owner = _oversample(k)
    cand = creators_by_field.draw(rng, np.where(rng.random(len(owner)) < 0.7, i_field[owner], -1))
    src, dst = _first_k(owner, cand, k, n)
    weights = np.tile(np.array(list(_CAMPAIGN.values())), (n_fields, 1))
    for name, campaign in _CAMPAIGN_BOOST.items():
        weights[field_of[name], list(_CAMPAIGN).index(campaign)] *= 3
    cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    pick = np.minimum((rng.random(len(src))[:, None] > cum[c_field[dst]]).sum(axis=1), len(_CAMPAIGN) - 1)
    plans[model.PARTNERS_WITH.file] = _Plan(model.PARTNERS_WITH, _Take(i_ids, src), _Take(c_ids, dst),
                                            _Take(list(_CAMPAIGN), pick))  # fmt: skip

    # COLLABORATES_WITH: unordered pairs (source < target), mostly within a field.
    m = round(0.1 * n)
    a = creators_by_field.draw(rng, np.full(m, -1))
    b = creators_by_field.draw(rng, np.where(rng.random(m) < 0.8, c_field[a], -1))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pair = np.unique((lo.astype(np.int64) * n + hi)[lo != hi])
    plans[model.COLLABORATES_WITH.file] = _Plan(model.COLLABORATES_WITH, _Take(c_ids, pair // n),
                                                _Take(c_ids, pair % n), rng.geometric(0.5, len(pair)))  # fmt: skip
    return {kind.file: plans[kind.file] for kind in _KINDS}


def generate(scale: int, seed: int = 0, out: str | Path = "out", *, format: str = "csv",
             progress: Callable[[str], None] | None = None, earning_link: float = 0.0) -> GenerateSummary:  # fmt: skip
    """Generate a calibrated synthetic dataset and write it as one file per kind.

    The kinds are kept as compact column plans and written a slice of rows at a time, so
    large scales need no whole frames in memory (``docs/generator.md``, "Memory and large
    scales"); the files are those :func:`write_frames` writes for :func:`generate_frames`.

    Parameters
    ----------
    scale : int
        Number of creators (at least 1); ``10_000`` gives about 1.1 million relationships.
    seed : int
        Seed of the random generator; the same ``(scale, seed)`` writes the same bytes
        (Parquet: the same content).
    out : str or pathlib.Path
        Dataset folder, created if missing.
    format : {"csv", "jsonl", "parquet"}
        File format.
    progress : callable, optional
        Called with a one-line message after each step.
    earning_link : float
        The planted logistic slope of earning on network position (see
        :func:`generate_frames`); 0, the default, plants none and writes the same bytes as
        before the option existed.

    Returns
    -------
    GenerateSummary
        What was written and how many rows each kind has.

    Raises
    ------
    ValueError
        If ``scale`` is below 1, ``format`` is unknown or ``earning_link`` is not finite.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     summary = generate(10, seed=0, out=tmp)
    >>> summary.nodes["Creator"], summary.nodes["Viewer"], summary.nodes["Topic"]
    (10, 100, 55)
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    frames = _plans(scale, seed, earning_link)  # compact: the writer materialises a slice at a time
    if progress is not None:
        progress(f"generated scale {scale} with seed {seed}")
    write_frames(frames, out, format=format, progress=progress)
    record = {"generator": "graphkit generate", "graphkit_version": _version(), "scale": int(scale), "seed": seed,
              "format": format, "earning_link": float(earning_link),
              "planted": {"active_share": _ACTIVE, "earning_share_of_active": _EARNING, "home_topic_share": _HOME}}
    (Path(out) / GENERATED_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    rels = {kind.type: len(frames[kind.file]) for kind in model.REL_KINDS}
    return GenerateSummary(
        scale=int(scale),
        seed=seed,
        format=format,
        out=Path(out),
        nodes={kind.label: len(frames[kind.file]) for kind in model.NODE_KINDS},
        relationships=rels,
        total_relationships=sum(rels.values()),
    )


def _version() -> str:
    try:
        return importlib.metadata.version("graphkit")
    except importlib.metadata.PackageNotFoundError:  # a source checkout that was never installed
        return "unknown"


def generated_record(folder: str | Path) -> dict[str, object] | None:
    """What :func:`generate` recorded about the dataset in ``folder``, or ``None`` when it did not write it.

    Parameters
    ----------
    folder : str or pathlib.Path
        A dataset folder.

    Returns
    -------
    dict or None
        ``generator``, ``graphkit_version``, ``scale``, ``seed``, ``format``,
        ``earning_link`` and the ``planted`` shares; ``None`` without a record (or with one
        that is not a JSON object).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = generate(10, seed=4, out=tmp)
    ...     record = generated_record(tmp)
    >>> record["generator"], record["scale"], record["seed"]
    ('graphkit generate', 10, 4)
    """
    path = Path(folder) / GENERATED_RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
