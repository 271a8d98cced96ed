"""A ladder downloaded from its page, in every format the exporters write, of the version the
page shows; each file imports back to the same ladder."""

from __future__ import annotations

import re

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.exporters import ExportFormat
from skillgrid.importers import read_ladder
from skillgrid.services import frameworks
from skillgrid.web.downloads import attachment
from tests.web.conftest import as_, sign_in

V1 = "Level,Überwachung,Ops\n1,Läuft „stabil“.,Runs it.\n2,Skaliert 😀.,Scales it.\n"
V2 = V1 + "3,Entwirft es.,Designs it.\n"
READABLE = [f for f in ExportFormat if f is not ExportFormat.HTML]


@pytest.fixture
def ops(uow_factory) -> None:  # type: ignore[no-untyped-def]
    """Ladder "ops" in two versions: the page can show either."""
    for text in (V1, V2):
        frameworks.import_framework(uow_factory(), text.encode(), "ops.csv", "ops", actor=OPERATOR)


@pytest.mark.parametrize("export_format", READABLE, ids=str)
def test_a_download_imports_back_to_the_version_shown(
    app_client, uow_factory, ops, export_format: ExportFormat
) -> None:
    sign_in(app_client)
    answer = app_client.get(
        "/ladders/ops/download", params={"format": export_format.value, "version": 1}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == export_format.media_type
    filename = f"ops-v1.{export_format.value}"
    assert answer.headers["content-disposition"] == (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
    )
    back = read_ladder(answer.content, filename).framework.renamed("ops")
    assert back.same_content(frameworks.get_framework(uow_factory(), "ops", 1))
    assert not back.same_content(frameworks.get_framework(uow_factory(), "ops", 2))


def test_the_html_download_is_the_ladder_s_page(app_client, ops) -> None:
    sign_in(app_client)
    answer = app_client.get("/ladders/ops/download", params={"format": "html"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert 'filename="ops-v2.html"' in answer.headers["content-disposition"]
    assert "Entwirft es." in answer.text  # the newest version by default


def test_the_ladder_page_offers_each_format_of_the_version_it_shows(app_client, ops) -> None:
    sign_in(app_client)
    page = app_client.get("/ladders/ops", params={"version": 1}).text
    links = re.findall(r'href="/ladders/ops/download\?format=(\w+)&amp;version=(\d+)"', page)
    assert links == [(f.value, "1") for f in ExportFormat]


def test_an_unknown_format_is_refused_with_the_formats_there_are(app_client, ops) -> None:
    sign_in(app_client)
    refused = app_client.get("/ladders/ops/download", params={"format": "pdf"})
    assert refused.status_code == 422
    assert refused.template.name == "error.html"
    assert "format" in refused.text and "&#39;xlsx&#39;" in refused.text
    assert "content-disposition" not in refused.headers


def test_an_unknown_ladder_or_version_is_not_found(app_client, ops) -> None:
    sign_in(app_client)
    missing = app_client.get("/ladders/nope/download", params={"format": "csv"})
    assert missing.status_code == 404 and "no ladder named" in missing.text
    old = app_client.get("/ladders/ops/download", params={"format": "csv", "version": 9})
    assert old.status_code == 404 and "has versions 1, 2" in old.text


def test_whoever_sees_the_ladder_page_may_download_it(app_client, ops) -> None:
    anonymous = as_(app_client, None).get("/ladders/ops/download", params={"format": "csv"})
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    for email in ("ana@x.org", "root@x.org"):  # an engineer, an admin
        answer = as_(app_client, email).get("/ladders/ops/download", params={"format": "csv"})
        assert answer.status_code == 200 and "Designs it." in answer.text, email


def test_a_filename_outside_ascii_is_given_by_rfc_5987_with_a_plain_fallback() -> None:
    header = attachment('Ladder "ü" v1/2.csv')
    assert header == (
        'attachment; filename="Ladder _u_ v1_2.csv"; '
        "filename*=UTF-8''Ladder%20%22%C3%BC%22%20v1%2F2.csv"
    )
    header.encode("latin-1")  # a header value must be
