"""The quote-speaker linker: trained on PFSA-ID's gold links, it attributes each cause of error on small articles.

The fixtures carry the tags a weak tagger would give: the quotation and its cue,
and no PERSON at all, so the speaker has to come from the article's people
(:mod:`indoquote.quotes.speakers`), not from the tagger.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indoquote.data.corpus import read_documents
from indoquote.data.gold import read_gold_files, select_part
from indoquote.errors import ModelLoadError
from indoquote.quotes.attribute import quote_records
from indoquote.quotes.linker import FEATURES, LINKER_CONFIG, Candidate, Linker, fit, load_linker
from indoquote.quotes.rule_tags import label_article
from indoquote.text.articles import article_from_text
from indoquote.training.fit_linker import gold_examples, pfsa_examples

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "seeds" / "antara-nato-russia-2021.txt"


@pytest.fixture(scope="module")
def linker():
    """A linker fitted in seconds on shipped data: tiny.conll's gold tags and the dev set's tune part, rule-tagged."""
    docs = read_documents([ROOT / "data" / "tiny" / "tiny.conll"])
    examples, stats = pfsa_examples(docs, [d.tags for d in docs])
    assert stats.examples >= 0.9 * stats.quotations > 100
    gold = select_part(read_gold_files(sorted((ROOT / "data" / "dev-articles").glob("*.jsonl"))), "tune")
    tagged = []
    for g in gold:
        art = article_from_text(g.text, g.id)
        art.tags = label_article(art)
        tagged.append(art)
    more, stats = gold_examples(tagged, gold)
    assert stats.examples > 50
    return fit(examples + more, seed=0, epochs=300)


def quote_and_cue_tags(text: str) -> tuple:
    """Tokens and tags with only STATEMENT and CUE/CUECOREF spans (the rule labeller's, PERSON removed)."""
    art = article_from_text(text, "fixture")
    tags = [t if t[2:] in {"STATEMENT", "CUE", "CUECOREF"} else "O" for t in label_article(art)]
    fixed = [t if t == "O" or t[2:] == tags[i - 1][2:] or t.startswith("B-") else "B-" + t[2:] for i, t in enumerate(tags)]
    return art, fixed


def speakers(text: str, linker) -> list[str | None]:
    art, tags = quote_and_cue_tags(text)
    assert not any(t.endswith("PERSON") for t in tags)
    return [r.speaker for r in quote_records(text, art.tokens, tags, art.sentence_starts, linker)]


@pytest.mark.parametrize(
    "cause, text, expected",
    [
        ("title", 'Menteri Perdagangan (Mendag) Budi Santoso membuka pameran di Jakarta. '
                  '"Transaksi tahun ini naik tajam sekali," kata Mendag.', ["Budi Santoso"]),
        ("pronoun", 'Mendagri Tito Karnavian hadir di Jakarta pada Senin. '
                    '"Kami akan memeriksa semua anggaran daerah," kata dia.', ["Tito Karnavian"]),
        ("-nya chain", 'Kepala Dinas Pasar Budi Santoso meninjau pasar pagi itu. '
                       '"Harga cabai sudah turun sejak pekan lalu," ujarnya.', ["Budi Santoso"]),
        ("-nya chain after a new name", 'Menteri BUMN Erick Thohir menjawab wartawan. '
                                        '"Kami siap bekerja keras untuk rakyat," katanya. '
                                        'Ia juga memuji Andi Saputra dari Bandung. '
                                        '"Tidak ada masalah sama sekali di sana," ujarnya.',
         ["Erick Thohir", "Erick Thohir"]),
        ("-nya back to the speaker, past a name read as an object",
         'Politikus PDIP Eva Kusuma Sundari membantah tudingan itu kepada Republika. '
         'Lebih lanjut, Eva mengatakan ia menanggapi survei tentang kinerja Presiden Joko Widodo. '
         '"Masyarakat umum mengikuti pendapat elite yang terbentuk di media," jelasnya.', ["Eva Kusuma Sundari"]),
        ("collective", 'Kiki Fatmala dirawat di rumah sakit. '
                       '"Kami mohon doa dari semua orang," kata keluarga Kiki Fatmala.', ["keluarga Kiki Fatmala"]),
        ("-nya after a titled name read as an object", 'Perdana Menteri Ismail Sabri Yaakob mengumumkan pembubaran '
                                                       'parlemen atas izin dari Raja Al-Sultan Abdullah Al-Mustafa Billah Shah.\n\n'
                                                       '"Saya mendorong semua pemerintah negara bagian untuk ikut," ujarnya.',
         ["Ismail Sabri Yaakob"]),
        ("a short title after the title set off by a comma", 'Di Jakarta, Menteri Sosial, Khofifah Indar Parawansa, '
                                                             'memberikan santunan. "Ini dihimpun oleh Komunitas Az-zahra '
                                                             'selama sebulan," jelas Mensos.', ["Khofifah Indar Parawansa"]),
        ("an office speaking as a body", 'Jaksa Penuntut Umum (JPU) mendakwa Tom Lembong pada Kamis. '
                                         '"Terdakwa memperkaya orang lain dalam kasus ini," kata jaksa di pengadilan.',
         ["Jaksa Penuntut Umum (JPU)"]),
        ("a title never named: nobody", 'Rapat berlangsung di Polres. '
                                        '"Semua pos harus dijaga sampai pagi," kata Kapolres.', [None]),
    ],
)
def test_each_cause_of_error_on_a_small_article(linker, cause, text, expected):
    assert speakers(text, linker) == expected, cause


def test_seed_article_without_any_person_tag(linker):
    """The headline example: three quotations by Jens Stoltenberg, Sekjen of NATO, though no PERSON is tagged."""
    text = SEED.read_text(encoding="utf-8")
    art, tags = quote_and_cue_tags(text)
    records = quote_records(text, art.tokens, tags, art.sentence_starts, linker)
    assert [r.speaker for r in records] == ["Jens Stoltenberg"] * 3
    assert {(r.role, r.affiliation) for r in records} == {("Sekjen", "NATO")}
    assert all(0.5 < r.confidence <= 1 for r in records)


def test_nobody_named_gives_a_reason(linker):
    text = 'Rapat itu berlangsung lama. "Semua harus selesai minggu ini juga," kata dia.'
    art, tags = quote_and_cue_tags(text)
    [rec] = quote_records(text, art.tokens, tags, art.sentence_starts, linker)
    assert rec.speaker is None and rec.speaker_reason


def test_fit_learns_the_informative_feature():
    k = FEATURES.index("cue_right")
    def cand(on: bool) -> Candidate:
        f = [0.0] * len(FEATURES)
        f[k] = float(on)
        return Candidate(None, None, f)
    examples = [([cand(False), cand(True), cand(False)], 1), ([cand(True), cand(False)], 0)] * 20
    lk = fit(examples, seed=0, epochs=100)
    best, prob = lk.choose([cand(False), cand(False), cand(True)])
    assert best.features[k] == 1.0 and prob > 0.9


def test_save_load_roundtrip_and_bad_files(tmp_path):
    k = FEATURES.index("rank0")
    f = [[0.0] * len(FEATURES) for _ in range(2)]
    f[0][k] = 1.0
    lk = fit([([Candidate(None, None, f[0]), Candidate(None, None, f[1])], 0)] * 5, seed=0, epochs=20)
    lk.save(tmp_path)
    again = load_linker(tmp_path)
    cands = [Candidate(None, None, x) for x in f]
    assert again.probabilities(cands) == pytest.approx(lk.probabilities(cands))
    assert load_linker(tmp_path / "missing") is None
    info = json.loads((tmp_path / LINKER_CONFIG).read_text())
    (tmp_path / LINKER_CONFIG).write_text(json.dumps(info | {"features": ["other"]}))
    with pytest.raises(ModelLoadError, match="does not compute \\(other\\)"):
        load_linker(tmp_path)
    # a linker stored before features were added reads the ones it knows
    older = Linker(4, features=[n for n in FEATURES if not n.startswith("speech_subject")])
    older.save(tmp_path)
    loaded = load_linker(tmp_path)
    assert loaded.features == older.features and len(loaded.columns) == len(FEATURES) - 3
    assert loaded.probabilities(cands) == pytest.approx(older.probabilities(cands))
    (tmp_path / LINKER_CONFIG).write_text("{")
    with pytest.raises(ModelLoadError, match="linker"):
        load_linker(tmp_path)


def test_the_speech_subject_is_the_last_person_a_speech_verb_or_menurut_makes_the_speaker():
    from indoquote.quotes.linker_features import _speech_subject
    from indoquote.quotes.speakers import find_people

    text = ("Eva Kusuma Sundari kembali menegaskan sikap partai. Survei menyoroti kinerja Joko Widodo. "
            "Menurut Budi Santoso, harga naik. Andi Saputra datang ke pasar.")
    art, tags = quote_and_cue_tags(text)
    people = find_people(text, art.tokens, tags, art.sentence_starts)
    name = lambda k: None if k is None else people.persons[k].name  # noqa: E731
    words = [t.text for t in art.tokens]
    assert name(_speech_subject(people, art.tokens, words.index("Survei"))) == "Eva Kusuma Sundari"
    assert name(_speech_subject(people, art.tokens, words.index("Andi"))) == "Budi Santoso"
    assert _speech_subject(people, art.tokens, 2) is None


def _fresh_candidates(text: str):
    """Candidates for the last quotation of ``text``, tagged as a weak tagger would: only ``Rooy Sihombing`` a PERSON."""
    from indoquote.quotes.linker_features import candidates
    from indoquote.quotes.linker_speakers import quotations
    from indoquote.quotes.records import _Index
    from indoquote.quotes.speakers import find_people

    art, tags = quote_and_cue_tags(text)
    at = [t.text for t in art.tokens].index("Rooy")
    tags[at: at + 2] = ["B-PERSON", "I-PERSON"]
    people = find_people(text, art.tokens, tags, art.sentence_starts)
    rooy = next(p for p in people.persons if p.name == "Rooy Sihombing")
    _, last, _ = quotations(_Index(text, art.tokens, tags, art.sentence_starts), people)[-1]
    return art, tags, last, candidates(people, art.tokens, last, rooy, rooy)


def test_a_speech_verbs_new_subject_takes_the_next_nya_from_a_tagged_earlier_speaker(linker):
    """``X mengucapkan terima kasih ... . "...," ucapnya``: X, though only the earlier speaker is tagged."""
    from indoquote.quotes.linker_features import fresh_subject

    paragraphs = ['"Jalan desa ini sudah lama rusak parah sekali," ucap Letkol Rooy Sihombing.',
                  'Sementara itu amaluddin Siregar pemilik mobil mengucapkan terima kasih kepada TNI yang membantu.',
                  '"Kami sangat bersyukur dengan keberadaan Satgas di desa kami," ucapnya.']
    text = "\n\n".join(paragraphs)
    art, tags, last, cands = _fresh_candidates(text)
    chosen = fresh_subject(cands)
    assert chosen is not None and chosen.person.name.endswith("Siregar")
    records = quote_records(text, art.tokens, tags, art.sentence_starts, linker)
    assert [r.speaker for r in records][0] == "Rooy Sihombing" and records[1].speaker.endswith("Siregar")
    # the owner named before the colonel's quotation is no new speaker: the rule stays out of it
    _, _, last, cands = _fresh_candidates("\n\n".join([paragraphs[1], paragraphs[0], paragraphs[2]]))
    assert last.after > 0 and fresh_subject(cands) is None
    # nor when the cue names someone
    _, _, last, cands = _fresh_candidates(text.replace("ucapnya", "ucap Letkol Rooy"))
    assert fresh_subject(cands) is None
    # one sentence of narrative between the new subject and the quotation: still the new subject; three: nobody
    one = "\n\n".join([paragraphs[0], paragraphs[1] + " Mobil itu sempat mogok.", paragraphs[2]])
    assert fresh_subject(_fresh_candidates(one)[3]).person.name.endswith("Siregar")
    three = "\n\n".join([paragraphs[0], paragraphs[1] + " Mobil itu mogok. Jalan licin. Hujan turun.", paragraphs[2]])
    assert fresh_subject(_fresh_candidates(three)[3]) is None


def test_the_one_name_a_plain_cue_names_is_chosen_over_the_rules_pick():
    """``kata Presiden``: the president the article names, though the rules (and their pick) point at the last tagged."""
    from indoquote.quotes.linker_features import named_at_cue

    def cand(person, **on):
        f = [0.0] * len(FEATURES)
        for k, v in on.items():
            f[FEATURES.index(k)] = v
        return Candidate(person, None, f)

    class P:
        def __init__(self, named):
            self.named = named

    president, minister = P(True), P(True)
    plain = [cand(president, cue_right=1.0), cand(minister, rules_pick=1.0), cand(None, null=1.0)]
    assert named_at_cue(plain).person is president
    nya = [cand(president, cue_right=1.0), cand(minister, rules_pick=1.0), cand(None, null=1.0, null_coref=1.0)]
    assert named_at_cue(nya) is None  # ``ujarnya kepada Presiden``: -nya names its own speaker
    title_only = [cand(P(False), cue_right=1.0), cand(minister, rules_pick=1.0), cand(None, null=1.0)]
    assert named_at_cue(title_only) is None  # a title never named is left to the linker
    after_prep = [cand(president, cue_right=1.0, preposition=1.0), cand(None, null=1.0)]
    assert named_at_cue(after_prep) is None


def test_the_chain_after_a_cue_reads_through_a_hyphenated_number():
    from indoquote.quotes.linker_features import _chain_end

    text = ('Ketua Gugus Tugas Covid-19 Doni Monardo hadir. "Pelonggaran itu bukan langkah tepat," kata Ketua '
            'Muhammadiyah Covid-19 Command Center (MCCC) Agus Samsudin di Jakarta.')
    art, _ = quote_and_cue_tags(text)
    words = [t.text for t in art.tokens]
    start = len(words) - 1 - words[::-1].index("kata") + 1
    sent = [0] * len(words)
    assert words[_chain_end(art.tokens, start, sent) - 1] == "Samsudin"


def test_nya_and_pronouns_point_back_to_someone_named_before():
    from indoquote.quotes.linker_features import candidates
    from indoquote.quotes.linker_speakers import quotations
    from indoquote.quotes.records import _Index
    from indoquote.quotes.speakers import find_people

    text = ('Menteri BUMN Erick Thohir menjawab wartawan. "Kami siap bekerja keras untuk rakyat," katanya. '
            'Ia juga memuji Andi Saputra dari Bandung.')
    art, tags = quote_and_cue_tags(text)
    people = find_people(text, art.tokens, tags, art.sentence_starts)
    [(_, quotation, by_rules)] = quotations(_Index(text, art.tokens, tags, art.sentence_starts), people)
    names = [c.person.name for c in candidates(people, art.tokens, quotation, None, by_rules) if c.person]
    assert names == ["Erick Thohir"]  # Andi Saputra, first named after the quotation, is no candidate of `katanya`


def test_linked_records_carry_the_persons_fullest_role_and_the_forms_merged(linker):
    text = ('Menteri Keuangan (Menkeu) Sri Mulyani Indrawati hadir di Jakarta. "Kami siap berdialog dengan semua pihak," '
            'kata Menkeu. Bahkan, Sri Mulyani menambahkan. "Ekonomi kita tetap tumbuh kuat tahun ini," kata Sri Mulyani.')
    art = article_from_text(text, "roles")
    records = quote_records(text, art.tokens, label_article(art), art.sentence_starts, linker)
    assert [r.speaker for r in records] == ["Sri Mulyani Indrawati"] * 2
    assert [(r.role, r.affiliation) for r in records] == [("Menteri Keuangan", None)] * 2  # never `Bahkan`
    assert all("Menkeu" in r.role_forms for r in records)


@pytest.mark.parametrize("text, mention, cue, route", [
    ("“Naik,” kata Budi Santoso.", "Budi Santoso", "kata", "cue"),
    ("“Naik,” ujar Kapolres Sragen AKBP Yuswanto.", "Yuswanto", "ujar", "cue"),  # a title chain between
    ("Budi mengatakan, harga naik.", "Budi", "mengatakan", "cue"),  # the subject before the verb
    ("Budi datang. “Naik,” katanya.", "Budi", "katanya", "context"),  # -nya: the name is sentences back
    ("“Naik,” katanya.", None, "katanya", "context"),
])
def test_a_pick_is_named_at_the_cue_or_read_from_the_context(text, mention, cue, route):
    from indoquote.quotes.linker import speaker_route

    def where(s):
        return None if s is None else (text.index(s), text.index(s) + len(s))

    assert speaker_route(text, where(mention), where(cue)) == route
    assert speaker_route(text, where(mention), None) == "context"


def test_a_records_confidence_goes_through_the_map_of_its_route(linker):
    text = ("Jakarta - Menteri Keuangan Sri Mulyani hadir di Senayan. “Anggaran kita cukup untuk tahun ini,” kata Sri "
            "Mulyani. Ia juga menjawab pertanyaan wartawan. “Kami tidak akan menaikkan pajak lagi,” ujarnya.")
    art, tags = quote_and_cue_tags(text)

    def confidences():
        return [r.confidence for r in quote_records(text, art.tokens, tags, art.sentence_starts, linker)]

    saved = dict(linker.info)
    try:
        linker.info.pop("platt", None)
        raw = confidences()
        linker.info["platt_routes"] = {"cue": [1.0, 0.0], "context": [0.3, -1.0]}
        routed = confidences()
    finally:
        linker.info.clear()
        linker.info.update(saved)
    assert len(raw) == 2 and routed[0] == raw[0]  # named at the cue: its map is the identity
    assert routed[1] < raw[1] - 0.05  # `ujarnya`: read from the context, squeezed


def test_an_ensemble_averages_members_trained_from_different_starting_weights(tmp_path):
    """Its score is the mean of its members'; each member reads its own slice of the projected span vectors, so a
    tagger's projected states score as the raw ones do; it is stored and read back whole."""
    import numpy as np
    import torch

    rng = np.random.default_rng(0)
    k = FEATURES.index("cue_right")

    def cand(on: bool) -> Candidate:
        f = [0.0] * len(FEATURES)
        f[k] = float(on)
        return Candidate(None, None, f, (0.1 * rng.normal(size=(3, 16))).astype(np.float32))

    examples = [([cand(False), cand(True), cand(False)], 1), ([cand(True), cand(False)], 0)] * 10
    lk = fit(examples, seed=0, epochs=100, members=3)
    assert lk.members == 3 and lk.width == 16 and lk.proj * 3 < 16
    cands = [cand(False), cand(True)]
    x = torch.tensor([c.features for c in cands])
    raw = torch.from_numpy(np.stack([c.context for c in cands]))
    with torch.no_grad():
        members = [lk.member_scores(m, x, raw) for m in range(3)]
        assert not torch.allclose(members[0], members[1])  # different starting weights, different members
        assert torch.allclose(lk.forward(x, raw), sum(members) / 3)
        projected = lk.project(raw)  # [2, 3, 3 * proj]: what the tagger's forward pass hands the linker
        assert projected.shape[-1] == 3 * lk.proj
        assert torch.allclose(lk.forward(x, projected), lk.forward(x, raw), atol=1e-5)
    assert lk.choose(cands)[0] is cands[1]
    lk.save(tmp_path)
    again = load_linker(tmp_path)
    assert again.members == 3 and again.probabilities(cands) == pytest.approx(lk.probabilities(cands))
    assert json.loads((tmp_path / LINKER_CONFIG).read_text())["members"] == 3
    one = Linker(4, width=16, proj=4)
    with pytest.raises(ValueError, match="3 members"):
        one.load_state_dict(lk.state_dict())
    assert not any(n.startswith("member") for n in one.state_dict())  # a one-member linker keeps its old keys
    with pytest.raises(ValueError, match="narrower"):
        Linker(4, width=16, proj=8, members=2)
