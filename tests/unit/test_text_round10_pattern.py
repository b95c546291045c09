"""Round ten of the reader, the pattern of the complaint (src/legpain/text/lexicon/en/
round10_pattern.yaml and the small lexicon changes beside it): read and not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


def answers(text: str) -> dict[str, object]:
    return dict(parse(text).answers)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # night cramps that wake the person
        ("Most weeks I'm woken in the night by a cramp in my calf.", "worse_evening_night", True),
        ("These cramps wake me at night, my foot curls up.", "worse_evening_night", True),
        # the night named a clause after the complaint
        ("Painful cramps, thighs mostly, both legs, at night.", "worse_evening_night", True),
        ("His shin hurts, at night and after rugby training.", "worse_evening_night", True),
        # worst at night in other words
        ("It bothers her most at night.", "worse_evening_night", True),
        ("In the evening my knees are at their worst.", "worse_evening_night", True),
        ("At night even the duvet on my toes is unbearable.", "worse_evening_night", True),
        ("It started after swimming, now it's most nights.", "worse_evening_night", True),
        # a wider gap between the evening and the restless feeling
        (
            "Most evenings, after I have been sat watching the telly a while, my legs twitch.",
            "worse_evening_night",
            True,
        ),
        # fine at night, said the other way
        ("At night it's not too bad unless I lie on it.", "worse_evening_night", False),
        # still read
        ("My hip is worst at night when I turn over.", "worse_evening_night", True),
        ("My foot aches after runs and again later in bed at night.", "worse_evening_night", True),
    ],
)
def test_read(text: str, finding: str, value: object) -> None:
    assert answers(text).get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # through the night: a pain that lasts, not one worse then
        ("The knee throbs all night.", "worse_evening_night"),
        ("My feet burn all night long.", "worse_evening_night"),
        # waking at night with pain in general is not read as a night pattern
        ("At first it woke him at night, now it hurts in the day.", "worse_evening_night"),
        # after the run, not the night
        (
            "Some nights after a long run there's a dull ache when I'm in bed.",
            "worse_evening_night",
        ),
        # a change, once
        ("Overnight the pain has got much, much worse.", "worse_evening_night"),
        # a pattern that has gone
        ("Knee pain, at first only at night, now it's there all day.", "worse_evening_night"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert finding not in answers(text)
