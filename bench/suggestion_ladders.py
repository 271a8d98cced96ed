"""Evidence suggestions on ladders the product was not tuned for (#15), through the service
the web page calls (``services.suggestions``), on a throw-away SQLite database.

For each public ladder (tests/data/suggest/<stem>_*.yaml name the ladder file, imported as
it is by the normal importers) and for the built-in SRE ladder, prints top-1 and top-3 (a
labelled criterion is the first / among the first three suggestions the page shows, its
threshold included; statements labelled with no criterion are left out) under these
conditions:
- no examples: the ladder as imported;
- ladder examples: the ladder exported to YAML, each criterion given the examples of
  tests/data/suggest/<stem>_examples.yaml, and imported again (a new version);
- learning loop: the ladder as imported, after statements were accepted as evidence of one
  person with their labels. On the development part: each half is accepted and the other
  half measured (the two figures added up). On the held-out part: the whole development
  part is accepted, none of the held-out part;
- examples + learning: both.
The held-out parts are for the final figures only; choose nothing by them (--part dev).

Then the throughput of the suggestion path with the learning loop on (read the learned
examples, encode, score, rank) as a ratio to the raw model's encode of the same statements
in the same run (target ≥ 0.8).

Run: PYTHONPATH=src python bench/suggestion_ladders.py [--part dev|held-out|both] [--no-speed]
     [--ladder snowflake|monzo|dropbox|codecademy|sre …] [--model DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

import yaml

from skillgrid.db.engine import make_engine, make_session_factory
from skillgrid.db.migrate import upgrade
from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
from skillgrid.domain.assessments import OPERATOR, Actor, Role
from skillgrid.domain.statements import Statement
from skillgrid.exporters import ExportFormat
from skillgrid.services import frameworks, people_import, suggestions
from skillgrid.services.suggestions import Accepted
from skillgrid.suggest import encoder as encoding

DATA = Path(__file__).parents[1] / "tests" / "data"
SETS = DATA / "suggest"
LADDERS = ("snowflake", "monzo", "dropbox", "codecademy")
PERSON = Actor("eval@x.org", Role.ENGINEER)
Labelled = list[tuple[str, set[str]]]


def labelled(path: Path) -> Labelled:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["statements"]
    return [(i["text"], set(i["criteria"])) for i in items if i["criteria"]]


def parts(stem: str) -> tuple[Path | None, Labelled, Labelled]:
    """The ladder file (None: the built-in SRE), the development and the held-out part."""
    if stem == "sre":
        dev, held = DATA / "evidence_dev.yaml", DATA / "evidence_holdout.yaml"
        return None, labelled(dev), labelled(held)
    dev_file = SETS / f"{stem}_dev.yaml"
    ladder = (SETS / yaml.safe_load(dev_file.read_text())["ladder"]).resolve()
    return ladder, labelled(dev_file), labelled(SETS / f"{stem}_holdout.yaml")


class Bench:
    """One migrated SQLite database with the ladders and one engineer."""

    def __init__(self, folder: Path, model: Path | None = None) -> None:
        self.model = model
        self.engine = make_engine(f"sqlite:///{folder / 'eval.db'}")
        upgrade(self.engine)
        self.factory = make_session_factory(self.engine)
        people_import.import_people(
            self.uow(), b"name,email,team,manager_email,role\nEva,eval@x.org,,,engineer\n",
            "people.csv", actor=OPERATOR,
        )  # fmt: skip

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.factory)

    def import_ladder(self, stem: str, ladder: Path | None, examples: bool) -> str:
        """Import the ladder (with the examples of <stem>_examples.yaml); its stored name."""
        name = f"{stem}-examples" if examples else stem
        if ladder is None:
            frameworks.install_builtin(self.uow(), actor=OPERATOR)
            return "sre"
        frameworks.import_framework(
            self.uow(), ladder.read_bytes(), ladder.name, name, actor=OPERATOR
        )
        if examples:
            written = yaml.safe_load(frameworks.export(self.uow(), name, ExportFormat.YAML))
            lines = yaml.safe_load((SETS / f"{stem}_examples.yaml").read_text(encoding="utf-8"))
            for criterion in written["criteria"]:
                criterion["examples"] = lines.get(criterion["id"], [])
            document = yaml.safe_dump(written, allow_unicode=True).encode()
            frameworks.import_framework(self.uow(), document, f"{name}.yaml", name, actor=OPERATOR)
        return name

    def hits(self, ladder: str, items: Labelled, learn: bool) -> tuple[int, int, int]:
        """(first, among three, statements) as the page would show them."""
        found = suggestions.suggest_statements(
            self.uow(),
            ladder,
            [Statement(t) for t, _ in items],
            top=3,
            learn=learn,
            model=self.model,
        )
        first = three = 0
        for item, (_, wanted) in zip(found.items, items, strict=True):
            shown = [s.criterion for s in item.suggestions]
            first += bool(shown) and shown[0] in wanted
            three += bool(wanted & set(shown))
        return first, three, len(items)

    def accept(self, ladder: str, items: Labelled) -> list[int]:
        chosen = [Accepted(t, tuple(sorted(w))) for t, w in items]
        stored = suggestions.accept(self.uow(), PERSON, PERSON.email, ladder, chosen)
        return [e.id for e in stored if e.id is not None]

    def forget(self, ladder: str, ids: Sequence[int]) -> None:
        """Unlink the accepted items (the learning loop then no longer uses them)."""
        from skillgrid.services import evidence

        evidence.link_to_criteria(
            self.uow(), PERSON, PERSON.email, _links_cleared(self, ladder, ids), ladder
        )


def _links_cleared(bench: Bench, ladder: str, ids: Sequence[int]) -> dict[str, list[int]]:
    framework = frameworks.get_framework(bench.uow(), ladder)
    return {c.id: [] for c in framework.criteria}


def learning(
    bench: Bench, ladder: str, dev: Labelled, measured: Labelled | None
) -> tuple[int, int, int]:
    """Accept, measure with the learning loop, unlink again."""
    if measured is not None:  # held-out: accept the whole development part
        ids = bench.accept(ladder, dev)
        try:
            return bench.hits(ladder, measured, learn=True)
        finally:
            bench.forget(ladder, ids)
    half = len(dev) // 2
    total = [0, 0, 0]
    for taught, tested in ((dev[:half], dev[half:]), (dev[half:], dev[:half])):
        ids = bench.accept(ladder, taught)
        for i, value in enumerate(bench.hits(ladder, tested, learn=True)):
            total[i] += value
        bench.forget(ladder, ids)
    return total[0], total[1], total[2]


def show(label: str, figures: tuple[int, int, int]) -> None:
    first, three, n = figures
    print(f"    {label:<22} top-1 {first / n:6.1%}  top-3 {three / n:6.1%}  ({n} statements)")


def evaluate(bench: Bench, stem: str, which: Sequence[str]) -> None:
    ladder_file, dev, held = parts(stem)
    bare = bench.import_ladder(stem, ladder_file, examples=False)
    rich = bench.import_ladder(stem, ladder_file, examples=True) if ladder_file else bare
    print(f"{stem}: development {len(dev)}, held-out {len(held)} statements")
    for part in which:
        measured = dev if part == "dev" else held
        print(f"  {part}")
        if ladder_file is not None:
            show("no examples", bench.hits(bare, measured, learn=False))
            show("ladder examples", bench.hits(rich, measured, learn=False))
            show("learning loop", learning(bench, bare, dev, None if part == "dev" else held))
            show("examples + learning", learning(bench, rich, dev, None if part == "dev" else held))
        else:
            show("built-in examples", bench.hits(bare, measured, learn=False))
            show("examples + learning", learning(bench, bare, dev, None if part == "dev" else held))


def throughput(bench: Bench, runs: int = 3) -> None:
    """The page's path with learning on, against the raw model, same statements, same run."""
    _, dev, held = parts("monzo")
    bench.accept("monzo", dev)
    texts = [t for t, _ in held] * 10
    encoder = encoding.shared_encoder(bench.model)
    path: Callable[[], object] = lambda: suggestions.suggest_statements(  # noqa: E731
        bench.uow(), "monzo", [Statement(t) for t in texts], top=3, learn=True, model=bench.model
    )
    timings: dict[str, list[float]] = {"raw": [], "path": []}
    path()  # criterion and learned vectors computed once, as after a start
    for _ in range(runs):
        for name, run in (("raw", lambda: encoder.encode(texts)), ("path", path)):
            began = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - began)
    raw, ours = min(timings["raw"]), min(timings["path"])
    print(
        f"throughput ({len(texts)} statements, learning on, {len(dev)} accepted): raw model "
        f"{len(texts) / raw:.1f}/s, suggestions {len(texts) / ours:.1f}/s, ratio {raw / ours:.2f} "
        "(target ≥ 0.8)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("dev", "held-out", "both"), default="dev")
    parser.add_argument("--ladder", action="append", help=f"one of {', '.join(LADDERS)} or sre")
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput run")
    parser.add_argument("--model", type=Path, help="a model directory (model.onnx, tokenizer.json)")
    args = parser.parse_args()
    which = ("dev", "held-out") if args.part == "both" else (args.part,)
    resources.files("skillgrid.data")  # the package data is found before timing anything
    with tempfile.TemporaryDirectory() as folder:
        bench = Bench(Path(folder), args.model)
        try:
            for stem in args.ladder or [*LADDERS, "sre"]:
                evaluate(bench, stem, which)
            if not args.no_speed:
                throughput(bench)
        finally:
            bench.engine.dispose()


if __name__ == "__main__":
    main()
