"""The shipped Traditional forms of the flagged words: current, and the same as OpenCC's."""

from __future__ import annotations

import subprocess
import sys

from cleaner.rules import traditional_forms as forms
from cleaner.rules.spam import with_traditional_forms


def test_the_shipped_table_is_current() -> None:
    # Fails after a list edit: run `python -m cleaner.rules.traditional_forms`.
    expected = forms.table_text(forms.shipped_chinese_words())
    assert forms.TABLE.read_text(encoding="utf-8") == expected


def test_shipped_and_converted_forms_agree() -> None:
    for word in forms.shipped_chinese_words()[:40]:
        assert forms.traditional_forms(word) == forms.converted_forms(word), word


def test_a_word_not_shipped_is_converted_at_run_time() -> None:
    word = "澳门线上赌场开户送彩金"
    assert word not in forms.shipped_forms()
    expanded = with_traditional_forms([word])
    assert "澳門線上賭場開戶送彩金" in expanded
    assert word in expanded


def test_the_default_lexicon_loads_no_opencc() -> None:
    code = (
        "import sys; from cleaner.rules.spam import load_default_lexicon_words as load; "
        "words = load(); print(len(words), 'opencc' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    count, loaded = result.stdout.split()
    assert int(count) > 200
    assert loaded == "False", result.stderr
