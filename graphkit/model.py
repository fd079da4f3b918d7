"""The data model: node kinds, relationship kinds and their properties, defined once.

Every other layer (loaders, stores, Cypher parameters, projections, reports) reads
labels, relationship types, file names and property names from here; nothing else
spells them.  The per-kind statements of ``cypher/`` are generated from it
(``scripts/gen-cypher``).  ``docs/data-model.md`` documents the same model for people
and a test checks that the two agree.

Besides the kinds, the model names two small vocabularies that code elsewhere must not
spell itself: the derived creator properties (:data:`VIDEOS`, :data:`VIEWS`,
:data:`ACTIVE`, :data:`PRIMARY_TOPIC`, :data:`HAS_INCOME`) and the columns of a result
frame, which name a node by its label (:data:`KIND`) and id (:data:`ID`), or by one key
``"<Label>:<id>"`` (:func:`node_key`).

Examples
--------
>>> from graphkit import model
>>> model.CREATOR.label, model.CREATOR.file
('Creator', 'creators')
>>> model.PUBLISHES_ON.source, model.PUBLISHES_ON.target
('Creator', 'Topic')
>>> [p.name for p in model.PUBLISHES_ON.properties]
['videos', 'views']
>>> model.NODE_COLUMNS, model.node_key("Creator", "c1")
(('kind', 'id'), 'Creator:c1')
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ID",
    "SOURCE_ID",
    "TARGET_ID",
    "KIND",
    "NODE_COLUMNS",
    "KEY_SEPARATOR",
    "VIDEOS",
    "VIEWS",
    "ACTIVE",
    "PRIMARY_TOPIC",
    "HAS_INCOME",
    "PROPERTY_TYPES",
    "Property",
    "NodeKind",
    "RelKind",
    "CREATOR",
    "INSTITUTION",
    "TOPIC",
    "VIEWER",
    "NODE_KINDS",
    "AFFILIATED_WITH",
    "PUBLISHES_ON",
    "FOLLOWS",
    "ENGAGES_WITH",
    "INTERESTED_IN",
    "SUBTOPIC_OF",
    "COLLABORATES_WITH",
    "PARTNERS_WITH",
    "REL_KINDS",
    "DERIVED_PROPERTIES",
    "ANALYSIS_PROPERTIES",
    "ANALYSIS_WEIGHTS",
    "ANALYSIS_GRAPHS",
    "AnalysisGraph",
    "TieWeight",
    "PARALLEL_RULE",
    "analysis_graph",
    "AGE_BANDS",
    "REGION_TYPES",
    "SEGMENTS",
    "INSTITUTION_CATEGORIES",
    "INSTITUTION_KINDS",
    "INCOME_STREAMS",
    "CAMPAIGNS",
    "LIST_SEPARATOR",
    "META_LABEL",
    "node_key",
    "node_kind",
    "rel_kind",
]

#: Column holding a node's identifier in every node file (unique within its kind), in
#: every node table a store returns and in every result frame.
ID = "id"
#: Columns holding a relationship's end identifiers in every relationship file.
SOURCE_ID = "source_id"
TARGET_ID = "target_id"
#: Column of a result frame (and of ``Graph.nodes_frame``) holding a node's label.
KIND = "kind"
#: The columns that name a node in a result frame, in this order: label, then id.
NODE_COLUMNS = (KIND, ID)
#: What joins label and id in a node's key ``"<Label>:<id>"`` (:func:`node_key`).
KEY_SEPARATOR = ":"
#: Label of the one bookkeeping node a Neo4j store keeps (the pseudonym key's fingerprint).
META_LABEL = "GraphkitMeta"
#: Separator of multi-valued properties in CSV cells.
LIST_SEPARATOR = ";"

#: Names of the derived creator properties (:data:`DERIVED_PROPERTIES`).  ``videos`` and
#: ``views`` sum the PUBLISHES_ON properties of the same names.
VIDEOS = "videos"
VIEWS = "views"
ACTIVE = "active"
PRIMARY_TOPIC = "primary_topic"
HAS_INCOME = "has_income"

#: The property types a file column may have.
PROPERTY_TYPES = ("string", "integer", "float", "boolean", "date", "enum", "enum_list")

AGE_BANDS = ("under_18", "18_24", "25_34", "35_44", "45_59", "60_plus", "unknown")
REGION_TYPES = ("urban", "town", "rural", "unknown")
INSTITUTION_CATEGORIES = (
    "research_institute",
    "university",
    "hospital",
    "museum",
    "media_outlet",
    "government_body",
    "other",
)
#: The viewer properties that define segments (reports group viewers by each, one at a time).
SEGMENTS = ("age_band", "region_type")
#: The former name of :data:`INSTITUTION_CATEGORIES` (the property was ``kind``).
INSTITUTION_KINDS = INSTITUTION_CATEGORIES
INCOME_STREAMS = ("advertising", "ecommerce", "revenue_sharing")
CAMPAIGNS = (
    "none",
    "public_welfare",
    "rural_revitalisation",
    "environmental_protection",
    "science_support_plan",
)


@dataclass(frozen=True)
class Property:
    """One property of a node or relationship kind.

    Parameters
    ----------
    name : str
        Column name in files and property key in stores.
    type : str
        One of :data:`PROPERTY_TYPES`.
    required : bool
        Whether every row must give a value.
    unit : str
        Unit of measure, or ``""`` when the value has none.
    values : tuple of str
        Allowed values of an ``enum`` or ``enum_list`` property.
    minimum : float or None
        Smallest allowed value of a numeric property.
    description : str
        One line for the documentation.
    aliases : tuple of str
        Former names of the column: a file that still uses one is read as ``name``, with a
        warning saying it was renamed.
    """

    name: str
    type: str
    required: bool = False
    unit: str = ""
    values: tuple[str, ...] = ()
    minimum: float | None = None
    description: str = ""
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.type not in PROPERTY_TYPES:
            raise ValueError(f"unknown property type {self.type!r}")


@dataclass(frozen=True)
class NodeKind:
    """A node label with its file name and properties (the ``id`` column is implied)."""

    label: str
    file: str
    properties: tuple[Property, ...]
    pseudonymised: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        clash = [p.name for p in self.properties if p.name in NODE_COLUMNS]
        if clash:
            raise ValueError(f"{self.label} property {clash[0]!r} would collide with the result-frame column")

    @property
    def columns(self) -> tuple[str, ...]:
        """All columns the model knows for this kind's file, ``id`` first."""
        return (ID,) + tuple(p.name for p in self.properties)


@dataclass(frozen=True)
class RelKind:
    """A relationship type, the labels of its ends, its file name and properties."""

    type: str
    file: str
    source: str
    target: str
    properties: tuple[Property, ...] = field(default_factory=tuple)
    description: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """All columns the model knows for this kind's file, the end columns first."""
        return (SOURCE_ID, TARGET_ID) + tuple(p.name for p in self.properties)


def _count(name: str, required: bool = False, unit: str = "count", description: str = "") -> Property:
    return Property(name, "integer", required=required, unit=unit, minimum=0, description=description)


CREATOR = NodeKind(
    "Creator",
    "creators",
    (
        Property("name", "string", required=True, description="display name of the account"),
        _count("followers", unit="accounts", description="platform-wide follower count"),
        Property("joined", "date", description="date the account joined the platform"),
        Property("region", "string", description="creator's region, free text"),
        Property(
            "income_streams",
            "enum_list",
            values=INCOME_STREAMS,
            description="streams the creator earned income from in the period; empty = no income",
        ),
    ),
    description="a knowledge influencer account",
)
INSTITUTION = NodeKind(
    "Institution",
    "institutions",
    (
        Property("name", "string", required=True, description="institution name"),
        Property("category", "enum", required=True, values=INSTITUTION_CATEGORIES, aliases=("kind",),
                 description="category of institution"),
        _count("followers", unit="accounts", description="platform-wide follower count of its account"),
        Property("region", "string", description="region, free text"),
    ),
    description="scientific institute, university, hospital, museum, media outlet or government body",
)
TOPIC = NodeKind(
    "Topic",
    "topics",
    (
        Property("name", "string", required=True, description="topic name, e.g. Physics"),
        _count("level", unit="", description="depth in the taxonomy; 0 for a top-level field"),
    ),
    description="a field or subfield of the topic taxonomy",
)
VIEWER = NodeKind(
    "Viewer",
    "viewers",
    (
        Property("age_band", "enum", required=True, values=AGE_BANDS, description="age band"),
        Property("region_type", "enum", required=True, values=REGION_TYPES, description="urban, town or rural"),
    ),
    pseudonymised=True,
    description="an audience member; the id is replaced by a keyed pseudonym at load",
)
if SEGMENTS != tuple(p.name for p in VIEWER.properties if p.type == "enum"):  # pragma: no cover - model drift
    raise ValueError("model.SEGMENTS must name the Viewer's enum properties")
NODE_KINDS: tuple[NodeKind, ...] = (CREATOR, INSTITUTION, TOPIC, VIEWER)

AFFILIATED_WITH = RelKind(
    "AFFILIATED_WITH",
    "affiliated_with",
    "Creator",
    "Institution",
    (Property("role", "string", description="e.g. official account, researcher, staff"),),
    description="creator is affiliated with an institution",
)
PUBLISHES_ON = RelKind(
    "PUBLISHES_ON",
    "publishes_on",
    "Creator",
    "Topic",
    (
        _count(VIDEOS, required=True, unit="videos", description="videos published on the topic in the period"),
        _count(VIEWS, required=True, unit="views", description="views of those videos"),
    ),
    description="creator publishes videos on a topic (videos folded into the edge)",
)
FOLLOWS = RelKind(
    "FOLLOWS",
    "follows",
    "Viewer",
    "Creator",
    (Property("since", "date", description="date the follow began"),),
    description="viewer follows creator",
)
ENGAGES_WITH = RelKind(
    "ENGAGES_WITH",
    "engages_with",
    "Viewer",
    "Creator",
    (
        _count("views", required=True, unit="views", description="videos of the creator the viewer watched"),
        _count("likes", unit="likes"),
        _count("shares", unit="shares"),
        _count("comments", unit="comments"),
        Property("watch_seconds", "float", unit="seconds", minimum=0, description="total watch time"),
    ),
    description="viewer engaged with a creator's videos in the period",
)
INTERESTED_IN = RelKind(
    "INTERESTED_IN",
    "interested_in",
    "Viewer",
    "Topic",
    description="viewer declared or was inferred to be interested in a topic",
)
SUBTOPIC_OF = RelKind("SUBTOPIC_OF", "subtopic_of", "Topic", "Topic", description="topic is a subtopic of topic")
COLLABORATES_WITH = RelKind(
    "COLLABORATES_WITH",
    "collaborates_with",
    "Creator",
    "Creator",
    (_count("videos", unit="videos", description="joint videos"),),
    description="creators made videos together",
)
PARTNERS_WITH = RelKind(
    "PARTNERS_WITH",
    "partners_with",
    "Institution",
    "Creator",
    (Property("campaign", "enum", values=CAMPAIGNS, description="campaign the partnership serves"),),
    description="institution partners with a creator (co-creation)",
)
REL_KINDS: tuple[RelKind, ...] = (
    AFFILIATED_WITH,
    PUBLISHES_ON,
    FOLLOWS,
    ENGAGES_WITH,
    INTERESTED_IN,
    SUBTOPIC_OF,
    COLLABORATES_WITH,
    PARTNERS_WITH,
)

#: Creator properties computed from the loaded data after every load (never read from files).
DERIVED_PROPERTIES: tuple[Property, ...] = (
    _count(VIDEOS, unit="videos", description="sum of PUBLISHES_ON.videos"),
    _count(VIEWS, unit="views", description="sum of PUBLISHES_ON.views"),
    Property(ACTIVE, "boolean", description="at least one video in the period (videos >= 1)"),
    Property(
        PRIMARY_TOPIC,
        "string",
        description="id of the topic with most of the creator's videos; ties go to the smallest id",
    ),
    Property(HAS_INCOME, "boolean", description="income_streams is not empty"),
)

#: Node properties that analysis writes back to a store.
ANALYSIS_PROPERTIES: tuple[Property, ...] = (
    _count("component", unit="", description="index of the (weak) component, 0 = largest"),
    _count("community", unit="", description="Louvain community, 0 = largest"),
    Property("pagerank", "float", minimum=0, description="PageRank score"),
    Property("degree", "float", minimum=0, description="(weighted) degree"),
    Property("betweenness", "float", minimum=0, description="betweenness centrality"),
    _count("core_number", unit="", description="k-core number"),
    Property("broker_score", "float", minimum=0, description="betweenness on institution-viewer paths"),
    Property("harmonic", "float", minimum=0, description="harmonic centrality"),
    Property("eigenvector", "float", description="eigenvector centrality"),
    Property("hub", "float", minimum=0, description="HITS hub score"),
    Property("authority", "float", minimum=0, description="HITS authority score"),
)


@dataclass(frozen=True)
class TieWeight:
    """How strongly one relationship ties its two ends, on the common scale of every analysis graph.

    One unit of anything (a follow, a view, a video, an affiliation) weighs 1; more activity
    adds with diminishing returns (``log2(1 + count)``: doubling a count adds 1), so a viewer
    who binged 300 videos of one creator does not outweigh 30 viewers who watched one each
    tenfold.  The weight has no unit: it is a tie strength.

    Parameters
    ----------
    property : str or None
        The relationship property read (a count); ``None``: every relationship weighs 1.
    formula : str
        The rule as people read it, e.g. ``"log2(1 + views)"`` (it goes into provenance and
        the report).
    """

    property: str | None
    formula: str

    def __post_init__(self) -> None:
        if (self.property is None) != (self.formula == "1"):
            raise ValueError(f"a tie weight reads a property with log2(1 + count) or weighs 1: {self}")


#: The weight of each relationship type in every analysis graph (:data:`ANALYSIS_GRAPHS`).  A
#: count property left empty counts as 1 (one joint video).  Parallel relationships of
#: different types between the same two nodes (a viewer who follows a creator and watched 5
#: of its videos) become one edge whose weight is the sum of their tie weights
#: (1 + log2(6) = 3.58), never a sum of raw counts in different units.
ANALYSIS_WEIGHTS: dict[str, TieWeight] = {
    AFFILIATED_WITH.type: TieWeight(None, "1"),
    PUBLISHES_ON.type: TieWeight(VIDEOS, "log2(1 + videos)"),
    FOLLOWS.type: TieWeight(None, "1"),
    ENGAGES_WITH.type: TieWeight("views", "log2(1 + views)"),
    INTERESTED_IN.type: TieWeight(None, "1"),
    SUBTOPIC_OF.type: TieWeight(None, "1"),
    COLLABORATES_WITH.type: TieWeight("videos", "log2(1 + videos)"),
    PARTNERS_WITH.type: TieWeight(None, "1"),
}
#: How parallel relationships of different types combine into one edge (said in provenance).
PARALLEL_RULE = "parallel relationships of different types: their tie weights are summed"


@dataclass(frozen=True)
class AnalysisGraph:
    """A named graph for analysis: the kinds and types it takes, its direction, the question it answers.

    Every analysis graph weighs its relationships by :data:`ANALYSIS_WEIGHTS`; a store
    projects one with ``store.analysis_graph(name)``.

    Parameters
    ----------
    name : str
        How a user asks for it (``graphkit analyze --graph NAME``).
    question : str
        What it answers, in one line (docs, report).
    nodes : tuple of str
        Node labels it takes.
    relationships : tuple of str
        Relationship types it takes (both ends among ``nodes``).
    directed : bool
        Whether edges keep their direction (``source -> target`` as in the data model).
    """

    name: str
    question: str
    nodes: tuple[str, ...]
    relationships: tuple[str, ...]
    directed: bool = False

    def __post_init__(self) -> None:
        for rel in (r for r in REL_KINDS if r.type in self.relationships):
            if rel.source not in self.nodes or rel.target not in self.nodes:
                raise ValueError(f"{self.name}: {rel.type} joins {rel.source} to {rel.target}, not both taken")

    def weights(self) -> dict[str, str]:
        """The weight formula of each relationship type it takes."""
        return {t: ANALYSIS_WEIGHTS[t].formula for t in self.relationships}

    def describe(self) -> dict[str, object]:
        """The graph as plain values, for provenance, JSON and the report."""
        return {
            "name": self.name,
            "question": self.question,
            "nodes": list(self.nodes),
            "relationships": list(self.relationships),
            "directed": self.directed,
            "weights": self.weights(),
            "parallel": PARALLEL_RULE,
        }


def _graph(name: str, question: str, rels: tuple[RelKind, ...], directed: bool = False) -> AnalysisGraph:
    labels = {end for r in rels for end in (r.source, r.target)}
    nodes = tuple(k.label for k in NODE_KINDS if k.label in labels)
    return AnalysisGraph(name, question, nodes, tuple(r.type for r in rels), directed)


#: The analysis graphs a user can choose, by name (:class:`AnalysisGraph`).
ANALYSIS_GRAPHS: dict[str, AnalysisGraph] = {
    g.name: g
    for g in (
        _graph("whole", "the whole network: communities and who is central across every kind",
               REL_KINDS),
        _graph("audience", "who holds the audience's attention: viewers' follows and engagement with creators "
               "(directed viewer -> creator)", (FOLLOWS, ENGAGES_WITH), directed=True),
        _graph("knowledge", "how knowledge is organised: creators and institutions by the topics they work on",
               (PUBLISHES_ON, SUBTOPIC_OF, AFFILIATED_WITH, PARTNERS_WITH)),
        _graph("collaboration", "co-creation: creators who make videos together and institutions' ties to creators",
               (COLLABORATES_WITH, AFFILIATED_WITH, PARTNERS_WITH)),
        _graph("reach", "how knowledge passes from institutions to the public: institution -> creator -> viewer "
               "hops (paths ignore weights)",
               (AFFILIATED_WITH, PARTNERS_WITH, COLLABORATES_WITH, FOLLOWS, ENGAGES_WITH)),
    )
}


def analysis_graph(name: str) -> AnalysisGraph:
    """The analysis graph called ``name`` (case-insensitive).

    >>> analysis_graph("audience").relationships
    ('FOLLOWS', 'ENGAGES_WITH')
    >>> analysis_graph("audience").weights()["ENGAGES_WITH"]
    'log2(1 + views)'
    """
    found = ANALYSIS_GRAPHS.get(str(name).lower())
    if found is None:
        raise KeyError(f"unknown analysis graph {name!r}; known: {', '.join(ANALYSIS_GRAPHS)}")
    return found


def node_key(label: str, node_id: object) -> str:
    """The key that names a node across kinds: ``"<Label>:<id>"`` (networkx view, exports).

    >>> node_key("Creator", "c1")
    'Creator:c1'
    """
    return f"{label}{KEY_SEPARATOR}{node_id}"


def node_kind(label: str) -> NodeKind:
    """The node kind with this label (case-insensitive; the file name works too).

    >>> node_kind("viewer").label
    'Viewer'
    """
    for kind in NODE_KINDS:
        if label.lower() in (kind.label.lower(), kind.file):
            return kind
    known = ", ".join(k.label for k in NODE_KINDS)
    raise KeyError(f"unknown node kind {label!r}; known: {known}")


def rel_kind(name: str) -> RelKind:
    """The relationship kind with this type (case-insensitive; the file name works too).

    >>> rel_kind("follows").type
    'FOLLOWS'
    """
    for kind in REL_KINDS:
        if name.lower() in (kind.type.lower(), kind.file):
            return kind
    known = ", ".join(k.type for k in REL_KINDS)
    raise KeyError(f"unknown relationship kind {name!r}; known: {known}")
