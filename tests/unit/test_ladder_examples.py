"""Criterion examples carried by the ladder (#15): read from and written to SkillGrid's YAML
and JSON, part of a version's content, named by the diff, and used to rank suggestions."""

from __future__ import annotations

import yaml

from skillgrid.domain.assessments import OPERATOR
from skillgrid.exporters.native import write_native
from skillgrid.importers import read_ladder
from skillgrid.services import frameworks, suggestions
from tests.unit.fakes import FakeUnitOfWork

LADDER = """
name: ops
levels: [{number: 1}, {number: 2}]
tracks: [{key: NET, name: Networking}, {key: SEC, name: Security}]
criteria:
  - track: NET
    level: 1
    text: Understands how name resolution works.
    examples:
      - Moved our zones from BIND to Route 53
      - Debugged a stale resolver cache during an incident
  - {track: SEC, level: 1, text: Keeps secrets out of the code.}
  - {track: SEC, level: 2, text: Hardens hosts against attacks.}
"""


def test_yaml_examples_are_read_and_exported_back() -> None:
    framework = read_ladder(LADDER.encode(), "ops.yaml").framework
    first, second, _ = framework.criteria
    assert first.examples == (
        "Moved our zones from BIND to Route 53",
        "Debugged a stale resolver cache during an incident",
    )
    assert second.examples == ()
    document = yaml.safe_load(write_native(framework, "yaml"))
    assert document["criteria"][0]["examples"] == list(first.examples)
    assert "examples" not in document["criteria"][1]
    again = read_ladder(write_native(framework, "json"), "ops.json").framework
    assert [c.examples for c in again.criteria] == [c.examples for c in framework.criteria]


def test_changing_only_the_examples_makes_a_new_version_that_keeps_identities() -> None:
    uow = FakeUnitOfWork()
    v1 = frameworks.import_framework(uow, LADDER.encode(), "ops.yaml", "ops", actor=OPERATOR)
    changed = LADDER.replace("- Moved our zones from BIND to Route 53", "- Ran CoreDNS in k8s")
    v2 = frameworks.import_framework(uow, changed.encode(), "ops.yaml", "ops", actor=OPERATOR)
    assert v2.stored and v2.framework.version == 2
    assert [c.uid for c in v2.framework.criteria] == [c.uid for c in v1.framework.criteria]
    assert v2.diff is not None and not v2.diff.is_empty
    (named,) = v2.diff.to_dict()["examples"]  # type: ignore[misc]
    assert named["id"] == "NET.1.1" and named["new"][0] == "Ran CoreDNS in k8s"


def test_a_ladder_example_steers_suggestions_to_its_criterion() -> None:
    uow = FakeUnitOfWork()
    frameworks.import_framework(uow, LADDER.encode(), "ops.yaml", "ops", actor=OPERATOR)
    found = suggestions.suggest(
        uow, "ops", "- Moved the shop zones from BIND to Route 53", backend="lexical"
    )
    assert found.items[0].suggestions[0].criterion == "NET.1.1"


CELL = (
    "- Understands how name resolution works.<br>"
    "  - Example: Moved our zones from BIND to Route 53<br>"
    "  - Example: Debugged a stale resolver cache<br>"
    "- Knows what a subnet is."
)
MARKDOWN = f"""# Ops ladder

| Level | Networking | Security |
|---|---|---|
| 1 | {CELL} | - Keeps secrets out of the code. |
"""


def test_markdown_sub_bullets_marked_example_are_examples_of_the_criterion_above() -> None:
    framework = read_ladder(MARKDOWN.encode(), "ops.md").framework
    assert [c.text for c in framework.criteria] == [
        "Understands how name resolution works.",
        "Knows what a subnet is.",
        "Keeps secrets out of the code.",
    ]
    assert framework.criteria[0].examples == (
        "Moved our zones from BIND to Route 53",
        "Debugged a stale resolver cache",
    )


def test_examples_survive_export_and_import_in_every_table_format() -> None:
    from skillgrid.exporters import ExportFormat, export_framework

    framework = read_ladder(LADDER.encode(), "ops.yaml").framework
    for fmt, name in (("csv", "x.csv"), ("tsv", "x.tsv"), ("md", "x.md"), ("xlsx", "x.xlsx")):
        written = export_framework(framework, ExportFormat(fmt))
        again = read_ladder(written, name).framework
        assert again.content() == framework.content(), fmt


def test_an_admin_edits_a_criterion_s_examples_as_a_new_version() -> None:
    import pytest

    from skillgrid.domain.assessments import Actor, Forbidden, Role
    from skillgrid.domain.errors import InputError

    uow = FakeUnitOfWork()
    v1 = frameworks.import_framework(uow, LADDER.encode(), "o.yaml", "ops", actor=OPERATOR)
    admin, engineer = Actor("ad@x.org", Role.ADMIN), Actor("ana@x.org", Role.ENGINEER)
    with pytest.raises(Forbidden):
        frameworks.set_examples(uow, "ops", "SEC.1.1", ["Moved keys to Vault"], actor=engineer)
    with pytest.raises(InputError, match="1,000 characters"):
        frameworks.set_examples(uow, "ops", "SEC.1.1", ["x" * 1001], actor=admin)
    stored = frameworks.set_examples(
        uow, "ops", "SEC.1.1", ["  Moved keys to   Vault ", "", "Added gitleaks to CI"], actor=admin
    )
    assert stored.version == 2
    assert stored.criterion("SEC.1.1").examples == ("Moved keys to Vault", "Added gitleaks to CI")
    assert [c.uid for c in stored.criteria] == [c.uid for c in v1.framework.criteria]
    same = frameworks.set_examples(
        uow, "ops", "SEC.1.1", ["Moved keys to Vault", "Added gitleaks to CI"], actor=admin
    )
    assert same.version == 2  # nothing changed, no version


def test_the_html_page_of_a_ladder_lists_each_criterion_s_examples() -> None:
    from skillgrid.exporters import ExportFormat, export_framework

    framework = read_ladder(LADDER.encode(), "ops.yaml").framework
    page = export_framework(framework, ExportFormat("html")).decode()
    assert "<li>Example: Moved our zones from BIND to Route 53</li>" in page
