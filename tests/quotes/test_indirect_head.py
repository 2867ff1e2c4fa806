"""The indirect-speech head: its inputs, spans, fitting, storage, and its use by the tagger."""

from __future__ import annotations

import json

import numpy as np
import pytest

from indoquote.errors import ModelLoadError
from indoquote.quotes.indirect_head import FLAGS, HEAD_CONFIG, TAGS, load_indirect_head, model_spans, word_flags
from indoquote.quotes.indirect_rules import find_indirect
from indoquote.text.articles import article_from_text
from indoquote.training.fit_indirect import HeadData, fit_head, head_tags, self_train, silver_tags, spans_to_tags

SENTENCES = [
    "Menteri Budi Santoso mengatakan bahwa harga beras akan turun bulan depan.",
    "Harga cabai juga stabil di pasar, kata Budi.",
    "Menurut Rina Wati, pasokan gula cukup sampai akhir tahun.",
    "Warga antre di pasar sejak pagi hari.",
    "Budi berencana membangun gudang baru tahun depan.",
]


def article(text: str):
    return article_from_text(text, "t")


def words_of(art, tags) -> list[str]:
    from indoquote.text.labels import iob2_spans

    return [" ".join(t.text for t in art.tokens[s.start : s.end]) for s in iob2_spans(tags)]


def test_flags_mark_the_cue_lexicon_punctuation_direct_speech_and_the_rules():
    art = article('Menurut Rina, harga naik tajam. "Kami siap membantu warga," kata Budi.')
    direct = [(7, 13)]
    f = word_flags(art.tokens, art.sentence_starts, direct)
    col = {name: i for i, name in enumerate(FLAGS)}
    words = [t.text for t in art.tokens]
    assert f[words.index("Menurut"), col["menurut"]] == 1
    assert f[words.index("kata"), col["cue_word"]] == 1
    assert f[words.index(","), col["comma"]] == 1
    assert f[0, col["sentence_start"]] == 1 and f[words.index("."), col["sentence_end"]] == 1
    assert f[8, col["in_direct"]] == 1 and f[0, col["in_direct"]] == 0
    begin = words.index("harga")
    assert f[begin, col["rules_begin"]] == 1 and f[begin + 1, col["rules_inside"]] == 1
    assert not word_flags(art.tokens, art.sentence_starts, direct, rules=False)[:, col["rules_begin"]].any()


def test_model_spans_take_their_cue_from_the_sentence_and_drop_what_has_none():
    art = article(" ".join(SENTENCES))
    rules = find_indirect(art.tokens, art.sentence_starts)
    tags = spans_to_tags([(sp.a, sp.b) for sp in rules], len(art.tokens))
    spans = model_spans(art.tokens, art.sentence_starts, tags)
    assert [(s.a, s.b, s.cue) for s in spans] == [(s.a, s.b, s.cue) for s in rules]
    # a span the head puts in a sentence with no speech word is not reported
    start = art.sentence_starts[3]
    lone = spans_to_tags([(start, start + 4)], len(art.tokens))
    assert model_spans(art.tokens, art.sentence_starts, lone) == []
    # nor one that overlaps a direct quotation
    sp = rules[0]
    assert model_spans(art.tokens, art.sentence_starts, tags, [(sp.a, sp.a + 2)])[0].a != sp.a


@pytest.mark.parametrize("text, kept", [
    ("Manajer band itu menjelaskan alasan manajemen tetap manggung pasca kecelakaan.", False),
    ("Pelatih Milan itu berbicara tentang mental pemenang di depan wartawan.", False),
    ("Pelatih itu mengatakan sosok Lionel Messi menjadi daya tarik bagi pemain muda.", True),
])
def test_a_head_span_that_only_names_a_topic_is_no_reported_content(text, kept):
    art = article(text)
    k = next(i for i, t in enumerate(art.tokens) if t.text in ("alasan", "tentang", "sosok"))
    tags = spans_to_tags([(k, len(art.tokens) - 1)], len(art.tokens), [(k - 1, k)])
    assert bool(model_spans(art.tokens, art.sentence_starts, tags)) is kept


def test_model_spans_leave_out_the_dateline_and_what_follows_a_trailing_cue():
    def content(text: str, first: str, last: str) -> str:
        art = article(text)
        words = [t.text for t in art.tokens]
        a, b = words.index(first), len(words) - 1 - words[::-1].index(last) + 1
        [sp] = model_spans(art.tokens, art.sentence_starts, spans_to_tags([(a, b)], len(words)))
        return " ".join(words[sp.a : sp.b])

    text = "Aktivitas mereka tidak sesuai akreditasi, kata Stoltenberg yang menggambarkan hubungan yang buruk."
    assert content(text, "Aktivitas", "buruk") == "Aktivitas mereka tidak sesuai akreditasi"
    text = "Petani yang berhak, kata dia, wajib terdaftar di desa."  # a cue set off inside: the whole sentence
    assert content(text, "Petani", "desa") == "Petani yang berhak , kata dia , wajib terdaftar di desa"
    text = "Brussels (ANTARA) - Harga beras akan naik tajam, kata Budi."
    assert content(text, "Brussels", "tajam") == "Harga beras akan naik tajam"
    # what follows a trailing cue is the cue's own tail, not another statement: the statement is before the cue
    art = article("Harga beras akan naik tajam, kata Budi pada Kamis, menyusul kenaikan harga pupuk.")
    words = [t.text for t in art.tokens]
    tail = spans_to_tags([(words.index("pada"), words.index("pupuk") + 1)], len(words))
    [sp] = model_spans(art.tokens, art.sentence_starts, tail)
    assert " ".join(words[sp.a : sp.b]) == "Harga beras akan naik tajam" and words[sp.cue[0]] == "kata"
    both = spans_to_tags([(0, words.index("tajam") + 1), (words.index("pada"), words.index("pupuk") + 1)], len(words))
    assert len(model_spans(art.tokens, art.sentence_starts, both)) == 1  # found once, not twice


def _toy_data(n_docs: int = 12, hidden: int = 8, seed: int = 0) -> HeadData:
    """Documents of shuffled sentences with random 'encoder' features; silver tags from the rules."""
    rng = np.random.default_rng(seed)
    data = HeadData()
    for _ in range(n_docs):
        art = article(" ".join(rng.permutation(SENTENCES)))
        features = rng.normal(size=(len(art.tokens), hidden))
        data.add(features, silver_tags(art.tokens, art.sentence_starts, []), 1.0, art.tokens, art.sentence_starts, [])
    return data


def test_a_fitted_head_learns_the_silver_spans_from_the_words_alone():
    data = _toy_data()
    untrained = head_tags(fit_head(data, seed=0, epochs=0, inner=16, rules=False), data)
    head = fit_head(data, seed=0, epochs=60, inner=16, batch=4, rules=False, lr=1e-2)
    predicted = head_tags(head, data)
    agree = np.mean([p == g for p, g in zip(predicted, data.tags)])
    assert agree >= 0.9, agree  # whole documents tagged exactly as the rules do (content and cue)
    assert np.mean([p == g for p, g in zip(untrained, data.tags)]) < 0.5
    assert head.info["indirect_words"] > 0 and head.info["seed"] == 0


def test_fitting_is_seeded_and_self_training_relabels_the_silver():
    data = _toy_data(6)
    a, b = (fit_head(data, seed=3, epochs=2, inner=8, rules=False) for _ in range(2))
    x = np.random.default_rng(1).normal(size=(1, 5, 8)).astype(np.float32)
    import torch

    assert torch.equal(a(torch.from_numpy(x)), b(torch.from_numpy(x)))
    head = self_train(data, HeadData(), rounds=1, epochs=2, rules=False, inner=8)
    assert head.info["self_training_rounds"] == 1


def test_save_and_load_give_the_same_tags_and_bad_files_are_refused(tmp_path):
    data = _toy_data(4)
    head = fit_head(data, seed=0, epochs=3, inner=8, rules=True)
    head.save(tmp_path)
    loaded = load_indirect_head(tmp_path)
    assert loaded is not None and loaded.rules is True
    assert head_tags(loaded, data) == head_tags(head, data)
    assert load_indirect_head(tmp_path / "nothing-here") is None
    about = json.loads((tmp_path / HEAD_CONFIG).read_text())
    (tmp_path / HEAD_CONFIG).write_text(json.dumps({**about, "flags": ["other"]}))
    with pytest.raises(ModelLoadError, match="other tags or inputs"):
        load_indirect_head(tmp_path)
    (tmp_path / HEAD_CONFIG).write_text("{not json")
    with pytest.raises(ModelLoadError, match=HEAD_CONFIG):
        load_indirect_head(tmp_path)


def test_predict_words_extra_gives_per_word_features_beside_the_same_tags(tiny_checkpoint):
    from indoquote.model.checkpoint import load_checkpoint
    from indoquote.model.decode import predict_words, predict_words_extra

    ck = load_checkpoint(tiny_checkpoint)
    docs = [article(s).words for s in SENTENCES] + [[]]
    tags, feats = predict_words_extra(ck.model, ck.tokenizer, docs, ck.window, 4, "cpu", extra=lambda h: h)
    assert tags == predict_words(ck.model, ck.tokenizer, docs, ck.window, 4, "cpu")
    assert [f.shape for f in feats] == [(len(d), ck.model.config.hidden_size) for d in docs]


def test_the_tagger_reports_the_heads_spans_as_indirect_records(tmp_path, make_checkpoint):
    """A checkpoint with a head: kinds=indirect reads the head's spans (here a head fitted to the rules)."""
    from indoquote.pipeline.tagger import QuoteTagger

    path = make_checkpoint("with-head")
    tagger = QuoteTagger.from_pretrained(path, precision="fp32", linker=False)
    texts = [" ".join(np.random.default_rng(i).permutation(SENTENCES)) for i in range(10)]
    from indoquote.text.document import Document
    from indoquote.training.fit_indirect import document_data

    docs = [Document(f"d{i}", article(t).words, ["O"] * len(article(t).words), list(article(t).sentence_starts))
            for i, t in enumerate(texts)]
    head = fit_head(document_data(tagger, docs), seed=0, epochs=40, inner=16, batch=4, rules=True, lr=1e-2)
    head.save(path)
    tagger = QuoteTagger.from_pretrained(path, precision="fp32", linker=False, kinds=("direct", "indirect"))
    assert tagger.indirect_head is not None
    records = tagger(" ".join(SENTENCES))
    quotes = [r.quote for r in records if r.kind == "indirect"]
    assert "harga beras akan turun bulan depan" in quotes
    assert all(r.cue is not None for r in records)
    assert not any("gudang" in q for q in quotes)  # planning is not speech
    several = [texts[0], "", " ".join(SENTENCES), texts[1][:60]]  # one chunk: the head's GRU runs once for all
    assert [a.records for a in tagger.tag_batch(several)] == [tagger.tag(t).records for t in several]
    off = QuoteTagger.from_pretrained(path, precision="fp32", linker=False, kinds=("indirect",), indirect_head=False)
    assert off.indirect_head is None
    assert TAGS[0] == "O"


def test_unlabelled_articles_get_the_rules_silver_and_their_quotations_from_the_marks(make_checkpoint):
    from indoquote.pipeline.tagger import QuoteTagger
    from indoquote.training.fit_indirect import raw_data

    tagger = QuoteTagger.from_pretrained(make_checkpoint("raw"), precision="fp32", linker=False)
    text = 'Menteri Budi Santoso mengatakan bahwa harga beras akan turun. "Kami siap membantu warga," kata Budi.'
    data = raw_data(tagger, [("a", text)])
    art = article(text)
    assert words_of(art, data.tags[0]) == ["mengatakan", "harga beras akan turun"]
    [(a, b)] = data.direct[0]
    assert [t.text for t in art.tokens[a:b]][1:3] == ["Kami", "siap"]
    assert data.features[0].shape == (len(art.tokens), tagger.model.config.hidden_size)


def test_tag_many_runs_articles_of_any_length_as_one_batch_and_tags_each_as_alone():
    import torch

    data = _toy_data(5)
    head = fit_head(data, seed=0, epochs=3, inner=8, rules=True)
    with torch.no_grad():
        projected = [head(torch.from_numpy(f)).numpy() for f in data.features]
    lengths = [40, 3, 0, 17, len(projected[4])]  # padding must not leak into the backward direction
    parts = [p[:n] for p, n in zip(projected, lengths)]
    tokens = [t[:n] for t, n in zip(data.tokens, lengths)]
    starts = [[s for s in st if s < n] for st, n in zip(data.starts, lengths)]
    direct = [[(a, b) for a, b in dr if b <= n] for dr, n in zip(data.direct, lengths)]
    many = head.tag_many(parts, tokens, starts, direct)
    alone = [head.tag(p, t, s, d) if len(p) else [] for p, t, s, d in zip(parts, tokens, starts, direct)]
    assert many == alone and [len(m) for m in many] == lengths
    flags = word_flags(tokens[0], starts[0], direct[0], True)
    one = head.word_logits(parts[0], flags)
    with torch.no_grad():
        x = torch.zeros(2, 40, 8)
        f = torch.zeros(2, 40, len(FLAGS))
        x[0], f[0] = torch.from_numpy(parts[0]), torch.from_numpy(flags)
        x[1, :3], f[1, :3] = torch.from_numpy(parts[1]), torch.from_numpy(word_flags(tokens[1], starts[1], direct[1]))
        batched = head.net(x, f, torch.tensor([40, 3])).numpy()
    assert np.allclose(batched[0], one, atol=1e-5)
