"""`legpain explain`: a condition's library page in the terminal."""

from __future__ import annotations

from rich.console import Console

from legpain.library import ConditionPage


def _section(console: Console, title: str, lines: list[str]) -> None:
    if not lines:
        return
    console.print()
    console.print(f"[bold]{title}[/bold]")
    for line in lines:
        console.print(f"  • {line}", soft_wrap=True)


def print_condition(page: ConditionPage, console: Console) -> None:
    console.print(f"[bold underline]{page.name}[/bold underline]  ({page.group.title})")
    console.print()
    console.print(page.summary, soft_wrap=True)
    console.print(f"When this is the likely cause: {page.care_text}", soft_wrap=True)
    _section(
        console,
        "When to get help",
        [f"{w.message} {w.action}" for w in page.get_help] + [a.text for a in page.watch_for],
    )
    _section(console, "What points to it", [s.text for s in page.points_to])
    _section(console, "What points away from it", [s.text for s in page.points_away])
    _section(console, "What you can do tonight", [a.text for a in page.tonight])
    _section(console, "Tests a doctor may do", [a.text for a in page.tests])
    _section(console, "Questions to ask your doctor", [a.text for a in page.ask_doctor])
    codes = [f"ICD-10-CM {page.icd10}"] if page.icd10 else []
    codes += [f"SNOMED CT {page.snomed}"] if page.snomed else []
    if codes:
        console.print()
        console.print("Codes: " + ", ".join(codes))
    _section(console, "Sources", [s.title + (f" ({s.url})" if s.url else "") for s in page.sources])
