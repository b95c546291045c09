"""Explanations a clinician would sign: plain words, strength in words, the
ratio kept for the doctor, and no 0% or 100% anywhere a probability is shown."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from legpain.cli._render import render
from legpain.engine import Engine
from legpain.engine.explain import explain, format_probability, short_name, strength_of

from strategies import answers

RATIO_TEXT = re.compile(r"\d\s*times|\d+\.\d", re.IGNORECASE)


def all_reasons(engine: Engine, answered: dict[str, Any]) -> list[dict[str, Any]]:
    d = engine.assess(answered).to_dict()
    return [
        r for c in d["conditions"] for r in c.get("reasons_for", []) + c.get("reasons_against", [])
    ]


@pytest.mark.parametrize("side", ["left", "right"])
def test_one_side_reads_one_leg_only(engine: Engine, side: str) -> None:
    reasons = [
        r
        for r in all_reasons(engine, {"side": side, "swelling_one_leg": True})
        if r["finding"] == "side"
    ]
    assert reasons
    for r in reasons:
        assert "in one leg only" in r["text"]
        assert side not in r["text"].lower()
        assert "which leg" not in r["text"].lower()


def test_both_legs_reads_both_legs(engine: Engine) -> None:
    reasons = [
        r
        for r in all_reasons(engine, {"side": "both", "urge_to_move": True})
        if r["finding"] == "side"
    ]
    assert reasons and all("both legs" in r["text"] for r in reasons)


def test_age_and_sex_in_words(engine: Engine) -> None:
    reasons = all_reasons(engine, {"age": 7, "sex": "female", "side": "both"})
    age = [r for r in reasons if r["finding"] == "age"]
    assert any("a common age for growing pains" in r["text"] for r in age)
    assert any("Age 7" in r["text"] for r in age)
    for sex, word in (("female", "more common in females"), ("male", "less common in males")):
        up, down = explain(
            engine.kb, engine.model, {"sex": sex, "hypothyroid_symptoms": True}, "hypothyroidism"
        )
        texts = [r.text for r in up + down if r.finding == "sex"]
        assert texts and all(word in t for t in texts), texts


def test_strength_in_words_and_the_number_kept(engine: Engine) -> None:
    for r in all_reasons(engine, {"age": 7, "side": "both", "swelling_one_leg": True}):
        assert r["strength"] in r["text"]
        assert r["strength"] == strength_of(r["likelihood_ratio"])
        assert isinstance(r["likelihood_ratio"], float)
        assert r["direction"] == ("for" if r["likelihood_ratio"] >= 1 else "against")


@pytest.mark.parametrize(
    ("ratio", "word"),
    [
        (1.3, "slightly"),
        (1.99, "slightly"),
        (2.0, "moderately"),
        (4.9, "moderately"),
        (5.0, "strongly"),
        (700.0, "strongly"),
        (0.6, "slightly"),
        (0.4, "moderately"),
        (0.1, "strongly"),
    ],
)
def test_strength_bands(ratio: float, word: str) -> None:
    assert strength_of(ratio) == word


@settings(max_examples=80, deadline=None)
@given(answered=answers(max_size=20))
def test_no_ratios_or_raw_labels_in_any_reason(engine: Engine, answered: dict[str, Any]) -> None:
    for r in all_reasons(engine, answered):
        assert not RATIO_TEXT.search(r["text"]), r["text"]
        assert "which leg" not in r["text"].lower()
        assert "your sex (" not in r["text"].lower()
        for c in engine.kb.conditions.values():  # bracketed glosses of names left out
            if "(" in c.name:
                assert c.name.lower() not in r["text"].lower(), r["text"]


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (1.0, "over 99%"),
        (0.9951, "over 99%"),
        (0.994, "99%"),
        (0.5, "50%"),
        (0.006, "1%"),
        (0.0049, "under 1%"),
        (0.0, "under 1%"),
    ],
)
def test_format_probability(p: float, text: str) -> None:
    assert format_probability(p) == text


@given(p=st.floats(min_value=0.0, max_value=1.0))
def test_format_probability_never_says_certain(p: float) -> None:
    assert format_probability(p) not in ("0%", "100%")


def test_short_name() -> None:
    assert short_name("Sciatica (lumbar radiculopathy, herniated disc, piriformis)") == "Sciatica"
    assert short_name("Lumbar spinal stenosis") == "Lumbar spinal stenosis"


def _rendered(engine: Engine, answered: dict[str, Any]) -> str:
    buf = io.StringIO()
    render(engine.assess(answered), Console(file=buf, width=200, color_system=None))
    return buf.getvalue()


@pytest.mark.parametrize(
    "answered",
    [
        {
            "chest_pain": True,
            "swelling_one_leg": True,
            "side": "left",
            "calf_tenderness": True,
            "leg_warm": True,
            "recent_surgery_or_bedrest": True,
            "duration": "days",
        },
        {"age": 7, "side": "both", "worse_evening_night": True, "relieved_by_massage": True},
    ],
)
def test_the_report_never_shows_0_or_100_percent(engine: Engine, answered: dict[str, Any]) -> None:
    text = _rendered(engine, answered)
    assert not re.search(r"(?<![\d.])(0|100)\s*%", text), text
    assert "under 1%" in text or "over 99%" in text
