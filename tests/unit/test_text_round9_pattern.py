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
        # there all the time, in other words
        ("A dull ache in my foot that never really goes.", "pain_constant", True),
        ("My leg has a nagging pain that won't go away.", "pain_constant", True),
        ("The pain in my buttock is sharp and pretty much continual.", "pain_constant", True),
        # restless legs said of the legs; worse after lifting
        ("My legs have been so restless in the evenings.", "urge_to_move", True),
        ("My thighs are always worse after lifting at work.", "worse_after_exercise", True),
        # still read: moving, stretching and ibuprofen that help
        ("My calves ache at night but walking about helps.", "relieved_by_movement", True),
        ("When I get the cramp, stretching my calf helps.", "relieved_by_stretching", True),
        ("Ibuprofen really helped, for a while.", "relieved_by_anti_inflammatory", True),
        # after sport, in other words
        ("Her right shin aches after she trains.", "worse_after_exercise", True),
        ("Both hamstrings feel tight after sessions.", "worse_after_exercise", True),
        ("I get a pain in my shin near the end of runs.", "worse_after_exercise", True),
        # still read: woken by the pain
        ("The cramp wakes me up in the night.", "wakes_from_sleep", True),
        # tight during exercise, said the other way round
        (
            "My shins go tight and really sore during games, easing once I stop.",
            "pain_during_exercise_tight",
            True,
        ),
        ("Whenever I run, both lower legs go tight and achy.", "pain_during_exercise_tight", True),
        (
            "Every session my calves get rock tight after ten minutes.",
            "pain_during_exercise_tight",
            True,
        ),
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
        # restless, not of the legs' urge
        ("My legs feel heavy and restless by the evening.", "urge_to_move"),
        ("She is restless and grumpy at night with the pain.", "urge_to_move"),
        # what started it, not what makes it worse
        ("My back started aching after lifting a heavy box.", "worse_after_exercise"),
        # swelling by the end of the day names no standing
        ("My ankles swell up by the end of the day.", "worse_after_standing_day"),
        # a relief on stopping is rest, not movement
        ("My calf hurts after two blocks of walking, I stop and it goes.", "relieved_by_movement"),
        ("Walking bent forward eases it a lot.", "relieved_by_movement"),
        ("My walking is no better since the operation, my knee hurts.", "relieved_by_movement"),
        # advice, an attempt, an inability: no relief by stretching
        ("The GP told me to rest and stretch it, my calf is sore.", "relieved_by_stretching"),
        ("My calf is agony and I can't pull my toes up.", "relieved_by_stretching"),
        # a relief that lasts an hour or was only at the start
        (
            "Ibuprofen only helps for an hour or so, my knee still hurts.",
            "relieved_by_anti_inflammatory",
        ),
        (
            "Ibuprofen really helped at the beginning, now my knee hurts.",
            "relieved_by_anti_inflammatory",
        ),
        # woken by the breath, not by the legs
        ("My ankles are puffy and I wake at night fighting for breath.", "wakes_from_sleep"),
        ("My legs ache and I keep waking in the night coughing.", "wakes_from_sleep"),
        # a tight chest is no tight leg
        ("My chest feels tight when I run and my calf aches.", "pain_during_exercise_tight"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert answers(text).get(finding) is None
