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

from collections.abc import Callable, Sequence
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


# A state of the decoder: the chain of the run and the chains that have ended (bits).
State = tuple[int, int]


def decode_runs(run_scores: list[list[float]], chains: int, settings: StitchConfig) -> list[int]:
    """Viterbi over the runs: the first `chains` runs open the chains in order; every
    later run goes to a live chain, and the live chains passed over on the way to it in
    the cycle have ended (their articles are over: they take no later run), each for
    `cycle_skip_cost`."""
    first_band = min(chains, len(run_scores))
    layers: list[dict[State, tuple[float, State | None]]] = [{(first_band - 1, 0): (0.0, None)}]
    for run in range(first_band, len(run_scores)):
        layer: dict[State, tuple[float, State | None]] = {}
        for (chain, dead), (score, _) in layers[-1].items():
            for after in range(chains):
                if dead >> after & 1:
                    continue
                passed, count = _next_in_cycle(chain, after, dead, chains)
                value = score - settings.cycle_skip_cost * count + run_scores[run][after]
                state = (after, dead | passed)
                if state not in layer or value > layer[state][0]:
                    layer[state] = (value, (chain, dead))
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
) -> CycleReading:
    """Hard EM for one number of chains, started from the plain cycle."""
    run_chain = [run % chains for run in range(len(runs))]
    lines = runs[-1].stop
    for _ in range(settings.rounds):
        path = _line_path(runs, run_chain, lines)
        emissions = emissions_of(path, chains)
        run_scores = [[sum(emissions[i][c] for i in run) for c in range(chains)] for run in runs]
        decoded = decode_runs(run_scores, chains, settings)
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
) -> CycleReading | None:
    """The best cycle reading of a page whose runs are set apart by blank lines, over
    every number of chains from 2 to `max_cycle_chains` (and at most half the runs: each
    chain needs a run in the first band and one later)."""
    runs = blank_runs(lines)
    most = min(settings.max_cycle_chains, len(runs) // 2)
    readings = [read_cycle(emissions_of, runs, chains, settings) for chains in range(2, most + 1)]
    return max(readings, key=lambda reading: reading.score, default=None)
