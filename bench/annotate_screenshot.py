"""The screenshot of docs/annotate.md: a pre-annotated task in Label Studio, in headless Chromium.

    .venv-ls/bin/python bench/annotate_screenshot.py TASKS.json --article ID -o docs/annotate-task.png

Run with Label Studio's own Python (``.venv-ls``, with ``playwright`` installed there; no browser
download: Debian's ``chromium`` is used). Starts a Label Studio server on loopback in a temporary
folder, creates a project with the ``label_config.xml`` beside TASKS.json (written by
``indoquote annotate export``), imports the tasks, logs in, opens the task of article ID and saves
the page as a PNG. The server is stopped after.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _studio():
    spec = importlib.util.spec_from_file_location("studio", ROOT / "tests" / "annotate" / "studio.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["studio"] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tasks", type=Path)
    ap.add_argument("--article", required=True, help="id of the article whose task is shown")
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=1000)
    args = ap.parse_args(argv)
    from label_studio_sdk import LabelStudio
    from playwright.sync_api import sync_playwright

    studio = _studio()
    binary = studio.server_binary() or Path(sys.executable).with_name("label-studio")
    tasks = json.loads(args.tasks.read_text(encoding="utf-8"))
    password = secrets.token_hex(8)
    with tempfile.TemporaryDirectory() as tmp, studio.label_studio(binary, Path(tmp), password=password) as ls:
        client = LabelStudio(base_url=ls.url, api_key=ls.token)
        config = (args.tasks.parent / "label_config.xml").read_text(encoding="utf-8")
        project = client.projects.create(title="indoquote: who said what", label_config=config)
        client.projects.import_tasks(project.id, request=tasks, commit_to_project=True)
        task = next(t for t in client.tasks.list(project=project.id) if t.data.get("id") == args.article)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(f"{ls.url}/user/login/")
            page.fill("input[name=email]", ls.username)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{ls.url}/projects/{project.id}/data?tab=0&task={task.id}")
            page.wait_for_selector("text=Quotation", timeout=60_000)
            page.wait_for_timeout(3000)
            args.output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.output))
            browser.close()
    print(f"screenshot of task {task.id} ({args.article}) written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
