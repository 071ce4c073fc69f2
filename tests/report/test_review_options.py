"""The review commands' options: each applies, or the command says why not (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.rules import all_rules

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "fixtures" / "report" / "run"
SEED = ROOT / "seeds" / "002_1de24dbb6a6a9ccd.txt"
PAGE_163 = ROOT / "fixtures" / "report" / "pages" / "163-1.html.gz"

runner = CliRunner()


def invoke(*arguments: str):
    return runner.invoke(app, [str(argument) for argument in arguments], env={"COLUMNS": "120"})


@pytest.mark.parametrize(
    "options",
    [["--rule", "spam"], ["--removed-only"], ["--expand", "extract"], ["--all"]],
    ids=["rule", "removed-only", "expand", "all"],
)
def test_document_options_without_a_document_are_an_error(options: list[str]) -> None:
    result = invoke("report", RUN, *options)
    assert result.exit_code == 2
    assert "applies to one document's review: add --source PATH or --id ID" in result.output
    assert options[0] in result.output


def test_source_and_id_together_are_an_error() -> None:
    result = invoke("report", RUN, "--source", "news/sina-port.md", "--id", "qd-1")
    assert result.exit_code == 2 and "give one of them" in result.output


@pytest.mark.parametrize("command", ["diff", "report"])
def test_an_unknown_rule_is_an_error_that_suggests_and_lists_families(command: str) -> None:
    target = [SEED] if command == "diff" else [RUN, "--source", "news/sina-port.md"]
    result = invoke(command, *target, "--rule", "spma")
    assert result.exit_code == 2
    assert "no rule id or family 'spma'" in result.output and "Did you mean spam?" in result.output
    assert "Families: boilerplate, decode, extract" in result.output
    assert "cleaner rules" in result.output
    assert invoke(command, *target, "--expand", "nosuchrule").exit_code == 2


def test_a_rule_the_run_recorded_is_accepted_even_if_this_version_lacks_it() -> None:
    # fixtures/report/run was written with rule ids such as spam.app_promo.
    result = invoke("report", RUN, "--source", "qingdao-daily-2022-04-28.html",
                    "--rule", "spam.app_promo")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "扫码下载APP" in result.output


def test_diff_folds_chrome_and_expand_or_all_unfold_it() -> None:
    folded = invoke("diff", PAGE_163)
    assert folded.exit_code == 0, folded.output
    assert "- 162 blocks, 577 chars — extract.outside-main" in folded.output
    expanded = invoke("diff", PAGE_163, "--expand", "extract.outside-main")
    everything = invoke("diff", PAGE_163, "--all")
    assert expanded.exit_code == everything.exit_code == 0
    for result in (expanded, everything):
        assert "162 blocks" not in result.output and "- 网易首页" in result.output
    assert len(folded.output.splitlines()) < 200 < len(expanded.output.splitlines())


def test_width_lays_the_review_out_in_that_many_columns() -> None:
    result = invoke("diff", SEED, "--width", "72")
    assert result.exit_code == 0
    assert max(len(line) for line in result.output.splitlines()) <= 72


def test_rules_lists_every_rule_with_family_reason_and_example() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    for rule in all_rules():
        assert rule.id in result.output
    assert "site path shown above the" in result.output  # boilerplate.breadcrumb's reason
    assert "当前位置:首页" in result.output  # its example
    spam_only = invoke("rules", "spam")
    assert "spam.seo.keyword-stuffing" in spam_only.output
    assert "boilerplate.breadcrumb" not in spam_only.output
    assert invoke("rules", "nosuch").exit_code == 2


@pytest.mark.parametrize("command", ["run", "diff", "report", "rules"])
def test_help_shows_an_example_and_plain_metavars(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "Example: cleaner " in result.output
    options = result.output[result.output.index("Options:") :]
    assert "<" not in options.split("Example:")[0]  # PATH, INTEGER, RULE, not <list[str]>


def test_top_level_help_lists_whole_command_descriptions_and_completion() -> None:
    result = invoke("--help")
    assert "--install-completion" in result.output
    assert "..." not in result.output[result.output.index("Commands:") :]  # none cut short
    assert "rules   List every rule id with its reason." in result.output
