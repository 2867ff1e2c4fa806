"""QuoteTagger on the random tiny checkpoint: shapes and plumbing, not accuracy."""

from __future__ import annotations

from pathlib import Path

import pytest

from indoquote.errors import ModelLoadError
from indoquote.pipeline.tagger import QuoteTagger, TaggedArticle

SEED = Path(__file__).resolve().parents[2] / "data" / "seeds" / "antara-nato-russia-2021.txt"


@pytest.fixture(scope="module")
def tagger(tiny_checkpoint) -> QuoteTagger:
    return QuoteTagger.from_pretrained(tiny_checkpoint, device="cpu", batch_size=64)


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def test_window_settings_come_from_the_checkpoint(tagger):
    assert (tagger.window.max_length, tagger.window.stride) == (32, 8)


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_gives_no_records(tagger, text):
    assert tagger(text) == []
    art = tagger.tag(text)
    assert art.tokens == [] and art.tags == [] and art.records == []


def test_tag_returns_tokens_tags_and_records(tagger, seed):
    art = tagger.tag(seed, id="seed")
    assert isinstance(art, TaggedArticle) and art.id == "seed"
    assert len(art.tags) == len(art.tokens) > 300
    assert all(seed[t.start : t.end] == t.text for t in art.tokens)
    assert all(t == "O" or t[:2] in ("B-", "I-") for t in art.tags)
    for r in art.records:
        assert 0 <= r.start < r.end <= len(seed)
    assert art.to_dict()["id"] == "seed" and isinstance(art.to_dict()["quotes"], list)


def test_long_article(tagger, seed):
    text = "\n\n".join([seed] * 95)  # about 200 KB
    assert len(text.encode()) > 200_000
    art = tagger.tag(text)
    assert len(art.tags) == len(art.tokens) == 95 * len(tagger.tag(seed).tokens)


def test_batch_equals_one_by_one(tagger, seed, monkeypatch):
    import indoquote.pipeline.tagger as tagger_module

    texts = [seed, "", seed[:700], '"Kami siap," kata Jens Stoltenberg.', seed[700:]]
    one_by_one = [tagger.tag(t) for t in texts]
    assert tagger.batch(texts, progress=False) == [a.records for a in one_by_one]
    assert [a.tags for a in tagger.tag_batch(texts)] == [a.tags for a in one_by_one]
    monkeypatch.setattr(tagger_module, "CHUNK_CHARS", 1000)  # several predict_words calls
    assert [a.tags for a in tagger.tag_batch(texts)] == [a.tags for a in one_by_one]


def test_too_long_article_is_refused(tagger):
    from indoquote.text.articles import MAX_ARTICLE_CHARS

    with pytest.raises(ValueError, match="MAX_ARTICLE_CHARS"):
        tagger("a " * (MAX_ARTICLE_CHARS // 2 + 1))


def test_missing_directory(tmp_path):
    with pytest.raises(ModelLoadError, match="no such directory"):
        QuoteTagger.from_pretrained(tmp_path / "nope")


def test_directory_without_a_model(tmp_path):
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(ModelLoadError, match="not a model directory"):
        QuoteTagger.from_pretrained(tmp_path)


def test_model_without_quotation_labels(tmp_path, tiny_tokenizer):
    from transformers import BertConfig, BertForTokenClassification

    cfg = BertConfig(
        vocab_size=len(tiny_tokenizer),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=3,
    )
    BertForTokenClassification(cfg).save_pretrained(tmp_path)
    tiny_tokenizer.save_pretrained(tmp_path)
    with pytest.raises(ModelLoadError, match="IOB2"):
        QuoteTagger.from_pretrained(tmp_path)


def test_onnx_backend_needs_an_export(tiny_checkpoint):
    with pytest.raises(ModelLoadError, match="onnx=true"):
        QuoteTagger.from_pretrained(tiny_checkpoint, backend="onnx-int8")
    with pytest.raises(ValueError, match="backend"):
        QuoteTagger.from_pretrained(tiny_checkpoint, backend="tensorrt")


def test_paths_and_hub_ids_are_told_apart(tmp_path):
    from indoquote.model.checkpoint import looks_like_path as _looks_like_path

    assert _looks_like_path(str(tmp_path)) and _looks_like_path("./model") and _looks_like_path("runs/a/best")
    assert not _looks_like_path("indoquote/indobert-pfsa") and not _looks_like_path("bert-base")


# ------------------------------------------------------------ API edge: wrong types


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda t: t(None), r"tagger\(text\): expected the article text as a str, got None"),
        (lambda t: t(123), r"tagger\(text\): expected the article text as a str, got int"),
        (lambda t: t(b"Halo."), r"got bytes b'Halo\.'.*decode"),
        (lambda t: t.tag(None), r"QuoteTagger\.tag\(text\): expected the article text as a str, got None"),
        (lambda t: t.tag("Halo.", id=7), r"QuoteTagger\.tag\(id=\.\.\.\): expected the article id as a str, got int"),
        (lambda t: t.batch("abc"), r"QuoteTagger\.batch\(texts\): expected a list of str .* got a single str 'abc'"),
        (lambda t: t.batch(None), r"QuoteTagger\.batch\(texts\): expected a list of str .* got None"),
        (lambda t: t.batch(["Halo.", None]), r"QuoteTagger\.batch\(texts\): .* item 1 is None"),
        (lambda t: t.tag_batch("abc"), r"QuoteTagger\.tag_batch\(texts\): .* got a single str"),
        (lambda t: t.tag_batch(["a"], ids=[1]), r"QuoteTagger\.tag_batch\(ids\): .* item 0 is int"),
        (lambda t: t.iter_tag("abc"), r"QuoteTagger\.iter_tag\(items\): expected an iterable of \(id, text\) pairs"),
        (lambda t: list(t.iter_tag([("a", "Halo."), ("b", None)])), r"item 1 is tuple of \(str, NoneType\)"),
        (lambda t: list(t.iter_tag(["Halo."])), r"iter_tag\(items\): expected \(id, text\) pairs of str, but item 0"),
    ],
)
def test_wrong_types_raise_a_clear_type_error(tagger, call, message):
    with pytest.raises(TypeError, match=message):
        call(tagger)


def test_ids_and_texts_must_pair_up(tagger):
    with pytest.raises(ValueError, match="2 ids for 1 texts"):
        tagger.tag_batch(["Halo."], ids=["a", "b"])
    assert [a.id for a in tagger.tag_batch(("Halo.", "Dua."), ids=("a", "b"))] == ["a", "b"]  # any sequence of str


# ------------------------------------------------------------ invisible characters


def rule_tags(model, tokenizer, words, *args, **kwargs):
    """``predict_words_extra`` stand-in: the rule baseline's tags, so the test can read a speaker off a random model."""
    from indoquote.quotes.rule_tags import label_article
    from indoquote.text.articles import article_from_words

    return [label_article(article_from_words("x", w)) if w else [] for w in words], None


def test_zero_width_joiner_bom_and_decomposed_accents(tagger, monkeypatch):
    import indoquote.pipeline.tagger as tagger_module

    monkeypatch.setattr(tagger_module, "predict_words_extra", rule_tags)
    text = '\ufeff"Harga\u200b naik di kafe\u0301," kata Menteri Sri\u200dMulyani di Jakarta.'
    art = tagger.tag(text, id="zw")
    assert art.text == text
    assert all(text[t.start : t.end] == t.text for t in art.tokens)
    words = [t.text for t in art.tokens]
    assert "Sri\u200dMulyani" in words and "kafe\u0301" in words and "Sri" not in words  # one token each
    assert not any(w.strip("\ufeff\u200b\u200d\u0301") == "" for w in words)  # no token of invisible characters
    (r,) = art.records
    assert r.speaker == "SriMulyani"  # a ZWJ between letters joins: the name as normalized text
    m = r.speaker_mention
    assert m.text == text[m.start : m.end] == "Sri\u200dMulyani"  # offsets into the text as the user wrote it
    assert text[r.start : r.end] == '"Harga\u200b naik di kafe\u0301,"' and r.quote == "Harga naik di kaf\u00e9"
    assert all(s.text == text[s.start : s.end] for s in r.spans)
    assert r.cue is not None and text[r.cue.start : r.cue.end] == "kata"


def test_clean_text_tags_the_same_with_and_without_normalization(tagger, seed):
    """The seed article needs no normalizing: the records are the ones read straight off the tags."""
    from indoquote.quotes.attribute import quote_records

    art = tagger.tag(seed)
    assert art.records == quote_records(seed, art.tokens, art.tags, art.sentence_starts)


def test_a_device_this_machine_lacks_fails_before_any_work(tiny_checkpoint):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ModelLoadError, match="CUDA is not available on this machine"):
        QuoteTagger.from_pretrained(tiny_checkpoint, device="cuda")
