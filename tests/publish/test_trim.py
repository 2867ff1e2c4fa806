"""Vocabulary trimming: same pieces for the corpus, same logits, fewer embedding rows, no new <unk>."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indoquote.errors import TrimError
from indoquote.model.windows import encode_words
from indoquote.pipeline.tagger import QuoteTagger
from indoquote.publish.package import publish
from indoquote.publish.trim import trim_vocabulary
from indoquote.text.articles import tokenize

from conftest import SEED_DIR, _texts, build_checkpoint

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def unigram_tokenizer():
    """A small sentencepiece-style (Unigram) tokenizer like XLM-R's, trained here on shipped text."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    texts = _texts() + [json.loads(line)["text"] for f in sorted((ROOT / "data" / "dev-articles").glob("*.jsonl"))
                        for line in f.read_text(encoding="utf-8").splitlines()]
    tok = Tokenizer(models.Unigram())
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.train_from_iterator(texts, trainers.UnigramTrainer(
        vocab_size=1500, special_tokens=["<s>", "<pad>", "</s>", "<unk>"], unk_token="<unk>"))
    tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
                                   pad_token="<pad>", cls_token="<s>", sep_token="</s>")


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def pieces(tokenizer, docs):
    return [tokenizer.convert_ids_to_tokens(encode_words(tokenizer, d).input_ids) for d in docs]


def test_trimmed_vocabulary_keeps_pieces_and_logits(unigram_tokenizer, tmp_path):
    import torch

    from indoquote.model.checkpoint import load_checkpoint

    ckpt = load_checkpoint(build_checkpoint(tmp_path / "ckpt", unigram_tokenizer))
    docs = [words(t) for t in _texts()[:5]]
    before = pieces(ckpt.tokenizer, docs)
    ids = torch.tensor([encode_words(ckpt.tokenizer, docs[0]).input_ids[:30]])
    with torch.inference_mode():
        reference = ckpt.model.eval()(input_ids=ids).logits
    model, tok, stats = trim_vocabulary(ckpt.model, ckpt.tokenizer, docs)
    assert stats.pieces_after < stats.pieces_before and model.get_input_embeddings().weight.shape[0] == stats.pieces_after
    assert pieces(tok, docs) == before  # the corpus is tokenized into the same pieces
    new_ids = torch.tensor([tok.convert_tokens_to_ids(ckpt.tokenizer.convert_ids_to_tokens(ids[0].tolist()))])
    with torch.inference_mode():
        assert torch.allclose(model(input_ids=new_ids).logits, reference, atol=1e-4)
    unseen = words("Zulkifli menegaskan: xylofon, quiz, dan jazz tidak dikenal.")
    unk = unigram_tokenizer.unk_token_id
    assert encode_words(tok, unseen).input_ids.count(tok.unk_token_id) <= encode_words(
        unigram_tokenizer, unseen).input_ids.count(unk)  # single characters kept: no new <unk>


def test_wordpiece_tokenizers_are_refused(tiny_checkpoint):
    from indoquote.model.checkpoint import load_checkpoint

    ckpt = load_checkpoint(tiny_checkpoint)
    with pytest.raises(TrimError, match="Unigram"):
        trim_vocabulary(ckpt.model, ckpt.tokenizer, [["kata"]])


def test_publish_trims_and_the_published_model_tags_the_same(unigram_tokenizer, tmp_path):
    src = build_checkpoint(tmp_path / "ckpt", unigram_tokenizer)
    full = publish(src, tmp_path / "full", trim_vocab=False)
    small = publish(src, tmp_path / "small", trim_vocab=True)  # the tiny corpus (indoquote.json) + data/ texts
    report = json.loads((small / "trim.json").read_text())
    assert report["tokenization_identical"] and report["logits_max_abs_diff"] <= 1e-4
    assert report["pieces_after"] < report["pieces_before"]
    assert "## Vocabulary" in (small / "README.md").read_text() and "## Vocabulary" not in (full / "README.md").read_text()
    assert (small / "model.safetensors").stat().st_size < (full / "model.safetensors").stat().st_size
    text = (SEED_DIR / "antara-nato-russia-2021.txt").read_text(encoding="utf-8")
    a = QuoteTagger.from_pretrained(full, device="cpu").tag(text)
    b = QuoteTagger.from_pretrained(small, device="cpu").tag(text)
    assert a.tags == b.tags and a.records == b.records
    assert not (tmp_path / "auto").exists()
    auto = publish(src, tmp_path / "auto")  # auto: a 1,500-piece vocabulary is left alone
    assert not (auto / "trim.json").exists()
