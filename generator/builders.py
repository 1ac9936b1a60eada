"""The site builders: MkDocs with Material, or Zensical, from the same mkdocs.yml and overrides/.

MkDocs takes the folder to build into on its command line. Zensical takes none and builds only
inside its configuration's folder, so `python -m generator.builders zensical SITE` writes the
configuration it builds with (build/zensical.yml: mkdocs.yml with its paths moved under build/,
Material's classic look, and the search index search.json named for assets/search.js), runs
Zensical, and moves what it built into SITE. Both builders read `!ENV` in mkdocs.yml, so
site_url can come from the environment (SITE_URL: GitHub Pages' own address in the workflow).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

MKDOCS = (sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir")
ZENSICAL = (sys.executable, "-m", "generator.builders", "zensical")
BUILDERS = {"mkdocs": MKDOCS, "zensical": ZENSICAL}

ROOT_CONFIG = Path("mkdocs.yml")
WORK = Path("build")  # Zensical's project folder: its config, its cache and its output
ZENSICAL_VENV = Path(".venv-zensical")  # where `make site BUILDER=zensical` installs it


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml as both builders do, `!ENV` included."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1], items[-1]
    for name in names:
        if name in os.environ:  # typed as YAML types a plain scalar, as MkDocs' yaml_env_tag does
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_Loader.add_constructor("!ENV", _env)


def site_config(path: Path = ROOT_CONFIG) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader


def site_url(config: dict[str, Any]) -> str:
    url = str(config.get("site_url") or "")
    return url if not url or url.endswith("/") else url + "/"


def zensical_config(config: dict[str, Any], root: Path) -> dict[str, Any]:
    """mkdocs.yml as Zensical builds it from WORK: the same site, paths seen from WORK."""
    made = dict(config)
    made["docs_dir"] = os.path.relpath(root / config.get("docs_dir", "docs"), root / WORK)
    made["site_dir"] = "zensical-site"
    made["site_url"] = site_url(config)
    theme = dict(made.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = os.path.relpath(root / theme["custom_dir"], root / WORK)
    theme.setdefault("variant", "classic")  # Material's look; Zensical's default is its own "modern"
    made["theme"] = theme
    made["extra"] = {**(made.get("extra") or {}), "search_index": "search.json"}
    made["extra_css"] = ["assets/search-zensical.css", *(made.get("extra_css") or [])]  # before ours: ours win
    return made


def zensical_command() -> list[str]:
    """Zensical's own executable: $ZENSICAL, else the one make installs, else one on PATH."""
    for candidate in (os.environ.get("ZENSICAL"), ZENSICAL_VENV / "bin" / "zensical", shutil.which("zensical")):
        if candidate and Path(candidate).is_file():
            return [str(candidate)]
    raise SystemExit(
        "Zensical is not installed: `make site BUILDER=zensical` installs requirements-zensical.lock "
        f"into {ZENSICAL_VENV}/ (or set ZENSICAL to its executable)"
    )


def build_with_zensical(target: Path, root: Path = Path(".")) -> int:
    from generator import process

    process.stop_on_signals()
    work = root / WORK
    output = work / "zensical-site"
    config_file = work / "zensical.yml"
    config_file.write_text(
        "# Written by `python -m generator.builders zensical` from mkdocs.yml; do not edit.\n"
        + yaml.safe_dump(zensical_config(site_config(root / ROOT_CONFIG), root), sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    shutil.rmtree(output, ignore_errors=True)
    result = process.run([*zensical_command(), "build", "--strict", "-f", str(config_file)])
    if result.returncode != 0 or not (output / "index.html").is_file():
        return result.returncode or 1
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(output.iterdir()):
        shutil.move(str(entry), str(target / entry.name))
    output.rmdir()
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "zensical":
        print("usage: python -m generator.builders zensical SITE_DIR", file=sys.stderr)
        return 2
    return build_with_zensical(Path(argv[1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
