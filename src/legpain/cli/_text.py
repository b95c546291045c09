"""CLI for free text: ``legpain evaluate-parser``, and the ``--text`` of assess and evaluate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# The parser and the engine load in the functions that use them (see cli/app.py).
if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from legpain.cases import Case
    from legpain.engine import Value
    from legpain.text import ParseResult
    from legpain.text._evaluate import Counts

DEFAULT_NARRATIVES = Path("tests/data/narratives")


def narrative_answers(case: Case) -> dict[str, Value]:
    """A vignette read from its narrative alone (no narrative: nothing known)."""
    from legpain.text import parse

    return parse(case.narrative or "").answers


def narrative_prefill(case: Case) -> dict[str, Value]:
    """What an interview starts from when the vignette's narrative is typed in."""
    from legpain.text import parse

    return parse(case.narrative or "").prefill()


def print_understood(parsed: ParseResult, console: Console) -> None:
    """What the parser took from the text, with the words that gave each finding."""
    from rich.markup import escape
    from rich.table import Table

    t = Table(title="What I understood")
    for col in ("finding", "value", "from the words", "confidence", ""):
        t.add_column(col)
    for fid, ev in parsed.evidence.items():
        value = ev.value if not isinstance(ev.value, float) else f"{ev.value:g}"
        check = parsed.to_check.get(fid)
        flag = ""
        if check is not None:
            flag = "please check" + (
                f" (at odds with {check.conflicts_with})" if check.conflicts_with else ""
            )
        t.add_row(fid, str(value).lower(), escape(ev.text), f"{ev.confidence:.2f}", flag)
    console.print(t)
    if parsed.set_aside:
        console.print(
            "Not taken as yours: "
            + "; ".join(f"{escape(s.text)} ({s.finding}: {s.reason})" for s in parsed.set_aside)
        )
    if parsed.unplaced:
        console.print("Could not place: " + " | ".join(escape(u) for u in parsed.unplaced))


def assess_text(text: str, as_json: bool) -> None:
    """Parse, then assess; show what was understood before the result."""
    from legpain import _startup
    from legpain.cli._console import out
    from legpain.cli._render import render
    from legpain.engine import default_engine
    from legpain.text import parse

    parsed = parse(text)
    engine = default_engine()
    _startup.done()  # the lexicon and the engine are loaded (see cli/app.py)
    result = engine.assess(parsed.answers, "text")
    if as_json:
        payload = result.to_dict()
        payload["parsed"] = parsed.to_dict()
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    print_understood(parsed, out)
    render(result, out)


def _table(title: str, rows: dict[str, Counts]) -> Table:
    from rich.table import Table

    t = Table(title=title)
    for col, justify in (("finding", "left"), ("tp", "right"), ("fp", "right"), ("fn", "right")):
        t.add_column(col, justify=justify)  # type: ignore[arg-type]
    t.add_column("precision", justify="right")
    t.add_column("recall", justify="right")
    for fid, c in sorted(rows.items()):
        t.add_row(fid, str(c.tp), str(c.fp), str(c.fn), f"{c.precision:.2f}", f"{c.recall:.2f}")
    return t


def evaluate_parser_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Annotated narrative files or folders (default: tests/data/narratives)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Score the free-text parser: per-finding precision and recall, negations apart."""
    from rich.table import Table

    from legpain.cli._console import EXIT_BAD_INPUT, fail, out
    from legpain.text._evaluate import NarrativeFileError, evaluate_parser, load_narratives

    try:
        narratives = load_narratives(paths or [DEFAULT_NARRATIVES])
    except (NarrativeFileError, OSError) as exc:
        for line in str(exc).splitlines():
            fail(line)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    from legpain import _startup

    _startup.done()
    report = evaluate_parser(narratives)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
        return
    out.print(_table("Parser: per finding", report.per_finding))
    out.print(_table("Parser: negations (a false expected or found)", report.negation))
    o, n = report.overall, report.negation_overall
    summary = Table(title="Overall (micro)")
    for col in ("narratives", "precision", "recall", "negation precision", "negation recall"):
        summary.add_column(col, justify="right")
    summary.add_row(
        str(report.n),
        f"{o.precision:.3f}",
        f"{o.recall:.3f}",
        f"{n.precision:.3f}",
        f"{n.recall:.3f}",
    )
    out.print(summary)


def register(app: typer.Typer) -> None:
    """Add the free-text commands to the ``legpain`` app."""
    app.command("evaluate-parser")(evaluate_parser_command)
