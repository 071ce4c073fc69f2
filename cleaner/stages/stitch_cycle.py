"""The columns' cycle: runs of interleaved columns come in the order of the columns, over
and over (issue 14, layout 3).

A text layer read across a page of columns gives a band of each column in turn, left to
right, then the next band of each: the runs' articles repeat in one cycle, the first
band holds every article's head, and an article that ends drops out of the cycle. On a
page that sets its runs apart by blank lines the runs are known; what is left to find is
how many articles the cycle has and where one drops out. `cycle_path` decodes that: the
first band's runs open one chain each, every later run goes to the chain after the one
live before it in the cycle (a chain passed over has ended and takes no later run), and a
run scores under a chain by its topic terms (`stitch.emission_scores`, a line's own terms
left out), re-estimated from the decode until nothing moves. Each number of chains from
2 up is tried; the best fit less `chain_cost` per chain wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaner.stages.stitch import PrintedLine, StitchConfig

# Per line and chain, the topic score of the line under the chain, given every line's
# chain and the number of chains (`stitch.emission_scores` over the page's terms).
Emissions = Callable[[list[int], int], list[list[float]]]


@dataclass(frozen=True)
class CycleReading:
    """The chain of every line and the reading's score (topic fit less `chain_cost` per
    chain)."""

    path: list[int]
    chains: int
    score: float


def blank_runs(lines: Sequence[PrintedLine]) -> list[range]:
    """The page's runs: lines between blank lines."""
    starts = [index for index, line in enumerate(lines) if index == 0 or line.after_blank]
    return [range(start, end) for start, end in zip(starts, [*starts[1:], len(lines)], strict=True)]


def _next_in_cycle(chain: int, after: int, dead: int, chains: int) -> tuple[int, int]:
    """Going from `chain` to `after`: the live chains passed over on the way (as a bit
    mask) and how many. Staying in `chain` passes over every other live chain."""
    passed, count = 0, 0
    step = (chain + 1) % chains
    while step != after:
        if not dead >> step & 1:
            passed |= 1 << step
            count += 1
        step = (step + 1) % chains
    if after == chain:
        passed, count = 0, 0
        for other in range(chains):
            if other != chain and not dead >> other & 1:
                passed |= 1 << other
                count += 1
    return passed, count


@dataclass(frozen=True)
class RunEdges:
    """How each run (or line) meets the text before it in its own chain: whether its
    last line ends a sentence, and the log odds that the text breaks off before its
    first line when the chain's last line was cut mid-sentence (`after_cut`) or ended a
    sentence (`after_stop`), from `stitch.junction_odds`. An article's text goes on
    across a run's break: a lower-case opening after a full stop is another article's."""

    ends_sentence: Sequence[bool] = ()
    after_cut: Sequence[float] = ()
    after_stop: Sequence[float] = ()
    # Per line: whether it ends in a word broken by a hyphen, and the odds that the text
    # breaks off before each line after such a line: the word's rest opens its
    # article's next line in lower case (tuning, English pages without blank lines:
    # after a broken word 310 lines inside runs open in lower case, none otherwise).
    hyphenated: Sequence[bool] = ()
    after_hyphen: Sequence[float] = ()

    def breaks(self, index: int, closed: int, chain: int) -> float:
        if not self.after_cut:
            return 0.0
        if closed >> chain & 1:
            return self.after_stop[index]
        if self.after_hyphen and closed >> (chain + HYPHEN_BITS) & 1:
            return self.after_hyphen[index]
        return self.after_cut[index]

    def closes(self, closed: int, chain: int, last_line: int) -> int:
        """`closed` (chains whose last line ends a sentence, as bits, and from
        `HYPHEN_BITS` up those whose last line ends in a broken word) after `chain`
        takes a run ending on `last_line`."""
        if not self.ends_sentence:
            return 0
        closed &= ~(1 << chain | 1 << (chain + HYPHEN_BITS))
        if self.ends_sentence[last_line]:
            return closed | 1 << chain
        if self.hyphenated and self.hyphenated[last_line]:
            return closed | 1 << (chain + HYPHEN_BITS)
        return closed


# Where a decoder's `closed` bits for chains whose last line ends in a broken word
# start: above every chain's sentence bit.
HYPHEN_BITS = 16


# A state of the run decoder: the run's chain, the chains that have ended and the
# chains whose last line ends a sentence (bits).
State = tuple[int, int, int]


def decode_runs(
    run_scores: list[list[float]],
    chains: int,
    settings: StitchConfig,
    edges: RunEdges = RunEdges(),
) -> list[int]:
    """Viterbi over the runs: the first `chains` runs open the chains in order; every
    later run goes to a live chain, and the live chains passed over on the way to it in
    the cycle have ended (their articles are over: they take no later run), each for
    `cycle_skip_cost`; a run that does not go on from its chain's last line
    (`edges`, per run) costs `continuation_weight` times the odds of the break."""
    first_band = min(chains, len(run_scores))
    closed = 0
    for run in range(first_band):
        closed = edges.closes(closed, run, run)
    layers: list[dict[State, tuple[float, State | None]]] = [
        {(first_band - 1, 0, closed): (0.0, None)}
    ]
    for run in range(first_band, len(run_scores)):
        layer: dict[State, tuple[float, State | None]] = {}
        ranked = sorted(layers[-1].items(), key=lambda item: -item[1][0])
        for (chain, dead, closed), (score, _) in ranked[: settings.segment_beam]:
            for after in range(chains):
                if dead >> after & 1:
                    continue
                passed, count = _next_in_cycle(chain, after, dead, chains)
                value = score - settings.cycle_skip_cost * count + run_scores[run][after]
                value -= settings.continuation_weight * edges.breaks(run, closed, after)
                state = (after, dead | passed, edges.closes(closed, after, run))
                if state not in layer or value > layer[state][0]:
                    layer[state] = (value, (chain, dead, closed))
        layers.append(layer)
    state: State | None = max(layers[-1], key=lambda key: layers[-1][key][0])
    tail = []
    for layer in reversed(layers):
        if state is None:
            break
        tail.append(state[0])
        state = layer[state][1]
    tail.reverse()  # from the first band's last run on
    return [*range(first_band - 1), *tail]


def _line_path(runs: list[range], run_chain: list[int], lines: int) -> list[int]:
    path = [0] * lines
    for run, chain in zip(runs, run_chain, strict=True):
        for index in run:
            path[index] = chain
    return path


def read_cycle(
    emissions_of: Emissions,
    runs: list[range],
    chains: int,
    settings: StitchConfig,
    edges: RunEdges = RunEdges(),
) -> CycleReading:
    """Hard EM for one number of chains, started from the plain cycle."""
    run_chain = [run % chains for run in range(len(runs))]
    lines = runs[-1].stop
    for _ in range(settings.rounds):
        path = _line_path(runs, run_chain, lines)
        emissions = emissions_of(path, chains)
        run_scores = [[sum(emissions[i][c] for i in run) for c in range(chains)] for run in runs]
        decoded = decode_runs(run_scores, chains, settings, edges)
        if decoded == run_chain:
            break
        run_chain = decoded
    path = _line_path(runs, run_chain, lines)
    emissions = emissions_of(path, chains)
    score = sum(emissions[index][chain] for index, chain in enumerate(path))
    return CycleReading(path, chains, score - settings.chain_cost * chains)


def cycle_path(
    lines: Sequence[PrintedLine],
    emissions_of: Emissions,
    settings: StitchConfig,
    line_edges: RunEdges = RunEdges(),
    allowed: Callable[[int], bool] = lambda chains: True,
) -> CycleReading | None:
    """The best cycle reading of a page whose runs are set apart by blank lines, over
    every number of chains from 2 to `max_chains` (and at most half the runs: each
    chain needs a run in the first band and one later)."""
    runs = blank_runs(lines)
    edges = RunEdges()
    if line_edges.ends_sentence:
        edges = RunEdges(
            [line_edges.ends_sentence[run.stop - 1] for run in runs],
            [line_edges.after_cut[run.start] for run in runs],
            [line_edges.after_stop[run.start] for run in runs],
        )
    most = min(settings.max_chains, len(runs) // 2)
    readings = [
        read_cycle(emissions_of, runs, chains, settings, edges)
        for chains in range(2, most + 1)
        if allowed(chains)
    ]
    return max(readings, key=lambda reading: reading.score, default=None)


# ---------------------------------------------------------------- runs without blank lines


@dataclass(frozen=True)
class LineEvidence:
    """What a page without blank lines shows of its runs' ends, per line: the log odds
    that a run ends right before it (`stitch.junction_odds`), whether a head starts
    there, and whether the line ends a sentence (an article's last run may stop short
    there)."""

    run_ends_before: list[float]
    head_starts: frozenset[int]
    ends_sentence: list[bool]
    # How each line meets its chain's last line (per line).
    edges: RunEdges = RunEdges()


# A state of the segment decoder: the run's chain, the chains that have ended (bits),
# whether the run is still in the first band (chains opened in order, none ended), and
# the chains whose last line ends a sentence (bits).
SegmentState = tuple[int, int, bool, int]


def _successors(
    state: SegmentState, chains: int, settings: StitchConfig
) -> Iterator[tuple[SegmentState, float]]:
    """The states a run may go to next and what ending chains on the way costs."""
    chain, dead, band, closed = state
    if band:
        yield (chain + 1, 0, chain + 2 < chains, closed), 0.0
        return
    for after in range(chains):
        if not dead >> after & 1:
            passed, count = _next_in_cycle(chain, after, dead, chains)
            yield (
                (after, dead | passed, False, closed),
                settings.cycle_skip_cost * count,
            )


def _duration_cost(
    start: int,
    end: int,
    run_length: int,
    evidence: LineEvidence,
    settings: StitchConfig,
) -> float:
    """Runs are about `run_length` lines long; the page's last run and an article's last
    (ending a sentence) may be shorter."""
    length = end - start
    if end == len(evidence.ends_sentence):
        return 0.0
    if length < run_length and evidence.ends_sentence[end - 1]:
        return 0.0
    return settings.run_length_cost * abs(length - run_length)


def decode_segments(
    emissions: list[list[float]],
    chains: int,
    run_length: int,
    evidence: LineEvidence,
    settings: StitchConfig,
) -> tuple[list[int], float] | None:
    """A semi-Markov Viterbi over the lines: the page is cut into runs of up to
    `run_length + run_length_slack` lines, the first band's runs open the chains in
    order (a run of it opening on a head scores `cycle_head_bonus`), later runs follow
    the cycle as in `decode_runs`; a run scores its lines' emissions, the odds of a run
    ending where it starts, less its length's cost. Returns the chain of every line and
    the score, or None when the page is too short for its chains."""
    lines = len(emissions)
    prefix = [[0.0] for _ in range(chains)]
    for row in emissions:
        for chain in range(chains):
            prefix[chain].append(prefix[chain][-1] + row[chain])
    longest = run_length + settings.run_length_slack
    best: list[dict[SegmentState, tuple[float, int, SegmentState | None]]] = [
        {} for _ in range(lines + 1)
    ]
    edges = evidence.edges
    for end in range(1, min(lines, longest) + 1):
        cost = _duration_cost(0, end, run_length, evidence, settings)
        first: SegmentState = (0, 0, chains > 1, edges.closes(0, 0, end - 1))
        best[end][first] = (prefix[0][end] - cost, 0, None)
    for start in range(1, lines):
        # Only the best few states go on (the states grow as 2 ** chains).
        kept_states = sorted(best[start].items(), key=lambda item: -item[1][0])
        for state, (score, _, _) in kept_states[: settings.segment_beam]:
            for following, cost in _successors(state, chains, settings):
                chain, dead, band, closed = following
                opened = score - cost + evidence.run_ends_before[start]
                if state[2] and start in evidence.head_starts:
                    opened += settings.cycle_head_bonus
                if not state[2]:  # the chain has a line before this run
                    opened -= settings.continuation_weight * edges.breaks(start, closed, chain)
                row = prefix[chain]
                for end in range(start + 1, min(lines, start + longest) + 1):
                    value = (
                        opened
                        + row[end]
                        - row[start]
                        - _duration_cost(start, end, run_length, evidence, settings)
                    )
                    ending = (chain, dead, band, edges.closes(closed, chain, end - 1))
                    kept = best[end].get(ending)
                    if kept is None or value > kept[0]:
                        best[end][ending] = (value, start, state)
    finished = {state: entry for state, entry in best[lines].items() if not state[2]}
    if not finished:
        return None
    state: SegmentState | None = max(finished, key=lambda key: finished[key][0])
    score = finished[state][0]
    path = [0] * lines
    end = lines
    while state is not None:
        _, start, before = best[end][state]
        path[start:end] = [state[0]] * (end - start)
        end, state = start, before
    return path, score


def segment_path(
    emissions_of: Emissions,
    lines: int,
    chains: int,
    first_run: int,
    evidence: LineEvidence,
    settings: StitchConfig,
    head_starts: Sequence[int] = (),
) -> CycleReading | None:
    """The best cycle reading of a page without blank lines: hard EM over
    `decode_segments` for run lengths around the first band's first run (`first_run`,
    from the page's second head: `run_length_below` shorter to one longer), the best
    score kept. Each starts from the plain cycle and, given the heads' lines
    (`head_starts`), once more from the first band alone: each head's lines up to the
    next head (the last head's a run long) counted for its chain, the rest of the page
    for none. Where runs vary in length the plain cycle soon puts lines in the wrong
    chain, and the counts learnt from it can hold the decode there (tuning, pages
    without blank lines: 218 -> 227 of 345 articles recovered; the first band alone
    218)."""
    readings = []
    steps = range(-settings.run_length_below, 2)
    for run_length in sorted({max(2, first_run + step) for step in steps}):
        starting = [[(index // run_length) % chains for index in range(lines)]]
        if len(head_starts) == chains:
            band_end = min(lines, head_starts[-1] + run_length)
            starting.append(
                [
                    max(c for c in range(chains) if head_starts[c] <= index)
                    if index < band_end
                    else -1
                    for index in range(lines)
                ]
            )
        for path in starting:
            decoded = None
            for _ in range(settings.rounds):
                decoded = decode_segments(
                    emissions_of(path, chains), chains, run_length, evidence, settings
                )
                if decoded is None or decoded[0] == path:
                    break
                path = decoded[0]
            if decoded is not None:
                readings.append(CycleReading(decoded[0], chains, decoded[1]))
    return max(readings, key=lambda reading: reading.score, default=None)
