"""Shared timing helpers: interleaved runs, best-of and median, ratios against a baseline."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(runs: int, **subjects: Callable[[], object]) -> dict[str, list[float]]:
    """Time each subject ``runs`` times, interleaved so machine noise hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(runs):
        for name, subject in subjects.items():
            start = time.perf_counter()
            subject()
            times[name].append(time.perf_counter() - start)
    return times


def report(times: dict[str, list[float]], baseline: str, target: dict[str, float]) -> bool:
    """Print median and best times and each subject's ratio to the baseline; True if every
    ratio meets its target. Ratios compare best times: on a shared, noisy machine the best
    of several interleaved runs is the steadiest estimate of the cost itself."""
    base = min(times[baseline])
    ok = True
    for name, values in times.items():
        median = statistics.median(values)
        line = f"{name:<28} median {median * 1000:8.2f} ms   best {min(values) * 1000:8.2f} ms"
        if name != baseline:
            ratio = min(values) / base
            goal = target.get(name)
            verdict = "" if goal is None else (" ok" if ratio <= goal else f" OVER {goal}x")
            ok &= goal is None or ratio <= goal
            line += f"   ratio {ratio:5.2f}x{verdict}"
        print(line)
    return ok
