"""Quotation marks as structure: every convention Indonesian outlets use, and the traps."""

from __future__ import annotations

import pytest

from indoquote.text.marks import Candidate, outer_candidates, quote_candidates


def quoted(text: str, c: Candidate) -> str:
    a, b = c.inner
    return text[a:b]


def check_offsets(text: str, cands: list[Candidate]) -> None:
    assert cands == sorted(cands, key=lambda c: (c.start, -c.end))
    for c in cands:
        assert text[c.start] == c.open_mark
        if c.closed:
            assert text[c.end - 1] == c.close_mark
        else:
            assert c.close_mark == "" and c.inner[1] == c.end


@pytest.mark.parametrize(
    ("text", "open_mark", "close_mark"),
    [
        ('"Kami akan hadir," kata Ma\'ruf Amin.', '"', '"'),  # straight
        ("“Kami akan hadir,” kata Ma'ruf Amin.", "“", "”"),  # curly
        ("”Kami akan hadir,” kata Ma’ruf Amin.", "”", "”"),  # Kompas print: one glyph for both ends
        ("'Kami akan hadir,' kata Ma'ruf Amin.", "'", "'"),  # single straight
        ("‘Kami akan hadir,’ kata Ma’ruf Amin.", "‘", "’"),  # single curly
        ("«Kami akan hadir,» kata Ma’ruf Amin.", "«", "»"),  # guillemets
        ("»Kami akan hadir,« kata Ma’ruf Amin.", "»", "«"),  # reversed guillemets
        ("„Kami akan hadir,“ kata Ma’ruf Amin.", "„", "“"),  # low-9, German-style closing
        ("„Kami akan hadir,” kata Ma’ruf Amin.", "„", "”"),  # low-9, curly closing
        ('“Kami akan hadir," kata Ma’ruf Amin.', "“", '"'),  # mixed
    ],
)
def test_each_convention_gives_one_quotation(text, open_mark, close_mark):
    cands = quote_candidates(text)
    assert [(c.open_mark, c.close_mark, c.closed, c.paragraphs, c.depth) for c in cands] == [
        (open_mark, close_mark, True, 1, 0)
    ]
    assert quoted(text, cands[0]) == "Kami akan hadir,"
    assert (cands[0].start, cands[0].end) == (0, 18)
    check_offsets(text, cands)


def test_quotation_in_mid_sentence_after_colon_and_dash():
    text = 'Menurut dia: "Harga naik." Ia menambahkan—“Kami siap”—sebelum pergi.'
    assert [quoted(text, c) for c in quote_candidates(text)] == ["Harga naik.", "Kami siap"]


NESTED = [
    (
        "“Istilah ‘darurat sipil’ tidak tepat,” ujar Jokowi’s juru bicara pada Jum'at.",
        [("Istilah ‘darurat sipil’ tidak tepat,", 0), ("darurat sipil", 1)],
    ),
    (
        "\"Kata 'reformasi' dan «demokrasi» sering dipakai,\" kata dia.",
        [("Kata 'reformasi' dan «demokrasi» sering dipakai,", 0), ("reformasi", 1), ("demokrasi", 1)],
    ),
]


@pytest.mark.parametrize("text,expected", NESTED, ids=["single-in-curly", "single-and-guillemets-in-straight"])
def test_inner_quotes_nest(text, expected):
    cands = quote_candidates(text)
    check_offsets(text, cands)
    assert [(quoted(text, c), c.depth) for c in cands] == expected
    assert [quoted(text, c) for c in outer_candidates(text)] == [expected[0][0]]


def test_quotation_over_three_paragraphs_reopened_and_closed_at_the_end():
    text = (
        "Menteri itu berkata, “Kami tidak akan mundur.\n\n"
        "“Rakyat menunggu ‘kepastian’ dari pemerintah.\n\n"
        "“Karena itu kami bekerja,” katanya.\n\n"
        'Ia lalu pergi. "Terima kasih," ujarnya.'
    )
    cands = quote_candidates(text)
    check_offsets(text, cands)
    first = cands[0]
    assert (first.open_mark, first.close_mark, first.closed, first.paragraphs, first.depth) == ("“", "”", True, 3, 0)
    assert text[first.start :].startswith("“Kami tidak")
    assert quoted(text, first).endswith("“Karena itu kami bekerja,")
    assert [(quoted(text, c), c.depth, c.paragraphs) for c in cands[1:]] == [
        ("kepastian", 1, 1),
        ("Terima kasih,", 0, 1),
    ]
    assert len(outer_candidates(text)) == 2


def test_kompas_multi_paragraph():
    text = "”Kami tidak akan mundur.\n\n”Kami bekerja,” katanya."
    (c,) = quote_candidates(text)
    assert (c.start, c.end, c.paragraphs, c.closed) == (0, len("”Kami tidak akan mundur.\n\n”Kami bekerja,”"), 2, True)


def test_unclosed_quotation_whose_next_paragraph_does_not_reopen():
    text = "Dia berkata, “Kami tidak akan mundur.\n\nRapat itu berakhir pukul 16.00. “Selesai,” kata dia."
    cands = quote_candidates(text)
    check_offsets(text, cands)
    first, second = cands
    assert (first.closed, first.close_mark, first.paragraphs) == (False, "", 1)
    assert first.end == text.index("\n\n")  # the end of its paragraph
    assert quoted(text, first) == "Kami tidak akan mundur."
    assert (quoted(text, second), second.closed, second.depth) == ("Selesai,", True, 0)


def test_unclosed_at_the_end_of_the_text():
    text = "“Satu.\n\n“Dua tanpa penutup"
    (c,) = quote_candidates(text)
    assert (c.start, c.end, c.closed, c.paragraphs) == (0, len(text), False, 2)


def test_apostrophes_are_not_marks():
    text = "Ma'ruf Amin dan Jum’at Agung, Jokowi's team, tahun '90-an dan ’98 dibahas."
    assert quote_candidates(text) == []
    text = "Para guru' bilang 'ayo'."  # a word-final apostrophe that closes nothing is ignored
    assert [quoted(text, c) for c in quote_candidates(text)] == ["ayo"]


def test_single_family_used_only_when_it_pairs_cleanly():
    # "'kan" opens and never closes: no single quotation in that paragraph, the double one stays
    text = "Itu 'kan \"urusan 'dia\" saja,' kata Budi."
    assert [quoted(text, c) for c in quote_candidates(text)] == ["urusan 'dia"]
    # crossing a double quotation: dropped too
    text = "“Kata ‘bebas” kata dia’ lagi."
    assert [quoted(text, c) for c in quote_candidates(text)] == ["Kata ‘bebas"]


def test_stray_closing_mark_yields_nothing_and_flips_nothing():
    text = 'Ia bilang ya" lalu "tidak" dan "mungkin".'
    cands = quote_candidates(text)
    check_offsets(text, cands)
    assert [quoted(text, c) for c in cands] == ["tidak", "mungkin"]


def test_stray_opening_mark_spoils_only_its_paragraph():
    text = 'Ia bilang "ya lalu pergi.\n\nKemudian "tidak" dan "mungkin".\n\nAkhirnya "pasti," katanya.'
    cands = quote_candidates(text)
    check_offsets(text, cands)
    assert [(quoted(text, c), c.closed) for c in cands] == [
        ("ya lalu pergi.", False),
        ("tidak", True),
        ("mungkin", True),
        ("pasti,", True),
    ]


def test_ambiguous_isolated_marks_resolve_by_the_stack():
    text = 'Dia " bilang "ya" dan "tidak".'
    cands = quote_candidates(text)
    check_offsets(text, cands)
    assert [(c.start, c.closed, c.depth) for c in cands] == [(4, False, 0), (13, True, 1), (22, True, 1)]


def test_paragraphs_single_newlines_only_when_no_blank_lines():
    lines = '"Satu\ndua," katanya.\n"Tiga," ujarnya.'
    assert [quoted(lines, c) for c in quote_candidates(lines)] == ["Satu", "Tiga,"]
    blank = '"Satu\ndua," katanya.\n\n"Tiga," ujarnya.'
    assert [quoted(blank, c) for c in quote_candidates(blank)] == ["Satu\ndua,", "Tiga,"]


def test_empty_and_markless_text():
    assert quote_candidates("") == []
    assert outer_candidates("Tidak ada kutipan di sini.\n\n\n") == []


def test_long_texts_stay_linear():
    para = "“Kami hadir,” kata Ma’ruf pada Jum’at. Ia menyebut \"krisis ‘energi’\" sejak '90-an."
    multi = "“Satu.\n\n“Dua.\n\n“Tiga,” katanya."
    text = "\n\n".join([para] * 2400 + [multi])
    assert len(text) > 200_000
    cands = quote_candidates(text)
    assert len(cands) == 3 * 2400 + 1
    assert cands[-1].paragraphs == 3 and cands[-1].closed
    assert len(outer_candidates(text)) == 2 * 2400 + 1
    check_offsets(text, cands)

    one_paragraph = '"ya" ' * 40_000  # 200,000 characters, no paragraph break
    cands = quote_candidates(one_paragraph)
    assert len(cands) == 40_000 and all(c.depth == 0 and c.closed for c in cands)

    marks_only = '"' * 200_000  # one run of marks: pairs off, never rescans
    assert len(quote_candidates(marks_only)) == 100_000
