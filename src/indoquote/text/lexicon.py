"""Words of Indonesian news attribution, shared by the rule baseline and the quote records.

Speech verbs (``kata``, ``ujar``... and ``katanya``), title words (``Sekjen``,
``Menteri``...), reporting verbs and pronouns: one list each, so the baseline and
the product read a speaker the same way.
"""

from __future__ import annotations

from typing import Sequence

CUE_STEMS = frozenset(
    "kata ujar ucap tutur jelas ungkap tegas lanjut imbuh tambah papar terang sebut "
    "pungkas tandas tulis tanya tutup sambung timpal cetus seloroh kilah beber urai tukas jawab pesan".split()
)
"""Speech verbs in their short (base) form; with ``-nya`` they are CUECOREF."""

ROLE_WORDS = frozenset(
    "presiden wakil wapres menteri menko sekjen sekretaris jenderal ketua umum kepala direktur "
    "utama eksekutif dirut gubernur bupati wali juru bicara jubir kapolri kapolda kapolres "
    "panglima rektor dekan peneliti pengamat anggota komisioner koordinator camat lurah "
    "manajer ceo sekda kadis".split()
)
"""Words of a speaker's title (``Sekjen``, ``Juru Bicara``, ``Wali Kota`` -> ``wali``...)."""

REPORTING_VERBS = frozenset(
    "mengatakan menyatakan menyampaikan menuturkan menambahkan menjelaskan menilai mengungkapkan "
    "mengemukakan menyebutkan menegaskan berpendapat memaparkan menerangkan".split()
)
"""Verbs of ``Sekjen NATO Jens Stoltenberg mengatakan , ...``, the usual way a speaker is introduced."""

SPEECH_VERBS = REPORTING_VERBS | frozenset(
    "menyebut mengklaim mengakui memastikan meminta mengimbau melaporkan membantah mengingatkan "
    "menekankan mengucapkan mengemukakan menyinggung menuturkan mengaku mengkonfirmasi mengonfirmasi "
    "mengumumkan berkisah mengeluhkan menuntut mengajak mendakwa".split()
)
"""Verbs that report speech (``Eva mengatakan ...``); thinking and planning verbs are not among them."""

REPORTED_VERBS = SPEECH_VERBS | frozenset(
    "berjanji menjanjikan menuduh mendesak menyarankan mempersilakan menanyakan bertanya mempertanyakan bilang "
    "berkata berujar mengungkap mencontohkan melanjutkan menyimpulkan memohon membenarkan berpesan memprediksi "
    "berpendapat memerintahkan menganjurkan menyerukan menduga".split()
)
"""Verbs of reported speech (``X berjanji ...``, ``Dia bilang ...``): :data:`SPEECH_VERBS` and the promises,
accusations, requests and questions of ``docs/annotation-format.md``. Kept apart from :data:`OPENING_VERBS`, so the
direct quotations' marks are read as before."""

CLAUSE_VERBS = frozenset("melihat memuji mencatat menyadari mengingat".split())
"""Verbs that report speech only with a clause after them (``melihat bahwa ...``, ``memuji, ...``)."""

OPENING_VERBS = SPEECH_VERBS | frozenset("menjawab bertanya menanggapi berkata berujar bilang".split())
"""Verbs that may open a direct quotation (``Peskov menjawab: "..."``)."""

PRONOUNS = frozenset({"dia", "ia", "beliau"})
OUTLETS = frozenset(
    "ANTARA Antara Republika REPUBLIKA Kompas KOMPAS Kompas.com KOMPAS.com Tempo TEMPO TEMPO.CO Detik detik "
    "detikcom Detikcom detikNews Okezone Okezone.com Liputan6 Liputan6.com CNN CNBC Tribun Tribunnews Kumparan "
    "kumparan Suara.com Bisnis.com Kontan Sindonews VIVA Viva Merdeka.com JawaPos Beritasatu iNews Tirto Katadata".split()
)
"""News outlets: ``ujarnya kepada Republika`` names who was told, not a person."""
NOT_NAMES = OUTLETS | frozenset(
    "Senin Selasa Rabu Kamis Jumat Jum'at Sabtu Minggu Januari Februari Maret April Mei Juni Juli "
    "Agustus September Oktober November Desember".split()
)


def strip_nya(word: str) -> str:
    """``katanya`` -> ``kata``, ``menurutnya`` -> ``menurut`` (the ``-nya`` that carries the speaker); else as is."""
    return word[:-3] if word.endswith("nya") else word


def cue_label(word: str) -> str | None:
    """``kata`` -> CUE, ``katanya`` -> CUECOREF, anything else -> None."""
    w = word.lower()
    if w in CUE_STEMS:
        return "CUE"
    if w.endswith("nya") and w[:-3] in CUE_STEMS:
        return "CUECOREF"
    return None


def cue_after(words: Sequence[str], b: int) -> int | None:
    """Index of the cue right after a closing quotation mark, ``b`` being the word after the mark
    (``" kata``, ``" , ujarnya``), or None."""
    k = b + 1 if b < len(words) and words[b] == "," else b
    return k if k < len(words) and cue_label(words[k]) else None


def verb_before(words: Sequence[str], a: int) -> int | None:
    """Index of the speech verb that opens a quotation at ``a`` (``Peskov menjawab : "``, ``katanya , "``), or None."""
    k = a - 2 if a > 0 and words[a - 1] in {":", ","} else a - 1
    return k if k >= 0 and (words[k].casefold() in OPENING_VERBS or cue_label(words[k])) else None

RANKS = frozenset(
    "kompol kombes akbp akp iptu ipda aiptu bripka brigadir briptu irjen brigjen komjen jenderal letkol "
    "kolonel mayor kapten letnan lettu letda serka sertu pratu marsekal laksamana laksma mayjen letjen "
    "dansatgas kasie kasi kasubdit kabid kasat humas jaksa hakim prof dr ir drs h hj kh pak bu bapak ibu "
    "mendag mensos menkes menlu menhan menkeu mendagri menpan mentan wamentan wamen wamenlu kemenko "
    "kapuspen kabareskrim danrem dandim pj plt plh politikus politisi pengacara kuasa hukum juru "
    "pelatih coach kapten pemain inspektur ajun komisaris sersan kopral bripda bharada laksda marsda marsma "
    "purn purnawirawan raja ratu kanselir perdana pol".split()
)
"""Ranks, honorifics and short titles that precede a name (``Kompol Erna``, ``Mendag Budi``, ``Kombes Pol``; ``Inspektur
Jenderal (Purn) Setyo Wasisto``: the rank and its "retired" mark, not a name)."""

PORTFOLIO_WORDS = frozenset(
    "sosial keuangan luar negeri dalam pertahanan kesehatan perdagangan perindustrian pertanian agama "
    "pendidikan kebudayaan pariwisata ekonomi kreatif bumn hukum ham perhubungan koordinator bidang politik "
    "keamanan perekonomian kemaritiman investasi energi sumber daya mineral lingkungan hidup kehutanan "
    "kelautan perikanan ketenagakerjaan sekretaris negara pemuda olahraga komunikasi informatika agraria "
    "tata ruang riset teknologi pemberdayaan perempuan perlindungan anak pekerjaan umum perumahan rakyat".split()
)
"""Words of a minister's portfolio (``Menteri Sosial Tri Rismaharini``): part of the title, never of the name."""

TITLE_WORDS = ROLE_WORDS | RANKS | PORTFOLIO_WORDS

SHORT_TITLES = {
    "mensos": "menteri sosial", "mendag": "menteri perdagangan", "menkes": "menteri kesehatan",
    "menlu": "menteri luar negeri", "menhan": "menteri pertahanan", "menkeu": "menteri keuangan",
    "mendagri": "menteri dalam negeri", "mentan": "menteri pertanian", "menpan": "menteri pendayagunaan",
    "menag": "menteri agama", "menaker": "menteri ketenagakerjaan", "menpora": "menteri pemuda olahraga",
    "menhub": "menteri perhubungan", "menperin": "menteri perindustrian", "wamentan": "wakil menteri pertanian",
    "wamenlu": "wakil menteri luar negeri", "wapres": "wakil presiden", "sekjen": "sekretaris jenderal",
}
"""Short forms of titles and the words of the titles they stand for (``Jelas Mensos`` after ``Menteri Sosial,
Khofifah``)."""

ORGANISATION_WORDS = frozenset(
    "rp pasal ayat nomor tahun kabupaten kota provinsi jalan desa kecamatan kelurahan bank pt tbk polda polres "
    "polsek polri kodim korem kodam universitas kementerian badan dinas pengadilan partai komisi dewan majelis "
    "pemprov pemkot pemkab pemerintah miliar juta triliun hari pekan program republik kantor rumah sakit "
    "sekolah masjid gedung istana stadion bandara pelabuhan pasar cabang surat undang fraksi tim klub stasiun "
    "terminal taman pantai gunung sungai pulau komunitas organisasi yayasan lembaga asosiasi keraton kerajaan "
    "islam kristen protestan katolik budha buddha hindu konghucu nasrani yahudi".split()
)
"""Capitalised words of places, organisations and things: a run with one of them names no person."""

NAME_PARTICLES = frozenset("bin binti van von der de da al el la".split())
"""Lower-case words that may sit inside a name (``Ahmad bin Said``)."""

ALIAS_WORDS = frozenset("atau alias beralias disapa sapaan dipanggil panggilan berjuluk dijuluki julukan".split())
"""Words between a name and its short form (``Joko Widodo alias Jokowi``, ``Bambang Pamungkas yang berjuluk Bepe``)."""

PREPOSITIONS = frozenset("di ke dari kepada pada dengan untuk oleh bagi terhadap tentang soal".split())
"""A mention after one of these is a place or an addressee, rarely the speaker."""

SENTENCE_WORDS = frozenset(
    "dia ia beliau menurut namun selain sementara saat ketika dalam untuk ini itu kami kita saya mereka "
    "pada di ke dari jika karena hal tak tidak sebelumnya adapun kemudian oleh sedangkan meski meskipun "
    "bahkan tetapi tapi lalu setelah sebab sebagai selama sejak hingga sampai akan juga ada apa siapa "
    "bagaimana mengapa kenapa kalau bila agar supaya dengan atas bagi yang para sang si kata ujar "
    "anda aku kamu baik begitu terkait sehingga maka lebih pun seperti sudah telah masih belum "
    "berdasarkan mengenai tentang sebelum usai pihaknya kini terakhir pertama kedua ketiga "
    "sejumlah beberapa banyak semua seluruh setiap tiap berbagai sebagian".split()  # quantifiers: `Sejumlah foto`
)
"""Capitalised only because a sentence starts with them: never a name on their own."""

INSTITUTION_WORDS = frozenset("jaksa jpu penyidik polisi kepolisian kejaksaan hakim majelis".split())
"""Offices that speak as a body (``kata jaksa`` in an indictment is the prosecution team): never named, the
office as the article writes it is the speaker (``Jaksa Penuntut Umum (JPU)``), as the annotation guidelines say."""

COLLECTIVE_WORDS = frozenset("keluarga pihak kubu kerabat rekan manajemen".split())
"""Lower-case words that make a name a group's (``keluarga Kiki Fatmala``, ``pihak Kiki``)."""

PLACE_WORDS = frozenset(
    "indonesia rusia ukraina amerika serikat as china tiongkok jepang korea selatan utara inggris prancis perancis "
    "jerman italia spanyol belanda belgia swiss swedia norwegia polandia turki iran irak israel palestina gaza "
    "suriah arab saudi mesir qatar uea india pakistan malaysia singapura thailand vietnam filipina myanmar "
    "kamboja brunei australia kanada brasil meksiko argentina afrika eropa asia timur tengah barat pasifik "
    "jakarta bandung surabaya semarang yogyakarta medan makassar palembang denpasar bali aceh riau jambi "
    "bengkulu lampung banten jawa sumatera kalimantan sulawesi papua maluku nusa tenggara jabar jateng jatim "
    "ntb ntt sumut sumbar sulsel kaltim kalbar bekasi bogor depok tangerang malang solo pekanbaru padang "
    "manado kupang ambon jayapura pontianak balikpapan samarinda batam mataram brussels washington moskow "
    "london paris beijing tokyo kyiv".split()
)
"""Countries, regions and large cities: a name made only of these is a place (``Rusia``, ``Jawa Barat``)."""


def is_acronym(word: str) -> bool:
    """``NATO``, ``PDI-P``, ``KPU``: two or more letters, all capitals (an organisation, not a name)."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
