"""``legpain simulate`` on the shared development vignettes: the interview's targets.

Each vignette is played as the person it describes (anything it does not
mention is "don't know"). The issue's bar: median questions at most 10 (a
grouped question counts as one, the warning screens and age/sex included),
top-3 no more than 3 points below the engine given every answer, and no
emergency or urgent case triaged lower.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpain.cli.app import app

pytestmark = pytest.mark.spec


@pytest.fixture(scope="module")
def simulation(
    shared: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], Path]:
    plot = tmp_path_factory.mktemp("plot") / "curve.png"
    run = CliRunner().invoke(
        app, ["simulate", "--json", "--plot", str(plot), str(shared / "vignettes")]
    )
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout), plot


def test_median_questions_at_most_ten(simulation: tuple[dict[str, Any], Path]) -> None:
    report, _ = simulation
    assert report["questions_median"] <= 10
    assert report["questions_max"] <= 30


def test_top3_within_three_points_of_every_answer(simulation: tuple[dict[str, Any], Path]) -> None:
    report, _ = simulation
    assert report["top3"] >= report["all_answers"]["top3"] - 0.03


def test_no_emergency_or_urgent_case_is_triaged_lower(
    simulation: tuple[dict[str, Any], Path],
) -> None:
    report, _ = simulation
    assert report["serious_under_triaged"] == []


def test_every_case_is_reported_with_its_questions(simulation: tuple[dict[str, Any], Path]) -> None:
    report, _ = simulation
    assert len(report["cases"]) == report["n"] > 0
    for case in report["cases"]:
        # at least the emergency screen, which ends it when a sign there is an emergency
        assert case["questions"] == len(case["asked"]) >= 1
        repeated = {q for q in case["asked"] if case["asked"].count(q) > 1}
        assert repeated <= {"screen_emergency"}  # asked once more after "don't know"


def test_the_curve_is_drawn(simulation: tuple[dict[str, Any], Path]) -> None:
    report, plot = simulation
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    curve = report["curve"]
    assert curve[0]["questions"] == 0 and curve[-1]["still_asking"] == 0
    assert curve[-1]["top3"] == report["top3"]


def test_text_then_interview_reaches_the_same_top3(
    shared: Path, simulation: tuple[dict[str, Any], Path]
) -> None:
    """Each interview starts from what the parser read in the vignette's narrative."""
    answers_first, _ = simulation
    run = CliRunner().invoke(app, ["simulate", "--json", "--text", str(shared / "vignettes")])
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    assert report["top3"] >= answers_first["top3"]
    assert report["serious_under_triaged"] == []
    assert report["questions_median"] <= answers_first["questions_median"]
