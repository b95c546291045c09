"""Checks shared by the web and browser tests of the result: the words of a lower
level than an emergency, and reading WeasyPrint's PDF (page count, probability bars)."""

from __future__ import annotations

import re
import zlib

# Words that belong to a lower level than an emergency (appointments, home care).
LOWER_THAN_EMERGENCY = [
    r"within 24 hours",
    r"two weeks",
    r"appointment",
    r"nhs 111",
    r"at home",
    r"gentle walking",
    r"same day",
    r"\btoday\b",
    r"get help sooner",
    r"what you can do tonight",
    r"see a doctor",
    r"\bgp\b",
]


def pdf_pages_and_bars(pdf: bytes) -> tuple[int, list[tuple[float, float]]]:
    """Pages, and per bar (fill width, track width), from WeasyPrint's PDF streams."""
    pages = 0
    bars: list[tuple[float, float]] = []
    fills = {"0.113725 0.305882 0.847059 rg", "0.419608 0.447059 0.501961 rg"}
    for m in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", m.end())
        try:
            data = zlib.decompress(pdf[m.end() : end]).decode("latin-1")
        except zlib.error:
            continue
        pages += len(re.findall(r"/Type\s*/Page\b", data))
        lines = data.splitlines()
        track = 0.0
        for i, line in enumerate(lines):
            if line == "0.6 0.6 0.6 rg" and i + 1 < len(lines):  # the track's inner box
                track = float(lines[i + 1].split()[2])
            if line in fills and i + 1 < len(lines) and lines[i + 1].endswith(" re"):
                bars.append((float(lines[i + 1].split()[2]), track))
    return pages, bars
