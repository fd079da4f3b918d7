"""Every .cypher file loads, declares the parameters it uses, and spells labels, types and
properties only as the data model does."""

from __future__ import annotations

import re

import pytest

from graphkit import QueryError, model
from graphkit.cypher import check_query, load_query, query_names

LABELS = {k.label for k in model.NODE_KINDS}
TYPES = {r.type for r in model.REL_KINDS}


@pytest.mark.parametrize("name", query_names())
def test_query_loads_and_declares_what_it_uses(name):
    query = load_query(name)
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("//"))
    used = set(re.findall(r"\$(\w+)", body))
    assert used == set(query.params), name
    for label in re.findall(r"\(\w*:(\w+)", body):
        assert label in LABELS | {model.META_LABEL}, (name, label)
    for group in re.findall(r"\[\w*:([\w|]+)", body):
        for rel_type in group.split("|"):
            assert rel_type in TYPES, (name, rel_type)
    for label in re.findall(r"\w+:(\w+)\b", body.replace("::", "")):
        if label[0].isupper() and label.upper() != label:  # a label (types are upper case)
            assert label in LABELS | {model.META_LABEL}, (name, label)


def test_every_kind_has_its_write_statements():
    names = set(query_names())
    for kind in model.NODE_KINDS:
        assert {f"constraint_{kind.file}", f"merge_{kind.file}"} <= names
        text = load_query(f"merge_{kind.file}").text
        assert f"MERGE (n:{kind.label} {{{model.ID}: $batch.{model.ID}[i]}})" in text
        assert re.findall(r"n\.(\w+) = \$batch\.(\w+)\[i\]", text) == [(p.name, p.name) for p in kind.properties]
    for rel in model.REL_KINDS:
        text = load_query(f"merge_{rel.file}").text
        assert f"(s:{rel.source} {{id: $batch.{model.SOURCE_ID}[i]}})" in text
        assert f"(t:{rel.target} {{id: $batch.{model.TARGET_ID}[i]}})" in text and f"[e:{rel.type}]" in text
        assert re.findall(r"e\.(\w+) = \$batch\.(\w+)\[i\]", text) == [(p.name, p.name) for p in rel.properties]


def test_unknown_query_lists_the_known_ones():
    with pytest.raises(QueryError, match="known: bridging_creators, constraint_affiliated|known: bridging_creators"):
        load_query("drop_everything")


def test_every_property_a_statement_names_is_in_the_model():
    known = {model.ID, "key_fingerprint", "name"}  # the bookkeeping node's keys
    for kind in (*model.NODE_KINDS, *model.REL_KINDS):
        known |= {p.name for p in kind.properties}
    known |= {p.name for p in (*model.DERIVED_PROPERTIES, *model.ANALYSIS_PROPERTIES)}
    for name in query_names():
        body = "\n".join(line for line in load_query(name).text.splitlines() if not line.startswith("//"))
        body = re.sub(r"'[^']*'", "''", body)  # string literals are data
        for variable, prop in re.findall(r"(?<![$\w])([a-z]\w*)\.(\w+)", body):
            if variable == "row":  # LOAD CSV-style row maps carry column names, not properties
                continue
            assert prop in known, (name, f"{variable}.{prop}")
        for prop in re.findall(r"\$batch\.(\w+)", body):
            assert prop in known | {model.SOURCE_ID, model.TARGET_ID}, (name, prop)


def test_check_query_checks_name_and_parameters_with_no_database():
    query, params = check_query("institution_reach", {"institution": "i1", "k": "3"})
    assert (query.name, params, query.labels) == ("institution_reach", {"institution": "i1", "k": 3},
                                                   {"institution": "Institution"})
    with pytest.raises(QueryError, match="no Cypher query named 'nope'; known: bridging_creators"):
        check_query("nope", {})
    with pytest.raises(QueryError, match="not a named query"):
        check_query("merge_creators", {"batch": {}})
    with pytest.raises(QueryError, match="must be between 1 and 6, got 9"):
        check_query("institution_reach", {"institution": "i1", "k": "9"})
    with pytest.raises(QueryError, match=r"takes parameters: institution \(Institution id\), k \(integer 1..6\); "
                                         "missing: k"):
        check_query("institution_reach", {"institution": "i1"})
    with pytest.raises(QueryError, match="must be a Topic id"):
        check_query("neighbourhood_topic", {"id": ""})
    with pytest.raises(QueryError, match="must be between 1 and 1000000, got 0"):
        check_query("top_creators_in_topic", {"topic": "t1", "limit": "0"})
    with pytest.raises(QueryError, match="a query name is a string"):
        check_query(None, {})  # type: ignore[arg-type]


ID_LIKE = {"id", "topic", "institution", "creator"}


@pytest.mark.parametrize("name", query_names(public=True))
def test_id_parameters_are_declared_with_their_label_and_can_be_checked(name):
    query = load_query(name)
    for param, kind in query.params.items():
        if param in ID_LIKE:
            assert kind == "id" and query.labels[param] in LABELS, (name, param)
    names = set(query_names())
    for label in query.labels.values():
        assert f"exists_{model.node_kind(label).file}" in names
    if "score" in query.params.values():
        assert "scores_written" in names


def test_an_id_parameter_must_name_a_label_of_the_model(tmp_path, monkeypatch):
    import graphkit.cypher as cypher

    (tmp_path / "queries").mkdir()
    (tmp_path / "bad.cypher").write_text("// param x id:Video: no such label\nRETURN $x\n", encoding="utf-8")
    (tmp_path / "worse.cypher").write_text("// param x string:Topic: only id takes one\nRETURN $x\n", encoding="utf-8")
    monkeypatch.setattr(cypher, "_folder", lambda: tmp_path)
    for name in ("bad", "worse"):
        with pytest.raises(QueryError, match="must be declared id:LABEL"):
            cypher.load_query.__wrapped__(name)
