"""Side readings added in the sixth development round (dev_v2_[a-r]): one case per kind."""

from __future__ import annotations

import pytest

from legpain.text import parse


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # "both ..." with the complaint after a comma, in the same clause
        ("Since yesterday both legs feel wobbly, weak and numb.", "both"),
        ("Both of my lower legs, the front and outside bit, go rock hard and painful.", "both"),
        ("New leg cramps at night, calves mainly, both sides.", "both"),
        # plural sites with the complaint across the commas of one clause
        ("My feet have gone red, swollen and warm with a burning pain.", "both"),
        ("I ache all over, thighs and calves the worst.", "both"),
        ("By the end of the day my ankles have puffed up, both of them.", "both"),
        # restless legs in lay words
        ("Every night I get this urge to move my legs.", "both"),
        ("There's an internal itch deep in both calves in the evening.", "both"),
        # one side, then the other side doing the same
        ("My right big toe went red and sore, then the left big toe did the same.", "both"),
        (
            "My right lower leg was operated on last year. Now the same ache is back on the right"
            " during runs and it's started in the left too.",
            "both",
        ),
        # a side named beside no complaint is not the pain's
        (
            "I broke my right hip last year. Now my left groin has been aching for a fortnight.",
            "left",
        ),
        # the side of a place named just before, or said with the complaint
        ("My shin hurts, the right one, in one spot.", "right"),
        ("She has been limping on the left for months. Her right leg is fine.", "left"),
        # the other side's chest is no leg
        ("My left leg is swollen and there's a pain on the right side of my chest.", "left"),
        # a lump on one shin that went, then one on the other calf
        (
            "A red lump came up on my right shin, faded, then another on my left calf.",
            "alternating",
        ),
        ("His knees and ankles hurt, one then the other.", "alternating"),
    ],
)
def test_reads_the_side(text: str, side: str) -> None:
    assert parse(text).answers.get("side") == side


@pytest.mark.parametrize(
    "text",
    [
        # "right" and "left" that are no side
        "The pain is right on the point of my hip.",
        "My toe tingled, so I left it for a week. Now my leg hurts.",
        # "both sides" of something that is not a leg
        "I keep breaking ribs on both sides and my bones ache.",
        # a denial after the comma is no complaint
        "Both legs look the same, no swelling at all.",
    ],
)
def test_no_side(text: str) -> None:
    assert "side" not in parse(text).answers


def test_left_verb_does_not_hide_the_other_side() -> None:
    assert parse("The pain is right on the point of my left hip.").answers["side"] == "left"
