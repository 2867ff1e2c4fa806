"""Indirect speech by rules: the three shapes, what is not speech, and records of kind "indirect"."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_linker import linker  # noqa: F401  (the fixture is shared)

from indoquote.quotes.attribute import quote_records
from indoquote.quotes.indirect_rules import find_indirect, indirect_records
from indoquote.quotes.rule_tags import label_article
from indoquote.text.articles import article_from_text

SEED = Path(__file__).resolve().parents[2] / "data" / "seeds" / "antara-nato-russia-2021.txt"


def contents(text: str) -> list[str]:
    art = article_from_text(text, "t")
    return [text[art.tokens[s.a].start : art.tokens[s.b - 1].end] for s in find_indirect(art.tokens, art.sentence_starts)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Menteri BUMN Erick Thohir mengatakan bahwa anggaran tahun depan cukup besar.",
         ["anggaran tahun depan cukup besar"]),
        ("Anggaran tahun depan cukup besar untuk semua program, kata Erick Thohir di Jakarta.",
         ["Anggaran tahun depan cukup besar untuk semua program"]),
        ("Menurut Sekjen NATO, Rusia harus menarik pasukannya dari perbatasan.",
         ["Rusia harus menarik pasukannya dari perbatasan"]),
        ("Petani yang berhak mendapat pupuk, kata dia, wajib terdaftar di sistem.",
         ["Petani yang berhak mendapat pupuk, kata dia, wajib terdaftar di sistem"]),
        ("Jakarta (ANTARA) - Harga beras akan turun bulan depan, kata Budi Santoso.",
         ["Harga beras akan turun bulan depan"]),
        ("Erick Thohir berencana membangun pabrik baru tahun depan.", []),  # planning is not speech
        ("Erick Thohir merasa anggaran tahun depan cukup besar.", []),  # nor is feeling
    ],
)
def test_the_shapes_of_indirect_speech(text, expected):
    assert contents(text) == expected


def test_a_direct_quotation_is_not_indirect_speech_but_a_quoted_fragment_is_part_of_it():
    text = ('"Kami siap bekerja keras untuk rakyat," kata Erick Thohir. '
            'Stoltenberg mengatakan mereka adalah "pejabat intelijen Rusia yang tak diakui."')
    art = article_from_text(text, "t")
    tags = label_article(art)
    direct = quote_records(text, art.tokens, tags, art.sentence_starts)
    records = indirect_records(text, art.tokens, tags, art.sentence_starts, direct)
    assert [r.quote for r in records] == ['mereka adalah "pejabat intelijen Rusia yang tak diakui."']
    assert all(r.kind == "indirect" for r in records) and records[0].speaker == "Stoltenberg"


@pytest.mark.parametrize("text, speaker", [
    ("Pemerintah Rusia sebelumnya mengatakan bahwa pengusiran itu mengacaukan hubungan kedua negara.",
     "Pemerintah Rusia"),
    ("Bank Dunia juga mengatakan, laporan itu sudah final.", "Bank Dunia"),
    ("Sebelumnya, Komisi Pemberantasan Korupsi (KPK) menahan dia. KPK menyebut, berkas itu sudah lengkap.",
     "Komisi Pemberantasan Korupsi (KPK)"),
    # someone the article does not name: the description is who speaks (docs/annotation-format.md), not null
    ("Pada Rabu anggota dewan Rusia yang pro-pemerintah mengatakan Moskow akan membalas, meski tidak setimpal.",
     "anggota dewan Rusia yang pro-pemerintah"),
    ("Sebelumnya, seorang pedagang sayur di Pasar Baru mengatakan harga cabai naik dua kali lipat.",
     "seorang pedagang sayur di Pasar Baru"),
    ("Kamis (21/10) petugas pemadam kebakaran mengatakan api berasal dari dapur warung.",
     "petugas pemadam kebakaran"),
])
def test_an_organisation_or_unnamed_subject_is_the_speaker_as_written(text, speaker):
    art = article_from_text(text, "t")
    [rec] = indirect_records(text, art.tokens, label_article(art), art.sentence_starts)
    assert rec.speaker == speaker and rec.speaker_reason is None


@pytest.mark.parametrize("text", [
    "Meski masyarakat mengaku senang, harga tiket itu dinilai terlalu mahal.",
    "Pakar politik luar negeri partai itu menyebutkan, serangan itu tidak bisa dibenarkan.",
])
def test_a_subject_that_is_no_group_leaves_no_speaker_and_says_why(text):
    art = article_from_text(text, "t")
    recs = indirect_records(text, art.tokens, label_article(art), art.sentence_starts)
    assert recs and all(r.speaker is None and r.speaker_reason for r in recs)


def test_seed_lead_is_indirect_speech_by_stoltenberg():
    text = SEED.read_text(encoding="utf-8")
    art = article_from_text(text, "seed")
    records = indirect_records(text, art.tokens, label_article(art), art.sentence_starts)
    lead = records[0]
    assert lead.quote.startswith("Negara-negara anggota Pakta Pertahanan") and lead.cue.text == "kata"
    assert lead.speaker == "Jens Stoltenberg"
    assert (lead.role, lead.affiliation) == ("Sekjen", "NATO")  # the person's title, as the direct quotations have it
    assert records[-1].quote.startswith("Moskow akan membalas")  # said by someone the article does not name
    assert records[-1].speaker == "anggota dewan Rusia yang pro-pemerintah"


def test_tagger_kinds_and_the_cli(tiny_checkpoint, indoquote_cli, tmp_path):
    from indoquote.pipeline.tagger import QuoteTagger

    text = SEED.read_text(encoding="utf-8")
    both = QuoteTagger.from_pretrained(tiny_checkpoint, device="cpu", kinds=("direct", "indirect")).tag(text)
    direct = QuoteTagger.from_pretrained(tiny_checkpoint, device="cpu").tag(text)
    assert [r for r in both.records if r.kind == "direct"] == direct.records  # --kinds direct keeps today's output
    assert any(r.kind == "indirect" for r in both.records)
    assert [r.start for r in both.records] == sorted(r.start for r in both.records)
    with pytest.raises(ValueError, match="kinds must be some of"):
        QuoteTagger.from_pretrained(tiny_checkpoint, kinds=("reported",))
    html = tmp_path / "q.html"
    indoquote_cli("predict", str(SEED), "--model", str(tiny_checkpoint), "--kinds", "direct,indirect",
                  "--format", "html", "-o", str(html), cwd=tmp_path, check=True)
    assert 'class="e INDIRECT' in html.read_text(encoding="utf-8")
    bad = indoquote_cli("predict", str(SEED), "--model", str(tiny_checkpoint), "--kinds", "said", cwd=tmp_path)
    assert bad.returncode == 2 and "--kinds" in bad.stderr


def test_a_subject_that_is_a_known_name_is_that_person_not_a_group():
    # `Stoltenberg menyebutkan ...` where the people finder missed this mention (the tagger left it untagged): the
    # name is known from the lead, so a person said it; `Pemerintah Rusia` stays a group
    from indoquote.quotes.indirect_rules import _group_subject
    from indoquote.quotes.speakers import find_people

    text = ("Sekjen NATO Jens Stoltenberg tiba di Brussels pada Kamis. "
            "Stoltenberg menyebutkan NATO akan melanjutkan dialog dengan Rusia. "
            "Pemerintah Rusia mengatakan bahwa pengusiran itu mengacaukan hubungan kedua pihak.")
    art = article_from_text(text, "t")
    tags = ["O"] * len(art.tokens)
    k = [t.text for t in art.tokens].index("Jens")
    tags[k : k + 2] = ["B-PERSON", "I-PERSON"]
    people = find_people(text, art.tokens, tags, art.sentence_starts)
    nato, russia = find_indirect(art.tokens, art.sentence_starts)
    for person in people.persons:
        person.mentions[:] = [m for m in person.mentions if m.a != nato.subject[0]]
    assert _group_subject(art.tokens, people, nato) is None
    assert _group_subject(art.tokens, people, russia) is not None
    first, second = indirect_records(text, art.tokens, tags, art.sentence_starts)
    assert first.speaker == "Jens Stoltenberg" and second.speaker == "Pemerintah Rusia"


def test_a_group_or_unnamed_subject_has_no_confidence_of_the_linker(linker):  # noqa: F811
    # the linker scored the people of the article; a group it never scored gets no borrowed probability
    text = ("Menteri Luar Negeri Retno Marsudi hadir di Brussels. Retno mengatakan kerja sama itu harus berlanjut. "
            "Pemerintah Rusia sebelumnya mengatakan bahwa pengusiran itu mengacaukan hubungan kedua negara.")
    art = article_from_text(text, "t")
    recs = indirect_records(text, art.tokens, label_article(art), art.sentence_starts, linker=linker)
    assert [(r.speaker, r.confidence is None) for r in recs] == [("Retno Marsudi", False), ("Pemerintah Rusia", True)]
