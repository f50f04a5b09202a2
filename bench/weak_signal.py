"""First paint of a guide page from the service worker, three versions of static/sw.js side by side:
network first (up to 3 s), saved first (the saved copy at once, checked in the background), and
the working tree's (saved first, answered before anything else, the check after the page has
loaded, hashed files by a static route).

    python bench/weak_signal.py              # 5 runs per figure; prints a Markdown table
    python bench/weak_signal.py --runs 9

bench/run.py calls ``measure`` and writes the tables into docs/performance.md. Three builds of the
same project differ only in static/sw.js (the file at each commit of APPROACHES, or the working
tree's). Scenarios, on en/questions/ at 360x740 in Debian's Chromium:

- first visit: a new profile, nothing saved (the page comes from the network either way);
- returning, online: the language was saved on an earlier visit; the worker was stopped meanwhile
  (as a phone stops an idle one), so its start-up is counted;
- returning, weak signal: the same, with Chromium's network emulation (CDP
  Network.emulateNetworkConditions: 2000 ms latency, 6250 bytes/s down and up = 50 kbit/s),
  applied to the page and to the service worker, whose fetches are the ones that wait;
- returning, weak signal, worker running: the same, the worker not stopped (a visit soon after);
- returning, offline: the same with the server gone.

Figures are Chromium's own first-paint and first-contentful-paint, in ms from the start of the
navigation (service worker start-up included); medians over the runs. For the returning visits on
the weak signal, Navigation and Resource Timing split the time: the worker's start (fetchStart -
workerStart of the page), the page's answer (responseStart - fetchStart), and the stylesheet
(responseEnd - fetchStart, through the worker or a static route).
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "site"))
sys.path.insert(0, str(ROOT / "tests"))

from helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from helpers import make_project as copy_project  # noqa: E402
from pocket_guide.build import build  # noqa: E402
from pocket_guide.serve import serve_in_thread  # noqa: E402

SITE_URL = "https://clinic.example/pocket/guide/"
#: Each approach's static/sw.js: the file at a commit, or (None) the working tree's.
APPROACHES = {
    "network first": "5a4b57f35fdf020260f1f54e3d772b3d7a036d1d",  # the page from the network, 3 s at most
    "saved first": "3dc4bc880c30ac7f0801b9bf9807d0f7a7f57d0f",  # the saved page at once, then the check
    "now": None,
}
PAGE = "en/questions/"
WEAK = {"offline": False, "latency": 2000, "downloadThroughput": 6250, "uploadThroughput": 6250}
SCENARIOS = ("first visit", "returning, online", "returning, weak signal", "returning, weak signal, worker running",
             "returning, offline")
PAINTS = """() => new Promise((resolve) => {
  const read = () => {
    const entry = (name) => (performance.getEntriesByName(name)[0] || {}).startTime;
    if (entry('first-contentful-paint') === undefined) return setTimeout(read, 20);
    const page = performance.getEntriesByType('navigation')[0];
    const css = performance.getEntriesByType('resource').find((r) => /\\/guide\\.[0-9a-f]+\\.css$/.test(r.name));
    resolve({ paint: entry('first-paint'), contentful: entry('first-contentful-paint'),
              heading: document.querySelector('h1').textContent,
              workerStart: page.workerStart ? page.fetchStart - page.workerStart : null,
              answer: page.responseStart - page.fetchStart,
              stylesheet: css ? css.responseEnd - css.fetchStart : null });
  };
  read();
})"""
FIGURES = ("paint", "contentful", "workerStart", "answer", "stylesheet")


def service_worker(commit: str | None) -> str:
    if commit is None:
        return (ROOT / "static" / "sw.js").read_text("utf-8")
    return subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:static/sw.js"], check=True,
                          capture_output=True, text=True).stdout


def build_trees(work: Path) -> dict[str, Path]:
    """One build per approach, identical but for sw.js."""
    trees = {}
    for number, (name, commit) in enumerate(APPROACHES.items()):
        project = copy_project(work / str(number))
        (project / "static" / "sw.js").write_text(service_worker(commit), "utf-8")
        build(project, project / "build", SITE_URL)
        trees[name] = project / "build"
    return trees


class Throttle:
    """Chromium's network emulation on every target of the browser: pages and service workers.

    Service workers are reached through the browser session (Target.sendMessageToTarget), since
    Playwright opens CDP sessions on pages only, and emulation on a page leaves its worker's own
    fetches alone.
    """

    def __init__(self, browser):
        self.session = browser.new_browser_cdp_session()
        self.attached: dict[str, str] = {}

    def apply(self, conditions: dict) -> None:
        for target in self.session.send("Target.getTargets")["targetInfos"]:
            if target["type"] not in ("page", "service_worker"):
                continue
            session = self.attached.get(target["targetId"])
            if session is None:
                session = self.session.send("Target.attachToTarget",
                                            {"targetId": target["targetId"], "flatten": False})["sessionId"]
                self.attached[target["targetId"]] = session
            for number, (method, params) in enumerate((("Network.enable", {}),
                                                       ("Network.emulateNetworkConditions", conditions)), 1):
                message = json.dumps({"id": number, "method": method, "params": params})
                self.session.send("Target.sendMessageToTarget", {"sessionId": session, "message": message})

    def close(self) -> None:
        self.session.detach()


def returning_visit(playwright, base: str, scenario: str, server) -> dict:
    """Save the language on a first visit, stop the worker, then open the page again."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(base + PAGE)
    page.wait_for_function("document.documentElement.dataset.saved === 'en'", timeout=30000)
    page.close()
    if "running" not in scenario:
        cdp = context.new_cdp_session(context.new_page())
        cdp.send("ServiceWorker.enable")
        cdp.send("ServiceWorker.stopAllWorkers")
    if scenario == "returning, offline":
        server.shutdown()
        server.server_close()
    page = context.new_page()
    throttle = Throttle(browser)
    weak = scenario.startswith("returning, weak signal")
    if weak:
        throttle.apply(WEAK)
    page.goto(base + PAGE, wait_until="commit", timeout=60000)
    if weak:
        throttle.apply(WEAK)  # a worker started for this navigation
    figures = page.evaluate(PAINTS)
    assert figures["heading"], "the page was shown"
    throttle.close()
    browser.close()
    return figures


def first_visit(playwright, base: str) -> dict:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(base + PAGE)
    figures = page.evaluate(PAINTS)
    browser.close()
    return figures


def median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def measure(runs: int = 5) -> dict[str, dict[str, dict[str, float | None]]]:
    """{scenario: {approach: {figure: median in ms (None where it does not apply)}}}, figures as in FIGURES."""
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="pocket-weak-"))
    try:
        trees = build_trees(work)
        samples: dict[str, dict[str, list[dict]]] = {s: {name: [] for name in trees} for s in SCENARIOS}
        with sync_playwright() as playwright:
            for _ in range(runs):
                for name, tree in trees.items():  # alternate, so a busy moment hits both alike
                    for scenario in SCENARIOS:
                        server, base = serve_in_thread(tree, "/pocket/guide/")  # a new origin each time
                        try:
                            if scenario == "first visit":
                                sample = first_visit(playwright, base)
                            else:
                                sample = returning_visit(playwright, base, scenario, server)
                        finally:
                            server.shutdown()
                            server.server_close()
                        samples[scenario][name].append(sample)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {scenario: {name: {figure: median([s[figure] for s in values]) for figure in FIGURES}
                       for name, values in by_name.items()} for scenario, by_name in samples.items()}


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def section(figures: dict, runs: int) -> list[str]:
    names = list(APPROACHES)
    commits = ", ".join(f"{name}: `static/sw.js` at {commit[:7]}" for name, commit in APPROACHES.items() if commit)
    lines = ["## Returning visits on a weak signal (service worker)", "",
             f"Measured by `python bench/weak_signal.py --runs {runs}` (also part of `python bench/run.py`): "
             f"`/{PAGE}` at 360x740, first paint / first contentful paint in ms from the start of the "
             f"navigation, median of {runs} runs. Network first: pages from the network, the saved copy after "
             "3 s at the latest. Saved first: a saved page at once, fetched again in the background (new text "
             "shows on the next load, and the page says a newer version is there). Now: the same, but the "
             "page is answered from this build's cache first, everything else the visit sets off (the check, "
             "saving the language) waits until the page has loaded (it tells the worker), and the hashed "
             "files under `static/` come from a static route (Chromium 123+), "
             f"without the worker ({commits}; now: the working tree). Weak signal: Chromium's network "
             "emulation, 2000 ms latency and 50 kbit/s (6250 bytes/s) each way, on the page and the service "
             "worker. Returning visits start a stopped worker (counted), except where the worker is running.", "",
             "| scenario | " + " | ".join(f"{name}: first paint | {name}: FCP" for name in names) + " |",
             "| --- |" + " --- | --- |" * len(names)]
    for scenario, by_name in figures.items():
        lines.append(f"| {scenario} | " + " | ".join(f"{ms(by_name[name]['paint'])} | {ms(by_name[name]['contentful'])}"
                                                  for name in names) + " |")
    lines += ["", "Where the time goes on the weak signal (medians, ms): the worker's start (page fetchStart - "
              "workerStart), the page's answer (responseStart - fetchStart), the stylesheet (responseEnd - "
              "fetchStart; from the worker, or now from the static route).", "",
              "| scenario | approach | worker start | page answer | stylesheet | first paint |",
              "| --- | --- | --- | --- | --- | --- |"]
    for scenario in ("returning, weak signal", "returning, weak signal, worker running"):
        for name in names:
            row = figures[scenario][name]
            lines.append(f"| {scenario} | {name} | {ms(row['workerStart'])} | {ms(row['answer'])} | "
                         f"{ms(row['stylesheet'])} | {ms(row['paint'])} |")
    return lines + ["", "Target: a saved page paints within 100 ms on the weak signal, with the worker stopped.", ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium package.", file=sys.stderr)
        return 2
    print("\n".join(section(measure(args.runs), args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
