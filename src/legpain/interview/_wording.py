"""Questions worded for the person they are about (the words are data: respondent.yaml)."""

from __future__ import annotations

import re
from functools import cache

from legpain.knowledge._schema import Respondent, Rewrite


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def reword(text: str, respondent: Respondent, rewrites: list[Rewrite]) -> str:
    """``text`` (spoken to the person answering) reworded about ``respondent``.

    Of the ``first`` rewrites only the earliest match in the text is applied, once
    (unless the text already names the person); then every other rewrite, in order.
    """
    who, whose = respondent.who or "", respondent.whose or ""

    def fill(rule: Rewrite) -> str:
        return rule.replace.replace("{who}", who).replace("{whose}", whose)

    if who and who not in text:
        best: tuple[int, Rewrite] | None = None
        for rule in rewrites:
            m = _compiled(rule.find).search(text) if rule.first else None
            if m is not None and (best is None or m.start() < best[0]):
                best = (m.start(), rule)
        if best is not None:
            text = _compiled(best[1].find).sub(lambda _m: fill(best[1]), text, count=1)
    for rule in rewrites:
        if not rule.first:
            text = _compiled(rule.find).sub(lambda _m, r=rule: fill(r), text)  # type: ignore[misc]
    return text
