"""Text and identifiers: refused characters, NFC ids, stripped whitespace, mixed encodings,
near-miss column names and escaped echoes."""

from __future__ import annotations

import sys
import unicodedata

import pytest

import loaders
from graphkit import LoaderError
from loaders.convert import _INVISIBLE
from tests.conftest import RAW_VIEWER_IDS, VALID, write_dataset


def folder_with(tmp_path, **files):
    return write_dataset(tmp_path / "d", {**VALID, **{k.replace("__", "."): v for k, v in files.items()}})


def problems(folder, pseudonymiser, **kw):
    with pytest.raises(LoaderError) as info:
        loaders.read_dataset(folder, pseudonymise=pseudonymiser, **kw)
    return info.value.problems


@pytest.mark.parametrize(
    "file, content, line, column, fragment",
    [
        ("topics.csv", "id,name,level\nt0,Sci\x00ence,0\nt1,Physics,1\n", 2, "name", "U+0000, a NUL) at character 4"),
        ("topics.csv", "id,name,level\nt0,Science,0\nt\x071,Physics,1\n", 3, "id", "control character (U+0007)"),
        ("topics.csv", "id,name,level\nt0,Science\x85,0\nt1,Physics,1\n", 2, "name", "control character (U+0085)"),
        ("topics.csv", "id,name,level\nt0,Science,0\nt1,\"Phys\tics\",1\n", 3, "name", "U+0009, a tab"),
        ("topics.csv", "id,name,level\nt0,Science,0\nt1\t,Physics,1\n", 3, "id", "U+0009, a tab"),
        ("institutions.csv", "id,name,kind\ni1,X,univer\x1bsity\n", 2, "kind", "control character (U+001B)"),
        ("affiliated_with.csv", "source_id,target_id,role\nc1,i1,staff\x00\n", 2, "role", "U+0000, a NUL"),
        ("publishes_on.csv", "source_id,target_id,videos,views\nc1,t1,1\x1f,1\nc2,t1,0,0\n", 2, "videos",
         "control character (U+001F)"),
    ],
)
def test_control_characters_are_refused_with_line_and_column(tmp_path, pseudonymiser, file, content, line,
                                                             column, fragment):
    found = [p for p in problems(folder_with(tmp_path, **{file.replace(".", "__"): content}), pseudonymiser)
             if p.file == file]
    assert [(p.line, p.column) for p in found] == [(line, column)]
    assert fragment in found[0].message


def test_free_text_may_hold_tabs_and_line_breaks(tmp_path, pseudonymiser):
    folder = folder_with(tmp_path, affiliated_with__csv='source_id,target_id,role\nc1,i1,"staff\tand\nfriends"\n')
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    assert data.relationships["AFFILIATED_WITH"]["role"].tolist() == ["staff\tand\nfriends"]


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060", "\u202e", "\u00ad", "\U000e0041"])
def test_invisible_characters_in_ids_are_refused(tmp_path, pseudonymiser, invisible):
    folder = folder_with(tmp_path, topics__csv=f"id,name,level\nt0,Science,0\nt{invisible}1,Physics,1\n",
                         subtopic_of__csv=f"source_id,target_id\nt{invisible}1,t0\n")
    found = problems(folder, pseudonymiser, on_error="fail")
    where = {(p.file, p.line, p.column): p.message for p in found}
    assert f"U+{ord(invisible):04X}" in where[("topics.csv", 3, "id")]
    assert "invisible character" in where[("subtopic_of.csv", 2, "source_id")]


def test_the_invisible_set_covers_unicode_category_cf():
    missing = [f"U+{c:04X}" for c in range(sys.maxunicode + 1)
               if unicodedata.category(chr(c)) == "Cf" and not any(a <= c <= b for a, b in _INVISIBLE)]
    assert missing == []


def test_ids_are_nfc_so_composed_and_decomposed_ends_match(tmp_path, pseudonymiser):
    decomposed, composed = "cafe\u0301", "caf\u00e9"
    viewers = "id,age_band,region_type\nraw-viewer-1,60_plus,rural\nraw-viewer-2,under_18,urban\n"
    folder = folder_with(tmp_path, topics__csv=f"id,name,level\nt0,Science,0\nt1,Physics,1\n{decomposed},Cafe,1\n",
                         subtopic_of__csv=f"source_id,target_id\n{composed},t0\n",
                         viewers__csv=viewers + f"v{decomposed},unknown,unknown\n",
                         interested_in__csv=f"source_id,target_id\nv{composed},t0\n")
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    assert data.nodes["Topic"]["id"].tolist() == ["t0", "t1", composed]
    assert data.relationships["SUBTOPIC_OF"]["source_id"].tolist() == [composed]
    assert data.nodes["Viewer"]["id"].tolist()[2] == pseudonymiser.one("v" + composed)
    assert data.relationships["INTERESTED_IN"]["source_id"].tolist() == [pseudonymiser.one("v" + composed)]


def test_surrounding_whitespace_is_stripped_with_a_warning_everywhere(tmp_path, pseudonymiser):
    folder = folder_with(
        tmp_path,
        creators__csv="id , name\nc1 ,Physics Lab\nc2,\u3000Dr. 李 \n",
        affiliated_with__csv="source_id,target_id,role\n c1,i1,official account\n",
        follows__csv="source_id,target_id\nraw-viewer-1 ,c1\n",
    )
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    assert data.nodes["Creator"]["id"].tolist() == ["c1", "c2"]  # one creator c1, not two
    assert data.nodes["Creator"]["name"].tolist() == ["Physics Lab", "Dr. 李"]
    assert data.relationships["FOLLOWS"]["source_id"].tolist() == [pseudonymiser.one("raw-viewer-1")]
    assert data.warnings[:5] == [
        "creators.csv: stripped surrounding whitespace from 2 header cells: 'id ', ' name'",
        "creators.csv: stripped surrounding whitespace from 1 cell in column id",
        "creators.csv: stripped surrounding whitespace from 1 cell in column name",
        "affiliated_with.csv: stripped surrounding whitespace from 1 cell in column source_id",
        "follows.csv: stripped surrounding whitespace from 1 cell in column source_id",
    ]


def test_a_blank_id_is_missing_not_stripped_into_a_value(tmp_path, pseudonymiser):
    found = problems(folder_with(tmp_path, topics__csv="id,name,level\nt0,Science,0\nt1,Physics,1\n   ,Chem,1\n"),
                     pseudonymiser)
    assert [(p.file, p.line, p.column, p.message) for p in found] == [
        ("topics.csv", 4, "id", "required value is missing")]


def test_a_line_in_another_encoding_refuses_a_utf8_file_at_that_line(tmp_path, pseudonymiser):
    data = "id,name,level\nt0,科学,0\n".encode() + "t1,物理,1\nt2,化学,1\n".encode("gb18030")
    found = problems(folder_with(tmp_path, topics__csv=data), pseudonymiser, on_error="skip")
    assert [(p.file, p.line, p.column) for p in found] == [("topics.csv", 3, "name")]
    assert "not valid UTF-8 at character 4" in found[0].message and "though line 2 is UTF-8" in found[0].message
    assert "1 more line like it" in found[0].message


def test_a_missing_column_that_differs_by_case_or_spaces_is_named(tmp_path, pseudonymiser):
    folder = folder_with(tmp_path, publishes_on__csv="source_id,target_id,Videos,views\nc1,t1,1,1\nc2,t1,0,0\n",
                         creators__csv="id,name,Followers\nc1,A,1\nc2,B,2\n")
    found = problems(folder, pseudonymiser)
    assert [(p.file, p.column, p.message) for p in found] == [
        ("publishes_on.csv", "videos", "required column is missing; found 'Videos': did you mean videos?")]
    folder = folder_with(tmp_path, creators__csv="id,name,Followers\nc1,A,1\nc2,B,2\n")
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    assert any("ignored columns the model does not know: Followers (did you mean followers?)" in w
               for w in data.warnings)


def test_look_alikes_and_invisibles_in_echoed_values_are_escaped(tmp_path, pseudonymiser):
    folder = folder_with(tmp_path, publishes_on__csv="source_id,target_id,videos,views\n\u0441\uff11,t1,1,1\n"
                                                     "c2,t1,0,0\n")
    [found] = problems(folder, pseudonymiser)
    assert found.message == "no Creator with id '\\u0441\\uff11'"


def test_viewer_ids_with_refused_characters_are_not_echoed(tmp_path, pseudonymiser):
    folder = folder_with(tmp_path, viewers__csv="id,age_band,region_type\nraw-viewer-1\u200b,60_plus,rural\n"
                                                "raw-viewer-2\x00,under_18,urban\n")
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser, on_error="skip")
    text = data.rejects.to_csv() + " ".join(data.warnings)
    assert "U+200B" in text and "U+0000" in text
    assert not any(raw in text for raw in RAW_VIEWER_IDS)
