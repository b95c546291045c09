"""The parser's targets on the HELD-OUT annotated narratives (never used to tune the lexicon),
and end to end on the shared vignettes' narratives alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from legpain.cases import load_cases
from legpain.engine import default_engine
from legpain.evaluation import evaluate_cases
from legpain.text import parse
from legpain.text._evaluate import evaluate_parser, load_narratives

NARRATIVES = Path(__file__).resolve().parents[1] / "data" / "narratives"
VIGNETTES = Path(__file__).resolve().parents[3] / "shared" / "vignettes"

pytestmark = pytest.mark.spec


def test_annotated_sets_are_big_enough() -> None:
    assert len(load_narratives([NARRATIVES])) >= 80
    assert len(load_narratives([NARRATIVES / "heldout.yaml"])) >= 30


def test_heldout_precision_and_recall() -> None:
    report = evaluate_parser(load_narratives([NARRATIVES / "heldout.yaml"]))
    assert report.overall.precision >= 0.95, report.errors
    assert report.overall.recall >= 0.80, report.errors
    assert report.negation_overall.precision >= 0.90, report.errors


@pytest.mark.skipif(not VIGNETTES.is_dir(), reason="shared vignettes not present")
def test_vignette_narratives_alone() -> None:
    cases = [c for p in sorted(VIGNETTES.glob("*.yaml")) for c in load_cases(p)]
    engine = default_engine()
    report = evaluate_cases(
        [c for c in cases if c.expected],
        lambda c: engine.assess(parse(c.narrative or "").answers, c.id),
    )
    m = report.metrics()
    assert m["top1"] >= 0.70
    assert m["top3"] >= 0.90
    assert m["serious_under_triaged"] == []


def test_development_accounts_from_case_reports() -> None:
    """dev_v2_[a-i].yaml: accounts retold from published case reports by writers who never
    saw the lexicon, then used to tune it. A floor, so a change that breaks them is seen.
    Session 6 audited their annotations to GUIDELINE.md (stated findings added): 0.93 / 0.86;
    session 7 (rounds nine and ten): 0.96 / 0.91; session 8 (round eleven): 0.967 / 0.910."""
    report = evaluate_parser(load_narratives(sorted(NARRATIVES.glob("dev_v2_[a-i].yaml"))))
    assert report.overall.precision >= 0.96, report.errors
    assert report.overall.recall >= 0.905, report.errors


def test_fourth_round_of_development_accounts() -> None:
    """dev_v2_[j-l].yaml, the fourth round (session 5): 0.86 / 0.78 when they came, before
    any tuning to them (a fresh blind check), then tuned on to 0.91 / 0.88; session 7: 0.96 /
    0.92; session 8: 0.967 / 0.920."""
    report = evaluate_parser(load_narratives(sorted(NARRATIVES.glob("dev_v2_[j-l].yaml"))))
    assert report.overall.precision >= 0.96, report.errors
    assert report.overall.recall >= 0.91, report.errors


def test_fifth_round_of_development_accounts() -> None:
    """dev_v2_[m-o].yaml, the fifth round (session 5): 0.87 / 0.77 when they came, before
    any tuning to them, then tuned on to 0.89 / 0.82; session 7: 0.96 / 0.88; session 8:
    0.966 / 0.878."""
    report = evaluate_parser(load_narratives(sorted(NARRATIVES.glob("dev_v2_[m-o].yaml"))))
    assert report.overall.precision >= 0.96, report.errors
    assert report.overall.recall >= 0.865, report.errors


def test_sixth_round_of_development_accounts() -> None:
    """dev_v2_[p-r].yaml, the sixth round (session 6, annotated to GUIDELINE.md): 0.91 /
    0.84 when they came, before any tuning to them (the best blind figures of any round)."""
    report = evaluate_parser(load_narratives(sorted(NARRATIVES.glob("dev_v2_[p-r].yaml"))))
    assert report.overall.precision >= 0.945, report.errors  # session 8: 0.954 / 0.903
    assert report.overall.recall >= 0.89, report.errors


def test_seventh_and_ninth_rounds_of_development_accounts() -> None:
    """dev_v2_[s-u].yaml (round seven, session 6: 0.89 / 0.82 before tuning to them) and
    dev_v2_[v-w].yaml (round nine, session 7: 0.91 / 0.86 before tuning to them, the blind
    check of round nine's tuning; 0.92 / 0.86 after it). Session 7, after round ten: s-u
    0.95 / 0.90, v-w 0.93 / 0.88; session 8, after round eleven: s-u 0.959 / 0.899, v-w
    0.952 / 0.886."""
    seventh = evaluate_parser(load_narratives(sorted(NARRATIVES.glob("dev_v2_[s-u].yaml"))))
    assert seventh.overall.precision >= 0.95, seventh.errors
    assert seventh.overall.recall >= 0.885, seventh.errors
    ninth = evaluate_parser(load_narratives(sorted(NARRATIVES.glob("dev_v2_[v-w].yaml"))))
    assert ninth.overall.precision >= 0.94, ninth.errors
    assert ninth.overall.recall >= 0.875, ninth.errors


def test_eleventh_round_blind_check() -> None:
    """dev_v2_x.yaml (session 8): 50 accounts written blind while round eleven's tuners
    worked, never opened by them. Before round eleven 0.887 / 0.898, after it 0.891 /
    0.896: the honest size of a round's carry-over to accounts it did not see."""
    report = evaluate_parser(load_narratives([NARRATIVES / "dev_v2_x.yaml"]))
    assert report.overall.precision >= 0.88, report.errors
    assert report.overall.recall >= 0.885, report.errors


def test_blind_heldout_v2_does_not_fall_back() -> None:
    """heldout_v2.yaml is never read to tune the lexicon. Issue 11 asks for recall 0.85 at
    precision 0.95 on it; session 6, after its second annotation and adjudication, reached
    0.92 / 0.85, session 7 0.94 / 0.86, session 8 0.939 / 0.859 (docs/text.md). The floor only guards against falling
    back below what was measured."""
    report = evaluate_parser(load_narratives([NARRATIVES / "heldout_v2.yaml"]))
    assert report.overall.precision >= 0.93
    assert report.overall.recall >= 0.85
