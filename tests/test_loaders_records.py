"""CSV and JSON Lines records: each malformed record is one located problem, and a quote
that never closes refuses the file, naming where it opened."""

from __future__ import annotations

import pytest

import loaders
from graphkit import LoaderError
from tests.conftest import VALID, write_dataset

TOPICS = "id,name,level\nt0,Science,0\nt1,Physics,1\n"


def load(tmp_path, pseudonymiser, files, **kw):
    return loaders.read_dataset(write_dataset(tmp_path / "d", {**VALID, **files}), pseudonymise=pseudonymiser, **kw)


def problems(tmp_path, pseudonymiser, files, **kw):
    with pytest.raises(LoaderError) as info:
        load(tmp_path, pseudonymiser, files, **kw)
    return info.value.problems


@pytest.mark.parametrize("on_error", ["fail", "skip"])
def test_an_unclosed_quote_refuses_the_file_naming_where_it_opened(tmp_path, pseudonymiser, on_error):
    bad = TOPICS + 't2,"Chemistry,1\nt3,Biology,1\nt4,Maths,1\n'
    found = problems(tmp_path, pseudonymiser, {"topics.csv": bad}, on_error=on_error)
    assert [(p.file, p.line, p.column) for p in found] == [("topics.csv", 4, "name")]
    assert "never closes" in found[0].message


def test_text_after_a_closing_quote_rejects_only_that_record(tmp_path, pseudonymiser):
    bad = TOPICS + 't2,"Chem"istry,1\nt3,Biology,1\n'
    data = load(tmp_path, pseudonymiser, {"topics.csv": bad}, on_error="skip")
    assert data.nodes["Topic"]["id"].tolist() == ["t0", "t1", "t3"]
    [reject] = data.rejects.itertuples()
    assert (reject.file, reject.line, reject.column) == ("topics.csv", 4, "name")
    assert "after the closing quote" in reject.reason


def test_a_wrong_field_count_names_expected_found_and_the_header(tmp_path, pseudonymiser):
    found = problems(tmp_path, pseudonymiser, {"topics.csv": TOPICS + "t2,Chemistry\n"})
    assert [(p.line, p.message) for p in found] == [
        (4, "expected 3 fields as in the header (id,name,level), found 2")]


def test_a_rejected_record_spanning_lines_names_them_all(tmp_path, pseudonymiser):
    bad = TOPICS + 't2,"Chem\nistry",x\nt3,"Bio\nlogy\n",1,extra\nt4,Maths,1\n'
    data = load(tmp_path, pseudonymiser, {"topics.csv": bad}, on_error="skip")
    reasons = {r.line: r.reason for r in data.rejects.itertuples()}
    assert "(the record spans lines 4-5)" in reasons[4]  # a bad value in a two-line record
    assert "found 4 in the record on lines 6-8" in reasons[6]  # a two-line record with a field too many
    assert data.nodes["Topic"]["id"].tolist() == ["t0", "t1", "t4"]


def test_crlf_blank_and_whitespace_lines_keep_line_numbers(tmp_path, pseudonymiser):
    bad = "id,name,level\r\n\r\nt0,Science,0\r\n   \r\nt1,Physics,x\r\n"
    found = problems(tmp_path, pseudonymiser, {"topics.csv": bad})
    assert [(p.line, p.column) for p in found] == [(5, "level")]


def test_a_multi_line_record_that_loads_is_named_in_a_warning(tmp_path, pseudonymiser):
    role = 'source_id,target_id,role\nc1,i1,"official\naccount"\n'
    data = load(tmp_path, pseudonymiser, {"affiliated_with.csv": role})
    assert data.relationships["AFFILIATED_WITH"]["role"].tolist() == ["official\naccount"]
    assert any("1 record with a quoted line break spans several lines (lines 2-3)" in w for w in data.warnings)


def test_json_constants_duplicate_keys_and_line_separators(tmp_path, pseudonymiser):
    files = {"topics.jsonl": '{"id": "t0", "name": "S", "note": "a\u2028b"}\n{"id": "t1", "name": "P", "level": NaN}\n'
                             '{"id": "t1", "id": "t9", "name": "P"}\n'}
    folder = write_dataset(tmp_path / "j", {**{k: v for k, v in VALID.items() if k != "topics.csv"}, **files})
    with pytest.raises(LoaderError) as info:
        loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    where = {(p.file, p.line): p.message for p in info.value.problems if p.file == "topics.jsonl"}
    assert where == {("topics.jsonl", 2): "malformed JSON: NaN is not a JSON value",
                     ("topics.jsonl", 3): "malformed JSON: key 'id' appears twice in one object"}
