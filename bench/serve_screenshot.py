"""The web page of ``indoquote serve`` with the seed article, as a PNG (docs/serve-page.png) and its records listed.

    python bench/serve_screenshot.py --model DIR [--out docs/serve-page.png] [--kinds direct] [--width 1280]

Starts the server on a free loopback port, opens ``/`` in Debian's headless
Chromium (Playwright, no browser download), pastes the seed article, asks for
``--kinds``, waits for the records and saves a full-page screenshot. Prints
what the table lists (number, speaker, role, affiliation, confidence, quotation).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "seeds" / "antara-nato-russia-2021.txt"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--out", default=str(ROOT / "docs" / "serve-page.png"))
    p.add_argument("--kinds", default="direct", help="direct, indirect or direct,indirect (the page's checkboxes)")
    p.add_argument("--width", type=int, default=1280)
    args = p.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from indoquote.serve.ready import free_port, wait_ready

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise SystemExit("no chromium on PATH (apt-get install -y chromium)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "indoquote", "serve", "--model", args.model, "--port", str(port),
                             "--log-level", "warning"])
    try:
        wait_ready(url, 600, proc)
        kinds = set(args.kinds.split(","))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": args.width, "height": 900})
            page.goto(url + "/")
            page.fill("#text", SEED.read_text(encoding="utf-8"))
            page.set_checked("#kind-direct", "direct" in kinds)
            page.set_checked("#kind-indirect", "indirect" in kinds)
            page.click("#run")
            page.wait_for_selector("#result:not([hidden])")
            rows = page.eval_on_selector_all("#who tbody tr", "els => els.map(e => [...e.cells].map(c => c.innerText))")
            page.screenshot(path=args.out, full_page=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(60)
    for row in rows:
        print(" | ".join(cell.replace("\n", " ") for cell in row))
    print(f"{len(rows)} quotation(s); screenshot: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
