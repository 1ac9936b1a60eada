"""Child processes and signals: a stopped generator leaves no site builder running and no
half-built folder behind.

SIGTERM and SIGHUP are turned into an exception, so every `finally` runs (the staging folder
is removed, a running builder is killed) as it does for Ctrl-C. A builder started here gets
SIGTERM from the kernel if the generator dies even by SIGKILL (Linux's PR_SET_PDEATHSIG), and a
staging folder left by a killed build carries the dead process's id, so the next build
sweeps it away."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1


class Stopped(KeyboardInterrupt):
    """The generator was asked to stop by a signal; unwinding runs every clean-up."""


def stop_on_signals() -> None:
    def stop(number: int, _frame: Any) -> None:
        raise Stopped(signal.Signals(number).name)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def _die_with_parent() -> None:
    """Runs in the child before exec: ask the kernel for SIGTERM when the parent dies."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def child_options() -> dict[str, Any]:
    return {"preexec_fn": _die_with_parent} if sys.platform.startswith("linux") else {}


def run(command: Sequence[str], **options: Any) -> subprocess.CompletedProcess:
    """subprocess.run, with a child that dies with us (run itself kills it on an exception)."""
    return subprocess.run(list(command), **child_options(), **options)


def start(command: Sequence[str], **options: Any) -> subprocess.Popen:
    return subprocess.Popen(list(command), **child_options(), **options)


def refuse_busy_address(address: str) -> None:
    """Before a server starts: its host:port must be free, or the one line says why not."""
    from generator.errors import GeneratorError, printable

    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise GeneratorError(f"--address '{printable(address)}': expected host:port, such as 127.0.0.1:8000")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), int(port)))
    except OSError as error:
        raise GeneratorError(f"cannot serve on '{printable(address)}': {error.strerror or error}") from None


def staging_prefix(target: Path) -> str:
    """ ".site-<pid>-": a staging folder names the process that owns it."""
    return f".{target.name}-{os.getpid()}-"


def sweep_stale_staging(target: Path) -> list[Path]:
    """Remove staging folders beside target whose process is gone (a build killed outright)."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}-(\d+)-")
    removed = []
    for candidate in sorted(target.parent.glob(f".{target.name}-*")):
        match = pattern.match(candidate.name)
        if candidate.is_dir() and match and not _alive(int(match.group(1))):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
