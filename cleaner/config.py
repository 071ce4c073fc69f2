"""One configuration object for a whole run.

Each stage owns a frozen dataclass of its settings (defined in its own module, every field
documented with its default and why). `Config` gathers them; `load_config` reads an optional
TOML file whose tables are named after the stages (``[spam]``, ``[dedup]`` ...). CLI flags
override the file.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.stages.boilerplate import BoilerplateConfig
from cleaner.stages.decode import DecodeConfig
from cleaner.stages.dedup import DedupConfig
from cleaner.stages.extract import ExtractConfig
from cleaner.stages.language import LanguageConfig
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


@dataclass(frozen=True)
class Config:
    inputs: InputConfig = field(default_factory=InputConfig)
    decode: DecodeConfig = field(default_factory=DecodeConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    reflow: ReflowConfig = field(default_factory=ReflowConfig)
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
    arguments: dict[str, Any] = {}
    for name, value in values.items():
        default = getattr(cls(), name)
        if dataclasses.is_dataclass(default):
            if not isinstance(value, dict):
                raise ConfigError(f"[{where}{name}] must be a table")
            arguments[name] = _build(type(default), value, f"{where}{name}.")
        elif isinstance(default, tuple):
            arguments[name] = tuple(value) if isinstance(value, list | tuple) else (value,)
        else:
            arguments[name] = value
    try:
        return cls(**arguments)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"[{where.rstrip('.') or 'config'}] {error}") from error


# Settings that name a file: a relative path in the config file is relative to the file.
_PATH_SETTINGS = (("spam", "extra_flagged_words_file"),)


def _resolve_paths(sections: dict[str, Any], base: Path) -> None:
    for section, name in _PATH_SETTINGS:
        table = sections.get(section)
        value = table.get(name) if isinstance(table, dict) else None
        if isinstance(value, str) and value and not Path(value).is_absolute():
            sections[section][name] = str(base / value)
