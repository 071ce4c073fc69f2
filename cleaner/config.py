"""One configuration object for a whole run.

Each stage owns a frozen dataclass of its settings (defined in its own module, every field
documented with its default and why). `Config` gathers them; `load_config` reads an optional
TOML file whose tables are named after the stages (``[spam]``, ``[dedup]`` ...). CLI flags
override the file.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.stages.boilerplate import BoilerplateConfig
from cleaner.stages.decode import DecodeConfig
from cleaner.stages.dedup import DedupConfig
from cleaner.stages.extract import ExtractConfig
from cleaner.stages.language import LanguageConfig, known_languages
from cleaner.stages.lsh_tables import band_layout
from cleaner.stages.pdf.config import PdfConfig
from cleaner.stages.reflow import ReflowConfig
from cleaner.stages.spam import SpamConfig
from cleaner.stages.split import SplitConfig


@dataclass(frozen=True)
class InputConfig:
    # File name endings read when walking a directory; a file named on the command line
    # is always read. `.gz` of each is read too.
    extensions: tuple[str, ...] = (
        ".html",
        ".htm",
        ".shtml",
        ".xhtml",
        ".txt",
        ".md",
        ".markdown",
        ".pdf",
    )
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_symlinks: bool = False
    # Crawler JSONL (files ending .jsonl, or stdin): the field holding the page (html,
    # content, text and body are tried after it), and the fields for the id and the URL.
    jsonl_content_field: str = "html"
    jsonl_id_field: str = "id"
    jsonl_url_field: str = "url"
    # --shard I/N: this process handles the inputs whose source hashes to I modulo N.
    shard_index: int = 0
    shard_count: int = 1
    # Files above this size become a `too_large` error instead of exhausting memory.
    # 64 MiB is far above any real news page (the largest bench page is under 2 MiB).
    max_file_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True)
class RunConfig:
    # 1 = in this process; more = a process pool (output order is the same either way).
    # None = one per core.
    workers: int | None = None
    quiet: bool = False
    # Seconds one document may take through all stages before it becomes a `timeout`
    # error. Real pages take milliseconds (the slowest bench page well under a second);
    # 10 s leaves room for a slow machine and multi-megabyte pages while still
    # cutting off a pathological one.
    doc_timeout: float = 10.0
    # Duplicates are flagged, never dropped, unless the user asks (--drop-duplicates).
    drop_duplicates: bool = False
    # With workers: inputs handed out and not yet taken by the parent, per worker. Bounds
    # the results waiting in the parent's memory when it is slower than the workers (the
    # near-duplicate index late in a large run) while keeping a worker busy through a
    # document that takes long: 16 is four chunks of the pool's four.
    results_in_flight_per_worker: int = 16
    # --ray: the per-document stages run as Ray tasks (cleaner/ray_engine.py) instead of in
    # this machine's process pool; the index and the writing stay here, so the output is
    # the same. Off by default: Ray is an optional extra and takes seconds to start.
    ray: bool = False
    # --ray-address: where the cluster is, as ray.init reads it: "auto" (the cluster this
    # machine joined with `ray start`), "host:6379" (a head's address), "ray://host:10001"
    # (Ray Client) or "local" (a new Ray on this machine for the run, with --workers
    # CPUs). None = $RAY_ADDRESS if set, else "local".
    ray_address: str | None = None
    # Documents per Ray task. A page takes ~10-50 ms and a task's round trip a few ms, so
    # 16 pages keep the scheduling overhead to a few percent while a batch still comes
    # back within a second or so (the progress bar moves, a retry repeats little).
    ray_batch_documents: int = 16
    # Tasks submitted and not yet taken by the driver, per CPU of the cluster: 2 keeps
    # every CPU busy while the driver writes the oldest batch, and bounds the results
    # waiting in the object store when the driver (the index) is the slower side.
    ray_tasks_in_flight_per_cpu: int = 2
    # Times Ray runs a task again when its worker dies (node lost, killed, out of memory):
    # Ray's own default. A batch still lost after that is run again one document per task,
    # so only a document that kills its worker every time becomes a `worker_lost` error.
    ray_task_retries: int = 3


@dataclass(frozen=True)
class Config:
    inputs: InputConfig = field(default_factory=InputConfig)
    decode: DecodeConfig = field(default_factory=DecodeConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    reflow: ReflowConfig = field(default_factory=ReflowConfig)
    pdf: PdfConfig = field(default_factory=PdfConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    spam: SpamConfig = field(default_factory=SpamConfig)
    split: SplitConfig = field(default_factory=SplitConfig)
    language: LanguageConfig = field(default_factory=LanguageConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    run: RunConfig = field(default_factory=RunConfig)

    def settings_of(self, stage_name: str) -> Any:
        """The settings of the stage called `stage_name` (the field of the same name)."""
        return getattr(self, stage_name)


class ConfigError(ValueError):
    """The configuration file or an option is invalid; the message says how."""


def load_config(path: Path | None = None, **overrides: dict[str, Any]) -> Config:
    """Build a Config from defaults, an optional TOML file, then per-section overrides.

    `overrides` maps a section name to the fields to set, e.g. ``run={"workers": 4}``.
    """
    sections: dict[str, dict[str, Any]] = {}
    if path is not None:
        try:
            sections = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise ConfigError(f"cannot read config file {path}: {error.strerror}") from error
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"config file {path} is not valid TOML: {error}") from error
        _resolve_paths(sections, Path(path).parent)
    for name, values in overrides.items():
        sections.setdefault(name, {}).update(values)
    return _build(Config, sections, "")


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting {where}{unknown[0]!r}; known: {', '.join(known)}")
    hints = typing.get_type_hints(cls)
    arguments: dict[str, Any] = {}
    for name, value in values.items():
        default = getattr(cls(), name)
        if dataclasses.is_dataclass(default):
            if not isinstance(value, dict):
                raise ConfigError(f"[{where}{name}] must be a table")
            arguments[name] = _build(type(default), value, f"{where}{name}.")
        else:
            arguments[name] = checked_value(f"{where}{name}", hints[name], value)
    try:
        built = cls(**arguments)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"[{where.rstrip('.') or 'config'}] {error}") from error
    if cls is Config:
        validate(built)
    return built


# ---------------------------------------------------------------- checking settings

# Number settings are at least 0 unless listed here. (low, high), both inclusive; None
# means unbounded. Each entry says why its bound is what it is.
SETTING_RANGES: dict[str, tuple[float | None, float | None]] = {
    # Counts of things that must exist: a run needs one worker, one shard, room for a byte.
    "run.workers": (1, None),
    "inputs.shard_count": (1, None),
    "inputs.max_file_bytes": (1, None),
    # At least one chunk of the pool's four inputs, or the pool could never send one.
    "run.results_in_flight_per_worker": (4, None),
    # A Ray task holds at least one document, and at least one task must be in flight.
    "run.ray_batch_documents": (1, None),
    "run.ray_tasks_in_flight_per_cpu": (1, None),
    "decode.declared_scan_bytes": (1, None),
    "decode.detector_sample_bytes": (1, None),
    "decode.mixed_sample_bytes": (1, None),
    # A shingle has at least one token; MinHash LSH needs two permutations for two bands.
    "dedup.cjk_shingle_size": (1, None),
    "dedup.latin_shingle_size": (1, None),
    "dedup.num_perm": (2, None),
    "dedup.max_sample": (1, None),
    "dedup.max_candidates": (1, None),
    "dedup.max_characters": (1, None),
    # The identifier needs at least one character to read.
    "language.sample_chars": (1, None),
}
# Shares, ratios and Jaccard thresholds: a value outside 0..1 can never be reached (or is
# always reached), which silently turns the rule off or on for every block.
FRACTION_SETTINGS = (
    "decode.max_control_ratio",
    "decode.mixed_min_utf8_share",
    "decode.mixed_detector_min_confidence",
    "decode.mojibake_min_share",
    "extract.sibling_share",
    "extract.alternative_share",
    "extract.max_link_density",
    "reflow.min_unfinished_share",
    "reflow.short_line_ratio",
    "spam.hidden_max_share",
    "spam.stuffing_min_flagged_share",
    "spam.stuffing_min_repeated_share",
    "spam.flagged_min_share",
    "split.topic_shift_below",
    "split.same_topic_above",
    "split.pull_quote_containment",
    "dedup.candidate_threshold",
    "dedup.duplicate_threshold",
    "dedup.duplicate_coverage",
    "dedup.containment_threshold",
    "dedup.sample_fraction",
    "language.min_confidence",
)
# Lists that must not be empty: with no extensions a directory walk reads nothing.
NON_EMPTY_LISTS = ("inputs.extensions",)


def checked_value(key: str, hint: Any, value: Any) -> Any:
    """`value` as the type `hint` names (an int where a float is wanted becomes a float);
    ConfigError naming `key` when it is not of that type."""
    if hint is bool:
        if not isinstance(value, bool):
            raise _type_error(key, "true or false", value)
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _type_error(key, "a whole number", value)
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _type_error(key, "a number", value)
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise _type_error(key, "a string", value)
        return value
    arguments = typing.get_args(hint)
    if typing.get_origin(hint) is tuple:
        return _checked_list(key, arguments[0], value)
    if type(None) in arguments:  # an optional setting: absent, or of the other type
        (other,) = [argument for argument in arguments if argument is not type(None)]
        return None if value is None else checked_value(key, other, value)
    return value


def _checked_list(key: str, item_hint: Any, value: Any) -> tuple:
    if isinstance(value, str):
        value = [value]  # one word where a list is expected: the list of that word
    if not isinstance(value, list | tuple):
        raise _type_error(key, "a list", value)
    if typing.get_origin(item_hint) is dict:
        wrong = [item for item in value if not isinstance(item, dict)]
        if wrong:
            raise _type_error(key, "a list of tables", wrong[0])
        return tuple(value)
    return tuple(checked_value(f"{key}[{place}]", item_hint, v) for place, v in enumerate(value))


def _type_error(key: str, wanted: str, value: Any) -> ConfigError:
    return ConfigError(f"setting {key} must be {wanted}, got {value!r} ({type(value).__name__})")


def validate(config: Config) -> None:
    """Check every setting of `config` for type and range; ConfigError names the first bad key."""
    for section in dataclasses.fields(config):
        settings = getattr(config, section.name)
        hints = typing.get_type_hints(type(settings))
        for setting in dataclasses.fields(settings):
            key = f"{section.name}.{setting.name}"
            value = checked_value(key, hints[setting.name], getattr(settings, setting.name))
            _check_range(key, value)
    _check_together(config)


def _check_range(key: str, value: Any) -> None:
    if isinstance(value, str) and not value:
        raise ConfigError(f"setting {key} must not be empty")
    if isinstance(value, tuple) and not value and key in NON_EMPTY_LISTS:
        raise ConfigError(f"setting {key} must name at least one entry")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    low, high = (0.0, 1.0) if key in FRACTION_SETTINGS else SETTING_RANGES.get(key, (0, None))
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
        raise ConfigError(f"setting {key} must be {bounds}, got {value!r}")


def _check_languages(codes: tuple[str, ...]) -> None:
    """--lang names languages the identifier can answer, else no document would ever match
    it (only checked when a list is given: loading the identifier takes a second)."""
    if not codes:
        return
    known = set(known_languages())
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ConfigError(
            f"setting language.keep: {unknown[0]!r} is not an ISO 639-1 code the language "
            f"identifier knows; known: {', '.join(sorted(known))}"
        )


def _check_together(config: Config) -> None:
    """Settings whose valid range depends on another setting."""
    if config.inputs.shard_index >= config.inputs.shard_count:
        raise ConfigError(
            f"setting inputs.shard_index must be below inputs.shard_count "
            f"({config.inputs.shard_count}), got {config.inputs.shard_index}"
        )
    _check_languages(config.language.keep)
    dedup = config.dedup
    # The LSH needs at least two bands at this threshold with these permutations. The
    # defaults fit (42 bands, tests/stages/test_dedup.py); only other settings are worth
    # importing datasketch for at start-up.
    default = DedupConfig()
    chosen = (dedup.candidate_threshold, dedup.num_perm)
    if chosen == (default.candidate_threshold, default.num_perm):
        return
    bands, _rows = band_layout(*chosen)
    if bands < 2:
        raise ConfigError(
            f"settings dedup.candidate_threshold {dedup.candidate_threshold:g} and "
            f"dedup.num_perm {dedup.num_perm} do not fit together: the LSH would have "
            f"{bands} band (at least 2 are needed); lower the threshold or add permutations"
        )


# Settings that name a file: a relative path in the config file is relative to the file.
_PATH_SETTINGS = (("spam", "extra_flagged_words_file"),)


def _resolve_paths(sections: dict[str, Any], base: Path) -> None:
    for section, name in _PATH_SETTINGS:
        table = sections.get(section)
        value = table.get(name) if isinstance(table, dict) else None
        if isinstance(value, str) and value and not Path(value).is_absolute():
            sections[section][name] = str(base / value)


# ---------------------------------------------------------------- printing settings


def config_as_toml(config: Config) -> str:
    """The effective settings as a TOML file that `load_config` reads back to `config`.

    A setting that differs from its default carries the default in a comment; an unset
    optional setting (TOML has no null) is printed as a comment.
    """
    lines = ["# cleaner settings: effective values; `# default:` marks a changed one."]
    defaults = Config()
    for section in dataclasses.fields(config):
        settings, default = getattr(config, section.name), getattr(defaults, section.name)
        lines += ["", f"[{section.name}]"]
        tables: list[str] = []
        for setting in dataclasses.fields(settings):
            value, was = getattr(settings, setting.name), getattr(default, setting.name)
            if value and isinstance(value, tuple) and isinstance(value[0], dict):
                tables += _array_of_tables(f"{section.name}.{setting.name}", value)
                continue
            lines.append(_setting_line(setting.name, value, was))
        lines += tables
    return "\n".join(lines) + "\n"


def _setting_line(name: str, value: Any, default: Any) -> str:
    if value is None:
        return f"# {name} = (unset)"
    line = f"{name} = {_toml_value(value)}"
    if value != default:
        line += f"  # default: {'unset' if default is None else _toml_value(default)}"
    return line


def _array_of_tables(key: str, tables: tuple[dict[str, Any], ...]) -> list[str]:
    lines: list[str] = []
    for table in tables:
        lines += ["", f"[[{key}]]"]
        lines += [f"{name} = {_toml_value(value)}" for name, value in table.items()]
    return lines


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a TOML basic string, except that TOML also forbids a raw DEL.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")
