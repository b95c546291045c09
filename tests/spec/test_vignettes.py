"""Spec: the engine on the shared development vignettes, through the real CLI.

These cases are for testing, never tuning: the knowledge base was written from
clinical sources without reading them. The thresholds are the issue's floor.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from legpain.cli.app import app

TOP3_FLOOR = 0.90


def test_evaluate_vignettes_meets_the_floor(shared: Path) -> None:
    run = CliRunner().invoke(app, ["evaluate", "--json", str(shared / "vignettes")])
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    assert report["n"] >= 40
    assert report["top3"] >= TOP3_FLOOR, report["misses"]
    assert report["serious_under_triaged"] == [], "an emergency or urgent case was triaged too low"
    assert 0.0 <= report["brier"] <= 2.0


def test_every_vignette_passes_the_shared_checker(shared: Path) -> None:
    """Our case loader accepts exactly what the spec's own checker accepts."""
    from legpain.cases import load_cases

    cases = load_cases(shared / "vignettes")
    assert len({c.id for c in cases}) == len(cases)
    assert all(c.expected is not None for c in cases)
