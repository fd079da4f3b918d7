"""The calibrated generator: determinism, the file format, integrity and the planted figures."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import community
import networkx as nx
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from graphkit import model
from loaders import taxonomy
from loaders.dataset import read_dataset
from loaders.generator import FORMATS, GENERATED_RECORD, GenerateSummary, generate, generate_frames

KINDS = (*model.NODE_KINDS, *model.REL_KINDS)
#: The documented formula (docs/generator.md): relationships per creator.
RELS_PER_CREATOR = 110
PREFIX = {model.CREATOR.label: "c", model.INSTITUTION.label: "i", model.TOPIC.label: "t", model.VIEWER.label: "v"}


def prop(kind: model.NodeKind | model.RelKind, index: int) -> str:
    return kind.properties[index].name


def of_type(kind: model.NodeKind | model.RelKind, typ: str) -> list[model.Property]:
    return [p for p in kind.properties if p.type == typ]


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate_frames(1000, seed=0)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("datasets")
    return {fmt: generate(40, seed=3, out=root / fmt, format=fmt).out for fmt in FORMATS}


def nmi(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised mutual information (arithmetic mean of the entropies)."""
    a, b = pd.factorize(pd.Series(a))[0], pd.factorize(pd.Series(b))[0]
    joint = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(joint, (a, b), 1.0)
    joint /= len(a)
    pa, pb = joint.sum(axis=1), joint.sum(axis=0)
    nz = joint > 0
    mi = (joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz])).sum()
    entropy = -(pa * np.log(pa)).sum() - (pb * np.log(pb)).sum()
    return float(2 * mi / entropy)


def primary_topics(frames: dict[str, pd.DataFrame]) -> pd.Series:
    """Creator id -> topic with most of its videos (ties to the smallest id), active creators only."""
    pub = frames[model.PUBLISHES_ON.file]
    videos = prop(model.PUBLISHES_ON, 0)
    pub = pub[pub[videos] >= 1].sort_values([model.SOURCE_ID, videos, model.TARGET_ID], ascending=[True, False, True])
    return pub.drop_duplicates(model.SOURCE_ID).set_index(model.SOURCE_ID)[model.TARGET_ID]


# --- determinism --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_same_seed_writes_byte_identical_files(tmp_path: Path, written: dict[str, Path], fmt: str) -> None:
    again = generate(40, seed=3, out=tmp_path, format=fmt).out
    for kind in KINDS:
        name = f"{kind.file}.{fmt}"
        assert (again / name).read_bytes() == (written[fmt] / name).read_bytes(), name


def test_same_seed_writes_the_same_parquet_content(tmp_path: Path, written: dict[str, Path]) -> None:
    again = generate(40, seed=3, out=tmp_path, format="parquet").out
    for kind in KINDS:
        name = f"{kind.file}.parquet"
        assert pq.read_table(again / name).equals(pq.read_table(written["parquet"] / name)), name


def test_same_seed_gives_equal_frames() -> None:
    first, second = generate_frames(200, seed=7), generate_frames(200, seed=7)
    for file, frame in first.items():
        pd.testing.assert_frame_equal(frame, second[file])


def test_different_seeds_differ() -> None:
    first, second = generate_frames(200, seed=1), generate_frames(200, seed=2)
    for kind in (model.CREATOR, model.VIEWER, model.FOLLOWS, model.ENGAGES_WITH, model.PUBLISHES_ON):
        assert not first[kind.file].equals(second[kind.file]), kind.file


# --- the file format ----------------------------------------------------------------------


def test_every_kind_has_a_file_even_without_rows(tmp_path: Path) -> None:
    summary = generate(1, seed=0, out=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != GENERATED_RECORD) == sorted(
        f"{k.file}.csv" for k in KINDS)
    empty = [k for k in model.REL_KINDS if summary.relationships[k.type] == 0]
    assert empty, "scale 1 should leave some relationship kind without rows"
    for kind in empty:
        assert (tmp_path / f"{kind.file}.csv").read_text(encoding="utf-8") == ",".join(kind.columns) + "\n"


def test_frames_have_exactly_the_model_columns_in_order(frames: dict[str, pd.DataFrame]) -> None:
    assert list(frames) == [k.file for k in KINDS]
    for kind in KINDS:
        assert tuple(frames[kind.file].columns) == kind.columns, kind.file


def test_files_have_exactly_the_model_columns_in_order(written: dict[str, Path]) -> None:
    for kind in KINDS:
        csv_header = (written["csv"] / f"{kind.file}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert tuple(csv_header.split(",")) == kind.columns, kind.file
        assert tuple(pq.read_schema(written["parquet"] / f"{kind.file}.parquet").names) == kind.columns
        lines = (written["jsonl"] / f"{kind.file}.jsonl").read_text(encoding="utf-8").splitlines()
        for line in lines[:50]:
            assert tuple(json.loads(line)) == kind.columns, kind.file


def test_csv_is_utf8_without_bom_with_newline_endings(written: dict[str, Path]) -> None:
    data = (written["csv"] / f"{model.INSTITUTION.file}.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data and data.endswith(b"\n")
    assert "物理" in data.decode("utf-8")  # the flagship's Chinese name survives as UTF-8
    assert "物理" in (written["jsonl"] / f"{model.INSTITUTION.file}.jsonl").read_text(encoding="utf-8")


def test_enum_lists_and_missing_values_are_encoded_per_format(written: dict[str, Path]) -> None:
    column = of_type(model.CREATOR, "enum_list")[0].name
    csv = pd.read_csv(written["csv"] / f"{model.CREATOR.file}.csv", dtype=str, keep_default_na=False)
    jsonl = (written["jsonl"] / f"{model.CREATOR.file}.jsonl").read_text(encoding="utf-8").splitlines()
    lists = [json.loads(line)[column] for line in jsonl]
    parquet = pq.read_table(written["parquet"] / f"{model.CREATOR.file}.parquet").column(column).to_pylist()
    assert [model.LIST_SEPARATOR.join(v) for v in lists] == csv[column].tolist()
    assert parquet == lists and [] in lists and any(len(v) > 1 for v in lists)
    since = prop(model.FOLLOWS, 0)
    follows = pd.read_csv(written["csv"] / f"{model.FOLLOWS.file}.csv", dtype=str, keep_default_na=False)
    assert (follows[since] == "").any()  # a missing optional value is an empty cell


def test_summary_counts_what_was_written(written: dict[str, Path], tmp_path: Path) -> None:
    summary = generate(40, seed=3, out=tmp_path)
    assert isinstance(summary, GenerateSummary)
    assert (summary.scale, summary.seed, summary.format, summary.out) == (40, 3, "csv", tmp_path)
    for kind in KINDS:
        rows = len(pd.read_csv(tmp_path / f"{kind.file}.csv"))
        key = kind.label if isinstance(kind, model.NodeKind) else kind.type
        assert (summary.nodes | summary.relationships)[key] == rows
    assert summary.total_relationships == sum(summary.relationships.values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_loader_reads_every_format_without_problems(written: dict[str, Path], fmt: str) -> None:
    dataset = read_dataset(written[fmt], pseudonymise=lambda ids: ids)
    assert dataset.rejects.empty and not dataset.warnings
    assert dataset.counts()[model.CREATOR.label] == 40


def test_progress_reports_each_file(tmp_path: Path) -> None:
    messages: list[str] = []
    generate(5, out=tmp_path, format="jsonl", progress=messages.append)
    assert all(any(f"{k.file}.jsonl" in m for m in messages) for k in KINDS)


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [0, -3])
def test_scale_below_one_raises_value_error(scale: int, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="number of creators and must be an integer of at least 1"):
        generate_frames(scale)
    with pytest.raises(ValueError, match="at least 1"):
        generate(scale, out=tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("scale", [2.5, True, "10"])
def test_non_integer_scale_raises_value_error(scale: object) -> None:
    with pytest.raises(ValueError, match="integer"):
        generate_frames(scale)  # type: ignore[arg-type]


def test_unknown_format_raises_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'xlsx'; known: csv, jsonl, parquet"):
        generate(5, out=tmp_path, format="xlsx")


# --- integrity ----------------------------------------------------------------------------


def test_ids_are_unique_per_kind_and_prefixed(frames: dict[str, pd.DataFrame]) -> None:
    for kind in model.NODE_KINDS:
        ids = frames[kind.file][model.ID]
        assert ids.is_unique and ids.notna().all(), kind.label
        assert ids.str.fullmatch(PREFIX[kind.label] + r"\d+").all(), kind.label
    assert frames[model.CREATOR.file][model.ID].iloc[0] == "c000001"
    assert frames[model.VIEWER.file][model.ID].iloc[0] == "v00000001"


def test_relationship_ends_exist_and_are_of_the_right_kinds(frames: dict[str, pd.DataFrame]) -> None:
    ids = {k.label: set(frames[k.file][model.ID]) for k in model.NODE_KINDS}
    for kind in model.REL_KINDS:
        rel = frames[kind.file]
        assert set(rel[model.SOURCE_ID]) <= ids[kind.source], kind.type
        assert set(rel[model.TARGET_ID]) <= ids[kind.target], kind.type


def test_no_duplicate_pairs_or_self_loops(frames: dict[str, pd.DataFrame]) -> None:
    for kind in model.REL_KINDS:
        rel = frames[kind.file]
        assert not rel.duplicated([model.SOURCE_ID, model.TARGET_ID]).any(), kind.type
        assert (rel[model.SOURCE_ID] != rel[model.TARGET_ID]).all(), kind.type
    collab = frames[model.COLLABORATES_WITH.file]
    assert len(collab) > 0 and (collab[model.SOURCE_ID] < collab[model.TARGET_ID]).all()


def test_values_have_the_model_types_and_bounds(frames: dict[str, pd.DataFrame]) -> None:
    for kind in KINDS:
        frame = frames[kind.file]
        for p in kind.properties:
            values = frame[p.name]
            if p.required:
                assert values.notna().all(), (kind.file, p.name)
            present = values.dropna()
            if p.type == "enum":
                assert set(present) <= set(p.values), (kind.file, p.name)
            elif p.type == "enum_list":
                assert all(set(v) <= set(p.values) for v in present), (kind.file, p.name)
            elif p.type == "date":
                parsed = pd.to_datetime(present, format="%Y-%m-%d")
                assert parsed.between("2016-01-01", "2024-12-31").all(), (kind.file, p.name)
            elif p.type in ("integer", "float"):
                assert pd.api.types.is_numeric_dtype(values), (kind.file, p.name)
                if p.minimum is not None:
                    assert (present >= p.minimum).all(), (kind.file, p.name)
    eng = frames[model.ENGAGES_WITH.file]
    views, likes, shares, comments = (eng[prop(model.ENGAGES_WITH, i)] for i in range(4))
    assert (views >= 1).all() and (likes <= views).all() and (shares <= views).all() and (comments <= views).all()
    assert shares.mean() < likes.mean() and comments.mean() < likes.mean()


def test_the_taxonomy_has_ten_fields_of_four_to_six_subtopics(frames: dict[str, pd.DataFrame]) -> None:
    topics, sub_of = frames[model.TOPIC.file], frames[model.SUBTOPIC_OF.file]
    level = topics.set_index(model.ID)[prop(model.TOPIC, 1)]
    assert (level == 0).sum() == len(taxonomy.FIELDS) == 10
    assert set(sub_of[model.SOURCE_ID]) == set(level[level == 1].index)  # every subtopic, once
    assert (level[sub_of[model.TARGET_ID]] == 0).all()
    assert sub_of[model.TARGET_ID].value_counts().between(4, 6).all()


# --- counts grow with scale as documented -------------------------------------------------


@pytest.mark.parametrize("scale", [300, 1000, 3000])
def test_relationship_counts_follow_the_documented_formula(scale: int) -> None:
    f = generate_frames(scale, seed=0)
    counts = {k.type: len(f[k.file]) for k in model.REL_KINDS}
    assert sum(counts.values()) == pytest.approx(RELS_PER_CREATOR * scale, rel=0.03)
    assert counts[model.INTERESTED_IN.type] == pytest.approx(20 * scale, rel=0.03)
    assert counts[model.FOLLOWS.type] == pytest.approx(22 * scale, rel=0.05)
    assert counts[model.ENGAGES_WITH.type] == pytest.approx(66.5 * scale, rel=0.03)
    assert counts[model.SUBTOPIC_OF.type] == 45
    assert len(f[model.VIEWER.file]) == 10 * scale
    assert len(f[model.INSTITUTION.file]) == max(5, scale // 100)


# --- the planted calibration targets ------------------------------------------------------


def test_about_ninety_percent_of_creators_are_active(frames: dict[str, pd.DataFrame]) -> None:
    active = frames[model.CREATOR.file][model.ID].isin(primary_topics(frames).index)
    assert active.mean() == pytest.approx(0.90, abs=0.03)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_about_seventy_percent_of_active_creators_earn(seed: int) -> None:
    f = generate_frames(1000, seed=seed)
    creators = f[model.CREATOR.file]
    streams = creators[of_type(model.CREATOR, "enum_list")[0].name]
    active = creators[model.ID].isin(primary_topics(f).index)
    earning = streams.map(len) > 0
    assert earning[active].mean() == pytest.approx(0.70, abs=0.04)
    assert not earning[~active].any()  # inactive creators earn nothing
    counts = pd.Series([s for v in streams for s in v]).value_counts()
    assert list(counts.index) == ["advertising", "revenue_sharing", "ecommerce"]


def test_the_home_subtopic_holds_three_quarters_of_a_creators_videos(frames: dict[str, pd.DataFrame]) -> None:
    pub = frames[model.PUBLISHES_ON.file]
    videos = pub.groupby(model.SOURCE_ID)[prop(model.PUBLISHES_ON, 0)]
    assert (videos.max() / videos.sum()).min() >= 0.75
    assert (videos.size() > 1).mean() > 0.4  # many publish on a second topic too


@pytest.mark.parametrize("scale", [1000, 10000])
def test_top_one_percent_of_creators_hold_about_forty_percent_of_follows(scale: int) -> None:
    f = generate_frames(scale, seed=0)
    follows = f[model.FOLLOWS.file][model.TARGET_ID].value_counts().to_numpy()
    share = follows[: scale // 100].sum() / follows.sum()
    assert 0.33 <= share <= 0.47


def test_every_viewer_engages_with_a_creator(frames: dict[str, pd.DataFrame]) -> None:
    viewers = frames[model.VIEWER.file][model.ID]
    assert viewers.isin(frames[model.ENGAGES_WITH.file][model.SOURCE_ID]).all()
    assert viewers.isin(frames[model.INTERESTED_IN.file][model.SOURCE_ID]).all()


def test_viewer_segments_and_older_rural_viewers_follow_fewer(frames: dict[str, pd.DataFrame]) -> None:
    viewers = frames[model.VIEWER.file].set_index(model.ID)
    age, region = viewers[prop(model.VIEWER, 0)], viewers[prop(model.VIEWER, 1)]
    assert age.value_counts(normalize=True)["25_34"] == pytest.approx(0.25, abs=0.02)
    assert age.value_counts(normalize=True)["60_plus"] == pytest.approx(0.11, abs=0.02)
    assert region.value_counts(normalize=True)["urban"] == pytest.approx(0.55, abs=0.02)
    assert region.value_counts(normalize=True)["rural"] == pytest.approx(0.25, abs=0.02)
    follows = frames[model.FOLLOWS.file][model.SOURCE_ID].value_counts().reindex(viewers.index, fill_value=0)
    by_age, by_region = follows.groupby(age).mean(), follows.groupby(region).mean()
    assert by_age["60_plus"] < by_age["25_34"] and by_region["rural"] < by_region["urban"]


def test_follower_counts_are_heavy_tailed(frames: dict[str, pd.DataFrame]) -> None:
    creators = frames[model.CREATOR.file][prop(model.CREATOR, 1)]
    assert creators.max() > 1_000_000 and creators.max() > 100 * creators.median()
    institutions = frames[model.INSTITUTION.file]
    followers = institutions[prop(model.INSTITUTION, 2)]
    assert followers.max() == followers.iloc[0] == taxonomy.FLAGSHIP_INSTITUTION[3]
    assert set(institutions[prop(model.INSTITUTION, 1)]) <= set(model.INSTITUTION_KINDS)


def test_affiliations_and_partnerships_are_few(frames: dict[str, pd.DataFrame]) -> None:
    affiliated = frames[model.AFFILIATED_WITH.file]
    assert affiliated[model.SOURCE_ID].is_unique
    assert 0.10 <= len(affiliated) / 1000 <= 0.15
    partners = frames[model.PARTNERS_WITH.file][model.SOURCE_ID].value_counts()
    assert len(partners) == 10 and partners.between(1, 12).all()


def test_louvain_recovers_the_planted_topic_communities(frames: dict[str, pd.DataFrame]) -> None:
    graph = nx.Graph()
    for kind in model.NODE_KINDS:
        graph.add_nodes_from(frames[kind.file][model.ID])
    for kind in model.REL_KINDS:
        graph.add_edges_from(frames[kind.file][[model.SOURCE_ID, model.TARGET_ID]].itertuples(index=False, name=None))
    partition = community.best_partition(graph, random_state=0)
    primary = primary_topics(frames)
    assert nmi(primary.index.map(partition).to_numpy(), primary.to_numpy()) >= 0.6


# --- the planted earning link (docs/generator.md) ------------------------------------------

#: sha256 over (file name, bytes) of every file, computed with the generator as it was before
#: it had an earning link (commit 3016959): switching the link off must write these bytes.
BEFORE_THE_LINK = {
    (50, 0, "csv"): "a5fa5b9ace6098eecd5a8c3df63a1f9993bd17d3953079889fb65de996a3e3bd",
    (50, 0, "jsonl"): "a86752a1d227c00d7a9a0843f8d8b91d221db76e13c0c58a3b3ac3dfe454faa0",
    (300, 1, "csv"): "70de99867993638730a4f26e16043a5b6cd6c105b78b25e1a50e8609ec8e1d1f",
    (300, 1, "jsonl"): "3fb5486a38173c8fbef6a843b06652930917f2aea91978ad95c461d763a277a9",
}


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.name == GENERATED_RECORD:  # the generator's own record, not a data file
            continue
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.mark.parametrize(("scale", "seed", "fmt"), sorted(BEFORE_THE_LINK))
def test_with_the_earning_link_off_the_files_are_byte_identical_to_before_it(
        tmp_path: Path, scale: int, seed: int, fmt: str) -> None:
    for link, out in ((None, tmp_path / "default"), (0.0, tmp_path / "off")):
        kwargs = {} if link is None else {"earning_link": link}
        generate(scale, seed=seed, out=out, format=fmt, **kwargs)
        assert folder_digest(out) == BEFORE_THE_LINK[(scale, seed, fmt)], link


def earners(frames: dict[str, pd.DataFrame]) -> pd.Series:
    creators = frames[model.CREATOR.file]
    return creators.set_index(model.ID)[of_type(model.CREATOR, "enum_list")[0].name].map(len) > 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_earning_link_changes_who_earns_not_how_many_nor_anything_else(seed: int) -> None:
    off, on = generate_frames(1000, seed=seed), generate_frames(1000, seed=seed, earning_link=1.5)
    assert earners(on).sum() == earners(off).sum()  # the same share of active creators: 0 points apart
    assert (earners(on) != earners(off)).sum() > 100
    active = off[model.CREATOR.file][model.ID].isin(primary_topics(off).index).to_numpy()
    assert not earners(on)[~active].any()  # inactive creators still earn nothing
    streams = of_type(model.CREATOR, "enum_list")[0].name
    for kind in KINDS:
        a, b = off[kind.file], on[kind.file]
        if kind is model.CREATOR:
            a, b = a.drop(columns=streams), b.drop(columns=streams)
        pd.testing.assert_frame_equal(a, b, obj=kind.file)


def test_with_the_earning_link_on_creators_with_more_audience_earn_more_often() -> None:
    f = generate_frames(3000, seed=0, earning_link=1.0)
    follows = f[model.FOLLOWS.file][model.TARGET_ID].value_counts()
    earning = earners(f)
    active = earning.index.isin(primary_topics(f).index)
    followed = earning.index.map(follows).fillna(0).to_numpy()[active]
    top, bottom = followed >= np.quantile(followed, 0.8), followed <= np.quantile(followed, 0.2)
    assert earning[active][top].mean() > earning[active][bottom].mean() + 0.2


def test_the_earning_link_is_seeded() -> None:
    a, b = (earners(generate_frames(300, seed=4, earning_link=0.8)) for _ in range(2))
    pd.testing.assert_series_equal(a, b)


@pytest.mark.parametrize("link", [float("nan"), float("inf"), "1", True])
def test_an_earning_link_that_is_not_a_finite_number_raises_value_error(link: object) -> None:
    with pytest.raises(ValueError, match="earning_link"):
        generate_frames(10, seed=0, earning_link=link)  # type: ignore[arg-type]
