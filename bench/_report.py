"""The printed results: a table per run (each kind of request, reads and writes overall),
what the client and server cost, and verdicts against the targets."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from _load import Stats
from _mix import MIX, REFRESH

READS_P99_MS = 100.0
WRITES_P99_MS = 150.0


@dataclass(frozen=True)
class Target:
    rate: float  # requests a second
    seconds: float  # held this long


TARGETS = {"sqlite": Target(200, 60), "postgresql": Target(150, 60)}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of ``values``, in ms."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] * 1000


def table(stats: Stats) -> None:
    print(f"{'kind':<30}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}{'409':>6}")
    order = [k.name for k in MIX] + [REFRESH]
    for kind in sorted(stats.latencies, key=order.index):
        _row(kind, stats.latencies[kind], stats.errors[kind], stats.conflicts[kind])
    reads, writes = stats.all(writes=False), stats.all(writes=True)
    read_errors = sum(n for k, n in stats.errors.items() if not _write(k))
    _row("reads overall", reads, read_errors, 0)
    _row("writes overall", writes, sum(stats.errors.values()) - read_errors, _conflicts(stats))


def _row(name: str, values: list[float], errors: int, conflicts: int) -> None:
    p50, p99, top = (percentile(values, s) for s in (0.5, 0.99, 1.0))
    print(f"{name:<30}{len(values):>7}{p50:>9.1f}{p99:>9.1f}{top:>9.1f}{errors:>8}{conflicts:>6}")


def _write(kind: str) -> bool:
    return any(k.write for k in MIX if k.name == kind)


def _conflicts(stats: Stats) -> int:
    return sum(stats.conflicts.values())


def summary(stats: Stats, rate: float, backend: str) -> None:
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(stats.statuses.items())) or "none"
    print(
        f"offered {rate:.0f} req/s, answered without error {stats.achieved:.1f} req/s over "
        f"{stats.seconds:.1f} s (from the first counted request to the last answer); "
        f"409 answers: {_conflicts(stats)}; errors by status: {statuses}"
    )
    for reason, count in stats.conflict_reasons.most_common():
        print(f"  409 because of {reason}: {count}")
    print(
        f"client: CPU {stats.client_cpu:.0%} of one core, sent late p99 "
        f"{percentile(stats.lags, 0.99):.1f} ms, max {percentile(stats.lags, 1.0):.1f} ms, "
        f"{stats.connections} connections opened; server: {stats.server_cpu:.2f} cores busy; "
        f"other processes on the machine: {stats.other_cpu:.2f} cores"
        + (" (PostgreSQL's among them)" if backend == "postgresql" else "")
        + f"; withheld by the host (the machine's CPUs not running): {stats.withheld_cpu:.2f} cores"
    )


def worst_seconds(stats: Stats, shown: int = 5) -> None:
    """The seconds of the run with the slowest answers: a stall (a checkpoint, a
    collection, a burst of slow pages) shows as a few bad seconds, load as many."""
    if not stats.timeline:
        return
    start = min(due for due, _ in stats.timeline)
    by_second: dict[int, list[float]] = {}
    for due, latency in stats.timeline:
        by_second.setdefault(int(due - start), []).append(latency)
    slow = sorted(by_second.items(), key=lambda item: -max(item[1]))[:shown]
    over = sum(1 for values in by_second.values() if percentile(values, 0.99) > READS_P99_MS)
    worst = ", ".join(
        f"{second}s (max {percentile(v, 1.0):.0f} ms, p50 {percentile(v, 0.5):.0f})"
        for second, v in sorted(slow)
    )
    print(
        f"seconds with p99 over {READS_P99_MS:.0f} ms: {over} of {len(by_second)}; worst: {worst}"
    )


def passes(stats: Stats) -> bool:
    """Reads and writes within their p99 targets, no errors."""
    return (
        percentile(stats.all(writes=False), 0.99) <= READS_P99_MS
        and percentile(stats.all(writes=True), 0.99) <= WRITES_P99_MS
        and not stats.errors
    )


def verdict(stats: Stats, rate: float, seconds: float, backend: str) -> None:
    target = TARGETS[backend]
    reads, writes = percentile(stats.all(False), 0.99), percentile(stats.all(True), 0.99)
    print(
        f"target ({backend}): {target.rate:.0f} req/s held {target.seconds:.0f} s with reads "
        f"p99 ≤ {READS_P99_MS:.0f} ms, writes p99 ≤ {WRITES_P99_MS:.0f} ms, no errors; "
        f"this run: reads p99 {met(reads <= READS_P99_MS)}, writes p99 "
        f"{met(writes <= WRITES_P99_MS)}, errors {sum(stats.errors.values())}"
    )
    if rate < target.rate or seconds < target.seconds:
        print("verdict: none (this run is slower or shorter than the target)")
    else:
        print(f"verdict: target {met(passes(stats))}")


SEQUENTIAL_MS = {"growth page": 3.0, "rating save": 5.0}  # medians, one at a time
FLOOR_RATIO = 1.5


def sequential(
    times: dict[str, list[float]], server: dict[str, list[float]], floor: str | None
) -> bool:
    """Medians of the one-at-a-time requests as the client saw them and as the server
    timed itself (the targets are server time), and the ratios measured by the client."""
    medians = {name: statistics.median(ts) * 1000 for name, ts in times.items()}
    ok = True
    for name, median in medians.items():
        line = f"  {name:<22} median {median:7.2f} ms over {len(times[name])}"
        goal = SEQUENTIAL_MS.get(name)
        if server.get(name):
            own = statistics.median(server[name]) * 1000
            ok &= goal is None or own <= goal
            line += f", server time {own:.2f} ms"
            if goal is not None:
                line += f"  (target ≤ {goal:.0f} ms of server time: {met(own <= goal)})"
        print(line)
    hello = medians["bare FastAPI hello"]
    print(f"  growth page / bare hello: {medians['growth page'] / hello:.1f}×")
    if floor is None:
        print("  growth page / floor: no bench/floor_app.py yet")
        return ok
    ratio = medians["growth page"] / medians[floor]
    print(f"  growth page / floor: {ratio:.2f}× (target ≤ {FLOOR_RATIO}×: {met(ratio <= 1.5)})")
    return ok and ratio <= FLOOR_RATIO


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def costs(times: dict[str, list[float]]) -> None:
    """Each kind's median alone and its share of the server's work in the mix (weight ×
    median): the kinds that dominate queueing under load."""
    medians = {kind: statistics.median(ts) * 1000 for kind, ts in times.items() if ts}
    weights = {k.name: k.weight for k in MIX}
    work = {kind: weights[kind] / 100 * median for kind, median in medians.items()}
    total = sum(work.values())
    print(
        f"\neach kind alone (medians); a request of the mix takes {total:.1f} ms of server time "
        f"on average, so one free core serves about {1000 / total:.0f} req/s of it:"
    )
    for kind, median in sorted(medians.items(), key=lambda item: -work[item[0]]):
        share = work[kind] / total if total else 0.0
        shares = f"{weights[kind]:4.0f}% of requests  {share:4.0%} of work"
        print(f"  {kind:<28} {median:8.2f} ms  {shares}")
