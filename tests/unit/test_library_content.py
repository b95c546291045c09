"""The condition library: every condition grouped once, pages only from the knowledge base,
never advice unsafe in the condition itself, searchable by lay words, and `legpain explain`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from legpain.cli.app import app
from legpain.knowledge import KnowledgeBase
from legpain.library import check_groups, condition_page, groups, search


def test_every_condition_is_in_exactly_one_group(kb: KnowledgeBase) -> None:
    assert check_groups(kb) == []
    assert [g.id for g in groups()] == [
        "circulation",
        "nerves_and_spine",
        "muscles_and_joints",
        "bones",
        "children",
        "medicines_and_body_chemistry",
        "skin_and_veins",
    ]
    assert sum(len(g.conditions) for g in groups()) == len(kb.conditions) == 35


def test_pages_never_advise_what_the_condition_itself_forbids(kb: KnowledgeBase) -> None:
    by_id = {a.id: a for a in kb.advice}
    never = {n.tag for n in kb.policy.never_advise}
    for cid in kb.conditions:
        page = condition_page(cid, kb)
        for item in (*page.tonight, *page.watch_for, *page.tests, *page.ask_doctor):
            a = by_id[item.id]
            assert cid in a.conditions
            avoid = set(a.avoid_if_possible)
            for ci in kb.policy.contraindications:
                if ci.tag in a.tags:
                    avoid |= set(ci.avoid_if_possible)
            assert cid not in avoid, (cid, a.id)
            assert not never & set(a.tags), (cid, a.id)


def test_pages_come_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    for cid, cond in kb.conditions.items():
        page = condition_page(cid, kb)
        assert page.summary == cond.summary.strip()
        assert page.points_to and all(s.likelihood_ratio > 1 for s in page.points_to), cid
        assert all(s.likelihood_ratio < 1 for s in page.points_away), cid
        assert all(
            w.id in {r.id for r in kb.triage_rules if r.suspect == cid} for w in page.get_help
        )
        assert page.sources, cid
        assert all(s.title == kb.sources[s.key].title for s in page.sources)
        json.dumps(page.to_dict())
    # The red-flag rules that name a suspect reach its page.
    dvt = condition_page("deep_vein_thrombosis", kb)
    assert "possible_pulmonary_embolism_chest" in {w.id for w in dvt.get_help}
    # Leg raising is never advised on the page of arterial disease.
    pad = condition_page("peripheral_artery_disease", kb)
    assert not any(
        "leg_raising" in a.tags for a in kb.advice if a.id in {i.id for i in pad.tonight}
    )


def test_search_by_lay_words(kb: KnowledgeBase) -> None:
    assert search("restless legs, can't keep them still", kb)[0][0] == "restless_legs_syndrome"
    top = [cid for cid, _ in search("burning feet", kb)[:3]]
    assert "erythromelalgia" in top or "peripheral_neuropathy" in top
    assert search("", kb) == []


def test_explain_command() -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["explain", "gout"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "What points to it" in shown.stdout and "Sources" in shown.stdout
    as_json = runner.invoke(app, ["explain", "--json", "sciatica"])
    assert json.loads(as_json.stdout)["id"] == "sciatica"
    unknown = runner.invoke(app, ["explain", "nope"])
    assert unknown.exit_code == 2
