"""Readings added from the fifth blind development round (dev_v2_[mno]); one case per kind."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # ages and sexes said in new ways
        ("Signed up with a PT for my 50th birthday and my thighs are sore.", "age", 50),
        ("Legs feel weak and crampy. Male, 72. Is this my back?", "age", 72),
        ("Legs feel weak and crampy. Male, 72. Is this my back?", "sex", "male"),
        ("Man of 70. My left calf aches by the evening.", "age", 70),
        ("My grandson typed this for me. 71. pins and needles in my feet.", "age", 71),
        ("my right hip aches, 15, male, play rugby.", "sex", "male"),
        ("I'm 16, boy, from a village. My left knee hurts.", "sex", "male"),
        ("17 yr old girl. outer left thigh tingly.", "age", 17),
        ("74 year old gent. My left lower leg aches.", "sex", "male"),
        # a parent's words
        ("4 year old son, legs hurt at bedtime.", "sex", "male"),
        ("Son (17) broke his shin playing rugby Saturday.", "age", 17),
        ("My lad is twelve and his knees ache.", "sex", "male"),
        # durations and onsets said in new ways
        ("For the past 3 or 4 months I've had cramps in my calves.", "duration", "months"),
        ("My lower back aches too. 3rd week of this now.", "duration", "weeks"),
        ("Now 3 days later my thighs are stiff and sore.", "duration", "days"),
        ("4 YEARS of front-of-shin pain in both legs.", "duration", "months"),
        ("My calf is sore to touch. Been like this 3 weeks.", "duration", "weeks"),
        ("My shins and thighs have ached for 2+ years.", "duration", "months"),
        ("My knees ache. about a year now on and off.", "duration", "months"),
        ("Day before yesterday I got a sharp pain in my leg.", "duration", "days"),
        ("Baseball game yesterday, felt my right lower leg tighten up.", "duration", "days"),
        ("Fell in the kitchen Wed night and now both thighs ache.", "duration", "days"),
        ("Since the summer both my feet have burning attacks.", "duration", "months"),
        (
            "my right leg started hurting behind the knee and down into the calf this afternoon.",
            "duration",
            "hours",
        ),
        # places inside a radiating pain or a weakness
        ("Shooting pain from my lower back into my left thigh and calf.", "pain_thigh", True),
        ("Both thighs ache all the time and are weak.", "pain_thigh", True),
        # times of day, heaviness, anti-inflammatories
        ("Middle of the night my calf aches and goes rock hard.", "worse_evening_night", True),
        ("My legs ache and feel heavy, especially at night.", "worse_evening_night", True),
        ("Shins ache when I run. Nothing at night.", "worse_evening_night", False),
        ("My legs feel heavy by the evening.", "aching_heavy", True),
        (
            "It's a deep ache in my hip and naproxen sorts it within the hour.",
            "relieved_by_anti_inflammatory",
            True,
        ),
        (
            "My knees are sore, rest, physio, ibuprofen, nothing helps.",
            "relieved_by_anti_inflammatory",
            False,
        ),
        # fever, breathing and injury in lay words, said there or not
        ("My knee hurts, no temperatures.", "fever", False),
        ("My knee hurts. Temp normal.", "fever", False),
        ("Ankles swollen, a bit puffed on the hill to church.", "short_of_breath", True),
        ("Lower leg swollen and tender, breathing fine.", "short_of_breath", False),
        ("His hip hurts. Nobody remembers him hurting himself.", "recent_injury", False),
        ("Sometimes my knee gives way. Can't remember hurting it.", "recent_injury", False),
        ("I played football, no injury at all, then my calf hurt.", "recent_injury", False),
        ("Son broke his shin playing rugby and it hurts.", "recent_injury", True),
        ("My right knee blew up overnight and it hurts.", "onset", "sudden"),
        ("My back went and the pain slowly spread into both legs.", "onset", "gradual"),
        ("Can't lie on that side and it hurts most of the day.", "pain_in_daytime", True),
    ],
)
def test_round5_reading(text: str, finding: str, value: object) -> None:
    assert parse(text).answers.get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Diclofenac, come back in a week if no better.", "relieved_by_anti_inflammatory"),
        ("I have a 6 year old girl and my left knee aches.", "age"),
    ],
)
def test_round5_not_read(text: str, finding: str) -> None:
    assert finding not in parse(text).answers
