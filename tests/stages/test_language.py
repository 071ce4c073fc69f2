"""The language stage: ISO 639-1 codes of any language from short text, and --lang."""

from __future__ import annotations

import pytest

from cleaner.bench.language import load_sentences
from cleaner.config import ConfigError, load_config
from cleaner.document import Block, Document
from cleaner.stages.language import (
    NOT_KEPT,
    LanguageConfig,
    apply,
    identify_language,
    keeps,
    known_languages,
)

# One headline-length sentence per language, unlike the bench fixture's sentences; short
# text is where identifiers go wrong.
SHORT_SENTENCES = [
    ("en", "Firefighters kept the blaze away from the village overnight."),
    ("zh", "国家统计局今天发布数据，上月居民消费价格同比上涨0.4%。"),
    ("zh", "颱風逼近，氣象署發布海上警報，籲請民眾做好防颱準備。"),
    ("ja", "大雪の影響で、北海道の空港では多くの便が欠航となった。"),
    ("ko", "기상청은 주말까지 전국에 강한 비가 내릴 것으로 예보했다."),
    ("ru", "В Петербурге открылась новая станция метро."),
    ("de", "Die Bahn streicht wegen des Sturms zahlreiche Verbindungen."),
    ("pt", "O governo anunciou um novo programa de habitação popular."),
    ("fr", "Le gouvernement a présenté son budget pour l'année prochaine."),
    ("es", "El Gobierno presentó ayer los presupuestos del próximo año."),
    ("it", "Il governo ha presentato ieri la legge di bilancio."),
    ("ar", "أعلنت وزارة الصحة عن افتتاح مستشفى جديد في المدينة."),
]


@pytest.mark.parametrize(("lang", "text"), SHORT_SENTENCES, ids=lambda value: value[:12])
def test_one_sentence_is_enough_to_name_its_language(lang: str, text: str) -> None:
    assert identify_language(text) == lang


def test_the_multilingual_fixture_is_identified_nearly_throughout() -> None:
    rows = load_sentences()
    assert len({row["lang"] for row in rows}) >= 15
    right = sum(identify_language(row["text"]) == row["lang"] for row in rows)
    assert right / len(rows) >= 0.95


def test_quoted_names_do_not_change_the_language() -> None:
    assert (
        identify_language("该公司推出的 iPhone 配件在京东和 Tmall 平台同步上线，销量可观。") == "zh"
    )
    assert (
        identify_language("Analysts in Shenzhen said 比亚迪 would beat its forecast again.") == "en"
    )


def test_every_answer_is_a_two_letter_code() -> None:
    codes = known_languages()
    assert {"zh", "en", "ja", "ko", "ru", "de", "pt"} <= set(codes)
    assert all(len(code) == 2 for code in codes)
    # Wu and Cantonese text is Chinese, not a three-letter code of its own.
    assert identify_language("记者从市交通运输局获悉，地铁6号线将于年底前开通试运营。") == "zh"


@pytest.mark.parametrize("text", ["", "2024-05-01 12:00", "——", "Apple"])
def test_too_little_text_has_no_language(text: str) -> None:
    assert identify_language(text) is None


def _document(*paragraphs: str) -> Document:
    document = Document("page.html", text="\n\n".join(paragraphs))
    document.blocks = [Block(text=paragraph) for paragraph in paragraphs]
    return document


def test_a_document_in_a_language_not_kept_has_every_block_removed() -> None:
    document = _document(
        "서울시는 내년부터 심야 버스 노선을 두 배로 늘린다고 밝혔다.",
        "시는 이번 조치로 늦은 시간 귀가하는 시민의 불편이 줄어들 것으로 기대했다.",
    )
    result = apply(document, LanguageConfig(keep=("zh", "en")))
    assert result.lang == "ko"
    assert result.kept_blocks() == []
    assert {block.removal.rule for block in result.blocks} == {NOT_KEPT}
    assert "ko" in result.blocks[0].removal.detail


def test_a_document_in_a_kept_language_is_untouched() -> None:
    document = _document("记者从市交通运输局获悉，地铁6号线将于年底前开通试运营。")
    result = apply(document, LanguageConfig(keep=("zh", "en")))
    assert result.lang == "zh"
    assert len(result.kept_blocks()) == 1


def test_keeping_is_open_without_a_list_and_for_an_unknown_language() -> None:
    assert keeps("ko", LanguageConfig())
    assert keeps(None, LanguageConfig(keep=("zh",)))
    assert not keeps("ko", LanguageConfig(keep=("zh",)))


def test_off_leaves_lang_empty() -> None:
    document = _document("Firefighters kept the blaze away from the village overnight.")
    assert apply(document, LanguageConfig(enabled=False)).lang is None


def test_config_refuses_a_code_the_identifier_does_not_know() -> None:
    assert load_config(language={"keep": ["ko", "ja"]}).language.keep == ("ko", "ja")
    with pytest.raises(ConfigError, match="language.keep.*'xx'"):
        load_config(language={"keep": ["zh", "xx"]})
