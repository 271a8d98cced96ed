"""``skillgrid level``: what-if leveling from a ratings file agrees with the engine."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skillgrid.cli import app
from skillgrid.domain.leveling import Rating, level
from skillgrid.domain.policies import parse_policy
from tests.unit.test_leveling import MAC, sre, through

runner = CliRunner()


def invoke(database: Path, *args: str):  # type: ignore[no-untyped-def]
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{database}"}
    return runner.invoke(app, list(args), env=env)


def write_ratings(path: Path, ratings: dict[str, Rating], reason: str = "") -> Path:
    lines = ["criterion,rating,reason"]
    lines += [
        f"{cid},{rating.value},{reason if rating is Rating.NOT_APPLICABLE else ''}"
        for cid, rating in ratings.items()
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_what_if_json_matches_the_engine_for_each_policy(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    assert invoke(db, "init").exit_code == 0
    ratings = {**through(3, except_ids=(MAC,)), "SRE.4.1": Rating.EXCEEDS}
    path = write_ratings(tmp_path / "me.csv", ratings)
    for policy in ("strict", "tolerance:1", "points"):
        result = invoke(
            db, "level", "--framework", "sre", "--ratings", str(path), "--policy", policy, "--json"
        )
        assert result.exit_code == 0, result.output
        printed = json.loads(result.stdout)
        expected = level(sre(), ratings, parse_policy(policy)).to_dict()
        assert {k: printed[k] for k in ("policy", "overall", "tracks", "gaps", "progress")} == {
            k: expected[k] for k in ("policy", "overall", "tracks", "gaps", "progress")
        }
    assert (
        json.loads(
            invoke(db, "level", "--framework", "sre", "--ratings", str(path), "--json").stdout
        )["overall"]
        == 2
    )


def test_what_if_report_names_the_rule_and_the_gap_text(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    invoke(db, "init")
    path = write_ratings(tmp_path / "me.csv", through(3, except_ids=(MAC,)))
    result = invoke(db, "level", "--framework", "sre", "--ratings", str(path))
    assert result.exit_code == 0
    assert "Rule: strict" in result.stdout and "Overall level 2" in result.stdout
    assert "SEC.3.8 Can utilize Mandatory Access Control" in result.stdout


def test_bad_ratings_file_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    invoke(db, "init")
    path = tmp_path / "bad.csv"
    path.write_text(
        "criterion,rating,reason\nPO.9.1,meets,\nPO.1.1,great,\nSEC.3.8,n/a,\nPO.1.1,meets,\n"
    )
    result = invoke(db, "level", "--framework", "sre", "--ratings", str(path))
    assert result.exit_code == 1
    assert "row 2, column 1: unknown criterion 'PO.9.1'" in result.stderr
    assert "row 3, column 2: rating 'great' is not on the scale" in result.stderr
    assert "row 4, column 3: n/a for SEC.3.8 has no reason" in result.stderr
    assert "row 5, column 1: criterion PO.1.1 is rated twice" in result.stderr


def test_unknown_policy_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    invoke(db, "init")
    path = write_ratings(tmp_path / "me.csv", {})
    result = invoke(
        db, "level", "--framework", "sre", "--ratings", str(path), "--policy", "lenient"
    )
    assert result.exit_code == 1 and "unknown leveling policy 'lenient'" in result.stderr


def test_without_policy_the_ladders_own_rule_levels_as_the_help_says(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    assert invoke(db, "init").exit_code == 0
    assert invoke(db, "framework", "policy", "sre", "tolerance:1").exit_code == 0
    path = write_ratings(tmp_path / "me.csv", through(3, except_ids=(MAC,)))
    result = invoke(db, "level", "--framework", "sre", "--ratings", str(path), "--json")
    assert json.loads(result.stdout)["policy"] == "tolerance:1"
    shown = " ".join(invoke(db, "level", "--help").stdout.split())
    assert "default: the ladder's" in shown and "strict (default)" not in shown
