"""Evidence suggestions: accuracy on the labelled development set, per backend, and speed.

Prints, for each backend (lexical, embedding, hybrid, hybrid without the built-in criterion
examples, and the plain-MiniLM baseline: cosine against the bare criterion texts), on the
development set (tests/data/evidence_dev.yaml: what the design and thresholds were chosen on)
and on the held-out set (tests/data/evidence_holdout.yaml: written before it was scored, never
tuned on):
- top-1 and top-3 accuracy over the statements that evidence at least one criterion (a hit
  is any labelled criterion among the first 1 or 3 suggestions, thresholds ignored);
- "no match" precision (of the statements the backend answers "no good match", how many are
  labelled with no criterion) and recall (of those labelled with none, how many it catches),
  at the backend's calibrated threshold; and how many real ones it wrongly turns away;
then the throughput of the whole suggestion path (split, encode, score, rank) as a ratio to
the raw model's encode speed on the same statements in the same run (target ≥ 0.8), the
time from `skillgrid serve` answering to its first suggestion (target ≤ 2 s; first start
with an empty cache and second start with it filled) and the server's peak memory (RSS)
with the model loaded.

With --cv: cross-validation of the hybrid's BM25 share (LEXICAL_SHARE) over both sets
together (5 stratified folds, 20 shuffles): on each training part the share with the best
top-1 + top-3 and the highest threshold step that turns no real line away are chosen, and
the test part is scored with them. --accuracy-only skips the speed measurements.

Run: python bench/evidence_eval.py [--calibrate] [--cv] [--accuracy-only] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.statements import split_statements
from skillgrid.domain.suggestions import rank
from skillgrid.importers import read_ladder
from skillgrid.suggest import encoder as encoding
from skillgrid.suggest.matcher import LEXICAL_SHARE, THRESHOLDS, Matcher

DATA = Path(__file__).parents[1] / "tests" / "data"
DEV_SET = DATA / "evidence_dev.yaml"
HOLDOUT = DATA / "evidence_holdout.yaml"


def load(path: Path = DEV_SET) -> tuple[object, list[str], list[set[str]]]:
    seed = resources.files("skillgrid.data").joinpath("sre.tsv").read_bytes()
    framework = read_ladder(seed, "sre.tsv").framework
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["statements"]
    return framework, [i["text"] for i in items], [set(i["criteria"]) for i in items]


def accuracy(scores: np.ndarray, ids: list[str], labels: list[set[str]], threshold: float) -> str:
    top1 = top3 = answerable = 0
    for row, wanted in zip(scores, labels, strict=True):
        if not wanted:
            continue
        answerable += 1
        order = [ids[i] for i in np.argsort(-row)[:3]]
        top1 += order[0] in wanted
        top3 += bool(wanted & set(order))
    said_none = scores.max(axis=1) < threshold
    is_none = np.array([not w for w in labels])
    caught = int((said_none & is_none).sum())
    precision = caught / said_none.sum() if said_none.sum() else float("nan")
    return (
        f"top-1 {top1 / answerable:6.1%}  top-3 {top3 / answerable:6.1%}  "
        f"no-match precision {precision:6.1%} recall {caught / is_none.sum():6.1%} "
        f"(threshold {threshold:.3f}; {int((said_none & ~is_none).sum())} real ones turned away)"
    )


def calibrate(name: str, scores: np.ndarray, labels: list[set[str]]) -> None:
    best = scores.max(axis=1)
    is_none = np.array([not w for w in labels])
    for threshold in np.arange(0.15, 0.6, 0.025):
        said = best < threshold
        caught = int((said & is_none).sum())
        print(
            f"  {name:<10} threshold {threshold:.3f}: says none for {int(said.sum()):3d}, "
            f"{caught} right, {int((said & ~is_none).sum())} wrong"
        )


def cross_validate(framework: object, texts: list[str], labels: list[set[str]]) -> None:
    matcher = Matcher(framework, "hybrid", None)  # type: ignore[arg-type]
    assert matcher._semantic is not None and matcher._bm25 is not None
    semantic, lexical = matcher._semantic.scores(texts, None), matcher._bm25.scores(texts)
    ids = matcher.criteria
    shares = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.8, 0.9, 1.0)
    none = np.array([not w for w in labels])
    hits: dict[float, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for share in shares:
        scores = (1 - share) * semantic + share * lexical
        order = np.argsort(-scores, axis=1)[:, :3]
        first = np.array([bool(w) and ids[o[0]] in w for o, w in zip(order, labels, strict=True)])
        three = np.array(
            [bool(w & {ids[i] for i in o}) for o, w in zip(order, labels, strict=True)]
        )
        hits[share] = (first, three, scores.max(axis=1))
    rng = np.random.default_rng(0)
    top1: list[float] = []
    top3: list[float] = []
    chosen: dict[float, int] = {}
    caught = wrong = missed = 0
    for _ in range(20):
        folds: list[list[int]] = [[] for _ in range(5)]
        for group in (np.flatnonzero(~none), np.flatnonzero(none)):
            for k, i in enumerate(rng.permutation(group)):
                folds[k % 5].append(int(i))
        for fold in folds:
            test = np.array(fold)
            train = np.setdiff1d(np.arange(len(labels)), test)
            real_train, real_test = train[~none[train]], test[~none[test]]
            share = max(
                shares, key=lambda s: hits[s][0][real_train].sum() + hits[s][1][real_train].sum()
            )
            chosen[share] = chosen.get(share, 0) + 1
            first, three, best = hits[share]
            top1.append(first[real_test].mean())
            top3.append(three[real_test].mean())
            threshold = np.floor(best[real_train].min() / 0.025) * 0.025 - 0.025
            said = best[test] < threshold
            caught += int((said & none[test]).sum())
            wrong += int((said & ~none[test]).sum())
            missed += int((~said & none[test]).sum())
    print(
        f"cross-validation of the hybrid (both sets, {int((~none).sum())} real lines and "
        f"{int(none.sum())} unrelated, 5 folds × 20): top-1 {np.mean(top1):6.1%} top-3 "
        f"{np.mean(top3):6.1%}, no-match precision {caught / max(1, caught + wrong):6.1%} "
        f"recall {caught / (caught + missed):6.1%}; shares chosen "
        f"{dict(sorted(chosen.items()))} (in use: {LEXICAL_SHARE})"
    )


def plain_baseline(framework: object, texts: list[str]) -> np.ndarray:
    encoder = encoding.shared_encoder()
    criteria = encoder.encode([c.text for c in framework.criteria])  # type: ignore[attr-defined]
    result: np.ndarray = encoder.encode(texts) @ criteria.T
    return result


def throughput(framework: object, texts: list[str], repeat: int, runs: int) -> None:
    encoder = encoding.shared_encoder()
    matcher = Matcher(framework, "hybrid", None)  # type: ignore[arg-type]
    statements = texts * repeat
    document = "\n".join(f"- {t}" for t in statements)
    ids = matcher.criteria

    def pipeline() -> None:
        found = split_statements(document)
        rank(found, matcher.scores([s.text for s in found]), ids, 3, matcher.threshold)

    timings: dict[str, list[float]] = {"raw encode": [], "suggest": []}
    for _ in range(runs):
        for name, run in (
            ("raw encode", lambda: encoder.encode(statements)),
            ("suggest", pipeline),
        ):
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)
    raw, ours = min(timings["raw encode"]), min(timings["suggest"])
    print(
        f"throughput: raw model {len(statements) / raw:7.1f} statements/s, "
        f"suggestions {len(statements) / ours:7.1f} statements/s, "
        f"ratio {raw / ours:.2f} (target ≥ 0.8)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api_token(env: dict[str, str]) -> str:
    """An admin account with a personal token, made through the services."""
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.migrate import upgrade
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.services import accounts, frameworks

    engine = make_engine(env["SKILLGRID_DATABASE_URL"])
    upgrade(engine)
    factory = make_session_factory(engine)
    frameworks.install_builtin(SqlAlchemyUnitOfWork(factory), actor=OPERATOR)
    accounts.add_user(
        SqlAlchemyUnitOfWork(factory), "bench@x.org", "bench-password", admin=True, actor=OPERATOR
    )
    _, token = accounts.create_token(SqlAlchemyUnitOfWork(factory), "bench@x.org", "bench")
    engine.dispose()
    return token


def first_suggestion() -> None:
    """Start `skillgrid serve` (one worker) and time the first POST /api/v1/suggestions."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "SKILLGRID_DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "SKILLGRID_CACHE_DIR": f"{folder}/cache",
        }
        token = api_token(env)
        body = json.dumps({"text": "- Set up BGP peering with our upstream routers"}).encode()
        for label in ("first start: empty cache", "second start: cache filled"):
            port = free_port()
            began = time.perf_counter()
            server = subprocess.Popen(
                [sys.executable, "-m", "skillgrid", "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                while True:
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                        break
                    except OSError:
                        if time.perf_counter() - began > 120:
                            raise RuntimeError("the server did not start") from None
                        time.sleep(0.02)
                ready = time.perf_counter()
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/suggestions",
                    data=body,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                )
                with urllib.request.urlopen(request, timeout=120) as response:
                    json.load(response)
                done = time.perf_counter()
                status = Path(f"/proc/{server.pid}/status").read_text()
                peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024  # type: ignore[union-attr]
            finally:
                server.terminate()
                server.wait(timeout=30)
            print(
                f"{label}: server up {ready - began:.2f} s after launch, first suggestion "
                f"{done - ready:.2f} s after that (target ≤ 2 s); server peak RSS {peak} MB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calibrate", action="store_true", help="print threshold sweeps")
    parser.add_argument("--cv", action="store_true", help="cross-validate the hybrid's weight")
    parser.add_argument("--accuracy-only", action="store_true", help="skip the speed runs")
    parser.add_argument("--repeat", type=int, default=5, help="dev set copies for throughput")
    parser.add_argument("--runs", type=int, default=5, help="interleaved throughput runs")
    args = parser.parse_args()
    framework, texts, labels = load()
    _, held_texts, held_labels = load(HOLDOUT)
    for name, found in (("development", labels), ("held-out", held_labels)):
        print(
            f"{name} set: {len(found)} statements ({sum(1 for w in found if not w)} with no "
            f"criterion, {sum(1 for w in found if len(w) > 1)} with two) × "
            f"{len(framework.criteria)} criteria"  # type: ignore[attr-defined]
        )
    backends: list[tuple[str, str, dict[str, list[str]] | None]] = [("lexical", "lexical", None)]
    if encoding.available():
        backends += [
            ("embedding", "embedding", None),
            ("hybrid", "hybrid", None),
            ("hybrid without examples", "hybrid", {}),
        ]
    for label, backend, examples in backends:
        matcher = Matcher(framework, backend, None, examples)  # type: ignore[arg-type]
        print(label)
        for name, statements, found in (
            ("dev", texts, labels),
            ("held-out", held_texts, held_labels),
        ):
            scores = matcher.scores(statements)
            print(f"  {name:<9} {accuracy(scores, matcher.criteria, found, matcher.threshold)}")
            if args.calibrate and name == "dev":
                calibrate(backend, scores, found)
    if not encoding.available():
        print("embeddings extra not installed: embedding, hybrid and speed not measured")
        return
    ids = [c.id for c in framework.criteria]  # type: ignore[attr-defined]
    print("plain MiniLM cosine against the bare criterion texts")
    for name, statements, found in (("dev", texts, labels), ("held-out", held_texts, held_labels)):
        print(f"  {name:<9} {accuracy(plain_baseline(framework, statements), ids, found, 0.3)}")
    print(f"thresholds: {THRESHOLDS}")
    if args.cv:
        cross_validate(framework, texts + held_texts, labels + held_labels)
    if args.accuracy_only:
        return
    throughput(framework, texts, args.repeat, args.runs)
    first_suggestion()


if __name__ == "__main__":
    main()
