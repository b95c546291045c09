"""Hypothesis strategies for answers drawn from the vocabulary."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from legpain.knowledge import load_knowledge

KB = load_knowledge()
FINDINGS = sorted(KB.findings)
WARNINGS = sorted(KB.warning_findings)


def value_for(fid: str) -> st.SearchStrategy[Any]:
    f = KB.findings[fid]
    if f.type == "boolean":
        return st.booleans()
    if f.type == "choice":
        return st.sampled_from(f.choices or [])
    lo = f.minimum if f.minimum is not None else 0.0
    hi = f.maximum if f.maximum is not None else 100.0
    return st.integers(int(lo), int(hi))


@st.composite
def answers(
    draw: st.DrawFn, max_size: int = 25, exclude: frozenset[str] = frozenset()
) -> dict[str, Any]:
    ids = draw(
        st.lists(
            st.sampled_from([f for f in FINDINGS if f not in exclude]),
            max_size=max_size,
            unique=True,
        )
    )
    return {fid: draw(value_for(fid)) for fid in ids}
