"""Round seven of the reader, the body (src/legpain/text/lexicon/en/round7_body.yaml and the
small parser changes beside it): read and not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


def answers(text: str) -> dict[str, object]:
    return dict(parse(text).answers)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # an ache naming no body part, in an account of leg pain
        ("My right calf has been bad for a week. It aches at night.", "aching_heavy", True),
        ("Pain over my left hip. A dull ache.", "aching_heavy", True),
        # a red hot knee is a red, warm leg too
        ("Since yesterday my right knee is swollen, warm, red and painful.", "leg_red", True),
        ("Since yesterday my right knee is swollen, warm, red and painful.", "leg_warm", True),
        (
            "Since yesterday my right knee is swollen, warm, red and painful.",
            "joint_swelling",
            True,
        ),
        # the front of the hip, with a side between
        ("The front of his left hip is sore when he plays.", "pain_groin", True),
        # a place inside a weight-bearing phrase still hurts
        ("My groin has ached, worse when I walk any distance.", "pain_groin", True),
        # blew up
        ("Two days later my calf blew up, it's tense and shiny.", "swelling_one_leg", True),
        # a swelling naming no leg, after a sentence naming one
        ("My left ankle hurts. It swelled up overnight.", "swelling_one_leg", True),
        # a bare denial in a clause of its own is general
        ("No swelling, no numbness in my feet.", "swelling_one_leg", False),
        ("No swelling, no numbness in my feet.", "swelling_both_legs", False),
        # spreads down
        (
            "Pain over the outside of my hip, it spreads down the side of my thigh.",
            "pain_thigh",
            True,
        ),
        (
            "Pain over the outside of my hip, it spreads down the side of my thigh.",
            "pain_outer_hip",
            True,
        ),
        ("The pain shoots down to my toes.", "pain_foot_toes", True),
        # charley horses
        ("Charley horses in my right calf at night.", "pain_calf", True),
    ],
)
def test_round7_body_read(text: str, finding: str, value: object) -> None:
    got = answers(text)
    assert got.get(finding) is value, got


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("My head aches all the time.", "aching_heavy"),
        ("My back aches.", "aching_heavy"),
        ("My husband blew up at me.", "swelling_one_leg"),
        ("My husband blew up at me.", "swelling_both_legs"),
        ("The rash spreads down my thigh.", "pain_thigh"),
        ("He points to the front of his hip when I ask.", "pain_groin"),
    ],
)
def test_round7_body_not_read(text: str, finding: str) -> None:
    assert finding not in answers(text)


def test_a_knee_that_looks_normal_without_swelling_is_the_joint() -> None:
    got = answers("Knee looks totally normal, no swelling.")
    assert got.get("joint_swelling") is False
    assert "swelling_one_leg" not in got and "swelling_both_legs" not in got
