"""SkillGrid's own YAML and JSON documents (schema: skillgrid/data/framework.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from skillgrid.domain.framework import Framework


def framework_document(framework: Framework) -> dict[str, Any]:
    """The ladder as the documented JSON/YAML object (also what ``export --format json``
    prints)."""
    return {
        "name": framework.name,
        "version": framework.version,
        "title": framework.title,
        "levels": [{"number": lv.number, "title": lv.title} for lv in framework.levels],
        "tracks": [
            {
                "key": t.key,
                "name": t.name,
                **({"description": t.description} if t.description else {}),
            }
            for t in framework.tracks
        ],
        "criteria": [
            {
                **c.to_dict(),
                "uid": c.uid,
                **({"examples": list(c.examples)} if c.examples else {}),
            }
            for c in framework.criteria
        ],
    }


def write_native(framework: Framework, fmt: str) -> bytes:
    document = framework_document(framework)
    if fmt == "json":
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    import yaml

    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return text.encode("utf-8")
