"""The PDF reader: every character of the text layer, in page positions and real sizes."""

from __future__ import annotations

import io

from cleaner.stages.pdf import unread_text
from cleaner.stages.pdf.config import PdfConfig
from cleaner.stages.pdf.geometry import lines_of
from cleaner.stages.pdf.reader import read_page

PAGE_HEIGHT = 400.0


def _pdf(paint) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(400, PAGE_HEIGHT), invariant=1)
    paint(page)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _headline_with_a_one_character_line(page) -> None:
    """reportlab's built-in Chinese font is not embedded: on a machine without Chinese
    fonts PDFium finds no glyph box for it, and a string of one character has no width."""
    page.setFont("STSong-Light", 20)
    page.drawString(40, 300, "他是百万富")
    page.drawString(40, 276, "翁")
    page.setFont("STSong-Light", 10)
    page.drawString(40, 250, "他说。")


def _texts(raw: bytes) -> list[str]:
    glyphs = read_page(raw, 0).glyphs
    return [line.text for line in lines_of(glyphs, 10.0, PdfConfig())]


def test_a_one_character_string_of_a_font_without_glyph_boxes_is_read():
    assert _texts(_pdf(_headline_with_a_one_character_line)) == ["他是百万富", "翁", "他说。"]


def test_a_one_character_string_inside_a_scaled_form_is_read_in_page_space():
    def paint(page):
        page.beginForm("headline")
        _headline_with_a_one_character_line(page)
        page.endForm()
        page.saveState()
        page.translate(20, -100)
        page.scale(0.5, 0.5)
        page.doForm("headline")
        page.restoreState()

    glyphs = read_page(_pdf(paint), 0).glyphs
    lone = [glyph for glyph in glyphs if glyph.char == "翁"]
    assert len(lone) == 1
    assert abs(lone[0].x0 - (20 + 40 * 0.5)) < 0.5
    assert abs(lone[0].baseline - (PAGE_HEIGHT - (-100 + 276 * 0.5))) < 0.5
    assert abs(lone[0].size - 10) < 0.01
    assert {glyph.size for glyph in glyphs if glyph.char == "富"} == {10.0}


def test_a_font_scaled_by_the_text_matrix_has_its_printed_size():
    """Layout programs often select a font at size 1 and scale it to 9 or 30 points."""

    def paint(page):
        page.setFont("Helvetica", 10)
        page.drawString(40, 100, "Body")
        page.saveState()
        page.translate(40, 300)
        page.scale(3, 3)
        page.drawString(0, 0, "Headline")
        page.restoreState()

    sizes = {glyph.char: round(glyph.size, 2) for glyph in read_page(_pdf(paint), 0).glyphs}
    assert sizes["H"] == 30.0
    assert sizes["B"] == 10.0


def test_when_the_second_reader_fails_the_page_keeps_what_pdfium_read(monkeypatch):
    def broken(*_):
        raise ValueError("unreadable content stream")

    monkeypatch.setattr(unread_text, "_characters_at", broken)
    # Without Chinese fonts on the machine the lone character is lost; nothing else is.
    assert {"他是百万富", "他说。"} <= set(_texts(_pdf(_headline_with_a_one_character_line)))


def test_a_stream_the_fast_reader_leaves_alone_is_read_by_pdfminer_alone(monkeypatch):
    def unusual(data):
        raise unread_text.UnusualContent("as if the page held an inline image")

    monkeypatch.setattr(unread_text, "operations", unusual)
    assert _texts(_pdf(_headline_with_a_one_character_line)) == ["他是百万富", "翁", "他说。"]


def test_a_lone_character_set_after_others_on_its_line_is_read_at_its_place():
    """The second reading passes over lines without a skipped character by their widths
    alone; the line that holds one is read character by character, so the lone character
    is found between its neighbours."""

    def paint(page):
        page.setFont("STSong-Light", 10)
        text = page.beginText(40, 300)
        text.textOut("他说：")
        text.setFont("STSong-Light", 20)
        text.textOut("翁")
        text.setFont("STSong-Light", 10)
        text.textLine("，是的。")
        text.textLine("下一行")
        page.drawText(text)

    glyphs = read_page(_pdf(paint), 0).glyphs
    lone = [glyph for glyph in glyphs if glyph.char == "翁"]
    assert len(lone) == 1
    before = max(glyph.x1 for glyph in glyphs if glyph.char == "：")
    after = min(glyph.x0 for glyph in glyphs if glyph.char == "，")
    assert before - 0.5 <= lone[0].x0 and lone[0].x1 <= after + 0.5


def test_a_bold_cut_and_a_stroked_chinese_font_are_bold_and_the_regular_is_not():
    def paint(page):
        page.setFont("Times-Roman", 10)
        page.drawString(40, 300, "regular")
        page.setFont("Helvetica-Bold", 10)
        page.drawString(40, 280, "heavy")
        page.setFont("STSong-Light", 10)
        page.drawString(40, 260, "宋体")
        stroked = page.beginText(40, 240)
        stroked.setFont("STSong-Light", 10)
        stroked.setTextRenderMode(2)
        stroked.textOut("加粗")
        page.drawText(stroked)

    weights = {glyph.char: glyph.bold for glyph in read_page(_pdf(paint), 0).glyphs}
    assert [weights[char] for char in "rh宋加"] == [False, True, False, True]
