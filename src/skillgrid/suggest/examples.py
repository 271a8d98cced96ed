"""Criterion examples: short descriptions of typical work that evidences a criterion, which
suggestions match against besides the criterion's own words (the ladder says "Understands
DDoS mitigation"; people write "kept the site up through a flood of traffic").

The built-in SRE ladder ships examples in ``skillgrid/data/sre.examples.tsv`` (columns: id,
criterion text, examples separated by "; "). They are keyed by the criterion's exact text, so
they apply to any ladder version in which that criterion is unchanged and silently stop
applying to a reworded one.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

BUILTIN = ("sre.examples.tsv",)


@cache
def builtin_examples() -> dict[str, tuple[str, ...]]:
    """Criterion text → examples, from the files that ship with SkillGrid."""
    found: dict[str, tuple[str, ...]] = {}
    for name in BUILTIN:
        text = resources.files("skillgrid.data").joinpath(name).read_text(encoding="utf-8")
        for line in text.splitlines()[1:]:
            if not line.strip():
                continue
            _, criterion, examples = line.split("\t")
            found[criterion] = tuple(e.strip() for e in examples.split(";") if e.strip())
    return found
