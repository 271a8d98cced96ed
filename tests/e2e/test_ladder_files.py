"""A ladder as a file, in Chromium: the admin downloads the ladder from its page, changes a
criterion in the file, uploads it, reads in the preview exactly what storing would change,
and stores it as the next version."""

from __future__ import annotations

from pathlib import Path

from skillgrid.importers import read_ladder
from tests.conftest import SEED
from tests.e2e.conftest import shot

OLD = "Can utilize Mandatory Access Control (MAC) systems like as SELinux or AppArmor."
NEW = "Can use Mandatory Access Control (MAC) systems such as SELinux or AppArmor."


def test_an_admin_downloads_the_ladder_changes_it_and_previews_the_change(page_for, server) -> None:
    root = page_for("root@x.org")
    root.goto(f"{server}/ladders/sre")
    with root.expect_download() as download:
        root.get_by_role("link", name="CSV", exact=True).click()
    assert download.value.suggested_filename == "sre-v1.csv"
    data = Path(download.value.path()).read_bytes()
    seed = read_ladder(SEED.read_bytes(), "sre.tsv").framework.renamed("sre")
    assert read_ladder(data, "sre-v1.csv").framework.renamed("sre").same_content(seed)

    root.goto(f"{server}/admin")
    root.get_by_label("Name").first.fill("sre")
    changed = data.decode("utf-8").replace(OLD, NEW).encode("utf-8")
    assert changed != data
    root.get_by_label("File (tsv").set_input_files(
        {"name": "sre.csv", "mimeType": "text/csv", "buffer": changed}
    )
    root.get_by_role("button", name="Preview").click()
    root.wait_for_url(f"{server}/admin/ladders/preview")
    changes = root.locator("section.diff")
    assert changes.get_by_role("heading").all_inner_texts() == ["Reworded (1)"]
    item = changes.locator("li")
    assert item.count() == 1
    assert item.locator("del").inner_text() == OLD and item.locator("ins").inner_text() == NEW
    shot(root, "ladder-preview-diff")
    root.get_by_role("button", name="Store").click()
    root.wait_for_url(f"{server}/ladders/sre")
    assert "version 2" in root.locator("p.meta").first.inner_text()
