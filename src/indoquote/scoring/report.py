"""Tables and reports of evaluations: the terminal summary, ``report.md`` and the comparison of checkpoints."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ..tables import render_table, rule
from ..text.labels import get_schema
from .tags import SpanError

ATTACHED_NOTE = {
    True: "attribution spans kept where a quotation uses them (attached_only=true)",
    False: "every decoded span (attached_only=false)",
}


PRF_HEADER = ("label", "P", "R", "F1", "rules P", "rules R", "rules F1", "support")


def _prf_rows(model: dict, rules: dict | None, order: Iterable[str]) -> list[list]:
    """Per-label rows then micro and macro, model next to rules (blank without rules)."""
    empty = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    seen = {**(rules or {}).get("per_label", {}), **model["per_label"]}  # support from gold: same in both
    rows = []
    for lab in (lab for lab in order if lab in seen):
        m, r = model["per_label"].get(lab, empty), (rules or {}).get("per_label", {}).get(lab, empty)
        rows.append([lab, *_prf(m), *(_prf(r) if rules else [None] * 3), seen[lab]["support"]])
    micro = {k: model[f"micro_{k}"] for k in ("precision", "recall", "f1")}
    rules_micro = {k: rules[f"micro_{k}"] for k in ("precision", "recall", "f1")} if rules else None
    support = sum(v["support"] for v in model["per_label"].values())
    rows.append(["micro", *_prf(micro), *(_prf(rules_micro) if rules_micro else [None] * 3), support])
    rows.append(["macro", None, None, model["macro_f1"], None, None, rules["macro_f1"] if rules else None, None])
    return rows


def _prf(d: Mapping[str, float]) -> list[float]:
    return [d["precision"], d["recall"], d["f1"]]


def result_sections(metrics: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...], list[list]]]:
    """``(title, header, rows)`` for each table of a result, shared by the terminal and report.md."""
    model, rules = metrics["model"], metrics.get("rules")
    schema = get_schema(metrics["schema"])
    views = (("strict", schema), ("quote", get_schema("quote")))
    sections = [
        (f"Spans (strict, {view.name} labels)", PRF_HEADER, _prf_rows(model[key], rules and rules[key], view.labels))
        for key, view in views
    ]
    mp, ma = model["partial"], model["attribution"]
    rp, ra = (rules or {}).get("partial", {}), (rules or {}).get("attribution", {})
    sections.append(
        (
            "Quotations: partial overlap (>= half of the gold span) and attribution",
            ("measure", "model", "rules"),
            [
                ["gold quotations", mp["support"], rp.get("support")],
                ["predicted quotations", mp["predicted"], rp.get("predicted")],
                ["partial P", mp["precision"], rp.get("precision")],
                ["partial R", mp["recall"], rp.get("recall")],
                ["partial F1", mp["f1"], rp.get("f1")],
                ["attribution accuracy", ma["accuracy"], ra.get("accuracy")],
                ["  correct / judged", _ratio(ma), _ratio(ra) if ra else None],
                *(
                    [["attribution, rules on the model's tags", model["attribution_rules"]["accuracy"], None]]
                    if "attribution_rules" in model else []
                ),
            ],
        )
    )
    if "strict_annotated" in model:
        mt, rt = model["strict_annotated"], (rules or {}).get("strict_annotated", {})
        sections.append(
            (
                f"Strict spans where the gold is annotated ({metrics['untagged']['quotations']} marked, cued "
                f"quotations the gold leaves untagged: their sentences left out on both sides)",
                ("measure", "model", "rules"),
                [[f"micro {m}", mt[f"micro_{m}"], rt.get(f"micro_{m}")] for m in ("precision", "recall", "f1")],
            )
        )
    return sections


def _ratio(attribution: Mapping[str, Any]) -> str:
    return f"{attribution['correct']} / {attribution['total']}"


def _size(metrics: Mapping[str, Any]) -> str:
    return f"{metrics['documents']} documents, {metrics['tokens']:,} tokens"


def results_text(metrics: Mapping[str, Any]) -> str:
    """The terminal summary of one evaluation."""
    head = [
        rule("indoquote evaluate"),
        f"checkpoint   {metrics.get('checkpoint', 'predictions')}",
        f"data         {metrics.get('data')} / {metrics.get('split')}: {_size(metrics)}",
    ]
    if "windows" in metrics:
        head.append(f"windows      max_length={metrics['windows']['max_length']} stride={metrics['windows']['stride']}")
    if "attached_only" in metrics:
        head.append(f"decoding     {ATTACHED_NOTE[bool(metrics['attached_only'])]}")
    body = [f"\n{rule(title)}\n\n{render_table(header, rows)}" for title, header, rows in result_sections(metrics)]
    return "\n".join(head + body)


def report_markdown(metrics: Mapping[str, Any], errors: Sequence[SpanError], worst: int) -> str:
    """``report.md``: how it was run, the tables, the worst errors grouped by label (text from the data escaped)."""
    from ..safe_text import md_code, md_text

    lines = [
        f"# Evaluation of {md_code(metrics.get('checkpoint', 'predictions'))}",
        "",
        f"- command: {md_code(metrics.get('command', ''))}",
        f"- date: {metrics['date']}",
        f"- machine: {metrics['machine']}",
        f"- data: {metrics.get('data')} / {metrics.get('split')} ({_size(metrics)})",
        f"- labels: {metrics['schema']} (checkpoint trained with {metrics['checkpoint_schema']})",
    ]
    if "windows" in metrics:
        w = metrics["windows"]
        windows = f"max_length={w['max_length']}, stride={w['stride']}"
        lines.append(f"- windows: {windows}; predicted in {metrics['seconds']:.1f} s")
    if "attached_only" in metrics:
        lines.append(f"- decoding: {ATTACHED_NOTE[bool(metrics['attached_only'])]}")
    lines += [
        "",
        "Strict: a span counts only with exact boundaries and label (seqeval, IOB2). Partial: a predicted "
        "quotation counts when it shares at least half of a gold quotation's tokens (one-to-one). Attribution: "
        "share of gold quotations with a resolved speaker whose matched predicted quotation has the same speaker "
        "(a surname matches the full name it ends). Rules: `indoquote.quotes.rule_tags.label_tokens`.",
    ]
    for title, header, rows in result_sections(metrics):
        lines += ["", f"## {title}", "", render_table(header, rows, markdown=True)]
    shown = list(errors[:worst])
    lines += ["", f"## Worst errors ({len(shown)} of {len(errors)}; all in errors.jsonl)", ""]
    lines.append("Worst: most tokens that no span of the same label on the other side covers. `[[ ]]` marks the span.")
    order = {lab: i for i, lab in enumerate(get_schema(metrics["schema"]).labels)}
    for label in sorted({e.label for e in shown}, key=lambda lab: (order.get(lab, len(order)), lab)):
        lines += ["", f"### {label}", ""]
        for e in (e for e in shown if e.label == label):
            near = f"; nearest: {e.nearest['label']} {e.nearest['start']}-{e.nearest['end']}" if e.nearest else ""
            where = f"{md_text(e.doc_id)} tokens {e.start}-{e.end} ({e.uncovered} uncovered{near})"
            lines.append(f"- **{e.kind}** {where}: {md_text(e.context)}")
    return "\n".join(lines) + "\n"


def compare_rows(results: Sequence[tuple[str, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """One row per checkpoint, best micro F1 first, plus the rule baseline last."""
    rows = [
        {
            "checkpoint": name,
            "path": m["checkpoint"],
            "micro_f1": m["model"]["strict"]["micro_f1"],
            "macro_f1": m["model"]["strict"]["macro_f1"],
            "quote_micro_f1": m["model"]["quote"]["micro_f1"],
            "partial_quote_f1": m["model"]["partial"]["f1"],
            "attribution": m["model"]["attribution"]["accuracy"],
        }
        for name, m in results
    ]
    rows.sort(key=lambda r: -r["micro_f1"])
    first = results[0][1] if results else {}
    if first.get("rules"):
        r = first["rules"]
        rows.append(
            {
                "checkpoint": "(rules)",
                "path": "indoquote.quotes.rule_tags",
                "micro_f1": r["strict"]["micro_f1"],
                "macro_f1": r["strict"]["macro_f1"],
                "quote_micro_f1": r["quote"]["micro_f1"],
                "partial_quote_f1": r["partial"]["f1"],
                "attribution": r["attribution"]["accuracy"],
            }
        )
    return rows


COMPARE_HEADER = ("rank", "checkpoint", "micro F1", "macro F1", "quote micro F1", "partial quote F1", "attribution")


def compare_table(rows: Sequence[Mapping[str, Any]], markdown: bool = False) -> str:
    body = [
        [i + 1 if r["checkpoint"] != "(rules)" else "-", r["checkpoint"], r["micro_f1"], r["macro_f1"],
         r["quote_micro_f1"], r["partial_quote_f1"], r["attribution"]]
        for i, r in enumerate(rows)
    ]
    return render_table(COMPARE_HEADER, body, markdown, left=2)


QUOTE_COLUMNS = ("quote_precision", "quote_recall", "quote_f1", "attribution_accuracy", "e2e_f1", "gold", "predicted")


def quote_report(metrics: Mapping[str, Any], kinds: Sequence[str]) -> str:
    """Quote-level scores of real articles (Markdown): model and rules, overall and per outlet."""
    from ..safe_text import md_code

    lines = [f"# Quote-level evaluation of {md_code(metrics['checkpoint'])} on {metrics['data']} "
             f"({metrics['articles']} articles)",
             "", md_code(metrics["command"]), "",
             "A predicted quotation matches a gold one when they share at least half of the longer span; "
             "attribution: matched quotations given to the same person; end-to-end: quotation and speaker right.",
             *(["Indirect speech of `model`: the checkpoint's trained head (`indirect.safetensors`)."]
               if metrics.get("indirect_head") else [])]
    header = ("outlet", "system", "quote P", "quote R", "quote F1", "attribution", "end-to-end F1", "gold", "predicted")
    for kind in kinds:
        rows = []
        outlets = ["all", *metrics["model"][kind]["outlets"]]
        systems = [s for s in SYSTEMS if s in metrics]
        for outlet in outlets:
            for system in systems:
                part = metrics[system][kind]
                m = part["all"] if outlet == "all" else part["outlets"][outlet]
                rows.append([outlet, SYSTEMS[system], *(float(m[k]) if "_" in k else m[k] for k in QUOTE_COLUMNS)])
        lines += ["", f"## {kind.capitalize()} quotations", "", render_table(header, rows, markdown=True, left=2)]
        if "genres" in metrics:
            genre_rows = [[genre, SYSTEMS[system], *(float(m[k]) if "_" in k else m[k] for k in QUOTE_COLUMNS)]
                          for genre in metrics["genres"][systems[0]][kind] for system in systems
                          for m in [metrics["genres"][system][kind][genre]]]
            lines += ["", f"### {kind.capitalize()} quotations by genre", "",
                      render_table(("genre", *header[1:]), genre_rows, markdown=True, left=2)]
    lines += span_class_lines(metrics, kinds)
    if "titles" in metrics:
        lines += ["", *title_section(metrics["titles"])]
    if "causes" in metrics:
        systems = [s for s in SYSTEMS if s in metrics["causes"]]
        causes = metrics["causes"][systems[0]]
        rows = [[c, causes[c]["judged"], *(_share(metrics["causes"][s][c]) for s in systems)] for c in causes]
        lines += ["", "## Attribution by how the speaker is named (direct quotations found)", "",
                  render_table(("cause", "quotations", *(SYSTEMS[s] for s in systems)), rows, markdown=True, left=1)]
    for kind, cal in (metrics.get("calibration") or {}).items():
        if not cal["n"]:
            continue
        rows = [[f"{b['lo']:.1f}-{b['hi']:.1f}", b["n"], b["confidence"], b["accuracy"]] for b in cal["bins"] if b["n"]]
        lines += ["", f"## Confidence of the model's speakers ({kind}): reliability", "",
                  f"Expected calibration error {cal['ece']:.4f} over {cal['n']} judged quotations; "
                  f"{cal['wrong_confident']} of {cal['wrong']} wrong speakers had confidence >= 0.95.", "",
                  render_table(("confidence", "quotations", "mean confidence", "right"), rows, markdown=True, left=1)]
    return "\n".join(lines)


SYSTEMS = {"model": "model", "model_rules": "model, rules attribution (and rules' indirect spans)", "rules": "rules"}


def _share(c: Mapping[str, int]) -> float | None:
    return round(100 * c["right"] / c["judged"], 2) if c["judged"] else None


def span_class_lines(metrics: Mapping[str, Any], kinds: Sequence[str]) -> list[str]:
    """``report.md``'s strict and partial span scores, recall per verb class and scores without the borderline class
    (:mod:`indoquote.scoring.span_match`, :mod:`indoquote.scoring.cue_classes`)."""
    lines: list[str] = []
    systems = [s for s in SYSTEMS if s in metrics.get("spans", {})]
    if not systems:
        return lines
    rows = [[kind, SYSTEMS[s], *(metrics["spans"][s][kind][m][k] for m in ("strict", "overlap")
                                 for k in ("precision", "recall", "f1"))] for kind in kinds for s in systems]
    lines += ["", "## Quotation spans: strict (same boundaries) and partial (any overlap)", "",
              render_table(("kind", "system", "strict P", "strict R", "strict F1", "partial P", "partial R",
                            "partial F1"), rows, markdown=True, left=2)]
    for kind in kinds:
        classes = metrics["verb_classes"][systems[0]][kind]
        rows = [[c, classes[c]["gold"], *(metrics["verb_classes"][s][kind][c]["recall"] for s in systems)]
                for c in classes if classes[c]["gold"]]
        lines += ["", f"## {kind.capitalize()} quotations found, by the class of their cue (recall)", "",
                  render_table(("verb class", "gold", *(SYSTEMS[s] for s in systems)), rows, markdown=True, left=1)]
    if "without_borderline" in metrics:
        rows = [[SYSTEMS[s], *(float(m[k]) if "_" in k else m[k] for k in QUOTE_COLUMNS)]
                for s in systems for m in [metrics["without_borderline"][s]["indirect"]["all"]]]
        lines += ["", "## Indirect speech without the borderline class (hopes, requests, questions, promises, "
                  "documents)", "", render_table(("system", "quote P", "quote R", "quote F1", "attribution",
                                                  "end-to-end F1", "gold", "predicted"), rows, markdown=True, left=1)]
    return lines
TITLE_COLUMNS = ("role_exact", "role_f1_ok", "affiliation_exact", "affiliation_f1_ok", "speaker_right")


def title_section(titles: Mapping[str, Any]) -> list[str]:
    """Markdown lines: role and affiliation of the speaker-right direct quotations, per outlet and system
    (:mod:`indoquote.scoring.role_scores`)."""
    systems = [s for s in SYSTEMS if s in titles]
    outlets = ["all", *titles[systems[0]]["outlets"]] if systems else []
    rows = [[outlet, SYSTEMS[system], *(part[k] for k in TITLE_COLUMNS)]
            for outlet in outlets for system in systems
            for part in [titles[system]["all"] if outlet == "all" else titles[system]["outlets"][outlet]]]
    header = ("outlet", "system", "role exact", "role F1>=0.5", "affiliation exact", "affiliation F1>=0.5",
              "speaker right")
    return ["## Role and affiliation (direct quotations whose speaker is right)", "",
            "Percent of the speaker-right quotations: exact after casefolding, collapsing whitespace and stripping "
            "punctuation at the ends; token F1 >= 0.5 on the words. A null gold and a null prediction count as right.",
            "", render_table(header, rows, markdown=True, left=2)]
