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
