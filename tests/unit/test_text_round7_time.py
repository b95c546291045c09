"""Readings of time and of what changes it added from the seventh development round
(dev_v2_[a-u]): how it started, lying on one side or flat, raising the legs, rubbing,
moving, sitting, coughing; each read, and a near miss not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # how it started
        ("A few days later I woke up with a stabbing pain in my right calf.", "onset", "sudden"),
        ("My son woke up and couldn't stand on his left leg.", "onset", "sudden"),
        ("Lunging for the ball I felt a sudden sharp pull in my calf.", "onset", "sudden"),
        (
            "Over the last year walking has got harder and harder and my legs ache.",
            "onset",
            "gradual",
        ),
        ("For weeks my knee has slowly puffed up and aches.", "onset", "gradual"),
        # lying on one side, lying flat
        ("My outer hip hurts, worse if I walk too much or lie on it.", "worse_lying_on_side", True),
        (
            "Sore outer hip. It wakes me when I roll onto that side at night.",
            "worse_lying_on_side",
            True,
        ),
        ("Hip pain. Lying on my left side at night is impossible.", "worse_lying_on_side", True),
        (
            "Back pain, worse at night, especially lying flat on my back.",
            "worse_lying_flat_on_back",
            True,
        ),
        # raising the legs
        ("My legs ache by evening. Feet up = better.", "relieved_by_leg_raised", True),
        ("My ankle aches; putting it up on a cushion sorts it.", "relieved_by_leg_raised", True),
        (
            "My calf hurts. Lying in bed with it propped up on pillows doesn't help.",
            "relieved_by_leg_raised",
            False,
        ),
        # rubbing
        (
            "His legs hurt at bedtime. We rub them and he's back asleep in 20 minutes.",
            "relieved_by_massage",
            True,
        ),
        ("My knee is sore. Calpol and rubbing it don't help.", "relieved_by_massage", False),
        ("My calf cramps at night. Massage does nothing.", "relieved_by_massage", False),
        # moving, sitting, coughing
        ("My legs feel creepy at night and moving them makes it go.", "relieved_by_movement", True),
        (
            "My thighs are sore, worse when I first get up, eases a bit once I'm moving.",
            "relieved_by_movement",
            True,
        ),
        ("My calf aches and it's worse when I'm sat at my desk.", "also_when_sitting", True),
        (
            "The pain goes down my leg. Sitting on hard chairs makes it worse.",
            "also_when_sitting",
            True,
        ),
        (
            "Back and leg pain. Coughing or sneezing doesn't make it worse.",
            "worse_cough_sneeze",
            False,
        ),
    ],
)
def test_read(text: str, finding: str, value: object) -> None:
    assert parse(text).answers.get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a habit of waking with it, not a start
        ("Most mornings I woke up with a cramp in my calf.", "onset"),
        # veins or a lump getting bigger is not how the pain started
        ("Varicose veins since I was 20, slowly getting bigger, and my legs ache.", "onset"),
        # lying on the side is the easy position
        ("My back hurts when I lie on my back, and lying on my side helps.", "worse_lying_on_side"),
        # eases when the walking stops: not relief by moving
        ("My calf hurts when I walk and it eases once I stop.", "relieved_by_movement"),
        # sitting relieves the walking pain
        ("My legs hurt when I walk and it eases when I sit down.", "also_when_sitting"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert finding not in parse(text).answers
