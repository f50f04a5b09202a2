"""Time to first render and offline success in WebKit (WebKitGTK) and Firefox ESR.

    python bench/engines.py            # 5 runs per engine, both engines
    python bench/engines.py --runs 10 --engine firefox

Each run is a first visit on a new origin (a new port: no service worker, no
cache) to en/ at 390x800, then, with the server stopped, a visit to
en/questions/ served by the service worker. Figures are the browser's own:
first-contentful-paint and the load event from performance entries, in ms from
the start of the navigation; medians over the runs. Drives the browsers through
tests/engines.py (Xvfb + WebKitWebDriver + MiniBrowser; Firefox over BiDi).
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "site"))
sys.path.insert(0, str(ROOT / "tests"))

from engines import ENGINES, launch  # noqa: E402
from helpers import make_project as copy_project  # noqa: E402
from pocket_guide.build import build  # noqa: E402
from pocket_guide.serve import serve_in_thread  # noqa: E402

SITE_URL = "https://clinic.example/pocket/guide/"
TIMINGS = """[
  (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime ?? null,
  performance.getEntriesByType('navigation')[0].loadEventEnd,
  document.querySelector('h1').textContent.trim()
]"""


def one_run(engine, out: Path, expected: str) -> dict:
    server, url = serve_in_thread(out, "/clinic/guide/")
    try:
        engine.goto(url + "en/")
        first_paint, load, _ = engine.evaluate(TIMINGS)
        engine.wait_for("document.documentElement.dataset.saved === 'en'", timeout=30)
        saved = engine.evaluate("performance.now()")
    finally:
        server.shutdown()
        server.server_close()
    engine.goto(url + "en/questions/")
    offline_paint, offline_load, heading = engine.evaluate(TIMINGS)
    return {"first_paint": first_paint, "load": load, "saved": saved,
            "offline_paint": offline_paint, "offline_load": offline_load, "offline_ok": heading == expected}


def median(values) -> str:
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):.0f}" if values else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engine", choices=ENGINES, action="append", help="default: both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        out = project / "build"
        build(project, out, SITE_URL)
        expected = re.search(r"<h1>(.*?)</h1>", (out / "en" / "questions" / "index.html").read_text()).group(1)
        print("| engine | first paint (ms) | load (ms) | saved for offline (ms) "
              "| offline first paint (ms) | offline load (ms) | offline success |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for name in args.engine or ENGINES:
            with launch(name, Path(tmp) / name) as engine:
                engine.set_viewport(390, 800)
                runs = [one_run(engine, out, expected) for _ in range(args.runs)]
            ok = sum(run["offline_ok"] for run in runs)
            print(f"| {name} | {median(r['first_paint'] for r in runs)} | {median(r['load'] for r in runs)} "
                  f"| {median(r['saved'] for r in runs)} | {median(r['offline_paint'] for r in runs)} "
                  f"| {median(r['offline_load'] for r in runs)} | {ok}/{len(runs)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
