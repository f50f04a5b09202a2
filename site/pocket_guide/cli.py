"""Command line: ``python -m pocket_guide COMMAND`` (and ``freeze.py``).

Bad input prints one ``path:line: problem - fix`` line and exits 1; no
tracebacks for mistakes a person can fix.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .errors import GuideError
from .files import display_path

POT = Path("translations") / "messages.pot"


def output_folder(args) -> Path:
    root = Path(args.root).resolve()
    return Path(args.out) if Path(args.out).is_absolute() else root / args.out


def cmd_build(args) -> int:
    from .build import build

    root = Path(args.root).resolve()
    started = time.perf_counter()
    summary = build(root, output_folder(args), args.site_url)
    for line in summary["warnings"]:
        print(line, file=sys.stderr)
    print(f"built {summary['pages']} files in {len(summary['languages'])} languages "
          f"({', '.join(summary['languages'])}) into {summary['out']} in {time.perf_counter() - started:.2f} s")
    return 0


def cmd_serve(args) -> int:
    """Serve the existing build as it is; build first only when asked or when there is none.

    A rebuild keeps the public address the previous build was given with
    ``--site-url`` (its QR codes and sitemap), unless another is passed.
    """
    from urllib.parse import urlsplit

    from .output import is_build, stamp_record
    from .serve import make_server

    out = output_folder(args)
    previous = stamp_record(out) if is_build(out) else None
    if previous is None or args.rebuild or args.site_url is not None:
        if args.site_url is None and previous and previous["site_url_given"]:
            args.site_url = previous["site_url"]
            print(f"rebuilding {out} for {args.site_url} (the address it was built for)")
        cmd_build(args)
    else:
        print(f"serving the existing build in {out} as it is (pass --rebuild to build it again first)")
    site_url = stamp_record(out)["site_url"]
    prefix = urlsplit(site_url).path if site_url else "/"
    try:
        server = make_server(out, port=args.port, prefix=prefix)
    except OSError as exc:
        raise GuideError(f"127.0.0.1:{args.port}", None, f"cannot serve there ({exc.strerror})",
                         f"stop the other server or pass --port {args.port + 1}") from None
    address = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    built_for = f", built for {site_url}" if site_url else ""
    print(f"Serving the guide at {address}{built_for} (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_preview(args) -> int:
    """Serve from the sources; editing a .po, page or template reloads."""
    from . import create_app

    root = Path(args.root).resolve()
    watch = [str(p) for pattern in ("translations/*/LC_MESSAGES/*.po", "translations/*/review*",
                                    "translations/*/glossary.csv", "content/**/*.md", "static/*", "site.toml")
             for p in root.glob(pattern)]
    try:
        app = create_app({"ROOT": root})
    except GuideError as error:  # keep serving: show the mistake until the next save fixes it
        print(error, file=sys.stderr)
        app = error_app(str(error))
    print(f"Preview at http://127.0.0.1:{args.port}/ - save a .po or page and reload the browser", flush=True)
    app.run(host="127.0.0.1", port=args.port, debug=False, use_reloader=True, extra_files=watch)
    return 0


def error_app(message: str):
    """A stand-in app for the preview that answers every address with the error."""
    from flask import Flask, Response

    app = Flask("pocket_guide_preview_error")

    @app.route("/", defaults={"path": ""})
    @app.route("/<path:path>")
    def show_error(path):
        return Response(f"The guide cannot be built:\n\n{message}\n\nSave the fix and reload this page.\n",
                        status=500, mimetype="text/plain")

    return app


def cmd_extract(args) -> int:
    """pybabel extract, then pybabel update for every catalog."""
    from babel.messages.frontend import CommandLineInterface

    from .catalogs import catalog_paths

    root = Path(args.root).resolve()
    cli = CommandLineInterface()
    previous = os.getcwd()
    os.chdir(root)  # so references read content/index.md:12, not absolute paths
    try:
        cli.run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-o", str(POT), "-c", "Translators:",
                 "--sort-by-file", "--project", "Pocket guide", "--version", "1",
                 "--msgid-bugs-address", "", "--copyright-holder", "", "."])
        if catalog_paths(root / "translations"):
            cli.run(["pybabel", "-q", "update", "-i", str(POT), "-d", "translations"])
    finally:
        os.chdir(previous)
    print(f"wrote {POT} and updated {len(catalog_paths(root / 'translations'))} catalogs")
    return 0


def checked(root: Path):
    """Load the project as the build does: (guide, catalog reports). Raises for config and content."""
    from . import load_guide

    return load_guide({"ROOT": root})


def cmd_check(args) -> int:
    """The build's own validation: whatever the build refuses, this reports first."""
    _, reports = checked(Path(args.root).resolve())
    failed = False
    for report in reports:
        for warning in report.warnings:
            print(warning)
        for error in report.errors:
            print(error)
            failed = True
        if report.catalog is None:
            print(f"{report.code}: error, catalog unreadable")
            continue
        state = "error" if report.errors else "ok"
        print(f"{report.code}: {state}, {report.percent:.1f}% translated, {report.fuzzy} fuzzy, "
              f"{report.untranslated} untranslated")
    return 1 if failed else 0


def review_cell(language) -> str:
    """The state of a language's medical review, for the status table."""
    review, state = language.review, language.review_state
    if state == "current":
        return f"reviewed (current): {review.signed}, {review.reviewed_on}"
    if state == "changed":
        count = len(language.changed)
        return (f"changed since review: {count} string{'s' if count != 1 else ''} "
                f"({review.signed}, {review.reviewed_on})")
    return "not reviewed"


def cmd_status(args) -> int:
    guide, reports = checked(Path(args.root).resolve())
    rows = [("language", "translated", "fuzzy", "untranslated", "medical review")]
    changed = []
    for report in reports:
        language = next((lang for lang in guide.languages if lang.code == report.code), None)
        if report.catalog is None or language is None:
            rows.append((report.code, "error", "-", "-", "-"))
            continue
        rows.append((f"{report.code} ({language.english_name})", f"{report.percent:.1f}%",
                     str(report.fuzzy), str(report.untranslated), review_cell(language)))
        changed += [f"{report.path}:{change.lineno}: {' '.join(change.msgid.split())[:60]}"
                    for change in language.changed]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if args.changes and changed:
        print("\nchanged since the medical review:")
        print("\n".join(changed))
    return 0


def one_catalog(root: Path, code: str):
    """(guide, report, language, folder) for one catalog, checked as the build checks it; any error raises."""
    from . import paths
    from .languages import make_language, normal
    from .reviews import load_review

    guide, reports = checked(root)
    translations = paths({"ROOT": root})["TRANSLATIONS_DIR"]
    report = next((r for r in reports if normal(r.code) == normal(code)), None)
    if report is None:
        raise GuideError(display_path(translations, root), None, f"there is no catalog for {code!r}",
                         "use one of: " + ", ".join(r.code for r in reports))
    if report.errors:
        raise report.errors[0]
    folder = translations / report.code
    return guide, report, make_language(report.code, report.catalog, load_review(folder, root)), folder


def cmd_review_sheet(args) -> int:
    """Write the one-file review sheet a medical reviewer prints, ticks and signs."""
    from .review_sheet import render, write

    root = Path(args.root).resolve()
    guide, report, language, _ = one_catalog(root, args.lang)
    out = Path(args.out or f"review-{report.code}.html").absolute()
    sheet = render(guide.site, report, language)
    write(out, sheet.html)
    print(f"wrote {out}: {sheet.rows} strings of {language.english_name}, fingerprint {sheet.fingerprint}")
    return 0


def cmd_review_record(args) -> int:
    """Record a medical review of the catalog as it is now (review.toml and review-strings.txt)."""
    import datetime as dt
    import unicodedata

    from .reviews import fingerprint, write_review

    root = Path(args.root).resolve()
    for flag, value in (("--by", args.by), ("--role", args.role)):
        if not value.strip() or any(unicodedata.category(ch).startswith("C") for ch in value):
            raise GuideError(flag, None, f"{value!r} is empty or has control characters", "give the name as text")
    try:
        day = dt.date.fromisoformat(args.on) if args.on else dt.date.today()
    except ValueError:
        raise GuideError("--on", None, f"{args.on!r} is not a date", "write it like --on 2026-11-30") from None
    if day > dt.date.today():
        raise GuideError("--on", None, f"{day.isoformat()} is in the future", "give the day the review was done")
    _, report, language, folder = one_catalog(root, args.lang)
    now = fingerprint(report.catalog)
    if args.fingerprint and args.fingerprint != now:
        raise GuideError(display_path(folder / "LC_MESSAGES" / "messages.po", root), None,
                         f"changed since the review sheet was made (the sheet covers {args.fingerprint}, "
                         f"the catalog is now {now})",
                         "make a new sheet with review-sheet and review the strings marked changed")
    review = write_review(folder, report.catalog, args.by.strip(), args.role.strip(), day)
    print(f"wrote {display_path(folder / 'review.toml', root)}: {language.english_name} reviewed by {review.signed} "
          f"on {day.isoformat()}, {now}")
    return 0


def cmd_compile(args) -> int:
    """Write .mo files beside the catalogs, for gettext tools (the build itself never reads them)."""
    from .catalogs import catalog_paths, compile_catalog

    root = Path(args.root).resolve()
    _, reports = checked(root)
    for report in reports:
        if report.errors:
            raise report.errors[0]
    paths = catalog_paths(root / "translations")
    for report in reports:
        compile_catalog(report, paths[report.code])
    print(f"compiled {len(reports)} catalogs")
    return 0


def cmd_config_docs(args) -> int:
    """Print docs/config.md, the reference of every site.toml setting, from the checks themselves."""
    from .config import config_docs

    sys.stdout.write(config_docs())
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="pocket-guide", description="Build and translate the pocket guide.")
    main.add_argument("--root", default=".", help="project folder (default: the current one)")
    sub = main.add_subparsers(dest="command", required=True)
    for name, func, text in (("build", cmd_build, "freeze the guide into build/"),
                             ("serve", cmd_serve, "serve build/ as it is at http://127.0.0.1:8000/ "
                                                  "(building it first if there is none, or with --rebuild)")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--out", default="build", help="output folder (default: build)")
        p.add_argument("--site-url", default=None, help="public URL, overrides site.toml")
        p.set_defaults(func=func, port=8000)
        if name == "serve":
            p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port)")
            p.add_argument("--rebuild", action="store_true",
                           help="build first (keeping the --site-url the previous build was given)")
    p = sub.add_parser("preview", help="serve from the sources; .po edits show on reload")
    p.add_argument("--port", type=int, default=5000)
    p.set_defaults(func=cmd_preview)
    for name, func, text in (("extract", cmd_extract, "extract messages to the .pot and update every .po"),
                             ("check", cmd_check, "check every catalog; exit 1 on errors"),
                             ("compile", cmd_compile, "check and compile every catalog to .mo"),
                             ("config-docs", cmd_config_docs, "print the reference of every site.toml setting "
                                                              "(docs/config.md)")):
        sub.add_parser(name, help=text).set_defaults(func=func)
    p = sub.add_parser("status", help="completeness and medical review state per language")
    p.add_argument("--changes", action="store_true", help="list the strings changed since each review")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("review-sheet", help="write one printable HTML file for a medical reviewer")
    p.add_argument("lang", help="language code, like es_419")
    p.add_argument("--out", default=None, help="file to write (default: review-LANG.html in the current folder)")
    p.set_defaults(func=cmd_review_sheet)
    p = sub.add_parser("review-record", aliases=["sign-off"],
                       help="record a medical review of a catalog as it is now (review.toml)")
    p.add_argument("lang", help="language code, like es_419")
    p.add_argument("--by", required=True, help='the reviewer\'s name, like "Dr. Ana Pérez"')
    p.add_argument("--role", required=True, help='their role, like "medical translator"')
    p.add_argument("--on", default=None, help="the day of the review, like 2026-11-30 (default: today)")
    p.add_argument("--fingerprint", default=None,
                   help="the fingerprint printed on the signed sheet: refused if the catalog changed since")
    p.set_defaults(func=cmd_review_record)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except GuideError as error:
        print(error, file=sys.stderr)
        return 1
