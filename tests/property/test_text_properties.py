"""Properties of the free-text parser: never raises, deterministic, answers always valid."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legpain.engine import parse_answers
from legpain.text import parse
from legpain.text._parse import MAX_CHARS

LAY = st.sampled_from(
    [
        "no",
        "not",
        "my",
        "left",
        "right",
        "both",
        "calf",
        "legs",
        "swollen",
        "maybe",
        "mum",
        "used to",
        "smoke",
        "67",
        "y/o",
        "for",
        "three",
        "weeks",
        "ago",
        ",",
        ".",
        "burning",
        "cramp",
        "isn't",
        "pins and needles",
        "sixty-seven",
        "year old",
        "8/10",
        "since",
        "son",
    ]
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    first = parse(text)
    assert parse_answers(first.answers) == first.answers
    assert parse(text).to_dict() == first.to_dict()
    for ev in first.evidence.values():
        assert 0 < ev.confidence <= 1
        assert text[ev.start : ev.end] == ev.text


@SETTINGS
@given(st.text())
def test_any_unicode(text: str) -> None:
    _check(text)


@SETTINGS
@given(st.lists(LAY, max_size=40).map(" ".join))
def test_lay_word_salad(text: str) -> None:
    _check(text)


@settings(max_examples=5, deadline=None)
@given(st.text(min_size=1, max_size=3))
def test_very_long_input(seed: str) -> None:
    text = ("my left calf is swollen, no chest pain. " + seed) * (MAX_CHARS // 30)
    result = parse(text)
    assert parse_answers(result.answers) == result.answers
    assert result.unplaced  # the part beyond the limit is reported, not silently dropped
