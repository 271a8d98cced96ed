"""Ladders stored in real SQLite and PostgreSQL: versions, identities, nothing stored on error."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.errors import LadderError
from skillgrid.services import frameworks as services
from tests.conftest import table_snapshot

V1 = (
    b"Level,Networking,Security\n"
    b"1,Knows DNS. Knows DHCP.,Uses SSH keys.\n"
    b"2,Runs load balancers.,Knows TLS.\n"
)


def test_seed_is_stored_and_read_back_identically(uow_factory, seed_bytes: bytes) -> None:
    stored = services.import_framework(
        uow_factory(), seed_bytes, "sre.tsv", "sre", actor=OPERATOR
    ).framework
    loaded = services.get_framework(uow_factory(), "sre")
    assert loaded == stored
    assert loaded.version == 1 and len(loaded.criteria) == 90
    assert len({c.uid for c in loaded.criteria}) == 90


def test_versions_keep_identities_and_old_versions_are_never_altered(uow_factory) -> None:
    services.import_framework(uow_factory(), V1, "v1.csv", "ops", actor=OPERATOR)
    v1 = services.get_framework(uow_factory(), "ops", 1)
    v2_bytes = (
        b"Level,Networking,Security\n1,Knows DNS well. Knows DHCP.,Uses SSH keys.\n"
        b"2,Runs load balancers. Writes runbooks.,\n3,,Knows TLS.\n"
    )
    outcome = services.import_framework(uow_factory(), v2_bytes, "v2.csv", "ops", actor=OPERATOR)
    assert outcome.stored and outcome.framework.version == 2
    assert services.get_framework(uow_factory(), "ops", 1) == v1
    v2 = services.get_framework(uow_factory(), "ops", 2)
    by_text = {c.text: c.uid for c in v1.criteria}
    assert {c.text: c.uid for c in v2.criteria}["Knows TLS."] == by_text["Knows TLS."]
    assert {c.text: c.uid for c in v2.criteria}["Knows DNS well."] == by_text["Knows DNS."]
    kinds = services.diff_versions(uow_factory(), "ops", 1, 2).counts()
    assert kinds == {"added": 1, "removed": 0, "reworded": 1, "moved": 1, "reworded_moved": 0}
    infos = services.list_versions(uow_factory(), "ops")
    assert [(i.version, i.criteria, i.source) for i in infos] == [
        (1, 5, "v1.csv"),
        (2, 6, "v2.csv"),
    ]


def test_reimporting_unchanged_content_adds_no_version(uow_factory, database_url: str) -> None:
    services.import_framework(uow_factory(), V1, "v1.csv", "ops", actor=OPERATOR)
    before = table_snapshot(database_url)
    assert not services.import_framework(
        uow_factory(), V1, "again.csv", "ops", actor=OPERATOR
    ).stored
    assert table_snapshot(database_url) == before


def test_a_bad_file_leaves_the_database_exactly_as_it_was(uow_factory, database_url: str) -> None:
    services.import_framework(uow_factory(), V1, "v1.csv", "ops", actor=OPERATOR)
    before = table_snapshot(database_url)
    with pytest.raises(LadderError):
        services.import_framework(
            uow_factory(), b"Level,A,a\n1,x,y\n", "dup.csv", "ops", actor=OPERATOR
        )
    assert table_snapshot(database_url) == before


def test_list_shows_the_newest_version_of_each_ladder(uow_factory, seed_bytes: bytes) -> None:
    services.import_framework(uow_factory(), V1, "v1.csv", "ops", actor=OPERATOR)
    services.import_framework(
        uow_factory(), V1 + b"3,Designs networks.,\n", "v2.csv", "ops", actor=OPERATOR
    )
    services.import_framework(uow_factory(), seed_bytes, "sre.tsv", "sre", actor=OPERATOR)
    listed = [
        (i.name, i.version, i.levels, i.criteria) for i in services.list_frameworks(uow_factory())
    ]
    assert listed == [("ops", 2, 3, 6), ("sre", 1, 6, 90)]
