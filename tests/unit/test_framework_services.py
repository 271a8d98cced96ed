"""Ladder use cases against a fake unit of work: versions, identity, dry runs."""

from __future__ import annotations

import re

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.errors import InputError, LadderError, NotFound
from skillgrid.domain.framework import LADDER_NAME
from skillgrid.exporters import ExportFormat
from skillgrid.services import frameworks as services
from tests.unit.fakes import FakeUnitOfWork

V1 = (
    b"Level,Networking,Security\n"
    b"1,Knows DNS. Knows DHCP.,Uses SSH keys.\n"
    b"2,Runs load balancers.,Knows TLS.\n"
)


def test_first_import_stores_version_1_and_commits_once() -> None:
    uow = FakeUnitOfWork()
    outcome = services.import_framework(uow, V1, "v1.csv", "ops", actor=OPERATOR)
    assert outcome.stored and outcome.framework.version == 1
    assert len(outcome.framework.criteria) == 5
    assert uow.commits == 1


def test_importing_the_same_content_again_stores_nothing() -> None:
    uow = FakeUnitOfWork()
    services.import_framework(uow, V1, "v1.csv", "ops", actor=OPERATOR)
    again = services.import_framework(
        uow, V1.replace(b"\n", b"\r\n"), "v1-copy.csv", "ops", actor=OPERATOR
    )
    assert not again.stored and again.framework.version == 1
    assert uow.commits == 1


def test_changed_content_makes_a_new_version_and_identities_carry_over() -> None:
    uow = FakeUnitOfWork()
    first = services.import_framework(uow, V1, "v1.csv", "ops", actor=OPERATOR).framework
    v2 = V1.replace(b"Knows TLS.", b"Knows TLS well.").replace(
        b"Uses SSH keys.", b"Writes threat models."
    )
    second = services.import_framework(uow, v2, "v2.csv", "ops", actor=OPERATOR)
    assert second.stored and second.framework.version == 2
    uid = {c.text: c.uid for c in first.criteria}
    new = {c.text: c.uid for c in second.framework.criteria}
    assert new["Knows DNS."] == uid["Knows DNS."]
    assert new["Knows TLS well."] == uid["Knows TLS."]
    assert new["Writes threat models."] not in uid.values()
    assert uow.frameworks.changes[("ops", 2)] == {
        0: "unchanged",
        1: "unchanged",
        2: "unchanged",
        3: "added",
        4: "reworded",
    }
    assert second.diff is not None and second.diff.counts()["removed"] == 1


def test_dry_run_reports_the_split_and_stores_nothing() -> None:
    uow = FakeUnitOfWork()
    outcome = services.import_framework(uow, V1, "v1.csv", "ops", dry_run=True, actor=OPERATOR)
    assert not outcome.stored and uow.commits == 0 and not uow.frameworks.stored
    assert [c.text for c in outcome.framework.cell("NET", 1)] == ["Knows DNS.", "Knows DHCP."]


def test_bad_file_raises_and_stores_nothing() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(LadderError):
        services.import_framework(uow, b"Level,Ops\n1,a,b\n", "bad.csv", "ops", actor=OPERATOR)
    assert not uow.frameworks.stored and uow.commits == 0


@pytest.mark.parametrize("name", ["", "-ops", "ops/../x", "a b", "é", "x" * 101, "ops\n"])
def test_a_ladder_name_that_cannot_be_part_of_a_url_is_refused(name: str) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(InputError, match="use letters, digits"):
        services.import_framework(uow, V1, "v1.csv", name, actor=OPERATOR)
    assert not uow.frameworks.stored and uow.commits == 0


def test_the_ladder_name_rule_is_one_expression_for_python_and_the_browser() -> None:
    # the admin form's HTML pattern is compiled with the v flag, where "-" in a class must
    # be escaped; Python reads the same expression the same way
    assert re.fullmatch(LADDER_NAME, "platform-2.0_x") and "\\-" in LADDER_NAME


def test_old_versions_stay_readable_and_diff_between_them() -> None:
    uow = FakeUnitOfWork()
    services.import_framework(uow, V1, "v1.csv", "ops", actor=OPERATOR)
    services.import_framework(
        uow, V1.replace(b"Knows TLS.", b"Knows mTLS."), "v2.csv", "ops", actor=OPERATOR
    )
    assert [c.text for c in services.get_framework(uow, "ops", 1).cell("SEC", 2)] == ["Knows TLS."]
    diff = services.diff_versions(uow, "ops", 1)
    assert diff.counts()["reworded"] == 1


def test_missing_ladder_or_version_names_what_exists() -> None:
    uow = FakeUnitOfWork()
    services.import_framework(uow, V1, "v1.csv", "ops", actor=OPERATOR)
    with pytest.raises(NotFound, match="stored ladders: ops"):
        services.get_framework(uow, "nope")
    with pytest.raises(NotFound, match="has no version 9; it has versions 1"):
        services.get_framework(uow, "ops", 9)


def test_builtin_sre_ladder_installs_once() -> None:
    uow = FakeUnitOfWork()
    assert services.install_builtin(uow, actor=OPERATOR).stored
    assert not services.install_builtin(uow, actor=OPERATOR).stored
    assert len(services.get_framework(uow, "sre").criteria) == 90


def test_export_of_a_stored_version() -> None:
    uow = FakeUnitOfWork()
    services.import_framework(uow, V1, "v1.csv", "ops", actor=OPERATOR)
    assert b"Knows DHCP." in services.export(uow, "ops", ExportFormat.MARKDOWN)


def test_a_new_track_never_takes_the_key_of_a_renamed_one() -> None:
    uow = FakeUnitOfWork()
    v1 = (
        b"Level,Product Management\n"
        b"1,Writes user stories for features\n2,Owns the quarterly roadmap\n"
    )
    services.import_framework(uow, v1, "v1.csv", "pm", actor=OPERATOR)
    v2 = (
        b"Level,Product,Project Management\n"
        b"1,Writes user stories for all features,Writes project plans\n"
        b"2,Owns the quarterly roadmap,Runs the delivery plan\n"
    )
    outcome = services.import_framework(uow, v2, "v2.csv", "pm", actor=OPERATOR)
    keys = {t.name: t.key for t in outcome.framework.tracks}
    assert keys["Project Management"] != "PM"
    first = services.get_framework(uow, "pm", 1)
    old = {c.text: c.uid for c in first.criteria}
    new = {c.text: c.uid for c in outcome.framework.criteria}
    assert new["Owns the quarterly roadmap"] == old["Owns the quarterly roadmap"]
    assert new["Writes user stories for all features"] == old["Writes user stories for features"]
    assert new["Writes project plans"] not in old.values()


def test_diff_against_a_file_shows_what_importing_it_would_change() -> None:
    uow = FakeUnitOfWork()
    v1 = b"Level,Product Management\n1,Writes user stories\n"
    services.import_framework(uow, v1, "v1.csv", "pm", actor=OPERATOR)
    v2 = b"Level,Project Management,Product Management\n1,Tracks tasks,Writes user stories\n"
    diff = services.diff_sources(
        uow, services.StoredLadder("pm"), services.LadderFile(v2, "v2.csv")
    )
    assert [t.name for t in diff.tracks_added] == ["Project Management"]
    assert not diff.tracks_renamed
    assert diff.counts() == {
        "added": 1,
        "removed": 0,
        "reworded": 0,
        "moved": 0,
        "reworded_moved": 0,
    }
