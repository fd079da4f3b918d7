"""The Neo4j store, through the official driver.  The only module that imports ``neo4j``.

Writes go in batches of ``UNWIND $rows ... MERGE`` inside managed write transactions
(``session.execute_write``); the driver retries a failed batch, which is safe because
every batch is an idempotent upsert.  Reads run in read transactions.  Every statement
comes from ``cypher/`` by name; user values travel only as parameters.

Connection settings follow Neo4j's conventions: ``NEO4J_URI``, ``NEO4J_USER`` (default
``neo4j``) and ``NEO4J_PASSWORD``.  The password is never logged or shown.
"""

from __future__ import annotations

import math
import os
from itertools import chain
from urllib.parse import urlsplit
from collections.abc import Callable, Iterable
from typing import Any

import neo4j
import numpy as np
import pandas as pd
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from graphkit import model
from graphkit.cypher import coerce_params, load_query, query_names
from graphkit.errors import ConfigError, QueryError, StoreError
from graphkit.graph import Graph
from graphkit.stores.base import Store, Weight, assemble_graph, check_result_frame, resolve_projection, weight_of

__all__ = ["Neo4jStore"]

_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


def _plain(value: Any) -> Any:
    """A value the driver can send: numpy scalars to Python, missing to None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _columns(frame: pd.DataFrame, columns: Iterable[str]) -> dict[str, list[Any]]:
    """One list per model column (a column the frame lacks is all null), missing as None."""
    out: dict[str, list[Any]] = {}
    for col in columns:
        if col not in frame.columns:
            out[col] = [None] * len(frame)
            continue
        values = frame[col]
        if values.dtype == object and len(values) and isinstance(values.iloc[0], (list, np.ndarray)):
            out[col] = [_plain(v) for v in values.tolist()]
        elif pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
            out[col] = values.astype(object).where(values.notna(), None).tolist()
        else:
            out[col] = [None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v
                        for v in values.astype(object).tolist()]
    return out


def _rows(frame: pd.DataFrame, keys: list[str]) -> list[dict[str, Any]]:
    """``{key..., "props": {...}}`` maps; a missing value is sent as null, which removes it."""
    props = [c for c in frame.columns if c not in keys]
    key_values = [frame[k].tolist() for k in keys]
    prop_values = [[_plain(v) for v in frame[c].tolist()] for c in props]
    out = []
    for i in range(len(frame)):
        row = {k: vals[i] for k, vals in zip(keys, key_values)}
        row["props"] = {c: vals[i] for c, vals in zip(props, prop_values)}
        out.append(row)
    return out


def _checked_uri(uri: str | None) -> str:
    """The URI, if it is a Bolt URI without credentials in it (they belong in NEO4J_USER/NEO4J_PASSWORD)."""
    if not uri:
        raise ConfigError("no Neo4j URI: pass --neo4j URI or set NEO4J_URI")
    parts = urlsplit(uri)
    if "@" in parts.netloc:
        raise ConfigError("put Neo4j credentials in NEO4J_USER and NEO4J_PASSWORD, not in the URI")
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise ConfigError(f"not a Neo4j Bolt URI: {uri!r} (expected e.g. bolt://127.0.0.1:7687)")
    return uri


class Neo4jStore(Store):
    """A store in a Neo4j database.

    Parameters
    ----------
    uri : str, optional
        Bolt or neo4j URI; default ``$NEO4J_URI``.
    user, password : str, optional
        Default ``$NEO4J_USER`` (else ``neo4j``) and ``$NEO4J_PASSWORD``.
    database : str, optional
        Database name (community edition has one: ``neo4j``).
    batch_size : int
        Rows per write transaction.
    max_retry_time : float, optional
        Seconds the driver keeps retrying a failed transaction; default
        ``$GRAPHKIT_NEO4J_MAX_RETRY_TIME``, else 30.

    Examples
    --------
    Needs a server, so shown but not run::

        with Neo4jStore("bolt://127.0.0.1:7687", password=...) as store:
            store.load(dataset.nodes, dataset.relationships)
            top = store.query("top_creators_in_topic", topic="t003", limit=10)
    """

    def __init__(
        self,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        *,
        database: str | None = None,
        batch_size: int = 10_000,
        max_retry_time: float | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.uri = _checked_uri(uri or os.environ.get("NEO4J_URI"))
        user = user or os.environ.get("NEO4J_USER", "neo4j")
        password = password if password is not None else os.environ.get("NEO4J_PASSWORD")
        if password is None:
            raise ConfigError("no Neo4j password: set NEO4J_PASSWORD")
        if max_retry_time is None:
            raw = os.environ.get("GRAPHKIT_NEO4J_MAX_RETRY_TIME", "30")
            try:
                max_retry_time = float(raw)
            except ValueError:
                raise ConfigError(f"GRAPHKIT_NEO4J_MAX_RETRY_TIME must be a number of seconds, got {raw!r}") from None
        if batch_size < 1:
            raise ConfigError(f"the batch size must be a positive number of rows, got {batch_size}")
        self.database = database
        self.batch_size = batch_size
        self.progress = progress
        self._schema_ready = False
        try:
            # A property key absent from the database (before the first load) is not worth a warning.
            self._driver = neo4j.GraphDatabase.driver(
                self.uri, auth=(user, password), max_transaction_retry_time=max_retry_time,
                notifications_disabled_classifications=["UNRECOGNIZED"],
            )
        except Exception as exc:  # the driver raises several types for a bad URI or setting
            raise ConfigError(f"cannot use the Neo4j URI {self.uri}: {type(exc).__name__}") from None
        try:
            self._driver.verify_connectivity()
        except AuthError:
            self._driver.close()
            raise StoreError(f"Neo4j at {self.uri} refused the credentials of user {user!r}") from None
        except (DriverError, OSError, ValueError) as exc:
            self._driver.close()
            raise StoreError(f"cannot reach Neo4j at {self.uri}: {type(exc).__name__}: {exc}") from None

    def __repr__(self) -> str:
        return f"Neo4jStore(uri={self.uri!r})"

    # -- plumbing ------------------------------------------------------------------------
    def _session(self, read: bool = False) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    @staticmethod
    def _statement(name: str) -> neo4j.Query:
        """A named statement for ``session.run`` (auto-commit: streaming reads, batched deletes)."""
        return neo4j.Query(load_query(name).text, metadata={"graphkit_query": name})  # type: ignore[arg-type]

    def _read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        text = load_query(name).text

        @neo4j.unit_of_work(metadata={"graphkit_query": name})
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(text, params)]

        try:
            with self._session(read=True) as session:
                return session.execute_read(work)
        except Neo4jError as exc:
            raise StoreError(f"Neo4j query {name} failed: {exc.message}") from None
        except (DriverError, OSError) as exc:
            raise StoreError(f"lost the connection to Neo4j at {self.uri} during {name}: {exc}") from None

    def _write(self, name: str, **params: Any) -> None:
        text = load_query(name).text

        @neo4j.unit_of_work(metadata={"graphkit_query": name})
        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run(text, params).consume()

        try:
            with self._session() as session:
                session.execute_write(work)
        except Neo4jError as exc:
            raise StoreError(f"Neo4j statement {name} failed: {exc.message}") from None
        except (DriverError, OSError) as exc:  # the server went away mid-write (after the driver's retries)
            raise StoreError(f"lost the connection to Neo4j at {self.uri} during {name}: {exc}; "
                             "loads are idempotent, so run the same load again") from None

    # -- writing -------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the uniqueness constraints (idempotent)."""
        self._write("constraint_meta")
        for kind in model.NODE_KINDS:
            self._write(f"constraint_{kind.file}")
        self._schema_ready = True

    def _ready(self) -> None:
        # Constraints come with the first write, never before: a refused load or a
        # read-only command leaves the database exactly as it was.
        if not self._schema_ready:
            self.ensure_schema()

    def check_key(self, fingerprint: str) -> None:
        found = [r["key_fingerprint"] for r in self._read("get_key_fingerprint")]
        if found and found[0] not in (None, fingerprint):
            raise StoreError("this database was loaded with a different pseudonym key; loading with this one "
                             "would give the same viewers new ids. Use the original key or an empty database")

    def bind_key(self, fingerprint: str) -> None:
        self._ready()
        self._write("set_key_fingerprint", fingerprint=fingerprint)

    def _write_in_batches(self, name: str, frame: pd.DataFrame, what: str,
                          params: Callable[[pd.DataFrame], dict[str, Any]]) -> None:
        """Run ``name`` once per ``batch_size`` rows of ``frame``, reporting progress."""
        self._ready()
        for start in range(0, len(frame), self.batch_size):
            part = frame.iloc[start:start + self.batch_size]
            self._write(name, **params(part))
            if self.progress:
                self.progress(what, start + len(part), len(frame))

    def upsert_nodes(self, label: str, frame: pd.DataFrame) -> int:
        kind = model.node_kind(label)
        self._write_in_batches(f"merge_{kind.file}", frame, kind.label,
                               lambda part: {"batch": _columns(part, kind.columns)})
        return len(frame)

    def upsert_relationships(self, rel_type: str, frame: pd.DataFrame) -> int:
        rel = model.rel_kind(rel_type)
        self._write_in_batches(f"merge_{rel.file}", frame, rel.type,
                               lambda part: {"batch": _columns(part, rel.columns)})
        return len(frame)

    def refresh_derived(self) -> None:
        self._write("derive_creator_activity")

    def write_results(self, frame: pd.DataFrame) -> int:
        columns = check_result_frame(frame)
        for label, part in frame.groupby("kind", sort=False):
            kind = model.node_kind(str(label))
            self._write_in_batches(f"write_results_{kind.file}", part[["id", *columns]], f"{kind.label} results",
                                   lambda batch: {"rows": _rows(batch, ["id"])})
        return len(frame)

    # -- reading -------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        nodes = {r["kind"]: r["count"] for r in self._read("count_nodes")}
        rels = {r["kind"]: r["count"] for r in self._read("count_relationships")}
        return {**{k.label: nodes.get(k.label, 0) for k in model.NODE_KINDS},
                **{r.type: rels.get(r.type, 0) for r in model.REL_KINDS}}

    def node_ids(self, label: str) -> set[str]:
        return {r["id"] for r in self._read(f"project_{model.node_kind(label).file}")}

    def nodes(self, label: str) -> pd.DataFrame:
        kind = model.node_kind(label)
        records = [r["props"] for r in self._read(f"read_{kind.file}")]
        return self._frame(records, kind.columns, kind)

    def relationships(self, rel_type: str) -> pd.DataFrame:
        rel = model.rel_kind(rel_type)
        records = [{model.SOURCE_ID: r["source_id"], model.TARGET_ID: r["target_id"], **r["props"]}
                   for r in self._read(f"read_{rel.file}")]
        return self._frame(records, rel.columns, rel)

    @staticmethod
    def _frame(records: list[dict[str, Any]], columns: Iterable[str], kind: model.NodeKind | model.RelKind
               ) -> pd.DataFrame:
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
        for col in columns:
            if col not in frame.columns:
                frame[col] = pd.Series([None] * len(frame), dtype=object)
        for prop in kind.properties:
            if prop.type == "integer":
                frame[prop.name] = frame[prop.name].astype("Int64")
            elif prop.type == "enum_list":
                frame[prop.name] = frame[prop.name].map(lambda v: list(v) if isinstance(v, list) else [])
        ordered = [*columns, *sorted(c for c in frame.columns if c not in set(columns))]
        return frame[ordered].sort_values(list(columns)[:2 if isinstance(kind, model.RelKind) else 1],
                                          ignore_index=True)

    def project(
        self,
        *,
        nodes: Iterable[str] | None = None,
        relationships: Iterable[str] | None = None,
        weight: Weight = None,
        directed: bool = False,
    ) -> Graph:
        """Project chosen kinds into a :class:`~graphkit.Graph`, streaming rows from the server."""
        node_kinds, rel_kinds = resolve_projection(nodes, relationships)
        node_arrays = [(k.label, self._column(f"project_{k.file}", {}, ["id"])[0]) for k in node_kinds]
        edges = []
        for rel in rel_kinds:
            w = weight_of(rel, weight)
            params = {"weight_property": w if isinstance(w, str) else "", "default_weight": 1.0 if isinstance(w, str) else float(w)}
            sources, targets, weights = self._column(f"project_{rel.file}", params, ["source_id", "targets", "weights"])
            lengths = np.fromiter(map(len, targets), dtype=np.int64, count=len(targets))
            edges.append((rel.type, np.repeat(sources, lengths),
                          np.array(list(chain.from_iterable(targets)), dtype=object),
                          np.fromiter(chain.from_iterable(weights), dtype=np.float64, count=int(lengths.sum()))))
        return assemble_graph(node_arrays, edges, source_labels={r.type: (r.source, r.target) for r in rel_kinds},
                              directed=directed)

    def _column(self, name: str, params: dict[str, Any], keys: list[str]) -> list[np.ndarray]:
        """Stream a read query's rows into one numpy array per key."""
        statement = self._statement(name)
        columns: list[list[Any]] = [[] for _ in keys]
        try:
            with self._session(read=True) as session:
                result = session.run(statement, params)
                appends = [c.append for c in columns]
                for record in result:
                    for append, value in zip(appends, record.values()):
                        append(value)
        except Neo4jError as exc:
            raise StoreError(f"Neo4j query {name} failed: {exc.message}") from None
        except (DriverError, OSError) as exc:
            raise StoreError(f"lost the connection to Neo4j at {self.uri} during {name}: {exc}") from None
        return [np.array(c, dtype=object) for c in columns]

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run a named query from ``cypher/queries/`` in a read transaction; parameters as declared."""
        query = load_query(name)
        if not query.public:
            raise QueryError(f"{name} is one of graphkit's own statements, not a named query; "
                             f"known: {', '.join(query_names(public=True))}")
        records = self._read(name, **coerce_params(query, params))
        return pd.DataFrame.from_records(records)

    def clear(self) -> None:
        """Delete every node and relationship (tests and benchmarks, on a database they started)."""
        # Relationships first: deleting a dense node with its relationships in one
        # transaction can outgrow the server's transaction memory.
        with self._session() as session:
            session.run(self._statement("delete_relationships")).consume()
            session.run(self._statement("delete_nodes")).consume()

    def close(self) -> None:
        self._driver.close()
