"""Every bad ladder in tests/data/bad/ is refused, says what is wrong and where, and a
refused import leaves the database exactly as it was.

The cases are tests/data/bad/expected.yaml; the workbooks among them are built by
tests/data/bad/make_xlsx.py into a temporary directory (no binaries are committed).
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from tests.conftest import table_snapshot

BAD = Path(__file__).parents[1] / "data" / "bad"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((BAD / "expected.yaml").read_text("utf-8"))
NOT_CASES = {"expected.yaml", "make_xlsx.py"}


def _load_make_xlsx() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bad_make_xlsx", BAD / "make_xlsx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE_XLSX = _load_make_xlsx()


def _params() -> list[Any]:
    params = []
    for name, case in CASES.items():
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
        params.append(pytest.param(name, case, id=name, marks=marks))
    return params


def run_cli(args: list[str], database_url: str) -> Result:
    """``skillgrid <args>`` on ``database_url``, in this process."""
    from skillgrid.cli import app

    return CliRunner().invoke(app, args, env={"SKILLGRID_DATABASE_URL": database_url})


@pytest.fixture(scope="module")
def bad_file(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The path of a case: a committed file, or a workbook built for this run."""
    built = MAKE_XLSX.build(tmp_path_factory.mktemp("bad_xlsx"))
    return lambda name: built.get(name, BAD / name)


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database made once by ``skillgrid init``; each SQLite test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "skillgrid.db"
    result = run_cli(["init"], f"sqlite:///{path}")
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def initialised(database_url: str, sqlite_template: Path) -> str:
    """``database_url`` holding what ``skillgrid init`` stores: the built-in SRE ladder."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        # the backup API copies a consistent database, WAL content included
        with (
            closing(sqlite3.connect(sqlite_template)) as source,
            closing(sqlite3.connect(url.database)) as target,
        ):
            source.backup(target)
    else:
        result = run_cli(["init"], database_url)
        assert result.exit_code == 0, result.output
    return database_url


def assert_refused(result: Result, case: dict[str, Any], command: str, path: str) -> None:
    """Exit 1 without a crash, and a problem line ``error: <path>[ [sheet]][, row R][, column
    C]: …`` naming exactly the expected place, whose text (path left out) has the expected
    message."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{command} crashed: {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 1, f"{command} exited {result.exit_code}:\n{result.output}"
    lines = [line.replace(path, "", 1) for line in result.stderr.splitlines()]
    matching = [line for line in lines if case["message"] in line]
    assert matching, f"{command}: no problem line contains {case['message']!r}:\n{result.stderr}"
    row, column = case["row"], case["column"]
    where = (f", row {row}" if row is not None else "") + (
        f", column {column}" if column is not None else ""
    )
    located = re.compile(r"error: (?: \[[^\]]*\])?" + re.escape(where) + ": ")
    assert located.match(matching[0]), (
        f"{command}: expected the place '{where.lstrip(', ') or 'no row or column'}' in:\n"
        f"{result.stderr}"
    )


def test_every_file_has_an_expectation() -> None:
    committed = {path.name for path in BAD.iterdir() if path.is_file()} - NOT_CASES
    built = set(MAKE_XLSX.BUILDERS)
    assert not committed & built, "a case is both committed and built"
    assert set(CASES) == committed | built
    for name, case in CASES.items():
        assert {"what", "args", "message", "row", "column"} <= set(case), name
        assert isinstance(case["args"], list), name


@pytest.mark.postgres
@pytest.mark.parametrize(("name", "case"), _params())
def test_bad_file_is_refused_and_changes_nothing(
    name: str, case: dict[str, Any], initialised: str, bad_file: Callable[[str], Path]
) -> None:
    path = str(bad_file(name))
    before = table_snapshot(initialised)
    assert before.get("frameworks"), "the database should hold the built-in ladder"

    imported = run_cli(["framework", "import", path, "--name", "sre", *case["args"]], initialised)
    assert_refused(imported, case, "import", path)
    assert "nothing was stored" in imported.stderr
    assert table_snapshot(initialised) == before

    validated = run_cli(["framework", "validate", path, *case["args"]], initialised)
    assert_refused(validated, case, "validate", path)
