"""Readings added in the sixth development round for the body (dev_v2_[a-r]): one case per kind."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # the thigh a pain runs down is a place of the pain too
        ("Pain in my right buttock shooting right down the back of my thigh.", "pain_thigh", True),
        (
            "Lower back pain that now goes down the back of both thighs at night.",
            "pain_thigh",
            True,
        ),
        # an ache or numbness beside weakness is still read
        ("Both legs ache and go weak after I walk a few hundred yards.", "aching_heavy", True),
        ("Both legs ache and go weak after I walk a few hundred yards.", "leg_weakness", True),
        ("My feet are numb and weak.", "numbness", True),
        # bearing weight said to be fine, now
        ("My left knee is sore. I can walk on it but it hurts.", "cannot_bear_weight", False),
        ("His shins ache at night. He walks fine in the day.", "cannot_bear_weight", False),
        # no weight on the leg, in other words
        ("My ankle is swollen and too sore to put weight on.", "cannot_bear_weight", True),
        ("My calf was agony and I couldn't put my foot down to walk.", "cannot_bear_weight", True),
    ],
)
def test_reads(text: str, finding: str, value: object) -> None:
    assert parse(text).answers.get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a past ability is no denial (it would cancel a later "won't stand")
        ("He was walking fine until yesterday, now he won't stand on it.", "cannot_bear_weight"),
        # "can't stand anyone touching it" is how tender it is, not bearing weight
        (
            "My left knee is red, hot and swollen and I can't stand anyone touching it.",
            "cannot_bear_weight",
        ),
        # "can't pull my foot up" is weakness, not a stretch that helps
        ("My foot is weak and I can't pull the foot up properly.", "relieved_by_stretching"),
    ],
)
def test_does_not_read(text: str, finding: str) -> None:
    answers = parse(text).answers
    if finding == "cannot_bear_weight" and "won't stand" in text:
        assert answers.get(finding) is True
    else:
        assert finding not in answers
