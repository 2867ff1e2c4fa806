"""Hydra callback: after a multirun, one table ranking its runs by validation F1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import OmegaConf

from ..tables import render_table


def summarize(sweep_dir: Path) -> list[dict[str, Any]]:
    """Rows ``{run, overrides, validation micro F1, test micro F1}``, best first."""
    rows = []
    for metrics in sorted(sweep_dir.glob("*/metrics.json")):
        run = metrics.parent
        m = json.loads(metrics.read_text())
        overrides_file = run / ".hydra" / "overrides.yaml"
        overrides = " ".join(OmegaConf.load(overrides_file)) if overrides_file.exists() else ""
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
        from ..atomic import write_text

        write_text(sweep_dir / "summary.json", json.dumps(rows, indent=2))
        header = ("run", "overrides", "val micro F1", "test micro F1")
        body = [[r["run"], r["overrides"], r["validation_micro_f1"], r["test_micro_f1"]] for r in rows]
        write_text(sweep_dir / "summary.md", render_table(header, body, markdown=True, left=2) + "\n")
        print(render_table(header, body, left=2))
