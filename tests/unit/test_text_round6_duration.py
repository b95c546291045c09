"""Duration readings from the sixth development round (dev_v2_[a-r]): which span is the
complaint's, said in new ways and beside the times of other things."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # times said in new ways
        ("22F, soccer. 3/12 deep ache front of the right lower leg.", "months"),
        ("My son has pain in the left knee since one and half month.", "weeks"),
        ("For about 3 and a half months he's had pain in the back of his thigh.", "months"),
        ("My left shin has been sore and swollen for like 2 years.", "months"),
        ("For maybe six weeks she's had a dull ache in her thigh.", "weeks"),
        ("She has woken up crying the last three nights saying her legs hurt.", "days"),
        ("Two years of both legs going heavy and achy when I walk.", "months"),
        ("Since around his second birthday his feet go red and hot.", "months"),
        ("Night cramps in my legs. It's been about three weeks now.", "weeks"),
        # the complaint's time beside another thing's in the same clause
        ("had my baby 3 days ago and since yesterday my right leg is swollen", "days"),
        ("GP thinks it's a clot but honestly its been 4 days and my shin is killing me.", "days"),
        # the older part told as such, a bout's length
        (
            "For 2 days my legs won't hold me, and for a few weeks before that my back ached.",
            "days",
        ),
        (
            "For about a year, 2 or 3 times a month, my left foot goes red and sore for a few hours.",
            "months",
        ),
    ],
)
def test_duration_read(text: str, value: str) -> None:
    assert parse(text).answers.get("duration") == value


@pytest.mark.parametrize(
    "text",
    [
        # other things' times: a past job or habit, a condition, a test, a jab, a time to come
        "I used to walk the dog for an hour. Now my calves cramp after a short walk.",
        "Osteoporosis for years. My left groin hurts when I stand.",
        "Liver cirrhosis for 6 yrs. Nearly every night I get cramps in my calves.",
        "Had an MRI last week. My calf aches.",
        "Second covid jab 2 wks ago. Pins and needles in both feet now.",
        "I'm due to see the surgeon in 3 weeks. My knee aches.",
        # one bout's length in an account of bouts
        "3 nights a week my calf seizes up. Afterwards the muscle stays sore for hours.",
    ],
)
def test_duration_not_read(text: str) -> None:
    assert parse(text).answers.get("duration") is None
