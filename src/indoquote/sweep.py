"""Hydra callback: after a multirun, one table ranking its runs by validation F1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback


def summarize(sweep_dir: Path) -> list[dict[str, Any]]:
    """Rows ``{run, overrides, validation micro F1, test micro F1}``, best first."""
    rows = []
    for metrics in sorted(sweep_dir.glob("*/metrics.json")):
        run = metrics.parent
        m = json.loads(metrics.read_text())
        overrides_file = run / ".hydra" / "overrides.yaml"
        overrides = overrides_file.read_text().replace("\n- ", " ").strip("- \n") if overrides_file.exists() else ""
        rows.append(
            {
                "run": run.name,
                "overrides": overrides,
                "validation_micro_f1": m.get("validation", {}).get("micro_f1"),
                "test_micro_f1": m.get("test", {}).get("micro_f1"),
            }
        )
    rows.sort(key=lambda r: -(r["validation_micro_f1"] or -1))
    return rows


class SweepSummary(Callback):
    def on_multirun_end(self, config, **kwargs) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        rows = summarize(sweep_dir)
        (sweep_dir / "summary.json").write_text(json.dumps(rows, indent=2))
        lines = ["| run | overrides | val micro F1 | test micro F1 |", "|---|---|---|---|"]
        lines += [f"| {r['run']} | {r['overrides']} | {r['validation_micro_f1']} | {r['test_micro_f1']} |" for r in rows]
        (sweep_dir / "summary.md").write_text("\n".join(lines) + "\n")
        print("\n".join(lines))
