"""Readings of time added from the sixth development round (dev_v2_[a-r]): how it started,
the day and the night, being woken; each read, and a near miss not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # woke up with it: a sudden start
        ("Woke up this morning and my left foot won't lift properly.", "onset", "sudden"),
        ("When I woke up my left foot had gone floppy and numb.", "onset", "sudden"),
        ("Ever since I woke up both thighs have been numb and burning.", "onset", "sudden"),
        ("Right thigh pain for a week, came on from nowhere.", "onset", "sudden"),
        ("Both my legs went weak over a couple of hours and they ache.", "onset", "sudden"),
        ("During the exercise I got a sharp pain in my right groin.", "onset", "sudden"),
        # built up: a gradual start
        ("Since then my right hip has got more and more sore.", "onset", "gradual"),
        ("For six months my feet have been hurting more and more.", "onset", "gradual"),
        ("The pain started a year ago and has slowly got worse.", "onset", "gradual"),
        # there all the time, and in the day too
        ("My thighs are numb and burn. It's still there, day and night.", "pain_constant", True),
        ("My knee has hurt for a year. It never stops.", "pain_constant", True),
        ("My hip aches. Recently it's there in the day too.", "pain_in_daytime", True),
        # woken, and the time of day
        (
            "My hip aches deep inside and a couple of times it's woken me up.",
            "wakes_from_sleep",
            True,
        ),
        ("My calf cramps and I wake up yelping.", "wakes_from_sleep", True),
        ("Both ankles swollen and aching, worst by bedtime.", "worse_evening_night", True),
        ("My legs ache and it gets worse as the day goes on.", "worse_evening_night", True),
        ("My feet burn. It usually starts in the evening.", "worse_evening_night", True),
    ],
)
def test_read(text: str, finding: str, value: object) -> None:
    assert parse(text).answers.get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a habit, an ending, a state: no start
        ("My calves go tight when I run and it goes off within minutes when I rest.", "onset"),
        ("Ibuprofen makes the thigh ache disappear within an hour.", "onset"),
        ("Since then I've got a sharp shooting pain down my right leg.", "onset"),
        ("I get woken most nights by cramp in my calf.", "onset"),
        ("I've been getting more and more breathless and my ankles ache.", "onset"),
        # sleeplessness is not being woken
        ("Writing this at 2am because I can't sleep. My calves ache.", "wakes_from_sleep"),
        ("My legs ache. I've been up in the night to pee a lot.", "wakes_from_sleep"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert finding not in parse(text).answers
