"""Fixed reference tables of the synthetic generator: topic taxonomy, regions, institutions.

The topic taxonomy follows the fields named in the 2024 report on short-video platforms and
knowledge dissemination (science popularisation, health, personal finance, history and
culture, law, agriculture, arts ...): ten top-level fields (level 0), each with four to six
subtopics (level 1).  Topic ids run through the table in reading order, each field followed
by its subtopics, so ``t001`` is a field, ``t002`` its first subtopic, and so on.

Examples
--------
>>> from loaders import taxonomy
>>> table = taxonomy.topic_table()
>>> table.ids[:3], table.names[:2]
(['t001', 't002', 't003'], ['Science popularisation', 'Physics'])
>>> len(taxonomy.FIELDS), sum(t.level for t in taxonomy.topics())
(10, 45)
"""

from __future__ import annotations

from dataclasses import dataclass

from graphkit import model

__all__ = [
    "Field",
    "Topic",
    "TopicTable",
    "FIELDS",
    "REGIONS",
    "REGION_WEIGHTS",
    "INSTITUTION_CATEGORY_WEIGHTS",
    "INSTITUTION_CATEGORY_WORDS",
    "FLAGSHIP_INSTITUTION",
    "topics",
    "topic_table",
]


@dataclass(frozen=True)
class Field:
    """A top-level field: its name, its share of creators and its subtopics."""

    name: str
    weight: float
    subtopics: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    """One row of the taxonomy: id, name, level and the id of its field (``""`` for a field)."""

    id: str
    name: str
    level: int
    field: int
    parent: str


@dataclass(frozen=True)
class TopicTable:
    """The taxonomy as parallel lists (what the generator indexes into)."""

    ids: list[str]
    names: list[str]
    levels: list[int]
    fields: list[int]
    parents: list[str]


#: The ten fields, their share of creators (sums to 1) and their subtopics.
FIELDS: tuple[Field, ...] = (
    Field(
        "Science popularisation",
        0.18,
        ("Physics", "Chemistry", "Biology", "Astronomy", "Earth science", "Mathematics"),
    ),
    Field(
        "Health",
        0.15,
        ("Nutrition", "Medicine", "Mental health", "Fitness", "Traditional Chinese medicine"),
    ),
    Field("Personal finance", 0.10, ("Investing", "Saving and budgeting", "Insurance", "Taxes")),
    Field(
        "History and culture",
        0.12,
        ("Chinese history", "World history", "Archaeology", "Literature", "Folk customs"),
    ),
    Field("Law", 0.07, ("Civil law", "Labour law", "Consumer rights", "Criminal law")),
    Field(
        "Agriculture",
        0.08,
        ("Crop farming", "Animal husbandry", "Rural e-commerce", "Agricultural technology"),
    ),
    Field("Arts", 0.07, ("Music", "Painting and calligraphy", "Film", "Traditional opera")),
    Field(
        "Technology",
        0.10,
        ("Artificial intelligence", "Electronics", "Aerospace", "Internet and software", "New energy"),
    ),
    Field("Education", 0.08, ("Exam preparation", "Language learning", "Parenting", "Vocational skills")),
    Field(
        "Environment",
        0.05,
        ("Climate change", "Ecology and wildlife", "Pollution control", "Sustainable living"),
    ),
)

#: Regions (provincial level) given to creators and institutions, with their weights.
REGIONS: tuple[str, ...] = (
    "Beijing", "Shanghai", "Guangdong", "Zhejiang", "Jiangsu", "Sichuan", "Shandong", "Henan",
    "Hubei", "Hunan", "Fujian", "Shaanxi", "Yunnan", "Guangxi", "Anhui", "Hebei", "Liaoning",
    "Chongqing", "Tianjin", "Heilongjiang", "Jilin", "Jiangxi", "Guizhou", "Gansu", "Xinjiang",
)  # fmt: skip
REGION_WEIGHTS: tuple[float, ...] = (
    8, 7, 9, 6, 6, 5, 5, 5, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1,
)  # fmt: skip

#: How common each institution category is (universities and research institutes most).
INSTITUTION_CATEGORY_WEIGHTS: dict[str, float] = {
    "university": 0.35,
    "research_institute": 0.30,
    "hospital": 0.12,
    "museum": 0.08,
    "media_outlet": 0.07,
    "government_body": 0.06,
    "other": 0.02,
}
#: The word that ends a generated institution name of each category.
INSTITUTION_CATEGORY_WORDS: dict[str, str] = {
    "university": "University",
    "research_institute": "Research Institute",
    "hospital": "Hospital",
    "museum": "Museum",
    "media_outlet": "Science Media",
    "government_body": "Science and Technology Association",
    "other": "Science Centre",
}
#: The first institution of every dataset: name, category, region, followers and field index
#: (the CAS Institute of Physics account, over 4 million followers in the report).
FLAGSHIP_INSTITUTION: tuple[str, str, str, int, int] = (
    "CAS Institute of Physics (中国科学院物理研究所)",
    "research_institute",
    "Beijing",
    4_120_000,
    0,
)

for _category in (*INSTITUTION_CATEGORY_WEIGHTS, *INSTITUTION_CATEGORY_WORDS, FLAGSHIP_INSTITUTION[1]):
    if _category not in model.INSTITUTION_CATEGORIES:  # pragma: no cover - guards against model drift
        raise ImportError(f"institution category {_category!r} is not in model.INSTITUTION_CATEGORIES")
if len(REGIONS) != len(REGION_WEIGHTS) or abs(sum(f.weight for f in FIELDS) - 1) > 1e-9:
    raise ImportError("taxonomy tables are inconsistent")  # pragma: no cover


def topics() -> list[Topic]:
    """Every topic of the taxonomy in id order, each field followed by its subtopics.

    Returns
    -------
    list of Topic
        Fields have ``level == 0`` and ``parent == ""``; subtopics have ``level == 1`` and the
        id of their field as ``parent``.

    Examples
    --------
    >>> [(t.id, t.level, t.parent) for t in topics()[:3]]
    [('t001', 0, ''), ('t002', 1, 't001'), ('t003', 1, 't001')]
    """
    rows: list[Topic] = []
    for f, field in enumerate(FIELDS):
        field_id = f"t{len(rows) + 1:03d}"
        rows.append(Topic(field_id, field.name, 0, f, ""))
        for name in field.subtopics:
            rows.append(Topic(f"t{len(rows) + 1:03d}", name, 1, f, field_id))
    return rows


def topic_table() -> TopicTable:
    """The taxonomy as parallel lists.

    Examples
    --------
    >>> t = topic_table()
    >>> t.levels[:3], t.fields[:3]
    ([0, 1, 1], [0, 0, 0])
    """
    rows = topics()
    return TopicTable(
        ids=[t.id for t in rows],
        names=[t.name for t in rows],
        levels=[t.level for t in rows],
        fields=[t.field for t in rows],
        parents=[t.parent for t in rows],
    )
