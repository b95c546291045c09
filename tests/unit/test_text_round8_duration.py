"""Duration readings from the eighth development round (precision, second pass): spans read
and spans that belong to something else. Sentences written for the test."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a vague long time is background beside a stated recent one
        ("My legs have been puffy for ages, and 2 days ago the left went red and hot.", "days"),
        # "Last 3 wks:" after a sentence the splitter left whole
        ("50M. Last 3 wks: my calves ache and feel heavy.", "weeks"),
        ("Six weeks of this now. My knee aches on the stairs.", "weeks"),
        ("Four years of feeling rotten, my thighs ache every day.", "months"),
        # "on and off" is not "been on" a medicine
        ("My shins ache when I run. Been on and off for a year.", "months"),
        # the next sentence dates the complaint from this one's time
        ("About three weeks ago I knocked my shin. Since then it has got more swollen.", "weeks"),
        ("Saturday I played squash and since then my calf has been sore.", "days"),
        ("Lunged for a ball yesterday and felt a pop in my calf, now it's sore.", "days"),
        ("Got a kick to my thigh in the match this afternoon and it's swollen.", "hours"),
        # "pins and needles" is one phrase, not two parts
        (
            "I drink most nights and over the last year pins and needles started in my feet.",
            "months",
        ),
    ],
)
def test_read(text: str, value: str) -> None:
    assert parse(text).answers.get("duration") == value


@pytest.mark.parametrize(
    "text",
    [
        # a job's years, someone else's complaint
        ("I've been a chef for 20 years. My ankles swell by the evening."),
        ("Hairdresser for 25 years, and my legs ache after work."),
        ("My legs ache. My mum had ulcers on her legs for years."),
        # one night's length, one bout's length, a posture's length
        ("Cramp in my calf wakes me and keeps me up for hours."),
        ("My legs hurt at night and I can't get back to sleep for an hour."),
        ("My knee aches if I'm sitting for a long time."),
        # a vague long time of something with no complaint in the sentence
        ("My feet burn. I've had athlete's foot for ages."),
        # "this month" / "this year" alone
        ("I've upped my training a lot this month and my shins hurt."),
        # other events' times
        ("I'd been lying on the floor for about 10 hours. My thigh is swollen and tight."),
        ("I'd been sober for a good few months. Now my feet tingle."),
        ("Flew back from Spain last week. Now my right calf is sore."),
        ("My ankle was in a plaster cast for 6 weeks. My calf aches."),
        ("Liver cirrhosis (hep C) for 8 yrs. My legs cramp at night."),
        ("Finished chemo (for breast cancer) 5 months ago. My feet are numb."),
        ("Had a heart bypass 6 years ago. My calves ache when I walk."),
        ("I've been piling on weight the last few years and my knees hurt."),
        ("The physio says to keep him off for a fortnight. His shin hurts."),
    ],
)
def test_not_read(text: str) -> None:
    assert parse(text).answers.get("duration") is None
