"""Round ten of the reader, places (src/legpain/text/lexicon/en/round10_places.yaml and the small
changes beside it): a place said to be fine or not the place, the side of plural limbs; read and
not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


def answers(text: str) -> dict[str, object]:
    return dict(parse(text).answers)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # a place said to be fine, or not the place
        ("My calves ache after a walk. My knees are fine.", "pain_knee", False),
        ("Her hips and back are fine, it's the shins.", "back_pain", False),
        ("He gets cramps in his calves, not in his thighs.", "pain_thigh", False),
        ("The ache is in my buttock, it's not my groin.", "pain_groin", False),
        ("Sore on the outer hip. Not groin.", "pain_groin", False),
        ("His feet are fine, it's his shins that hurt.", "pain_foot_toes", False),
        ("The cramp is in the calf and never goes up into the thigh.", "pain_thigh", False),
        ("Pins and needles in my foot. Nothing in my back.", "back_pain", False),
        # the place that does hurt is still read beside the denial
        ("My calves ache after a walk. My knees are fine.", "pain_calf", True),
        # the side of plural limbs whose complaint is followed by a negation about else
        ("My thighs are so swollen and painful I can't get down the stairs.", "side", "both"),
        ("Both my calves ache and I can't sleep.", "side", "both"),
        # still read: groin pain, back pain along the path of a leg pain, a sore foot in a list
        ("My groin aches when I walk.", "pain_groin", True),
        ("I've had pain from my lower back down the back of my thigh.", "back_pain", True),
        ("My feet are swollen, sore and hot.", "pain_foot_toes", True),
        ("My right knee is swollen.", "joint_swelling", True),
        ("Both knees have swollen up and they're sore.", "joint_swelling", True),
    ],
)
def test_read(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # fine until, fine except, fine before: no denial
        ("My knees are fine until I go down the stairs.", "pain_knee"),
        ("My knees are fine except on the stairs.", "pain_knee"),
        ("My knee was fine before the fall.", "pain_knee"),
        # one side said fine: the other side's contrast, not read as a denial
        ("My left knee is fine.", "pain_knee"),
        # something else in the place said fine
        ("The pulses in my feet are fine.", "pain_foot_toes"),
        ("The x-ray of my knees was fine.", "pain_knee"),
        # not just the place, a structure of the place, an earlier episode
        ("It's not just my knees, my ankles hurt too.", "pain_knee"),
        ("The physio thinks it's the hamstring, not the kneecap tendon.", "pain_knee"),
        ("I had gout in my feet before but never in the knee.", "pain_knee"),
        ("The pain is not from my back.", "back_pain"),
    ],
)
def test_not_denied(text: str, finding: str) -> None:
    assert answers(text).get(finding) is not False


@pytest.mark.parametrize(
    "text",
    [
        "My legs aren't swollen and the colour is fine.",
        "No pain in my calves.",
    ],
)
def test_side_not_from_denied_plural(text: str) -> None:
    assert "side" not in answers(text)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a lump or gland in the groin is a lymph node, not groin pain
        ("My shin is red and sore and there's a tender lump in my groin.", "pain_groin"),
        ("Her leg hurts and she has swollen glands in her groin.", "pain_groin"),
        # the back a leg pain comes from, a label of the back, the back part of the thigh
        ("The pain in my leg comes down from my back.", "back_pain"),
        ("A pain started going down my left leg from my back.", "back_pain"),
        ("I have an old nerve problem in my lower back but this pain is different.", "back_pain"),
        ("I tore it and the pain is in the lower back part of the thigh.", "back_pain"),
        # a pain word the list denies: no pain of the place
        ("By the evening my feet are swollen - not red, not sore, just puffy.", "pain_foot_toes"),
        # the knee as a landmark of the leg's swelling is no swollen knee
        ("The leg below the knee is swollen and tight.", "joint_swelling"),
        ("From the knee down my leg has gone puffy.", "joint_swelling"),
    ],
)
def test_not_a_place(text: str, finding: str) -> None:
    assert finding not in answers(text)
