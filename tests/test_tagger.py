"""QuoteTagger on the random tiny checkpoint: shapes and plumbing, not accuracy."""

from __future__ import annotations

from pathlib import Path

import pytest

from indoquote.checkpoint import ModelLoadError
from indoquote.tagger import QuoteTagger, TaggedArticle

SEED = Path(__file__).resolve().parents[1] / "data" / "seeds" / "antara-nato-russia-2021.txt"


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
    import indoquote.tagger as tagger_module

    texts = [seed, "", seed[:700], '"Kami siap," kata Jens Stoltenberg.', seed[700:]]
    one_by_one = [tagger.tag(t) for t in texts]
    assert tagger.batch(texts, progress=False) == [a.records for a in one_by_one]
    assert [a.tags for a in tagger.tag_batch(texts)] == [a.tags for a in one_by_one]
    monkeypatch.setattr(tagger_module, "CHUNK_CHARS", 1000)  # several predict_words calls
    assert [a.tags for a in tagger.tag_batch(texts)] == [a.tags for a in one_by_one]


def test_too_long_article_is_refused(tagger):
    from indoquote.articles import MAX_ARTICLE_CHARS

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
    from indoquote.checkpoint import looks_like_path as _looks_like_path

    assert _looks_like_path(str(tmp_path)) and _looks_like_path("./model") and _looks_like_path("runs/a/best")
    assert not _looks_like_path("indoquote/indobert-pfsa") and not _looks_like_path("bert-base")
