"""The columns' cycle decoder: runs go to the chains in the order of the first band, an
article that ends drops out of the cycle, and the number of chains is the one that fits.

Run scores here are made up (a run fits its own article and no other), so each test
checks the decoder's structure, not the topic scores of `stitch`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.stages.stitch import StitchConfig, junction_odds
from cleaner.stages.stitch_cycle import (
    LineEvidence,
    RunEdges,
    blank_runs,
    cycle_path,
    decode_runs,
    decode_segments,
)


@dataclass(frozen=True)
class Printed:
    text: str
    after_blank: bool


def _scores(owners: list[int], chains: int, fit: float = 5.0) -> list[list[float]]:
    return [[fit if chain == owner else -fit for chain in range(chains)] for owner in owners]


def test_runs_follow_the_cycle_of_the_first_band() -> None:
    owners = [0, 1, 2, 0, 1, 2, 0, 1, 2]
    assert decode_runs(_scores(owners, 3), 3, StitchConfig()) == owners


def test_an_article_that_ends_drops_out_of_the_cycle() -> None:
    # The second article ends after its third run; the first goes on alone.
    owners = [0, 1, 0, 1, 0, 1, 0, 0, 0, 0]
    assert decode_runs(_scores(owners, 2), 2, StitchConfig()) == owners


def test_an_ended_chain_takes_no_later_run() -> None:
    # Chain 1 is passed over once (its article ended); a later run that fits it a little
    # stays with the live chains.
    owners = [0, 1, 2, 0, 2, 0, 2]
    scores = _scores(owners, 3)
    scores.append([1.0, 2.0, 0.5])
    decoded = decode_runs(scores, 3, StitchConfig())
    assert decoded[:7] == owners
    assert decoded[7] != 1


def test_weak_evidence_keeps_the_plain_cycle() -> None:
    # A run that fits the wrong chain by less than ending a chain costs stays in turn.
    owners = [0, 1, 0, 1, 0, 1]
    scores = _scores(owners, 2)
    scores[4] = [0.0, 1.0]
    assert decode_runs(scores, 2, StitchConfig()) == owners


def test_blank_runs_cut_at_every_blank_line() -> None:
    lines = [Printed("a", True), Printed("b", False), Printed("c", True), Printed("d", False)]
    assert blank_runs(lines) == [range(0, 2), range(2, 4)]


def test_the_number_of_chains_that_fits_is_chosen() -> None:
    # Three articles in turn, each run a line of its own article's words.
    words = ["harbour ships cargo", "election ballot votes", "orchestra violin concert"]
    owners = [0, 1, 2] * 4
    lines = [Printed(words[owner], True) for owner in owners]

    def emissions_of(path: list[int], chains: int) -> list[list[float]]:
        # A line fits a chain by how many of the chain's other lines are its article's,
        # less the others (a stand-in for the topic score).
        rows = []
        for index, owner in enumerate(owners):
            row = []
            for chain in range(chains):
                others = [o for i, o in enumerate(owners) if i != index and path[i] == chain]
                same = others.count(owner)
                row.append(4.0 * same - 2.0 * (len(others) - same))
            rows.append(row)
        return rows

    reading = cycle_path(lines, emissions_of, StitchConfig())
    assert reading is not None
    assert reading.chains == 3
    assert reading.path == owners


def test_junction_odds_read_a_sentence_breaking_off() -> None:
    # A full stop, then a line in lower case: the text broke off (another article's run).
    assert junction_odds("said the minister.", "and the harbour") > 1.0
    # A line cut mid-sentence going on in lower case: one article's text.
    assert junction_odds("the minister said that", "the harbour") < 0.0
    # A sentence's end, then a capital: says nothing either way.
    assert junction_odds("said the minister.", "The harbour") == 0.0


def test_a_word_broken_by_a_hyphen_goes_on_in_lower_case() -> None:
    # The rest of the word opens its article's next line: one article's text.
    assert junction_odds("a global solutions prov-", "ider focused on") < -0.5
    # A capital or a digit after a broken word: another article's run.
    assert junction_odds("a global solutions prov-", "The minister said") > 3.0
    assert junction_odds("a global solutions prov-", "2020 was") > 3.0
    # A dash after a space or a figure breaks no word.
    assert junction_odds("the minister said -", "The harbour") < 1.0


def test_a_chain_ending_in_a_broken_word_is_not_gone_on_by_a_capital() -> None:
    edges = RunEdges(
        ends_sentence=[False, False, False],
        after_cut=[-0.5, 0.5, -0.5],
        after_stop=[3.0, 0.0, 3.0],
        hyphenated=[True, False, False],
        after_hyphen=[-1.0, 4.0, -1.0],
    )
    closed = edges.closes(edges.closes(0, 0, 0), 1, 1)  # chain 0 ends "prov-"
    assert edges.breaks(1, closed, 0) == 4.0  # a capital cannot finish its word
    assert edges.breaks(1, closed, 1) == 0.5  # chain 1 was cut between words
    assert edges.breaks(2, closed, 0) == -1.0  # "ider ..." finishes it
    # Its next run taken, the chain's last line is that run's.
    assert edges.breaks(1, edges.closes(closed, 0, 2), 0) == 0.5


def _neutral(lines: int, heads: frozenset[int], ends: set[int] | None = None) -> LineEvidence:
    ends = ends or set()
    return LineEvidence([0.0] * lines, heads, [index in ends for index in range(lines)])


def test_runs_without_blank_lines_are_cut_where_the_chains_change() -> None:
    owners = [0, 0, 0, 1, 1, 1] * 3
    decoded = decode_segments(
        _scores(owners, 2, fit=2.0), 2, 3, _neutral(18, frozenset({0, 3})), StitchConfig()
    )
    assert decoded is not None
    assert decoded[0] == owners


def test_runs_keep_to_the_run_length_where_the_text_says_little() -> None:
    # Lines 6 to 8 say nothing of their article: the cycle and the run length place them.
    owners = [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]
    scores = _scores(owners, 2, fit=2.0)
    for index in (6, 7, 8):
        scores[index] = [0.0, 0.0]
    decoded = decode_segments(scores, 2, 3, _neutral(12, frozenset({0, 3})), StitchConfig())
    assert decoded is not None
    assert decoded[0] == owners


def test_an_article_ending_short_leaves_the_rest_to_the_other() -> None:
    # The second article's last run is one line that ends a sentence (line 9).
    owners = [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    decoded = decode_segments(
        _scores(owners, 2, fit=2.0), 2, 3, _neutral(16, frozenset({0, 3}), {9}), StitchConfig()
    )
    assert decoded is not None
    assert decoded[0] == owners


def test_a_run_opening_in_lower_case_does_not_go_on_from_a_sentence_end() -> None:
    # The second article's last run (run 3) ends a sentence; runs 4 to 8 are the first
    # article's, each opening in lower case and fitting it a little. Without the runs'
    # edges the plain cycle wins (two runs misread cost less than ending a chain).
    owners = [0, 1, 0, 1, 0, 0, 0, 0, 0]
    scores = _scores(owners, 2)
    for run in range(4, 9):
        scores[run] = [0.5, 0.0]
    edges = RunEdges(
        ends_sentence=[run == 3 for run in range(9)],
        after_cut=[-0.5] * 9,
        after_stop=[3.0] * 9,
    )
    assert decode_runs(scores, 2, StitchConfig()) != owners
    assert decode_runs(scores, 2, StitchConfig(), edges) == owners
