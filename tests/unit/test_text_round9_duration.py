"""Duration and onset readings from the ninth development round (precision first): the back's
long time as background, a sudden or within-a-walk worsening that is no onset. Sentences
written for the test."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a time told of the back alone gives way to a later one said of the legs
        ("Low back pain for 5 weeks. Since yesterday both legs feel weak.", "days"),
        ("My back has ached for two months. Over the last 3 days my thigh has gone numb.", "days"),
        # the back's vague long time is background; the same clause still holds the leg's
        ("I've had a bad back for years but the last two weeks my calf has burned.", "weeks"),
        # a long time of the leg itself is kept
        ("My knee has ached for two months. Since yesterday it is swollen too.", "weeks"),
        ("I've ached all over for years - arms, legs, everywhere.", "months"),
    ],
)
def test_read(text: str, value: str) -> None:
    assert parse(text).answers.get("duration") == value


@pytest.mark.parametrize(
    "text",
    [
        # the back's long time, no time for the leg complaint
        ("My lower back has ached for years and now the pain runs down my thigh."),
        ("I have had a stiff back for ages, but the new thing is a tired achy hip on walks."),
        # standing for a long while is a posture's time
        ("My feet hurt when I've stood on parade for ages."),
        # someone joining up is not when the pain began
        ("Joined the navy six weeks ago. My shins hurt on runs."),
    ],
)
def test_not_read(text: str) -> None:
    assert parse(text).answers.get("duration") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("It came on suddenly last night, my calf went tight.", "sudden"),
        ("Last week I suddenly got a sharp pain in my shin.", "sudden"),
        ("For months my legs have got worse and worse.", "gradual"),
    ],
)
def test_onset_read(text: str, value: str) -> None:
    assert parse(text).answers.get("onset") == value


@pytest.mark.parametrize(
    "text",
    [
        # a sudden worsening is not how it began
        "My knee has ached a while and yesterday it suddenly got much worse.",
        "My legs were weak and then they suddenly got weaker overnight.",
        # worse within one walk, until the person stops
        "After ten minutes walking my calf gets worse and worse until I stop.",
        "Each run the shin gets steadily worse till I have to walk.",
    ],
)
def test_onset_not_read(text: str) -> None:
    assert parse(text).answers.get("onset") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the day said just after the leg's symptom words (the clause cut at a comma)
        ("My ankle came up red, hot and swollen yesterday and it throbs.", "days"),
        ("Yesterday my left calf suddenly started aching badly.", "days"),
    ],
)
def test_yesterday_read(text: str, value: str) -> None:
    assert parse(text).answers.get("duration") == value


def test_yesterday_fine_not_read() -> None:
    # fine yesterday, not the start of a sore leg
    assert parse("The knee was sore yesterday but fine today.").answers.get("duration") is None
