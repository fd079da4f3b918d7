"""Argument checks, made before any work: what each parameter accepts, said in one place.

Every public analysis function starts with :func:`check_arguments`: the graph must be a
graph, each numeric parameter must lie in its :class:`Domain`.  A refusal is a
:class:`~graphkit.ArgumentError` naming the function, the parameter, what it accepts and
what it got.  Names the caller passes (columns, node kinds, relationship types, nodes) are
checked against what exists by :func:`check_known`, which lists the known ones.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from os import PathLike
from typing import Any

import networkx as nx

from graphkit.errors import ArgumentError
from graphkit.graph import Graph

__all__ = [
    "COUNT",
    "FRACTION",
    "NON_NEGATIVE",
    "OPEN_UNIT",
    "POSITIVE",
    "SEED",
    "SIZE",
    "Domain",
    "check_arguments",
    "check_choice",
    "check_graph",
    "check_known",
]


@dataclass(frozen=True)
class Domain:
    """The values a numeric parameter accepts: an interval, optionally of integers only.

    >>> str(OPEN_UNIT), str(COUNT), str(POSITIVE.or_none())
    ('a number in (0, 1)', 'an integer >= 1', 'a number > 0, or None')
    >>> OPEN_UNIT.accepts(0.85), OPEN_UNIT.accepts(1), COUNT.accepts(2.0), POSITIVE.accepts(float("nan"))
    (True, False, False, False)
    """

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    integer: bool = False
    optional: bool = False

    def or_none(self) -> Domain:
        """The same domain, with ``None`` accepted too."""
        return replace(self, optional=True)

    def accepts(self, value: Any) -> bool:
        if value is None:
            return self.optional
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return False
        if self.integer and not isinstance(value, numbers.Integral):
            return False
        value = float(value)
        if math.isnan(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def __str__(self) -> str:
        kind = "an integer" if self.integer else "a number"
        low, high = _number(self.low), _number(self.high)
        if math.isinf(self.high):
            text = f"{kind} {'>' if self.low_open else '>='} {low}"
        elif math.isinf(self.low):
            text = f"{kind} {'<' if self.high_open else '<='} {high}"
        else:
            text = f"{kind} in {'(' if self.low_open else '['}{low}, {high}{')' if self.high_open else ']'}"
        return text + (", or None" if self.optional else "")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


#: Damping factors and other probabilities that must be strictly between 0 and 1.
OPEN_UNIT = Domain(0, 1, low_open=True, high_open=True)
#: A share of a whole: above 0, at most 1.
FRACTION = Domain(0, 1, low_open=True)
#: Tolerances, resolutions, budgets: above 0 and finite.
POSITIVE = Domain(0, math.inf, low_open=True, high_open=True)
#: Thresholds: 0 or more, finite.
NON_NEGATIVE = Domain(0, math.inf, high_open=True)
#: Iteration limits, hops: a whole number, at least 1.
COUNT = Domain(1, math.inf, high_open=True, integer=True)
#: How many to keep or name: a whole number, 0 or more.
SIZE = Domain(0, math.inf, high_open=True, integer=True)
#: Random seeds: what every engine accepts (NumPy's legacy seeds stop at 2**32 - 1).
SEED = Domain(0, 2**32 - 1, integer=True)


def check_graph(function: str, graph: Any) -> None:
    r"""Refuse anything but a :class:`~graphkit.Graph` or a networkx graph, saying what to pass.

    >>> try:
    ...     check_graph("pagerank", "my-store")
    ... except ArgumentError as error:
    ...     print(*str(error).split("; "), sep="\n")
    pagerank: expected a graphkit.Graph or a networkx graph, got the str 'my-store'
    to analyse a saved store, open it with graphkit.EmbeddedStore.open(path) and project it (store.analysis_graph(name))
    """
    if isinstance(graph, (Graph, nx.Graph)):
        return
    got = f"the {type(graph).__name__} {graph!r}" if isinstance(graph, (str, PathLike)) else \
        f"a {type(graph).__module__}.{type(graph).__qualname__}"
    if isinstance(graph, (str, PathLike)):
        hint = ("to analyse a saved store, open it with graphkit.EmbeddedStore.open(path) and project it "
                "(store.analysis_graph(name))")
    elif callable(getattr(graph, "project", None)):
        hint = "project the store first: graph = store.analysis_graph(\"whole\")"
    else:
        hint = "convert it to networkx first (e.g. igraph's Graph.to_networkx())"
    raise ArgumentError(f"{function}: expected a graphkit.Graph or a networkx graph, got {got}; {hint}")


def check_arguments(function: str, graph: Any = None, /, **values: tuple[Any, Domain]) -> None:
    """Check ``graph`` (unless ``None``) and each ``name=(value, domain)``, in that order.

    >>> check_arguments("louvain", None, resolution=(-1, POSITIVE))
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: louvain: resolution must be a number > 0, got -1
    """
    if graph is not None:
        check_graph(function, graph)
    for name, (value, domain) in values.items():
        if not domain.accepts(value):
            raise ArgumentError(f"{function}: {name} must be {domain}, got {value!r}")


def check_choice(function: str, name: str, value: Any, choices: Collection[str]) -> None:
    """Refuse a ``value`` that is not one of ``choices``, listing them.

    >>> check_choice("core_number", "mode", "all", ("undirected", "in+out"))
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: core_number: mode must be one of 'undirected', 'in+out'; got 'all'
    """
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ArgumentError(f"{function}: {name} must be one of {listed}; got {value!r}")


def check_known(function: str, what: str, wanted: Iterable, known: Collection, *, where: str = "the graph has",
                limit: int = 20) -> None:
    """Refuse names in ``wanted`` that are not in ``known``, naming them and the known ones.

    >>> check_known("top_k", "column", ["pagerank"], ["kind", "id", "degree"], where="the frame has")
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: top_k: unknown column 'pagerank'; the frame has 'degree', 'id', 'kind'
    """
    known_set = set(known)
    missing = list(dict.fromkeys(w for w in wanted if w not in known_set))
    if not missing:
        return
    shown = sorted(map(str, known_set))
    listed = ", ".join(repr(k) for k in shown[:limit]) + (f" and {len(shown) - limit} more" if len(shown) > limit
                                                          else "")
    names = ", ".join(repr(m) for m in missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    plural = "s" if len(missing) > 1 else ""
    raise ArgumentError(f"{function}: unknown {what}{plural} {names}; {where} {listed or 'none'}")
