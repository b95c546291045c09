"""Check a dv-c narratives file against the shared vocabulary (v2). Does not import legpain.text.

Run: python tests/data/narratives/_check_c.py path/to/narratives.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent
VOCAB = Path("/work/shared/spec/vocabulary.yaml")


def main() -> int:
    vocab = yaml.safe_load(VOCAB.read_text())
    findings = {f["id"]: f for f in vocab["findings"]}
    conditions = {c["id"] for c in vocab["conditions"]}
    levels = {t["id"] for t in vocab["triage_levels"]}
    data = yaml.safe_load((Path(sys.argv[1])).read_text())
    items = data["narratives"]
    errors: list[str] = []

    def check_value(where: str, fid: str, value: object) -> None:
        f = findings.get(fid)
        if f is None:
            errors.append(f"{where}: unknown finding {fid}")
            return
        if f["type"] == "boolean" and not isinstance(value, bool):
            errors.append(f"{where}: {fid} needs true/false, got {value!r}")
        elif f["type"] == "choice" and value not in f["choices"]:
            errors.append(f"{where}: {fid}={value!r} not in {f['choices']}")
        elif f["type"] == "number" and (
            isinstance(value, bool) or not isinstance(value, (int, float))
        ):
            errors.append(f"{where}: {fid} needs a number, got {value!r}")

    seen_conditions: dict[str, int] = {}
    for n, item in enumerate(items, start=1):
        iid = item.get("id")
        if iid != f"dv-c-{n:03d}":
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
    targets = {
        "spinal_cord_compression",
        "fracture",
        "baker_cyst",
        "gout",
        "superficial_thrombophlebitis",
        "child_hip_disorder",
        "osteomalacia",
        "guillain_barre_syndrome",
        "acute_compartment_syndrome",
        "rhabdomyolysis",
        "erythromelalgia",
    }
    few = sorted(c for c in targets if seen_conditions.get(c, 0) < 4)
    misled = sum(1 for i in items if i.get("misled"))
    print(f"{len(items)} narratives, {misled} misled, {len(seen_conditions)} conditions")
    if few:
        print(
            "target conditions with fewer than 4:",
            ", ".join(f"{c}={seen_conditions.get(c, 0)}" for c in few),
        )
    print("per condition:", dict(sorted(seen_conditions.items())))
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
