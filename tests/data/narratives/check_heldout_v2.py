"""Check heldout_v2.yaml against the shared vocabulary (v2). Does not import legpain.text.

Run: python tests/data/narratives/check_heldout_v2.py [path/to/vocabulary.yaml]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from _vocab_checks import DEFAULT_VOCAB, value_problem

HERE = Path(__file__).parent
VOCAB = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_VOCAB


def main() -> int:
    vocab = yaml.safe_load(VOCAB.read_text())
    findings = {f["id"]: f for f in vocab["findings"]}
    conditions = {c["id"] for c in vocab["conditions"]}
    levels = {t["id"] for t in vocab["triage_levels"]}
    data = yaml.safe_load((HERE / "heldout_v2.yaml").read_text())
    items = data["narratives"]
    errors: list[str] = []

    def check_value(where: str, fid: str, value: object) -> None:
        problem = value_problem(findings, where, fid, value)
        if problem:
            errors.append(problem)

    seen_conditions: dict[str, int] = {}
    for n, item in enumerate(items, start=1):
        iid = item.get("id")
        if iid != f"hv-{n:03d}":
            errors.append(f"item {n}: id {iid} out of order")
        for key in ("text", "answers", "citation"):
            if not item.get(key):
                errors.append(f"{iid}: missing {key}")
        for fid, value in (item.get("answers") or {}).items():
            check_value(iid, fid, value)
        for m in item.get("mentions") or []:
            check_value(f"{iid} mention", m["finding"], m["value"])
            if m["text"].lower() not in " ".join(item["text"].split()).lower():
                errors.append(f"{iid}: mention text not in text: {m['text']!r}")
            if item["answers"].get(m["finding"]) != m["value"]:
                errors.append(f"{iid}: mention {m['finding']} disagrees with answers")
        exp = item.get("expected")
        if exp:
            if exp.get("condition") not in conditions:
                errors.append(f"{iid}: unknown condition {exp.get('condition')}")
            if exp.get("triage") not in levels:
                errors.append(f"{iid}: unknown triage {exp.get('triage')}")
            seen_conditions[exp["condition"]] = seen_conditions.get(exp["condition"], 0) + 1
        if "misled" in item and not isinstance(item["misled"], bool):
            errors.append(f"{iid}: misled must be true/false")
    few = sorted(c for c in conditions if seen_conditions.get(c, 0) < 3)
    misled = sum(1 for i in items if i.get("misled"))
    print(f"{len(items)} narratives, {misled} misled, {len(seen_conditions)} conditions")
    if few:
        print(
            "conditions with fewer than 3:",
            ", ".join(f"{c}={seen_conditions.get(c, 0)}" for c in few),
        )
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
