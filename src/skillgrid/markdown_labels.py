"""The labels of a Markdown pipe table — track names in the header row, level labels in the
first column — are often written in bold or italics ("**Technology**"), and the markers
wrapped around a whole label are formatting, not part of its name: :func:`plain_label`
reads them off. A name that itself reads that way (``__init__``, ``*nix``…``*``) is written
by the Markdown export inside one more pair of markers (:func:`protected_label`), so that it
reads back as written.

Standard library only: the Markdown importer and exporter both use it.
"""

from __future__ import annotations

import re

EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)((?:(?!\1).)+)(?<=\S)\1")


def plain_label(cell: str) -> str:
    """A header or first-column cell without the emphasis wrapped around all of it; the
    criteria in the other cells keep theirs, as written."""
    found = EMPHASIS.fullmatch(cell)
    return found.group(2).strip() if found else cell


def protected_label(label: str) -> str:
    """``label`` as a cell :func:`plain_label` reads back as ``label``: as it is, or inside
    the first pair of markers that keeps it whole."""
    if plain_label(label) == label:
        return label
    for marker in ("**", "__", "*", "_"):
        wrapped = f"{marker}{label}{marker}"
        if plain_label(wrapped) == label:
            return wrapped
    return label  # markers of every kind inside it: no wrapping keeps it (not seen in a ladder)
