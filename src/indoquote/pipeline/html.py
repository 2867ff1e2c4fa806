"""A self-contained HTML page of tagged articles (inline CSS, no JavaScript).

displaCy-style: each span is highlighted in the text with its label, the
quotations are numbered and linked to a "who said what" list beside the text.
Attribution labels (quotation, speaker, cue, role, affiliation) are strong
colours; the context labels (lead, event, time, place) are only underlined so
they do not drown the quotations. Everything taken from the article is escaped.

Articles are any objects with ``id``, ``text``, ``tokens``
(:class:`indoquote.text.articles.Token`), ``tags`` (IOB2) and ``records``
(:class:`indoquote.quotes.records.QuoteRecord`), e.g. :class:`indoquote.pipeline.tagger.TaggedArticle`.
"""

from __future__ import annotations

import re
from html import escape
from typing import Iterable, Protocol, Sequence

from ..quotes.records import QuoteRecord
from ..safe_text import CSP_META
from ..text.articles import Token
from ..text.labels import LABEL_DEFINITIONS, iob2_spans

STRONG = ("STATEMENT", "INDIRECT", "PERSON", "PERSONCOREF", "CUE", "CUECOREF", "ROLE", "AFFILIATION")
DEFINITIONS = {**LABEL_DEFINITIONS, "INDIRECT": "reported speech without quotation marks (X mengatakan ..., menurut X)"}
LIGHT = ("ISSUE", "EVENT", "DATETIME", "LOCATION")
ALIASES = {"QUOTE": "STATEMENT", "SPEAKER": "PERSON"}
"""``quote``-schema labels drawn like their PFSA-ID counterparts."""

SHORT = {
    "STATEMENT": "QUOTE",
    "INDIRECT": "INDIRECT",
    "PERSON": "PERSON",
    "PERSONCOREF": "COREF",
    "CUE": "CUE",
    "CUECOREF": "CUE·NYA",
    "ROLE": "ROLE",
    "AFFILIATION": "ORG",
    "ISSUE": "LEAD",
    "EVENT": "EVENT",
    "DATETIME": "TIME",
    "LOCATION": "PLACE",
}

CSS = """
:root{--ink:#1f2430;--muted:#6b7280;--line:#e5e7eb;--bg:#f6f7f9;--card:#fff;
--STATEMENT:#fff3c4;--STATEMENT-edge:#e0a800;--INDIRECT:#e0f2fe;--INDIRECT-edge:#0284c7;--PERSON:#d9ccff;--PERSONCOREF:#ebe4ff;--CUE:#bff0d8;
--CUECOREF:#dcf7ea;--ROLE:#ffdcc2;--AFFILIATION:#c9e6ff;--ISSUE:#9ca3af;--EVENT:#d946a6;--DATETIME:#6b7280;--LOCATION:#4d9a2a}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 48px}
header h1{margin:0;font-size:26px;letter-spacing:-.01em}
header p{margin:4px 0 18px;color:var(--muted)}
.legend{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:12px 18px 14px;margin-bottom:22px;
display:grid;grid-template-columns:2.2fr 1fr;gap:6px 28px;font-size:13px;line-height:1.4}
.legend .grp{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:7px 18px;align-content:start}
.legend .context{grid-template-columns:1fr}
.legend h4{grid-column:1/-1;margin:0 0 2px;font-size:11px;text-transform:uppercase;letter-spacing:.08em;color:var(--muted)}
.legend .grp>div{display:flex;gap:9px;align-items:baseline}
.legend b{font-weight:600;font-size:11.5px;letter-spacing:.02em}
.legend dfn{font-style:normal;color:var(--muted)}
.legend mark.chip{flex:none;min-width:66px;text-align:center;font:700 10.5px/1.5 system-ui,sans-serif;letter-spacing:.04em;padding:.15em .45em}
.legend mark.light.chip{color:var(--c);min-width:0;padding:0 .1em}
@media (max-width:900px){.legend{grid-template-columns:1fr}}
article{background:var(--card);border:1px solid var(--line);border-radius:14px;margin-bottom:26px;overflow:hidden}
article>h2{margin:0;padding:14px 20px;font-size:16px;border-bottom:1px solid var(--line);display:flex;justify-content:space-between;gap:12px}
article>h2 small{font-weight:400;color:var(--muted)}
.cols{display:grid;grid-template-columns:minmax(0,1.7fr) minmax(280px,1fr)}
@media (max-width:900px){.cols{grid-template-columns:1fr}}
.text{padding:18px 22px;white-space:pre-wrap;line-height:1.95;font-size:16px;font-family:Georgia,"Noto Serif",serif}
.who{border-left:1px solid var(--line);padding:16px 18px;background:#fbfbfc}
.who h3{margin:0 0 10px;font:600 13px/1.4 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.who ol{list-style:none;margin:0;padding:0;counter-reset:q}
.who li{margin:0 0 12px;padding:10px 12px;border:1px solid var(--line);border-radius:10px;background:var(--card)}
.who li:target{outline:2px solid var(--STATEMENT-edge)}
.who .sp{display:flex;gap:8px;align-items:center;font-weight:600}
.who .meta{color:var(--muted);font-size:13px;margin:1px 0 6px 30px}
.who blockquote{margin:0 0 0 30px;padding-left:10px;border-left:3px solid var(--STATEMENT-edge);font:15px/1.45 Georgia,"Noto Serif",serif}
.who .none{color:var(--muted);font-style:italic}
.who .unk{color:var(--muted);font-weight:400;font-style:italic}
.who a.back{font-size:12px;color:var(--muted);text-decoration:none;margin-left:auto;font-weight:400}
.n{display:inline-flex;align-items:center;justify-content:center;min-width:22px;height:22px;padding:0 6px;border-radius:11px;
background:var(--STATEMENT-edge);color:#fff;font:700 12px/1 system-ui,sans-serif;text-decoration:none}
mark.e{color:inherit;border-radius:5px;padding:.12em .3em;margin:0 .05em;box-decoration-break:clone;-webkit-box-decoration-break:clone}
mark.e .l{font:700 10px/1 system-ui,sans-serif;letter-spacing:.04em;margin-left:.45em;vertical-align:.12em;opacity:.65;text-transform:uppercase}
mark.STATEMENT{background:var(--STATEMENT);border-bottom:2px solid var(--STATEMENT-edge);border-radius:3px;padding:.12em .1em}
mark.INDIRECT{background:var(--INDIRECT);border-bottom:2px dashed var(--INDIRECT-edge);border-radius:3px;padding:.12em .1em}
mark.STATEMENT .n{margin-right:.35em;vertical-align:.1em;height:18px;min-width:18px;font-size:11px}
mark.PERSON{background:var(--PERSON)}mark.PERSONCOREF{background:var(--PERSONCOREF)}
mark.CUE{background:var(--CUE)}mark.CUECOREF{background:var(--CUECOREF)}
mark.ROLE{background:var(--ROLE)}mark.AFFILIATION{background:var(--AFFILIATION)}
mark.light{background:none;padding:0;border-radius:0;border-bottom:2px dotted var(--c)}
mark.light .l{color:var(--c);opacity:1}
mark.ISSUE{--c:var(--ISSUE)}mark.EVENT{--c:var(--EVENT)}mark.DATETIME{--c:var(--DATETIME)}mark.LOCATION{--c:var(--LOCATION)}
mark.ISSUE>.l{display:none}
mark.speaker{box-shadow:inset 0 -2px 0 #7c5cff}
"""


class TaggedLike(Protocol):
    id: str
    text: str
    tokens: Sequence[Token]
    tags: Sequence[str]
    records: Sequence[QuoteRecord]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _slug(text: str, n: int) -> str:
    return f"a{n}-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:40] or "article")


def _mark(label: str, inner: str, title: str, extra: str = "") -> str:
    kind = "light" if label in LIGHT else ""
    classes = " ".join(c for c in ("e", label, kind, extra) if c)
    tag = f'<span class="l">{SHORT.get(label, label)}</span>'
    return f'<mark class="{classes}" title="{escape(title)}">{inner}{tag}</mark>'


def legend() -> str:
    """Chips for every label (as shown in the text) with the PFSA-ID label and its definition."""
    groups = []
    for name, labels in (("Attribution", STRONG), ("Context", LIGHT)):
        items = []
        for label in labels:
            kind = "light" if label in LIGHT else ""
            chip = f'<mark class="e {label} {kind} chip">{SHORT[label]}</mark>'
            items.append(f"<div>{chip}<span><b>{label}</b> <dfn>{escape(DEFINITIONS[label])}</dfn></span></div>")
        groups.append(f'<div class="grp {name.lower()}"><h4>{name}</h4>{"".join(items)}</div>')
    return f'<section class="legend" aria-label="legend">{"".join(groups)}</section>'


def _quote_numbers(records: Sequence[QuoteRecord]) -> dict[tuple[int, int], int]:
    return {(r.start, r.end): i for i, r in enumerate(records, 1)}


def _speaker_spans(records: Sequence[QuoteRecord]) -> dict[tuple[int, int], list[int]]:
    """Character spans of every mention naming a speaker -> the quotations they said."""
    out: dict[tuple[int, int], list[int]] = {}
    for i, r in enumerate(records, 1):
        for m in r.spans:
            if m.label in ("PERSON", "PERSONCOREF", "SPEAKER"):
                out.setdefault((m.start, m.end), []).append(i)
    return out


def marked_text(art: TaggedLike, slug: str) -> str:
    """The article text, escaped, with every tagged span wrapped in a ``<mark>``."""
    quotes = _quote_numbers(art.records)
    speakers = _speaker_spans(art.records)
    by_quote = {i: r for i, r in enumerate(art.records, 1)}
    spans = [(art.tokens[sp.start].start, art.tokens[sp.end - 1].end, ALIASES.get(sp.label, sp.label))
             for sp in iob2_spans(art.tags)]
    spans += [(r.start, r.end, "INDIRECT") for r in art.records if r.kind == "indirect"]
    parts: list[str] = []
    pos = 0
    for start, end, label in sorted(spans, key=lambda x: (x[0], x[2] != "INDIRECT")):
        if label not in DEFINITIONS or start < pos:
            continue  # a tagged span inside an indirect quotation is drawn as part of it
        parts.append(escape(art.text[pos:start]))
        inner = escape(art.text[start:end])
        title = f"{label}: {DEFINITIONS[label]}"
        extra = ""
        if (start, end) in quotes:
            n = quotes[(start, end)]
            who = by_quote[n].speaker or "speaker unknown"
            inner = f'<a class="n" id="{slug}-s{n}" href="#{slug}-q{n}">{n}</a>' + inner
            title = f"quotation {n}: {who}"
        elif (start, end) in speakers:
            extra = "speaker"
            title += " (speaker of quotation " + ", ".join(map(str, speakers[(start, end)])) + ")"
        parts.append(_mark(label, inner, title, extra))
        pos = end
    parts.append(escape(art.text[pos:]))
    return "".join(parts)


def who_said_what(records: Sequence[QuoteRecord], slug: str) -> str:
    """The numbered list of quotations with speaker, role, affiliation and cue."""
    if not records:
        return '<aside class="who"><h3>Who said what</h3><p class="none">No quotations found.</p></aside>'
    items = []
    for n, r in enumerate(records, 1):
        speaker = escape(r.speaker) if r.speaker else '<span class="unk">speaker unknown</span>'
        meta = (["indirect"] if r.kind == "indirect" else []) + [escape(x) for x in (r.role, r.affiliation) if x]
        if r.cue is not None:
            meta.append(f"cue: <i>{escape(r.cue.text)}</i>")
        items.append(
            f'<li id="{slug}-q{n}"><div class="sp"><span class="n">{n}</span>{speaker}'
            f'<a class="back" href="#{slug}-s{n}" title="show in the text">in text ↑</a></div>'
            + (f'<div class="meta">{" · ".join(meta)}</div>' if meta else "")
            + f"<blockquote>{escape(r.quote)}</blockquote></li>"
        )
    return f'<aside class="who"><h3>Who said what</h3><ol>{"".join(items)}</ol></aside>'


def render_article(art: TaggedLike, n: int = 1) -> str:
    """One article: highlighted text beside its "who said what" list."""
    slug = _slug(art.id, n)
    speakers = len({r.speaker for r in art.records if r.speaker})
    count = f"{_plural(len(art.records), 'quotation')}, {_plural(speakers, 'speaker')}"
    return (
        f'<article id="{slug}"><h2>{escape(art.id)}<small>{count}</small></h2>'
        f'<div class="cols"><div class="text">{marked_text(art, slug)}</div>'
        f"{who_said_what(art.records, slug)}</div></article>"
    )


def render_page(articles: Iterable[TaggedLike], title: str = "indoquote — who said what") -> str:
    """A complete HTML document for the articles (UTF-8, inline CSS, no scripts: a CSP forbids them)."""
    arts = list(articles)
    body = [render_article(a, n) for n, a in enumerate(arts, 1)]
    quotes = sum(len(a.records) for a in arts)
    summary = f"{_plural(len(arts), 'article')} · {_plural(quotes, 'quotation')}"
    return (
        f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">{CSP_META}'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>"
        f"<header><h1>{escape(title)}</h1><p>{summary}</p></header>{legend()}{''.join(body)}"
        "</main></body></html>\n"
    )
