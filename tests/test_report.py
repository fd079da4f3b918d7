"""graphkit.report: the three questions' sections, honest numbers, the formats and the JSON Schema.

The report is made once per module from a generated dataset (scale 200) whose data files
were touched as a user's export might be: one creator's name is a spreadsheet formula, one
is Chinese.  Figures are checked for determinism and axes here; tests/test_report_browser.py
opens the page in Chromium.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

import graphkit
import loaders
from graphkit import EmbeddedStore
from graphkit.answers import QUESTIONS
from graphkit.errors import ArgumentError
from graphkit.privacy import Pseudonymiser
from graphkit.reports import SCHEMA_VERSION, figures
from graphkit.reports.standard import SCHEMA_ID, schema
from graphkit.workflows import load_dataset, read_folder
from loaders.generator import GENERATED_RECORD, generated_record
from tests.conftest import graphkit_cli

FORMULA, CHINESE = "=HYPERLINK(\"x\")", "物理小课堂"
RESAMPLES = 100


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    dataset = folder / "dataset"
    loaders.generate(200, 3, dataset)
    creators = pd.read_csv(dataset / "creators.csv", dtype=str, keep_default_na=False)
    top = creators["followers"].astype(int).sort_values(ascending=False).index  # the most followed are shown
    creators.loc[top[0], "name"], creators.loc[top[1], "name"] = FORMULA, CHINESE
    creators.to_csv(dataset / "creators.csv", index=False)
    store = EmbeddedStore(folder / "store")
    load_dataset(store, read_folder(store, dataset, pseudonymiser=Pseudonymiser(b"report-test-key-0123")))
    steps: list[str] = []
    answers = graphkit.answers(store, resamples=RESAMPLES)
    paths = graphkit.report(answers, folder / "out", store=store, dataset=dataset, progress=steps.append)
    return store, dataset, answers, paths, steps


@pytest.fixture(scope="module")
def report(made) -> dict:
    return json.loads(made[3]["json"].read_text(encoding="utf-8"))


def test_report_json_is_valid_against_its_versioned_schema(report):
    validator = jsonschema.Draft202012Validator(schema())
    jsonschema.Draft202012Validator.check_schema(schema())
    validator.validate(report)
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA_VERSION in schema()["$id"] and report["schema_version"] == SCHEMA_VERSION == "1.0.0"
    assert report["$schema"] == SCHEMA_ID


def test_the_schema_refuses_a_finding_without_its_denominator(report):
    broken = json.loads(json.dumps(report))
    del broken["sections"][0]["findings"][0]["denominator"]
    with pytest.raises(jsonschema.ValidationError, match="denominator"):
        jsonschema.validate(broken, schema(), cls=jsonschema.Draft202012Validator)


def test_three_sections_named_by_the_questions_then_communities_central_and_appendix(report):
    assert [s["id"] for s in report["sections"]] == ["connectivity", "business", "allocation", "communities",
                                                     "central", "appendix"]
    for section, key in zip(report["sections"], QUESTIONS):
        assert section["question"] == QUESTIONS[key]
        assert len(section["findings"]) >= 2, section["id"]


def test_every_finding_has_a_number_a_unit_a_denominator_a_comparison_and_a_figure_in_the_page(made, report):
    html = made[3]["html"].read_text(encoding="utf-8")
    for section in report["sections"][:5]:
        figures_here = {f["id"] for f in section["figures"]}
        for finding in section["findings"]:
            assert finding["value"] is not None and finding["unit"] and finding["denominator"], finding
            assert finding["comparison"], finding
            assert re.search(r"\d", finding["text"]), finding
            assert finding["figure"] in figures_here and f'id="fig-{finding["figure"]}"' in html, finding


def test_the_numbers_are_the_answers_with_their_denominators(made, report):
    answers = made[2]
    earning = answers.business["earning"].summary
    business = report["sections"][1]["findings"][0]
    assert business["value"] == pytest.approx(earning["earning_share"])
    assert f"{earning['earning_share']:.1%} of {earning['active_creators']:,} active creators earned" in business["text"]
    conc = answers.allocation["concentration"].summary
    top = report["sections"][2]["findings"][0]
    assert f"{conc['top1_share_follows']:.1%} of" in top["text"] and "Equal attention would give" in top["comparison"]
    fair = answers.allocation["fair_access"]
    cells = report["sections"][2]["findings"][1]
    assert cells["value"] == fair.summary["under_served_cells"] and cells["denominator"] == f"{len(fair.frame)} cells"


def test_calibration_targets_are_in_the_notice_not_among_the_findings(made, report):
    assert report["generated"]["generator"] == "graphkit generate" and report["generated"]["scale"] == 200
    assert "about 70%" in report["notice"] and "Synthetic data." in made[3]["html"].read_text(encoding="utf-8")
    texts = " ".join(f["text"] + f["comparison"] for s in report["sections"] for f in s["findings"])
    assert "2024" not in texts and "70%" not in texts


def test_collected_data_gets_no_synthetic_notice(made, tmp_path):
    _, dataset, _, _, _ = made
    collected = tmp_path / "collected"  # the same files without the generator's record: data collected elsewhere
    shutil.copytree(dataset, collected, ignore=shutil.ignore_patterns(GENERATED_RECORD))
    store = EmbeddedStore(tmp_path / "collected-store")
    load_dataset(store, read_folder(store, collected, pseudonymiser=Pseudonymiser(b"report-test-key-0123")))
    assert store.generated is None
    answers = graphkit.answers(store, resamples=RESAMPLES)
    plain = graphkit.report(answers, tmp_path / "plain", store=store, dataset=collected)
    data = json.loads(plain["json"].read_text(encoding="utf-8"))
    assert data["generated"] is None and data["notice"] == ""
    assert "Synthetic data" not in plain["html"].read_text(encoding="utf-8")


def test_who_is_central_compares_attention_with_the_uniform_share(made):
    table = pd.read_csv(made[3]["central_creators"])
    assert table["attention_share"].sum() == pytest.approx(1.0)
    assert table["vs_uniform"].iloc[0] == pytest.approx(table["attention_share"].iloc[0] * len(table))
    assert table["attention_share"].is_monotonic_decreasing and table["vs_uniform"].iloc[0] > 1


def test_fair_access_values_equal_everywhere_are_not_drawn(made):
    # Reach over all fields is 1 for every segment (every viewer engages with someone): no cell of it is drawn.
    fair = made[2].allocation["fair_access"].frame
    assert (fair.loc[(fair["field"] == "") & (fair["measure"] == "reach"), "ratio"] == 1).all()
    svg = figures.disparity_heatmap(fair, "reach", title="t")
    assert svg.count("all fields") == 0 and "log scale" in svg


def test_every_format_is_written_and_every_table_has_its_csv(made, report):
    paths = made[3]
    assert [paths[k].name for k in ("html", "md", "json")] == ["report.html", "report.md", "report.json"]
    for section in report["sections"]:
        for table in section["tables"]:
            path = paths["json"].parent / table["csv"]
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            assert rows[0] == table["columns"] and len(rows) - 1 == table["rows"], table["id"]
    markdown = paths["md"].read_text(encoding="utf-8")
    assert markdown.startswith("# ") and "## 1. Efficient connectivity" in markdown and "| --- |" in markdown


def test_names_are_shown_as_text_and_neutralised_in_csv(made):
    paths = made[3]
    html = paths["html"].read_text(encoding="utf-8")
    assert CHINESE in html and "=HYPERLINK(&#34;x&#34;)" in html or "=HYPERLINK(&quot;x&quot;)" in html
    central = paths["central_creators"].read_text(encoding="utf-8")
    assert "'=HYPERLINK" in central and CHINESE in central


def test_the_page_loads_nothing_from_outside(made):
    html = made[3]["html"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html


def test_no_output_shows_a_viewer_id(made):
    _, dataset, _, paths, _ = made
    raw = set(pd.read_csv(dataset / "viewers.csv")["id"])
    for path in paths.values():
        text = path.read_text(encoding="utf-8")
        assert "vp_" not in text and not any(v in text for v in raw), path.name


def test_the_appendix_lists_source_parameters_graphs_weights_versions_and_the_key(made, report):
    store = made[0]
    appendix = report["appendix"]
    about = {row["item"]: row["value"] for row in appendix["source"]}
    assert about["pseudonym key fingerprint"] == store.key_fingerprint
    assert {f["name"] for f in appendix["files"]} >= {"creators.csv", "viewers.csv"}
    assert {p["parameter"] for p in appendix["parameters"]} == {"answers.seed", "answers.max_hops", "answers.resamples"}
    assert {g["graph"] for g in appendix["graphs"]} >= {"whole", "reach", "audience", "knowledge"}
    weights = {w["relationship"]: w["weight"] for w in appendix["weights"]}
    assert weights["ENGAGES_WITH"] == graphkit.model.ANALYSIS_WEIGHTS["ENGAGES_WITH"].formula
    assert {"matplotlib", "jinja2", "pandas"} <= {v["library"] for v in appendix["versions"]}
    louvain = next(m for m in appendix["measures"] if m["measure"] == "whole.louvain")
    assert louvain["seed"] == 0 and louvain["graph"] == "whole"


def test_progress_lines_name_each_step(made):
    steps = made[4]
    assert steps[0].startswith("projecting the whole graph") and steps[-1].startswith("writing the report to")


def test_an_answers_object_needs_its_store_and_matching_parameters(made, tmp_path):
    store, _, answers, _, _ = made
    with pytest.raises(ArgumentError, match="pass store="):
        graphkit.report(answers, tmp_path)
    with pytest.raises(ArgumentError, match="seed=5"):
        graphkit.report(answers, tmp_path, store=store, seed=5)
    with pytest.raises(ArgumentError, match="must be a Store or an Answers"):
        graphkit.report("my-store", tmp_path)


def test_figures_are_the_same_bytes_on_every_run(made):
    answers = made[2]
    lorenz, conc = answers.allocation["lorenz"].frame, answers.allocation["concentration"].summary
    gini = {m: conc[f"gini_{m}"] for m in ("follows", "views", "engagement")}
    first, second = figures.lorenz_curves(lorenz, gini), figures.lorenz_curves(lorenz, gini)
    assert first == second and "<dc:date" not in first
    reach = answers.connectivity["reach"].frame
    assert figures.reach_by_hop(reach, ["age_band"]) == figures.reach_by_hop(reach, ["age_band"])


def test_figures_have_ticks_and_units(made):
    answers = made[2]
    svg = figures.earning_by_decile(answers.business["position"].frame, 0.68)
    for text in ("100%", "D10", "% of the decile", "all active creators: 68.0%"):
        assert text in svg, text
    sizes = pd.DataFrame({"community": [0, 1], "label": ["Physics", CHINESE], "size": [30, 20], "viewers": [10, 5]})
    svg = figures.community_sizes(sizes)
    assert f"1: {CHINESE}" in svg and "members (nodes)" in svg


def test_the_generator_records_itself_and_the_loader_passes_over_the_record(tmp_path):
    loaders.generate(20, 1, tmp_path / "d", earning_link=0.5)
    assert generated_record(tmp_path / "d")["earning_link"] == 0.5
    assert (tmp_path / "d" / GENERATED_RECORD).exists() and generated_record(tmp_path) is None
    dataset = loaders.read_dataset(tmp_path / "d", pseudonymise=Pseudonymiser(b"0123456789abcdef"))
    assert not any("generated" in w for w in dataset.warnings)


def test_the_command_writes_the_report_with_the_dataset_named(made, tmp_path):
    store, dataset = made[0], made[1]
    proc = graphkit_cli("report", "--store", str(store.path), "--out", str(tmp_path / "r"), "--dataset",
                        str(dataset), check=True, env={"GRAPHKIT_PSEUDONYM_KEY": "unused"})
    lines = proc.stdout.split()
    assert [Path(p).name for p in lines] == ["report.html", "report.md", "report.json", "tables"]
    assert "writing the report to" in proc.stderr and "question 1" in proc.stderr
    assert "Synthetic data" in (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
