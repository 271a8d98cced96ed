"""What the import-linter contracts in pyproject.toml (run by scripts/test) cannot say: the
domain imports no third-party package at all, not only none of those the contracts name,
and importing the CLI loads no heavy library (start-up time)."""

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).parents[2] / "src" / "skillgrid" / "domain"


def imported_modules(path: Path) -> set[str]:
    """Absolute imports only: a relative one stays inside SkillGrid, which the contracts
    check."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_imports_only_the_standard_library_and_skillgrid() -> None:
    files = sorted(DOMAIN.rglob("*.py"))
    assert files
    for path in files:
        for module in imported_modules(path):
            top = module.split(".")[0]
            allowed = top in sys.stdlib_module_names or top == "skillgrid"
            assert allowed, f"{path.relative_to(DOMAIN)} imports {module}"


def test_importing_the_cli_does_not_load_heavy_libraries() -> None:
    code = (
        "import sys, skillgrid.cli; "
        "heavy = [m for m in ('sqlalchemy', 'openpyxl', 'alembic', 'jinja2', 'yaml') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
