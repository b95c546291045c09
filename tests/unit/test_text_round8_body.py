"""Round eight of the reader, time and body, precision (src/legpain/text/lexicon/en/round8_body.yaml
and the small lexicon changes beside it): read and not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


def answers(text: str) -> dict[str, object]:
    return dict(parse(text).answers)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # still read: a night pattern, the knee itself, pain coming down from the back
        ("My calves ache only at night.", "worse_evening_night", True),
        ("The pain in my legs is worse at night.", "worse_evening_night", True),
        ("I get cramps in my calves most nights.", "worse_evening_night", True),
        (
            "My left knee has been hurting for a few days, just below the kneecap.",
            "pain_knee",
            True,
        ),
        (
            "Pain in my right buttock shooting down the back of my leg.",
            "pain_radiates_from_back",
            True,
        ),
        # a denial that names the night after another time or position
        ("It builds when I run. I have zero pain sitting or in bed.", "worse_evening_night", False),
    ],
)
def test_read(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # also at night, not worse then
        ("My knees hurt on the stairs. Now they ache in bed at night too.", "worse_evening_night"),
        (
            "The back of my right thigh aches and now it's there at night as well.",
            "worse_evening_night",
        ),
        # a fever at night, and turning over in bed, are no night pattern of the leg
        ("My knee is swollen and hot and I've been shivery at night.", "worse_evening_night"),
        ("My hip hurts if I roll over onto it in bed.", "worse_evening_night"),
        # the knee as a landmark of another place
        ("The left leg below the knee went very painful and cold.", "pain_knee"),
        ("A red, tender line runs up the leg from the knee nearly to the groin.", "pain_knee"),
        # a trapped nerve is a doctor's label, not pain travelling down from the back
        ("My thigh hurts. The hospital said it was a trapped nerve.", "pain_radiates_from_back"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert finding not in answers(text)
