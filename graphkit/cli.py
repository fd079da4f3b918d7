"""The ``graphkit`` command line.

It parses arguments, opens a store, calls :mod:`graphkit.workflows` and prints.

Every command is documented in docs/cli.md (a test checks it).  Errors graphkit raises on
purpose (and the operating system's, such as a folder that cannot be written) print one
message and exit 1; usage errors (unknown options, bad values) exit 2, as argparse does;
there is no traceback.  Any other exception is a bug and shows its traceback.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from graphkit import __version__, model, workflows
from graphkit.cypher import check_query, load_query, query_names
from graphkit.errors import ConfigError, GraphkitError
from graphkit.privacy import Pseudonymiser
from graphkit.reports import write_csv
from graphkit.reports.export import DEFAULT_VIEWERS, VIEWER_MODES
from graphkit.stores import EmbeddedStore, Store

__all__ = ["main", "build_parser"]

DEFAULT_STORE = "graphkit-store"
DEMO_SCALE = 1000


class _Progress:
    """Step lines on stderr with the time since the command started."""

    def __init__(self, quiet: bool) -> None:
        self.quiet, self.start = quiet, time.perf_counter()

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.start:6.1f}s] {message}", file=sys.stderr, flush=True)


def _pseudonymiser(args: argparse.Namespace) -> Pseudonymiser:
    if args.pseudonym_key_file:
        return Pseudonymiser.from_file(args.pseudonym_key_file)
    pseudonymiser = Pseudonymiser.from_config()
    if pseudonymiser.created_key is not None:
        print(f"graphkit: created a new pseudonym key in {pseudonymiser.created_key}. Back it up: every later load "
              "into this store needs it, and without it the same viewers would get new pseudonyms.", file=sys.stderr)
    return pseudonymiser


class _BatchProgress:
    """Progress of batched writes: a line per kind, redrawn in place on a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.quiet, self.tty = quiet, sys.stderr.isatty()

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.quiet or not total:
            return
        line = f"  {what}: {done}/{total} ({done / total:.0%})"
        if self.tty:
            print("\r" + line, end="\n" if done >= total else "", file=sys.stderr, flush=True)
        elif done >= total:
            print(line, file=sys.stderr, flush=True)


@contextmanager
def _open_store(args: argparse.Namespace, *, write: bool = False) -> Iterator[Store]:
    """The Neo4j store when ``--neo4j`` was given (URI, else $NEO4J_URI), else the embedded one.

    ``write``: the embedded store is opened (or, absent, started) holding its writer lock,
    so that a second writer fails clearly instead of overwriting this one's save.
    """
    if getattr(args, "neo4j", None) is not None:
        from graphkit.stores.neo4j import Neo4jStore  # imported only when asked: the driver is heavy

        progress, batch_size = _BatchProgress(args.quiet), getattr(args, "batch_size", 10_000)
        if args.neo4j:
            neo4j_store = Neo4jStore(args.neo4j, progress=progress, batch_size=batch_size)
        else:
            neo4j_store = Neo4jStore.from_env(progress=progress, batch_size=batch_size)
        with neo4j_store as store:
            yield store
    elif write:
        with EmbeddedStore.writing(args.store) as store:
            yield store
    else:
        yield EmbeddedStore.open(args.store)


def _load(args: argparse.Namespace, store: Store, say: _Progress) -> None:
    with ExitStack() as stack:
        writer = None
        if getattr(args, "bulk", False):
            from graphkit.stores.bulk import ImportWriter, check_target

            check_target(store)  # refused before the (long) validation when the target cannot take it
            # The import files are written during validation: a dataset without rejects needs no second pass.
            writer = stack.enter_context(ImportWriter(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="graphkit-import-"))))
        pseudonymiser = _pseudonymiser(args)
        skip = args.on_error == "skip"
        dataset = workflows.read_folder(store, args.dataset, pseudonymiser=pseudonymiser, on_error=args.on_error,
                                        encoding=args.encoding, rejects=args.rejects if skip else None, progress=say,
                                        on_chunk=writer)
        for warning in dataset.warnings:
            print(f"graphkit: warning: {warning}", file=sys.stderr)
        if skip and len(dataset.rejects):
            print(f"graphkit: {len(dataset.rejects)} rows rejected; reasons in {args.rejects}", file=sys.stderr)
        elif skip:
            print("graphkit: no rows rejected", file=sys.stderr)
        if writer is not None:
            writer.close()
            summary = workflows.bulk_load(store, dataset, progress=say, files=writer.files)
        else:
            summary = workflows.load_dataset(store, dataset, progress=say)
    if not args.quiet:  # what was written is progress; warnings and rejects above are said even under -q
        print(f"graphkit: {summary.describe()}", file=sys.stderr)


def cmd_generate(args: argparse.Namespace, say: _Progress) -> int:
    import loaders

    summary = loaders.generate(args.scale, args.seed, args.out, format=args.format, earning_link=args.earning_link)
    say(f"wrote {summary.total_relationships} relationships to {args.out}")
    print(args.out)
    return 0


def cmd_load(args: argparse.Namespace, say: _Progress) -> int:
    if getattr(args, "bulk", False) and getattr(args, "neo4j", None) is None:
        from graphkit.errors import ArgumentError

        raise ArgumentError("--bulk imports into Neo4j: give --neo4j [URI] too")
    with _open_store(args, write=True) as store:
        _load(args, store, say)
        counts = store.counts()
    for name, count in counts.items():
        print(f"{name}\t{count}")
    return 0


def cmd_analyze(args: argparse.Namespace, say: _Progress) -> int:
    with _open_store(args, write=args.write) as store:
        result = workflows.analyze_store(store, graph=args.graph, seed=args.seed, out=args.out, write=args.write,
                                         progress=say, engine=args.engine)
    for step, summary in result.summary().items():
        for key, value in summary.items():
            print(f"{step}.{key}\t{value}")
    return 0


def _print_report(paths: dict[str, Path]) -> None:
    """The three report files, then the folder of CSV tables."""
    for key in ("html", "md", "json"):
        print(paths[key])
    tables = [p for k, p in paths.items() if k not in ("html", "md", "json")]
    if tables:
        print(tables[0].parent)


def cmd_report(args: argparse.Namespace, say: _Progress) -> int:
    with _open_store(args) as store:
        paths = workflows.report(store, args.out, dataset=args.dataset, seed=args.seed, progress=say)
    _print_report(paths)
    return 0


def cmd_demo(args: argparse.Namespace, say: _Progress) -> int:
    import loaders

    out = Path(args.out)
    dataset, store_path = out / "dataset", out / "store"
    say(f"generating a dataset at scale {args.scale} (seed {args.seed})")
    summary = loaders.generate(args.scale, args.seed, dataset)
    say(f"  {summary.total_relationships} relationships")
    load_args = argparse.Namespace(dataset=str(dataset), store=str(store_path), on_error="fail", encoding=None, quiet=True,
                                   rejects=str(out / "rejects.csv"), pseudonym_key_file=args.pseudonym_key_file)
    with _open_store(load_args, write=True) as store:
        _load(load_args, store, _Progress(True) if args.quiet else say)
        paths = workflows.report(store, out, dataset=dataset, seed=args.seed, progress=say)
    _print_report(paths)
    return 0


def cmd_info(args: argparse.Namespace, say: _Progress) -> int:
    with _open_store(args) as store:
        counts = store.counts()
    for name, count in counts.items():
        print(f"{name}\t{count}")
    return 0


def cmd_export(args: argparse.Namespace, say: _Progress) -> int:
    with _open_store(args) as store:
        path = workflows.export(store, args.out, viewers=args.viewers, progress=say)
    print(path)
    return 0


def cmd_query(args: argparse.Namespace, say: _Progress) -> int:
    bad = [p for p in args.param if "=" not in p]
    if bad:
        raise ConfigError(f"--param takes KEY=VALUE, got {bad[0]!r}")
    params = dict(p.split("=", 1) for p in args.param)
    check_query(args.name, params)  # name and parameters are checked before any connection
    with _open_store(args) as store:
        frame = store.query(args.name, **params)
    if args.format == "csv":
        print(write_csv(frame), end="")
    elif args.format == "json":
        print(frame.to_json(orient="records", force_ascii=False))
    else:
        print(frame.to_string(index=False) if len(frame) else "(no rows)")
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _query_epilog() -> str:
    lines = ["named queries and their parameters (--param NAME=VALUE):"]
    for name in query_names(public=True):
        lines.append(f"  {name}: {load_query(name).signature() or 'no parameters'}")
    return "\n".join(lines)


def _store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", default=DEFAULT_STORE, help="embedded store folder (default %(default)s)")
    p.add_argument("--neo4j", nargs="?", const="", metavar="URI",
                   help="use the Neo4j store at URI (no URI: $NEO4J_URI); credentials from NEO4J_USER, NEO4J_PASSWORD")


def _key_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pseudonym-key-file", metavar="FILE",
                   help="file holding the viewer pseudonym key (default: $GRAPHKIT_PSEUDONYM_KEY, "
                        "else a key created once in the user's config folder)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``graphkit`` command, with every subcommand."""
    parser = argparse.ArgumentParser(prog="graphkit", description="Analyse knowledge-dissemination networks.",
                                     epilog="Exit status: 0 success, 1 an error graphkit reports, 2 a usage error.")
    parser.add_argument("--version", action="version", version=f"graphkit {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    # -q also after the command; SUPPRESS keeps a -q given before it.
    quiet = argparse.ArgumentParser(add_help=False)
    quiet.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress lines")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser = functools.partial(sub.add_parser, parents=[quiet])  # type: ignore[method-assign]

    p = sub.add_parser("generate", help="write a calibrated synthetic dataset")
    p.add_argument("--scale", type=_positive, default=DEMO_SCALE, help="number of creators (default %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    p.add_argument("--out", required=True, help="dataset folder to write")
    p.add_argument("--format", choices=["csv", "parquet", "jsonl"], default="csv", help="file format (default csv)")
    p.add_argument("--earning-link", type=float, default=0.0, metavar="B",
                   help="plant a logistic link of slope B (per SD of log audience PageRank) between position and "
                        "earning (default 0: none; docs/generator.md)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("load", help="validate a dataset folder and load it into a store")
    p.add_argument("dataset", help="dataset folder")
    _store_options(p)
    p.add_argument("--on-error", choices=["fail", "skip"], default="fail",
                   help="fail: load nothing if any row is bad (default); skip: load the good rows")
    p.add_argument("--rejects", default="rejects.csv", help="where --on-error skip lists rejected rows")
    p.add_argument("--encoding", help="force the text encoding (default: UTF-8, with or without BOM, else GB18030)")
    p.add_argument("--batch-size", type=_positive, default=10_000,
                   help="rows per Neo4j write transaction (default %(default)s)")
    p.add_argument("--bulk", action="store_true",
                   help="first load into a new, empty Neo4j database (the scripts/neo4j server): write import "
                        "files while validating, then run Neo4j's offline importer, the server stopped meanwhile")
    _key_option(p)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("analyze", help="components, communities and centrality of a store")
    _store_options(p)
    p.add_argument("--graph", choices=list(model.ANALYSIS_GRAPHS), default="whole",
                   help="the analysis graph: " + "; ".join(f"{g.name}: {g.question}" for g in model.ANALYSIS_GRAPHS.values())
                   + " (default %(default)s; weights in docs/analysis.md)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    p.add_argument("--out", default="analysis", help="folder for nodes.csv (default %(default)s)")
    p.add_argument("--write", action="store_true", help="write the results back to the store as node properties")
    p.add_argument("--engine", choices=["auto", "fast", "reference", "gds"], default="auto",
                   help="auto: NetworKit and scipy above 5,000 edges, networkx below; gds: inside a Neo4j server with "
                        "Graph Data Science (--neo4j; docs/gds.md) (default %(default)s)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("report", help="answer the three questions: report.html, report.md, report.json, tables/*.csv")
    _store_options(p)
    p.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    p.add_argument("--out", default="report", help="output folder (default %(default)s)")
    p.add_argument("--dataset", metavar="FOLDER",
                   help="the folder the store was loaded from: the appendix lists its files, and data written by "
                        "graphkit generate gets the synthetic-data notice")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("demo", help="generate, load and report (the three questions) in one go, no server needed")
    p.add_argument("--out", default="graphkit-demo", help="output folder (default %(default)s)")
    p.add_argument("--scale", type=_positive, default=DEMO_SCALE, help="creators to generate (default %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    _key_option(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("info", help="node and relationship counts of a store")
    _store_options(p)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("export", help="export the graph for Gephi (.gexf) or as GraphML (.graphml)")
    _store_options(p)
    p.add_argument("--out", required=True, help="file to write, ending .gexf or .graphml")
    p.add_argument("--viewers", choices=VIEWER_MODES, default=DEFAULT_VIEWERS,
                   help="segments: one node per age band x region type with its viewer count (default); "
                        "omit: no viewers; all: every viewer under its pseudonym")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("query", help="run a named query (either store)", epilog=_query_epilog(),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", help="query name (a file in cypher/queries/)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="a query parameter")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format (default table)")
    _store_options(p)
    p.set_defaults(func=cmd_query)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``graphkit`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args, _Progress(args.quiet))
    except (GraphkitError, OSError) as exc:  # OSError: a file or folder that cannot be read or written
        print(f"graphkit: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("graphkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
