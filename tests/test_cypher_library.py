"""Every .cypher file loads, declares the parameters it uses, and spells labels, types and
properties only as the data model does."""

from __future__ import annotations

import re

import pytest

from graphkit import QueryError, model
from graphkit.cypher import load_query, query_names

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
