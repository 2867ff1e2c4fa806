"""Quote records from fixed, hand-written tags: cues, speakers, coreference, titles."""

from __future__ import annotations

import pytest

from indoquote.quotes.attribute import attached_tags, quote_records, records_from_words
from indoquote.quotes.records import QuoteRecord, clean_quote
from indoquote.text.articles import spans_to_tags, tokenize

ARTICLE = (
    'Sekjen NATO Jens Stoltenberg mengatakan aliansi siap berdialog. "Kami siap," kata Stoltenberg. '
    '"Kami menunggu jawaban Moskow," katanya.\n\n'
    'Presiden Rusia Vladimir Putin menanggapi pernyataan itu. "NATO tidak tulus," katanya. '
    '"Kami tetap waspada," ucapnya kepada Presiden Prancis Emmanuel Macron.\n\n'
    '"Pintu tetap terbuka," kata sang Sekjen. "Rusia harus mundur," ujar Presiden. '
    '"Ini keliru," kata Lavrov.\n\n'
    'Putin mengatakan: "Dialog harus setara."\n\n'
    '"Tanpa pembicara."'
)

# (text, label, occurrence of text in ARTICLE)
SPANS = [
    ("Sekjen", "ROLE", 0),
    ("NATO", "AFFILIATION", 0),
    ("Jens Stoltenberg", "PERSON", 0),
    ("mengatakan", "CUE", 0),
    ('"Kami siap,"', "STATEMENT", 0),
    ("kata", "CUE", 0),
    ("Stoltenberg", "PERSONCOREF", 1),
    ('"Kami menunggu jawaban Moskow,"', "STATEMENT", 0),
    ("katanya", "CUECOREF", 0),
    ("Presiden", "ROLE", 0),
    ("Rusia", "AFFILIATION", 0),
    ("Vladimir Putin", "PERSON", 0),
    ('"NATO tidak tulus,"', "STATEMENT", 0),
    ("katanya", "CUECOREF", 1),
    ('"Kami tetap waspada,"', "STATEMENT", 0),
    ("ucapnya", "CUECOREF", 0),
    ("Presiden", "ROLE", 1),
    ("Prancis", "AFFILIATION", 0),
    ("Emmanuel Macron", "PERSON", 0),
    ('"Pintu tetap terbuka,"', "STATEMENT", 0),
    ("kata", "CUE", 1),
    ("Sekjen", "PERSONCOREF", 1),
    ('"Rusia harus mundur,"', "STATEMENT", 0),
    ("ujar", "CUE", 0),
    ("Presiden", "PERSONCOREF", 2),
    ('"Ini keliru,"', "STATEMENT", 0),
    ("kata", "CUE", 2),
    ("Lavrov", "PERSONCOREF", 0),
    ("Putin", "PERSONCOREF", 1),
    ("mengatakan", "CUE", 1),
    ('"Dialog harus setara."', "STATEMENT", 0),
    ('"Tanpa pembicara."', "STATEMENT", 0),
]


def char_span(text: str, needle: str, nth: int) -> tuple[int, int]:
    """Offsets of the ``nth`` whole-word occurrence of ``needle``."""
    import re

    hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text)]
    return hits[nth], hits[nth] + len(needle)


def tagged(text: str, spans) -> tuple[list, list[str]]:
    tokens = tokenize(text)
    chars = [dict(zip(("start", "end"), char_span(text, s, n)), label=lab) for s, lab, n in spans]
    return tokens, spans_to_tags(tokens, chars, text)


@pytest.fixture(scope="module")
def records() -> list[QuoteRecord]:
    tokens, tags = tagged(ARTICLE, SPANS)
    return quote_records(ARTICLE, tokens, tags)


def by_quote(records, start: str) -> QuoteRecord:
    (rec,) = [r for r in records if r.quote.startswith(start)]
    return rec


def test_one_record_per_statement_in_text_order(records):
    assert [r.quote for r in records] == [
        "Kami siap",
        "Kami menunggu jawaban Moskow",
        "NATO tidak tulus",
        "Kami tetap waspada",
        "Pintu tetap terbuka",
        "Rusia harus mundur",
        "Ini keliru",
        "Dialog harus setara.",
        "Tanpa pembicara.",
    ]
    for r in records:  # offsets cover the statement as tagged, marks included
        assert ARTICLE[r.start : r.end].startswith('"') and ARTICLE[r.start : r.end].endswith('"')
        for m in r.spans + [r.cue, r.speaker_mention]:
            assert m is None or ARTICLE[m.start : m.end] == m.text


def test_surname_coref_resolves_to_full_name_with_titles(records):
    r = by_quote(records, "Kami siap")
    assert (r.speaker, r.role, r.affiliation) == ("Jens Stoltenberg", "Sekjen", "NATO")
    assert r.cue.text == "kata" and r.cue.label == "CUE"
    assert r.speaker_mention.label == "PERSON" and r.speaker_mention.start == ARTICLE.index("Jens")
    labels = {(m.label, m.text) for m in r.spans}
    assert ("PERSONCOREF", "Stoltenberg") in labels and ("PERSON", "Jens Stoltenberg") in labels


def test_katanya_resolves_to_previous_speaker(records):
    r = by_quote(records, "Kami menunggu")
    assert (r.speaker, r.cue.text, r.cue.label) == ("Jens Stoltenberg", "katanya", "CUECOREF")
    assert r.role == "Sekjen"


def test_katanya_after_a_new_person_resolves_to_that_person(records):
    r = by_quote(records, "NATO tidak tulus")
    assert (r.speaker, r.role, r.affiliation) == ("Vladimir Putin", "Presiden", "Rusia")


def test_ucapnya_ignores_the_addressee(records):
    r = by_quote(records, "Kami tetap waspada")
    assert r.speaker == "Vladimir Putin" and r.cue.text == "ucapnya"


def test_title_coref_resolves_by_role(records):
    assert by_quote(records, "Pintu").speaker == "Jens Stoltenberg"  # not the latest person (Macron)
    r = by_quote(records, "Rusia harus")
    assert (r.speaker, r.role, r.affiliation) == ("Emmanuel Macron", "Presiden", "Prancis")


def test_unknown_name_stays_unresolved(records):
    r = by_quote(records, "Ini keliru")
    assert r.speaker == "Lavrov" and r.role is None and r.speaker_mention.label == "PERSONCOREF"


def test_cue_before_quote(records):
    r = by_quote(records, "Dialog")
    assert (r.speaker, r.cue.text) == ("Vladimir Putin", "mengatakan")


def test_quote_without_cue_has_no_speaker(records):
    r = by_quote(records, "Tanpa")
    assert r.cue is None and r.speaker is None and r.speaker_mention is None


def test_to_dict_is_json_ready(records):
    import json

    d = json.loads(json.dumps(records[0].to_dict()))
    assert d["speaker_mention"]["label"] == "PERSON" and d["cue"]["text"] == "kata"
    assert set(d) == {"quote", "start", "end", "speaker", "speaker_mention", "cue", "role", "affiliation", "spans",
                      "confidence", "speaker_reason", "kind", "speaker_forms", "role_forms"}
    assert d["confidence"] is None and d["speaker_reason"] is None  # the rules attribute: no linker, no confidence
    assert d["kind"] == "direct"


def test_records_from_pfsa_words():
    words = "” Kami siap , ” kata Sekjen NATO Jens Stoltenberg .".split()
    tags = ["B-STATEMENT"] + ["I-STATEMENT"] * 4 + ["B-CUE", "B-ROLE", "B-AFFILIATION", "B-PERSON", "I-PERSON", "O"]
    (r,) = records_from_words(words, tags)
    assert (r.quote, r.speaker, r.role, r.affiliation) == ("Kami siap", "Jens Stoltenberg", "Sekjen", "NATO")
    assert " ".join(words)[r.start : r.end] == "” Kami siap , ”"


def test_no_statement_no_records():
    words = ["Jens", "Stoltenberg", "mengatakan"]
    assert records_from_words(words, ["B-PERSON", "I-PERSON", "B-CUE"]) == []
    assert records_from_words([], []) == []
    with pytest.raises(ValueError):
        records_from_words(words, ["O"])


def test_a_lone_quotation_mark_is_no_quotation():
    words = '" tak diakui . " " Kami siap , " kata Jens Stoltenberg .'.split()
    tags = ["O"] * 4 + ["B-STATEMENT"] + ["B-STATEMENT"] + ["I-STATEMENT"] * 4 + ["B-CUE", "B-PERSON", "I-PERSON", "O"]
    (r,) = records_from_words(words, tags)
    assert (r.quote, r.speaker) == ("Kami siap", "Jens Stoltenberg")


def test_attached_tags_drop_attribution_spans_no_quotation_uses():
    words = 'Anggota KPU , Budi Santoso , menyampaikan rapat selesai Kamis . " Kami siap , " kata Sekjen NATO Jens Stoltenberg .'.split()
    tags = ["B-ROLE", "B-AFFILIATION", "O", "B-PERSON", "I-PERSON", "O", "B-CUE", "O", "O", "B-DATETIME", "O"]
    tags += ["B-STATEMENT"] + ["I-STATEMENT"] * 4 + ["B-CUE", "B-ROLE", "B-AFFILIATION", "B-PERSON", "I-PERSON", "O"]
    kept = attached_tags(words, tags)
    assert kept[:9] == ["O"] * 9  # the indirect speaker, their title and cue
    assert kept[9:] == tags[9:]  # the date (not an attribution label) and the whole quotation frame
    assert attached_tags(words, kept) == kept and attached_tags([], []) == []


def test_clean_quote():
    assert clean_quote('"Kami mesti waspada,"') == "Kami mesti waspada"
    assert clean_quote("“ Sudah. ”") == "Sudah."


def test_large_machine_tagged_article_is_fast():
    """Many spans (a poor model on a long article) must not make resolution quadratic."""
    import time

    unit = "” Kami siap , ” kata Jens Stoltenberg . Stoltenberg mengatakan itu , katanya .".split()
    unit_tags = [
        "B-STATEMENT",
        "I-STATEMENT",
        "I-STATEMENT",
        "I-STATEMENT",
        "I-STATEMENT",
        "B-CUE",
        "B-PERSON",
        "I-PERSON",
        "O",
        "B-PERSONCOREF",
        "B-CUE",
        "O",
        "O",
        "B-CUECOREF",
        "O",
    ]
    n = 3000
    t0 = time.perf_counter()
    recs = records_from_words(unit * n, unit_tags * n)
    assert len(recs) == n and all(r.speaker == "Jens Stoltenberg" for r in recs)
    assert time.perf_counter() - t0 < 10


def test_quote_schema_tags_give_the_same_speakers(records):
    """A model trained on the compact ``quote`` schema (QUOTE, SPEAKER, CUE) is read the same way."""
    from indoquote.text.labels import get_schema

    tokens, tags = tagged(ARTICLE, SPANS)
    compact = quote_records(ARTICLE, tokens, get_schema("quote").convert(tags))
    assert [(r.quote, r.speaker) for r in compact] == [(r.quote, r.speaker) for r in records]


def test_a_titled_name_resolves_by_its_name_not_to_the_latest_person():
    """``ucap Wapres Amin`` is Ma'ruf Amin, not whoever was tagged last; a name nobody was tagged with stays as written."""
    text = ('Wakil Presiden Ma\'ruf Amin membuka acara. Direktur LPPOM Muti Arintawati hadir. '
            '"Halal adalah kebutuhan kita semua," ucap Wapres Amin. "Ekonomi harus tumbuh lagi," kata Presiden Jokowi.')
    spans = [("Ma'ruf Amin", "PERSON", 0), ("Muti Arintawati", "PERSON", 0),
             ('"Halal adalah kebutuhan kita semua,"', "STATEMENT", 0), ("ucap", "CUE", 0), ("Wapres Amin", "PERSONCOREF", 0),
             ('"Ekonomi harus tumbuh lagi,"', "STATEMENT", 0), ("kata", "CUE", 0), ("Presiden Jokowi", "PERSONCOREF", 0)]
    tokens, tags = tagged(text, spans)
    recs = quote_records(text, tokens, tags)
    assert [r.speaker for r in recs] == ["Ma'ruf Amin", "Presiden Jokowi"]


def test_a_bare_title_resolves_to_the_name_it_was_written_before():
    """``kata Presiden``: the tagged person written as ``Presiden Joko Widodo`` (title untagged), not the latest one."""
    text = ('Presiden Joko Widodo memimpin rapat. Menteri Airlangga Hartarto melapor. '
            '"Semua harus bergerak cepat," kata Presiden.')
    spans = [("Joko Widodo", "PERSON", 0), ("Airlangga Hartarto", "PERSON", 0),
             ('"Semua harus bergerak cepat,"', "STATEMENT", 0), ("kata", "CUE", 0), ("Presiden", "PERSONCOREF", 1)]
    tokens, tags = tagged(text, spans)
    assert [r.speaker for r in quote_records(text, tokens, tags)] == ["Joko Widodo"]
