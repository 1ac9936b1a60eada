"""`serve`: MkDocs' dev server on the generated pages, kept in step with every saved edit.

An edit is regenerated incrementally (incremental.py): only what it feeds is made again, and only
the files whose bytes changed are written, so MkDocs' dev server, run with `--dirty`, rebuilds
only those pages. A dirty build reads only the changed pages, and would show every other page's
title in the navigation as "None"; so the server builds from `build/serve.yml`: mkdocs.yml with
its paths seen from build/ and every navigation entry's title written out, taken from the
pages' own front matter (the title a clean build shows). What a dirty build cannot bring up to
date (a title in the navigation, a page added or removed, the glossary snippet every page
appends) restarts the server, whose first build is whole. The dev server's pages may run its
inline livereload script, so their CSP is looser than a build's: serve.yml names serve_hooks.py,
which puts every page through the allow-list a build's pages go through. The generator imports
nothing from MkDocs; `make site BUILDER=zensical` never reads serve.yml.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator import process
from generator.builders import ROOT_CONFIG, site_config
from generator.errors import GeneratorError
from generator.incremental import Regenerator

SERVE_CONFIG = "serve.yml"
HOOKS = Path(__file__).resolve().with_name("serve_hooks.py")  # the allow-list, as MkDocs writes each page
POLL_SECONDS = 0.1  # how often the inputs are looked at for a saved edit


def front_matter_title(text: str) -> str | None:
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    meta = yaml.safe_load(text[4:end]) if end > 0 else None
    return meta.get("title") if isinstance(meta, dict) else None


def titled_nav(nav: Any, titles: dict[str, str]) -> Any:
    """mkdocs.yml's nav with a title on every page entry: its own, else the page's."""
    if isinstance(nav, list):
        return [titled_nav(entry, titles) for entry in nav]
    if isinstance(nav, str):
        return {titles[nav]: nav} if nav in titles else nav
    if isinstance(nav, dict):
        return {title: titled_nav(value, titles) if isinstance(value, list) else value for title, value in nav.items()}
    return nav


def serve_config(config: dict[str, Any], files: dict[str, str | bytes], out_dir: Path, root: Path) -> dict[str, Any]:
    """mkdocs.yml as the dev server builds it from out_dir: the same site, paths seen from
    out_dir, the navigation titled, and the livereload script allowed to run."""
    prefix = "docs/"  # where the generator writes the pages, under out_dir
    titles = {}
    for path, text in files.items():
        if path.startswith(prefix) and path.endswith(".md") and isinstance(text, str):
            title = front_matter_title(text)
            if title is not None:
                titles[path.removeprefix(prefix)] = title
    made = dict(config)
    made["docs_dir"] = "docs"
    theme = dict(made.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = os.path.relpath(root / theme["custom_dir"], root / out_dir)
    made["theme"] = theme
    made["nav"] = titled_nav(config.get("nav") or [], titles)
    # overrides/main.html's Content-Security-Policy lets the dev server's inline livereload script
    # run, so every page it serves goes through the allow-list a build's goes through
    made["extra"] = {**(made.get("extra") or {}), "live_reload": True}
    made["hooks"] = [*(made.get("hooks") or []), str(HOOKS)]
    return made


def whole_site_stamp(config_text: str, files: dict[str, str | bytes]) -> str:
    """What every page shows, so that a change to it needs a whole rebuild: the configuration
    (navigation titles), which pages there are, and every file outside docs/ (the snippets)."""
    digest = hashlib.sha256(config_text.encode("utf-8"))
    for path in sorted(files):
        digest.update(path.encode("utf-8") + b"\0")
        if not path.startswith("docs/"):
            data = files[path]
            digest.update(data.encode("utf-8") if isinstance(data, str) else data)
    return digest.hexdigest()


def serve(
    content_dir: Path,
    quizzes_dir: Path,
    out_dir: Path,
    templates_dir: Path,
    address: str,
    report: Callable[[GeneratorError], None],
) -> int:
    """Generate, start the dev server, and keep the pages in step with every edit. A bad edit is
    reported (by report) and the last good pages stay served; the server dies with this process."""
    process.refuse_busy_address(address)
    regenerator = Regenerator(content_dir, quizzes_dir, out_dir, templates_dir)
    counts = regenerator.update()
    print(f"generated into {out_dir}/: {counts['written']} written, {counts['unchanged']} unchanged")
    watched = [content_dir, quizzes_dir, templates_dir, ROOT_CONFIG]
    stamp = _latest_change(watched)
    site_stamp = _write_config(regenerator, out_dir)
    server = _start(out_dir, address)
    try:
        while True:
            if server.poll() is not None:
                raise GeneratorError(f"the dev server on {address} stopped by itself (exit code {server.returncode})")
            time.sleep(POLL_SECONDS)
            latest = _latest_change(watched)
            if latest == stamp:
                continue
            stamp = latest
            try:
                regenerator.update()
            except GeneratorError as error:
                report(error)
                print("the last good pages are still served; fix the problem and save again", file=sys.stderr)
                continue
            now = _write_config(regenerator, out_dir)
            if now != site_stamp:  # the navigation or what every page holds changed: build it whole
                site_stamp = now
                _stop(server)
                server = _start(out_dir, address)
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP
        return 0
    finally:
        _stop(server)


def _write_config(regenerator: Regenerator, out_dir: Path) -> str:
    """Write out_dir/serve.yml if its bytes change; return the whole-site stamp."""
    files = regenerator.files
    config = serve_config(site_config(ROOT_CONFIG), files, out_dir, Path("."))
    text = "# Written by `python -m generator serve` from mkdocs.yml; do not edit.\n" + yaml.safe_dump(
        config, sort_keys=False, allow_unicode=True
    )
    target = out_dir / SERVE_CONFIG
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return whole_site_stamp(text, files)


def _start(out_dir: Path, address: str):
    # --dirty: rebuild only the pages whose files changed; a dirty build warns that other pages'
    # navigation may be stale, which strict mode would stop on (make site and make test are strict)
    command = ["serve", "--livereload", "--dirty", "--no-strict", "--dev-addr", address]
    return process.start([sys.executable, "-m", "mkdocs", *command, "-f", str(out_dir / SERVE_CONFIG)])


def _stop(server) -> None:
    if server.poll() is None:
        server.terminate()
    server.wait()


def _latest_change(roots: list[Path]) -> tuple:
    paths = [p for root in roots for p in ([root] if root.is_file() else root.rglob("*")) if p.is_file()]
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in paths))
