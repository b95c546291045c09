"""Round nine of the reader, places (src/legpain/text/lexicon/en/round9_places.yaml and the small
lexicon changes beside it): where it hurts, the back, swelling, weight-bearing joints; read and
not read."""

from __future__ import annotations

import pytest

from legpain.text import parse
from legpain.text._lexicon import EntryFile


def answers(text: str) -> dict[str, object]:
    return dict(parse(text).answers)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # a lump said as "a swelling"
        (
            "There's a hard swelling just above his knee cap on the thigh bone.",
            "lump_or_mass",
            True,
        ),
        ("A soft swelling has come up in the middle of my calf.", "lump_or_mass", True),
        # the back itself said not to hurt
        ("The pain is in my buttock. My back itself doesn't hurt.", "back_pain", False),
        # still read: lower back pain, a swollen leg, a swollen knee, the knee on the stairs
        ("My lower back has been sore for a week.", "back_pain", True),
        ("I get pain in my lower back when I bend.", "back_pain", True),
        ("My left ankle has been swollen since Monday.", "swelling_one_leg", True),
        (
            "My right knee aches and there's a swelling at the side of the knee.",
            "joint_swelling",
            True,
        ),
        ("My knee hurts and stairs are the worst.", "pain_on_weight_bearing_joint", True),
        ("It's worse when I put weight on it.", "pain_on_weight_bearing_joint", True),
        ("He moans about his thigh whenever he walks on it.", "pain_on_weight_bearing_joint", True),
        # still read: a foot that is cold and hurts, a sore calf, soreness on the inside
        ("My foot aches and feels heavy.", "pain_foot_toes", True),
        ("My feet throb and feel heavy by the evening.", "pain_foot_toes", True),
        ("I've had a sore calf for two days.", "pain_calf", True),
        ("My heel is sore on the inside when I walk.", "pain_foot_toes", True),
        ("Both his knees are paining a lot.", "side", "both"),
    ],
)
def test_read(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # "a swelling" as a lump is no swollen leg
        ("There's a hard swelling on the front of her shin.", "swelling_one_leg"),
        (
            "A swelling came up on my right thigh last year and it keeps growing.",
            "swelling_one_leg",
        ),
        # labels, structures and the upper back are not lower back pain
        ("I've had a trapped nerve in my lower back for years, my calves ache.", "back_pain"),
        ("I cracked two vertebrae in my lower back and my legs ache.", "back_pain"),
        ("Upper back pain for a week and my thighs are weak.", "back_pain"),
        ("My back has been hurting, mostly between the shoulder blades.", "back_pain"),
        # stairs and walking with only muscles named: no hip or knee
        (
            "My thighs ache after the squats and stairs are a struggle.",
            "pain_on_weight_bearing_joint",
        ),
        ("My calf is tight and I can barely walk on it.", "pain_on_weight_bearing_joint"),
        # the foot as a stance, a task, a weakness, a colour or an ulcer
        ("Her shin aches after she trains or is on her feet a lot.", "pain_foot_toes"),
        ("My hip is agony, even putting a sock on the left foot is hard.", "pain_foot_toes"),
        ("My shins ache when I run and my feet slap.", "pain_foot_toes"),
        ("The pain got worse and my right foot feels colder than the other.", "pain_foot_toes"),
        ("My calf aches and my foot went heavy and pale.", "pain_foot_toes"),
        ("I've had a sore on the ball of my foot for months.", "pain_foot_toes"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert answers(text).get(finding) is None


def test_needs_in_account_is_checked() -> None:
    with pytest.raises(ValueError):
        EntryFile.model_validate(
            {"needs_in_account": [{"finding": "pain_knee", "needs": ["(unclosed"]}]}
        )


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # the knee as a landmark or a posture is no knee pain
        (
            "It runs down the side of my thigh and stops about the knee, it aches.",
            "pain_knee",
            None,
        ),
        ("Tender red cords up my leg, calf to knee, sore to touch.", "pain_knee", None),
        ("My legs are so weak and sore I crawl about on my hands and knees.", "pain_knee", None),
        # an injection is no jab of pain
        ("A clot behind my knee last year, I had heparin jabs for a week.", "pain_knee", None),
        # still read
        ("My knee aches on the stairs.", "pain_knee", True),
        ("Sharp jabs in my left knee when I kneel.", "pain_knee", True),
    ],
)
def test_knee(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value
