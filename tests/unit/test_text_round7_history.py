"""Readings added in the seventh development round for who, history and triggers
(dev_v2_[a-u]): one case per kind, read and not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # an injury in other words
        (
            "I got hit by a car crossing the road an hour ago and my shin hurts.",
            "recent_injury",
            True,
        ),
        ("She caught her foot in the door 3 days ago and now it's swollen.", "recent_injury", True),
        (
            "He took a knee straight into his thigh in the match and it's swollen.",
            "recent_injury",
            True,
        ),
        ("I felt my left calf go while lifting a weight.", "recent_injury", True),
        ("She hurt her right hip doing stretches at dance class.", "recent_injury", True),
        # no injury in other words
        ("My knee hurts. She didn't injure it.", "recent_injury", False),
        ("My thigh aches. I didn't get hurt playing or anything.", "recent_injury", False),
        # retention or loss of control, in other words (a warning sign)
        (
            "My back aches and I can't control my bladder or my bowels.",
            "bladder_bowel_change",
            True,
        ),
        (
            "I've been trying to pee for an hour and only dribbles come out.",
            "bladder_bowel_change",
            True,
        ),
        ("My leg is numb and I had to strain to pee this morning.", "bladder_bowel_change", True),
        # a recent operation or time in bed
        (
            "Had surgery on my lower back (two discs taken off the nerves) 5 days ago.",
            "recent_surgery_or_bedrest",
            True,
        ),
        (
            "I had my heart bypass 12 days ago and now both legs are weak.",
            "recent_surgery_or_bedrest",
            True,
        ),
        ("I was basically in bed at home for a week after.", "recent_surgery_or_bedrest", True),
        # who
        ("im a girl in high school and my groin aches on runs.", "sex", "female"),
        ("mid 20s F, I run a lot. My right calf is sore.", "sex", "female"),
        ("76, retired shopkeeper (man). My left foot hurts.", "sex", "male"),
        ("Hello, woman of 66 here. My hip hurts.", "sex", "female"),
        ("my daughter is 3 and a half and her thigh hurts.", "age", 3.5),
    ],
)
def test_reads(text: str, finding: str, value: object) -> None:
    assert parse(text).answers.get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a doctor's or coach's label is not an injury (GUIDELINE.md)
        ("My calf started hurting and the doc said I'd pulled a muscle.", "recent_injury"),
        ("I got a pain at the back of my leg like a pulled muscle.", "recent_injury"),
        ("The therapist keeps saying it's a pulled hamstring.", "recent_injury"),
        ("Coach thinks I pulled my hip flexor.", "recent_injury"),
        ("My shin hurts and it got treated as a sprain.", "recent_injury"),
        # falls that come from weak or numb legs are not what started the pain
        ("My feet are numb and I'm unsteady, I've fallen twice.", "recent_injury"),
        ("My legs are weak and I've had several falls.", "recent_injury"),
        ("I've tripped on the stairs because I can't feel where my feet are.", "recent_injury"),
        ("I broke my wrist last year and now my calf aches.", "recent_injury"),
        # an old operation, months or a year back, is not recent
        ("I sleep on a hospital bed since my hip op last year.", "recent_surgery_or_bedrest"),
        ("Eight months after the operation my leg still hurts.", "recent_surgery_or_bedrest"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert parse(text).answers.get(finding) is None
