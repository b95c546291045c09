"""Duration readings from the eleventh development round (precision first): spans of other
things told beside the complaint (a pastime, a routine, a posture, an old event, a test, a
wait, a plan, a walking aid), an earlier episode that ended, one bout's length, and an old
span beside a much newer one (nothing is read rather than a guess). Sentences written for the
test, not taken from any narrative set."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    "text",
    [
        # what the person has done for that time, in a piece of its own
        "I've been doing yoga for years and my hamstrings ache at night.",
        "I've played football for 15 years, my knee hurts after games.",
        "I've been dieting for 3 months and my legs cramp at night.",
        "I've been training for a marathon for 4 months and my shin hurts.",
        "I took ibuprofen for a week and my knee still hurts.",
        "I've been jogging for 6 years and now my knee hurts on the stairs.",
        "I have played tennis for 20 years, and my calf aches.",
        "I've cycled to work for 3 years. My knee hurts now.",
        "My shin hurts. I've been training for a marathon for four months.",
        "My knee pain has been there. I went on holiday for two weeks.",
        "I've had two babies in the last five years and my legs ache.",
        "I've put on 3 stone in the last year and my knees hurt.",
        # a routine's or a posture's length
        "I sit at a desk for 8 hours a day and my legs ache.",
        "I walk for an hour every day and my calf hurts.",
        "I stand for 12 hours a shift and my feet throb at night.",
        "After sitting for 2 hours my legs ache.",
        # an event months or years ago, nothing dating the complaint from it
        "I had a fall 20 years ago. My knee aches now.",
        "I broke my leg 30 years ago. Now I get cramps at night.",
        "I had a hip replacement two years ago and now my calf is swollen.",
        "I had my knee scoped a year ago. It aches at night.",
        "I took up marathon training 8 months ago. My shins are sore.",
        "I had a knee operation last year and my calf aches at night.",
        # a test's date, a wait, a walking aid, a plan, intensive care, a friend's complaint
        "The results came back two days ago. My legs still ache.",
        "I've been waiting 3 months to see someone about my back pain and leg pain.",
        "I used crutches for two weeks. My knee hurts at night.",
        "The doctor wants to try bandaging them tight for 3 days, my legs are swollen.",
        "I was in a coma for 2 weeks. Now my legs are weak.",
        "My friend has had the same knee pain for years.",
        # an earlier episode that ended, and one bout's length said alone
        "I had a bad back two years ago that settled. My calf hurts now.",
        "The swelling lasts for about an hour after I wake up.",
        # the back's time, the leg complaint begun later at no stated time
        "For about 3 years I've had low back pain on and off. This year I began getting a jolt of pain down my thigh.",
        # an old span and a much newer one beside the leg: unsure, so nothing
        "For a couple of years my shin has ached when I run. This week it didn't settle and the shin is swollen.",
        "My knees have ached for three years. Since yesterday my foot is red, hot and swollen.",
        "For about a month I've had an ache behind my knee. This morning my foot went cold and numb.",
    ],
)
def test_not_read(text: str) -> None:
    assert parse(text).answers.get("duration") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the complaint's own time is still read
        ("My calf has hurt for three weeks.", "weeks"),
        ("For three weeks I've been limping and my calf hurts.", "weeks"),
        ("For six months I've been getting breathless, and both my ankles swell.", "months"),
        ("My back and leg pain, which I've had for about 8 months, is worse at night.", "months"),
        ("I've had this for years and it's getting worse.", "months"),
        ("Every night for a week my calves have cramped.", "days"),
        ("Restless legs every night for years.", "months"),
        ("For about the last year I can't get to sleep for my jumpy legs.", "months"),
        # a dash ends a clause: the doctors are not the time's
        ("He has had pain in his hip for about a year - we've seen five doctors.", "months"),
        # an event the complaint is dated from
        ("Two years ago I fell and my knee has hurt ever since.", "months"),
        ("Six months ago I had a fall and since then my hip hurts.", "months"),
        ("I had a fall 20 years ago. Since then my knee has ached.", "months"),
        (
            "About nine months ago her training went up and both her shins started hurting.",
            "months",
        ),
        ("I twisted my ankle 3 days ago and it is swollen.", "days"),
        (
            "I had an operation on my back three months ago and it didn't help my leg pain.",
            "months",
        ),
        # an episode that did not end is not an earlier one
        ("My son has limped for two weeks and it isn't getting better.", "weeks"),
        # an ended episode gives way to the present one
        (
            "A few months ago my legs went weak and I got better. But over the last three weeks it has come back.",
            "weeks",
        ),
        # the back's time with a later time said of the leg: the leg's
        (
            "Back pain for 3 weeks. Over the last 2 days it has started to shoot down my thigh.",
            "days",
        ),
        # the same complaint grown worse keeps its span
        ("My calf has hurt for three weeks. Since yesterday it is worse.", "weeks"),
        ("I've had leg cramps for months. This week they've been worse.", "months"),
    ],
)
def test_read(text: str, value: str) -> None:
    assert parse(text).answers.get("duration") == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # when it began, not how: no onset from "started ... ago and it keeps getting worse"
        ("My calf pain started about 3 months ago and it keeps getting worse.", None),
        ("My knee has hurt for months and it keeps getting worse.", "gradual"),
    ],
)
def test_onset(text: str, value: str | None) -> None:
    assert parse(text).answers.get("onset") == value
