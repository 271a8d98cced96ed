"""``skillgrid --help`` start-up as a ratio to ``python -c "import typer"`` in the same run.

Target ≤ 1.5×: heavy modules are imported only by the commands that need them.
Run: python bench/cli_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from _timing import measure, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    python = sys.executable

    def run(*command: str):  # type: ignore[no-untyped-def]
        return lambda: subprocess.run(command, check=True, capture_output=True)

    times = measure(
        args.runs,
        import_typer=run(python, "-c", "import typer"),
        skillgrid_help=run(python, "-m", "skillgrid", "--help"),
        framework_help=run(python, "-m", "skillgrid", "framework", "import", "--help"),
    )
    # framework_help is shown for information: Typer 0.29 imports pydantic (~70 ms) to
    # coerce the parameters of any command it runs, which no application can avoid.
    ok = report(times, "import_typer", {"skillgrid_help": 1.5})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
