"""Pages kept in the cache are keyed by the code that rendered them too: after a deploy, no
server serves markup of the code before it (which may name static files that are gone)."""

import pytest

from projects.views import common


@pytest.fixture
def tree(tmp_path, settings):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>전</p>", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    common.code_version.cache_clear()
    yield tmp_path
    common.code_version.cache_clear()


def test_the_code_version_changes_when_a_template_changes(tree):
    before = common.code_version()
    (tree / "templates" / "page.html").write_text("<p>후</p>", encoding="utf-8")
    common.code_version.cache_clear()  # a new process after the deploy
    assert common.code_version() != before


def test_a_dashboard_cached_by_the_old_code_is_built_again_by_the_new(
    client, committee, plan, monkeypatch
):
    from projects.views import pages

    built = []
    build = pages._dashboard_body
    monkeypatch.setattr(pages, "_dashboard_body", lambda *args: built.append(1) or build(*args))
    client.force_login(committee)
    for version in ("old", "old", "new"):
        monkeypatch.setattr(common, "code_version", lambda version=version: version)
        assert client.get("/").status_code == 200
    assert len(built) == 2  # once by the old code (then from the cache), once by the new
