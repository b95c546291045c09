"""Duration readings from the tenth development round (precision first): a new complaint told
after "but" beside an old span, weeks up to three months, an earlier episode's time set off by
commas. Sentences written for the test."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # an old span, then "but" and a recent span told as new: the recent one
        (
            "I've had a bad back for years but the last few days are different: my calf burns.",
            "days",
        ),
        ("Achy knees for ages, but this week a sharp new pain started in my shin.", "days"),
        (
            "Sore hips on and off for a year but over the past three weeks it has spread to my thigh.",
            "weeks",
        ),
        # the same complaint only worse keeps the old span
        (
            "My ankles have been puffy for two years but this week they've got much bigger.",
            "months",
        ),
        # under three months counted in weeks is still weeks
        ("My left shin has hurt for about 10 weeks now.", "weeks"),
        ("The calf has ached for two and a half months.", "weeks"),
        ("The calf has ached for three months.", "months"),
        # a plain time beside commas is still read
        ("My knee, for three weeks now, has been swollen.", "weeks"),
    ],
)
def test_read(text: str, value: str) -> None:
    assert parse(text).answers.get("duration") == value


@pytest.mark.parametrize(
    "text",
    [
        # an earlier episode's time, set off by commas after "last time"
        "My big toe and ankle are red and swollen. Last time, about five years ago, it was only the toe.",
        "Both knees ache now. The previous episode, two years back, cleared up in days.",
    ],
)
def test_not_read(text: str) -> None:
    assert parse(text).answers.get("duration") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The ache in my shin crept up on me.", "gradual"),
        ("The pain in my calf crept up over a few weeks.", "gradual"),
        ("The numbness in my feet has crept up past my knees over the last year.", "gradual"),
        ("I got a sudden sharp pain in my calf.", "sudden"),
        ("My knee gave way without warning and now it hurts.", "sudden"),
    ],
)
def test_onset_read(text: str, value: str) -> None:
    assert parse(text).answers.get("onset") == value


@pytest.mark.parametrize(
    "text",
    [
        # spreading up the leg is a place, not how the complaint began
        "My shin is sore and the redness has crept up nearly to my knee.",
        "My feet are numb and the numbness crept up, it's now at my waist.",
        # another place's sudden pain
        "My thighs ache. Then I got a sudden awful tummy pain.",
        # the bladder's way, not the leg's onset
        "My legs ache and I've been leaking urine without warning.",
    ],
)
def test_onset_not_read(text: str) -> None:
    assert parse(text).answers.get("onset") is None


@pytest.mark.parametrize(
    "text",
    [
        # an operation's date with no symptom beside it and nothing dated from it
        "I had my knee operation 3 weeks ago. Today my calf is swollen and sore.",
        "Two years ago I had surgery on my neck. My legs feel heavy when I walk.",
    ],
)
def test_operation_date_not_read(text: str) -> None:
    assert parse(text).answers.get("duration") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the complaint dated from the operation
        ("Had an operation on my back 5 days ago. Since I woke up my foot is numb.", "days"),
        ("Had a hip replacement 10 days ago. Ever since, my calf has ached.", "days"),
        # an operation that did not help: the complaint is older still
        ("I had a back operation four months ago and it didn't help at all.", "months"),
        # the operation's date beside a symptom is still read
        ("My calf has hurt since my knee operation 2 weeks ago.", "weeks"),
    ],
)
def test_operation_date_read(text: str, value: str) -> None:
    assert parse(text).answers.get("duration") == value
