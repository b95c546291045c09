"""Readings changed in the tenth development round for history and injuries
(dev_v2_[a-w], dev.yaml): one case per kind, read and not read."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # the pain dates from an injury, said with 'ever since'; a step into a hole
        ("My shin has ached for years, ever since I broke it skiing.", "recent_injury", True),
        ("Last night I stepped in a pothole and my ankle swelled up.", "recent_injury", True),
        # no injury, said of both legs
        ("Both my feet burn at night. I haven't hurt them.", "recent_injury", False),
        # a question, a half-denial: no reading
        ("My calf aches. Could it just be a pulled muscle?", "recent_injury", None),
        ("His knee is swollen. Is this a sports injury?", "recent_injury", None),
        ("My hips cracked without a proper fall.", "recent_injury", None),
        ("Both thigh bones broke with hardly any injury.", "recent_injury", None),
        # still read
        ("I had a proper fall on the ice and my knee hurts.", "recent_injury", True),
        ("No fall, no injury.", "recent_injury", False),
        # back trouble before: operations, vertebrae, a long-standing trapped nerve
        ("I had an operation on my lower back three years ago.", "back_problem_history", True),
        ("Since my back op a week ago my thigh is numb.", "back_problem_history", True),
        ("I've a long-standing trapped nerve in my lower back.", "back_problem_history", True),
        ("I've had a bad lower back for about five years.", "back_problem_history", True),
        ("I had crushed vertebrae a few years ago.", "back_problem_history", True),
        ("I've had plenty of bad backs over the years.", "back_problem_history", True),
        ("I've had a bad back on and off for years.", "back_problem_history", True),
        # the complaint of now is no history
        ("I have bad back pain and pain down my leg.", "back_problem_history", None),
        ("Bad back for a week with pain down my leg.", "back_problem_history", None),
        (
            "Pain free after my back op yesterday, but my thigh is numb.",
            "back_problem_history",
            None,
        ),
        # age: "58 here", a parent written about from the first words
        ("58 here. My ankle is swollen.", "age", 58.0),
        ("My dad is 76 and his foot is red and sore.", "age", 76.0),
        ("Writing for my mum, she's 78. Her leg hurts.", "age", 78.0),
        ("My mum is 81 and I'm 52. My calf hurts.", "age", 52.0),
        ("I walked 58 here and there.", "age", None),
        # borderline sugar is no diabetes; diabetes still is
        ("I've had borderline high blood sugar for years.", "diabetes", None),
        ("I'm pre-diabetic, they told me.", "diabetes", None),
        ("I have type 2 diabetes.", "diabetes", True),
    ],
)
def test_round10_history(text: str, finding: str, value: object) -> None:
    assert parse(text).answers.get(finding) == value
