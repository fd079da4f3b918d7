"""Comparing partitions (NMI, adjusted Rand) and Louvain's stability across seeds.

Users' first complaint about Louvain is that a seed does not reproduce; with graphkit it
does (fixed node order, fixed seed).  What remains is that *different* seeds give different
partitions: :func:`stability` measures how different, over an ensemble of seeds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from graphkit.analysis._checks import POSITIVE, SEED, Domain, check_arguments
from graphkit.analysis._dispatch import ENGINES, EngineName, choose_engine, make_result
from graphkit.analysis._input import GraphLike
from graphkit.analysis.communities import louvain
from graphkit.errors import ArgumentError
from graphkit.model import ID, KIND
from graphkit.results import Result

__all__ = ["adjusted_rand", "nmi", "stability"]


#: How many seeds :func:`stability` runs: at least two.
RUNS = Domain(2, math.inf, high_open=True, integer=True)


def _contingency(a: Sequence | np.ndarray,
                 b: Sequence | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    xa, xb = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if xa.shape != xb.shape or xa.ndim != 1:
        raise ArgumentError(f"partitions must be label sequences of one length, got shapes {xa.shape} and {xb.shape}")
    ca, ua = pd.factorize(xa)
    cb, ub = pd.factorize(xb)
    joint = np.bincount(ca * len(ub) + cb, minlength=len(ua) * len(ub)).reshape(len(ua), len(ub))
    return joint, joint.sum(axis=1), joint.sum(axis=0), len(xa)


def nmi(a: Sequence | np.ndarray, b: Sequence | np.ndarray) -> float:
    """Normalised mutual information of two partitions given as aligned label sequences.

    The arithmetic-mean normalisation of Danon et al. (2005), ``2 I(A; B) / (H(A) + H(B))``,
    as igraph's ``compare_communities(method="nmi")``; 1 when both are one community.

    Parameters
    ----------
    a, b : sequence or ndarray
        The two partitions: community labels of the same nodes, in the same order.

    Examples
    --------
    >>> nmi([0, 0, 1, 1], [5, 5, 7, 7]), nmi([0, 0, 1, 1], [0, 1, 0, 1])
    (1.0, 0.0)
    """
    joint, pa, pb, n = _contingency(a, b)
    if n == 0:
        return 1.0
    p = joint[joint > 0] / n
    ha = -np.sum((pa / n) * np.log(pa / n))
    hb = -np.sum((pb / n) * np.log(pb / n))
    if ha + hb == 0:
        return 1.0
    outer = np.outer(pa, pb)[joint > 0] / n**2
    mutual = np.sum(p * np.log(p / outer))
    return float(min(1.0, max(0.0, 2 * mutual / (ha + hb))))


def adjusted_rand(a: Sequence | np.ndarray, b: Sequence | np.ndarray) -> float:
    """Adjusted Rand index (Hubert and Arabie) of two partitions given as aligned label sequences.

    1 for identical partitions (also when the index's denominator vanishes), about 0 for
    independent ones.

    Parameters
    ----------
    a, b : sequence or ndarray
        The two partitions: community labels of the same nodes, in the same order.

    Examples
    --------
    >>> adjusted_rand([0, 0, 1, 1], [1, 1, 0, 0]), round(adjusted_rand([0, 0, 1, 1], [0, 1, 0, 1]), 3)
    (1.0, -0.5)
    """
    joint, pa, pb, n = _contingency(a, b)

    def pairs(x: np.ndarray) -> float:
        x = x.astype(np.float64)
        return float(np.sum(x * (x - 1) / 2))

    index, sa, sb = pairs(joint.ravel()), pairs(pa), pairs(pb)
    total = n * (n - 1) / 2
    expected = sa * sb / total if total else 0.0
    top = (sa + sb) / 2
    if top == expected:
        return 1.0
    return float((index - expected) / (top - expected))


def stability(
    graph: GraphLike,
    *,
    seeds: int | Iterable[int] = 10,
    weight: str | None = "weight",
    resolution: float = 1.0,
    engine: EngineName = "auto",
) -> Result:
    """Louvain over an ensemble of seeds, compared pairwise.

    Parameters
    ----------
    graph : Graph or networkx graph
    seeds : int or iterable of int
        The seeds (an int ``k`` means ``range(k)``): at least two, distinct, each an integer
        in [0, 2**32 - 1].
    weight, resolution, engine
        As for :func:`~graphkit.analysis.louvain` (``resolution`` above 0).

    Returns
    -------
    Result
        ``frame``: ``seed_a``, ``seed_b``, ``nmi``, ``ari``, one row per pair of seeds, in
        seed order.  ``summary``: ``runs``, ``nmi_mean``, ``nmi_min``, ``ari_mean``,
        ``ari_min``, ``modularity_mean``, ``modularity_min``, ``modularity_max``,
        ``communities_min``, ``communities_max``.

    Raises
    ------
    ArgumentError
        Not a graph, fewer than two seeds, repeated or bad seeds, or a bad ``resolution`` or
        ``engine``.

    Examples
    --------
    >>> import networkx as nx
    >>> r = stability(nx.karate_club_graph(), seeds=3, weight=None)
    >>> r.summary["runs"], len(r.frame), 0 < r.summary["nmi_min"] <= 1
    (3, 3, True)
    """
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        check_arguments("stability", graph, seeds=(seeds, RUNS))
        seeds = list(range(int(seeds)))
    else:
        seeds = list(seeds) if isinstance(seeds, Iterable) and not isinstance(seeds, str) else [seeds]
        if len(seeds) < 2:
            raise ArgumentError(f"stability: needs at least two seeds, got {seeds}")
        if len(set(seeds)) < len(seeds):
            raise ArgumentError(f"stability: the seeds must be distinct, got {seeds}")
        for seed in seeds:
            check_arguments("stability", graph, seed=(seed, SEED))
        seeds = [int(seed) for seed in seeds]
    check_arguments("stability", graph, resolution=(resolution, POSITIVE))
    engine = choose_engine(graph, engine, "stability", ("louvain",))
    conversions: list[str] = []
    shared, weight = ENGINES[engine].shared(graph, weight, True, conversions)  # once, not per seed
    runs = {seed: louvain(shared, weight=weight, resolution=resolution, seed=seed, engine=engine) for seed in seeds}
    for r in runs.values():
        conversions.extend(r.provenance.conversions)
    first = next(iter(runs.values())).frame
    order = pd.MultiIndex.from_frame(first[[KIND, ID]])
    labels = {seed: _labels(r, order) for seed, r in runs.items()}
    rows = [(a, b, nmi(labels[a], labels[b]), adjusted_rand(labels[a], labels[b])) for a, b in combinations(seeds, 2)]
    frame = pd.DataFrame(rows, columns=["seed_a", "seed_b", "nmi", "ari"])
    q = np.array([r.summary["modularity"] for r in runs.values()])
    k = np.array([r.summary["communities"] for r in runs.values()])
    summary = {
        "runs": len(seeds),
        "nmi_mean": float(frame["nmi"].mean()), "nmi_min": float(frame["nmi"].min()),
        "ari_mean": float(frame["ari"].mean()), "ari_min": float(frame["ari"].min()),
        "modularity_mean": float(q.mean()), "modularity_min": float(q.min()), "modularity_max": float(q.max()),
        "communities_min": int(k.min()), "communities_max": int(k.max()),
    }
    params = {"seeds": seeds, "weight": weight, "resolution": resolution}
    library = next(iter(runs.values())).provenance.engine
    return make_result(frame, "stability", params, engine, conversions=conversions, summary=summary, library=library,
                       graph=graph)


def _labels(result: Result, order: pd.MultiIndex | None = None) -> np.ndarray:
    """Community labels in the (kind, id) order ``order`` (default: this result's own rows)."""
    frame = result.frame
    series = pd.Series(frame["community"].to_numpy(), index=pd.MultiIndex.from_frame(frame[[KIND, ID]]))
    return series.to_numpy() if order is None else series.reindex(order).to_numpy()
