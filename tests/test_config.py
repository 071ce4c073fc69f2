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
