"""The Neo4j store, through the official driver.  The only module that imports ``neo4j``.

Writes go in batches of ``UNWIND $rows ... MERGE`` inside managed write transactions
(``session.execute_write``); the driver retries a failed batch, which is safe because
every batch is an idempotent upsert.  A kind the database holds none of is written with
``CREATE`` instead, each batch guarded on the bookkeeping node so that a retry or a
racing load merges rather than creating twice (:meth:`Neo4jStore._write_guarded`).
Reads run in read transactions.  Every statement
comes from ``cypher/`` by name; user values travel only as parameters.

Connection settings follow Neo4j's conventions: ``NEO4J_URI``, ``NEO4J_USER`` (default
``neo4j``) and ``NEO4J_PASSWORD``, read with the other variables in :mod:`graphkit.config`
(:meth:`Neo4jStore.from_env`).  The password is never logged or shown.

Every driver error passes through one translation, :func:`_driver_errors`: it becomes a
:class:`~graphkit.StoreError` with a one-line message (chained to the driver's error), so
the CLI never shows a traceback for it.  The driver's own log records (retry warnings,
server notifications) do not reach stderr unless the application configures logging.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from typing import Any

import neo4j
import numpy as np
import pandas as pd
from neo4j.exceptions import AuthError, GqlError, Neo4jError, ServiceUnavailable, SessionExpired

from graphkit import _repr, config, model
from graphkit.config import DEFAULT_CONNECT_TIMEOUT
from graphkit.cypher import load_query
from graphkit.errors import ArgumentError, ConfigError, GraphkitError, QueryError, StoreError
from graphkit.graph import Graph, attribute_names
from graphkit.stores._read_ahead import read_ahead
from graphkit.stores.base import (
    LoadSummary,
    Store,
    Weight,
    assemble_graph,
    check_named_query,
    check_result_frame,
    other_key_message,
    resolve_projection,
    unbound_viewers_message,
    weight_of,
)

__all__ = ["Neo4jStore", "DEFAULT_CONNECT_TIMEOUT"]

_RATE_LIMITED = "Neo.ClientError.Security.AuthenticationRateLimit"

#: The batch list of a relationship kind that says where each run of one source starts (_relationship_batch).
RUN_START = "run_start"

# The driver logs retries and server notifications as warnings on the "neo4j" logger; with
# no handler anywhere, Python's last resort would print them raw on stderr (even under -q).
# A NullHandler keeps them there for an application that configures logging, and off stderr.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


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


def _relationship_batch(frame: pd.DataFrame, rel: model.RelKind) -> dict[str, list[Any]]:
    """A batch of ``rel``'s rows for merge_/create_<rel>: one list per column, the sources one per run.

    Consecutive rows of one source form a run; the statement matches its source node once
    per run and its rows' targets one by one.  ``RUN_START`` holds each run's first row and,
    last, the number of rows.  Rows keep their order, so unsorted rows give short runs.

    Examples
    --------
    >>> frame = pd.DataFrame({"source_id": ["v1", "v1", "v2"], "target_id": ["c1", "c2", "c1"]})
    >>> batch = _relationship_batch(frame, model.FOLLOWS)
    >>> batch["source_id"], batch["run_start"], batch["target_id"]
    (['v1', 'v2'], [0, 2, 3], ['c1', 'c2', 'c1'])
    """
    batch = _columns(frame, rel.columns)
    sources = frame[model.SOURCE_ID].to_numpy()
    starts = np.flatnonzero(np.r_[True, sources[1:] != sources[:-1]]) if len(sources) else np.zeros(0, np.int64)
    batch[model.SOURCE_ID] = sources[starts].tolist()
    batch[RUN_START] = [*starts.tolist(), len(sources)]
    return batch


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


def _one_line(text: object, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _causes(exc: BaseException | None, seen: set[int]) -> Iterator[BaseException]:
    """``exc``, its causes and the members of exception groups among them, outermost first."""
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        for member in getattr(exc, "exceptions", ()) if isinstance(exc, BaseExceptionGroup) else ():
            yield from _causes(member, seen)
        exc = exc.__cause__ or exc.__context__


def _reason(exc: BaseException, timeout: float) -> str:
    """Why a connection failed, in a few words: the operating system's error if there is one."""
    causes = list(_causes(exc, set()))
    for inner in causes:
        if isinstance(inner, TimeoutError):
            return (f"no answer within {timeout:g} s (a Neo4j server answers at once; "
                    "is this its Bolt port? GRAPHKIT_NEO4J_CONNECT_TIMEOUT sets the wait)")
        if isinstance(inner, ConnectionRefusedError):
            return "connection refused (is the server running, and is this its Bolt port?)"
    errors = [c.strerror for c in causes if isinstance(c, OSError) and c.strerror]
    return errors[-1] if errors else _one_line(causes[-1] if str(causes[-1]) else exc)


@contextmanager
def _driver_errors(shown_uri: str, user: str, password: str, timeout: float, during: str | None = None,
                   hint: str = "") -> Iterator[None]:
    """The one translation of driver errors.

    A :class:`StoreError` with a one-line message, chained (``raise ... from exc``), never
    showing the password.  ``during`` names the statement (``None``: connecting); ``hint``
    ends the message of a lost connection.
    """
    try:
        yield
    except GraphkitError:
        raise
    except (GqlError, OSError) as exc:
        code = getattr(exc, "code", None) or ""
        running = f"statement {during}" if during else "connection"
        if code == _RATE_LIMITED:
            message = (f"Neo4j at {shown_uri} refuses logins of user {user!r} for a few seconds after too many "
                       "wrong passwords; check NEO4J_USER and NEO4J_PASSWORD, then try again")
        elif isinstance(exc, AuthError):
            message = f"Neo4j at {shown_uri} refused the credentials of user {user!r}; check NEO4J_USER and NEO4J_PASSWORD"
        elif isinstance(exc, Neo4jError) and code.startswith("Neo.ClientError.Security."):
            message = f"Neo4j at {shown_uri} refused the {running} for user {user!r}: {_one_line(exc.message or code)}"
        elif isinstance(exc, (ServiceUnavailable, SessionExpired, OSError)):
            reason = _reason(exc, timeout)
            message = (f"cannot reach Neo4j at {shown_uri}: {reason}" if during is None else
                       f"lost the connection to Neo4j at {shown_uri} during {during}: {reason}{hint}")
        elif isinstance(exc, Neo4jError):
            message = f"Neo4j {running} failed: {_one_line(exc.message or exc)} ({code or type(exc).__name__})"
        else:
            message = f"Neo4j driver error in the {running}: {type(exc).__name__}: {_one_line(exc)}"
        if len(password) >= 4:
            message = message.replace(password, "***")
        raise StoreError(message) from exc


class Neo4jStore(Store):
    """A store in a Neo4j database.

    Parameters
    ----------
    Every setting left out comes from the environment, read by :mod:`graphkit.config`
    (:meth:`from_env` takes them all from there).

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
    connection_timeout : float, optional
        Seconds to open a connection, the Bolt handshake included (and to wait for one from
        the pool); default ``$GRAPHKIT_NEO4J_CONNECT_TIMEOUT``, else
        :data:`DEFAULT_CONNECT_TIMEOUT` (5).  A host that accepts but never answers fails
        after this long.
    progress : callable, optional
        Called as ``progress(kind, rows_done, rows_total)`` after each written batch.

    Raises
    ------
    ArgumentError
        A bad argument: a URI that is not a Bolt URI or carries credentials, a timeout or
        batch size that is not a positive number (also a :class:`ValueError`).
    ConfigError
        No URI or password, or a bad environment variable (its message names it).
    StoreError
        The server cannot be reached or refuses the credentials (a one-line message).

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
        connection_timeout: float | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        full_uri, self.uri = config.neo4j_uri(uri)
        user = config.neo4j_user(user)
        password = config.neo4j_password(password)
        max_retry_time = config.neo4j_max_retry_time(max_retry_time)
        self.connection_timeout = config.neo4j_connect_timeout(connection_timeout)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ArgumentError(f"the batch size must be a positive number of rows, got {batch_size!r}")
        self.database = database
        self.batch_size = batch_size
        self.progress = progress
        self.user = user
        self._password = password
        self._schema_ready = False
        try:
            # A property key absent from the database (before the first load) is not worth a warning.
            # The handshake waits for the acquisition timeout, so both bound the time to connect.
            self._driver = neo4j.GraphDatabase.driver(
                full_uri, auth=(user, password), max_transaction_retry_time=max_retry_time,
                connection_timeout=self.connection_timeout,
                connection_acquisition_timeout=self.connection_timeout,
                notifications_disabled_classifications=["UNRECOGNIZED"],
            )
        except (GqlError, ValueError, TypeError) as exc:  # the driver's types for a bad URI or setting
            # The driver's text may quote the query string, so only its type is shown.
            raise ConfigError(f"cannot use the Neo4j URI {self.uri}: {type(exc).__name__}") from exc
        try:
            with self._errors():
                self._driver.verify_connectivity()
        except StoreError:
            self._driver.close()
            raise

    @classmethod
    def from_env(
        cls,
        *,
        database: str | None = None,
        batch_size: int = 10_000,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> Neo4jStore:
        """The store the environment describes.

        ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``GRAPHKIT_NEO4J_MAX_RETRY_TIME`` and
        ``GRAPHKIT_NEO4J_CONNECT_TIMEOUT`` (see :mod:`graphkit.config`).

        Parameters
        ----------
        database, batch_size, progress
            As for the constructor.

        Returns
        -------
        Neo4jStore
            Connected (the connection is verified).

        Raises
        ------
        ConfigError
            ``NEO4J_URI`` or ``NEO4J_PASSWORD`` unset, or a variable with a bad value.
        StoreError
            The server cannot be reached or refuses the credentials.

        Examples
        --------
        Needs a server, so shown but not run::

            with Neo4jStore.from_env() as store:
                print(store.counts())
        """
        return cls(database=database, batch_size=batch_size, progress=progress)

    def __repr__(self) -> str:
        return "\n".join(self._describe())

    def _repr_html_(self) -> str:
        head, *rest = self._describe()
        return _repr.html_block(head, rest)

    def _describe(self) -> list[str]:
        """Where it is (never the password) and its counts, or why they cannot be had now; never raises."""
        lines = [f"Neo4jStore(uri={self.uri!r}, database={self.database or 'default'!r}, user={self.user!r})"]
        if getattr(self, "_closed", False):
            return [*lines, "closed"]
        try:
            counts = self._quick_counts()
        except Exception as exc:  # a repr must not raise, whatever the driver does
            reason = str(exc) if isinstance(exc, GraphkitError) else type(exc).__name__
            return [*lines, "not connected: " + _repr.cut(reason, 200)]
        nodes = {k.label: counts.get(k.label, 0) for k in model.NODE_KINDS}
        rels = {r.type: counts.get(r.type, 0) for r in model.REL_KINDS}
        return [*lines, "nodes: " + _repr.counts_text(nodes, skip_zero=True),
                "relationships: " + _repr.counts_text(rels, skip_zero=True)]

    def _quick_counts(self) -> dict[str, int]:
        """Counts from Neo4j's count store in one auto-commit statement: no scan, and no retries to wait for."""
        with self._errors("count_kinds"), self._session(read=True) as session:
            return {r["kind"]: int(r["count"]) for r in session.run(self._statement("count_kinds"))}

    # -- plumbing ------------------------------------------------------------------------
    def _errors(self, during: str | None = None, hint: str = "") -> Any:
        return _driver_errors(self.uri, self.user, self._password, self.connection_timeout, during, hint)

    def _session(self, read: bool = False) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    @staticmethod
    def _statement(name: str) -> neo4j.Query:
        """A named statement for ``session.run`` (auto-commit: streaming reads, batched deletes)."""
        return neo4j.Query(load_query(name).text, metadata={"graphkit_query": name})  # type: ignore[arg-type]

    def _read(self, name: str, params: dict[str, Any] | None = None,
              checks: Iterable[tuple[str, dict[str, Any], str]] = ()) -> list[dict[str, Any]]:
        """Rows of a read statement in a read transaction.

        First, in the same transaction, each check (statement, parameters, message) whose row is
        missing or 0 raises QueryError(message).
        """
        text = load_query(name).text
        check_texts = [(load_query(c).text, p, message) for c, p, message in checks]

        @neo4j.unit_of_work(metadata={"graphkit_query": name})
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]] | str:
            for check_text, check_params, message in check_texts:
                row = tx.run(check_text, check_params).single()
                if row is None or row[0] in (0, False, None):
                    return message
            return [record.data() for record in tx.run(text, params or {})]

        with self._errors(name), self._session(read=True) as session:
            rows = session.execute_read(work)
        if isinstance(rows, str):
            raise QueryError(rows)
        return rows

    def _write(self, name: str, check: Callable[[list[dict[str, Any]]], None] | None = None,
               **params: Any) -> list[dict[str, Any]]:
        """Run a write statement in a managed transaction; ``check`` may raise to roll it back."""
        text = load_query(name).text

        @neo4j.unit_of_work(metadata={"graphkit_query": name})
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            rows = [record.data() for record in tx.run(text, params)]
            if check is not None:
                check(rows)  # raising here rolls the transaction back
            return rows

        # A lost connection is reported after the driver's retries.
        with self._errors(name, "; loads are idempotent, so run the same load again"), self._session() as session:
            return session.execute_write(work)

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

    @property
    def generated(self) -> dict[str, Any] | None:
        """The generator's record when the data came from ``graphkit generate`` (else None)."""
        found = [r["generated"] for r in self._read("get_generated") if r["generated"]]
        return json.loads(found[0]) if found else None

    def record_generated(self, record: dict[str, Any]) -> None:
        self._ready()
        self._write("record_generated", record=json.dumps(record, sort_keys=True))

    def check_key(self, fingerprint: str) -> None:
        """Raise :class:`StoreError` if another key is bound, or viewers are stored with none (reads only)."""
        found = [r["key_fingerprint"] for r in self._read("get_key_fingerprint")]
        bound = found[0] if found else None
        if bound not in (None, fingerprint):
            raise StoreError(other_key_message("database"))
        if bound is None:
            viewers = {r["kind"]: r["count"] for r in self._read("count_kinds")}.get(model.VIEWER.label, 0)
            if viewers:
                raise StoreError(unbound_viewers_message(viewers))

    def bind_key(self, fingerprint: str) -> None:
        """Bind the fingerprint unless another is bound, in one atomic step (else StoreError).

        Of two loads racing with different keys, one binds and the other stops here.
        """
        self._ready()  # the claim relies on the GraphkitMeta uniqueness constraint
        rows = self._write("claim_key_fingerprint", fingerprint=fingerprint)
        if not rows or rows[0]["key_fingerprint"] != fingerprint:
            raise StoreError(other_key_message("database"))

    def _write_in_batches(self, name: str, frame: pd.DataFrame, what: str,
                          params: Callable[[pd.DataFrame], dict[str, Any]],
                          check: Callable[[pd.DataFrame, list[dict[str, Any]]], None] | None = None,
                          create: str | None = None, keys: tuple[str, ...] = ()) -> None:
        """Run ``name`` once per ``batch_size`` rows of ``frame``, reporting progress.

        During the load of a streamed dataset, ``frame`` is one chunk of the kind: progress
        then counts the kind's rows written so far out of all its rows.  With ``create`` (the
        kind's CREATE twin of the MERGE statement ``name``), batches go through
        :meth:`_write_guarded`: CREATE while the database held none of the kind when this
        load began writing it, MERGE otherwise.
        """
        self._ready()
        totals = getattr(self, "_kind_totals", None)
        offset = self._kind_done.get(what, 0) if totals else 0
        total = totals.get(what, len(frame)) if totals else len(frame)
        claim = self._claim(what, frame, keys) if create is not None else None
        for start in range(0, len(frame), self.batch_size):
            part = frame.iloc[start:start + self.batch_size]
            batch_check = (lambda rows, part=part: check(part, rows)) if check is not None else None
            if create is None:
                self._write(name, batch_check, **params(part))
            else:
                claim = self._write_guarded(what, name, create, claim, params(part), batch_check)
            if self.progress:
                self.progress(what, offset + start + len(part), total)
        if totals:
            self._kind_done[what] = offset + len(frame)

    @staticmethod
    def _claim_keys(what: str) -> tuple[str, str]:
        """The bookkeeping node's keys of a kind's create claim: its token and its last batch number."""
        return f"create_{what}", f"create_{what}_batch"

    def _claim(self, what: str, frame: pd.DataFrame, keys: tuple[str, ...]) -> list[Any] | None:
        """``[token, last batch]`` when this load may CREATE the kind (none of it stored yet), else None.

        Decided at the kind's first frame of a load (a streamed load's later chunks follow it),
        and at each call outside a load (the second call finds the first's rows).  A frame
        with duplicate keys always merges (CREATE would store both rows).
        """
        claims: dict[str, list[Any] | None] | None = getattr(self, "_claims", None)
        if claims is not None and what in claims:
            return claims[what]
        claim: list[Any] | None = None
        if not frame.duplicated(list(keys)).any():
            token_key, seq_key = self._claim_keys(what)
            token = secrets.token_hex(8)
            lock, counts = load_query("load_batch_lock").text, load_query("count_kinds").text

            @neo4j.unit_of_work(metadata={"graphkit_query": "load_batch_lock"})
            def work(tx: neo4j.ManagedTransaction) -> bool:
                # Lock first, then count: a racing load's batches of the kind are all committed
                # (and counted) or all after this claim (and they clear it or fail its guard).
                tx.run(lock, fields={token_key: None, seq_key: None}).consume()
                stored = {r["kind"]: r["count"] for r in tx.run(counts)}.get(what, 0)
                if stored:
                    return False
                tx.run(lock, fields={token_key: token, seq_key: 0}).consume()
                return True

            with self._errors("load_batch_lock", "; loads are idempotent, so run the same load again"), \
                    self._session() as session:
                claim = [token, 0] if session.execute_write(work) else None
        if claims is not None:
            claims[what] = claim
        return claim

    def _write_guarded(self, what: str, merge: str, create: str, claim: list[Any] | None, params: dict[str, Any],
                       check: Callable[[list[dict[str, Any]]], None] | None) -> list[Any] | None:
        """One batch of a kind, by CREATE while ``claim`` holds, else by MERGE; the claim for the next batch.

        A CREATE batch first claims its number on the bookkeeping node in the same
        transaction (load_batch_guard), so a driver retry of a batch that committed but whose
        answer was lost finds its number taken and merges instead: nothing is created twice.
        A MERGE batch clears the kind's claim, so no CREATE follows a write it does not know.
        A load killed mid-way leaves the kind non-empty: running it again merges.
        """
        token_key, seq_key = self._claim_keys(what)
        texts = {n: load_query(n).text for n in ("load_batch_guard", "load_batch_lock", merge, create)}
        seq = claim[1] + 1 if claim is not None else 0

        @neo4j.unit_of_work(metadata={"graphkit_query": create if claim is not None else merge})
        def work(tx: neo4j.ManagedTransaction) -> bool:
            claimed = claim is not None and tx.run(
                texts["load_batch_guard"], token_key=token_key, seq_key=seq_key, token=claim[0], seq=seq,
                fields={seq_key: seq}).single(strict=True)["claimed"] == 1
            if not claimed:
                tx.run(texts["load_batch_lock"], fields={token_key: None, seq_key: None}).consume()
            rows = [record.data() for record in tx.run(texts[create if claimed else merge], params)]
            if check is not None:
                check(rows)  # raising here rolls the transaction back
            return claimed

        with self._errors(create if claim is not None else merge, "; loads are idempotent, so run the same load again"), \
                self._session() as session:
            claimed = session.execute_write(work)
        if not claimed:
            claims: dict[str, list[Any] | None] | None = getattr(self, "_claims", None)
            if claims is not None:
                claims[what] = None  # the rest of this load's batches of the kind merge
            return None
        assert claim is not None
        claim[1] = seq
        return claim

    def _release_claims(self) -> None:
        """Remove this load's create claims from the bookkeeping node (tidiness: a stale claim is never used)."""
        fields = {key: None for what, claim in (self._claims or {}).items() if claim is not None
                  for key in self._claim_keys(what)}
        if fields:
            self._write("load_batch_lock", fields=fields)

    def load(self, *args: Any, **kwargs: Any) -> LoadSummary:
        # Peak client memory: three chunks of the streamed dataset (written, ready, being read; each
        # loaders.CHUNK_BYTES of CSV as a typed frame), one batch of column lists and pass 1's id hashes.
        data = args[0] if args else kwargs.get("nodes")
        self._kind_totals: dict[str, int] | None = data.counts() if hasattr(data, "frames") else None  # type: ignore[union-attr]
        self._kind_done: dict[str, int] = {}
        # Per kind, whether this load creates it (see _claim): decided once per load.
        self._claims: dict[str, list[Any] | None] | None = {}
        try:
            summary = super().load(*args, **kwargs)
            self._release_claims()
            return summary
        finally:
            self._kind_totals = None
            self._claims = None

    def _feed(self, frames: Iterable[tuple[str, pd.DataFrame]]) -> Iterator[tuple[str, pd.DataFrame]]:
        # The next chunks are prepared while the server writes this one: two more chunks held.
        return read_ahead(frames)

    def upsert_nodes(self, label: str, frame: pd.DataFrame) -> int:
        kind = model.node_kind(label)
        self._write_in_batches(f"merge_{kind.file}", frame, kind.label,
                               lambda part: {"batch": _columns(part, kind.columns)},
                               create=f"create_{kind.file}", keys=(model.ID,))
        return len(frame)

    def upsert_relationships(self, rel_type: str, frame: pd.DataFrame) -> int:
        rel = model.rel_kind(rel_type)

        def every_row_written(part: pd.DataFrame, rows: list[dict[str, Any]]) -> None:
            written = rows[0]["written"] if rows else 0
            if written != len(part):
                raise StoreError(f"{rel.type}: {len(part) - written} of {len(part)} rows in a batch name a "
                                 f"{model.SOURCE_ID} or {model.TARGET_ID} that is not a {rel.source} or {rel.target} "
                                 "node of this database; that batch was not written (validate with "
                                 "loaders.read_dataset first)")

        self._write_in_batches(f"merge_{rel.file}", frame, rel.type,
                               lambda part: {"batch": _relationship_batch(part, rel)}, every_row_written,
                               create=f"create_{rel.file}", keys=(model.SOURCE_ID, model.TARGET_ID))
        return len(frame)

    def refresh_derived(self) -> None:
        self._write("derive_creator_activity")

    def write_results(self, frame: pd.DataFrame) -> int:
        columns = check_result_frame(frame)
        for label, part in frame.groupby(model.KIND, sort=False):
            kind = model.node_kind(str(label))
            self._write_in_batches(f"write_results_{kind.file}", part[[model.ID, *columns]], f"{kind.label} results",
                                   lambda batch: {"rows": _rows(batch, [model.ID])})
        return len(frame)

    # -- reading -------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        # From the count store, as the repr's counts: no scan (0.8 s at 12M rows before, 0.01 s now).
        counts = {r["kind"]: r["count"] for r in self._read("count_kinds")}
        return {**{k.label: counts.get(k.label, 0) for k in model.NODE_KINDS},
                **{r.type: counts.get(r.type, 0) for r in model.REL_KINDS}}

    def node_ids(self, label: str) -> set[str]:
        return {r[model.ID] for r in self._read(f"project_{model.node_kind(label).file}")}

    def nodes(self, label: str) -> pd.DataFrame:
        kind = model.node_kind(label)
        records = [r["props"] for r in self._read(f"read_{kind.file}")]
        return self._frame(records, kind.columns, kind)

    def relationships(self, rel_type: str) -> pd.DataFrame:
        rel = model.rel_kind(rel_type)
        records = [{model.SOURCE_ID: r[model.SOURCE_ID], model.TARGET_ID: r[model.TARGET_ID], **r["props"]}
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
        node_arrays = []
        for k in node_kinds:
            names = [model.ID, *attribute_names(k.label)]  # the statement's columns, in order
            columns = self._column(f"project_{k.file}", {}, names)
            node_arrays.append((k.label, columns[0], pd.DataFrame(dict(zip(names[1:], columns[1:])))))
        edges = []
        for rel in rel_kinds:
            w = weight_of(rel, weight)
            params = {"weight_property": w if isinstance(w, str) else "", "default_weight": 1.0 if isinstance(w, str) else float(w)}
            sources, targets, weights = self._column(f"project_{rel.file}", params, [model.SOURCE_ID, "targets", "weights"])
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
        with self._errors(name), self._session(read=True) as session:
            result = session.run(statement, params)
            appends = [c.append for c in columns]
            for record in result:
                for append, value in zip(appends, record.values()):
                    append(value)
        return [np.array(c, dtype=object) for c in columns]

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run a named query from ``cypher/queries/`` in a read transaction; parameters as declared.

        Raises
        ------
        QueryError
            An unknown name or bad parameters (:func:`graphkit.cypher.check_query`), an
            ``id`` parameter naming no node of its label, or a ``score`` that no
            ``graphkit analyze --write`` has written yet.
        """
        _, values, checks = check_named_query(name, params)
        statements = [(f"exists_{model.node_kind(c.label).file}", {model.ID: c.value}, c.message) if c.label
                      else ("scores_written", {"score": c.value}, c.message) for c in checks]
        return pd.DataFrame.from_records(self._read(name, values, statements))

    def clear(self) -> None:
        """Delete every node and relationship (tests and benchmarks, on a database they started)."""
        # Relationships first: deleting a dense node with its relationships in one
        # transaction can outgrow the server's transaction memory.
        with self._errors("clear"), self._session() as session:
            session.run(self._statement("delete_relationships")).consume()
            session.run(self._statement("delete_nodes")).consume()

    def close(self) -> None:
        self._closed = True
        with self._errors("close"):
            self._driver.close()
