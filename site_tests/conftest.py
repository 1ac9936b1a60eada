"""Serve the built site/ on 127.0.0.1 and drive it in Chromium (Debian's locally, Playwright's on GitHub)."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.builders import site_config, site_url

ROOT = Path(__file__).resolve().parent.parent
# The built site under test: site/ (MkDocs), or SITE_DIR=site-zensical for Zensical's build.
SITE = ROOT / os.environ.get("SITE_DIR", "site")


def _site_prefix() -> str:
    """The path the site is published under (from site_url), e.g. '/cml-teach/'.

    The test server mounts the site there too, as GitHub Pages does, so that the pages which
    MkDocs links absolutely (404.html) are tested as they will be served."""
    path = urlsplit(site_url(site_config(ROOT / "mkdocs.yml")) or "/").path or "/"
    return path if path.endswith("/") else path + "/"


PREFIX = _site_prefix()


def site_pages() -> list[str]:
    """URL path of every page of the built site (each index.html, plus 404.html)."""
    if not (SITE / "index.html").is_file():
        raise pytest.UsageError(f"{SITE.name}/ is not built: run `make site` (make test does it for you)")
    pages = sorted(p.relative_to(SITE).parent.as_posix() for p in SITE.rglob("index.html"))
    return [PREFIX if p == "." else f"{PREFIX}{p}/" for p in pages] + [f"{PREFIX}404.html"]


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves site/ under PREFIX only; anything else is a 404, served with the site's 404.html."""

    def translate_path(self, path):
        if not path.startswith(PREFIX):
            return str(SITE / "__outside_the_site__")
        return super().translate_path("/" + path[len(PREFIX) :])

    def send_error(self, code, message=None, explain=None):
        page = SITE / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="session")
def base_url() -> str:
    """Overrides pytest-playwright's base_url: our own server on a free loopback port."""
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def moment(ms: float) -> datetime:
    """A time for Playwright's clock from milliseconds since the epoch, as JavaScript counts."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _chromium() -> str | None:
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return None  # Playwright's own build, installed by scripts/install-chromium.sh
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = dict(browser_type_launch_args)
    executable = _chromium()
    if executable:
        args["executable_path"] = executable
    args["args"] = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    return args
