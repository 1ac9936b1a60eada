"""make bench: how fast the site builds and how light and quick its pages are, against the budgets.

Writes a table to the terminal and bench/results.json. Run on this 2-core machine; nothing needs
installing by hand (Lighthouse comes from bench/package.json through npm, Chromium from Debian).
"""

from __future__ import annotations

import functools
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "site_tests"))

from generator.build import load_inputs, reproducible_env, write_tree  # noqa: E402
from generator.pages import make_quizzes, render_exports, render_pages  # noqa: E402
from generator.quiz.templates import TEMPLATES, Context  # noqa: E402
from generator.rules import Rules  # noqa: E402

RUNS = 3
BUDGETS = {
    "generator share of the build": 0.20,
    "make site seconds": 15.0,
    "saved edit to reloaded page seconds": 2.0,
    "10,000 questions seconds": 2.0,
    "page first-load KB": 500,
    "quiz longest main-thread task ms": 50,
    "lighthouse accessibility": 100,
    "lighthouse best-practices": 100,
    "lighthouse seo": 100,
    "lighthouse performance": 100,
}


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: on a shared machine the wall time
    counts the waits for other work, the CPU time only this work."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(results: dict[str, float], step: str, work):
    start, cpu = time.perf_counter(), cpu_seconds()
    value = work()
    results[step] = time.perf_counter() - start
    results[f"{step} (CPU)"] = cpu_seconds() - cpu
    return value


def clean_build(site: Path) -> dict[str, float]:
    """One build from a clean state, step by step, as `make site` does it: wall seconds, and
    each step's CPU seconds beside them ("... (CPU)")."""
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    times: dict[str, float] = {}
    start, cpu = time.perf_counter(), cpu_seconds()
    content, blueprints = timed(
        times, "content load and validation", lambda: load_inputs(ROOT / "content", ROOT / "quizzes")
    )
    versions = timed(times, "rules and quiz generation", lambda: make_quizzes(content, blueprints))

    def render():
        files = {**render_pages(content, blueprints, versions), **render_exports(versions)}
        write_tree(ROOT / "build", files)

    timed(times, "page rendering and exports", render)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
    timed(times, "MkDocs build", lambda: subprocess.run(command, cwd=ROOT, check=True, env=reproducible_env()))
    times["total"] = time.perf_counter() - start
    times["total (CPU)"] = cpu_seconds() - cpu
    times["generator (everything before MkDocs)"] = times["total"] - times["MkDocs build"]
    times["generator (everything before MkDocs) (CPU)"] = times["total (CPU)"] - times["MkDocs build (CPU)"]
    return times


def zensical_build(site: Path) -> float:
    """Seconds for Zensical to build the generated pages (build/ as clean_build left it), from a
    clean cache: the same step as "MkDocs build", for the side-by-side comparison."""
    shutil.rmtree(ROOT / "build" / ".cache", ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "generator.builders", "zensical", str(site)]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, env=reproducible_env(), capture_output=True)
    return time.perf_counter() - start


EDIT_FILE = "sections/chronic.yml"
RELOAD_EDITS = 5


def edit_to_reload() -> list[float] | str:
    """Seconds from saving an edit to one section (in a copy of content/) to the page showing it,
    reloaded by itself in Chromium, under `python -m generator serve` (what `make serve` runs);
    one figure per edit, RELOAD_EDITS edits in a row."""
    import socket

    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        command = [
            sys.executable,
            "-m",
            "generator",
            "--content",
            str(content),
            "serve",
            "--address",
            f"127.0.0.1:{port}",
        ]
        server = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=reproducible_env()
        )
        try:
            import conftest

            url = f"http://127.0.0.1:{port}{conftest.PREFIX}sections/chronic/"
            with sync_playwright() as playwright:
                launch = {"args": ["--no-sandbox"]}
                if shutil.which("chromium") and os.environ.get("GITHUB_ACTIONS") != "true":
                    launch["executable_path"] = shutil.which("chromium")
                browser = playwright.chromium.launch(**launch)
                page = browser.new_page()
                deadline = time.monotonic() + 300
                while True:
                    try:
                        page.goto(url, wait_until="load")
                        if page.locator("h1").count():
                            break
                    except Exception:  # the server is still building
                        if time.monotonic() > deadline:
                            return "the dev server did not start"
                    time.sleep(1)
                time.sleep(2)  # let the server's watcher settle after its first build
                path = content / EDIT_FILE
                old = "can be the preferred first treatment"
                assert old in path.read_text(encoding="utf-8"), f"{EDIT_FILE} no longer holds {old!r}"
                times = []
                for _ in range(RELOAD_EDITS):
                    text = path.read_text(encoding="utf-8")
                    marker = f"benchmark edit {random.randrange(10**9)}"
                    start = time.perf_counter()
                    path.write_text(
                        re.sub(rf"{old}( \(benchmark edit \d+\))?", f"{old} ({marker})", text, count=1),
                        encoding="utf-8",
                    )
                    # a locator, not wait_for_function: the site's Content-Security-Policy forbids eval
                    page.get_by_text(marker).wait_for(state="attached", timeout=120_000)
                    times.append(time.perf_counter() - start)
                    time.sleep(2)
                browser.close()
                return times
        finally:
            server.terminate()
            server.wait(timeout=30)


def reload_result(times: list[float] | str) -> dict | str:
    if isinstance(times, str):
        return times
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "every edit": times}


def throughput(count: int = 10_000) -> tuple[float, float]:
    """Seconds to generate `count` questions, cycling through every case template: wall, CPU."""
    content, _ = load_inputs(ROOT / "content", ROOT / "quizzes")
    context = Context(content, Rules(content))
    templates = list(TEMPLATES.values())
    start, cpu = time.perf_counter(), time.process_time()
    for index in range(count):
        templates[index % len(templates)].make(random.Random(index), context, "standard")
    return time.perf_counter() - start, time.process_time() - cpu


class Assets(HTMLParser):
    """The local scripts, styles and images a page loads when it first opens."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("rel") in ("stylesheet", "icon") and a.get("href"):
            self.urls.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.urls.append(a["src"])


def page_weights(site: Path) -> dict[str, int]:
    weights = {}
    for html in sorted(site.rglob("*.html")):
        parser = Assets()
        parser.feed(html.read_text(encoding="utf-8"))
        total = html.stat().st_size
        for url in parser.urls:
            if url.startswith(("http:", "https:", "data:")):
                continue
            asset = (html.parent / url.split("?")[0]).resolve()
            if asset.is_file():
                total += asset.stat().st_size
        weights[str(html.relative_to(site))] = total
    return weights


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


def serve(site: Path):
    """Serve the site as GitHub Pages does: under its path, gzip-compressed, cacheable for 10 minutes."""
    import gzip

    import conftest

    class PagesLike(conftest.QuietHandler):
        def end_headers(self):
            self.send_header("Cache-Control", "max-age=600")
            super().end_headers()

        def do_GET(self):
            path = Path(self.translate_path(self.path.split("?")[0]))
            if path.is_dir():
                path = path / "index.html"
            accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
            if not (accepts_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
                return super().do_GET()
            body = gzip.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    handler = functools.partial(PagesLike, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{conftest.PREFIX}"


LONG_TASKS = """
window.__longest = 0;
new PerformanceObserver(list => list.getEntries().forEach(e => {
  window.__longest = Math.max(window.__longest, e.duration);
})).observe({type: "longtask", buffered: true});
"""


QUIZ_LOADS = 5


def quiz_timings(base: str, quiz_ids: list[str]) -> dict[str, dict[str, float]]:
    """Each quiz page loaded QUIZ_LOADS times, each in a fresh context (cold caches, as a first
    visit): the longest main-thread task of each load, and the time from load to the first answer
    checked. One load on a shared 2-core machine is noise; the median is the figure, the worst and
    every load are kept beside it."""
    from playwright.sync_api import sync_playwright

    timings = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for quiz_id in quiz_ids:
            longest, checked_after = [], []
            for _ in range(QUIZ_LOADS):
                page = browser.new_page()
                page.add_init_script(LONG_TASKS)
                page.goto(f"{base}quizzes/{quiz_id}/", wait_until="load")
                start = page.evaluate("performance.now()")
                key = page.locator("#q1").get_attribute("data-key")
                page.locator(f"label[for='q1-{key.lower()}']").click()
                page.locator("#q1 button.check").click()
                page.wait_for_function("document.querySelector('#q1 .feedback').textContent.length > 0")
                checked_after.append(page.evaluate("performance.now()") - start)
                page.wait_for_timeout(200)
                longest.append(round(page.evaluate("window.__longest"), 1))
                page.close()
            timings[quiz_id] = {
                "longest main-thread task ms": statistics.median(longest),
                "longest task, worst load ms": max(longest),
                "longest task, every load ms": longest,
                "load to first answer checked ms": round(statistics.median(checked_after), 1),
            }
        browser.close()
    return timings


# Lighthouse (mobile) on each kind of page a reader lands on, and on every quiz's first version.
LIGHTHOUSE_PAGES = ["", "phases/", "sections/chronic/", "studies/", "educators/"]


def lighthouse(base: str, paths: list[str]) -> dict[str, dict[str, int]] | str:
    node = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
    if not node.exists():
        install = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT / "bench")
        if install.returncode != 0 or not node.exists():
            return "not run: npm could not install lighthouse (bench/package.json)"
    scores = {}
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "chromium"}
    for path in paths:
        with tempfile.TemporaryDirectory() as folder:
            report = Path(folder) / "report.json"
            subprocess.run(
                [
                    str(node),
                    base + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ],
                env=env,
                check=False,
            )
            if not report.exists():
                scores[path or "/"] = {"error": 1}
                continue
            categories = json.loads(report.read_text())["categories"]
            scores[path or "/"] = {name: round(c["score"] * 100) for name, c in categories.items()}
    return scores


def spread(values: list[float]) -> dict[str, float]:
    """The median, least and most of one measure over the runs."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def per_step(runs: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Each build step's spread over the clean builds."""
    return {step: spread([r[step] for r in runs]) for step in runs[0]}


def main() -> int:
    results: dict = {"budgets": BUDGETS}
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        runs = [clean_build(site) for _ in range(RUNS)]
        steps = per_step(runs)
        results["build seconds"] = steps
        zensical = [zensical_build(Path(tmp) / "site-zensical") for _ in range(RUNS)]
        results["builders seconds"] = {
            "MkDocs (Material)": steps["MkDocs build"],
            "Zensical": spread(zensical),
        }
        results["saved edit to reloaded page seconds"] = reload_result(edit_to_reload())
        pages = sorted(site.rglob("index.html"))
        content, blueprints = load_inputs(ROOT / "content", ROOT / "quizzes")
        results["counts"] = {
            "pages": len(pages),
            "quizzes": len(blueprints),
            "versions": sum(b.variants for b in blueprints),
            "questions": sum(b.size * b.variants for b in blueprints),
        }
        results["10,000 questions seconds"], results["10,000 questions CPU seconds"] = throughput()
        weights = page_weights(site)
        results["page first-load bytes"] = weights
        results["search index bytes"] = (site / "search" / "search_index.json").stat().st_size
        server, base = serve(site)
        try:
            results["quiz pages"] = quiz_timings(base, [b.id for b in blueprints])
            results["lighthouse"] = lighthouse(base, LIGHTHOUSE_PAGES + [f"quizzes/{b.id}/" for b in blueprints])
        finally:
            server.shutdown()

    report(results, steps)
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {out.relative_to(ROOT)}")
    return 0 if not results["missed"] else 1


def reload_line(reload: dict | str) -> str:
    if isinstance(reload, str):
        return reload
    every = ", ".join(f"{t:.2f}" for t in reload["every edit"])
    return f"median {reload['median']:.2f} s over {len(reload['every edit'])} edits ({every} s)"


def print_steps(steps: dict) -> None:
    print(f"{'build step (' + str(RUNS) + ' clean builds)':<44}{'median s':>10}{'min':>8}{'max':>8}{'CPU s':>8}")
    for step, s in steps.items():
        if not step.endswith(" (CPU)"):
            cpu = steps[f"{step} (CPU)"]["median"]
            print(f"{step:<44}{s['median']:>10.3f}{s['min']:>8.3f}{s['max']:>8.3f}{cpu:>8.3f}")


def build_only() -> int:
    """`python scripts/bench.py build`: the clean builds and the 10,000 questions alone (no
    browser, no Lighthouse), against their three budgets."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = [clean_build(Path(tmp) / "site") for _ in range(RUNS)]
    steps = per_step(runs)
    print_steps(steps)
    wall, cpu = throughput()
    print(f"quiz generation: 10,000 questions in {wall:.2f} s (CPU {cpu:.2f} s)")
    total = steps["total"]["median"]
    share = steps["generator (everything before MkDocs)"]["median"] / total
    checks = [
        ("generator share of the build", share, f"{share:.0%}", f"{BUDGETS['generator share of the build']:.0%}"),
        ("make site seconds", total, f"{total:.2f}", f"{BUDGETS['make site seconds']}"),
        ("10,000 questions seconds", wall, f"{wall:.2f}", f"{BUDGETS['10,000 questions seconds']}"),
    ]
    missed = [name for name, value, _, _ in checks if value > BUDGETS[name]]
    for name, _, shown, limit in checks:
        print(f"{name:<42}{shown:>10}{'<=':>4}{limit:>7}  {'MISSED' if name in missed else 'ok'}")
    return 1 if missed else 0


def report(results: dict, steps: dict) -> None:
    print_steps(steps)
    print(f"\n{'site builder, same pages (' + str(RUNS) + ' builds)':<44}{'median s':>10}{'min':>8}{'max':>8}")
    for builder, s in results["builders seconds"].items():
        print(f"{builder:<44}{s['median']:>10.3f}{s['min']:>8.3f}{s['max']:>8.3f}")
    reload = results["saved edit to reloaded page seconds"]
    print(f"make serve: a saved edit to {EDIT_FILE} to the reloaded page: {reload_line(reload)}")
    c = results["counts"]
    print(f"\n{c['pages']} pages; {c['quizzes']} quizzes, {c['versions']} versions, {c['questions']} questions")
    per_second = 10_000 / results["10,000 questions seconds"]
    print(
        f"quiz generation: 10,000 questions in {results['10,000 questions seconds']:.2f} s ({per_second:,.0f}/s; "
        f"CPU {results['10,000 questions CPU seconds']:.2f} s)"
    )
    weights = results["page first-load bytes"]
    heaviest = max(weights, key=weights.get)
    print(
        f"page first load: heaviest {heaviest} {weights[heaviest] / 1000:.0f} KB; "
        f"median {statistics.median(weights.values()) / 1000:.0f} KB; search index apart "
        f"{results['search index bytes'] / 1000:.0f} KB"
    )

    def task(ms: float) -> str:  # the Long Tasks API reports only tasks of 50 ms and more
        return f"{ms:.0f} ms" if ms else "none over 50 ms"

    print(f"quiz pages, {QUIZ_LOADS} cold loads each (median, and the worst load):")
    for quiz_id, t in results["quiz pages"].items():
        print(
            f"  {quiz_id}: longest task {task(t['longest main-thread task ms'])} "
            f"(worst load: {task(t['longest task, worst load ms'])}); "
            f"load to first answer checked {t['load to first answer checked ms']:.0f} ms"
        )
    lighthouse_scores = results["lighthouse"]
    if isinstance(lighthouse_scores, str):
        print(f"lighthouse: {lighthouse_scores}")
    else:
        for path, scores in lighthouse_scores.items():
            print(f"lighthouse {path}: " + ", ".join(f"{k} {v}" for k, v in scores.items()))

    missed = []
    total = steps["total"]["median"]
    checks = [
        ("generator share of the build", steps["generator (everything before MkDocs)"]["median"] / total, "<="),
        ("make site seconds", total, "<="),
        ("10,000 questions seconds", results["10,000 questions seconds"], "<="),
        (
            "saved edit to reloaded page seconds",
            reload["median"] if isinstance(reload := results["saved edit to reloaded page seconds"], dict) else None,
            "<=",
        ),
        ("page first-load KB", max(weights.values()) / 1000, "<="),
        (
            "quiz longest main-thread task ms",
            max(t["longest main-thread task ms"] for t in results["quiz pages"].values()),
            "<=",
        ),
    ]
    for category in ("accessibility", "best-practices", "seo", "performance"):
        # A budget that could not be measured is missed, never passed.
        measured = not isinstance(lighthouse_scores, str)
        worst = min(s.get(category, 0) for s in lighthouse_scores.values()) if measured else None
        checks.append((f"lighthouse {category}", worst, ">="))
    print("\nbudget                                    measured    budget")
    for name, value, sense in checks:
        if value is None:
            print(f"{name:<42}{'not run':>10}{sense:>4}{BUDGETS[name]:>7}  MISSED")
            missed.append(name)
            continue
        ok = value <= BUDGETS[name] if sense == "<=" else value >= BUDGETS[name]
        shown = f"{value:.0%}" if name.endswith("share of the build") else f"{value:.2f}"
        limit = f"{BUDGETS[name]:.0%}" if name.endswith("share of the build") else f"{BUDGETS[name]}"
        print(f"{name:<42}{shown:>10}{sense:>4}{limit:>7}  {'ok' if ok else 'MISSED'}")
        if not ok:
            missed.append(name)
    results["missed"] = missed


if __name__ == "__main__":
    if sys.argv[1:] == ["reload"]:  # only the edit-to-reload time: python scripts/bench.py reload
        result = reload_result(edit_to_reload())
        print(f"make serve: a saved edit to {EDIT_FILE} to the reloaded page: {reload_line(result)}")
        sys.exit(
            0 if isinstance(result, dict) and result["median"] <= BUDGETS["saved edit to reloaded page seconds"] else 1
        )
    if sys.argv[1:] == ["build"]:  # only the build times and the 10,000 questions
        sys.exit(build_only())
    sys.exit(main())
