"""Train the line-role model of the split stage on tuning pages only.

    python -m cleaner.bench.train_split_roles /work/shared/bench [--pages 700] [--seed 14]

Data: the tuning part of the generated split pages (`cleaner.bench.split_pages`, every
family but the interleaved one, whose lines alternate between articles) and the tuning
part of the extraction sets' texts (single articles: their short lines are subheadings,
never titles), and column pages of tuning articles with subheadings set into them
(`subheaded_pages`), where those lines are labelled subheadings. Each page runs through
the stages before split; each block the decoder reads is labelled from the truth
(`label_block`). A multinomial logistic model is fitted by full-batch gradient descent
(Adam, L2), the role transitions are counted with add-one smoothing, and
`cleaner/models/split_roles.json` is written. Same data, same file.

The single articles are the tuning part's truth texts of extraction-en and -zh and of
extraction-web's l3s-gn1 and readability sets (`single_articles`; cleaneval's are often a
blog page of several posts), split once more by a fixed hash into a fit half, which the
models are fitted on, and a check half, which they never see:

    python -m cleaner.bench.train_split_roles /work/shared/bench --check-singles

counts, per set and half, the single articles the whole pipeline splits.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from cleaner.bench.holdout import part_of
from cleaner.bench.pdf import bigram_f1
from cleaner.bench.split_layouts import run_page, single_pages
from cleaner.bench.split_pages import (
    DEFAULT_PAGES,
    DEFAULT_SEED,
    Decorated,
    Page,
    columns_page,
    decorate,
    generate,
    sources_by_part,
)
from cleaner.config import Config
from cleaner.document import Block, Document, Layout, Role
from cleaner.pipeline import process_document, stages_for
from cleaner.stages.split import mark_pull_quotes
from cleaner.stages.split_roles import (
    FEATURE_NAMES,
    MODEL_PATH,
    PAGE_FEATURE_NAMES,
    ROLES,
    Logistic,
    RoleModel,
    page_features,
    page_shape,
    read_page,
    sequence_indices,
)

_DATELINE_ONLY = re.compile(r"^(?:本[报報]|新华社)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日电$")
# L2 penalty and steps of the fit: enough for the loss to settle on the tuning data.
L2 = 1e-3
STEPS = 600
LEARNING_RATE = 0.05
# Decoder weights (see `RoleModel`), chosen over a grid on the tuning digest and wire
# pages: prior 0 / 0.5 / 0.7 / 1 by transitions 1 / 0.5 / 0.4 / 0.3; 0.7 and 0.4 gave the
# most articles recovered on both families together (0.89 and 0.92, against 0.82 and
# 0.86 for the plain product of model and transitions).
PRIOR_WEIGHT = 0.7
TRANSITION_WEIGHT = 0.4
# extraction-web's sets whose truth texts are one article each (cleaneval's are often a
# blog page of several posts, a list of links or a forum thread).
SINGLE_ARTICLE_SETS = ("l3s-gn1", "readability")
# The fixed hash splitting the tuning single articles into the fit and the check half.
HALF_SET = "page-model-half"


def compact(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def blocks_before_split(
    name: str, raw: bytes, media_type: str, config: Config
) -> tuple[list[Block], bool]:
    """The blocks the decoder reads, and whether reflow read the page as columns."""
    document = Document(name, raw=raw, media_type=media_type)
    stages = stages_for(document)
    names = [stage.NAME for stage in stages]
    before = stages[: names.index("split")] if "split" in names else stages
    result = process_document(document, config, tuple(before))
    if not isinstance(result, Document):
        return [], False
    # The split stage sets aside a short line printed again on the page (a pull quote, a
    # question put to every interviewee) before it reads the page: so does the trainer.
    mark_pull_quotes(result.blocks, config.settings_of("split"))
    columns = result.layout is Layout.COLUMNS
    return [result.blocks[index] for index in sequence_indices(result.blocks)], columns


def label_block(text: str, page: Page, subheadings: frozenset[str] = frozenset()) -> Role:
    """The role of one block of a generated page, read from the page's truth."""
    own = compact(text)
    if not own:
        return Role.FURNITURE
    if own in subheadings:
        return Role.SUBHEADING
    for article in page.articles:
        for role, wanted in (
            (Role.TITLE, article.title),
            (Role.KICKER, article.kicker),
            (Role.SUBTITLE, article.subtitle),
        ):
            whole = compact(wanted)
            if whole and (
                own == whole
                or (len(own) >= 2 and own in whole and own not in compact(article.text))
            ):
                return role
        if (
            article.author
            and article.author.replace(" ", "") in own
            and len(own) <= len(compact(article.author)) + 8
        ):
            return Role.BYLINE
    if _DATELINE_ONLY.match(own) or re.fullmatch(r"[A-Z .'-]+\([A-Za-z .]+\)-", own):
        return Role.DATELINE
    if own.startswith("图为") or "Photo:" in text:
        return Role.CAPTION
    texts = [compact(article.text) for article in page.articles]
    if any(own in body for body in texts) or (
        len(own) > 30 and max(bigram_f1(own, body[: len(own) * 3]) for body in texts) > 0.3
    ):
        return Role.BODY
    if len(own) > 30 and any(_contained(own, body) for body in texts):
        return Role.BODY
    return Role.FURNITURE


def _contained(own: str, body: str) -> bool:
    pairs = {own[i : i + 2] for i in range(len(own) - 1)}
    theirs = {body[i : i + 2] for i in range(len(body) - 1)}
    return len(pairs & theirs) >= 0.8 * len(pairs)


# Pages laid out with subheadings, only for training: the bench's own pages print none,
# but real column pages (seed 003, the labelled set) set short lines inside articles that
# the model must not read as headlines. 40: 20 and 40 give the same tuning columns
# (recovered 0.907), 80 or more make the model read the first line of the labelled set's
# two-line column headlines as a kicker (labelled titles 0.976 -> 0.953).
SUBHEADED_PAGES = 40


def _subheading(paragraph: str, article: Decorated, lang: str, rng: random.Random) -> str:
    """A subheading an editor might set: the opening words of the paragraph under it,
    or a phrase of the article's own."""
    if rng.random() < 0.5:
        if lang == "zh":
            clause = re.split(r"[，。；：、,！？]", paragraph)[0]
            heading = clause[: rng.randint(4, 12)]
        else:
            words = paragraph.split()[: rng.randint(2, 6)]
            heading = " ".join(words).strip(',.;:!?"“”')
    else:
        clauses = [
            clause.strip()
            for text in article.paragraphs
            for clause in re.split(r"[，。；！？,;.!?“”\"]", text)
            if 4 <= len(clause.strip()) <= (14 if lang == "zh" else 60)
        ]
        heading = rng.choice(clauses) if clauses else ""
    return heading[:1].upper() + heading[1:]


def add_subheadings(article: Decorated, lang: str, rng: random.Random) -> list[str]:
    """Set one or two subheadings before later paragraphs; the truth text holds them, as
    a reader wants them kept."""
    added: list[str] = []
    if len(article.paragraphs) < 2 or rng.random() < 0.3:
        return added
    for index in sorted(rng.sample(range(1, len(article.paragraphs)), 1), reverse=True):
        heading = _subheading(article.paragraphs[index], article, lang, rng)
        if len(compact(heading)) >= 4:
            article.paragraphs.insert(index, heading)
            added.append(heading)
    article.truth.text = "\n".join(article.paragraphs)
    return added


def subheaded_pages(bench, seed: int) -> list[tuple[Page, frozenset[str]]]:
    """Column pages of tuning articles with subheadings."""
    pools = sources_by_part(bench)
    rng = random.Random(seed * 1000 + 7)
    found = []
    for number in range(SUBHEADED_PAGES):
        lang = rng.choice(("zh", "en"))
        date = (rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28))
        count = rng.choice((2, 3, 3, 4))
        articles = [
            decorate(source, rng, date) for source in rng.sample(pools[(lang, "tuning")], count)
        ]
        subheadings = [
            heading for article in articles for heading in add_subheadings(article, lang, rng)
        ]
        text = columns_page(articles, lang, rng, date)
        truths = [article.truth for article in articles]
        page = Page(f"subheaded-{number}.txt", "columns", lang, "tuning", text, truths)
        found.append((page, frozenset(compact(heading) for heading in subheadings)))
    return found


def training_pages(bench, pages: int, seed: int, config: Config):
    """(blocks, labels or None, several articles?, read as columns?) of every tuning page:
    generated pages carry block labels; single articles only say they are one."""
    found = []
    for page in generate(bench, pages, seed):
        if page.part != "tuning" or page.family == "interleaved":
            continue
        media_type = "markdown" if page.name.endswith(".md") else "text"
        raw = page.text.encode("utf-8")
        blocks, columns = blocks_before_split(page.name, raw, media_type, config)
        if blocks:
            labels = [ROLES.index(label_block(block.text, page)) for block in blocks]
            found.append((blocks, labels, True, columns))
    for page, subheadings in subheaded_pages(bench, seed):
        raw = page.text.encode("utf-8")
        blocks, columns = blocks_before_split(page.name, raw, "text", config)
        if blocks:
            labels = [ROLES.index(label_block(b.text, page, subheadings)) for b in blocks]
            found.append((blocks, labels, len(page.articles) > 1, columns))
    for set_name, item, text in single_articles(bench):
        if not in_fit_half(set_name, item):
            continue
        blocks, columns = blocks_before_split(item, text, "text", config)
        if blocks:
            found.append((blocks, None, False, columns))
    return found


def single_articles(bench: Path) -> list[tuple[str, str, bytes]]:
    """(set, id, text) of every single article of the tuning part, to be read as plain text:
    the truth texts of extraction-en and -zh and of `SINGLE_ARTICLE_SETS`."""
    found = []
    for name, part, raw, media_type in single_pages(bench):
        if part == "tuning" and media_type == "text":
            set_name, _, item = name.partition("/")
            found.append((set_name, item.removesuffix(".txt"), raw))
    for set_name in SINGLE_ARTICLE_SETS:
        truth = bench / "extraction-web" / set_name / "truth.jsonl"
        for line in truth.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if part_of(set_name, record["id"]) == "tuning":
                found.append((set_name, record["id"], record["text"].encode("utf-8")))
    return found


def in_fit_half(set_name: str, item: str) -> bool:
    """Whether a tuning single article is in the half the models are fitted on."""
    return part_of(HALF_SET, f"{set_name}/{item}") == "tuning"


def check_singles(bench: Path, config: Config) -> dict[tuple[str, str], list[int]]:
    """Per (set, half): [single articles, how many of them the whole pipeline splits]."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for set_name, item, text in single_articles(bench):
        document = run_page(item, text, "text", config)
        half = "fit" if in_fit_half(set_name, item) else "check"
        counts[(set_name, half)][0] += 1
        counts[(set_name, half)][1] += bool(document and document.article_count > 1)
    return counts


def fit(features: np.ndarray, labels: np.ndarray, classes: int) -> dict:
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale < 1e-6] = 1.0
    inputs = (features - mean) / scale
    count, width = inputs.shape
    roles = classes
    weights = np.zeros((roles, width))
    bias = np.zeros(roles)
    target = np.zeros((count, roles))
    target[np.arange(count), labels] = 1.0
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros(roles), np.zeros(roles)]
    for step in range(1, STEPS + 1):
        scores = inputs @ weights.T + bias
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=1, keepdims=True)
        error = (probs - target) / count
        grad_w = error.T @ inputs + L2 * weights
        grad_b = error.sum(axis=0)
        for index, (param, grad) in enumerate(((weights, grad_w), (bias, grad_b))):
            first, second = moments[2 * index], moments[2 * index + 1]
            first *= 0.9
            first += 0.1 * grad
            second *= 0.999
            second += 0.001 * grad**2
            param -= (
                LEARNING_RATE
                * (first / (1 - 0.9**step))
                / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
            )
    accuracy = float((probs.argmax(axis=1) == labels).mean())
    return {"weights": weights, "bias": bias, "mean": mean, "scale": scale, "accuracy": accuracy}


def transitions(sequences: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    roles = len(ROLES)
    counts = np.ones((roles, roles))
    starts = np.ones(roles)
    for labels in sequences:
        starts[labels[0]] += 1
        for before, after in zip(labels, labels[1:], strict=False):
            counts[before, after] += 1
    return (
        np.log(counts / counts.sum(axis=1, keepdims=True)),
        np.log(starts / starts.sum()),
    )


def _rounded(values: np.ndarray) -> list:
    return np.round(values, 5).tolist()


def _logistic_json(model: dict) -> dict:
    return {key: _rounded(model[key]) for key in ("weights", "bias", "mean", "scale")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("bench", type=Path)
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--check-singles",
        action="store_true",
        help="count the tuning single articles the pipeline splits, per set and half",
    )
    args = parser.parse_args(argv)
    if args.check_singles:
        for (set_name, half), (pages, split) in sorted(check_singles(args.bench, Config()).items()):
            print(f"{set_name:12} {half:5} split {split:3} of {pages}")
        return 0
    pages = training_pages(args.bench, args.pages, args.seed, Config())
    labelled = [(blocks, labels) for blocks, labels, _, _ in pages if labels is not None]
    features = np.vstack([page_features(blocks) for blocks, _ in labelled])
    labels = np.asarray([label for _, row in labelled for label in row])
    lines = fit(features, labels, len(ROLES))
    transition, start = transitions([row for _, row in labelled])
    width = len(PAGE_FEATURE_NAMES)
    undecided = Logistic(np.zeros((2, width)), np.zeros(2), np.zeros(width), np.ones(width))
    frequency = np.bincount(labels, minlength=len(ROLES)) + 1
    prior = np.log(frequency / frequency.sum())
    line_model = RoleModel(
        Logistic.from_json(lines),
        transition,
        start,
        undecided,
        prior,
        PRIOR_WEIGHT,
        TRANSITION_WEIGHT,
    )
    shapes, several = [], []
    for blocks, _, multi, columns in pages:
        reading = read_page(blocks, line_model, subheadings=columns)
        shape = page_shape(blocks, reading.roles, reading.emissions, reading.features, columns)
        shapes.append(shape)
        several.append(int(multi))
    page = fit(np.asarray(shapes), np.asarray(several), 2)
    counts = {role.value: int((labels == index).sum()) for index, role in enumerate(ROLES)}
    data = {
        "about": "line-role model of the split stage; python -m cleaner.bench.train_split_roles",
        "pages": len(pages),
        "blocks": int(len(labels)),
        "labels": counts,
        "line_accuracy": round(lines["accuracy"], 4),
        "page_accuracy": round(page["accuracy"], 4),
        "roles": [role.value for role in ROLES],
        "features": list(FEATURE_NAMES),
        "page_features": list(PAGE_FEATURE_NAMES),
        "lines": _logistic_json(lines),
        "transitions": _rounded(transition),
        "start": _rounded(start),
        "prior": _rounded(prior),
        "decoder": {"prior_weight": PRIOR_WEIGHT, "transition_weight": TRANSITION_WEIGHT},
        "page": _logistic_json(page),
    }
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{len(pages)} pages, {len(labels)} labelled blocks, {counts}")
    print(
        f"line accuracy {lines['accuracy']:.4f}, page accuracy {page['accuracy']:.4f}",
        f"-> {MODEL_PATH}",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
