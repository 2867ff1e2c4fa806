"""Drive a running Label Studio through ``label-studio-sdk``: project, tasks, accepted predictions, JSON export.

Run with the Python of Label Studio's own environment (``.venv-ls/bin/python``; its pins clash with
ours), by ``tests/annotate/test_label_studio.py``:

    python ls_driver.py URL TOKEN label_config.xml tasks.json export.json

Creates a project with the labelling config, imports the tasks (with their predictions), "annotates"
each task by submitting its prediction's result unchanged as an annotation, and writes the project's
JSON export. Prints one JSON line of counts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(url: str, token: str, config: str, tasks: str, out: str) -> int:
    from label_studio_sdk import LabelStudio

    ls = LabelStudio(base_url=url, api_key=token)
    project = ls.projects.create(title="indoquote round trip", label_config=Path(config).read_text(encoding="utf-8"))
    items = json.loads(Path(tasks).read_text(encoding="utf-8"))
    ls.projects.import_tasks(project.id, request=items, commit_to_project=True)
    accepted = 0
    for prediction in ls.predictions.list(project=project.id):
        ls.annotations.create(id=prediction.task, result=prediction.result, was_cancelled=False,
                              parent_prediction=prediction.id)
        accepted += 1
    export = ls.projects.exports.as_json(project.id, timeout=240)
    Path(out).write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({"project": project.id, "tasks": len(items), "accepted": accepted, "exported": len(export)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
