"""Tokenization, sentence starts and the JSONL / CoNLL formats of ``indoquote.text.articles``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from indoquote.text.articles import (
    MAX_ARTICLE_CHARS,
    article_from_text,
    paragraph_starts,
    read_jsonl,
    read_text,
    sentences,
    spans_to_tags,
    tags_to_char_spans,
    tokenize,
    write_conll,
    write_jsonl,
)
from indoquote.text.labels import iob2_spans

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
SEED_TXT = SEEDS / "antara-nato-russia-2021.txt"
SEED_JSONL = SEEDS / "antara-nato-russia-2021.jsonl"


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


# ------------------------------------------------------------- tokenize


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Covid-19", ["Covid", "-", "19"]),
        ("dewan NATO-Rusia", ["dewan", "NATO", "-", "Rusia"]),
        ("Selasa (19/4/2022)", ["Selasa", "(", "19", "/", "4", "/", "2022", ")"]),
        ("kabupaten/kota", ["kabupaten", "/", "kota"]),
        ("Rp 600.000 dan 9,2 juta, pukul 19.00", ["Rp", "600.000", "dan", "9,2", "juta", ",", "pukul", "19.00"]),
        ("Rp600.000", ["Rp", "600.000"]),
        ("masing-masing negara-negara PDI-P", ["masing-masing", "negara-negara", "PDI-P"]),
        ("sehari-hari, terus-menerus", ["sehari-hari", ",", "terus-menerus"]),
        ("ke-13 e-dagang", ["ke", "-", "13", "e", "-", "dagang"]),
        ("Wakil Presiden Ma’ruf Amin", ["Wakil", "Presiden", "Ma’ruf", "Amin"]),
        ("McDonald’s", ["McDonald", "’s"]),
        ("“Kami siap,” katanya.", ["“", "Kami", "siap", ",", "”", "katanya", "."]),
        ('"Kami siap," katanya.', ['"', "Kami", "siap", ",", '"', "katanya", "."]),
        ("‘perang’ melawan", ["‘", "perang", "’", "melawan"]),
        ("JAKARTA, KOMPAS — Presiden", ["JAKARTA", ",", "KOMPAS", "—", "Presiden"]),
        ("Teguh P. Nugroho", ["Teguh", "P.", "Nugroho"]),
        ("UU No. 2/2021", ["UU", "No.", "2", "/", "2021"]),
        ("lihat https://kompas.id/baca/a-b.", ["lihat", "https://kompas.id/baca/a-b", "."]),
        ("Kompas.id dan B.1.1.7", ["Kompas.id", "dan", "B.1.1.7"]),
        ("kata dia.Lalu", ["kata", "dia", ".", "Lalu"]),
        ("tunggu...", ["tunggu", "..."]),
    ],
)
def test_tokenize_follows_the_corpus(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize("path", [SEED_TXT])
def test_token_offsets_point_into_the_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8") + "\n  “Tes”—x: 19/4, Ma’ruf.\r\n\r\nAkhir"
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert all(a.end <= b.start for a, b in zip(tokens, tokens[1:]))
    covered = {i for t in tokens for i in range(t.start, t.end)}
    assert all(ch.isspace() for i, ch in enumerate(text) if i not in covered)


# ------------------------------------------------- sentences, paragraphs


def test_sentences_split_at_stops_and_paragraphs() -> None:
    art = article_from_text('Dia datang. Benarkah? Ya!\n\nJudul tanpa titik\n\n"Kami siap." Lalu "Oke."', "s")
    got = [" ".join(art.words[a:b]) for a, b in sentences(art)]
    assert got == ["Dia datang .", "Benarkah ?", "Ya !", "Judul tanpa titik", '" Kami siap . "', 'Lalu " Oke . "']


def test_opening_mark_after_a_stop_starts_the_next_sentence() -> None:
    art = article_from_text('kata dia."Kami siap," ujarnya.', "s")
    assert [" ".join(art.words[a:b]) for a, b in sentences(art)] == ["kata dia .", '" Kami siap , " ujarnya .']


def test_paragraph_starts() -> None:
    text = "Satu dua.\nmasih satu.\n \nDua.\n\n\nTiga"
    tokens = tokenize(text)
    assert [tokens[i].text for i in paragraph_starts(text, tokens)] == ["Satu", "Dua", "Tiga"]


# ------------------------------------------------------------ read_text


def test_read_text_seed() -> None:
    art = read_text(SEED_TXT)
    assert art.id == "antara-nato-russia-2021"
    assert art.tags is None
    assert art.words[:6] == ["Brussels", "(", "ANTARA", ")", "-", "Negara-negara"]
    assert art.sentence_starts[0] == 0 and len(art.sentence_starts) > 10


def test_read_text_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Kata Ma’ruf: ".encode("utf-8") + "café".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1\.txt.*not UTF-8.*byte 18"):
        read_text(path)


@pytest.mark.parametrize("content", ["", "  \n\t\n "])
def test_read_text_rejects_empty(tmp_path: Path, content: str) -> None:
    path = tmp_path / "kosong.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"kosong\.txt.*empty article"):
        read_text(path)


def test_too_long_article_is_refused(tmp_path: Path) -> None:
    assert MAX_ARTICLE_CHARS == 1_000_000
    path = tmp_path / "panjang.txt"
    path.write_text("kata " * 30, encoding="utf-8")
    with pytest.raises(ValueError, match=r"panjang\.txt.*'panjang'.*150 characters.*limit of 100"):
        read_text(path, max_chars=100)
    with pytest.raises(ValueError, match="MAX_ARTICLE_CHARS"):
        article_from_text("x" * (MAX_ARTICLE_CHARS + 1), "besar")


# ------------------------------------------------------ standoff spans


def test_seed_gold_round_trips_to_identical_char_spans(tmp_path: Path) -> None:
    raw = json.loads(SEED_JSONL.read_text(encoding="utf-8"))
    (art,) = read_jsonl(SEED_JSONL)
    assert art.text == SEED_TXT.read_text(encoding="utf-8")
    assert tags_to_char_spans(art.tokens, art.tags) == raw["spans"]
    out = tmp_path / "again.jsonl"
    write_jsonl([art], out)
    assert json.loads(out.read_text(encoding="utf-8")) == raw


def test_seed_gold_has_three_statements_and_the_speaker() -> None:
    (art,) = read_jsonl(SEED_JSONL)
    spans = [(s.label, " ".join(art.words[s.start : s.end])) for s in iob2_spans(art.tags)]
    statements = [t for label, t in spans if label == "STATEMENT"]
    assert len(statements) == 3 and all(t.startswith('"') and t.endswith('"') for t in statements)
    assert ("PERSON", "Jens Stoltenberg") in spans
    assert [t for label, t in spans if label == "CUECOREF"] == ["katanya", "katanya", "ucapnya"]


def test_spans_may_include_surrounding_whitespace() -> None:
    text = "Kata  Jens Stoltenberg  hari ini"
    tokens = tokenize(text)
    tight = spans_to_tags(tokens, [{"start": 6, "end": 22, "label": "PERSON"}], text)
    loose = spans_to_tags(tokens, [{"start": 5, "end": 23, "label": "PERSON"}], text)
    assert tight == loose == ["O", "B-PERSON", "I-PERSON", "O", "O"]


def write_lines(path: Path, *objs: object) -> Path:
    path.write_text("\n".join(o if isinstance(o, str) else json.dumps(o) for o in objs) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "baik", "text": "Ia datang.", "spans": [{"start": 0, "end": 2, "label": "PERSONCOREF"}]}


@pytest.mark.parametrize(
    "span, problem",
    [
        ({"start": 5, "end": 40, "label": "STATEMENT"}, "outside the text"),
        ({"start": -1, "end": 3, "label": "STATEMENT"}, "outside the text"),
        ({"start": 3, "end": 5, "label": "STATEMENT"}, "cuts through token 'Kami'"),
        ({"start": 0, "end": 3, "label": "QUOTE"}, "unknown label 'QUOTE'"),
        ({"start": 0, "end": 3}, "needs start, end and label"),
        ({"start": 2, "end": 2, "label": "CUE"}, "empty"),
    ],
)
def test_bad_span_names_file_line_and_article(tmp_path: Path, span: dict, problem: str) -> None:
    bad = {"id": "buruk-7", "text": "Kami siap.", "spans": [span]}
    path = write_lines(tmp_path / "gold.jsonl", GOOD, bad)
    with pytest.raises(ValueError) as err:
        read_jsonl(path)
    message = str(err.value)
    assert "gold.jsonl:2:" in message and "'buruk-7'" in message and problem in message


def test_overlapping_spans_are_refused(tmp_path: Path) -> None:
    spans = [{"start": 0, "end": 9, "label": "STATEMENT"}, {"start": 5, "end": 9, "label": "CUE"}]
    path = write_lines(tmp_path / "o.jsonl", {"id": "lap", "text": "Kami siap.", "spans": spans})
    with pytest.raises(ValueError, match=r"o\.jsonl:1: article 'lap': overlapping spans"):
        read_jsonl(path)


@pytest.mark.parametrize(
    "line, problem",
    [
        ('{"id": "a", "text": "x"', "bad JSON"),
        ('["not", "an", "object"]', 'string "id" and "text"'),
        ('{"id": "a", "text": "  "}', "'a': empty article"),
        ('{"id": "a", "text": "x y", "spans": {}}', "'a': \"spans\" must be a list"),
        ('{"id": "baik", "text": "x y"}', "'baik' repeats the id of line 1"),
    ],
)
def test_bad_jsonl_line_names_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = write_lines(tmp_path / "rusak.jsonl", GOOD, "", line)
    with pytest.raises(ValueError) as err:
        read_jsonl(path)
    assert "rusak.jsonl:3:" in str(err.value) and problem in str(err.value)


def test_jsonl_non_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b'\n{"id": "b", "text": "caf\xe9"}\n')
    with pytest.raises(ValueError, match=r"bytes\.jsonl:2: not UTF-8 \(byte \d+"):
        read_jsonl(path)


def test_jsonl_without_spans_is_unannotated(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "raw.jsonl", {"id": "r", "text": "Ia datang."}, GOOD)
    raw, good = read_jsonl(path)
    assert raw.tags is None and good.tags == ["B-PERSONCOREF", "O", "O"]
    write_jsonl([raw, good], tmp_path / "back.jsonl")
    assert [a.tags for a in read_jsonl(tmp_path / "back.jsonl")] == [None, good.tags]


def test_article_over_the_limit_in_jsonl(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "big.jsonl", {"id": "besar", "text": "kata " * 30})
    with pytest.raises(ValueError, match=r"big\.jsonl:1: article 'besar' is 150 characters"):
        read_jsonl(path, max_chars=100)


# ---------------------------------------------------------------- CoNLL


def test_write_conll_uses_bilou_and_blank_lines_between_sentences(tmp_path: Path) -> None:
    text = '"Kami siap. Ayo," kata Jens Stoltenberg.\n\nIa pergi.'
    art = article_from_text(text, "c")
    spans = [
        {"start": 0, "end": 17, "label": "STATEMENT"},
        {"start": 18, "end": 22, "label": "CUE"},
        {"start": 23, "end": 39, "label": "PERSON"},
    ]
    art.tags = spans_to_tags(art.tokens, spans, text)
    buf = io.StringIO()
    write_conll(art, buf)
    assert buf.getvalue() == (
        '"\tB-STATEMENT\nKami\tI-STATEMENT\nsiap\tI-STATEMENT\n.\tI-STATEMENT\n\n'
        'Ayo\tI-STATEMENT\n,\tI-STATEMENT\n"\tL-STATEMENT\nkata\tU-CUE\n'
        "Jens\tB-PERSON\nStoltenberg\tL-PERSON\n.\tO\n\n"
        "Ia\tO\npergi\tO\n.\tO\n\n"
    )
    path = tmp_path / "c.conll"
    write_conll(art, path)
    assert path.read_text(encoding="utf-8") == buf.getvalue()


def test_write_conll_unannotated_article_is_all_o() -> None:
    buf = io.StringIO()
    write_conll(read_text(SEED_TXT), buf)
    rows = [line.split("\t") for line in buf.getvalue().splitlines() if line]
    assert {tag for _, tag in rows} == {"O"}
    assert len(rows) == len(read_text(SEED_TXT).tokens)
