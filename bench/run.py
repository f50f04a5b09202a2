"""Measure the guide: first load, Lighthouse, offline size, build time growth, page weight
against the number of languages, returning visits on a weak signal (bench/weak_signal.py).

    python bench/run.py                 # everything; writes its sections of docs/performance.md
    python bench/run.py --no-lighthouse # skip the npm install and Lighthouse runs
    python bench/run.py --only first-load,weight   # some sections; the others stay as they are

Sections of docs/performance.md that another script wrote (e.g. bench/engines.py) are kept.

Needs Debian's Chromium (/usr/bin/chromium) for the first-load and Lighthouse
figures, and npm for Lighthouse (installed into bench/.node, ignored by git).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "site"))
sys.path.insert(0, str(ROOT / "tests"))

from helpers import CHROMIUM, CHROMIUM_ARGS, unhashed  # noqa: E402
from helpers import make_project as copy_project  # noqa: E402
from pocket_guide.build import build  # noqa: E402
from pocket_guide.precache import build_manifest, language_bytes  # noqa: E402
from pocket_guide.serve import serve_in_thread  # noqa: E402

NODE_DIR = ROOT / "bench" / ".node"
LIGHTHOUSE_VERSION = "13.5.0"
BUDGET_GZIP = 8 * 1024
BUDGET_REQUESTS = 3
SECTIONS = ("first-load", "lighthouse", "offline", "build", "weight", "weak")
OFFLINE_BUDGET = 60 * 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


# --- First load ---------------------------------------------------------------

def first_load(base: str, path: str, out: Path) -> dict:
    """One cold load in a fresh Chromium profile, counted from the network events (``out`` is the served tree)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Page.enable")
        sent, done, load = {}, {}, []
        cdp.on("Network.requestWillBeSent", lambda e: sent.setdefault(e["requestId"], (e["timestamp"], e["request"]["url"])))
        cdp.on("Network.loadingFinished", lambda e: done.setdefault(e["requestId"], e["encodedDataLength"]))
        cdp.on("Page.loadEventFired", lambda e: load.append(e["timestamp"]))
        page.goto(base + path, wait_until="load")
        page.wait_for_timeout(1500)  # let post-load requests (service worker, favicon) show up
        browser.close()
    before = {rid: url for rid, (ts, url) in sent.items() if ts <= load[0]}
    after = {rid: url for rid, (ts, url) in sent.items() if ts > load[0]}
    origin = base.split("/", 3)[:3]
    other = [url for _, url in sent.values() if url.split("/", 3)[:3] != origin and not url.startswith("data:")]

    def body(url: str) -> bytes:
        local = url[len(base):].split("?")[0]
        return ((out / local) if not local.endswith("/") and local else out / local / "index.html").read_bytes()

    later = [url for url in after.values() if url.startswith(base) and url[len(base):].split("?")[0] != "sw.js"]
    return {"page": path, "requests": len(before), "after_load": len(later),
            "raw": sum(len(body(u)) for u in before.values()), "gzip": sum(gz(body(u)) for u in before.values()),
            "after_gzip": sum(gz(body(u)) for u in later), "other_origins": len(other),
            "urls": sorted(u[len(base):] or "./" for u in before.values()),
            "later": sorted(unhashed(u[len(base):]) for u in later)}


def largest_page(out: Path) -> str:
    """The guide page (any language) whose HTML is largest gzipped: the budget's worst case."""
    pages = [p for p in out.glob("*/**/index.html")
             if (out / p.relative_to(out).parts[0] / "manifest.webmanifest").is_file()
             and "offline" not in p.relative_to(out).parts]
    worst = max(pages, key=lambda p: gz(p.read_bytes()))
    return worst.parent.relative_to(out).as_posix() + "/"


# --- Lighthouse -----------------------------------------------------------------

def lighthouse(url: str) -> dict:
    binary = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "--silent",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    out = Path(tempfile.mkdtemp()) / "report.json"
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    f"--chrome-flags={flags}"], check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(out.read_text())
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    audits = report["audits"]
    failed = sorted(k for k, a in audits.items() if a.get("score") is not None and a["score"] < 1
                    and a.get("scoreDisplayMode") in ("binary", "metricSavings"))
    return {**scores, "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
            "bytes": round(audits["total-byte-weight"]["numericValue"]), "failed": failed,
            "version": report["lighthouseVersion"]}


# --- Offline size -----------------------------------------------------------------

def offline_sizes(build_dir: Path) -> dict:
    files = {p.relative_to(build_dir).as_posix(): p.read_bytes() for p in build_dir.rglob("*") if p.is_file()}
    slugs = sorted(p.name for p in build_dir.iterdir() if (p / "manifest.webmanifest").is_file())
    manifest = build_manifest({k: v for k, v in files.items() if k != "sw.js"}, slugs)
    sizes = {}
    for slug in slugs:
        paths = language_bytes(files, manifest, slug) + ["sw.js"]
        sizes[slug] = (sum(len(files[p]) for p in paths), sum(gz(files[p]) for p in paths))
    every = {p for slug in slugs for p in language_bytes(files, manifest, slug)} | {"sw.js"}
    sizes["all"] = (sum(len(files[p]) for p in every), sum(gz(files[p]) for p in every))
    return sizes


# --- Build time growth ----------------------------------------------------------------

CHILD = """
import resource, sys, time
sys.path.insert(0, {site!r})
from pathlib import Path
started = time.perf_counter()
from pocket_guide.build import build
summary = build(Path({root!r}), Path({root!r}) / "build", "https://clinic.example/guide/")
elapsed = time.perf_counter() - started
print(elapsed, summary["pages"], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def synthetic_project(dest: Path, count: int) -> Path:
    """The real project with ``count`` languages: copies of the Spanish catalog under other codes."""
    from babel import localedata

    project = copy_project(dest)
    for folder in (project / "translations").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    source = (ROOT / "translations" / "es_419" / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    codes = [c for c in sorted(localedata.locale_identifiers()) if "_" not in c and len(c) == 2 and c != "en"]
    for code in codes[: count - 1]:
        target = project / "translations" / code / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True)
        target.write_text(source.replace('"Language: es_419\\n"', f'"Language: {code}\\n"'), "utf-8")
    return project


def build_growth(sizes: list[int], repeats: int) -> list[dict]:
    rows = []
    for count in sizes:
        best = None
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as tmp:
                project = synthetic_project(Path(tmp) / "p", count)
                out = subprocess.run([sys.executable, "-c", CHILD.format(site=str(ROOT / "site"),
                                                                          root=str(project))],
                                     capture_output=True, text=True, check=True).stdout.split()
                seconds, pages, peak_kb = float(out[0]), int(out[1]), int(out[2])
            if best is None or seconds < best["seconds"]:
                best = {"languages": count, "seconds": seconds, "pages": pages, "peak_mb": peak_kb / 1024}
        best["ms_per_page"] = 1000 * best["seconds"] / best["pages"]
        rows.append(best)
    return rows


# --- Page weight against the number of languages -----------------------------------

def page_weight(sizes: list[int]) -> list[dict]:
    """A guide page's HTML (gzip) at each number of languages, with and without its hreflang links."""
    rows = []
    for count in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = synthetic_project(Path(tmp) / "p", count)
            build(project, project / "build", "https://clinic.example/guide/")
            html = (project / "build" / "en" / "questions" / "index.html").read_bytes()
        links = b"".join(re.findall(rb'<link rel="alternate"[^>]*>\n', html))
        rows.append({"languages": count, "gzip": gz(html), "without_links": gz(html.replace(links, b"")),
                     "links": html.count(b'<link rel="alternate"')})
    return rows


# --- Report ---------------------------------------------------------------------

def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def first_load_section(loads: list[dict], languages: int) -> list[str]:
    lines = [f"## First load (cold, no service worker yet; {languages} languages)", "",
             f"Budget: at most {kb(BUDGET_GZIP)} gzip (HTML, stylesheet and script, each gzipped) and "
             f"{BUDGET_REQUESTS} requests before the load event, no request to another origin.", "",
             "| page | requests before load | raw | gzip | other origins | within budget | after the load event |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in loads:
        ok = row["gzip"] <= BUDGET_GZIP and row["requests"] <= BUDGET_REQUESTS and row["other_origins"] == 0
        lines.append(f"| `/{row['page']}` | {row['requests']} ({', '.join(row['urls'])}) | {kb(row['raw'])} | "
                     f"{kb(row['gzip'])} | {row['other_origins']} | {'yes' if ok else 'NO'} | "
                     f"{row['after_load']} files, {kb(row['after_gzip'])} gzip ({', '.join(row['later'])}) |")
    return lines + ["", "The last page listed is the largest guide page of any language (gzipped HTML). After the "
                    "load event app.js fetches the print stylesheet, tools.js (which registers the service worker; "
                    "the worker then saves the language for offline use, not counted here), read aloud where the "
                    "phone can speak and \"my questions\" on the questions page; the printed code comes when "
                    "tools.js asks for it, and the browser fetches the icon. None of these delays the page.", ""]


def lighthouse_section(light: dict) -> list[str]:
    if not light:
        return []
    lines = [f"## Lighthouse {next(iter(light.values()))['version']} (mobile preset)", "",
             "| page | performance | accessibility | best practices | SEO | LCP | total bytes | audits not passed |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for lang, r in light.items():
        lines.append(f"| `/{lang}/` | {r['performance']} | {r['accessibility']} | {r['best-practices']} | "
                     f"{r['seo']} | {r['lcp_ms']} ms | {kb(r['bytes'])} | {', '.join(r['failed']) or 'none'} |")
    return lines + ["", "Lighthouse simulates a slow 4G phone. The two insights listed do not change a score: "
                    "`document-latency-insight` notes that the local bench server sends no gzip (static hosts do), "
                    "and `render-blocking-insight` names the one stylesheet (about 2 KB gzip, cached immutably).", ""]


def offline_section(offline: dict) -> list[str]:
    lines = ["## Offline size (what the service worker saves)", "",
             f"Target: at most {kb(OFFLINE_BUDGET)} gzip per language (shared files included).", "",
             "| language | raw | gzip |", "| --- | --- | --- |"]
    for slug, (raw, zipped) in offline.items():
        lines.append(f"| {'every language' if slug == 'all' else slug} | {kb(raw)} | {kb(zipped)} |")
    return lines + [""]


def weight_section(rows: list[dict]) -> list[str]:
    lines = ["## Page weight and languages", "",
             "`/en/questions/` built with copies of the Spanish catalog under other codes: the page grows "
             "only by its hreflang links (the menu links to the chooser, not to every language).", "",
             "| languages | HTML gzip | without hreflang links | hreflang links |", "| --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| {row['languages']} | {row['gzip']} B | {row['without_links']} B | {row['links']} |")
    return lines + [""]


def merge(old: str, preamble: list[str], sections: list[str]) -> str:
    """``old`` with its sections of the same kind as ``sections`` replaced (or added at the end)."""
    def split(text: str) -> list[str]:
        return [part for part in re.split(r"(?m)^(?=## )", text) if part.startswith("## ")]

    def kind(part: str) -> str:
        return re.match(r"## ([^(\d;\n]*)", part).group(1).strip()  # "First load", "Lighthouse"...

    kept = split(old)
    for part in split("\n".join(sections) + "\n"):
        at = next((i for i, other in enumerate(kept) if kind(other) == kind(part)), None)
        if at is None:
            kept.append(part)
        else:
            kept[at] = part
    return "\n".join(preamble) + "\n" + "".join(part.rstrip("\n") + "\n\n" for part in kept).rstrip("\n") + "\n"


def growth_section(summary: dict, build_seconds: float, growth: list[dict], repeats: int) -> list[str]:
    lines = [f"## Build time ({summary['pages']} files, {len(summary['languages'])} languages: "
             f"{build_seconds:.2f} s in-process)", "",
             "Synthetic copies of the Spanish catalog under other language codes; each build runs in a fresh "
             f"process (imports included), fastest of {repeats}. Goal: under 2 s at 30 languages, linear growth.",
             "", "| languages | seconds | files | ms per file | peak memory |", "| --- | --- | --- | --- | --- |"]
    for row in growth:
        lines.append(f"| {row['languages']} | {row['seconds']:.2f} | {row['pages']} | {row['ms_per_page']:.1f} | "
                     f"{row['peak_mb']:.0f} MB |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated, of: " + ", ".join(SECTIONS))
    parser.add_argument("--sizes", default="1,10,30,100")
    parser.add_argument("--weights", default="1,10,31", help="numbers of languages for the page weight")
    parser.add_argument("--repeats", type=int, default=3, help="builds per size; the fastest counts")
    parser.add_argument("--weak-runs", type=int, default=5, help="runs per weak-signal figure; the median counts")
    parser.add_argument("--write", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    if wanted - set(SECTIONS):
        parser.error(f"unknown section {sorted(wanted - set(SECTIONS))[0]!r}: choose from {', '.join(SECTIONS)}")
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium); "
              "the first-load and Lighthouse figures need a real browser.", file=sys.stderr)
        return 2

    sections: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="pocket-bench-"))
    if wanted & {"first-load", "lighthouse", "offline", "build"}:
        project = copy_project(work / "project")
        out = project / "build"
        out.mkdir()
        server, base = serve_in_thread(out, "/")
        started = time.perf_counter()
        summary = build(project, out, base)  # the local URL as site_url, so canonical links stay same-origin
        build_seconds = time.perf_counter() - started
        if "first-load" in wanted:
            paths = ["en/", "ar/", "hi/", "en/questions/"]
            paths += [p for p in [largest_page(out)] if p not in paths]
            loads = [first_load(base, path, out) for path in paths]
            sections += first_load_section(loads, len(summary["languages"]))
        if "lighthouse" in wanted and not args.no_lighthouse:
            sections += lighthouse_section({lang: lighthouse(f"{base}{lang}/") for lang in ("en", "ar", "hi")})
        if "offline" in wanted:
            sections += offline_section(offline_sizes(out))
        server.shutdown()
        if "build" in wanted:
            growth = build_growth([int(s) for s in args.sizes.split(",")], args.repeats)
            sections += growth_section(summary, build_seconds, growth, args.repeats)
    if "weight" in wanted:
        sections += weight_section(page_weight([int(s) for s in args.weights.split(",")]))
    if "weak" in wanted:
        import weak_signal
        sections += weak_signal.section(weak_signal.measure(args.weak_runs), args.weak_runs)

    preamble = ["# Performance", "",
                f"Measured by `python bench/run.py` on {platform.machine()} ({os.cpu_count()} cores), "
                f"Python {platform.python_version()}, Debian Chromium. Gzip sizes are gzip level 6 of each file, "
                "as a static host would serve it. Rerun the command to refresh this file.", ""]
    path = Path(args.write)
    text = merge(path.read_text("utf-8") if path.exists() else "", preamble, sections)
    print(text)
    path.write_text(text, "utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
