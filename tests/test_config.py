"""load_config: defaults, TOML tables per stage, overrides, and friendly errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.config import Config, ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cleaner.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    assert load_config() == Config()


def test_tables_lists_and_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, '[inputs]\nexclude = ["*.md"]\n[run]\nworkers = 3\n')
    config = load_config(path, run={"workers": 1})
    assert config.inputs.exclude == ("*.md",)
    assert config.run.workers == 1  # the command line wins over the file


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[spam]\nno_such = 1\n", "no_such"),
        ("[nosuchstage]\nx = 1\n", "nosuchstage"),
        ("[spam\n", "not valid TOML"),
        ("spam = 3\n", "must be a table"),
        ('[[spam.rules]]\nid = "x"\npattern = "("\n', "spam"),
        ('[spam]\nextra_flagged_words_file = "missing.txt"\n', "missing.txt"),
    ],
)
def test_bad_settings_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.toml")


def test_word_file_is_relative_to_the_config_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "words.txt").write_text("blackjackbonus\n", encoding="utf-8")
    monkeypatch.chdir("/")
    config = load_config(write(tmp_path, '[spam]\nextra_flagged_words_file = "words.txt"\n'))
    assert Path(config.spam.extra_flagged_words_file) == tmp_path / "words.txt"


# Issue 16, item 15: every setting is checked for type and range when the config is loaded,
# with a message naming the key, instead of failing later on every document (or not at all).
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[run]\ndoc_timeout = "10"\n', "run.doc_timeout"),
        ("[run]\ndoc_timeout = -1\n", "run.doc_timeout"),
        ('[run]\nworkers = "four"\n', "run.workers"),
        ("[run]\nworkers = 0\n", "run.workers"),
        ("[spam]\nextra_flagged_words = 5\n", "spam.extra_flagged_words"),
        ("[spam]\nextra_flagged_words = [5]\n", "spam.extra_flagged_words"),
        ('[dedup]\nenabled = "no"\n', "dedup.enabled"),
        ("[dedup]\nenabled = 1\n", "dedup.enabled"),
        ("[inputs]\nshard_index = 5\nshard_count = 2\n", "inputs.shard_index"),
        ("[inputs]\nshard_count = 0\n", "inputs.shard_count"),
        ("[dedup]\nnum_perm = 0\n", "dedup.num_perm"),
        ("[dedup]\ncandidate_threshold = 5.0\n", "dedup.candidate_threshold"),
        ("[dedup]\nduplicate_threshold = true\n", "dedup.duplicate_threshold"),
        ('[inputs]\nmax_file_bytes = "big"\n', "inputs.max_file_bytes"),
        ("[inputs]\nmax_file_bytes = 1.5\n", "inputs.max_file_bytes"),
        ("[inputs]\nextensions = []\n", "inputs.extensions"),
        ("[split]\nmin_article_chars = -3\n", "split.min_article_chars"),
        ('[dedup]\nredis_namespace = ""\n', "dedup.redis_namespace"),
        ("[spam]\nextra_flagged_words_file = 3\n", "spam.extra_flagged_words_file"),
        ("[spam]\nrules = [1, 2]\n", "spam.rules"),
    ],
)
def test_wrong_types_and_ranges_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config(write(tmp_path, text))


def test_overrides_are_checked_like_the_file() -> None:
    with pytest.raises(ConfigError, match=r"run\.workers"):
        load_config(run={"workers": "four"})


def test_integers_are_accepted_for_floats_and_stored_as_floats(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[run]\ndoc_timeout = 3\n"))
    assert config.run.doc_timeout == 3.0
    assert isinstance(config.run.doc_timeout, float)


def test_every_default_passes_its_own_checks() -> None:
    from cleaner.config import validate

    validate(Config())  # raises ConfigError on the first setting out of range


def test_config_as_toml_round_trips(tmp_path: Path) -> None:
    from cleaner.config import config_as_toml

    path = write(tmp_path, '[run]\nworkers = 3\n[inputs]\nexclude = ["*.md"]\n')
    config = load_config(path)
    text = config_as_toml(config)
    assert "workers = 3  # default: unset" in text
    assert "[dedup]" in text and "num_perm = 128" in text
    assert load_config(write(tmp_path, text)) == config


def test_config_as_toml_keeps_user_rules(tmp_path: Path) -> None:
    from cleaner.config import config_as_toml

    rule = '[[spam.rules]]\nid = "spam.user_casino"\npattern = "casino"\n'
    rule += 'why = "casino ads"\nexample = "casino"\ncounterexample = "news"\n'
    config = load_config(write(tmp_path, rule))
    assert load_config(write(tmp_path, config_as_toml(config))) == config


def test_cli_refuses_a_bad_setting_with_exit_1(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cleaner.cli import app

    config = write(tmp_path, '[run]\ndoc_timeout = "10"\n')
    page = tmp_path / "page.txt"
    page.write_text("A page of text.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(page), "--out", str(out), "-c", str(config)])
    assert result.exit_code == 1
    assert "run.doc_timeout" in result.output
    assert not (out / "articles.jsonl").exists()


def test_cli_config_prints_what_it_reads(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cleaner.cli import app

    runner = CliRunner()
    printed = runner.invoke(app, ["config", "-c", str(write(tmp_path, "[dedup]\nnum_perm = 64\n"))])
    assert printed.exit_code == 0
    assert "num_perm = 64  # default: 128" in printed.output
    assert load_config(write(tmp_path, printed.output)).dedup.num_perm == 64
    refused = runner.invoke(app, ["config", "-c", str(write(tmp_path, "[dedup]\nnum_perm = 0\n"))])
    assert refused.exit_code == 1 and "dedup.num_perm" in refused.output
