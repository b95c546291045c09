"""`legpain kb audit`: the real command, through Typer's runner."""

from __future__ import annotations

from typer.testing import CliRunner

from legpain.cli.app import app
from legpain.engine.audit import EXTREME_RATIO, audit
from legpain.knowledge import KnowledgeBase


def test_kb_audit_prints_every_condition_and_exits_0(kb: KnowledgeBase) -> None:
    result = CliRunner().invoke(app, ["kb", "audit"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for cid in kb.conditions:
        assert cid in result.output
    assert "with evidence" in result.output and "judged" in result.output


def test_audit_counts_and_extreme_ratios(kb: KnowledgeBase) -> None:
    rows = {r.cause: r for r in audit(kb)}
    for cid, c in kb.conditions.items():
        r = rows[cid]
        assert r.evidence + r.judged == 2 + len(c.modifiers) + len(c.likelihoods)
        for x in r.extreme_judged:
            assert x.ratio > EXTREME_RATIO or x.ratio < 1 / EXTREME_RATIO
            assert abs(x.ratio - x.p / x.base) < 1e-9
    # every judged yes/no likelihood far from its base rate is listed, from the KB itself
    for cid, c in kb.conditions.items():
        listed = {x.finding for x in rows[cid].extreme_judged}
        for lk in c.likelihoods:
            base = kb.findings[lk.finding].base
            if lk.source != "judgement" or lk.p is None or base is None or base.p is None:
                continue
            ratio = lk.p / base.p
            if ratio > EXTREME_RATIO or ratio < 1 / EXTREME_RATIO:
                assert lk.finding in listed, (cid, lk.finding, ratio)
