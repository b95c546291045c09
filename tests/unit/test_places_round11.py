"""Round eleven of the reader, places (precision): a place named for another reason (the skin
there, what a test showed there), a denial said of one circumstance only, "the other leg" as the
other side, a red-hot joint that must be red, a vague gait or needing help that is no limp or
loss of weight-bearing, a "not" taken by a pattern's open slot, a symptom "never had before",
and a side said in what others say; read and not read. Sentences written for these tests, not
taken from the development sets."""

from __future__ import annotations

import pytest

from legpain.text import parse


def answers(text: str) -> dict[str, object]:
    return dict(parse(text).answers)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # the other leg, named without its side, beside a complaint: both
        ("My left knee hurts and now the other knee is sore too.", "side", "both"),
        (
            "It started in my right calf, and there is pain in the other leg as well.",
            "side",
            "both",
        ),
        ("My left shin is sore and the other one aches at night.", "side", "both"),
        # a comparison with the other leg keeps the one side
        ("My right calf is swollen, twice the size of the other one.", "side", "right"),
        ("My left ankle is sore and bigger than the other ankle.", "side", "left"),
        # a plain denial of a place is still read
        ("No pain in my calves.", "pain_calf", False),
        ("My knees are fine, it's my feet that burn.", "pain_knee", False),
        # "not" inside the words of a sign: denied
        ("The calf aches. It's not hot to touch.", "leg_warm", False),
        ("My calf is sore but it's not warm.", "leg_warm", False),
        # never had it before, and now has it: not denied
        ("My ankles hurt and I've never had swelling like this before.", "swelling_one_leg", None),
        # a history finding "never had before" stays denied
        ("My calf is sore. Never had a clot before.", "previous_dvt", False),
        # a red, hot joint is still read
        ("My right big toe is red, hot and swollen.", "joint_red_hot", True),
        ("Since yesterday my left knee is swollen and red and hot.", "joint_red_hot", True),
        # cannot put weight on it is still read
        ("I can't walk on it at all since the fall.", "cannot_bear_weight", True),
        ("Can't stand on my left leg this morning.", "cannot_bear_weight", True),
        # a limp is still a limp
        ("He has been limping on his right leg for a week.", "limp", True),
        # the place that hurts is still read beside a skin sign
        ("My shin aches and the skin on my foot is dry.", "pain_shin", True),
        ("The x-ray showed nothing, but my knee still hurts.", "pain_knee", True),
    ],
)
def test_parse_reads(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # the skin, hair or nails of a place: no pain there
        ("My foot aches at night. The skin on that shin has gone thin and tight.", "pain_shin"),
        ("My thigh hurts and the skin over my knee looks shiny and tight.", "pain_knee"),
        ("Burning at night, and the skin of my calves is dry and tight.", "pain_calf"),
        # what a test showed in a place: not a finding
        ("The knee is sore and the scan showed a tiny crack in his shin bone.", "pain_shin"),
        ("My back aches and the MRI showed a cyst behind my knee.", "pain_knee"),
        # a denial said of one circumstance: neither pain nor no pain there
        ("I've never had pain in my calves when I walk.", "pain_calf"),
        ("No pain in my knees while I'm resting.", "pain_knee"),
        ("There's no ache in the thigh if I keep still.", "pain_thigh"),
        # the red of a red-hot joint is needed; the knee as a landmark; a foot and ankle region
        ("The knee is swollen and hot.", "joint_red_hot"),
        ("The skin below the knee went pink then red and warm.", "joint_red_hot"),
        ("My left foot and ankle are red, hot and puffy.", "joint_red_hot"),
        # a vague gait is no limp; needing help is not being unable to bear weight
        ("My son has been walking funny for two days.", "limp"),
        ("My legs are weak and I can't walk on my own now.", "cannot_bear_weight"),
        ("She can't walk unaided since the stroke.", "cannot_bear_weight"),
        # what others say is not the person's side
        ("Everyone says legs swell in the heat.", "side"),
        ("The internet says both legs get growing pains, but his right knee hurts.", "side"),
    ],
)
def test_parse_leaves_out(text: str, finding: str) -> None:
    got = answers(text).get(finding)
    assert got is None or (finding == "side" and got != "both"), got


def test_parse_the_side_of_the_complaint_after_a_saying() -> None:
    got = answers("The internet says both legs get growing pains, but his right knee hurts.")
    assert got.get("side") == "right"


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # a long-standing "both" background gives way to the side of the new complaint
        (
            "Both my knees have ached for years. Since Monday my right foot is red and sore.",
            "side",
            "right",
        ),
        # with no side said, the long-standing "both" is still read
        ("Both legs have been swollen and sore for a long time.", "side", "both"),
        # a place as where a swelling starts ("from the feet right up to the thighs")
        (
            "My legs are puffy from the feet right up to the thighs, tight and heavy.",
            "pain_foot_toes",
            None,
        ),
        ("It's sore from the shin round to the calf.", "pain_shin", True),
        # the knee as what is moved is not where it hurts; a sore knee still is
        ("My thigh is sore and it hurts to lift my knee up.", "pain_knee", None),
        ("My knee is sore when I bend it.", "pain_knee", True),
    ],
)
def test_parse_background_and_movement(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value
