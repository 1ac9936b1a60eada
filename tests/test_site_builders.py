"""Two builders from one mkdocs.yml, and a site_url that comes from where the site is deployed."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.builders import BUILDERS, site_config, site_url, zensical_config

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = "https://example.github.io/cml-teach/"


def test_a_local_build_keeps_the_default_site_url(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_url(site_config(ROOT / "mkdocs.yml")) == DEFAULT


def test_site_url_comes_from_the_environment_with_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/their-fork")
    config = site_config(ROOT / "mkdocs.yml")
    assert site_url(config) == "https://someone.github.io/their-fork/"
    assert zensical_config(config, ROOT)["site_url"] == "https://someone.github.io/their-fork/"


def test_zensical_builds_the_same_site_from_build_with_material_look_and_its_own_index(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    config = site_config(ROOT / "mkdocs.yml")
    made = zensical_config(config, ROOT)
    assert (ROOT / "build" / made["docs_dir"]).resolve() == (ROOT / config["docs_dir"]).resolve()
    assert (ROOT / "build" / made["theme"]["custom_dir"]).resolve() == (ROOT / "overrides").resolve()
    assert made["theme"]["variant"] == "classic"
    assert made["extra"]["search_index"] == "search.json"
    assert config["extra"]["search_index"] == "search/search_index.json"
    assert made["extra_css"] == ["assets/search-zensical.css", *config["extra_css"]]
    assert (ROOT / "overrides" / "assets" / "search-zensical.css").is_file()
    for key in ("nav", "markdown_extensions", "plugins", "validation", "extra_javascript", "not_in_nav"):
        assert made[key] == config[key]
    assert set(BUILDERS) == {"mkdocs", "zensical"}


def test_zensical_is_pinned_in_a_lock_of_its_own():
    pins = [
        line
        for line in (ROOT / "requirements-zensical.lock").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert "zensical==0.0.73" in pins
    assert all("==" in line for line in pins)


def test_the_workflow_builds_for_the_address_github_pages_gives():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    pages = next(i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/configure-pages"))
    build = next(i for i, s in enumerate(steps) if s.get("name") == "Build the site")
    assert pages < build
    assert steps[pages]["id"] == "pages"
    assert steps[build]["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert 'SITE_URL="${BASE_URL%/}/"' in steps[build]["run"]
    assert "make site" in steps[build]["run"]
