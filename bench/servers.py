"""Per web server: time to first render in Chromium and offline success, with the shipped configs.

    python bench/servers.py [--runs 5]

For nginx, Apache and Caddy (docs/deploy/, started the way tests/servers.py starts them) and
the project's own ``serve``: a fresh Chromium profile opens ``/clinic/guide/en/`` (first
contentful paint, median of the runs), waits until the language is saved, then the server is
stopped and the guide's other pages are opened from the saved copy (offline success: how many
of the runs showed every page).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "site"))
sys.path.insert(0, str(ROOT / "tests"))

from helpers import CHROMIUM, CHROMIUM_ARGS, SITE_URL, make_project  # noqa: E402
from pocket_guide.build import build  # noqa: E402
from pocket_guide.serve import serve_in_thread  # noqa: E402
from servers import CONFIGS, launch  # noqa: E402

PREFIX = "/clinic/guide/"
PAGES = ("en/questions/", "en/about/", "en/")


def one_run(playwright, url: str, stop) -> tuple[float, bool]:
    """First contentful paint of a first visit (ms), and whether every page opened offline after it."""
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                                args=CHROMIUM_ARGS, bypass_csp=True)
        page = context.new_page()
        page.goto(url + "en/")
        page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0")
        fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
        page.wait_for_function("document.documentElement.dataset.saved === 'en'", timeout=15000)
        stop()
        offline = True
        for path in PAGES:
            try:
                page.goto(url + path)
                offline &= page.locator("h1").count() == 1 and page.evaluate("document.documentElement.lang") == "en"
            except Exception:  # a failed navigation is an offline failure, reported as such
                offline = False
        context.close()
    return fcp, offline


def measure(runs: int) -> list[tuple[str, float, int, int]]:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="pocket-guide-bench-"))
    work.chmod(0o755)  # nginx and Apache workers run as other users
    try:
        project = make_project(work / "project")
        out = work / "build"
        build(project, out, SITE_URL)
        for path in [work, *work.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        results = []
        with sync_playwright() as playwright:
            for name in ("project serve", *CONFIGS):
                fcps, ok = [], 0
                for run in range(runs):
                    if name == "project serve":
                        server, url = serve_in_thread(out, PREFIX)

                        def stop(server=server):
                            server.shutdown()
                            server.server_close()
                    else:
                        folder = work / f"{name}-{run}"
                        folder.mkdir()
                        running = launch(name, out, PREFIX, folder)
                        url, stop = running.url, running.stop
                    fcp, offline = one_run(playwright, url, stop)
                    fcps.append(fcp)
                    ok += offline
                results.append((name, statistics.median(fcps), ok, runs))
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| server | first contentful paint, first visit (median ms) | offline after one visit |")
    print("|---|---|---|")
    for name, fcp, ok, runs in measure(args.runs):
        print(f"| {name} | {fcp:.0f} | {ok}/{runs} |")


if __name__ == "__main__":
    main()
