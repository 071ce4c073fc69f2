"""Generated multi-article pages for the split benchmark, in the five layouts of issue 14.

    python -m cleaner.bench.split_pages /work/shared/bench OUT_DIR [--pages 700] [--seed 14]

Real article texts (extraction-zh/cleaned and extraction-en/ground-truth.json, both MIT;
titles from the pages' own ``<title>``; never the seeds) are laid out as one page of several
articles, every layout parameter drawn at random per page:

1. ``digest``: per article an optional kicker, the title, an optional ``——`` subtitle,
   byline and dateline, then one paragraph per line (indented or not); articles apart by
   one blank line, several, a rule line or nothing; or a blank line after every line.
2. ``columns``: every line cut at a fixed width (10 to 40 display units), words and
   numbers broken, paragraphs shown by a blank line, a short last line or an indent, the
   headline before or after its body, page furniture, captions between articles.
3. ``interleaved``: the column lines of two or three articles in alternating runs of N
   lines, as a PDF text layer read across the columns gives them.
4. ``wire``: English wire and newspaper text: Title Case headlines, ``By NAME``,
   ``LONDON (Reuters) -`` datelines, ``Continued on Page A4`` jump lines.
5. ``markdown``: ``#``/``##`` digests with subheadings, image captions and ad blocks.

Source articles are split once into tuning and test parts by `part_of`, and each page by
its number: a test page holds only test articles. ``truth.json`` lists per page its family,
language, part and articles (title, kicker, subtitle, author, published, text).
The same bench folder and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cleaner.bench.holdout import Part, part_of

FAMILIES = ("digest", "columns", "interleaved", "wire", "markdown")
ARTICLE_SET = "split-articles"
PAGE_SET = "split-pages"
DEFAULT_SEED = 14
DEFAULT_PAGES = 700

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_SENTENCE_END = re.compile(r"[。！？!?.…”\"’)）]$")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国晓红云飞宁波欣怡"
ZH_CITIES = ("北京", "上海", "广州", "成都", "武汉", "西安", "杭州", "南京", "沈阳", "昆明")
ZH_PAPERS = ("人民日报", "经济日报", "光明日报", "科技日报", "工人日报", "中国青年报")
ZH_SECTIONS = ("要闻", "综合", "国内", "经济", "社会", "国际", "文化", "科技")
EN_NAMES = ("Jane Smith", "Tom Baker", "Maria Lopez", "Ken Ito", "Ruth Adams", "Sam Green")
EN_CITIES = ("LONDON", "WASHINGTON", "NEW YORK", "PARIS", "TOKYO", "BERLIN", "SYDNEY")
AGENCIES = ("Reuters", "AP", "AFP", "Bloomberg")
EN_PAPERS = ("The Daily Courier", "Morning Herald", "The Evening Post")
MONTHS = "January February March April May June July August September October November December"
RULE_LINES = ("---", "＊＊＊", "* * *", "——————", "***")


@dataclass
class Source:
    """One bench article: its title and body paragraphs."""

    key: str
    lang: str
    title: str
    paragraphs: list[str]


@dataclass
class TrueArticle:
    title: str
    text: str
    kicker: str | None = None
    subtitle: str | None = None
    author: str | None = None
    published: str | None = None


@dataclass
class Page:
    name: str
    family: str
    lang: str
    part: Part
    text: str
    articles: list[TrueArticle] = field(default_factory=list)


# ---------------------------------------------------------------- sources


def _paragraphs(text: str, min_chars: int) -> list[str]:
    """Body paragraphs that end a sentence: the source's own title, date and link lines
    are left out, so that every title-like line of a page is one the layout put there."""
    found = []
    for chunk in text.split("\n"):
        chunk = re.sub(r"\s+", " ", chunk).strip()
        if len(chunk) >= min_chars and _SENTENCE_END.search(chunk):
            found.append(chunk)
    return found


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _html_title(markup: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", markup, re.S | re.I)
    title = re.sub(r"&[a-z]+;|&#\d+;", " ", match.group(1)) if match else ""
    return re.sub(r"\s+", " ", title).strip()


def zh_sources(bench: Path) -> list[Source]:
    found = []
    for path in sorted((bench / "extraction-zh" / "cleaned").glob("*.txt")):
        paragraphs = _paragraphs(path.read_text(encoding="utf-8"), 20)
        text = "".join(paragraphs)
        if len(text) < 300 or sum(1 for c in text if _CJK.match(c)) < 0.6 * len(text):
            continue  # an English abstract is no Chinese article
        original = bench / "extraction-zh" / "original" / path.name.replace(".txt", ".html")
        title = re.split(r"\s*[_|｜-]\s*|——", _html_title(_decode(original.read_bytes())))[0]
        title = re.sub(r"\(图\)|（图）|\s+\S{2,4}网$|[»〖〗]", "", title).strip()
        if 6 <= len(title) <= 30 and not _SENTENCE_END.search(title):
            found.append(Source(path.stem, "zh", title, paragraphs))
    return found


def en_sources(bench: Path) -> list[Source]:
    truth = json.loads((bench / "extraction-en" / "ground-truth.json").read_text("utf-8"))
    found = []
    for key in sorted(truth):
        paragraphs = _paragraphs(truth[key]["articleBody"], 60)
        markup = gzip.decompress((bench / "extraction-en" / "html" / f"{key}.html.gz").read_bytes())
        segments = re.split(r"\s+[|–—-]\s+", _html_title(markup.decode("utf-8", "replace")))
        title = max(segments, key=len).strip().removeprefix("Opinion | ")
        words = title.split()
        if 4 <= len(words) <= 16 and not title.endswith(".") and len(" ".join(paragraphs)) > 400:
            found.append(Source(key, "en", title, paragraphs))
    return found


def sources_by_part(bench: Path) -> dict[tuple[str, Part], list[Source]]:
    pools: dict[tuple[str, Part], list[Source]] = {}
    for source in zh_sources(bench) + en_sources(bench):
        part = part_of(ARTICLE_SET, f"{source.lang}/{source.key}")
        pools.setdefault((source.lang, part), []).append(source)
    return pools


# ---------------------------------------------------------------- article decorations


def _trim(paragraphs: list[str], rng: random.Random, limit: int) -> list[str]:
    """A run of 2 to 6 consecutive paragraphs, at most about `limit` characters."""
    start = rng.randrange(max(1, len(paragraphs) - 2))
    kept: list[str] = []
    for paragraph in paragraphs[start : start + rng.randint(2, 6)]:
        if kept and sum(map(len, kept)) + len(paragraph) > limit:
            break
        kept.append(paragraph)
    return kept


def zh_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _phrase(paragraphs: list[str], rng: random.Random, lang: str) -> str:
    """A short clause of the article without end punctuation: a kicker or subtitle."""
    clauses = [
        clause.strip()
        for paragraph in paragraphs
        for clause in re.split(r"[，。；！？,;.!?“”\"]", paragraph)
        if (8 <= len(clause.strip()) <= 18 if lang == "zh" else 4 <= len(clause.split()) <= 9)
    ]
    return rng.choice(clauses) if clauses else ""


@dataclass
class Decorated:
    """An article with what the layout prints around it."""

    truth: TrueArticle
    paragraphs: list[str]
    byline: str | None = None  # the printed byline line
    dateline: str | None = None  # printed before the first paragraph's text


def decorate(source: Source, rng: random.Random, date: tuple[int, int, int]) -> Decorated:
    limit = 900 if source.lang == "zh" else 1600
    paragraphs = _trim(source.paragraphs, rng, limit)
    truth = TrueArticle(source.title, "\n".join(paragraphs))
    article = Decorated(truth, paragraphs)
    year, month, day = date
    if source.lang == "zh":
        if rng.random() < 0.3:
            truth.kicker = _phrase(paragraphs, rng, "zh") or None
        if rng.random() < 0.35:
            subtitle = _phrase(paragraphs, rng, "zh")
            truth.subtitle = f"——{subtitle}" if subtitle else None
        if rng.random() < 0.5:
            truth.author = zh_name(rng)
            article.byline = rng.choice(("本报记者 ", "记者 ", "本报记者　")) + truth.author
        if rng.random() < 0.5:
            city = rng.choice(ZH_CITIES)
            article.dateline = rng.choice(("本报", "新华社")) + f"{city}{month}月{day}日电　"
            truth.published = f"{year:04d}-{month:02d}-{day:02d}"
    else:
        if rng.random() < 0.25:
            truth.subtitle = _phrase(paragraphs, rng, "en") or None
        if rng.random() < 0.5:
            truth.author = rng.choice(EN_NAMES)
            article.byline = f"By {truth.author}"
        if rng.random() < 0.4:
            city, agency = rng.choice(EN_CITIES), rng.choice(AGENCIES)
            article.dateline = f"{city} ({agency}) - "
    return article


def dated_first(article: Decorated) -> list[str]:
    """The paragraphs as printed: the dateline opens the first."""
    if not article.dateline:
        return list(article.paragraphs)
    return [article.dateline + article.paragraphs[0], *article.paragraphs[1:]]


def title_case(title: str) -> str:
    small = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to"}
    words = title.split()
    return " ".join(
        word
        if (index and word.lower() in small) or not word[:1].isalpha()
        else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def date_line(lang: str, date: tuple[int, int, int], rng: random.Random) -> str:
    year, month, day = date
    weekday = "一二三四五六日"[(year * 3 + month * 5 + day) % 7]
    if lang == "zh":
        return rng.choice((f"{year}年{month}月{day}日 星期{weekday}", f"{year}年{month}月{day}日"))
    return f"{MONTHS.split()[month - 1]} {day}, {year}"


def page_furniture(lang: str, date: tuple[int, int, int], rng: random.Random) -> list[str]:
    if lang == "zh":
        options = [
            date_line(lang, date, rng),
            rng.choice(ZH_PAPERS),
            f"第{rng.randint(1, 16)}版",
            rng.choice(ZH_SECTIONS),
            str(rng.randint(1, 24)),
        ]
    else:
        options = [
            date_line(lang, date, rng),
            rng.choice(EN_PAPERS),
            f"Page A{rng.randint(1, 20)}",
            str(rng.randint(1, 40)),
        ]
    return rng.sample(options, rng.randint(1, 3))


# ---------------------------------------------------------------- wrapping


# The generator lays text out with a ruler of its own, not cleaner.text's display_width
# and NO_LINE_START: the split stage measures lines with those, and a bench that printed
# pages with the same ruler would only test the stage against itself.
def _width(char: str) -> float:
    return 1.0 if _CJK.match(char) else 0.5


_NO_LINE_START = set("，。、；：！？）》”」』,.;:!?)")


def wrap_cjk(text: str, columns: float) -> list[str]:
    """Cut at any character once the column is full, numbers and words too; closing
    punctuation stays at the end of its line."""
    lines, current, used = [], "", 0.0
    for char in text:
        if used + _width(char) > columns and current and char not in _NO_LINE_START:
            lines.append(current)
            current, used = "", 0.0
        current += char
        used += _width(char)
    if current:
        lines.append(current)
    return [line.strip() for line in lines if line.strip()]


def wrap_latin(text: str, columns: int, rng: random.Random) -> list[str]:
    """Ragged-right lines; a long word that does not fit is often hyphenated."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= columns:
            current = candidate
            continue
        room = columns - len(current) - 2
        if current and word.isalpha() and len(word) >= 7 and room >= 3 and rng.random() < 0.6:
            cut = min(room, len(word) - 3)
            lines.append(f"{current} {word[:cut]}-")
            current = word[cut:]
            continue
        if current:
            lines.append(current)
        current = word
    if current:
        lines.append(current)
    return lines


def wrap(text: str, lang: str, columns: int, rng: random.Random) -> list[str]:
    return wrap_cjk(text, columns) if lang == "zh" else wrap_latin(text, columns * 2, rng)


# ---------------------------------------------------------------- the five layouts


def digest_page(articles: list[Decorated], lang: str, rng: random.Random) -> str:
    indent = rng.choice(("", "　　" if lang == "zh" else "  "))
    every_line_apart = rng.random() < 0.25
    separator = rng.choice(("blank", "blanks", "rule", "none")) if not every_line_apart else "blank"
    rule = rng.choice(RULE_LINES)
    chunks = []
    for article in articles:
        truth = article.truth
        head = [truth.kicker, truth.title, truth.subtitle, article.byline]
        lines = [line for line in head if line]
        if article.dateline and rng.random() < 0.3:
            lines.append(article.dateline.strip())
            lines += [indent + p for p in article.paragraphs]
        else:
            lines += [indent + p for p in dated_first(article)]
        chunks.append(("\n\n" if every_line_apart else "\n").join(lines))
    glue = {"blank": "\n\n", "blanks": "\n" * rng.randint(3, 4), "rule": f"\n\n{rule}\n\n"}
    return glue.get(separator, "\n").join(chunks) + "\n"


def _column_lines(article: Decorated, lang: str, columns: int, rng: random.Random, style: str):
    """The body's printed lines; paragraph breaks by blank line, short line or indent."""
    lines: list[str] = []
    for paragraph in dated_first(article):
        wrapped = wrap(paragraph, lang, columns, rng)
        if style == "indent":
            wrapped[0] = ("　　" if lang == "zh" else "   ") + wrapped[0]
        lines += wrapped
        if style == "blank":
            lines.append("")
    return lines


def _headline_lines(article: Decorated, lang: str, columns: int, rng: random.Random) -> list[str]:
    truth = article.truth
    title = wrap(truth.title, lang, columns, rng) if rng.random() < 0.5 else [truth.title]
    lines = [truth.kicker, *title, truth.subtitle, article.byline]
    return [line for line in lines if line]


def columns_page(
    articles: list[Decorated], lang: str, rng: random.Random, date: tuple[int, int, int]
) -> str:
    columns = rng.randint(10, 40)
    style = rng.choice(("blank", "short", "indent"))
    headline_after = rng.random() < 0.35
    double_spaced = rng.random() < 0.3
    lines = page_furniture(lang, date, rng) if rng.random() < 0.6 else []
    for number, article in enumerate(articles):
        head = _headline_lines(article, lang, columns, rng)
        body = _column_lines(article, lang, columns, rng, style)
        lines += ["", *(body + [""] + head if headline_after else head + [""] + body), ""]
        if number < len(articles) - 1 and rng.random() < 0.2:
            lines += [_caption(article, lang, rng), ""]
    if rng.random() < 0.4:
        lines += page_furniture(lang, date, rng)
    if double_spaced:
        lines = [line for line in lines for line in (line, "")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _caption(article: Decorated, lang: str, rng: random.Random) -> str:
    if lang == "zh":
        return f"图为{_phrase(article.paragraphs, rng, 'zh')}。　{zh_name(rng)}摄"
    return f"{_phrase(article.paragraphs, rng, 'en')}. Photo: {rng.choice(EN_NAMES)}"


def interleaved_page(articles: list[Decorated], lang: str, rng: random.Random) -> str:
    columns = rng.randint(10, 30)
    streams = []
    for article in articles:
        head = _headline_lines(article, lang, columns, rng)
        streams.append(head + _column_lines(article, lang, columns, rng, "short"))
    lines: list[str] = []
    run = rng.randint(3, 12)
    varying = rng.random() < 0.5
    gap = [""] if rng.random() < 0.5 else []
    while any(streams):
        for stream in streams:
            take = rng.randint(max(2, run - 3), run + 3) if varying else run
            if stream:
                lines += stream[:take] + gap
                del stream[:take]
    return "\n".join(line for line in lines if line or gap).strip("\n") + "\n"


def wire_page(articles: list[Decorated], rng: random.Random, date: tuple[int, int, int]) -> str:
    blank_apart = rng.random() < 0.7
    dated = rng.random() < 0.3
    chunks = []
    for number, article in enumerate(articles):
        article.truth.title = title_case(article.truth.title)
        lines = [article.truth.title, article.truth.subtitle, article.byline]
        if dated:
            lines.append(date_line("en", date, rng))
            article.truth.published = f"{date[0]:04d}-{date[1]:02d}-{date[2]:02d}"
        paragraphs = dated_first(article)
        if number < len(articles) - 1 and len(paragraphs) > 2 and rng.random() < 0.3:
            cut = rng.randint(2, len(paragraphs) - 1)
            paragraphs.insert(cut, f"Continued on Page A{rng.randint(2, 20)}")
        lines = [line for line in lines if line] + paragraphs
        chunks.append(("\n\n" if blank_apart else "\n").join(lines))
    separator = rng.choice(("\n\n", "\n\n\n", "\n\n---\n\n"))
    return separator.join(chunks) + "\n"


def markdown_page(articles: list[Decorated], lang: str, rng: random.Random) -> str:
    lines = []
    if rng.random() < 0.5:
        lines.append("# " + (rng.choice(ZH_PAPERS) + "周刊" if lang == "zh" else "Weekly Digest"))
    for article in articles:
        truth = article.truth
        lines.append(f"## {truth.title}")
        if truth.subtitle:
            lines.append(f"**{truth.subtitle}**")
        if article.byline:
            lines.append(article.byline)
        paragraphs = dated_first(article)
        if rng.random() < 0.3:
            caption = _phrase(article.paragraphs, rng, lang)
            paragraphs.insert(1, f"![{caption}](images/{rng.randint(100, 999)}.jpg)")
        lines += paragraphs
        if rng.random() < 0.2:
            lines.append("> 广告：扫码关注，领取优惠券" if lang == "zh" else "> Advertisement")
    return "\n\n".join(lines) + "\n"


# ---------------------------------------------------------------- pages


def make_page(number: int, pools: dict, rng: random.Random) -> Page:
    family = FAMILIES[number % len(FAMILIES)]
    lang = "en" if family == "wire" else rng.choice(("zh", "en"))
    part = part_of(PAGE_SET, str(number))
    pool = pools[(lang, part)]
    count = rng.choice((2, 3, 3, 4, 5)) if family != "interleaved" else rng.choice((2, 2, 3))
    date = (rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28))
    articles = [decorate(source, rng, date) for source in rng.sample(pool, count)]
    if family == "digest":
        text = digest_page(articles, lang, rng)
    elif family == "columns":
        text = columns_page(articles, lang, rng, date)
    elif family == "interleaved":
        text = interleaved_page(articles, lang, rng)
    elif family == "wire":
        text = wire_page(articles, rng, date)
    else:
        text = markdown_page(articles, lang, rng)
    if family != "wire":
        # Only the wire pages print a full date ("November 21, 2024"); a dateline gives the
        # month and day ("本报北京1月2日电") and a column page no year: no published date.
        for article in articles:
            article.truth.published = None
    if family == "markdown":
        # A Markdown digest prints no kicker line over its "## title": none to read back.
        for article in articles:
            article.truth.kicker = None
    suffix = ".md" if family == "markdown" else ".txt"
    name = f"{number:04d}-{family}-{lang}{suffix}"
    return Page(name, family, lang, part, text, [article.truth for article in articles])


def generate(bench: Path, pages: int = DEFAULT_PAGES, seed: int = DEFAULT_SEED) -> list[Page]:
    pools = sources_by_part(bench)
    rng = random.Random(seed)
    return [make_page(number, pools, rng) for number in range(pages)]


def write(pages: list[Page], out: Path) -> None:
    (out / "pages").mkdir(parents=True, exist_ok=True)
    truth = {}
    for page in pages:
        (out / "pages" / page.name).write_text(page.text, encoding="utf-8")
        truth[page.name] = {
            "family": page.family,
            "lang": page.lang,
            "part": page.part,
            "articles": [asdict(article) for article in page.articles],
        }
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("bench", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    pages = generate(args.bench, args.pages, args.seed)
    write(pages, args.out)
    articles = sum(len(page.articles) for page in pages)
    print(f"{len(pages)} pages, {articles} articles -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
