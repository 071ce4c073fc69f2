"""The command line: parse options, build one Config, call the pipeline.

This is the only module that imports typer; nothing below it sees CLI objects.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlparse

import typer

from cleaner import __version__

if TYPE_CHECKING:
    from cleaner.config import Config
    from cleaner.document import Document
    from cleaner.output import RunOutput

# Only typer is imported up front: `cleaner --help` and `--version` must not pay for the
# pipeline (numpy, datasketch, lxml, the compiled rule tables), and each command imports
# what it uses. tests/test_startup.py checks which libraries `import cleaner.cli` loads.
app = typer.Typer(
    help="Turn a directory of scraped news pages into clean, deduplicated articles.",
    no_args_is_help=True,
    epilog="Example: cleaner run seeds/ --out out/ && cleaner report out/",
    rich_markup_mode=None,
)

DEFAULT_INDEX_NAME = "dedup-index"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Clean scraped news pages: encoding, boilerplate, spam, splitting, near-duplicates."""


@app.command(
    "run",
    short_help="Clean pages into articles.jsonl.",
    epilog="Example: cleaner run pages/ --out out/ --workers 4, then cleaner report out/",
)
def run_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT",
            help="Files or directories to clean (walked recursively), or - for stdin "
            "(JSONL records with an html/content/text field, or raw text).",
            show_default=False,
        ),
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Output directory for articles.jsonl, errors.jsonl, documents.jsonl and "
            "summary.json; - writes articles JSONL to stdout.",
            show_default=False,
        ),
    ],
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            metavar="PATH",
            help="TOML file with settings per stage.",
            exists=False,
        ),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            metavar="GLOB", help="Only files whose relative path matches this glob (repeatable)."
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            metavar="GLOB", help="Skip files whose relative path matches this glob (repeatable)."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            metavar="INTEGER",
            help="Processes to use (default: all cores). Output is identical for any value.",
            show_default=False,
        ),
    ] = None,
    on_ray: Annotated[
        bool,
        typer.Option(
            "--ray",
            help="Run the per-document stages as tasks on a Ray cluster (pip install "
            "'cleaner[ray]'); index and output stay here and are identical to a local run. "
            "The cluster is --ray-address, else $RAY_ADDRESS, else a Ray started on this "
            "machine with --workers CPUs. Inputs must be at the same paths on every node.",
        ),
    ] = False,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            metavar="ADDRESS",
            help="The Ray cluster for --ray (implies it): auto (the cluster this machine "
            "joined with `ray start`), HOST:PORT (its head), ray://HOST:10001 (Ray Client) "
            "or local (a new Ray on this machine, the default without $RAY_ADDRESS).",
            show_default=False,
        ),
    ] = None,
    index: Annotated[
        str | None,
        typer.Option(
            metavar="PATH|URL",
            help="Near-duplicate index to read and extend: a file path or "
            "redis://host:port/db. Default: OUT/dedup-index (in memory with --out -).",
        ),
    ] = None,
    no_dedup: Annotated[
        bool, typer.Option("--no-dedup", help="Do not look for near-duplicates.")
    ] = False,
    drop_duplicates: Annotated[
        bool,
        typer.Option("--drop-duplicates", help="Leave near-duplicate copies out of articles."),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="CODES",
            help="Keep only documents in these languages, ISO 639-1 codes separated by "
            "commas (e.g. zh,en). Others write no article: their text is removed as "
            "language.not_kept in documents.jsonl and counted in summary.json; a document "
            "too short to tell is kept.",
            show_default=False,
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            metavar="I/N",
            help="Process only shard I of N (e.g. 0/4): a deterministic share of the inputs, "
            "so N machines can split a crawl.",
            show_default=False,
        ),
    ] = None,
    follow_symlinks: Annotated[
        bool,
        typer.Option(
            "--follow-symlinks", help="Follow symbolic links that lead outside the inputs."
        ),
    ] = False,
    doc_timeout: Annotated[
        float | None,
        typer.Option(
            min=0,
            metavar="SECONDS",
            help="Seconds one document may take before it becomes a timeout error "
            "(0 = no limit; default 10).",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Finish an interrupted run into the same --out instead of starting over.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = (
        False
    ),
) -> None:
    """Clean INPUT files and write one JSON record per article into --out."""
    from cleaner.config import ConfigError, load_config
    from cleaner.inputs import STDIN

    _refuse_missing_inputs(inputs)
    out_dir = None if out == STDIN else Path(out)
    if out_dir is not None:
        _refuse_output_inside_inputs(out_dir, inputs)
    shard_index, shard_count = _parse_shard(shard)
    given_inputs = {
        "shard_index": shard_index,
        "shard_count": shard_count,
        "include": tuple(include) if include else None,
        "exclude": tuple(exclude) if exclude else None,
        "follow_symlinks": follow_symlinks or None,
    }
    given_run = {
        "workers": workers,
        "quiet": quiet or None,
        "drop_duplicates": drop_duplicates or None,
        "doc_timeout": doc_timeout,
        "ray": (on_ray or ray_address is not None) or None,
        "ray_address": ray_address,
    }
    try:
        config = load_config(
            config_file,
            inputs={key: value for key, value in given_inputs.items() if value is not None},
            run={key: value for key, value in given_run.items() if value is not None},
            **({"language": {"keep": _parse_languages(lang)}} if lang is not None else {}),
        )
    except ConfigError as error:
        _fail(str(error))
    if no_dedup:
        config = dataclasses.replace(config, dedup=dataclasses.replace(config.dedup, enabled=False))
    if resume and out_dir is None:
        _fail("--resume needs an output directory, not --out -")
    if resume and STDIN in inputs:
        _fail("--resume cannot replay standard input; name files or directories")
    if config.run.ray and STDIN in inputs:
        _fail("--ray reads inputs where every node can see them; standard input is only here")
    _run(inputs, out_dir, config, index, resume)


def _run(
    inputs: list[str], out_dir: Path | None, config: Config, index: str | None, resume: bool
) -> None:
    from cleaner.output import OutputError, ResumeError, RunOutput
    from cleaner.pipeline import run, run_fingerprint
    from cleaner.report.progress import RunProgress, print_error, print_run_summary, print_warning
    from cleaner.stages.dedup import DedupIndexError, NearDuplicateIndex, is_redis_url

    index_errors: tuple[type[Exception], ...] = (DedupIndexError,)
    if is_redis_url(index):  # the client library is loaded only for a shared index
        from redis.exceptions import RedisError

        index_errors += (RedisError,)
    engine_errors: tuple[type[Exception], ...] = ()
    if config.run.ray:
        try:  # ray is an optional extra, loaded only for a run on Ray
            from cleaner.ray_engine import RayUnavailable
        except ImportError as error:
            _fail(f"--ray needs Ray: pip install 'cleaner[ray]' ({error})")
        engine_errors = (RayUnavailable,)

    progress = RunProgress(quiet=config.run.quiet)
    near_duplicates = None
    output = None
    stops = None
    stack = contextlib.ExitStack()
    try:
        stops = stack.enter_context(StopSignals())
        output = RunOutput(
            out_dir,
            resume=resume,
            fingerprint=run_fingerprint(inputs, config),
            drop_duplicates=config.run.drop_duplicates,
        )
        if output.published:
            output.close()
            print_warning(f"the interrupted run had finished; its output is now in {out_dir}")
            return
        if config.dedup.enabled:
            location = index or (str(out_dir / DEFAULT_INDEX_NAME) if out_dir else None)
            near_duplicates = NearDuplicateIndex(config.dedup, location)

        def advance(source: str) -> None:
            progress.advance(source)
            stops.check()

        with progress.shown():
            totals = run(
                inputs,
                output,
                config,
                index=near_duplicates,
                on_start=progress.start,
                on_progress=advance,
            )
        if near_duplicates is not None:
            near_duplicates.close()
    except ResumeError as error:
        _fail(str(error))
    except index_errors as error:
        _index_failed(error, index, output, started=near_duplicates is not None)
    except engine_errors as error:
        # Ray is reached before the first document: nothing of this run is worth keeping,
        # but a resumed run's partial output still is.
        if output is not None and resume:
            output.close()
        elif output is not None:
            output.abort()
        _fail(str(error))
    except OutputError as error:
        if output is not None:
            output.abort()
        _fail(str(error))
    except KeyboardInterrupt as stop:
        if output is not None:
            # With --out - nothing can be resumed: leave no temporary directory behind.
            if out_dir:
                output.close()
            else:
                output.abort()
        hint = " run again with --resume to finish" if out_dir else ""
        print_error(f"interrupted; the previous output (if any) is unchanged;{hint}")
        # The shell's convention: 128 + the signal's number. The signal received counts,
        # not the exception's type: Ray's ray.get turns any interrupt into a plain
        # KeyboardInterrupt.
        terminated = isinstance(stop, Terminated) or (stops and stops.received is Terminated)
        raise typer.Exit(143 if terminated else 130) from None
    finally:
        stack.close()
        if output is not None and out_dir is None:
            output.abort()
        if near_duplicates is not None:
            near_duplicates.release()  # after a failure: unlocked, not saved
    for warning in totals.warnings:
        print_warning(warning)
    counts = {
        "files": totals.files,
        "articles": totals.articles,
        "errors": totals.errors,
        "timeouts": totals.errors_by_type["timeout"],
        "skipped": totals.skipped,
        "duplicates": totals.duplicates,
        "language_dropped": totals.language_dropped_documents,
    }
    print_run_summary(counts, out_dir.as_posix() if out_dir else "stdout", config.run.quiet)


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into the same orderly stop as Ctrl-C."""


class StopSignals:
    """While a run goes, Ctrl-C and SIGTERM stop it in order: the worker pool is terminated
    before its pipes break, the partial output is kept for --resume, one line is said.

    The interrupt is raised where the signal lands, and remembered: a library that swallows
    it (a parser's callback, a bare ``except``) would otherwise turn Ctrl-C into one bad
    document and let the run go on, so `check` raises it again after every input."""

    def __init__(self) -> None:
        self.received: type[KeyboardInterrupt] | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        try:
            for number in (signal.SIGINT, signal.SIGTERM):
                self._previous[number] = signal.signal(number, self._stop)
        except ValueError:  # not the main thread (cleaner embedded): leave signals alone
            pass
        return self

    def __exit__(self, *_exception: object) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, previous)

    def _stop(self, signal_number: int, _frame: object) -> None:
        # A second signal must not cut the cleanup the first one started.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.received = Terminated if signal_number == signal.SIGTERM else KeyboardInterrupt
        raise self.received

    def check(self) -> None:
        if self.received is not None:
            raise self.received


def _index_failed(
    error: Exception, index: str | None, output: RunOutput | None, started: bool
) -> None:
    """One message; a run that had started keeps its partial output for --resume."""
    from cleaner.stages.dedup import masked_url

    where = masked_url(index) if index else ""
    message = f"cannot use the near-duplicate index {where}: {error}".replace("  ", " ")
    password = urlparse(index).password if index else None
    if password:  # never echoed, whatever the client library put in its message
        message = message.replace(password, "***")
    if output is not None and started and output.out_dir is not None:
        output.close()
        message += "; the partial output is kept: run again with --resume to finish"
    elif output is not None:
        output.abort()
    _fail(message)


def _parse_shard(shard: str | None) -> tuple[int | None, int | None]:
    if shard is None:
        return None, None
    index, _, count = shard.partition("/")
    if not (index.isdigit() and count.isdigit() and 0 <= int(index) < int(count)):
        raise typer.BadParameter("expected I/N with 0 <= I < N, e.g. 0/4", param_hint="--shard")
    return int(index), int(count)


def _parse_languages(codes: str) -> tuple[str, ...]:
    """ "zh, EN" -> ("zh", "en"); the config check says which code it does not know."""
    parsed = tuple(code.strip().lower() for code in codes.split(",") if code.strip())
    if not parsed:
        raise typer.BadParameter("name at least one language code, e.g. zh,en", param_hint="--lang")
    return parsed


def _refuse_missing_inputs(inputs: list[str]) -> None:
    """A named input that does not exist is a typo, not a bad file: stop before writing."""
    from cleaner.inputs import STDIN

    missing = [name for name in inputs if name != STDIN and not os.path.lexists(name)]
    if missing:
        _fail(f"no such file or directory: {', '.join(missing)}")


def _refuse_output_inside_inputs(out_dir: Path, inputs: list[str]) -> None:
    from cleaner.inputs import STDIN

    resolved = out_dir.resolve()
    for name in inputs:
        if name == STDIN:
            continue
        root = Path(name).resolve()
        if root.is_dir() and (resolved == root or resolved.is_relative_to(root)):
            _fail(f"--out {out_dir} is inside the input {name}; choose a directory outside it")
        if resolved.exists() and not resolved.is_dir():
            _fail(f"--out {out_dir} exists and is not a directory")


def _fail(message: str) -> None:
    from cleaner.report.progress import print_error

    print_error(message)
    raise typer.Exit(1)


@app.command("config", short_help="Print the effective settings as TOML.")
def config_command(
    config_file: Annotated[
        Path | None,
        typer.Option("--config", "-c", metavar="PATH", help="TOML file with settings per stage."),
    ] = None,
) -> None:
    """Print the effective settings (defaults, or --config over them) as TOML."""
    from cleaner.config import ConfigError, config_as_toml, load_config

    try:
        config = load_config(config_file)
    except ConfigError as error:
        _fail(str(error))
    typer.echo(config_as_toml(config), nl=False)


# Options shared by the two review commands.
RemovedOnlyOption = Annotated[
    bool, typer.Option("--removed-only", help="Show only removed blocks.")
]
RuleOption = Annotated[
    str | None,
    typer.Option(
        metavar="RULE",
        help="Show only blocks removed by this rule id or family (e.g. spam); "
        "`cleaner rules` lists them.",
        show_default=False,
    ),
]
ExpandOption = Annotated[
    list[str] | None,
    typer.Option(
        "--expand",
        metavar="RULE",
        help="Show each block of this rule id or family instead of one folded line per run "
        "(repeatable).",
        show_default=False,
    ),
]
AllOption = Annotated[bool, typer.Option("--all", help="Show every removed block: fold nothing.")]
PagerOption = Annotated[bool, typer.Option("--pager", help="Page long output.")]
HtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        metavar="PATH",
        help="Also write the review as a self-contained HTML page.",
        show_default=False,
    ),
]
WidthOption = Annotated[
    int | None,
    typer.Option(
        min=40,
        metavar="INTEGER",
        help="Columns to lay the review out in (default: the terminal's).",
        show_default=False,
    ),
]


def _check_rule_options(
    review, rule: str | None, expand: list[str] | None, out_dir: Path | None = None
) -> None:
    """A rule or family that names nothing is a mistake worth saying (exit 2), not an empty
    review."""
    for option, values in (("--rule", [rule] if rule else []), ("--expand", expand or [])):
        for value in values:
            problem = review.rule_filter_error(value, out_dir)
            if problem is not None:
                raise typer.BadParameter(problem, param_hint=f"'{option}'")


@app.command(
    "diff",
    short_help="Clean one file and show what went and why.",
    epilog="Example: cleaner diff page.html --removed-only --expand boilerplate",
)
def diff_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="One input file to clean and show.")],
    removed_only: RemovedOnlyOption = False,
    rule: RuleOption = None,
    expand: ExpandOption = None,
    expand_all: AllOption = False,
    pager: PagerOption = False,
    html: HtmlOption = None,
    width: WidthOption = None,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            metavar="PATH",
            help="TOML file with settings per stage.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Clean one FILE on the fly and show what was kept, what was removed and why.

    Kept text is shown whole; each removed block is marked - with its rule and evidence,
    and a run of blocks removed by one rule is folded into one line (--expand, --all).
    """
    from cleaner.config import ConfigError, load_config
    from cleaner.pipeline import process_document
    from cleaner.records import article_records, document_view
    from cleaner.report import review

    _check_rule_options(review, rule, expand)
    try:
        config = load_config(config_file)
    except ConfigError as error:
        _fail(str(error))
    if not file.is_file():
        _fail(f"{file} is not a readable file")
    renderables = []
    for document in _documents(file, config):
        result = process_document(document, config)
        if not hasattr(result, "blocks"):
            _fail(f"{document.source}: {result.stage} failed ({result.error}): {result.message}")
        view = document_view(result, article_records(result))
        renderables.append(
            review.document_review(
                view,
                removed_only=removed_only,
                rule=rule,
                near_duplicates_checked=False,
                expand=expand or (),
                expand_all=expand_all,
            )
        )
    _print_review(review, review.one_after_another(renderables), pager, html, width)


def _documents(file: Path, config: Config) -> list[Document]:
    """The documents `cleaner run FILE` would make, with the same sources and so the same
    ids: every page of a PDF (shown one after another), else the first (a WARC or JSONL
    file shows its first record)."""
    from cleaner.inputs import discover, read_document
    from cleaner.report.progress import print_warning

    discovery = discover([str(file)], config.inputs)
    if discovery.problems:
        problem = discovery.problems[0]
        _fail(f"{problem.source}: {problem.message} ({problem.error})")
    if not discovery.files:
        _fail(f"{file}: holds nothing to clean")
    items = discovery.files
    if items[0].container != "pdf":
        if len(items) > 1:
            print_warning(f"{file} holds {len(items)} records; showing the first")
        items = items[:1]
    try:
        return [read_document(item, config.inputs) for item in items]
    except Exception as error:  # noqa: BLE001 - shown to the user, not re-raised
        _fail(f"cannot read {file}: {getattr(error, 'message', error)}")


def _print_review(review, renderable, pager: bool, html: Path | None, width: int | None) -> None:
    try:
        review.print_review(renderable, pager=pager, html_path=html, width=width)
    except OSError as error:
        _fail(f"cannot write {html}: {error.strerror or error}")


# Options that only make sense for one document's review, not for the run summary.
_DOCUMENT_OPTIONS = ("--removed-only", "--rule", "--expand", "--all")


@app.command(
    "report",
    short_help="Summarise a run or review one of its documents.",
    epilog="Example: cleaner report out/ --source news/a.html --rule spam",
)
def report_command(
    out_dir: Annotated[
        Path, typer.Argument(metavar="OUT", help="The --out directory of a finished run.")
    ],
    source: Annotated[
        str | None,
        typer.Option(
            metavar="PATH",
            help="Review the document with this source path (or a unique tail of it).",
            show_default=False,
        ),
    ] = None,
    article_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="Review the document holding this article id.",
            show_default=False,
        ),
    ] = None,
    removed_only: RemovedOnlyOption = False,
    rule: RuleOption = None,
    expand: ExpandOption = None,
    expand_all: AllOption = False,
    pager: PagerOption = False,
    html: HtmlOption = None,
    width: WidthOption = None,
) -> None:
    """Summarise a finished run, or review one of its documents (--source or --id)."""
    from cleaner.output import DOCUMENTS
    from cleaner.report import review

    if source is not None and article_id is not None:
        raise typer.BadParameter(
            "give one of them: both name a document", param_hint="'--source' / '--id'"
        )
    document_options = (removed_only, rule, expand, expand_all)
    used = [name for name, value in zip(_DOCUMENT_OPTIONS, document_options, strict=True) if value]
    if used and source is None and article_id is None:
        raise typer.BadParameter(
            "applies to one document's review: add --source PATH or --id ID",
            param_hint=" / ".join(f"'{name}'" for name in used),
        )
    if not (out_dir / DOCUMENTS).is_file():
        _fail(f"{out_dir} holds no finished run (no {DOCUMENTS})")
    _check_rule_options(review, rule, expand, out_dir)
    try:
        renderable = review.run_review(
            out_dir,
            source=source,
            article_id=article_id,
            removed_only=removed_only,
            rule=rule,
            expand=expand or (),
            expand_all=expand_all,
        )
    except review.ReviewError as error:
        _fail(str(error))
    _print_review(review, renderable, pager, html, width)


@app.command(
    "rules", short_help="List every rule id with its reason.", epilog="Example: cleaner rules spam"
)
def rules_command(
    prefix: Annotated[
        str | None,
        typer.Argument(
            metavar="[RULE]",
            help="Only rules with this id or under this family (e.g. boilerplate).",
            show_default=False,
        ),
    ] = None,
    width: WidthOption = None,
) -> None:
    """List every rule id with its family, the reason it exists and an example it fires on."""
    from cleaner.report import review

    if prefix is not None:
        _check_rule_options(review, prefix, None)
    review.print_review(review.rules_listing(prefix), width=width)
