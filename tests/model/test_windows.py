import pytest

from indoquote.model.windows import IGNORE, WindowConfig, document_windows, encode_words, special_frame, window_bounds

WORDS = ("“ Keputusan ini tidak terkait dengan peristiwa tertentu , namun kini kami melihat beberapa kali , "
         "peningkatan aksi fitnah Rusia , ” katanya saat konferensi pers .").split() * 6


def test_every_word_has_exactly_one_labelled_first_subword_per_window(tiny_tokenizer):
    labels = [i % 7 for i in range(len(WORDS))]
    cfg = WindowConfig(max_length=32, stride=8)
    windows = document_windows(tiny_tokenizer, WORDS, labels, cfg)
    assert len(windows) > 3
    seen = set()
    for w in windows:
        assert len(w["input_ids"]) <= cfg.max_length
        assert len(w["input_ids"]) == len(w["labels"]) == len(w["word_ids"]) == len(w["attention_mask"])
        labelled = [(wid, lab) for wid, lab in zip(w["word_ids"], w["labels"]) if lab != IGNORE]
        words_in = {wid for wid in w["word_ids"] if wid >= 0}
        assert sorted(wid for wid, _ in labelled) == sorted(words_in)  # one label per word in the window
        assert all(lab == labels[wid] for wid, lab in labelled)
        seen |= words_in
    assert seen == set(range(len(WORDS)))


def test_windows_overlap_by_stride_and_start_on_words(tiny_tokenizer):
    enc = encode_words(tiny_tokenizer, WORDS)
    first = enc.first_subword()
    bounds = window_bounds(enc.word_ids, 30, 8)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(enc.input_ids)
    for (s1, e1), (s2, e2) in zip(bounds, bounds[1:]):
        assert first[s2] and (e1 == len(first) or first[e1])  # cut on word starts
        assert 8 <= e1 - s2 <= 8 + 4  # overlap: the stride, moved back to a word start
        assert s2 > s1


def test_special_tokens_frame_the_window(tiny_tokenizer):
    prefix, suffix = special_frame(tiny_tokenizer)
    assert tiny_tokenizer.convert_ids_to_tokens(prefix + suffix) == ["[CLS]", "[SEP]"]
    [w] = document_windows(tiny_tokenizer, ["kata", "Budi"], [1, 2], WindowConfig(32, 8))
    assert w["word_ids"][0] == -1 and w["word_ids"][-1] == -1
    assert w["labels"][0] == IGNORE and w["labels"][-1] == IGNORE


def test_word_longer_than_a_window_is_cut_not_lost(tiny_tokenizer):
    words = ["a" * 300, "kata", "Budi"]
    windows = document_windows(tiny_tokenizer, words, [1, 2, 3], WindowConfig(16, 4))
    covered = {wid for w in windows for wid in w["word_ids"] if wid >= 0}
    assert covered == {0, 1, 2}


def test_bad_window_config_and_empty_document(tiny_tokenizer):
    with pytest.raises(ValueError, match="stride"):
        WindowConfig(max_length=32, stride=16)
    with pytest.raises(ValueError, match="max_length"):
        WindowConfig(max_length=4, stride=0)
    [w] = document_windows(tiny_tokenizer, [], None, WindowConfig(32, 8))
    assert all(x == -1 for x in w["word_ids"])


def test_many_documents_encode_in_one_call_as_each_word_alone(tiny_tokenizer):
    """encode_many (one batched tokenizer call) == every word tokenized alone; a word without sub-words gets unk."""
    from indoquote.model.windows import encode_many

    docs = [WORDS[:40], [], ["kata", "\u200b", "Jens"], WORDS[5:9]]
    encoded = encode_many(tiny_tokenizer, docs)
    for words, enc in zip(docs, encoded):
        ids, wids = [], []
        for w, word in enumerate(words):
            own = tiny_tokenizer([word], is_split_into_words=True, add_special_tokens=False)["input_ids"]
            own = own or [tiny_tokenizer.unk_token_id]
            ids += own
            wids += [w] * len(own)
        assert (enc.input_ids, enc.word_ids) == (ids, wids)
        assert encode_words(tiny_tokenizer, words) == enc
    assert encoded[2].input_ids[1] == tiny_tokenizer.unk_token_id


@pytest.mark.parametrize("lengths", [[256] * 40, [49, 51, 53, 59, 71, 94, 116, 151, 211, 241, 255, 256, 256, 256],
                                     [5, 200, 7, 190, 6], [], [30]])
def test_length_batches_cover_every_window_once_and_pad_less_than_fixed_batches(lengths):
    from indoquote.model.windows import BATCH_OVERHEAD, length_batches

    batches = length_batches(lengths, 4)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(1 <= len(b) <= 4 for b in batches)

    def cost(bs):
        return sum(BATCH_OVERHEAD + len(b) * max(lengths[i] for i in b) for b in bs)

    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    fixed = [order[i : i + 4] for i in range(0, len(order), 4)]  # what predict_words did before
    assert cost(batches) <= cost(fixed)
    if lengths and len(set(lengths)) == 1:
        assert [len(b) for b in batches] == [len(b) for b in fixed]  # equal lengths: full batches
