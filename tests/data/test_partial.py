from indoquote.data.build import windows_for_split
from indoquote.data.partial import leave_out, untagged_mask, untagged_quotes
from indoquote.model.windows import IGNORE, WindowConfig
from indoquote.text.document import Document
from indoquote.text.labels import get_schema


def doc(text: str, tags: dict[int, str] | None = None) -> Document:
    """A document from space-separated words; sentences end at ``.``; ``tags`` sets a word's tag."""
    words = text.split()
    starts = [0] + [k + 1 for k, w in enumerate(words[:-1]) if w == "."]
    all_tags = ["O"] * len(words)
    for k, t in (tags or {}).items():
        all_tags[k] = t
    return Document("d", words, all_tags, starts)


TAGGED_THEN_NOT = (
    # 0-10: a tagged quotation and its cue; 11-14 narrative; 15-25 the same kind of quotation, untagged
    "” Kami sudah siap sejak pagi , ” kata Latif . Warga datang berbondong . "
    "” Kami bawa senter kecil dan hati-hati , ” katanya . Desa itu sepi ."
)


def tagged_first() -> Document:
    d = doc(TAGGED_THEN_NOT)
    for k in range(0, 8):
        d.tags[k] = "B-STATEMENT" if k == 0 else "I-STATEMENT"
    d.tags[8], d.tags[9] = "B-CUE", "B-PERSON"
    return d


def test_finds_the_marked_cued_quotation_the_gold_left_untagged():
    d = tagged_first()
    found = untagged_quotes(d)
    assert [(d.tokens[a], d.tokens[b - 1], d.tokens[c]) for a, b, c in found] == [("”", "”", "katanya")]
    a, b, _ = found[0]
    assert d.tokens[a + 1] == "Kami" and d.tokens[a + 2] == "bawa"


def test_masks_the_sentences_of_the_quotation_and_its_cue_only():
    d = tagged_first()
    mask = untagged_mask(d)
    masked = [w for w, m in zip(d.tokens, mask) if m]
    assert masked == "” Kami bawa senter kecil dan hati-hati , ” katanya .".split()
    assert not any(mask[:15]) and not any(mask[-4:])  # the tagged quotation and the narrative keep their labels


def test_a_cue_before_the_quotation_counts_and_its_speaker_sentence_is_masked():
    d = doc("Dia lalu melanjutkan . Budi mengatakan : ” Harga naik terus sejak awal bulan ini ” . Pasar ramai .")
    found = untagged_quotes(d)
    assert len(found) == 1 and d.tokens[found[0][2]] == "mengatakan"
    masked = [w for w, m in zip(d.tokens, untagged_mask(d)) if m]
    assert masked[:3] == ["Budi", "mengatakan", ":"] and masked[-2:] == ["”", "."]
    assert "Pasar" not in masked and "Dia" not in masked


def test_no_cue_short_or_tagged_quotations_are_not_untagged():
    assert untagged_quotes(doc("Film ” Ada Apa Dengan Cinta ” diputar lagi .")) == []  # a title: no cue
    assert untagged_quotes(doc("Ia menyebut ” sangat luar ” , kata Budi .")) == []  # two words: a scare quote
    tagged = doc("” Kami siap bekerja keras , ” kata Budi .", {1: "B-STATEMENT"})
    assert untagged_quotes(tagged) == []  # partly tagged: the gold saw it
    assert untagged_quotes(doc("” Kami siap bekerja keras , kata Budi .")) == []  # never closed


def test_other_outlets_marks_are_found_too():
    d = doc('Warga resah . " Air sudah masuk rumah sejak subuh , " ujar Sri .')
    assert len(untagged_quotes(d)) == 1


def test_windows_leave_masked_words_unlabelled_for_training_only(tiny_tokenizer):
    d = tagged_first()
    schema, window = get_schema("pfsa"), WindowConfig(128, 16)
    plain = windows_for_split([d], tiny_tokenizer, schema, window)
    masked = windows_for_split([d], tiny_tokenizer, schema, window, mask_untagged=True)
    assert plain["input_ids"] == masked["input_ids"]
    labelled = lambda cols: sum(1 for row in cols["labels"] for i in row if i != IGNORE)  # noqa: E731
    assert labelled(plain) == len(d.tokens)
    assert labelled(masked) == len(d.tokens) - sum(untagged_mask(d)) == len(d.tokens) - 11


def test_leave_out_drops_the_spans_touching_masked_words_on_either_side():
    d = tagged_first()
    mask = untagged_mask(d)
    said = list(d.tags)
    said[15:24] = ["B-STATEMENT"] + ["I-STATEMENT"] * 8  # a tagger that found the untagged quotation
    said[24] = "B-CUECOREF"
    assert leave_out([said], [mask]) == [d.tags]  # what remains is exactly the annotated part
    assert leave_out([d.tags], [[False] * len(mask)]) == [d.tags]
