

def every_expr(kb: KnowledgeBase) -> list[Expr]:
    out: list[Expr] = []

    def walk(e: Expr) -> None:
        out.append(e)
        for sub in (e.all or []) + (e.any or []) + ([e.not_] if e.not_ else []):
            walk(sub)

    for r in kb.triage_rules:
        walk(r.when)
    for s in kb.scores.values():
        for item in s.items:
            if item.when is not None:
                walk(item.when)
    for a in kb.advice:
        if a.shown_if is not None:
            walk(a.shown_if)
    return out


def test_compiled_expressions_are_evaluate(kb: KnowledgeBase) -> None:
    exprs = every_expr(kb)
    assert exprs
    rng = random.Random(5)
    fids = sorted(kb.findings)
    read = sorted({f for e in exprs for f in e.findings()})
    for n in range(1500):
        answers = random_answers(kb, rng, read if n % 2 else fids)
        scores = compute_scores(kb, answers)
        for e in exprs:
            assert compile_expr(e)(answers, scores) is evaluate(e, answers, scores)
        for s in kb.scores.values():
            assert score_function(s)(answers) == scores[s.id]


def random_answers(kb: KnowledgeBase, rng: random.Random, fids: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fid in rng.sample(fids, rng.randint(0, min(len(fids), 25))):
        f = kb.findings[fid]
        if f.type == "boolean":
            out[fid] = rng.random() < 0.5
        elif f.type == "choice":
            out[fid] = rng.choice(f.choices or [])
        else:
            lo, hi = f.minimum or 0, f.maximum or 100
            out[fid] = float(rng.choice([lo, hi, rng.uniform(lo, hi), round(rng.uniform(lo, hi))]))
    return parse_answers(out, kb)
