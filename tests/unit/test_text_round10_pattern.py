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
        # a walking calf pain that goes within minutes of standing still
        (
            "My left calf aches after walking a few hundred yards, goes within a few mins of stopping.",
            "walking_calf_pain_relieved_by_standing",
            True,
        ),
        (
            "Both calves tighten when I walk to the shops and it goes if I stand still for a minute.",
            "walking_calf_pain_relieved_by_standing",
            True,
        ),
        (
            "My calf burns after two streets of walking, I stop for a bit and it passes.",
            "walking_calf_pain_relieved_by_standing",
            True,
        ),
        ("My calf burns after two streets, I stop for a bit and it passes.", "pain_calf", True),
        (
            "Walking around helps, but as soon as I stop it comes back.",
            "relieved_by_movement",
            True,
        ),
        ("A creeping feeling deep in my calves.", "crawling_tingling", True),
        ("My calf cramps at night.", "sudden_tight_muscle", True),
        ("My feet burn.", "burning", True),
        # worse after exercise, in other words
        (
            "My soles burn, worse when they are warm, and after walking.",
            "worse_after_exercise",
            True,
        ),
        ("His knee hurts and running and sport make it worse.", "worse_after_exercise", True),
        ("My shins ache and it's worse every time we run.", "worse_after_exercise", True),
        (
            "Her calves ache in the evening, worse when she's been playing netball.",
            "worse_after_exercise",
            True,
        ),
        ("At first the hip pain only came after a hard game.", "worse_after_exercise", True),
        # fine in the day, said of a child
        (
            "His legs hurt at night. In the daytime he's running around completely normal.",
            "pain_in_daytime",
            False,
        ),
        (
            "She cries with leg pain at night. In the morning she's skipping about like nothing happened.",
            "pain_in_daytime",
            False,
        ),
        # still read
        ("My hip is worst at night when I turn over.", "worse_evening_night", True),
        ("I'm a nurse and my legs ache after standing all day.", "worse_after_standing_day", True),
        ("My calf hurts day and night.", "pain_constant", True),
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
        # relief that takes longer than minutes, or a thigh, not a calf
        (
            "My shin aches when I walk. If I stop it eases off within half an hour.",
            "walking_calf_pain_relieved_by_standing",
        ),
        (
            "My thigh aches after a mile and it goes if I stand still.",
            "walking_calf_pain_relieved_by_standing",
        ),
        # the job, not the complaint after it
        ("I'm a 50 year old plumber, on my feet all day.", "worse_after_standing_day"),
        # sitting eases it
        ("My calves hurt on the hill and it eases off when I sit down.", "also_when_sitting"),
        # worn day and night
        ("My knee aches and I've been wearing the brace day and night.", "pain_constant"),
        ("My knee aches and I've been wearing the brace day and night.", "pain_in_daytime"),
        # relief on stopping is no relief by moving
        ("My calf aches after walking fast, and it eases off once I stop.", "relieved_by_movement"),
        (
            "It hurts after a block of walking and goes away within minutes of stopping.",
            "relieved_by_movement",
        ),
        # spreading or coming on slowly is no creeping feeling
        ("The redness keeps creeping further up my shin.", "crawling_tingling"),
        ("Both knees ache, it has been creeping on for years.", "crawling_tingling"),
        # a burns unit, a treatment for cramp, a hard red vein
        ("I'm running for the burns unit and my knee hurts.", "burning"),
        ("The doctor gave me quinine for cramp but my foot is numb.", "sudden_tight_muscle"),
        ("The vein in my thigh went hard, red and sore.", "sudden_tight_muscle"),
        # the session it began after, not a pattern
        ("My groin pain came on after a hard session a week ago.", "worse_after_exercise"),
        # an adult's legs fine in the morning say nothing of the day
        ("In the mornings my legs feel fine, but by teatime they ache.", "pain_in_daytime"),
        # a pattern that has gone
        ("Knee pain, at first only at night, now it's there all day.", "worse_evening_night"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert finding not in answers(text)
