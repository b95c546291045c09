"""Readings changed in the ninth development round for history, injuries and infections
(dev_v2_[a-u], precision): one case per kind, read and not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # a recent injury is still read
        ("I fell off a ladder on Monday and my shin hurts.", "recent_injury", True),
        ("He got a knock on the knee at rugby and it hurts.", "recent_injury", True),
        ("I pulled my calf muscle playing squash yesterday.", "recent_injury", True),
        # an old injury the pain dates from
        (
            "My hip has hurt for months. It began after I fell about a year ago.",
            "recent_injury",
            True,
        ),
        # an infection in the last weeks is still read, and denied
        ("My knee swelled up a week after I had a cold.", "recent_infection", True),
        ("She has a limp. No cold or cough, no rash.", "recent_infection", False),
        ("He started limping, no fall and no illness before it.", "recent_infection", False),
        ("He hasn't had any bugs and his hip hurts.", "recent_infection", False),
        # an underactive thyroid's complaints, exercise, fever
        (
            "I'm permanently cold, my skin is like sandpaper and my calves cramp.",
            "hypothyroid_symptoms",
            True,
        ),
        ("My thighs ache since I started running in January.", "new_or_intense_exercise", True),
        ("My calves hurt. Nothing new at the gym.", "new_or_intense_exercise", False),
        ("He had a temperature of 38.2 and limps.", "fever", True),
        ("No temperature, but my knee hurts.", "fever", False),
        ("There's a hard lump on my shin and it aches at night.", "lump_or_mass", True),
    ],
)
def test_reads(text: str, finding: str, value: object) -> None:
    assert parse(text).answers.get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # an injury long before this complaint
        (
            "My knee hurts. I had a fall at work about two years ago but that healed.",
            "recent_injury",
        ),
        (
            "I've had every ankle injury going over the years and now my calf aches.",
            "recent_injury",
        ),
        ("My leg swelled this week. I broke my tibia eight months ago.", "recent_injury"),
        ("Both my knees ache. I fell off my bike a lot as a kid.", "recent_injury"),
        # not an injury: a shape of the knees, a verb, what someone was told
        ("My knees ache and I've always been knock-kneed.", "recent_injury"),
        ("My hamstring and calf pull when I sprint.", "recent_injury"),
        ("My back hurts and I was told it's muscle strain from the op.", "recent_injury"),
        # not an infection now: a vaccine, one long ago or repeated, a doctor's label
        ("My feet went numb ten days after my covid booster.", "recent_infection"),
        ("My knees ache. I had a cold in the summer but that's it.", "recent_infection"),
        ("He limps. He's had a few ear infections over the years.", "recent_infection"),
        ("My calf is red. The clinic reckoned a skin infection.", "recent_infection"),
        (
            "My foot is red and hot. Never had a skin infection like this before.",
            "recent_infection",
        ),
        ("My calves cramp. No bug bites, no new meds.", "recent_infection"),
        # constipation alone; a routine; the pain that began after a session; one movement
        ("My feet burn at night. She's also constipated.", "hypothyroid_symptoms"),
        ("My hip aches. I normally walk 5 miles a day.", "new_or_intense_exercise"),
        (
            "My calf pain started after a gym session. I go four times a week.",
            "new_or_intense_exercise",
        ),
        ("I lunged for the ball and felt my calf go.", "new_or_intense_exercise"),
        # a temperature not taken
        ("My knee is swollen. Haven't checked my temperature.", "fever"),
        # a gland is no lump of the leg
        ("My shin is red and hot and there's a tender lump in my groin.", "lump_or_mass"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert parse(text).answers.get(finding) is None
