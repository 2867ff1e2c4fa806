"""Document-level prediction: constrained Viterbi, window stitching, long documents."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from indoquote.model.decode import WordScores, decode_documents, log_softmax, predict_words, viterbi, viterbi_many
from indoquote.model.windows import WindowConfig, document_windows
from indoquote.text.labels import allowed_start, allowed_transition, get_schema

PFSA_TAGS = get_schema("pfsa").tags
SMALL_TAGS = ["O", "B-A", "I-A", "B-B", "I-B"]


def is_valid(path: list[str]) -> bool:
    return not path or (allowed_start(path[0]) and all(allowed_transition(p, c) for p, c in zip(path, path[1:])))


def path_score(scores: np.ndarray, tags: list[str], path) -> float:
    return float(sum(scores[i, tags.index(t)] for i, t in enumerate(path)))


def test_viterbi_output_is_always_valid():
    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(1, 30))
        # scores that favour I- tags make an unconstrained argmax invalid almost surely
        inside_bias = np.array([3.0 if t.startswith("I-") else 0.0 for t in PFSA_TAGS])
        scores = rng.normal(size=(n, len(PFSA_TAGS))) + inside_bias
        path = viterbi(log_softmax(scores), PFSA_TAGS)
        assert len(path) == n
        assert is_valid(path), path


def test_viterbi_finds_the_best_valid_path_by_brute_force():
    rng = np.random.default_rng(1)
    for n in range(1, 6):
        candidates = [p for p in itertools.product(SMALL_TAGS, repeat=n) if is_valid(list(p))]
        for _ in range(20):
            scores = rng.normal(size=(n, len(SMALL_TAGS))) * 3
            best = max(path_score(scores, SMALL_TAGS, p) for p in candidates)
            path = viterbi(scores, SMALL_TAGS)
            assert is_valid(path)
            assert path_score(scores, SMALL_TAGS, path) == pytest.approx(best)


def test_viterbi_repairs_a_stray_inside_tag():
    # argmax per word reads O I-A: invalid. Valid paths: B-A I-A = log .3 + log .85 = -1.37 beats
    # O O = log .6 + log .05 = -3.51 (and O B-A, the same): the inside tag pulls its B- in
    scores = np.log(np.array([[0.6, 0.3, 0.04, 0.03, 0.03], [0.05, 0.05, 0.85, 0.025, 0.025]]))
    assert viterbi(scores, SMALL_TAGS) == ["B-A", "I-A"]
    # when the first word is sure to be O, the inside tag gives way instead: O O
    sure_o = np.log(np.array([[0.97, 0.01, 0.0, 0.01, 0.01], [0.1, 0.05, 0.8, 0.025, 0.025]]) + 1e-12)
    assert viterbi(sure_o, SMALL_TAGS) == ["O", "O"]
    assert viterbi(np.zeros((0, 5)), SMALL_TAGS) == []


TAGS3 = ["O", "B-A", "B-B"]  # any order valid: isolates stitching from the constraints


def test_word_scores_average_first_subwords_over_windows():
    acc = WordScores(n_words=4, n_tags=3)
    # window 1: [CLS] w0 w1 w1' w2 [SEP]   window 2: [CLS] w2 w3 [SEP]
    first = np.array([[9, 9, 9], [1, 0, 0], [0, 1, 0], [0, 0, 50], [3, 0, 2.5], [9, 9, 9]], float)
    acc.add(first, [-1, 0, 1, 1, 2, -1])
    acc.add(np.array([[9, 9, 9], [0, 3, 2.5], [0, 0, 1], [9, 9, 9]], float), [-1, 2, 3, -1])
    mean = acc.mean()
    assert acc.count.tolist() == [1, 1, 2, 1]
    assert mean[1].tolist() == [0, 1, 0]  # the second sub-word of w1 (50) is ignored
    assert mean[2].tolist() == [1.5, 1.5, 2.5]  # averaged: first window alone says O, last says B-A
    # the same through decode_documents: one word in two windows, O+B-A averaged below B-B
    logits = [np.array([[0, 0, 0], [3, 0, 2.5], [0, 0, 0]]), np.array([[0, 0, 0], [0, 3, 2.5], [0, 0, 0]])]
    out = decode_documents(logits, [[-1, 0, -1], [-1, 0, -1]], ["d", "d"], {"d": 1}, TAGS3)
    assert out == {"d": ["B-B"]}


def test_viterbi_many_is_viterbi_of_each_document():
    """Vectorised across documents (in groups, by length), the same paths, ties broken the same way."""
    rng = np.random.default_rng(3)
    scores = [log_softmax(rng.normal(size=(n, len(PFSA_TAGS)))) for n in (17, 0, 1, 60, 5, 17, 33)]
    scores.append(np.zeros((9, len(PFSA_TAGS))))  # all ties
    for group in (64, 2):
        assert viterbi_many(scores, PFSA_TAGS, group=group) == [viterbi(s, PFSA_TAGS) for s in scores]
    assert viterbi_many([], PFSA_TAGS) == []


def test_word_scores_add_as_a_loop_over_sub_words():
    """The vectorised add equals the plain loop: first sub-word of each word, special tokens skipped."""
    rng = np.random.default_rng(5)
    wids = [-1, 0, 0, 1, -1, 1, 2, 2, 2, 3, -1]  # a special token inside a word does not start it again
    logits = rng.normal(size=(len(wids), 4)).astype(np.float32)
    acc = WordScores(4, 4)
    acc.add(logits, wids)
    acc.add(logits[::-1], wids)
    ref_sum, ref_count = np.zeros((4, 4)), np.zeros(4, dtype=np.int64)
    for window in (logits, logits[::-1]):
        prev = -1
        for pos, w in enumerate(wids):
            if w >= 0 and w != prev:
                ref_sum[w] += window[pos]
                ref_count[w] += 1
            prev = w if w >= 0 else prev
    assert np.array_equal(acc.sum, ref_sum) and acc.count.tolist() == ref_count.tolist() == [2, 2, 2, 2]
    again = WordScores(2, 4)  # a word met twice in one window (not from document_windows): both counted
    again.add(logits[:3], [0, 1, 0])
    assert again.count.tolist() == [2, 1] and np.allclose(again.sum[0], logits[0].astype(float) + logits[2])


def test_decode_documents_stitches_any_window_order_and_flags_gaps():
    rng = np.random.default_rng(2)
    n = 11
    windows = [(0, 5), (3, 9), (7, 11)]  # overlapping word ranges
    logits, wids = [], []
    for a, b in windows:
        logits.append(rng.normal(size=(b - a + 2, 3)))
        wids.append([-1, *range(a, b), -1])
    forward = decode_documents(logits, wids, ["x"] * 3, {"x": n, "empty": 0}, TAGS3)
    backward = decode_documents(logits[::-1], wids[::-1], ["x"] * 3, {"x": n, "empty": 0}, TAGS3)
    assert forward == backward
    assert len(forward["x"]) == n and forward["empty"] == []
    # the expected tags: per-word mean of the windows that hold the word, then argmax (no constraint bites)
    sums, counts = np.zeros((n, 3)), np.zeros(n)
    for lg, (a, b) in zip(logits, windows):
        sums[a:b] += lg[1:-1]
        counts[a:b] += 1
    assert forward["x"] == [TAGS3[k] for k in (sums / counts[:, None]).argmax(axis=1)]
    with pytest.raises(RuntimeError, match="without a prediction"):
        decode_documents(logits[:1], wids[:1], ["x"], {"x": n}, TAGS3)


def test_long_document_over_many_windows(tiny_checkpoint):
    from indoquote.model.checkpoint import load_checkpoint

    ckpt = load_checkpoint(tiny_checkpoint)
    tokenizer, model = ckpt.tokenizer, ckpt.model
    words = ("” Kami siap , ” kata Sekjen NATO Jens Stoltenberg di Brussels pada Kamis . " * 40).split()
    window = WindowConfig(max_length=32, stride=8)
    assert len(document_windows(tokenizer, words, None, window)) > 20
    docs = [words, [], words[:7]]
    one = predict_words(model, tokenizer, docs, window, batch_size=1, device="cpu")
    many = predict_words(model, tokenizer, docs, window, batch_size=16, device="cpu")
    assert [len(t) for t in one] == [len(d) for d in docs]  # every word exactly one tag
    assert all(is_valid(t) for t in one)
    assert set(one[0]) <= set(PFSA_TAGS)
    assert [a == b for a, b in zip(one, many)] == [True] * 3  # batching and padding change nothing


def _tags_for(text, spans):
    from indoquote.text.articles import spans_to_tags, tokenize

    tokens = tokenize(text)
    return tokens, spans_to_tags(tokens, [{"start": a, "end": b, "label": lab} for a, b, lab in spans], text)


def test_marks_confirmed_by_the_model_become_one_whole_quotation():
    from indoquote.model.decode import snap_to_marks
    from indoquote.text.labels import iob2_spans

    text = '“Soal telapak kaki, kami sudah periksa dan hasilnya baik,” kata pelatih Shin. Ia "pergi" ke sana.'
    tokens, cut = _tags_for(text, [(0, 18, "STATEMENT"), (59, 63, "CUE")])  # the model stopped after 3 words
    fixed = snap_to_marks(text, tokens, cut)
    [quote] = [s for s in iob2_spans(fixed) if s.label == "STATEMENT"]
    assert text[tokens[quote.start].start : tokens[quote.end - 1].end] == text[:58]
    assert [s.label for s in iob2_spans(fixed)].count("CUE") == 1
    # with no tag at all, the speech verb after the marks still confirms the quotation (and becomes its CUE);
    # the scare quote ("pergi", one word) keeps its tags
    none = snap_to_marks(text, tokens, ["O"] * len(tokens))
    assert [(s.label, s.start) for s in iob2_spans(none)] == [("STATEMENT", 0), ("CUE", next(iter(
        k for k, t in enumerate(tokens) if t.text == "kata")))]
    _, run_on = _tags_for(text, [(0, 77, "STATEMENT")])  # ran on past the closing mark
    spans = iob2_spans(snap_to_marks(text, tokens, run_on))
    assert [(s.label, text[tokens[s.start].start : tokens[s.end - 1].end]) for s in spans] == [("STATEMENT", text[:58])]


INVARIANT = "Jakarta (ANTARA) - Menteri itu datang.\n\n“Kami sudah siap menghadapi semua kemungkinan,” kata Budi.\n\nIa pulang."


@pytest.mark.parametrize(
    "variant",
    [
        INVARIANT,  # as written
        INVARIANT.replace("“", '"').replace("”", '"'),  # straight marks
        INVARIANT.replace("Jakarta (ANTARA) - ", "JAKARTA, KOMPAS.com - "),  # another dateline
        INVARIANT.split("\n\n", 1)[1],  # first paragraph removed
    ],
    ids=["curly", "straight", "dateline", "no-lead"],
)
@pytest.mark.parametrize("cut", [2, 4, 7], ids=["cut-2", "cut-4", "cut-7"])
def test_the_same_quotation_whatever_the_marks_dateline_lead_or_where_the_tags_broke_off(variant, cut):
    """The tags a model emits differ with the window and the context (here: STATEMENT breaks off after
    ``cut`` tokens); the quotation the marks show and the model confirms does not."""
    from indoquote.model.decode import snap_to_marks
    from indoquote.text.articles import tokenize
    from indoquote.text.labels import iob2_spans

    tokens = tokenize(variant)
    opening = next(k for k, t in enumerate(tokens) if t.text in {"“", '"'})
    tags = ["O"] * len(tokens)
    tags[opening : opening + cut] = ["B-STATEMENT"] + ["I-STATEMENT"] * (cut - 1)
    [span] = [s for s in iob2_spans(snap_to_marks(variant, tokens, tags)) if s.label == "STATEMENT"]
    quote = variant[tokens[span.start].start : tokens[span.end - 1].end]
    assert quote.replace("“", '"').replace("”", '"') == '"Kami sudah siap menghadapi semua kemungkinan,"'


def test_a_quotation_span_without_any_mark_is_dropped():
    from indoquote.model.decode import snap_to_marks

    text = "Menteri itu mengatakan harga beras akan turun bulan depan. “Kami siap sekali bekerja,” ujarnya."
    tokens, tags = _tags_for(text, [(23, 57, "STATEMENT"), (59, 86, "STATEMENT")])
    out = snap_to_marks(text, tokens, tags)
    assert out[: len(tokens) // 2].count("B-STATEMENT") == 0 and out.count("B-STATEMENT") == 1


def test_a_lone_tagged_mark_does_not_confirm_a_quotation():
    from indoquote.model.decode import snap_to_marks

    text = 'Ia mengatakan mereka adalah "pejabat intelijen Rusia yang tak diakui." Lalu ia pergi.'
    tokens, tags = _tags_for(text, [(69, 70, "STATEMENT")])  # the model tagged the closing mark alone
    assert snap_to_marks(text, tokens, tags).count("I-STATEMENT") == 0


def test_a_speech_verb_after_the_marks_confirms_a_quotation_the_model_missed():
    from indoquote.model.decode import snap_to_marks
    from indoquote.text.labels import iob2_spans

    text = 'Ia datang.\n\n"Mereka tidak tahu kenapa semua ini terjadi," kata Jada.\n\n"Kami tidak tahu apa-apa soal itu semua."'
    tokens, tags = _tags_for(text, [])
    spans = [s for s in iob2_spans(snap_to_marks(text, tokens, tags)) if s.label == "STATEMENT"]
    assert [text[tokens[s.start].start : tokens[s.end - 1].end] for s in spans] == [
        '"Mereka tidak tahu kenapa semua ini terjadi,"',
        '"Kami tidak tahu apa-apa soal itu semua."',
    ]  # the second has no cue and no tag, but fills its paragraph: the speaker's further words


def test_a_span_that_only_starts_at_a_closing_mark_is_dropped():
    """``"Setuju?" imbuhnya disambut ...``: the words after a short quotation's closing mark are no quotation."""
    from indoquote.model.decode import snap_to_marks

    text = 'Ia membacakan angka itu. "Setuju?" imbuhnya disambut pernyataan setuju oleh para anggota.'
    from indoquote.text.labels import iob2_spans

    a = text.index('?"')
    tokens, tags = _tags_for(text, [(a, len(text) - 1, "STATEMENT")])
    spans = [s for s in iob2_spans(snap_to_marks(text, tokens, tags)) if s.label == "STATEMENT"]
    assert [text[tokens[s.start].start : tokens[s.end - 1].end] for s in spans] == ['"Setuju?"']


@pytest.mark.parametrize("tagged", [False, True])
def test_a_short_quotation_in_the_shape_of_speech_is_one_whatever_the_tags(tagged):
    """Under four words, ``"Rencana selalu ada," kata Jokowi`` is a quotation by its text alone (it came and
    went with the window length when the model's tags decided), and a short title or scare quote is not."""
    from indoquote.model.decode import snap_to_marks
    from indoquote.text.labels import iob2_spans

    text = ('"Rencana selalu ada," kata Jokowi. Ia menyebut "kadrun" kata yang kasar. '
            'Film "Laskar Pelangi" kata dia bagus. "Pelaksanaan nanti diputuskan," kata dia.')
    marked = [(0, 21, "STATEMENT")] if tagged else []
    tokens, tags = _tags_for(text, marked)
    spans = [s for s in iob2_spans(snap_to_marks(text, tokens, tags)) if s.label == "STATEMENT"]
    assert [text[tokens[s.start].start : tokens[s.end - 1].end] for s in spans] == [
        '"Rencana selalu ada,"', '"Pelaksanaan nanti diputuskan,"']


def test_more_speech_verbs_confirm_a_quotation():
    from indoquote.text.lexicon import cue_label

    assert cue_label("tutup") == "CUE" and cue_label("tutupnya") == "CUECOREF" and cue_label("sambung") == "CUE"


def test_a_quotation_filling_its_paragraph_is_one_without_a_cue():
    """A speaker's further words: a whole paragraph between marks, no cue, no tag."""
    from indoquote.model.decode import snap_to_marks
    from indoquote.text.labels import iob2_spans

    text = '"Kami siap" kata dia.\n\n"Dua agama itu tidak memberikan sikap yang logis bagi saya."\n\nIa lalu pergi.'
    tokens, tags = _tags_for(text, [])
    spans = [s for s in iob2_spans(snap_to_marks(text, tokens, tags)) if s.label == "STATEMENT"]
    assert [text[tokens[s.start].start : tokens[s.end - 1].end] for s in spans] == [
        '"Dua agama itu tidak memberikan sikap yang logis bagi saya."'
    ]  # the first is under 4 words and not punctuated as speech: left to the model


def test_a_speech_verb_opening_a_quotation_confirms_it():
    """``Peskov menjawab: "..."``: found by its text whatever the model tagged (it came and went with the window)."""
    from indoquote.model.decode import snap_to_marks
    from indoquote.text.labels import iob2_spans

    text = ('Ketika ditanya lebih lanjut soal kondisi itu, Peskov menjawab: "Jika itu adalah ancaman bagi negara kami, '
            'maka itu bisa." Film "Laskar Pelangi Dua" menjawab rasa penasaran.')
    tokens, tags = _tags_for(text, [])
    spans = [s for s in iob2_spans(snap_to_marks(text, tokens, tags)) if s.label == "STATEMENT"]
    assert [text[tokens[s.start].start : tokens[s.end - 1].end] for s in spans] == [
        '"Jika itu adalah ancaman bagi negara kami, maka itu bisa."']

