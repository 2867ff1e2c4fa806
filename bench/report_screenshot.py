"""The picture of a report (docs/report-real.png): ``report.html`` in headless Chromium, some sections only.

    indoquote report quotes/ -o report-top8/ --top 8 --title "..."
    python bench/report_screenshot.py report-top8/report.html -o docs/report-real.png

Opens the page in Debian's Chromium (Playwright, no browser download) ``--width``
CSS pixels wide, scaled to a picture ``--pixels`` wide, hides the sections not named in ``--sections`` (matched on the start of
their titles) and saves a full-page screenshot. The page carries no script, so the
sections are hidden from here.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

SECTIONS = (
    "Most quoted speakers",
    "Roles of the speakers",
    "Quotations per outlet",
    "Quotations repeated across articles",
    "Outlets sharing quotations",
    "Whose quotations travel between outlets",
    "Name forms merged into one person",
)
HIDE = """(keep) => {
  for (const s of document.querySelectorAll('main > section')) {
    const title = (s.querySelector('h2') || {}).textContent || '';
    if (!keep.some(k => title.startsWith(k))) s.style.display = 'none';
  }
}"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("html", type=Path, help="a report.html of indoquote report")
    p.add_argument("-o", "--out", type=Path, required=True, help="the PNG to write")
    p.add_argument("--width", type=int, default=1200, help="the page width in CSS pixels")
    p.add_argument("--pixels", type=int, default=880, help="the picture's width in pixels (the page is scaled)")
    p.add_argument("--sections", default="|".join(SECTIONS), help="titles of the sections kept, separated by |")
    args = p.parse_args(argv)
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise SystemExit("no chromium on PATH (apt-get install -y chromium)")
    if not args.html.is_file():
        raise SystemExit(f"{args.html}: no such file")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": args.width, "height": 900},
                                device_scale_factor=args.pixels / args.width)
        page.goto(args.html.resolve().as_uri())
        page.evaluate(HIDE, args.sections.split("|"))
        page.screenshot(path=str(args.out), full_page=True)
        browser.close()
    print(f"{args.html} -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
