"""A stopped or killed generator leaves nothing behind: no half-built folder, no site builder
still running, no dev server still holding its port; and the dev server outlives a bad edit."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build_site

ROOT = Path(__file__).resolve().parent.parent
FAKE_BUILDER = (sys.executable, "-c", "import sys, pathlib; pathlib.Path(sys.argv[1], 'index.html').write_text('new')")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and signals processes")


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def processes_naming(text: str) -> list[int]:
    """Ids of live processes whose command line contains text (the generator's children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next(
                (line for line in (entry / "status").read_text().splitlines() if line.startswith("State:")), ""
            )
        except OSError:
            continue
        if text in command and "zombie" not in state:
            found.append(int(entry.name))
    return found


def staging(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(".site-"))


def start_build(tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--site", str(tmp_path / "site")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_builder(tmp_path: Path) -> None:
    """Until the site builder runs in its staging folder."""
    wait_for(lambda: staging(tmp_path) and processes_naming(str(staging(tmp_path)[0])), 180, "the site builder")


def test_sigterm_during_a_build_removes_the_staging_folder_and_the_builder(tmp_path):
    build = start_build(tmp_path)
    wait_for_builder(tmp_path)
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=30)
    assert build.returncode != 0
    assert "Traceback" not in err and "stopped by SIGTERM" in err
    assert staging(tmp_path) == []
    wait_for(lambda: not processes_naming(str(tmp_path)), 10, "the site builder to end")
    assert not (tmp_path / "site").exists()


def test_sigkill_takes_the_builder_with_it_and_the_next_build_sweeps_the_debris(tmp_path):
    build = start_build(tmp_path)
    wait_for_builder(tmp_path)
    build.kill()
    build.communicate(timeout=30)
    wait_for(lambda: not processes_naming(str(tmp_path)), 15, "the orphaned site builder to die")
    assert staging(tmp_path), "a killed build cannot clean up after itself"
    build_site(ROOT / "content", tmp_path / "build", tmp_path / "site", builder=FAKE_BUILDER)
    assert staging(tmp_path) == []
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "new"


def test_a_built_site_is_readable_by_everyone(tmp_path):
    build_site(ROOT / "content", tmp_path / "build", tmp_path / "site", builder=FAKE_BUILDER)
    assert (tmp_path / "site").stat().st_mode & 0o777 == 0o755


# --- the dev server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Server:
    """`python -m generator serve` in the background, its error lines collected as they come."""

    def __init__(self, port: int, *options: str):
        self.port = port
        self.errors: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", *options, "serve", "--address", f"127.0.0.1:{port}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        try:
            wait_for(lambda: listening(port), 300, "the dev server to listen")
        except AssertionError:
            self.stop(signal.SIGKILL)
            raise

    def _read(self) -> None:
        for line in self.process.stderr:
            self.errors.append(line.rstrip("\n"))

    def page(self) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=30) as response:
            return response.status

    def html(self, path: str) -> str:
        """A page as served (the dev server serves the site under site_url's path)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/cml-teach/{path}", timeout=30) as response:
                return response.read().decode("utf-8")
        except OSError:  # restarting for a whole rebuild
            return ""

    def stop(self, how: signal.Signals) -> None:
        self.process.send_signal(how)
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        self.process.stderr.close()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_stopping_the_dev_server_frees_its_port(how):
    port = free_port()
    server = Server(port)
    server.stop(how)
    wait_for(lambda: not listening(port), 15, f"port {port} to be free after {how.name}")


def test_the_dev_server_reports_a_bad_edit_and_keeps_serving(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    server = Server(free_port(), "--content", str(content))
    try:
        phases = content / "phases.yml"
        good = phases.read_bytes()
        phases.write_bytes(good + b"# caf\xe9\n")
        wait_for(lambda: any("phases.yml" in e and "not UTF-8" in e for e in server.errors), 30, "the UTF-8 error")
        assert server.process.poll() is None and server.page() == 200
        phases.write_bytes(good)
        quiz_text = content / "quiz_text.yml"
        quiz_text.write_text(
            quiz_text.read_text(encoding="utf-8").replace('why_linear: "', 'why_linear: "{{ nowhere }} ', 1),
            encoding="utf-8",
        )
        wait_for(lambda: any("'nowhere' is undefined" in e for e in server.errors), 30, "the placeholder error")
        assert server.process.poll() is None and server.page() == 200
        assert not any("Traceback" in e for e in server.errors)
    finally:
        server.stop(signal.SIGTERM)


class _Text(HTMLParser):
    """A page's words as a reader sees them (no script, no style), one run of text a line."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.lines.append(data.strip())


def words(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.lines


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_saved_edit_is_served_as_a_clean_build_shows_it(tmp_path):
    """A sentence edited in one section, then a section's title (in every page's navigation):
    each time the served page reads as the same page of a clean build of the same content."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    server = Server(free_port(), "--content", str(content))
    try:
        edit(content / "sections" / "chronic.yml", "can be the preferred first treatment", "can be (a served edit)")
        wait_for(lambda: "(a served edit)" in server.html("sections/chronic/"), 300, "the edited page")
        served_section = server.html("sections/chronic/")
        assert "'unsafe-inline'" in served_section and "livereload(" in served_section  # it reloads itself
        edit(content / "sections" / "chronic.yml", "nav_title: Chronic phase", "nav_title: Chronic phase, edited")
        wait_for(lambda: "Chronic phase, edited" in server.html("phases/"), 600, "the new title in the navigation")
        served_phases = server.html("phases/")
        assert not any("Traceback" in e for e in server.errors)
    finally:
        server.stop(signal.SIGTERM)
    edit(content / "sections" / "chronic.yml", "nav_title: Chronic phase, edited", "nav_title: Chronic phase")
    build_site(content, ROOT / "build", tmp_path / "first")
    clean = (tmp_path / "first" / "sections" / "chronic" / "index.html").read_text(encoding="utf-8")
    assert words(served_section) == words(clean)
    edit(content / "sections" / "chronic.yml", "nav_title: Chronic phase", "nav_title: Chronic phase, edited")
    build_site(content, ROOT / "build", tmp_path / "second")
    clean = (tmp_path / "second" / "phases" / "index.html").read_text(encoding="utf-8")
    assert words(served_phases) == words(clean)
