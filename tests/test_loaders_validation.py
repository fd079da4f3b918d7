"""Every validation rule on small hand-made bad files: one clear message naming file, line
and column, and nothing written."""

from __future__ import annotations

import codecs
import json

import pytest

import loaders
from graphkit import LoaderError, model
from tests.conftest import RAW_VIEWER_IDS, VALID, write_dataset


def broken(tmp_path, **changes):
    files = dict(VALID)
    for name, content in changes.items():
        name = name.replace("__", ".")
        if content is None:
            files.pop(name, None)
        else:
            files[name] = content
    return write_dataset(tmp_path / "bad", files)


def problems_of(folder, pseudonymiser, **kw):
    with pytest.raises(LoaderError) as info:
        loaders.read_dataset(folder, pseudonymise=pseudonymiser, **kw)
    return info.value


def test_valid_dataset_loads_every_kind(valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    assert data.counts() == {
        "Creator": 2, "Institution": 1, "Topic": 2, "Viewer": 2, "AFFILIATED_WITH": 1, "PUBLISHES_ON": 2,
        "FOLLOWS": 1, "ENGAGES_WITH": 2, "INTERESTED_IN": 1, "SUBTOPIC_OF": 1, "COLLABORATES_WITH": 1,
        "PARTNERS_WITH": 1,
    }
    assert data.nodes["Creator"].loc[0, "income_streams"] == ["advertising", "revenue_sharing"]
    assert data.nodes["Creator"].loc[1, "income_streams"] == []
    assert str(data.nodes["Creator"]["followers"].dtype) == "Int64"
    assert data.relationships["ENGAGES_WITH"]["likes"].isna().tolist() == [False, True]
    assert list(data.nodes["Creator"].columns) == list(model.CREATOR.columns)


@pytest.mark.parametrize(
    "file, content, line, column, fragment",
    [
        ("creators.csv", "id,name,followers\nc1,A,many\nc2,B,1\n", 2, "followers", "expected an integer >= 0, got 'many'"),
        ("creators.csv", "id,name,followers\nc1,A,-4\nc2,B,1\n", 2, "followers", "expected an integer >= 0"),
        ("creators.csv", "id,name,joined\nc1,A,2020-02-30\nc2,B,\n", 2, "joined", "expected a date as YYYY-MM-DD"),
        ("creators.csv", "id,name,income_streams\nc1,A,advertising;tips\nc2,B,\n", 2, "income_streams", "values from"),
        ("creators.csv", "id,name\nc1,A\nc2,\n", 3, "name", "required value is missing"),
        ("creators.csv", "id,name\nc1,A\nc2,B\nc1,C\n", 4, "id", "duplicate Creator id; first on line 2"),
        ("institutions.csv", "id,name,kind\ni1,X,bank\n", 2, "kind", "expected one of research_institute"),
        ("engages_with.csv", "source_id,target_id,views,watch_seconds\nraw-viewer-1,c1,1,lots\n", 2,
         "watch_seconds", "expected a number"),
        ("publishes_on.csv", "source_id,target_id,videos,views\nc1,t9,1,1\nc2,t1,0,0\n", 2, "target_id",
         "no Topic with id 't9'"),
        ("publishes_on.csv", "source_id,target_id,videos,views\nc1,i1,1,1\nc2,t1,0,0\n", 2, "target_id",
         "'i1' is an Institution id, expected a Topic"),
        ("follows.csv", "source_id,target_id\nnobody,c1\n", 2, "source_id", "no Viewer with this id"),
        ("subtopic_of.csv", "source_id,target_id\nt1,t1\n", 2, "target_id", "from a node to itself"),
        ("publishes_on.csv", "source_id,target_id,videos,views\nc1,t1,1,1\nc1,t1,2,2\n", 3, "source_id",
         "duplicate PUBLISHES_ON relationship; first on line 2"),
        ("creators.csv", "id,name\nc1,A\nc2,B,extra\n", 3, None,
         "expected 2 fields as in the header (id,name), found 3"),
        ("creators.csv", 'id,name\nc1,"A\nstill A"\nc2,B,x\n', 4, None, "expected 2 fields"),
    ],
)
def test_bad_value_is_reported_with_file_line_and_column(tmp_path, pseudonymiser, file, content, line, column, fragment):
    err = problems_of(broken(tmp_path, **{file.replace(".", "__"): content}), pseudonymiser)
    matches = [p for p in err.problems if p.file == file and p.line == line and p.column == column]
    assert matches, str(err)
    assert any(fragment in p.message for p in matches), str(err)
    assert f"{file}, line {line}" in str(err)


def test_every_problem_is_listed_in_one_error(tmp_path, pseudonymiser):
    folder = broken(tmp_path, creators__csv="id,name,followers\nc1,A,x\nc2,B,y\n",
                    topics__csv="id,name,level\nt0,Science,zero\nt1,Physics,1\n")
    err = problems_of(folder, pseudonymiser)
    assert [(p.file, p.line) for p in err.problems] == [("creators.csv", 2), ("creators.csv", 3), ("topics.csv", 2)]
    assert str(err).startswith("3 problems in the dataset:")


def test_missing_required_column_is_fatal_even_when_skipping(tmp_path, pseudonymiser):
    folder = broken(tmp_path, publishes_on__csv="source_id,target_id,views\nc1,t1,1\n")
    err = problems_of(folder, pseudonymiser, on_error="skip")
    assert [(p.file, p.line, p.column, p.message) for p in err.problems] == [
        ("publishes_on.csv", 1, "videos", "required column is missing")
    ]


def test_malformed_json_lines_are_located(tmp_path, pseudonymiser):
    files = dict(VALID)
    del files["topics.csv"]
    files["topics.jsonl"] = '{"id": "t0", "name": "Science", "level": 0}\n\n{"id": "t1", "name": \n[1, 2]\n'
    err = problems_of(write_dataset(tmp_path / "j", files), pseudonymiser)
    where = {(p.file, p.line): p.message for p in err.problems if p.file == "topics.jsonl"}
    assert "malformed JSON" in where[("topics.jsonl", 3)]
    assert "expected a JSON object, found list" in where[("topics.jsonl", 4)]


def test_parquet_rows_are_counted_from_one(tmp_path, pseudonymiser):
    import pandas as pd

    files = dict(VALID)
    del files["topics.csv"]
    folder = write_dataset(tmp_path / "p", files)
    pd.DataFrame({"id": ["t0", "t1"], "name": ["Science", "Physics"], "level": [0, -1]}).to_parquet(
        folder / "topics.parquet")
    err = problems_of(folder, pseudonymiser)
    assert [(p.file, p.line, p.column) for p in err.problems] == [("topics.parquet", 2, "level")]


def test_same_kind_in_two_formats_is_refused(tmp_path, pseudonymiser):
    folder = broken(tmp_path, topics__jsonl='{"id": "t0", "name": "S"}\n')
    err = problems_of(folder, pseudonymiser)
    assert "same kind in another format" in str(err)


def test_folder_without_dataset_files_is_refused(tmp_path, pseudonymiser):
    (tmp_path / "empty").mkdir()
    err = problems_of(tmp_path / "empty", pseudonymiser)
    assert "no dataset files found" in str(err)
    err = problems_of(tmp_path / "missing", pseudonymiser)
    assert "not a folder" in str(err)


def test_absent_and_header_only_files_mean_no_rows(tmp_path, pseudonymiser):
    folder = broken(tmp_path, partners_with__csv=None, collaborates_with__csv="source_id,target_id,videos\n")
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    assert data.counts()["PARTNERS_WITH"] == 0 and data.counts()["COLLABORATES_WITH"] == 0


def test_unknown_columns_and_files_are_ignored_with_a_warning(tmp_path, pseudonymiser):
    folder = broken(tmp_path, topics__csv="id,name,level,secret\nt0,Science,0,x\nt1,Physics,1,y\n",
                    notes__txt="hello")
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    assert "secret" not in data.nodes["Topic"].columns
    assert any("topics.csv: ignored columns the model does not know: secret" in w for w in data.warnings)
    assert any("notes.txt" in w for w in data.warnings)


def test_gb18030_and_bom_files_decode(tmp_path, pseudonymiser):
    files = dict(VALID)
    files["creators.csv"] = VALID["creators.csv"].encode("gb18030")
    files["topics.csv"] = codecs.BOM_UTF8 + "id,name,level\nt0,科学,0\nt1,物理,1\n".encode()
    data = loaders.read_dataset(write_dataset(tmp_path / "enc", files), pseudonymise=pseudonymiser)
    assert data.nodes["Creator"].loc[1, "name"] == "Dr. 李"
    assert data.nodes["Topic"]["name"].tolist() == ["科学", "物理"]
    assert list(data.nodes["Topic"].columns)[0] == "id"  # the BOM did not stick to the header


def test_forced_encoding_that_does_not_fit_is_reported(tmp_path, pseudonymiser):
    files = dict(VALID)
    files["creators.csv"] = "id,name\nc1,名\nc2,B\n".encode("gb18030")
    err = problems_of(write_dataset(tmp_path / "f", files), pseudonymiser, encoding="utf-8")
    assert "cannot decode as utf-8" in str(err)


def test_utf16_is_refused_with_advice(tmp_path, pseudonymiser):
    files = dict(VALID)
    files["topics.csv"] = "id,name,level\nt0,S,0\nt1,P,1\n".encode("utf-16")
    err = problems_of(write_dataset(tmp_path / "u", files), pseudonymiser)
    assert "UTF-16 is not supported" in str(err)


def test_skip_keeps_good_rows_and_rejects_dependants(tmp_path, pseudonymiser):
    folder = broken(
        tmp_path,
        creators__csv="id,name,followers\nc1,A,1\nc2,B,bad\n",
        engages_with__csv="source_id,target_id,views\nraw-viewer-1,c1,5\nraw-viewer-2,c2,1\n",
    )
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser, on_error="skip")
    assert data.nodes["Creator"]["id"].tolist() == ["c1"]
    assert len(data.relationships["ENGAGES_WITH"]) == 1
    rejects = data.rejects
    assert list(rejects.columns) == loaders.REJECT_COLUMNS
    by_file = {(r.file, r.line): r.reason for r in rejects.itertuples()}
    assert "expected an integer" in by_file[("creators.csv", 3)]
    assert "its Creator was rejected" in by_file[("engages_with.csv", 3)]
    assert "its Creator was rejected" in by_file[("publishes_on.csv", 3)]


def test_messages_and_rejects_never_show_raw_viewer_ids(tmp_path, pseudonymiser):
    folder = broken(
        tmp_path,
        viewers__csv="id,age_band,region_type\nraw-viewer-1,60_plus,rural\nraw-viewer-2,elderly,urban\n"
                     "raw-viewer-1,18_24,urban\n",
        follows__csv="source_id,target_id\nraw-viewer-3,c1\n",
    )
    err = problems_of(folder, pseudonymiser)
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser, on_error="skip")
    text = str(err) + data.rejects.to_csv() + json.dumps(data.warnings)
    for raw in (*RAW_VIEWER_IDS, "raw-viewer-3"):
        assert raw not in text
    assert set(data.nodes["Viewer"]["id"]) == {pseudonymiser.one("raw-viewer-1")}


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_generated_dataset_with_empty_kinds_loads_in_every_format(tmp_path, pseudonymiser, fmt):
    summary = loaders.generate(1, 0, tmp_path / fmt, format=fmt)  # scale 1 leaves some kinds empty
    assert 0 in summary.relationships.values()
    data = loaders.read_dataset(tmp_path / fmt, pseudonymise=pseudonymiser)
    assert data.counts() == {**summary.nodes, **summary.relationships}


def test_empty_files_mean_no_rows(tmp_path, pseudonymiser):
    files = dict(VALID, **{"collaborates_with.csv": ""})
    files["partners_with.jsonl"] = ""
    del files["partners_with.csv"]
    data = loaders.read_dataset(write_dataset(tmp_path / "e", files), pseudonymise=pseudonymiser)
    assert data.counts()["COLLABORATES_WITH"] == 0 and data.counts()["PARTNERS_WITH"] == 0


def test_an_unreadable_file_is_one_problem(tmp_path, pseudonymiser):
    files = dict(VALID)
    del files["topics.csv"]
    folder = write_dataset(tmp_path / "g", files)
    (folder / "topics.parquet").write_bytes(b"this is not parquet")
    (folder / "creators.csv").write_bytes(b"id,name\nc1,\xff\xfe\xfa\n")
    err = problems_of(folder, pseudonymiser)
    assert [(p.file, p.column) for p in err.problems] == [("creators.csv", "name"), ("topics.parquet", None)]


def test_unknown_encoding_is_a_config_error(valid_dataset, pseudonymiser):
    from graphkit import ConfigError

    with pytest.raises(ConfigError, match="unknown encoding 'klingon'"):
        loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser, encoding="klingon")


def test_json_values_of_the_wrong_shape_are_refused(tmp_path, pseudonymiser):
    files = dict(VALID)
    del files["creators.csv"]
    files["creators.jsonl"] = ('{"id": "c1", "name": "A", "followers": 20200101}\n'
                               '{"id": ["c2"], "name": {"a": 1}, "followers": true}\n')
    err = problems_of(write_dataset(tmp_path / "j", files), pseudonymiser)
    where = {(p.line, p.column): p.message for p in err.problems if p.file == "creators.jsonl"}
    assert set(where) == {(2, "id"), (2, "name"), (2, "followers")}


def test_swapped_columns_in_a_viewer_file_show_no_ids(tmp_path, pseudonymiser):
    folder = broken(tmp_path, engages_with__csv="source_id,target_id,views\nc1,raw-viewer-1,3\n")
    err = problems_of(folder, pseudonymiser)
    assert "raw-viewer-1" not in str(err) and "c1" not in str(err)
    assert [(p.line, p.column) for p in err.problems] == [(2, "source_id")]


def test_integers_beyond_two_to_the_53_load_exactly_and_beyond_64_bits_are_refused(tmp_path, pseudonymiser):
    from graphkit import EmbeddedStore

    big = 2**53 + 1  # float64 would round this to 2**53
    ok = write_dataset(tmp_path / "ok", {"topics.csv": "id,name,level\nt0,Science,0\n",
                                         "creators.csv": f"id,name,followers\nc1,A,{big}\nc2,B,{2**63 - 1}\n"})
    data = loaders.read_dataset(ok, pseudonymise=pseudonymiser)
    store = EmbeddedStore()
    store.load(data)
    followers = store.nodes("Creator").set_index("id")["followers"]
    assert followers["c1"] == big and followers["c2"] == 2**63 - 1
    bad = write_dataset(tmp_path / "bad", {"creators.csv": f"id,name,followers\nc1,A,{2**63}\n"})
    with pytest.raises(LoaderError, match="line 2, column followers: expected an integer"):
        loaders.read_dataset(bad, pseudonymise=pseudonymiser)
