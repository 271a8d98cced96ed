"""Leveling 10,000 people × 90 criteria (the SRE ladder) as a ratio to one plain pass over
the same ratings in the same run. Target ≤ 3×.

The plain pass looks up every rating once and counts the met ones: the least any leveling
can do. Run: python bench/leveling_bench.py [--people N] [--runs N]
"""

from __future__ import annotations

import argparse
import random
import sys
from importlib import resources

from _timing import measure, report

from skillgrid.domain.leveling import MET, SCALE, Leveler, Rating
from skillgrid.domain.policies import Points, Strict, Tolerance
from skillgrid.importers import read_ladder


def people(ids: list[str], count: int) -> list[dict[str, Rating]]:
    """Plausible people: each has a target level and rates criteria around it."""
    rng = random.Random(7)
    levels = {cid: int(cid.split(".")[1]) for cid in ids}
    everyone = []
    for _ in range(count):
        target = rng.choices(range(7), weights=(5, 20, 30, 25, 12, 6, 2))[0]
        ratings = {}
        for cid in ids:
            distance = levels[cid] - target
            if distance <= 0:
                ratings[cid] = rng.choices(SCALE, weights=(2, 5, 70, 23))[0]
            elif distance == 1:
                ratings[cid] = rng.choices(SCALE, weights=(30, 45, 20, 5))[0]
            elif rng.random() < 0.5:
                ratings[cid] = Rating.NOT_YET
        if rng.random() < 0.1:
            ratings[rng.choice(ids)] = Rating.NOT_APPLICABLE
        everyone.append(ratings)
    return everyone


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    seed = resources.files("skillgrid.data").joinpath("sre.tsv").read_bytes()
    framework = read_ladder(seed, "sre.tsv").framework
    ids = [c.id for c in framework.criteria]
    population = people(ids, args.people)
    print(f"{args.people:,} people × {len(ids)} criteria")

    def plain_pass() -> int:
        met = 0
        for ratings in population:
            for cid in ids:
                if ratings.get(cid) in MET:
                    met += 1
        return met

    def leveling(policy):  # type: ignore[no-untyped-def]
        leveler = Leveler(framework, policy)
        return lambda: [leveler.level(ratings) for ratings in population]

    times = measure(
        args.runs,
        plain_pass=plain_pass,
        strict=leveling(Strict()),
        tolerance_1=leveling(Tolerance(1)),
        points=leveling(Points()),
    )
    target = {"strict": 3.0, "tolerance_1": 3.0, "points": 3.0}
    return 0 if report(times, "plain_pass", target) else 1


if __name__ == "__main__":
    sys.exit(main())
