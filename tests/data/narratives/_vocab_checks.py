"""What the two narrative checkers share: the shared vocabulary's place and a value check.
Does not import legpain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# The repository's parent holds ../shared (as CI lays it out).
DEFAULT_VOCAB = Path(__file__).resolve().parents[4] / "shared" / "spec" / "vocabulary.yaml"


def value_problem(findings: dict[str, Any], where: str, fid: str, value: object) -> str | None:
    """Why `value` is not an answer to finding `fid`, or None when it is."""
    f = findings.get(fid)
    if f is None:
        return f"{where}: unknown finding {fid}"
    if f["type"] == "boolean" and not isinstance(value, bool):
        return f"{where}: {fid} needs true/false, got {value!r}"
    if f["type"] == "choice" and value not in f["choices"]:
        return f"{where}: {fid}={value!r} not in {f['choices']}"
    if f["type"] == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"{where}: {fid} needs a number, got {value!r}"
    return None
