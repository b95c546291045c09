"""Round nine of the reader, the pattern of the complaint (src/legpain/text/lexicon/en/
round9_pattern.yaml and the small lexicon changes beside it): read and not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


def answers(text: str) -> dict[str, object]:
    return dict(parse(text).answers)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # still read: plain night patterns
        ("My calves ache only at night.", "worse_evening_night", True),
        ("The ache in my hip is worst at night when I roll onto it.", "worse_evening_night", True),
        ("They ache a bit, mostly in the evening after football.", "worse_evening_night", True),
        # restless legs at night, in words that are not pain words
        (
            "Every evening in bed I get this urge to keep moving my legs.",
            "worse_evening_night",
            True,
        ),
        ("There is a creepy itch deep in my calves at night.", "worse_evening_night", True),
        # the nights named as the bad time
        ("My thigh hurts all the time but the nights are the worst.", "worse_evening_night", True),
        # a child waking on some nights
        (
            "Three nights a week she wakes up crying and holding her shins.",
            "worse_evening_night",
            True,
        ),
        # also in the day, with the pain word clauses away
        (
            "Cramps in both calves, mostly at night, and sometimes in the day too.",
            "pain_in_daytime",
            True,
        ),
        ("The ache is still there, day and night.", "pain_in_daytime", True),
        ("My knee has hurt 24 hours a day since the fall.", "pain_in_daytime", True),
    ],
)
def test_read(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # also in bed, not worse then
        ("My shin aches even lying in bed now.", "worse_evening_night"),
        # the position, not the hour
        ("My hip is killing me at night if I roll onto it.", "worse_evening_night"),
        ("The knee aches in bed when I turn over.", "worse_evening_night"),
        # after sport or exertion, not the night
        ("My knee has been aching in bed after matches.", "worse_evening_night"),
        ("If I've done a lot of digging my knees throb at night.", "worse_evening_night"),
        # one event in bed, one night's change, one attack's start
        ("I twisted awkwardly in bed two days ago and my back went.", "worse_evening_night"),
        ("The swelling got much worse overnight and it hurts.", "worse_evening_night"),
        ("The gout came on in the middle of the night, my toe is agony.", "worse_evening_night"),
        # there all the time
        (
            "The pain is there day and night and I can't get comfortable in bed.",
            "worse_evening_night",
        ),
        # a bad night's sleep is no pattern of the legs
        ("I had a restless night and my legs ache today.", "worse_evening_night"),
        # day and night of something else
        ("I sit in my armchair day and night these days.", "pain_in_daytime"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert answers(text).get(finding) is None
