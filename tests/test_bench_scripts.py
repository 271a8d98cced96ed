"""The benchmark scripts in bench/ run outside the test suite, so nothing else notices when a
change in src/ removes or renames what they use: each must at least import."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parent.parent / "bench"
SCRIPTS = sorted(path.stem for path in BENCH.glob("*.py"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_bench_script_imports(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))  # the scripts import their siblings by name
    for loaded in [m for m in sys.modules if m.startswith("_") and (BENCH / f"{m}.py").exists()]:
        monkeypatch.delitem(sys.modules, loaded)
    importlib.import_module(name)
