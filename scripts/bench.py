"""Time each build step from a clean state, several runs, and report median and spread.

Run with `make bench`. Steps: content load and validation, page rendering, the MkDocs build.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import write_tree  # noqa: E402
from generator.content import load_content  # noqa: E402
from generator.pages import render_site  # noqa: E402

RUNS = 3


def one_run(scratch: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    shutil.rmtree(scratch, ignore_errors=True)
    start = time.perf_counter()
    content = load_content(ROOT / "content")
    times["load + validate"] = time.perf_counter() - start
    mark = time.perf_counter()
    write_tree(ROOT / "build", render_site(content))
    times["render pages"] = time.perf_counter() - mark
    mark = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(scratch)],
        cwd=ROOT,
        check=True,
    )
    times["mkdocs build"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    return times


def main() -> int:
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(RUNS):
            shutil.rmtree(ROOT / "build", ignore_errors=True)
            runs.append(one_run(Path(tmp) / "site"))
    print(f"{'step':<18}{'median s':>10}{'min s':>9}{'max s':>9}   ({RUNS} clean builds)")
    report = {}
    for step in runs[0]:
        values = [r[step] for r in runs]
        report[step] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
        print(f"{step:<18}{report[step]['median']:>10.3f}{min(values):>9.3f}{max(values):>9.3f}")
    generator_share = (report["load + validate"]["median"] + report["render pages"]["median"]) / report["total"][
        "median"
    ]
    print(f"generator share of the total: {generator_share:.0%}")
    out = ROOT / "bench" / "results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"runs": RUNS, "steps": report}, indent=2) + "\n", encoding="utf-8")
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
