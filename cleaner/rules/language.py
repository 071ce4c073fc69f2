"""The language stage's one decision: a document in a language the run does not keep.

Its examples are a text and the ``--lang`` list, written as one comma-separated string.
"""

from __future__ import annotations

from cleaner.rules import Rule


def _not_kept(text: str, codes: str) -> str | None:
    from cleaner.stages.language import LanguageConfig, identify_language, keeps

    lang = identify_language(text)
    settings = LanguageConfig(keep=tuple(codes.split(",")))
    return None if keeps(lang, settings) else f"{lang} not in {codes}"


NOT_KEPT = Rule(
    id="language.not_kept",
    reason="--lang names the languages wanted; a document in another language writes no "
    "article, and its text stays in documents.jsonl under this rule so a reviewer sees why",
    fires_on=(
        ("서울시는 내년부터 심야 버스 노선을 두 배로 늘린다고 밝혔다.", "zh,en"),
        ("Центральный банк сохранил ключевую ставку на прежнем уровне.", "zh,en"),
        ("Der Stadtrat hat am Dienstag beschlossen, die Nachtbusse fahren zu lassen.", "en"),
    ),
    spares=(
        ("记者从市交通运输局获悉，地铁6号线将于年底前开通试运营。", "zh,en"),
        ("Police are asking anyone who saw the crash to come forward.", "zh,en"),
        # Too little to tell a language: kept rather than guessed away.
        ("2024-05-01 12:00", "en"),
    ),
    predicate=_not_kept,
)

ALL_RULES: tuple[Rule, ...] = (NOT_KEPT,)
