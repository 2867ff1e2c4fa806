"""People of an article: names found without the tagger, short forms, aliases and titles clustered."""

from __future__ import annotations

import pytest

from indoquote.quotes.names import blend, short_form
from indoquote.quotes.speakers import find_people
from indoquote.text.articles import article_from_text


def people(text: str, tags: list[str] | None = None):
    art = article_from_text(text, "t")
    return find_people(text, art.tokens, tags or ["O"] * len(art.tokens), art.sentence_starts)


def person_of(ppl, mention: str):
    [p] = [p for p in ppl.persons if any(m.text == mention for m in p.mentions)]
    return p


def test_title_in_brackets_and_bare_title_are_one_person():
    ppl = people('Menteri Perdagangan (Mendag) Budi Santoso membuka pameran. "Transaksi naik," kata Mendag.')
    p = person_of(ppl, "Budi Santoso")
    assert p.name == "Budi Santoso"
    assert [m.text for m in p.mentions] == ["Budi Santoso", "Mendag"]
    assert {"menteri", "perdagangan", "mendag"} <= p.titles
    assert not any(m.text == "Perdagangan" for q in ppl.persons for m in q.mentions)


@pytest.mark.parametrize(
    "text, full, short",
    [
        ("Presiden Joko Widodo (Jokowi) hadir. Jokowi tersenyum.", "Joko Widodo", "Jokowi"),
        ("Mantan Mendag Thomas Trikasih Lembong atau Tom Lembong hadir. Tom tersenyum.", "Thomas Trikasih Lembong", "Tom"),
        ("Gubernur Ahmad Heryawan yang akrab disapa Aher hadir. Aher tersenyum.", "Ahmad Heryawan", "Aher"),
        ("Ketua KPU Mochammad Afifuddin hadir. Afif tersenyum.", "Mochammad Afifuddin", "Afif"),
        ("Kompol Teddy Ardian hadir. Tedy tersenyum.", "Teddy Ardian", "Tedy"),
    ],
)
def test_short_forms_and_aliases_join_the_full_name(text, full, short):
    p = person_of(people(text), full)
    assert p.name == full
    assert short in [m.text for m in p.mentions]


def test_short_form_rules():
    assert short_form("afif", "afifuddin") and short_form("tedy", "teddy") and short_form("risma", "rismaharini")
    assert not short_form("bambang", "bambanglipuro")  # a long word is a name of its own
    assert blend("aher", ["ahmad", "heryawan"]) and blend("jokowi", ["joko", "widodo"])
    assert not blend("budi", ["budi", "santoso"])  # a plain prefix is not a blend


def test_capitalised_sentence_words_and_headlines_are_not_names():
    text = "Ikut Perburuk Kepuasan Masyarakat\n\nMenurut Tito, anggaran aman. Perintah Farhan jelas."
    names = {p.name for p in people(text).persons}
    assert "Tito" in names and "Farhan" in names
    assert not any(n.startswith(("Menurut", "Perintah", "Ikut", "Kepuasan")) for n in names)


def test_a_quantifier_opening_a_sentence_is_no_name():
    # `Sejumlah foto ... beredar`: a celebrity story's list of comments was given to `Sejumlah`
    text = "Sejumlah foto beredar di media sosial. Beberapa Penggemar memuji Kang Daniel. Semua terkejut."
    assert {p.name for p in people(text).persons} == {"Penggemar", "Kang Daniel"}  # a capitalised noun may be a name


def test_a_reduplicated_word_tagged_as_a_person_is_no_name():
    text = "Baru-baru ini Kang Daniel tampil di Seoul."
    art = article_from_text(text, "t")
    assert [t.text for t in art.tokens][:4] == ["Baru-baru", "ini", "Kang", "Daniel"]
    tags = ["B-PERSON", "O", "B-PERSON", "I-PERSON"] + ["O"] * (len(art.tokens) - 4)
    for given in (tags, ["O"] * len(art.tokens)):
        names = {p.name for p in find_people(text, art.tokens, given, art.sentence_starts).persons}
        assert "Kang Daniel" in names and not any(n.startswith("Baru") for n in names)


def test_places_and_organisations_are_not_people():
    names = {p.name for p in people("Ia datang ke Polda Riau dan Stasiun Manggarai bersama Andi Saputra.").persons}
    assert names == {"Andi Saputra"}


@pytest.mark.parametrize("text, name", [
    ("Wali Kota Surabaya Tri Rismaharini meninjau pasar.", "Tri Rismaharini"),
    ("Gubernur Jawa Barat Ridwan Kamil hadir di Bandung.", "Ridwan Kamil"),
    ("Kapolri Timur Pradopo memberi keterangan.", "Timur Pradopo"),  # one word left: the place word is the name
])
def test_the_place_of_a_title_is_no_part_of_the_name(text, name):
    assert [p.name for p in people(text).persons] == [name]


def test_a_name_glued_to_the_next_word_by_a_scraper_is_cut_back():
    text = 'Menteri BUMN Erick Thohir hadir. Ia tidak setuju. "Kami siap," kata Erick Thohirtidak lama. Thohir pergi.'
    [person] = people(text).persons
    assert person.name == "Erick Thohir" and [m.text for m in person.mentions].count("Erick Thohir") == 2
    from indoquote.quotes.speakers import _glued

    art = article_from_text("Ahmad Subarjo datang bersama Subarjono.", "t")  # `no` is no word of the article
    assert _glued(art.tokens) == {}


def test_news_outlets_are_not_people():
    text = "Eva Kusuma Sundari membantah, ujarnya kepada Republika. Hal itu dikutip Tempo dan ANTARA."
    assert {p.name for p in people(text).persons} == {"Eva Kusuma Sundari"}


def test_bare_title_goes_to_the_closest_title():
    ppl = people("Wakil Presiden Ma'ruf Amin dan Presiden Joko Widodo hadir. Presiden berpidato.")
    assert "Presiden" in [m.text for m in person_of(ppl, "Joko Widodo").mentions]


def test_pronouns_are_listed_not_clustered():
    ppl = people("Andi Saputra hadir. Dia tersenyum dan ia pulang.")
    assert [p.text for p in ppl.pronouns] == ["Dia", "ia"]
    assert [p.name for p in ppl.persons] == ["Andi Saputra"]


def test_tagged_person_spans_are_used_and_marked():
    text = "Kata Sekjen Jens Stoltenberg pada Kamis."
    art = article_from_text(text, "t")
    tags = ["O"] * len(art.tokens)
    k = [t.text for t in art.tokens].index("Jens")
    tags[k : k + 2] = ["B-PERSON", "I-PERSON"]
    ppl = find_people(text, art.tokens, tags)
    p = person_of(ppl, "Jens Stoltenberg")
    assert p.tagged and "sekjen" in p.titles


def test_an_organisation_spelled_by_its_acronym_and_a_quoted_title_are_nobody():
    text = ("Politikus PDIP, Eva Kusuma Sundari membantah jika Partai Demokrasi Indonesia Perjuangan (PDIP) "
            "ikut memperburuk kepuasan publik. Hal itu menanggapi berita berjudul 'PDIP Ikut Perburuk Kepuasan "
            "Masyarakat terhadap Pemerintah'. Eva tersenyum.")
    names = [p.name for p in people(text).persons]
    assert names == ["Eva Kusuma Sundari"]
    # a person's initials may spell their short form too: no organisation word, still a person
    assert [p.name for p in people("Mantan Presiden Susilo Bambang Yudhoyono (SBY) hadir.").persons] == [
        "Susilo Bambang Yudhoyono"]


def test_an_office_that_speaks_as_a_body_is_named_as_the_article_writes_it():
    from indoquote.quotes.speakers import institution_name

    text = ("Tom menyebutkan, jaksa tidak melampirkan dasar perhitungan. Sebelumnya, Jaksa Penuntut Umum (JPU) dari "
            "Kejagung RI mendakwa Tom. Jaksa menjelaskan, angka itu bagian dari total kerugian.")
    assert institution_name(text, "jaksa") == "Jaksa Penuntut Umum (JPU)"  # the fullest form, with its acronym
    assert institution_name("Kata jaksa itu benar.", "jaksa") == "jaksa"  # no fuller form: as written
    assert institution_name(text, "Kapolres") is None  # one person's title names nobody
    assert institution_name(text, "") is None



def test_ranks_and_the_retired_mark_are_titles_and_a_tagged_place_is_no_person():
    from indoquote.quotes.rule_tags import label_article
    from indoquote.text.articles import article_from_text

    text = ('Mantan Kadiv Humas Polri Inspektur Jenderal (Purn) Setyo Wasisto dihubungi. '
            '"Red notice itu sudah lama dihapus," kata Setyo. Ia pernah menjadi Kapolda Sumatera Utara.')
    art = article_from_text(text, "x")
    tags = label_article(art)
    words = [t.text for t in art.tokens]
    at = words.index("Sumatera")
    tags[at: at + 2] = ["B-PERSONCOREF", "I-PERSONCOREF"]  # a tagger's slip: the place of a title
    people = find_people(text, art.tokens, tags, art.sentence_starts)
    assert [p.name for p in people.persons if p.named] == ["Setyo Wasisto"]


def test_a_title_alone_is_the_person_with_that_title_mentioned_last():
    from indoquote.quotes.rule_tags import label_article
    from indoquote.text.articles import article_from_text

    text = ('Presiden Joko Widodo tiba di Manila. Presiden Filipina Rodrigo Duterte menyambutnya. '
            'Jokowi menyampaikan empat usulan. "Kita harus bekerja sama lebih erat," ucap Presiden.')
    art = article_from_text(text, "x")
    people = find_people(text, art.tokens, label_article(art), art.sentence_starts)
    [jokowi] = [p for p in people.persons if p.name == "Joko Widodo"]
    assert any(m.text == "Presiden" and m.kind == "title" for m in jokowi.mentions)


def test_a_chancellor_is_a_title():
    from indoquote.quotes.rule_tags import label_article
    from indoquote.text.articles import article_from_text

    text = ('Kanselir Jerman Olaf Scholz mengkonfirmasi rencana itu. Kanselir Jerman mengatakan, ini masih dibahas. '
            '"Semua masih belum final," katanya.')
    art = article_from_text(text, "x")
    people = find_people(text, art.tokens, label_article(art), art.sentence_starts)
    assert [p.name for p in people.persons if p.named] == ["Olaf Scholz"]


def test_a_renaming_after_dipanggil_joins_the_person_it_renames():
    ppl = people("Direktur Erni Sylviane Purba meninjau stasiun. Perempuan yang biasa dipanggil Anne Purba itu "
                 'tersenyum. "Stasiun siap," kata Purba.')
    p = person_of(ppl, "Erni Sylviane Purba")
    assert [m.text for m in p.mentions] == ["Erni Sylviane Purba", "Anne Purba", "Purba"]
    assert len([q for q in ppl.persons if q.named]) == 1


def test_a_short_form_keeps_naming_the_person_it_named_first():
    ppl = people('Ketua Umum Hariyadi B Sukamdani hadir. "Kami siap," lanjut Hariyadi. Wakilnya, Adil Hariyadi, '
                 'juga datang. "Kami tetap siap," kata Hariyadi.')
    first = person_of(ppl, "Hariyadi B Sukamdani")
    assert [m.text for m in first.mentions] == ["Hariyadi B Sukamdani", "Hariyadi", "Hariyadi"]
    assert [m.text for m in person_of(ppl, "Adil Hariyadi").mentions] == ["Adil Hariyadi"]
