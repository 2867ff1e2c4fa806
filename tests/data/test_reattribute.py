"""Rewritten attributions keep their known speakers (training data for the linker, issue #25)."""

from __future__ import annotations

from indoquote.data.reattribute import rewrite_attributions


def _doc():
    words = ("Menteri Keuangan Sri Mulyani membuka rapat di Jakarta . \" Defisit harus dijaga , \" kata Menteri "
             "Keuangan Sri Mulyani . \" Kami tetap hati-hati , \" kata Sri Mulyani .").split()
    tags = ["O"] * len(words)

    def put(a, b, label):
        tags[a] = "B-" + label
        for k in range(a + 1, b):
            tags[k] = "I-" + label

    put(0, 2, "ROLE")
    put(2, 4, "PERSON")
    put(9, 15, "STATEMENT")
    put(15, 16, "CUE")
    put(16, 18, "ROLE")
    put(18, 20, "PERSON")
    put(21, 27, "STATEMENT")
    put(27, 28, "CUE")
    put(28, 30, "PERSON")
    return words, tags


def test_every_rewrite_keeps_the_quotations_and_their_speaker():
    words, tags = _doc()
    kept = rewrite_attributions(words, tags, rate=0.0)
    assert kept.words == words and kept.rewritten == 0
    assert [g[2] for g in kept.gold] == ["Sri Mulyani", "Sri Mulyani"]
    seen = set()
    for seed in range(12):
        out = rewrite_attributions(words, tags, rate=1.0, seed=seed)
        text = " ".join(out.words)
        assert out.rewritten == 1  # the first quotation's speaker is named before it; the second one's too, but
        # its cue sits before a ROLE, not the name: only `kata Sri Mulyani` (the second) is rewritten
        assert [g[2] for g in out.gold] == ["Sri Mulyani", "Sri Mulyani"]
        assert all(text[a:b].startswith('"') and text[a:b].endswith('"') for a, b, _ in out.gold)
        assert text.endswith(("katanya .", "kata dia .", "kata menteri itu ."))
        seen.add(text.rsplit('"', 1)[1])
    assert len(seen) == 3  # all three forms come up


def test_rewritten_documents_become_linker_examples_with_their_known_speakers(monkeypatch):
    """The linker learns from them as from any document: tagged (here by the rules), matched to the gold speakers."""
    import importlib

    from conftest import TINY_CONLL

    from indoquote.data.corpus import read_documents
    from indoquote.quotes.rule_tags import label_article
    from indoquote.text.articles import article_from_words

    fl = importlib.import_module("indoquote.training.fit_linker")  # the package re-exports a function of that name
    docs = read_documents([TINY_CONLL])
    monkeypatch.setattr(fl, "_tag_words", lambda _tagger, words, _progress, _states: (
        [label_article(article_from_words("d", w)) for w in words], None))
    examples, stats = fl.rewritten_examples(None, docs, rate=1.0)
    assert stats.quotations > 20 and stats.examples >= 0.8 * stats.quotations
    assert all(c[y].person is not None and c[y].person.named for c, y in examples)


def test_only_the_rewritten_quotations_keep_a_speaker_when_the_tags_are_predicted():
    # silver tags (the model's): only the name at a rewritten cue is sure, the others' speakers are guesses
    words, tags = _doc()
    out = rewrite_attributions(words, tags, rate=1.0, seed=0, only_rewritten=True)
    assert out.rewritten == 1 and [g[2] for g in out.gold] == [None, "Sri Mulyani"]
    none = rewrite_attributions(words, tags, rate=0.0, only_rewritten=True)
    assert none.rewritten == 0 and [g[2] for g in none.gold] == [None, None]


def test_silver_articles_become_examples_of_their_rewritten_attributions_only(monkeypatch):
    """Unlabelled articles: tagged, their explicit attributions rewritten, and only those are examples."""
    import importlib
    from types import SimpleNamespace

    from indoquote.quotes.rule_tags import label_article
    from indoquote.text.articles import article_from_text, article_from_words

    fl = importlib.import_module("indoquote.training.fit_linker")
    text = ('Menteri Keuangan Sri Mulyani membuka rapat di Jakarta. "Defisit harus dijaga," kata Sri Mulyani. '
            'Budi Santoso, warga Bekasi, ikut hadir. "Kami tetap hati-hati," kata Budi Santoso.')

    def tag_batch(texts, ids, progress=False):
        out = []
        for t, i in zip(texts, ids):
            art = article_from_text(t, i)
            out.append(SimpleNamespace(tokens=art.tokens, tags=label_article(art)))
        return out

    monkeypatch.setattr(fl, "_tag_words", lambda _tagger, words, _progress, _states: (
        [label_article(article_from_words("d", w)) for w in words], None))
    examples, stats = fl.silver_examples(SimpleNamespace(tag_batch=tag_batch), [("a", text)], rate=1.0)
    assert stats.quotations == 2 == stats.examples  # both attributions rewritten, both speakers known
    speakers = sorted(c[y].person.name for c, y in examples)
    assert speakers == ["Budi Santoso", "Sri Mulyani"]
