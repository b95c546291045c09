"""Readings added in round six for history, medicines and triggers (round6_history.yaml)."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # a statin of long standing, or a dose raised
        (
            "I've been on atorvastatin for about four years and my thighs ache.",
            "statin_started_recently",
            False,
        ),
        (
            "I do take a statin (simvastatin), have done for years. My calves cramp.",
            "statin_started_recently",
            False,
        ),
        (
            "On simvastatin 40 for about 2 years, and the GP doubled it to 80 about 3 months ago. My thighs ache.",
            "statin_started_recently",
            True,
        ),
        # no injury, said with a qualifier
        ("My son's hip hurts. No injury that we know of.", "recent_injury", False),
        ("Her leg hurts. Not had a fall that we know of.", "recent_injury", False),
        # worse after sport
        ("My shin hurts, worse when I walk or train.", "worse_after_exercise", True),
        (
            "It's worse on days she's been running and climbing at the park.",
            "worse_after_exercise",
            True,
        ),
        (
            "He plays basketball and says the knee is achy after games.",
            "worse_after_exercise",
            True,
        ),
        # a hip or knee on the stairs
        ("My knee aches and it's worse going down stairs.", "pain_on_weight_bearing_joint", True),
        ("Stairs at school set it off, his knee hurts.", "pain_on_weight_bearing_joint", True),
        # an infection before
        ("I had a chest cold two weeks before it started.", "recent_infection", True),
        ("A week of watery diarrhoea, then my legs went weak.", "recent_infection", True),
        # more exercise than usual, or none
        (
            "Did a brutal session on Saturday, way more than usual. My thighs are sore.",
            "new_or_intense_exercise",
            True,
        ),
        ("My shin is swollen. I haven't done any sport.", "new_or_intense_exercise", False),
        (
            "Both lower legs go rock hard and painful after about 20 mins of running.",
            "pain_during_exercise_tight",
            True,
        ),
    ],
)
def test_reads(text: str, finding: str, value: object) -> None:
    assert parse(text).answers.get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("There was no proper injury that we know of, maybe a knock at school.", "recent_injury"),
        ("Worse with the runs and marching, a deep ache in both hips.", "recent_infection"),
        ("My leg got cold and pale this morning.", "recent_infection"),
        ("I went for a run after a cold snap.", "recent_infection"),
        ("My thighs ache on the stairs but I'm fine walking.", "new_or_intense_exercise"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert parse(text).answers.get(finding) is None


def test_recent_statin_is_not_read_as_long_standing() -> None:
    answers = parse("Started atorvastatin six weeks ago and my legs ache.").answers
    assert answers.get("statin_started_recently") is True
