"""The three questions of the domain, answered in one call: :func:`answers`.

A workflow above the stores: it reads the frames and analysis graphs it needs from a store
once, runs each question's measures (functions of :mod:`graphkit.analysis` that take frames
and graphs, never a store) and returns one :class:`Answers` object that the report and a
notebook read.  ``docs/analysis.md`` ("The three questions") says what each measure answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graphkit import _repr, model
from graphkit.analysis import (
    brokers,
    co_creation,
    concentration,
    core_number,
    earning,
    earning_by_position,
    fair_access,
    institution_fields,
    institution_reach,
    interest_match,
    interest_served,
    lorenz,
    louvain,
    pagerank,
    partnership_effect,
    resource_allocation,
)
from graphkit.analysis._checks import COUNT, SEED, check_arguments
from graphkit.errors import ArgumentError
from graphkit.results import Result
from graphkit.stores import Store

__all__ = ["QUESTIONS", "Answers", "answers"]

#: The three questions (../shared/DOMAIN.md), by the attribute of :class:`Answers` holding their measures.
QUESTIONS: dict[str, str] = {
    "connectivity": "Efficient connectivity: does knowledge get from institutions to the public, and to the "
                    "viewers interested in it; who carries it there?",
    "business": "Sustainable business models: what share of active creators earn income, from which streams, "
                "and how earning relates to a creator's position in the network",
    "allocation": "Rational allocation and fair access: is attention concentrated on few creators; do the "
                  "elderly, the young and rural viewers get fair access to each field; where do resources go?",
}

Say = Callable[[str], None]


@dataclass(frozen=True)
class Answers:
    """The measures of the three questions, each a :class:`~graphkit.Result`, by question.

    Parameters
    ----------
    connectivity : dict of str to Result
        Question 1: ``reach`` (:func:`~graphkit.institution_reach`), ``interest_match``,
        ``interest_served``, ``brokers``, ``co_creation``, ``partnership_effect``.
    business : dict of str to Result
        Question 2: ``earning`` (:func:`~graphkit.earning`), ``position``
        (:func:`~graphkit.earning_by_position`).
    allocation : dict of str to Result
        Question 3: ``concentration``, ``lorenz``, ``fair_access``, ``resource_allocation``.
    graphs : dict of str to dict
        The analysis graphs used (``AnalysisGraph.describe()``), by name.
    parameters : dict
        What :func:`answers` was called with (seed, hops, resamples).
    counts : dict of str to int
        The store's nodes per label and relationships per type.
    """

    connectivity: dict[str, Result] = field(default_factory=dict)
    business: dict[str, Result] = field(default_factory=dict)
    allocation: dict[str, Result] = field(default_factory=dict)
    graphs: dict[str, dict[str, Any]] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def results(self) -> dict[str, Result]:
        """Every measure, keyed ``"<question>.<measure>"`` (``"allocation.fair_access"``)."""
        return {f"{q}.{name}": r for q in QUESTIONS for name, r in getattr(self, q).items()}

    def __iter__(self) -> Iterator[tuple[str, Result]]:
        return iter(self.results().items())

    def __repr__(self) -> str:
        head, lines = self._describe()
        return "\n".join([head, *(f"  {key}: {text}" for key, text in lines.items())])

    def _repr_html_(self) -> str:
        head, lines = self._describe()
        return _repr.html_block(head, [], lines)

    def _describe(self) -> tuple[str, dict[str, str]]:
        """A title, and one bounded line per measure: its rows and the first entries of its summary."""
        counts = _repr.counts_text({k: v for k, v in self.counts.items() if k in {n.label for n in model.NODE_KINDS}})
        head = (f"Answers to the three questions ({len(self.results())} measures; data: {counts}; "
                f"graphs: {', '.join(self.graphs)}; {_repr.items_text(self.parameters)})")
        return head, {key: _repr.cut(f"{len(r.frame):,} rows; {_repr.items_text(r.summary)}", 160)
                      for key, r in self.results().items()}

    def summary(self) -> dict[str, dict[str, Any]]:
        """Each measure's summary, keyed as :meth:`results`."""
        return {key: dict(r.summary) for key, r in self.results().items()}

    def to_dict(self, rows: int | None = 20) -> dict[str, Any]:
        """JSON-ready form: questions, parameters, graphs, counts and each Result (``rows`` rows of each frame)."""
        return {
            "questions": dict(QUESTIONS),
            "parameters": dict(self.parameters),
            "graphs": dict(self.graphs),
            "counts": dict(self.counts),
            "results": {key: r.to_dict(rows) for key, r in self.results().items()},
        }


def answers(
    store: Store,
    *,
    seed: int = 0,
    max_hops: int = 4,
    resamples: int = 1000,
    progress: Say | None = None,
) -> Answers:
    """Answer the three questions on the data in ``store``.

    Reads each node and relationship frame once and projects the ``whole`` analysis graph
    once; the ``reach`` and ``audience`` graphs are cut from it
    (:meth:`~graphkit.Store.analysis_graphs`).  Communities are Louvain's on the ``whole``
    graph (seeded); position is PageRank and k-core on the ``audience`` graph.

    Parameters
    ----------
    store : Store
        The store to read (read only).
    seed : int
        Seed of Louvain and of every bootstrap.
    max_hops : int
        Reach is counted within 1 .. ``max_hops`` hops of the institutions (1 to 6).
    resamples : int
        Bootstrap resamples of every interval (at least 20; 1,000 by default).
    progress : callable, optional
        Called with a line per step.

    Returns
    -------
    Answers

    Raises
    ------
    ArgumentError
        A bad ``seed``, ``max_hops`` or ``resamples``.

    Examples
    --------
    >>> import tempfile, graphkit, loaders
    >>> folder = tempfile.mkdtemp()
    >>> _ = loaders.generate(100, seed=0, out=folder)
    >>> store = graphkit.EmbeddedStore()
    >>> _ = store.load(loaders.read_dataset(folder, pseudonymise=graphkit.Pseudonymiser(b"0123456789abcdef")))
    >>> a = answers(store, resamples=50)
    >>> sorted(a.business)
    ['earning', 'position']
    >>> a.connectivity["reach"].provenance.graph["name"]
    'reach'
    """
    check_arguments("answers", None, seed=(seed, SEED), max_hops=(max_hops, COUNT), resamples=(resamples, COUNT))
    if not 1 <= max_hops <= 6:
        raise ArgumentError(f"answers: max_hops must be between 1 and 6, got {max_hops}")
    if resamples < 20:
        raise ArgumentError(f"answers: resamples must be at least 20, got {resamples}")
    say = progress or (lambda message: None)
    say("reading the store's frames")
    nodes = {k.label: store.nodes(k.label) for k in model.NODE_KINDS}
    rels = {r.type: store.relationships(r.type) for r in model.REL_KINDS}
    creators, institutions, topics, viewers = (nodes[k.label] for k in model.NODE_KINDS)
    sub = rels[model.SUBTOPIC_OF.type]
    engages, follows = rels[model.ENGAGES_WITH.type], rels[model.FOLLOWS.type]
    partners, affiliated = rels[model.PARTNERS_WITH.type], rels[model.AFFILIATED_WITH.type]
    say("projecting the whole graph (reach and audience graphs cut from it)")
    graphs = store.analysis_graphs(["whole", "reach", "audience"])
    say("communities: Louvain on the whole graph")
    communities = louvain(graphs["whole"], seed=seed)

    say("question 1: reach, interest match, brokers, co-creation")
    fields = institution_fields(institutions, creators, affiliated, partners, topics, sub)
    connectivity = {
        "reach": institution_reach(graphs["reach"], institutions, viewers, fields=fields, max_hops=max_hops),
        "interest_match": interest_match(viewers, engages, creators, rels[model.INTERESTED_IN.type], topics, sub),
        "interest_served": interest_served(viewers, engages, creators, rels[model.INTERESTED_IN.type], topics, sub),
        "brokers": brokers(graphs["reach"], creators, topics, sub, communities=communities),
        "co_creation": co_creation(partners, affiliated, creators, institutions, topics, sub, engages),
        "partnership_effect": partnership_effect(partners, creators, topics, sub, engages, resamples=resamples,
                                                 seed=seed),
    }
    say("question 2: earning, and earning by position on the audience graph")
    audience_rank = pagerank(graphs["audience"])
    business = {
        "earning": earning(creators, affiliated, partners),
        "position": earning_by_position(creators, audience_rank, cores=core_number(graphs["audience"]),
                                        communities=communities, seed=seed, resamples=resamples),
    }
    say("question 3: concentration, fair access, resource allocation")
    allocation = {
        "concentration": concentration(creators, follows, engages, topics, sub, communities=communities),
        "lorenz": lorenz(creators, follows, engages, topics, sub, communities=communities),
        "fair_access": fair_access(viewers, engages, creators, topics, sub, seed=seed,
                                   resamples=resamples),
        "resource_allocation": resource_allocation(partners, creators, institutions, rels[model.INTERESTED_IN.type],
                                                   topics, sub, affiliated),
    }
    used = {name: g.spec.describe() for name, g in graphs.items() if g.spec is not None}
    parameters = {"seed": seed, "max_hops": max_hops, "resamples": resamples}
    return Answers(connectivity, business, allocation, used, parameters, store.counts())

