"""The indirect-speech head with its own copy of the top encoder layer: same forward pass, storage, the tagger."""

from __future__ import annotations

import json

import numpy as np
import pytest

from indoquote.errors import ModelLoadError
from indoquote.quotes.indirect_head import HEAD_CONFIG, HEAD_WEIGHTS
from indoquote.quotes.indirect_layer import KIND, LayerHead, additive_mask, encoder_layers, load_head, run_layer
from indoquote.text.articles import article_from_text

TEXT = "Menteri Budi Santoso mengatakan bahwa harga beras akan turun bulan depan. Warga antre di pasar sejak pagi."


def test_the_copied_layer_on_the_caught_inputs_gives_the_top_layers_output(tiny_checkpoint):
    """Caught by the pre-hook in the tagger's own forward pass, the copy starts as the top layer itself; the padded
    training path (additive mask) agrees with it."""
    import torch

    from indoquote.model.checkpoint import load_checkpoint

    ck = load_checkpoint(tiny_checkpoint)
    model = ck.model.eval()
    head = LayerHead(model.config.hidden_size, 8).bind(model)
    caught, outputs = [], []
    handle = head.catch(model, caught.append)
    top = encoder_layers(model)[-1].register_forward_hook(lambda _m, _a, out: outputs.append(out))
    enc = ck.tokenizer(["harga beras akan turun bulan depan", "warga antre"], padding=True, return_tensors="pt")
    with torch.no_grad():
        model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])
        mine = run_layer(head.layer, *caught[0])
        padded = run_layer(head.layer, caught[0][0], additive_mask(enc["attention_mask"]))
    handle.remove()
    top.remove()
    theirs = outputs[0][0] if isinstance(outputs[0], tuple) else outputs[0]
    keep = enc["attention_mask"].bool()
    assert torch.allclose(mine[keep], theirs[keep], atol=1e-5)
    assert torch.allclose(padded[keep], theirs[keep], atol=1e-5)
    assert head(caught[0]).shape == (2, enc["input_ids"].shape[1], 8)


def test_the_head_adds_its_tags_without_moving_the_taggers(tiny_checkpoint):
    from indoquote.model.checkpoint import load_checkpoint
    from indoquote.model.decode import predict_words, predict_words_extra

    ck = load_checkpoint(tiny_checkpoint)
    head = LayerHead(ck.model.config.hidden_size, 8).bind(ck.model)
    docs = [article_from_text(TEXT, "a").words, []]
    tags, projected = predict_words_extra(ck.model, ck.tokenizer, docs, ck.window, 4, "cpu", extra=head)
    assert tags == predict_words(ck.model, ck.tokenizer, docs, ck.window, 4, "cpu")
    assert [p.shape for p in projected] == [(len(docs[0]), 8), (0, 8)]


def test_save_load_bind_and_the_tagger_use_it(make_checkpoint):
    import torch

    from indoquote.pipeline.tagger import QuoteTagger

    path = make_checkpoint("layer-head")
    tagger = QuoteTagger.from_pretrained(path, precision="fp32", linker=False)
    head = LayerHead(tagger.model.config.hidden_size, 8).bind(tagger.model)
    with torch.no_grad():
        for p in head.layer.parameters():
            p.add_(0.01)  # fine-tuned: no longer the tagger's own layer
    head.save(path)
    assert json.loads((path / HEAD_CONFIG).read_text())["kind"] == KIND
    loaded = load_head(path)
    assert isinstance(loaded, LayerHead) and loaded.layer is None
    with pytest.raises(RuntimeError, match="bind"):
        loaded((torch.zeros(1, 2, head.hidden_size), None))
    loaded.bind(tagger.model)
    for (k, a), b in zip(head.layer.state_dict().items(), loaded.layer.state_dict().values()):
        assert torch.equal(a, b), k
    both = QuoteTagger.from_pretrained(path, precision="fp32", linker=False, kinds=("direct", "indirect"))
    assert isinstance(both.indirect_head, LayerHead) and both.indirect_head.layer is not None
    art = both.tag(TEXT)
    assert art.tags == tagger.tag(TEXT).tags  # the direct tags do not move
    assert all(r.kind in ("direct", "indirect") for r in art.records)
    (path / HEAD_WEIGHTS).write_bytes(b"not safetensors")
    with pytest.raises(ModelLoadError, match="indirect.safetensors"):
        load_head(path)


def test_a_head_stored_for_another_model_is_refused(make_checkpoint):
    from indoquote.model.checkpoint import load_checkpoint

    path = make_checkpoint("layer-head-other")
    ck = load_checkpoint(path)
    head = LayerHead(ck.model.config.hidden_size, 8).bind(ck.model)
    head.save(path)
    info = json.loads((path / HEAD_CONFIG).read_text())
    (path / HEAD_CONFIG).write_text(json.dumps({**info, "layer_index": 5}))
    with pytest.raises(ModelLoadError, match="copies encoder layer 5"):
        load_head(path).bind(ck.model)
    assert np.isfinite(info["inner"])
