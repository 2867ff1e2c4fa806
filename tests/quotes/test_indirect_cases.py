"""Issue #26's cases, one fixture each: what the rules find and what the records say (speaker, cue), and what the
head's span assembly makes of the same sentences."""

from __future__ import annotations

import pytest

from indoquote.quotes.indirect_head import model_spans
from indoquote.quotes.indirect_rules import described, find_indirect, indirect_records
from indoquote.quotes.rule_tags import label_article
from indoquote.text.articles import article_from_text
from indoquote.training.fit_indirect import spans_to_tags


def found(text: str) -> list[tuple[str, str]]:
    """``(content, cue)`` of every span the rules find."""
    art = article_from_text(text, "a")
    w = [t.text for t in art.tokens]
    return [(" ".join(w[s.a : s.b]), w[s.cue[0]]) for s in find_indirect(art.tokens, art.sentence_starts)]


def records(text: str) -> list[tuple[str, str | None, str | None]]:
    """``(quote, cue, speaker)`` of the indirect records, attributed by the rules."""
    art = article_from_text(text, "a")
    tags = label_article(art)
    return [(r.quote, r.cue.text if r.cue else None, r.speaker)
            for r in indirect_records(art.text, art.tokens, tags, art.sentence_starts)]


@pytest.mark.parametrize("sentence, content, cue", [
    ("Gubernur Anies Baswedan berjanji akan menuntaskan kasus itu.", "akan menuntaskan kasus itu", "berjanji"),
    ("Jaksa menuduh terdakwa menerima suap Rp 2 miliar.", "terdakwa menerima suap Rp 2 miliar", "menuduh"),
    ("Warga mendesak pemerintah segera memperbaiki jalan.", "pemerintah segera memperbaiki jalan", "mendesak"),
    ("Dokter Rina menyarankan warga mengurangi konsumsi gula.", "warga mengurangi konsumsi gula", "menyarankan"),
    ("Ia mempersilakan warga melapor jika ada pungutan liar.", "warga melapor jika ada pungutan liar", "mempersilakan"),
    ("Budi menanyakan kapan bantuan itu akan cair.", "kapan bantuan itu akan cair", "menanyakan"),
    ("Dia bilang harga cabai sudah turun sejak pekan lalu.", "harga cabai sudah turun sejak pekan lalu", "bilang"),
    ("KontraS mengungkap ada 20 kasus kekerasan tahun ini.", "ada 20 kasus kekerasan tahun ini", "mengungkap"),
    ("Rudi mencontohkan banyak pedagang yang gulung tikar.", "banyak pedagang yang gulung tikar", "mencontohkan"),
    ("Menteri Budi melihat bahwa ekonomi desa mulai pulih.", "ekonomi desa mulai pulih", "melihat"),
    ("Ia melanjutkan, pemerintah akan menambah anggaran bansos.", "pemerintah akan menambah anggaran bansos",
     "melanjutkan"),
    ("Presiden memuji, para relawan bekerja tanpa pamrih selama bencana.",
     "para relawan bekerja tanpa pamrih selama bencana", "memuji"),
])
def test_reporting_verbs_outside_the_old_lexicon(sentence, content, cue):
    assert found(sentence) == [(content, cue)]


def test_clause_verbs_need_a_clause_and_hopes_are_no_speech():
    assert found("Presiden memuji para relawan yang bekerja tanpa pamrih.") == []  # praise of people, no clause
    assert found("Menteri Budi melihat banjir di desa itu kemarin sore.") == []  # seeing, not saying
    assert found("Pedagang sayur ini berharap harga cabai segera turun.") == []  # a hope (docs/annotation-format.md)


def test_menurutnya_inside_the_sentence():
    assert found("Justru menurutnya kebijakan itu akan membebani warga kecil.") == [
        ("kebijakan itu akan membebani warga kecil", "menurutnya")]
    assert found("Sebab, menurutnya, tarif listrik tidak perlu dinaikkan.") == [
        ("tarif listrik tidak perlu dinaikkan", "menurutnya")]
    assert found("Harga beras naik tajam pekan ini, dan menurutnya hal itu wajar menjelang Lebaran.") == [
        ("hal itu wajar menjelang Lebaran", "menurutnya")]
    rec = records("Menteri Keuangan Sri Mulyani hadir di DPR. Justru menurutnya kebijakan itu membebani warga.")
    assert rec == [("kebijakan itu membebani warga", "menurutnya", "Sri Mulyani")]


def test_a_cue_splitting_the_content_keeps_both_halves():
    text = "Menaikkan tarif sekarang, kata Rudi, hanya akan membebani warga."
    assert found(text) == [("Menaikkan tarif sekarang , kata Rudi , hanya akan membebani warga", "kata")]
    art = article_from_text(text, "a")
    half = spans_to_tags([(0, 3)], len(art.tokens))  # a head that found only the first half
    [sp] = model_spans(art.tokens, art.sentence_starts, half)
    assert [t.text for t in art.tokens[sp.cue[0] : sp.cue[1]]] == ["kata"] and (sp.a, sp.b) == (0, 3)


def test_pronoun_and_description_subjects_point_back_to_the_person():
    text = "Anies Baswedan hadir di Balai Kota pada Senin. Mantan gubernur itu berjanji akan membangun rumah sakit baru."
    assert records(text) == [("akan membangun rumah sakit baru", "berjanji", "Anies Baswedan")]
    text = "Rina Wati berjualan di Pasar Minggu. Dia bilang harga cabai sudah naik dua kali lipat."
    assert records(text) == [("harga cabai sudah naik dua kali lipat", "bilang", "Rina Wati")]
    text = "Joko Santoso membuka rapat itu. Ia mempersilakan warga melapor jika ada pungutan liar."
    assert records(text) == [("warga melapor jika ada pungutan liar", "mempersilakan", "Joko Santoso")]
    art = article_from_text("Mantan gubernur itu berjanji . Pemerintah Rusia mengatakan", "a")
    assert described(art.tokens, (0, 3)) and not described(art.tokens, (5, 7))


def test_spurious_records_intentions_topics_and_what_a_document_says():
    assert found("Dia ingin mengajak warga menanam pohon di sekitar rumah.") == []  # nothing said yet
    assert found("Ia tidak menjelaskan kapan proyek itu akan selesai dikerjakan.") == []  # negated reporting
    assert found("Gugatan itu juga menyebutkan nama tiga pejabat daerah.") == []  # a topic, no content
    # a document as the source is annotated (docs/annotation-format.md, borderline): it is the speaker as written
    assert records("Laporan Bank Dunia menyebutkan pertumbuhan ekonomi melambat tahun ini.") == [
        ("pertumbuhan ekonomi melambat tahun ini", "menyebutkan", "Laporan Bank Dunia")]
    # a later verb of the same sentence still counts
    assert found("Ia menolak berkomentar, namun mengatakan proses hukum tetap berjalan.") == [
        ("proses hukum tetap berjalan", "mengatakan")]


def test_the_heads_spans_get_their_cue_from_the_new_verbs():
    art = article_from_text("Mantan gubernur itu berjanji akan membangun rumah sakit baru.", "a")
    tags = spans_to_tags([(4, 9)], len(art.tokens))  # content only: the cue comes from the sentence
    [sp] = model_spans(art.tokens, art.sentence_starts, tags)
    assert art.tokens[sp.cue[0]].text == "berjanji" and sp.subject == (0, 3)
