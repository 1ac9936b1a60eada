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
