"""Rich rendering of an assessment for people."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from legpain.engine import Assessment
from legpain.engine._assess import TRIAGE_ACTION
from legpain.engine.explain import format_probability

BANNER_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on dark_orange",
    "routine": "bold black on yellow",
    "self_care": "bold black on green",
}
BANNER_TITLE = {
    "emergency": "EMERGENCY",
    "urgent": "URGENT: within 24 hours",
    "routine": "See a doctor: within about two weeks",
    "self_care": "Self-care at home",
}
BAR_WIDTH = 24
SHOWN_CAUSES = 5
MIN_EXPLAINED = 0.05  # reasons for a cause below this would be noise


def _bar(p: float) -> Text:
    filled = round(p * BAR_WIDTH)
    return Text("█" * filled + "·" * (BAR_WIDTH - filled), style="cyan")


def render(result: Assessment, console: Console) -> None:
    level = result.level
    title = f"{result.case}: " if result.case else ""
    lines: list[Text] = [Text(TRIAGE_ACTION[level], style="bold")]
    for r in result.triage.rules:
        if r.kind == "red_flag":
            lines.append(Text(f"⚠ {r.message} {r.action}"))
    console.print(
        Panel(Group(*lines), title=f"{title}{BANNER_TITLE[level]}", style=BANNER_STYLE[level])
    )

    table = Table(title="Possible causes (not a diagnosis)", show_lines=False, expand=False)
    table.add_column("Cause")
    table.add_column("Likelihood", no_wrap=True)
    table.add_column("Chance", justify="right", no_wrap=True)
    for c in result.conditions[:SHOWN_CAUSES]:
        table.add_row(c.name, _bar(c.probability), format_probability(c.probability))
    table.add_row(
        Text("Something else", style="italic"),
        _bar(result.other_cause_probability),
        format_probability(result.other_cause_probability),
    )
    console.print(table)
    if result.other_cause_note:
        console.print(Text(result.other_cause_note, style="bold"))

    for i, c in enumerate(result.conditions[:3]):
        if not (c.reasons_for or c.reasons_against) or (i > 0 and c.probability < MIN_EXPLAINED):
            continue
        console.print(Text(f"{c.name}: what points to it and against it", style="bold"))
        for reason in c.reasons_for:
            console.print(Text(f"  + {reason.text} [{reason.source}]", style="green"))
        for reason in c.reasons_against:
            console.print(Text(f"  − {reason.text} [{reason.source}]", style="red"))

    reviews = [r for r in result.triage.rules if r.kind == "review"]
    for r in reviews:
        console.print(Text(f"• {r.message} {r.action}"))
    if result.contributors:
        labels = ", ".join(result.kb.findings[f].label for f in result.contributors)
        console.print(Text(f"Things that may be contributing: {labels}", style="italic"))

    for s in result.scores.values():
        if s.shown and s.band and (s.points > 0 or s.all_met):
            points = f"{s.points:g}" if s.complete else f"{s.points:g} (up to {s.maximum:g})"
            line = f"{s.name}: {points} — {s.band}"
            if not s.complete:
                line += ". Incomplete: some of its items are not asked or not answered."
            console.print(Text(line))
            if s.note and s.id == "wells_dvt":
                console.print(Text(f"  {s.note}", style="dim"))

    headings = {
        "tonight": "What you can do tonight",
        "watch_for": "Get help if",
        "tests": "Tests a doctor may do",
        "ask_doctor": "Questions to ask your doctor",
    }
    for kind, heading in headings.items():
        items = result.advice.by_kind(kind)  # type: ignore[arg-type]
        if items:
            console.print(Text(heading, style="bold underline"))
            for a in items:
                console.print(f"  • {a.text}")
    console.print(Text(result.disclaimer, style="dim"))
