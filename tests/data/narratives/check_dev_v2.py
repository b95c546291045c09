"""Check development narrative files (e.g. dev_v2_a.yaml) against the shared vocabulary (v2).

Does not import legpain.text. The id prefix is taken from the file's first item
("dv-a-001" -> "dv-a-"), and ids must run 001, 002, ... in order.

Run: python tests/data/narratives/check_dev_v2.py FILE.yaml [FILE.yaml ...]
     [--vocab path/to/vocabulary.yaml]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml
from _vocab_checks import DEFAULT_VOCAB, value_problem


def check_file(path: Path, vocab: dict[str, Any]) -> int:
    findings = {f["id"]: f for f in vocab["findings"]}
    conditions = {c["id"] for c in vocab["conditions"]}
    levels = {t["id"] for t in vocab["triage_levels"]}
    data = yaml.safe_load(path.read_text())
    items = data["narratives"]
    errors: list[str] = []
    first = str(items[0].get("id", "")) if items else ""
    match = re.match(r"^(.*?)(\d+)$", first)
    prefix = match.group(1) if match else ""

    def check_value(where: str, fid: str, value: object) -> None:
        problem = value_problem(findings, where, fid, value)
        if problem:
            errors.append(problem)

    seen_conditions: dict[str, int] = {}
    for n, item in enumerate(items, start=1):
        iid = item.get("id")
        if iid != f"{prefix}{n:03d}":
            errors.append(f"item {n}: id {iid} out of order")
        for key in ("text", "answers", "citation", "expected"):
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
        if not isinstance(item.get("misled"), bool):
            errors.append(f"{iid}: misled must be true/false")
        words = len(str(item.get("text", "")).split())
        if not 30 <= words <= 200:
            errors.append(f"{iid}: text has {words} words (expected about 40-180)")
    misled = sum(1 for i in items if i.get("misled"))
    print(f"{path}: {len(items)} narratives, {misled} misled, {len(seen_conditions)} conditions")
    print("  " + ", ".join(f"{c}={k}" for c, k in sorted(seen_conditions.items())))
    for e in errors:
        print("ERROR", e)
    return len(errors)


def main(argv: list[str]) -> int:
    vocab_path = DEFAULT_VOCAB
    paths: list[Path] = []
    args = iter(argv)
    for a in args:
        if a == "--vocab":
            vocab_path = Path(next(args))
        else:
            paths.append(Path(a))
    if not paths:
        print(__doc__)
        return 2
    vocab = yaml.safe_load(vocab_path.read_text())
    total = sum(check_file(p, vocab) for p in paths)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
