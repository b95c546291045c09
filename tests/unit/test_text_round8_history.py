"""Readings changed in the eighth development round for history, medicines and triggers
(dev_v2_[a-u], precision): one case per kind, read and not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # a standing condition the person has is still read
        ("My left calf hurts. I have arthritis in both knees.", "arthritis_known", True),
        ("My knee hurts. The doctor says grade 3 arthritis.", "arthritis_known", True),
        ("My left calf hurts. I've had a slipped disc before.", "back_problem_history", True),
        ("My leg hurts. I have stage 4 breast cancer and I'm on letrozole.", "active_cancer", True),
        # back trouble of long standing, in other words
        ("84 years young and my back has been grumbling for years.", "back_problem_history", True),
        ("My thigh aches. I've had lumbago on and off.", "back_problem_history", True),
        # a smoker who stopped after many years
        ("My calf hurts. I gave up smoking ten years ago after forty years of it.", "smoker", True),
        ("I smoke 20 a day and my calf hurts.", "smoker", True),
        # relief that is plainly good, and no relief
        ("My shin aches at night. Ibuprofen helps a lot.", "relieved_by_anti_inflammatory", True),
        ("My knee hurts and ibuprofen doesn't touch it.", "relieved_by_anti_inflammatory", False),
        # fluids, exercise, the family, said of what they are
        ("My legs cramp. I don't drink enough water.", "low_fluid_intake", True),
        ("My thighs hurt after I did 100 squats yesterday.", "new_or_intense_exercise", True),
        (
            "My legs are restless at night. No one in my family has restless legs.",
            "family_history_rls",
            False,
        ),
        (
            "I wake with a numb leg after sleeping twisted on the sofa.",
            "sleeps_legs_crossed_or_twisted",
            True,
        ),
    ],
)
def test_reads(text: str, finding: str, value: object) -> None:
    assert parse(text).answers.get(finding) == value


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a doctor's past label or guess, a fear or a question is not a condition (GUIDELINE.md)
        ("My left calf hurts. The doctor said sciatica and gave me pills.", "back_problem_history"),
        (
            "My buttock hurts. GP thought slipped disc and sent me for a scan.",
            "back_problem_history",
        ),
        ("My foot is numb. Is this a slipped disc?", "back_problem_history"),
        ("His knee is swollen. The hospital said juvenile arthritis.", "arthritis_known"),
        ("My hip hurts. Am I too young for hip arthritis?", "arthritis_known"),
        ("His shin hurts at night and I'm frightened of leukaemia.", "active_cancer"),
        ("My bones ache. Could a tumour really cause this?", "active_cancer"),
        ("My hip hurts. Is a pulled muscle supposed to last 4 months??", "recent_injury"),
        # a stop of smoking, without its years
        ("My calf hurts. I gave up smoking 20 years ago.", "smoker"),
        ("My calf hurts. Quit the cigarettes a few years ago.", "smoker"),
        # partial relief is not 'takes the pain away well'
        ("My knee aches. Advil helps a bit.", "relieved_by_anti_inflammatory"),
        # "I don't drink much" is alcohol; sitting is not sleeping; a routine, a verb, a future job
        ("My feet are numb. Not diabetic, I don't drink much.", "low_fluid_intake"),
        (
            "My foot drops. I sit with my legs crossed for hours at my desk.",
            "sleeps_legs_crossed_or_twisted",
        ),
        ("His knee is achy after games and feels tight when he squats.", "new_or_intense_exercise"),
        ("My legs give way. I'm meant to start a new job next month.", "new_or_intense_exercise"),
        ("My calf hurts. Nobody in my family has had clots.", "family_history_rls"),
        # an activity is not 'comes on when sitting'; standing on a cramp is not read as stretching
        ("He's hobbling but eating and watching telly.", "also_when_sitting"),
        ("Her knee is red hot and she won't stand on it.", "relieved_by_stretching"),
        # a lifelong blanket is not an infection denied
        ("My muscles hurt. I've never really been ill.", "recent_infection"),
    ],
)
def test_not_read(text: str, finding: str) -> None:
    assert parse(text).answers.get(finding) is None
