"""Start-up: which libraries each command loads (issue 20). Behaviour, not timing: a
library that is never imported costs nothing, and the speed bench reports the seconds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = (
    "<html><head><title>Harbour opens</title><meta charset='utf-8'></head><body><article>"
    "<h1>Harbour opens</h1><p>The new harbour opened on Monday after six years of work, the "
    "city council said in a statement on its web site.</p><p>Ships will start to call next "
    "month, bringing goods from across the region, the port's director told reporters.</p>"
    "</article></body></html>"
)

# Run a CLI command inside this interpreter, then print the top-level modules it loaded.
LOADED_BY = """
import json, sys
from cleaner.cli import app
try:
    app(sys.argv[1:], prog_name="cleaner")
except SystemExit as stop:
    assert not stop.code, stop.code
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""

# Only needed by what the command does not do: the index's LSH (scipy through datasketch), a
# shared index (redis), WARC input (warcio), PDF input (pypdfium2), a run on Ray (ray).
NEVER_FOR_HTML = {"scipy", "datasketch", "redis", "warcio", "pypdfium2", "ray"}


def loaded_by(*arguments: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", LOADED_BY, *arguments], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_pipeline_library() -> None:
    code = "import json, sys, cleaner.cli; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = {name.split(".")[0] for name in json.loads(result.stdout)}
    heavy = NEVER_FOR_HTML | {"numpy", "opencc", "chardet", "lxml", "bs4", "rich"}
    assert not loaded & heavy, sorted(loaded & heavy)


@pytest.mark.parametrize("arguments", [["--version"], ["--help"], ["run", "--help"]])
def test_help_and_version_load_no_pipeline_library(arguments: list[str]) -> None:
    assert not loaded_by(*arguments) & (NEVER_FOR_HTML | {"numpy", "lxml", "opencc"})


def test_diff_of_a_page_loads_neither_the_index_nor_other_inputs(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    loaded = loaded_by("diff", str(page), "--width", "80")
    assert "lxml" in loaded  # the page was really cleaned
    assert not loaded & NEVER_FOR_HTML, sorted(loaded & NEVER_FOR_HTML)


def test_run_without_dedup_loads_neither_the_index_nor_other_inputs(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "page.html").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    loaded = loaded_by("run", str(pages), "--out", str(out), "-q", "--workers", "1", "--no-dedup")
    assert (out / "articles.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert not loaded & NEVER_FOR_HTML, sorted(loaded & NEVER_FOR_HTML)


def test_run_with_an_index_loads_no_other_inputs(tmp_path: Path) -> None:
    # The index's MinHash scheme is datasketch's (which brings scipy and the redis client);
    # WARC and PDF readers stay unloaded.
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "page.html").write_text(PAGE, encoding="utf-8")
    loaded = loaded_by("run", str(pages), "--out", str(tmp_path / "out"), "-q", "--workers", "1")
    assert {"opencc", "datasketch"} <= loaded  # the index really fingerprinted the article
    assert not loaded & {"warcio", "pypdfium2"}, sorted(loaded & {"warcio", "pypdfium2"})
