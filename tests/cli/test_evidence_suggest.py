"""``skillgrid evidence suggest`` and ``evidence from-git``: JSON output, sources, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgrid.cli import app

runner = CliRunner()


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {
        "SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SKILLGRID_SUGGESTION_BACKEND": "lexical",  # fast; the embedding path has its own tests
    }
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    return lambda *args: runner.invoke(app, list(args), env=env)


def test_suggest_prints_statements_with_scored_criteria_as_json(run, tmp_path: Path) -> None:
    brag = tmp_path / "brag.md"
    brag.write_text(
        "# Wins\n- Set up BGP peering and NAT traversal for the edge routers\n"
        "- Baked cakes for the party\n",
        encoding="utf-8",
    )
    result = run(
        "evidence", "suggest", "--framework", "sre", "--file", str(brag), "--top", "2", "--json"
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["statement"] for r in rows] == [
        "Set up BGP peering and NAT traversal for the edge routers",
        "Baked cakes for the party",
    ]
    assert all(set(r) == {"statement", "suggestions"} for r in rows)
    first = rows[0]["suggestions"]
    assert "NET.3.5" in [s["criterion"] for s in first] and len(first) <= 2
    assert all(set(s) == {"criterion", "score"} and isinstance(s["score"], float) for s in first)
    assert rows[1]["suggestions"] == []  # no good match


def test_suggest_reads_text_and_prints_a_table(run) -> None:
    result = run("evidence", "suggest", "--text", "Renewed the TLS certificates and SSH keys")
    assert result.exit_code == 0, result.output
    assert "SEC.1.3" in result.stdout and "lexical scores" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "either --file or --text"),
        (("--text", "a", "--file", "b.md"), "either --file or --text"),
        (("--file", "missing.md"), "No such file"),
        (("--text", "  "), "no statement"),
        (("--text", "Set up BGP peering", "--framework", "nope"), "nope"),
    ],
)
def test_bad_suggest_requests_exit_1_with_what_to_do(run, args, message) -> None:
    result = run("evidence", "suggest", *args)
    assert result.exit_code == 1 and message in result.stderr


def test_a_file_over_2_mb_is_refused_with_what_to_do(run, tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"- Set up BGP peering\n" * 100_000)  # 2.1 MB: over 2 MiB
    result = run("evidence", "suggest", "--file", str(big))
    said = " ".join(result.stderr.split())  # the path may wrap
    assert result.exit_code == 1 and "is over 2 MB" in said and "split it" in said


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_from_git_suggests_for_commits_and_drops_merge_noise(run, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    for message in (
        "Configure BGP peering with the upstream routers\n\nAnycast for the edge.",
        "fixup! Configure BGP peering",
        "Bump version to 1.2.3",
    ):
        git(
            "-c",
            "user.name=Ana",
            "-c",
            "user.email=ana@x.org",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
        )
    result = run(
        "evidence",
        "from-git",
        str(repo),
        "--author",
        "ana@x.org",
        "--since",
        "2000-01-01",
        "--json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["statement"] for r in rows] == [
        "Configure BGP peering with the upstream routers. Anycast for the edge."
    ]
    assert "NET.3.5" in [s["criterion"] for s in rows[0]["suggestions"]]


def test_from_git_outside_a_repository_is_a_clear_error(run, tmp_path: Path) -> None:
    result = run("evidence", "from-git", str(tmp_path))
    assert result.exit_code == 1 and "git repository" in result.stderr
