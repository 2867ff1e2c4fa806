"""Who said it, on the failure classes of new outlets and genres (issue #25), each on a small made-up article.

The tags are what a weak tagger gives (quotations and cues, no PERSON), as in
``test_linker.py``: the speaker has to come from the article's people and the linker.
"""

from __future__ import annotations

import pytest
from test_linker import linker, speakers  # noqa: F401  (the fixture is shared)

from indoquote.quotes.attribute import quote_records
from indoquote.text.articles import article_from_text
from indoquote.text.glue import normalize_and_repair

CASES = [
    ("a description with itu stands for the person named before",
     'Politikus Partai Demokrat Andi Arief hadir dalam diskusi di Jakarta, Sabtu. '
     '"Kami tidak akan mundur dari koalisi ini," kata politikus partai itu.', ["Andi Arief"]),
    ("a description with tersebut",
     'Pendiri Yayasan Satwa Lestari, Rina Kusumawati, meninjau kandang baru. '
     '"Satwa di sini harus dirawat dengan baik," ujar pendiri yayasan satwa tersebut.', ["Rina Kusumawati"]),
    ("a nickname the article introduces",
     'Muhammad Rizky Pratama, yang akrab disapa Kiki, membuka usaha kopi sejak 2019. '
     '"Awalnya saya hanya berjualan di depan rumah," ucap Kiki.', ["Muhammad Rizky Pratama"]),
    ("a nickname introduced with berjuluk",
     'Bambang Pamungkas, yang berjuluk Bepe, kini menjadi manajer tim. '
     '"Saya ingin membantu pemain muda," kata Bepe.', ["Bambang Pamungkas"]),
    ("a nickname introduced with panggilan akrab",
     'Bambang Pamungkas, dengan panggilan akrab Bepe, kini menjadi manajer tim. '
     '"Saya ingin membantu pemain muda," kata Bepe.', ["Bambang Pamungkas"]),
    ("a nickname given before the name of someone named earlier",
     "Kombes Pol Syafi'in menyerahkan formulir di Surabaya, Jumat. Gus Syaf, sapaan akrab Syafi'in, mengambil "
     'formulir itu pada 9 Agustus. "Saya niat maju dengan sembilan program," tegas Gus Syaf.', ["Syafi'in"]),
    ("a short form the article never introduces",
     'Sutrisno Adiwijoyo sudah tiga puluh tahun menjadi nelayan di Cilacap. '
     '"Laut sekarang tidak seperti dulu lagi," kata Tris.', ["Sutrisno Adiwijoyo"]),
    ("-nya past a shop named between the quotations",
     'Siti Aminah membuka warung makan sejak 1998. "Dulu pembelinya hanya tetangga," katanya. '
     'Kini Warung Mak Ijah dikenal hingga luar kota. "Sekarang banyak yang datang dari Jakarta," tuturnya.',
     ["Siti Aminah", "Siti Aminah"]),
    ("a team is not the speaker",
     'Pelatih Shin Tae-yong memimpin latihan Timnas Indonesia di Bali. '
     '"Pemain harus siap secara fisik," kata Shin. Timnas Indonesia akan melawan Vietnam. '
     '"Kami ingin menang di kandang," ujarnya.', ["Shin Tae-yong", "Shin Tae-yong"]),
    ("someone described but not named is the speaker as written",
     'Olesya jatuh dari tebing di Antalya pada Minggu. '
     '"Dia selalu mencintai laut dan bermimpi tinggal di Turki," tulis seorang teman korban.',
     ["seorang teman korban"]),
    ("a link to another article glued in is nobody",
     'Pelatih Quique Setien memuji Lautaro Martinez. "Dia pemain hebat," kata Setien. '
     'Baca Juga: Ingin Gabung Juventus, Tonali Tolak Barcelona dan PSG '
     '"Semua pemain bagus bisa menarik minat klub ini," ujarnya.',
     ["Quique Setien", "Quique Setien"]),
    ("clubs named inside a description are no speakers",
     'Kaka dipastikan meninggalkan Orlando City pada Desember. Meski ditanya wartawan, Kaka menolak berkomentar. '
     '"Kontrak saya dengan Orlando City akan berakhir tahun ini," ungkap eks superstar AC Milan dan Real Madrid '
     'tersebut.', ["Kaka"]),
    ("a description does not stand for a place named after di",
     'Wakil Ketua DPR Fadli Zon mengkritik rencana itu di Senayan, Jakarta. '
     '"Ini keputusan yang terburu-buru," sebut politisi Gerindra tersebut.', ["Fadli Zon"]),
    ("a kin description does not stand for a place named after di",
     'Edhie Baskoro Yudhoyono atau Ibas hadir di acara keluarga di Cikeas. '
     '"Kami semua mendukung keputusan ini," ungkap adik dari Agus Harimurti Yudhoyono itu.',
     ["Edhie Baskoro Yudhoyono"]),
    ("a description with a place of origin stands for the person it names by title",
     'Menteri Kelautan dan Perikanan Susi Pudjiastuti meninjau pelabuhan di Cilacap, Senin. '
     '"Jangan lagi ada yang memakai bom untuk menangkap ikan," ucap menteri nyentrik asal Pangandaran itu.',
     ["Susi Pudjiastuti"]),
    ("a place of origin after asal is nobody",
     'Menteri Kelautan dan Perikanan Susi Pudjiastuti meninjau pelabuhan, Senin. '
     '"Jangan lagi ada yang memakai bom untuk menangkap ikan," ucap menteri nyentrik asal Pangandaran.',
     [None]),
    ("an anonymous source is the speaker as written",
     'Rapat kabinet digelar tertutup pada Senin malam. '
     '"Presiden meminta semua menteri bekerja lebih cepat," kata seorang sumber.', ["seorang sumber"]),
]


@pytest.mark.parametrize("cause, text, expected", CASES, ids=[c[0] for c in CASES])
def test_failure_class(linker, cause, text, expected):  # noqa: F811
    assert speakers(text, linker) == expected, cause


def test_glued_words_still_give_the_speaker(linker):  # noqa: F811
    text = ('Jakarta - MenteriKeuanganSri Mulyanimenegaskan anggaran tahun depan tetap hati-hati. '
            '"Kita harus menjaga defisit di bawah tiga persen," ujarnya.')
    assert speakers(normalize_and_repair(text).text, linker) == ["Sri Mulyani"]


def test_someone_unnamed_as_a_speech_verbs_subject_is_the_speaker_as_written(linker):  # noqa: F811
    text = ('Olesya jatuh dari tebing di Antalya pada Minggu. Berbicara kepada media, seorang kerabat korban '
            'berkata, "Olesya adalah orang yang cerdas dan ceria sejak kecil."')
    art = article_from_text(text, "fixture")
    words = [t.text for t in art.tokens]
    verb, mark = words.index("berkata"), words.index('"')
    tags = ["O"] * len(words)
    tags[verb] = "B-CUE"
    tags[mark] = "B-STATEMENT"
    tags[mark + 1 :] = ["I-STATEMENT"] * (len(words) - mark - 1)
    [record] = quote_records(text, art.tokens, tags, art.sentence_starts, linker)
    assert record.speaker == "seorang kerabat korban"


def test_a_list_of_comments_is_the_crowds_not_the_stars_the_story_names(linker):  # noqa: F811
    """``komentar-komentar netizen seperti berikut:`` then uncued quotations: the crowd as written said them (a K-pop
    gossip story gave them to the star it names); the list ends where the story's own sentences go on."""
    from test_linker import quote_and_cue_tags

    text = ('Kang Daniel tampil di acara Cartier pada Kamis malam. Foto-fotonya memicu komentar-komentar netizen '
            'seperti berikut:\n\n"Kang Daniel tampan dan menawan sekali."\n\n"Wajahnya tidak berubah sejak debut."'
            '\n\nKang Daniel sendiri belum menanggapi hal itu. "Terima kasih untuk semua penggemar."\n\n'
            '"Saya senang bisa hadir," kata Kang Daniel.')
    art, tags = quote_and_cue_tags(text)
    marks = [i for i, t in enumerate(art.tokens) if t.text == '"']
    for a, b in zip(marks[::2], marks[1::2]):  # every quotation, cued or not, as a tagger that finds them all
        if tags[a] == "O":
            tags[a : b + 1] = ["B-STATEMENT"] + ["I-STATEMENT"] * (b - a)
    records = quote_records(text, art.tokens, tags, art.sentence_starts, linker)
    said = [r.speaker for r in records]
    assert len(said) == 4 and said[:2] == ["netizen", "netizen"] and said[3] == "Kang Daniel"
    assert said[2] != "netizen"  # after a sentence of the story's own the list is over
    assert records[0].confidence is None and records[0].speaker_mention.text == "netizen"
    a, b = marks[0], marks[1]  # the tagger missed the first comment: the list is still the crowd's
    tags[a : b + 1] = ["O"] * (b + 1 - a)
    said = [r.speaker for r in quote_records(text, art.tokens, tags, art.sentence_starts, linker)]
    assert said[0] == "netizen" and len(said) == 3
