"""The HTML export: escaped, self-contained, written atomically, and inert in a real browser."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from cleaner.report import console_output
from cleaner.report.console_output import pin_wide_characters, write_pages
from cleaner.report.review import document_review, print_review, run_review

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "report"
CHROMIUM = Path("/usr/bin/chromium")

# Each payload, if it ever ran, would leave a mark the DOM dump shows.
SCRIPT_PAYLOAD = "<script>document.title='pwned';document.body.dataset.pwned='script'</script>"
IMG_PAYLOAD = "<img src=x onerror=\"document.body.dataset.pwned='img'\">"
HOSTILE_VIEW = {
    "source": "evil/</code></pre><script>document.title='pwned'</script>.html",
    "media_type": "html",
    "encoding": "utf-8",
    "encoding_confidence": 1.0,
    "encoding_source": "utf8",
    "metadata": {"title": "{stylesheet} {code} </title><script>x()</script>"},
    "articles": [{"id": "h-0", "part": 0, "title": "青岛 " + SCRIPT_PAYLOAD, "cluster": None}],
    "blocks": [
        {"text": "Kept " + SCRIPT_PAYLOAD, "kind": "paragraph", "article": 0, "rule": None},
        {
            "text": IMG_PAYLOAD + " \x1b[31mred",
            "kind": "paragraph",
            "article": 0,
            "rule": "spam.ad",
            "stage": "spam",
            "detail": "<b>bold?</b>",
        },
    ],
}


def html_of(review, name: str = "review.html") -> str:
    """The first page a review writes (a document review writes only one)."""
    return next(iter(review.html_pages(Path(name))))[1]


def test_page_escapes_every_tag_of_the_scraped_text() -> None:
    page = html_of(document_review(HOSTILE_VIEW))
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;" in page
    assert "<title>cleaner review · evil/&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;" in page
    assert "{stylesheet}" in page  # a brace in page text is not a template field
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "\x1b" not in page


def test_pages_need_nothing_outside_themselves() -> None:
    pages = [page for _, page in run_review(FIXTURES / "run").html_pages(Path("run.html"))]
    assert len(pages) == 5  # four documents and the summary
    for page in pages:
        assert "http://" not in page.replace("http://example.cn", "") and "https://" not in page
        assert "<link" not in page and "@import" not in page and "url(" not in page


def test_wide_characters_are_pinned_to_two_columns() -> None:
    assert pin_wide_characters("ab青岛c") == 'ab<span class="wide">青岛</span>c'
    assert pin_wide_characters("&lt;plain&gt;") == "&lt;plain&gt;"


def test_write_html_replaces_the_page_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    page.write_text("old", encoding="utf-8")
    write_pages(document_review(HOSTILE_VIEW), page)
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(page.stat().st_mode) == 0o644
    assert [path.name for path in tmp_path.iterdir()] == ["review.html"]


def test_a_failed_write_keeps_the_previous_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "review.html"
    page.write_text("previous page", encoding="utf-8")

    def disk_full(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(console_output.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_pages(document_review(HOSTILE_VIEW), page)
    assert page.read_text(encoding="utf-8") == "previous page"
    assert [path.name for path in tmp_path.iterdir()] == ["review.html"]


def test_print_review_with_html_also_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "r.html"
    print_review(document_review(HOSTILE_VIEW), html_path=page, width=100)
    assert page.is_file()
    assert "spam.ad" in capsys.readouterr().out


def chromium_dom(page: Path, profile: Path) -> lxml_html.HtmlElement:
    """Load `page` in headless Chromium and parse the DOM as the browser left it."""
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", page.as_uri(),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert "<html" in result.stdout, result.stderr[-2000:]
    return lxml_html.fromstring(result.stdout)


needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium missing: apt-get install chromium (CI does)"
)


@needs_chromium
def test_chromium_runs_scripts_on_an_unescaped_control_page(tmp_path: Path) -> None:
    """Control: the same check does catch a script that runs, so the next tests mean something."""
    page = tmp_path / "control.html"
    page.write_text(f"<html><head><title>t</title></head><body>{SCRIPT_PAYLOAD}</body></html>")
    dom = chromium_dom(page, tmp_path / "profile")
    assert dom.findtext(".//title") == "pwned"
    assert dom.find(".//body").get("data-pwned") == "script"


@needs_chromium
@pytest.mark.parametrize("keep_csp", [True, False], ids=["as exported", "csp removed"])
def test_chromium_shows_scraped_markup_as_text_and_runs_none_of_it(
    tmp_path: Path, keep_csp: bool
) -> None:
    exported = html_of(document_review(HOSTILE_VIEW))
    if not keep_csp:  # escaping alone must hold, without the policy's second line of defence
        exported = exported.replace('http-equiv="Content-Security-Policy"', 'name="x"')
    page = tmp_path / "review.html"
    page.write_text(exported, encoding="utf-8")
    dom = chromium_dom(page, tmp_path / "profile")
    assert dom.findtext(".//title") == "cleaner review · " + HOSTILE_VIEW["source"]
    assert dom.find(".//body").get("data-pwned") is None
    assert dom.findall(".//script") == [] and dom.findall(".//img") == []
    # Compared without whitespace: the report wraps long text into its column.
    shown = "".join(dom.find(".//body").text_content().split())
    for scraped in ("Kept " + SCRIPT_PAYLOAD, IMG_PAYLOAD, "<b>bold?</b>", HOSTILE_VIEW["source"]):
        assert "".join(scraped.split()) in shown


@needs_chromium
def test_chromium_renders_the_run_summary_and_a_fixture_document(tmp_path: Path) -> None:
    page = tmp_path / "evil.html"
    print_review(run_review(FIXTURES / "run", article_id="evil-1"), html_path=page)
    dom = chromium_dom(page, tmp_path / "profile")
    shown = dom.find(".//main").text_content()
    assert "Breaking: <script>document.title='pwned'</script> markets rally" in shown
    assert dom.findtext(".//title") == "cleaner review · news/evil.html"
    assert dom.findall(".//script") == []


@pytest.mark.skipif(shutil.which("less") is None, reason="no less to page with")
def test_pager_is_not_used_when_stdout_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console_output.subprocess, "run", pytest.fail)
    print_review(document_review(HOSTILE_VIEW), pager=True, width=80)
    assert "spam.ad" in capsys.readouterr().out


def test_pager_gets_the_coloured_review_when_stdout_is_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paged: list[tuple[list[str], str]] = []
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich treats stdout as a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(console_output.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(
        console_output.subprocess, "run", lambda command, **kw: paged.append((command, kw["input"]))
    )
    print_review(document_review(HOSTILE_VIEW), pager=True, width=100)
    assert [command for command, _ in paged] == [["less", "-R"]]
    assert "spam.ad" in paged[0][1] and "\x1b[" in paged[0][1]  # colours kept for less -R
    assert capsys.readouterr().out == ""


def test_no_color_turns_colours_off_even_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    print_review(document_review(HOSTILE_VIEW), width=100)
    printed = capsys.readouterr().out
    assert "spam.ad" in printed
    assert not re.search(r"\x1b\[[0-9;]*(3[0-9]|9[0-7])[;m]", printed)  # no colour codes


def test_a_reader_closing_the_pipe_ends_the_review_quietly(tmp_path: Path) -> None:
    """`cleaner report OUT | head -1`: no BrokenPipeError traceback on stderr."""
    program = (
        "from cleaner.report.review import document_review, print_review\n"
        "lines = ['line %d ' % n * 20 for n in range(3000)]\n"
        "blocks = [{'text': line, 'article': 0, 'rule': None} for line in lines]\n"
        "print_review(document_review({'source': 'x', 'blocks': blocks}), width=100)\n"
    )
    root = Path(__file__).resolve().parents[2]
    reader = subprocess.Popen(["head", "-1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    writer = subprocess.run(
        [sys.executable, "-c", program],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
        timeout=120,
    )
    reader.stdin.close()
    assert reader.stdout.read().startswith(b"source")
    reader.wait(timeout=30)
    assert "Traceback" not in writer.stderr, writer.stderr[-1000:]
    assert writer.returncode in (0, 1)  # 1: rich saw the closed pipe and stopped
