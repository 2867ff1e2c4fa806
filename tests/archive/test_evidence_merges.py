"""Merges on evidence beyond the name (``indoquote.archive.evidence_merges``): spelling variants, lone name words
and honorific nicknames join a person on the same quotation, the same nickname, similar quotations or the same
article, and stay apart without them."""

from __future__ import annotations

import pandas as pd
import pytest

from indoquote.archive.evidence_merges import LONG_VARIANT_CHARS, STORY_MIN
from indoquote.archive.identity import resolve_speakers
from indoquote.archive.identity_pass import annotate
from indoquote.archive.name_context import TITLE_MIN, TOPIC_MIN, QuoteContext
from indoquote.archive.name_merges import EVIDENCE
from indoquote.archive.speaker_names import modern_spelling, same_in_old_spelling

COLUMNS = ("article_id", "speaker", "speaker_forms", "role", "affiliation", "quote", "title")

# Quotations of one story each: a sports minister, a traffic chief, a football coach, a celebrity, a governor.
MINISTER = [
    "Saya akan menghormati proses hukum di Komisi Pemberantasan Korupsi terkait dana hibah KONI tahun ini",
    "Dana hibah KONI itu sudah sesuai aturan dan saya siap menjelaskan kepada penyidik Komisi Pemberantasan Korupsi",
    "Saya baru tahu status tersangka sore ini dari penyidik, dana hibah KONI akan saya jelaskan",
]
TRAFFIC = [
    "Perluasan ganjil genap di jalan protokol Jakarta mengurangi kemacetan dan polusi udara di ibu kota",
    "Kendaraan pribadi yang melanggar aturan ganjil genap akan ditilang petugas Dinas Perhubungan mulai pekan depan",
]
COACH = [
    "Pemain kami harus fokus menghadapi laga berikutnya di Stadion Si Jalak Harupat melawan Persija",
    "Ezechiel masih cedera dan belum bisa bermain di laga melawan Persija pekan depan di Bandung",
]
CELEBRITY = [
    "Aku senang banget konser perdana album baru ini penontonnya ramai dan lagu-lagunya dinyanyikan bareng",
    "Album baru ini aku garap bersama produser musik dari Korea, konsernya nanti di Jakarta dan Surabaya",
]
GOVERNOR = [
    "Pembangunan kereta cepat Jakarta Bandung harus selesai tepat waktu untuk warga Jawa Barat",
    "Warga Jawa Barat akan mendapat manfaat dari stasiun kereta cepat di Padalarang dan Tegalluar",
]


def rows(*items: tuple) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, it)) for it in items], columns=list(COLUMNS))


def ids_of(df: pd.DataFrame) -> list:
    out, _ = annotate(df.assign(quote_index=range(len(df))))
    return out["speaker_id"].tolist()


def evidence(df: pd.DataFrame) -> dict[str, str]:
    _, ids = annotate(df.assign(quote_index=range(len(df))))
    return {m.form: m.evidence for m in ids.merges}


def joined(df: pd.DataFrame, form: str, kind: str) -> list:
    """The speaker ids, once ``form`` is seen merged on ``kind``."""
    assert evidence(df)[form] == kind
    return ids_of(df)


def test_the_new_kinds_of_evidence_are_explained_in_the_report():
    for kind in ("same quotation", "same nickname", "similar quotations", "same article", "article title",
                 "honorific and alias", "old spelling"):
        assert kind in EVIDENCE


def test_a_spelling_variant_joins_on_the_same_quotation_in_another_article():
    df = rows(
        ("a1", "Syafrin Liputo", None, "Kepala Dinas Perhubungan", None, TRAFFIC[0]),
        ("a2", "Syafrin Liputo", None, "Kepala Dinas Perhubungan", None, TRAFFIC[1]),
        ("a3", "Syafrin Lupito", None, None, None, "“" + TRAFFIC[0] + ",”"),  # another outlet, no role, one typo
    )
    ids = joined(df, "Syafrin Lupito", "same quotation")
    assert ids[0] == ids[1] == ids[2] == "syafrin-liputo"


def test_a_spelling_variant_joins_on_similar_quotations():
    df = rows(
        ("a1", "Imam Nahrawi", None, "Menteri Pemuda dan Olahraga", None, MINISTER[0]),
        ("a2", "Imam Nahrawi", None, "Menpora", None, MINISTER[1]),
        ("a3", "Iman Nahrawi", None, None, None, MINISTER[2]),
        ("a4", "Syafrin Liputo", None, "Kepala Dinas Perhubungan", None, TRAFFIC[0]),
    )
    ids = joined(df, "Iman Nahrawi", "similar quotations")
    assert ids[0] == ids[1] == ids[2] != ids[3]


def test_spelling_variants_with_conflicting_roles_stay_two_even_with_similar_quotations():
    df = rows(
        ("a1", "Agus Widodo", None, "Kapolres Bogor", "Polres Bogor", TRAFFIC[0]),
        ("a2", "Agus Wibowo", None, "Pengamat transportasi", "Universitas Indonesia", TRAFFIC[0] + " kata dia"),
        ("a3", "Agus Wibowo", None, "Pengamat transportasi", "Universitas Indonesia", TRAFFIC[1]),
    )
    ids = ids_of(df)
    assert ids[0] != ids[1] == ids[2]


def test_two_spellings_given_one_nickname_by_articles_are_one_person():
    df = rows(
        ("a1", "Edhie Baskoro Yudhoyono", "Edhie Baskoro Yudhoyono | Ibas", "Ketua Fraksi", None, GOVERNOR[0]),
        ("a2", "Eddy Baskoro Yudhoyono", "Eddy Baskoro Yudhoyono | Ibas", None, None, CELEBRITY[0]),
    )
    assert len(set(ids_of(df))) == 1
    assert evidence(df)["Eddy Baskoro Yudhoyono"] == "same nickname"


def test_a_lone_surname_joins_its_person_on_the_same_quotation():
    df = rows(
        ("a1", "Robert Rene Alberts", None, "Pelatih", "Persib", COACH[0]),
        ("a2", "Robert Rene Alberts", None, "Pelatih", "Persib", COACH[1]),
        ("a3", "Alberts", None, None, None, COACH[1]),
    )
    ids = joined(df, "Alberts", "same quotation")
    assert ids[2] == ids[0] == "robert-rene-alberts"


def test_a_lone_surname_joins_the_person_quoted_in_the_same_article():
    df = rows(
        ("a1", "Susi Pudjiastuti", "Susi Pudjiastuti | Susi", "Menteri Kelautan dan Perikanan", None, MINISTER[0]),
        ("a3", "Susi Pudjiastuti", "Susi Pudjiastuti | Susi", "Menteri Kelautan dan Perikanan", None, MINISTER[1]),
        ("a2", "Susi", None, None, None, TRAFFIC[0]),  # the article calls her Susi (two articles say who) ...
        ("a2", "Pudjiastuti", None, None, None, CELEBRITY[0]),  # ... and Pudjiastuti, nothing else in common
    )
    ids = joined(df, "Pudjiastuti", "same article")
    assert ids[0] == ids[1] == ids[2] == ids[3]


def test_a_lone_surname_of_the_only_longer_name_stays_apart_without_evidence():
    """``Syafruddin`` the minister is not ``Faisal Syafruddin``, the tax chief, though no other name ends so."""
    df = rows(
        ("a1", "Faisal Syafruddin", None, "Kepala Badan Pajak", None, MINISTER[0]),
        ("a2", "Faisal Syafruddin", None, "Kepala Badan Pajak", None, MINISTER[1]),
        ("a3", "Syafruddin", None, None, None, CELEBRITY[0]),
        ("a4", "Syafruddin", None, None, None, COACH[0]),
    )
    result = resolve_speakers(df)
    ids = result.row_ids.tolist()
    assert ids[2] not in (ids[0], ids[3]) and ids[3] != ids[0]  # an id per article, neither is Faisal
    assert result.people.set_index("speaker_id").loc[ids[2], "ambiguous"]


def test_a_lone_given_name_stays_apart_without_evidence_and_joins_on_its_topic():
    df = rows(
        ("a1", "Andre Soelistyo", None, "Presiden", "Gojek", GOVERNOR[0]),
        ("a2", "Andre", None, None, None, CELEBRITY[0]),  # another Andre
        ("a3", "Marcell Januar Putra", None, None, None, COACH[0]),
        ("a4", "Marcell Kurniawan", None, "Training Director", None, CELEBRITY[1]),
        ("a5", "Marcell", None, None, None, COACH[1]),  # the footballer: his quotations' words
    )
    ids = joined(df, "Marcell", "similar quotations")
    assert ids[1] != ids[0] and ids[1].startswith("andre~")
    assert ids[4] == ids[2] != ids[3]


@pytest.mark.parametrize(
    "items",
    [
        [  # one letter apart, a celebrity and a politician: nothing in common
            ("a1", "Aldi Taher", None, None, None, CELEBRITY[0]),
            ("a2", "Aldi Taher", None, None, None, CELEBRITY[1]),
            ("a3", "Ali Taher", None, None, None, MINISTER[0]),
        ],
        [  # a lone word of two people whose quotations are alike: neither
            ("a1", "Dedi Prasetyo", None, None, None, MINISTER[0]),
            ("a2", "Dedi Mulyadi", None, None, None, MINISTER[1]),
            ("a3", "Dedi", None, None, None, MINISTER[2]),
        ],
    ],
    ids=["one-letter-apart", "lone-word-of-two"],
)
def test_names_that_the_evidence_does_not_settle_stay_apart(items):
    ids = ids_of(rows(*items))
    assert ids[2] not in (ids[0], ids[1])


def test_an_honorific_before_a_persons_one_nickname_joins_them_and_kang_daniel_stays():
    df = rows(
        ("a1", "Ridwan Kamil", "Ridwan Kamil | Emil", "Gubernur Jawa Barat", None, GOVERNOR[0]),
        ("a2", "Emil", None, None, None, GOVERNOR[1]),
        ("a3", "Kang Emil", None, None, None, CELEBRITY[0]),
        ("a4", "Kang Daniel", None, "Penyanyi", None, CELEBRITY[1]),
        ("a5", "Daniel Mananta", "Daniel Mananta | Daniel", "Presenter", None, COACH[0]),
    )
    ids = joined(df, "Kang Emil", "honorific and alias")
    assert ids[0] == ids[1] == ids[2] == "ridwan-kamil"
    assert ids[3] == "kang-daniel" and ids[4] != ids[3]


def test_an_honorific_before_a_nickname_of_two_people_joins_neither():
    df = rows(
        ("a1", "Ridwan Kamil", "Ridwan Kamil | Emil", "Gubernur Jawa Barat", None, GOVERNOR[0]),
        ("a2", "Emil Dardak", None, "Wakil Gubernur Jawa Timur", None, GOVERNOR[1]),
        ("a3", "Kang Emil", None, None, None, CELEBRITY[0]),
    )
    ids = ids_of(df)
    assert ids[2] not in (ids[0], ids[1])


def test_quotation_context_similarity_and_shared_quotations():
    ctx = QuoteContext.build(
        range(4),
        ["imam nahrawi", "iman nahrawi", "aldi taher", "nahrawi", "syafrin liputo"],
        ["a1", "a2", "a3", "a4", "a5"],
        [MINISTER[0], MINISTER[1], CELEBRITY[0], MINISTER[0], TRAFFIC[0]],
        ["q1", "q2", "q3", "q1", "q4"],
    )
    near = ctx.similarity(ctx.bags["imam nahrawi"], ctx.bags["iman nahrawi"])
    far = ctx.similarity(ctx.bags["imam nahrawi"], ctx.bags["aldi taher"])
    assert near > 3 * far and far < TOPIC_MIN
    assert ctx.shared_quotations(["nahrawi"], ["imam nahrawi"]) == ["q1"]
    assert ctx.shared_quotations(["aldi taher"], ["imam nahrawi"]) == []


def test_the_same_name_in_the_old_spelling_is_one_person_unless_the_roles_disagree():
    df = rows(
        ("a1", "Nadia Diposandjojo", None, "Kepala Divisi Humas", "PT Transjakarta", TRAFFIC[0]),
        ("a2", "Nadia Diposanjoyo", None, None, None, CELEBRITY[0]),
        ("a3", "Soekarno", None, "Presiden", None, GOVERNOR[0]),
        ("a4", "Djoko Santoso", None, "Panglima TNI", None, MINISTER[0]),
        ("a5", "Joko Santoso", None, "Pelatih", "Persib", COACH[0]),  # another man: the roles disagree
    )
    ids = joined(df, "Nadia Diposanjoyo", "old spelling")
    assert ids[0] == ids[1] and ids[3] != ids[4]
    assert same_in_old_spelling("bambang brodjonegoro".split(), "bambang brojonegoro".split())
    assert modern_spelling("soekarno") == "sukarno" and modern_spelling("tjahjo") == "cahyo"
    assert not same_in_old_spelling("juli astuti".split(), "yuli astuti".split())  # two names today


def test_a_lone_word_joins_the_one_candidate_whose_full_name_the_articles_title_gives():
    df = rows(
        ("a1", "Shandy Aulia", None, "Aktris", None, CELEBRITY[0], "Shandy Aulia Tanggapi Kritik Netizen"),
        ("a2", "Shandy Tumiwa", None, None, None, COACH[0], "Shandy Tumiwa Kapok"),
        ("a3", "Shandy", None, None, None, TRAFFIC[0], "Shandy Aulia Ingin Melahirkan Secara Normal"),
        ("a4", "Shandy", None, None, None, TRAFFIC[1], "Artis Ingin Melahirkan Secara Normal"),
    )
    ids = joined(df, "Shandy", "article title")
    assert ids[2] == ids[0] != ids[1] and ids[3] not in (ids[0], ids[1])


def test_a_name_with_two_words_written_as_one_is_the_same_name():
    df = rows(
        ("a1", "Gatot S. Dewa Broto", None, "Sekretaris Kemenpora", None, MINISTER[0]),
        ("a2", "Gatot S Dewabroto", None, None, None, CELEBRITY[0]),
        ("a3", "Gatot Soebroto", None, None, None, CELEBRITY[1]),
    )
    ids = joined(df, "Gatot S Dewabroto", "same name")
    assert ids[0] == ids[1] != ids[2]


def test_the_spaces_rule_holds_when_a_sentence_opener_was_read_into_the_role():
    df = rows(
        ("a1", "Gatot S. Dewa Broto", None, "Sekretaris", None, MINISTER[0]),
        ("a2", "Gatot S Dewabroto", None, "Adapun Sekretaris", None, CELEBRITY[0]),  # `adapun`: "as for"
    )
    ids = joined(df, "Gatot S Dewabroto", "same name")
    assert ids[0] == ids[1]


RKUHP = ("Pasal Korupsi di RKUHP Tak Sertakan Pidana Tambahan", "Pakar: Pasal Pidana Korupsi RKUHP Mendegradasi",
         "Pasal Pidana RKUHP Ramai Ditolak")


def test_a_long_name_one_letter_apart_joins_on_the_same_story():
    """``Abdul Ficar Hadjar`` is ``Abdul Fickar Hadjar``: one letter, quotations in other words, one story (RKUHP)."""
    df = rows(
        ("a1", "Abdul Fickar Hadjar", None, None, None, MINISTER[0], RKUHP[0]),
        ("a2", "Abdul Fickar Hadjar", None, None, None, MINISTER[1], RKUHP[1]),
        ("a3", "Abdul Ficar Hadjar", None, None, None, CELEBRITY[0], RKUHP[2]),
        ("a4", "Aldi Taher", None, None, None, CELEBRITY[1], "Aldi Taher Bicara Konser Amal"),
        ("a5", "Ali Taher", None, None, None, TRAFFIC[0], "Ali Taher Bicara Konser Amal"),  # too short to join so
    )
    ids = joined(df, "Abdul Ficar Hadjar", "same story")
    assert ids[0] == ids[1] == ids[2] and ids[3] != ids[4]


def test_a_long_name_one_letter_apart_on_other_stories_stays_apart():
    df = rows(
        ("a1", "Abdul Fickar Hadjar", None, None, None, MINISTER[0], RKUHP[0]),
        ("a2", "Abdul Ficar Hadjar", None, None, None, CELEBRITY[0], "Konser Perdana Album Baru"),
        ("a3", "Abdul Fickar Hadjir", None, None, None, CELEBRITY[1], RKUHP[2]),  # two letters from a2: never
    )
    ids = ids_of(df)
    assert ids[0] != ids[1] != ids[2]


def test_a_lone_word_joins_the_candidate_whose_other_name_word_the_title_gives():
    """``Pudjiastuti`` quoted under ``... Ini yang Dilakukan Menteri Susi``: Susi Pudjiastuti. ``Buya Syafii``
    under ``Syafii Maarif Minta ...``: Ahmad Syafii Maarif (``Buya`` is a title)."""
    df = rows(
        ("a1", "Susi Pudjiastuti", None, "Menteri Kelautan dan Perikanan", None, MINISTER[0], "Kapal Asing"),
        ("a2", "Pudjiastuti", None, None, None, CELEBRITY[0], "Kapal Vietnam Masuk, Ini yang Dilakukan Menteri Susi"),
        ("a3", "Ahmad Syafii Maarif", None, "Mantan Ketua Umum", None, GOVERNOR[0], "Soal KPK"),
        ("a4", "Buya Syafii", "Buya Syafii | Buya", None, None, COACH[0], "Syafii Maarif Minta Jokowi Pilih Menteri"),
        ("a5", "Muhammad Syafii", None, "Anggota DPR", None, TRAFFIC[0], "DPR Keluhkan KPK"),
        ("a6", "Pudjiastuti", None, None, None, CELEBRITY[1], "Nelayan Protes"),  # nothing names her here
    )
    ids = joined(df, "Buya Syafii", "article title")
    assert ids[1] == ids[0] and ids[3] == ids[2] != ids[4] and ids[5] != ids[0]
    assert evidence(df)["Pudjiastuti"] == "article title"


def test_the_title_similarity_of_an_article_with_a_persons_articles():
    titles = [RKUHP[0], RKUHP[2], "Konser Perdana Album Baru", "Banjir di Jakarta", "Harga Cabai Naik"]
    ctx = QuoteContext.build(range(5), "abcde", ["a1", "a2", "a3", "a4", "a5"], "vwxyz", [None] * 5, titles)
    assert ctx.title_similarity("a1", ["a2"]) >= TITLE_MIN > ctx.title_similarity("a3", ["a1", "a2"]) == 0.0
    assert ctx.title_count("rkuhp") == 2 and ctx.title_count("konser") == 1 and ctx.title_count("nothing") == 0


def test_a_name_of_ten_letters_one_letter_apart_joins_on_the_same_story():
    """``Rahmat Subakti`` (14 letters) is ``Rachmat Subakti``: a concert promoter in two stories of one concert."""
    df = rows(
        ("a1", "Rachmat Subakti", None, None, None, CELEBRITY[0], "Ari Lasso Sajikan Kariernya lewat Konser"),
        ("a2", "Rahmat Subakti", None, None, None, TRAFFIC[0], "Ari Lasso Akan Konser di Tiga Kota"),
        ("a3", "Ridwan Kamil", None, None, None, GOVERNOR[0], "Kereta Cepat Jakarta Bandung"),
        ("a4", "Robert Alberts", None, None, None, COACH[0], "Persib Kalah di Kandang"),
    )
    assert LONG_VARIANT_CHARS == 10
    ids = joined(df, "Rachmat Subakti", "same story")
    assert ids[0] == ids[1]


def test_a_lone_name_that_nothing_settles_gets_one_id_per_story_not_per_article():
    """``Zainuddin``, a traffic officer at one truck accident, in two articles is one person; the ``Zainuddin`` of
    another story and one on that story whose role conflicts keep ids of their own."""
    df = rows(
        ("a0", "Zainuddin Amali", None, "Ketua Komisi II", None, GOVERNOR[0], "Pansus Ibu Kota Baru"),
        ("a9", "Zainuddin Arsyad", None, "Petani", None, GOVERNOR[1], "Panen Padi"),
        ("a1", "Zainuddin", None, "Kanit Lantas", None, TRAFFIC[0], "Truk Terguling di Tanjakan Emen, Satu Tewas"),
        ("a2", "Zainuddin", None, "Kanit Lantas", None, TRAFFIC[1], "Truk Terguling di Tanjakan Emen Subang, 1 Tewas"),
        ("a3", "Zainuddin", None, None, None, COACH[0], "Persib Kalah di Kandang"),
        ("a4", "Zainuddin", None, "Pelatih Kiper", None, COACH[1], "Truk Terguling di Tanjakan Emen, Sopir Selamat"),
    )
    ids = ids_of(df)
    assert ids[2] == ids[3] and ids[2].startswith("zainuddin~")
    assert len({ids[0], ids[1], ids[2], ids[4], ids[5]}) == 5
    assert STORY_MIN == 0.15
