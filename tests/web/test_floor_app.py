"""bench/floor_app.py, the floor the growth page is measured against, serves the very page
SkillGrid serves: a ratio against a floor that broke or drifted would measure nothing."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.unit.test_leveling import MAC, through
from tests.web.conftest import as_
from tests.web.test_growth import finalize

BENCH = Path(__file__).parents[2] / "bench"


def test_the_floor_server_renders_the_growth_page_skillgrid_renders(
    app_client, uow_factory, database_url, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    if not database_url.startswith("sqlite"):
        pytest.skip("the floor's SQL is the same on both; one backend shows it renders alike")
    finalize(uow_factory, through(3, except_ids=(MAC,)))
    page = as_(app_client, "ana@x.org").get("/people/ana@x.org/growth")
    monkeypatch.setenv("SKILLGRID_DATABASE_URL", database_url)
    monkeypatch.syspath_prepend(str(BENCH))
    monkeypatch.delitem(sys.modules, "floor_app", raising=False)
    floor = importlib.import_module("floor_app")
    with TestClient(floor.app) as client:
        client.cookies.update(app_client.cookies)
        same = client.get("/people/ana@x.org/growth")
    monkeypatch.delitem(sys.modules, "floor_app")
    assert page.status_code == same.status_code == 200
    assert "Overall level <strong>2</strong>" in page.text
    assert same.text == page.text
