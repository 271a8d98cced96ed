"""HR sync planned and applied on fakes: who is added, changed (with which fields),
reactivated, deactivated and kept; the mass-deactivation guard; all or nothing."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR, Actor
from skillgrid.domain.errors import InputError
from skillgrid.domain.people import MassDeactivation, Person, Role
from skillgrid.services import people, people_import
from skillgrid.services.people_sync import FieldChange, Safety, mass_refusal, sync_people
from tests.unit.fakes import FakeUnitOfWork

HEADER = b"name,email,team,manager_email,role\n"
ON_FILE = (
    HEADER + b"Bo Chen,bo@x.org,SRE,,manager\n"
    b"Ana Lima,ana@x.org,SRE,bo@x.org,engineer\n"
    b"Cy Diaz,cy@x.org,SRE,bo@x.org,engineer\n"
)
ADMIN = Actor("bo@x.org", Role.ADMIN)


def on_file() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    people_import.import_people(uow, ON_FILE, "people.csv", actor=OPERATOR)
    return uow


def test_a_dry_run_plans_every_change_and_changes_nothing() -> None:
    uow = on_file()
    before, entries = uow.people.people(), len(uow.audit.entries)
    export = (
        HEADER + b"Bo Chen,bo@x.org,SRE,,manager\n"
        b"Ana Lima,ana@x.org,Edge,bo@x.org,manager\n"  # moved and promoted
        b"Dee Ray,dee@x.org,SRE,bo@x.org,\n"  # new
    )
    outcome = sync_people(
        uow, export, "hr.csv", deactivate_missing=True, dry_run=True, actor=OPERATOR
    )
    plan = outcome.plan
    assert not outcome.applied
    assert [p.email for p in plan.added] == ["dee@x.org"]
    assert [(c.person.email, c.fields) for c in plan.changed] == [
        (
            "ana@x.org",
            (FieldChange("team", "SRE", "Edge"), FieldChange("role", "engineer", "manager")),
        )
    ]
    assert [p.email for p in plan.deactivated] == ["cy@x.org"]
    assert (plan.unchanged, plan.teams_created, plan.refused) == (1, ("Edge",), None)
    assert uow.people.people() == before and len(uow.audit.entries) == entries
    assert uow.commits == 1  # the import's only


def test_a_real_run_does_what_the_dry_run_planned() -> None:
    uow = on_file()
    export = HEADER + b"Bo Chen,bo@x.org,SRE,,manager\nAna Lima,ana@x.org,SRE,bo@x.org,\n"
    planned = sync_people(
        uow, export, "hr.csv", deactivate_missing=True, dry_run=True, actor=OPERATOR
    )
    done = sync_people(uow, export, "hr.csv", deactivate_missing=True, actor=OPERATOR)
    assert done.applied and done.plan == planned.plan
    cy = uow.people.get("cy@x.org")
    assert cy is not None and cy.active is False
    assert uow.accounts.ended == ["cy@x.org"] and uow.accounts.revoked == ["cy@x.org"]
    assert [(e.action, e.entity_id) for e in uow.audit.entries[-1:]] == [("deactivate", "cy@x.org")]


def test_without_deactivate_missing_nobody_is_deactivated() -> None:
    uow = on_file()
    export = HEADER + b"Bo Chen,bo@x.org,SRE,,manager\n"
    outcome = sync_people(uow, export, "hr.csv", actor=OPERATOR)
    assert outcome.plan.deactivated == () and outcome.plan.unchanged == 1
    assert all(p.active for p in uow.people.people())


def test_a_person_in_the_file_is_reactivated() -> None:
    uow = on_file()
    people.change_person(uow, "cy@x.org", active=False, actor=OPERATOR)
    outcome = sync_people(uow, ON_FILE, "hr.csv", deactivate_missing=True, actor=OPERATOR)
    assert outcome.plan.reactivated == ("cy@x.org",)
    assert outcome.plan.changed[0].fields == (FieldChange("active", False, True),)
    assert uow.people.get("cy@x.org").active is True  # type: ignore[union-attr]


def test_the_acting_admin_is_never_deactivated() -> None:
    uow = on_file()
    export = HEADER + b"Ana Lima,ana@x.org,SRE,,\nCy Diaz,cy@x.org,SRE,ana@x.org,\n"
    outcome = sync_people(uow, export, "hr.csv", deactivate_missing=True, actor=ADMIN)
    assert outcome.plan.kept == ("bo@x.org",) and outcome.plan.deactivated == ()
    assert uow.people.get("bo@x.org").active is True  # type: ignore[union-attr]


def test_a_manager_left_out_of_the_file_is_refused_at_the_row_that_names_them() -> None:
    uow = on_file()
    export = HEADER + b"Ana Lima,ana@x.org,SRE,bo@x.org,\nCy Diaz,cy@x.org,SRE,bo@x.org,\n"
    with pytest.raises(InputError) as refused:
        sync_people(uow, export, "hr.csv", deactivate_missing=True, actor=OPERATOR)
    first = refused.value.problems[0]
    assert (first.source, first.row, first.column) == ("hr.csv", 2, 4)
    assert "would deactivate them" in first.message
    assert all(p.active for p in uow.people.people()) and uow.commits == 1


def test_a_bad_row_anywhere_changes_nothing() -> None:
    uow = on_file()
    before = uow.people.people()
    export = ON_FILE + b"Eve,not-an-email,SRE,,\n"
    with pytest.raises(InputError) as refused:
        sync_people(uow, export, "hr.csv", deactivate_missing=True, actor=OPERATOR)
    assert (refused.value.problems[0].row, refused.value.problems[0].column) == (5, 2)
    assert uow.people.people() == before and uow.commits == 1


def test_mass_deactivation_is_refused_unless_allowed() -> None:
    uow = FakeUnitOfWork()
    rows = b"".join(b"P%d,p%d@x.org,,,\n" % (n, n) for n in range(20))
    people_import.import_people(uow, HEADER + rows, "all.csv", actor=OPERATOR)
    half = HEADER + rows[: rows.index(b"P10,")]
    planned = sync_people(
        uow, half, "hr.csv", deactivate_missing=True, dry_run=True, actor=OPERATOR
    )
    assert planned.plan.refused and "10 of 20 active people (50%)" in planned.plan.refused
    with pytest.raises(MassDeactivation, match="--max-deactivate 10"):
        sync_people(uow, half, "hr.csv", deactivate_missing=True, actor=OPERATOR)
    assert all(p.active for p in uow.people.people())
    with pytest.raises(MassDeactivation):
        sync_people(uow, half, "hr.csv", deactivate_missing=True, safety=Safety(9), actor=OPERATOR)
    done = sync_people(
        uow, half, "hr.csv", deactivate_missing=True, safety=Safety(10), actor=OPERATOR
    )
    assert done.applied and sum(p.active for p in uow.people.people()) == 10


@pytest.mark.parametrize(
    ("count", "active", "safety", "refused"),
    [
        (5, 10, Safety(), False),  # five at most, whatever the share
        (6, 50, Safety(), True),  # more than five and more than 10%
        (6, 100, Safety(), False),
        (10, 100, Safety(), False),  # 10% at most
        (11, 100, Safety(), True),
        (11, 100, Safety(allow_mass=True), False),
        (3, 100, Safety(max_deactivate=2), True),
        (0, 0, Safety(max_deactivate=0), False),
    ],
)
def test_the_mass_deactivation_limit(
    count: int, active: int, safety: Safety, refused: bool
) -> None:
    assert (mass_refusal(count, active, safety) is not None) is refused


def test_only_admins_sync() -> None:
    from skillgrid.domain.assessments import Forbidden

    with pytest.raises(Forbidden):
        sync_people(on_file(), ON_FILE, "hr.csv", actor=Actor("ana@x.org", Role.ENGINEER))


def test_an_unchanged_file_changes_nothing() -> None:
    uow = on_file()
    entries = len(uow.audit.entries)
    outcome = sync_people(uow, ON_FILE, "hr.csv", deactivate_missing=True, actor=OPERATOR)
    assert (outcome.plan.unchanged, outcome.plan.changed, outcome.plan.added) == (3, (), ())
    assert len(uow.audit.entries) == entries
    assert isinstance(uow.people.get("ana@x.org"), Person)
