"""Round nine of the reader, signs and the pain's qualities (src/legpain/text/lexicon/en/round9_signs.yaml
and the small lexicon changes beside it): read and not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


def answers(text: str) -> dict[str, object]:
    return dict(parse(text).answers)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # a person's pallor, not the leg's
        (
            "My son has sore knees at night and he's pale and not eating.",
            "unusual_bruising_or_pallor",
            True,
        ),
        (
            "Her legs ache and my husband says she looks grey lately.",
            "unusual_bruising_or_pallor",
            True,
        ),
        (
            "His shins hurt and he bruises like a peach these days.",
            "unusual_bruising_or_pallor",
            True,
        ),
        # the leg's colour, as a comparison
        ("My left foot hurts and it looks paler than the other one.", "leg_cold_pale", True),
        ("Sudden pain in my leg and the foot feels colder than usual.", "leg_cold_pale", True),
        ("When I drive my calf goes numb and cold.", "leg_cold_pale", True),
        (
            "My leg is swollen and has gone a dusky purple colour below the knee.",
            "leg_cold_pale",
            True,
        ),
        # weakness getting worse quickly is still read
        ("Since Monday my legs are getting weaker by the day.", "weakness_worsening", True),
        (
            "Over the last three days my legs have got weaker and weaker.",
            "weakness_worsening",
            True,
        ),
        ("In the last two weeks my legs have been getting weaker.", "weakness_worsening", True),
        # a cramp is still read
        ("I get cramps in my calves at night.", "sudden_tight_muscle", True),
        ("My calf muscle went into spasm while swimming.", "sudden_tight_muscle", True),
        # a hot leg is still read
        ("My calf feels hot and it is swollen.", "leg_warm", True),
        ("The foot has gone blue and cold.", "leg_cold_pale", True),
    ],
)
def test_read(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # the person's pallor is not a pale leg
        ("My daughter's knee hurts and she's pale and tired.", "leg_cold_pale"),
        # the foot's pallor is not the person's
        ("My right foot aches and it looks paler than the left.", "unusual_bruising_or_pallor"),
        # a reliever's or a vein's colour
        ("My calves cramp at night. I use my blue Ventolin for asthma.", "leg_cold_pale"),
        ("I have big blue veins down my leg and it aches.", "leg_cold_pale"),
        # a bruise's colour
        ("My ankle is sore and has gone a yellowy purple colour.", "leg_cold_pale"),
        # weakness that grows over months or years is not quickly worse
        ("Over three years my legs have slowly got weaker.", "weakness_worsening"),
        ("My thighs ache and I'm getting weaker week by week.", "weakness_worsening"),
        ("For the last two months my legs have been getting weaker.", "weakness_worsening"),
        ("A month ago my legs started getting weaker, bit by bit.", "weakness_worsening"),
        # another organ's spasm, a likeness, a label
        ("I have oesophageal spasms and my knee aches.", "sudden_tight_muscle"),
        ("My foot aches at night, almost a cramp.", "sudden_tight_muscle"),
        ("My back hurts and urgent care said muscle spasm.", "sudden_tight_muscle"),
        # shoe sizes are no seizing muscle
        ("He grew fast and went up two shoe sizes; his heels hurt.", "sudden_tight_muscle"),
        # a fever, or the weather, is no warm leg
        ("Her knee hurts. Last night she felt hot and unwell.", "leg_warm"),
        ("My calf aches but the foot is still warm and pink.", "leg_warm"),
        ("My ankles swell when it's hot and my legs feel heavy.", "leg_warm"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert finding not in answers(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # weight borne, said outright
        ("His knee aches at bedtime but in the day he walks and plays normally.", False),
        ("My hip hurts. I can walk, just not very far.", False),
        ("Her thigh aches in the evening. She can still run about in the garden.", False),
        # a negation of an earlier clause does not reach a new subject's clause (_parse.NEW_SUBJECT)
        ("Her legs ache at night. She hasn't had a fall and she's walking normally.", False),
        ("His knee hurts. No redness and he walks fine.", False),
        # weight not borne
        ("I fell on my hip and can't move the leg or put any weight on it.", True),
        ("My legs hurt so much I can't stand up or lift my arms.", True),
        ("My knees are swollen and I cannot stand up by myself.", True),
        ("My legs are so weak I've been crawling around on my hands and knees.", True),
        ("My son's knee is sore and he won't walk on it.", True),
        ("I can't walk at all since yesterday.", True),
    ],
)
def test_weight_bearing(text: str, value: bool) -> None:
    assert answers(text).get("cannot_bear_weight") is value


@pytest.mark.parametrize(
    "text",
    [
        # he walks, only not well or far: weight is borne
        "My son's knees hurt and he is not walking properly.",
        "My calves ache and I'm unable to walk far.",
    ],
)
def test_weight_bearing_not_read(text: str) -> None:
    assert "cannot_bear_weight" not in answers(text)


def test_crawling_on_hands_and_knees_is_no_crawling_feeling() -> None:
    assert "crawling_tingling" not in answers(
        "My legs are so weak I've been crawling around on my hands and knees."
    )


@pytest.mark.parametrize(
    ("text", "finding", "present"),
    [
        # the leg pain's quality is still read
        ("A sharp pain shoots down the back of my leg.", "sharp_shooting", True),
        ("My calf has a sharp stabbing pain when I walk.", "sharp_shooting", True),
        # the chest's pain, a rash's edge
        ("My calf is sore and there's a sharp catch in my chest.", "sharp_shooting", False),
        ("My calf aches. The chest pain is sharp when I breathe in.", "sharp_shooting", False),
        ("My shin is red and hot with a sharp edge you can trace.", "sharp_shooting", False),
        # the saddle's numbness, not the legs'
        (
            "Sciatica down my leg, and the bits in between have gone tingly.",
            "saddle_numbness",
            True,
        ),
        ("Sciatica down my leg, and the bits in between have gone tingly.", "numbness", False),
        ("My saddle area, between the legs, feels numb and I can't pee.", "saddle_numbness", True),
        ("My feet are numb and my back aches.", "numbness", True),
    ],
)
def test_quality_and_saddle(text: str, finding: str, present: bool) -> None:
    assert (finding in answers(text)) is present
