"""An organisation with a realistic history for report tests: three cycles on two ladder
versions, self, manager and peer ratings, n/a with reasons, comments, evidence, a ladder
policy, someone with no result and a departed colleague."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.leveling import Rating
from skillgrid.domain.policies import Tolerance
from skillgrid.services import assessments, cycles, evidence, frameworks, people, people_import
from skillgrid.services.unit_of_work import UnitOfWork
from tests.unit.test_assessment_services import BO
from tests.unit.test_leveling import MAC, through

PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Bo,bo@x.org,SRE,,manager\nAna,ana@x.org,SRE,bo@x.org,engineer\n"
    b"Cy,cy@x.org,SRE,bo@x.org,engineer\nAd,ad@x.org,,,admin\n"
    b"Di,di@x.org,Edge,bo@x.org,engineer\nEx,ex@x.org,Edge,bo@x.org,engineer\n"
)
ANA = "ana@x.org"


def _entries(ratings: dict[str, Rating], comments: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    comments = comments or {}
    return {
        cid: Entry(r, "no VPN here" if r is Rating.NOT_APPLICABLE else None, comments.get(cid))
        for cid, r in ratings.items()
    }


def _finalized(make: Callable[[], UnitOfWork], cycle: str, ratings: dict[str, Rating]) -> None:
    assessments.rate(make(), BO, ANA, cycle, "manager", _entries(ratings, {MAC: "soon"}))
    assessments.submit(make(), BO, ANA, cycle, "manager")
    assessments.finalize(make(), BO, ANA, cycle)


def build_organisation(make: Callable[[], UnitOfWork]) -> None:
    """Three cycles on two ladder versions (one moved, with ratings to re-review), self,
    manager and peer ratings (a peer's draft that must not show), n/a with reasons,
    comments, evidence with and without dates, a ladder policy, someone with no result, a
    departed colleague."""
    frameworks.install_builtin(make(), actor=OPERATOR)
    people_import.import_people(make(), PEOPLE, "people.csv", actor=OPERATOR)
    people.change_person(make(), "ex@x.org", active=False, actor=OPERATOR)
    cycles.open_cycle(make(), "2025-H2", "sre", actor=OPERATOR)
    mine = {**through(2), "NET.2.3": Rating.NOT_APPLICABLE, "PO.1.1": Rating.EXCEEDS}
    assessments.rate(make(), OPERATOR, ANA, "2025-H2", "self", _entries(mine, {"PO.1.1": "!"}))
    assessments.submit(make(), OPERATOR, ANA, "2025-H2", "self")
    assessments.invite_peer(make(), BO, ANA, "2025-H2", "cy@x.org")
    peer = {**through(1), "NET.1.1": Rating.DEVELOPING, "SEC.1.1": Rating.NOT_APPLICABLE}
    assessments.rate(make(), OPERATOR, ANA, "2025-H2", "cy@x.org", _entries(peer))
    assessments.submit(make(), OPERATOR, ANA, "2025-H2", "cy@x.org")
    assessments.invite_peer(make(), BO, ANA, "2025-H2", "di@x.org")  # a draft: hidden
    assessments.rate(make(), OPERATOR, ANA, "2025-H2", "di@x.org", _entries(through(3)))
    _finalized(
        make, "2025-H2", {**through(2, except_ids=("SRE.2.6",)), "NET.2.3": Rating.NOT_APPLICABLE}
    )
    frameworks.set_policy(make(), "sre", Tolerance(1), actor=OPERATOR)
    cycles.open_cycle(make(), "2026-H1", "sre", actor=OPERATOR)
    _finalized(make, "2026-H1", through(3, except_ids=(MAC,)))
    cycles.open_cycle(make(), "2026-H2", "sre", actor=OPERATOR)
    assessments.rate(make(), BO, ANA, "2026-H2", "manager", _entries(through(4)))
    ladder = frameworks.get_framework(make(), "sre")
    first = ladder.criterion("PO.1.1").text
    from skillgrid.exporters import ExportFormat

    changed = frameworks.export(make(), "sre", ExportFormat.YAML).replace(
        first.encode(),
        b"Creates a design document from well-defined requirements and implements it.",
    )
    frameworks.import_framework(make(), changed, "sre-v2.yaml", "sre", actor=OPERATOR)
    cycles.move_cycle(make(), "2026-H2", actor=OPERATOR)  # PO.1.1 reworded: its rating needs review
    assessments.submit(make(), BO, ANA, "2026-H2", "manager")
    assessments.finalize(make(), BO, ANA, "2026-H2")
    assessments.rate(make(), OPERATOR, "di@x.org", "2026-H2", "self", _entries(through(1)))
    for title, url, when, criteria in (
        ("MAC rollout", "https://wiki/mac", dt.date(2026, 3, 1), [MAC, "NET.1.1"]),
        ("Undated talk", None, None, ["PO.1.1"]),
        ("DNS postmortem", "https://wiki/dns", dt.date(2026, 3, 1), ["NET.1.1"]),
        ("Old design", None, dt.date(2025, 9, 9), []),
    ):
        item = Evidence(ANA, title, url, when, "text" if url else None, "design")
        evidence.add_evidence(make(), OPERATOR, item, criteria, "sre")
