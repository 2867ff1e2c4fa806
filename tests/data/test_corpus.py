import io

import pytest

from indoquote.data.corpus import ReadStats, read_conll, read_documents, segment_documents, split_documents, write_conll
from indoquote.errors import CorpusError

# Two articles; the second repeats in another file with a dateline sentence of its own.
# A quotation opens at the end of one sentence and runs into the next (as in PFSA-ID).
DOC_A = """JAKARTA\tO
,\tO
KOMPAS\tO
—\tO
Harga\tB-ISSUE
beras\tI-ISSUE
naik\tL-ISSUE
.\tO

Pedagang\tO
mengeluh\tO
.\tO
”\tB-STATEMENT

Kami\tI-STATEMENT
rugi\tI-STATEMENT
,\tI-STATEMENT
”\tL-STATEMENT
kata\tU-CUE
Budi\tU-PERSON
.\tO

"""
DOC_B = """Bank\tB-ISSUE
Indonesia\tI-ISSUE
menahan\tI-ISSUE
suku\tI-ISSUE
bunga\tL-ISSUE
.\tO

“\tB-STATEMENT
Inflasi\tI-STATEMENT
terjaga\tI-STATEMENT
”\tL-STATEMENT
ujarnya\tU-CUECOREF
.\tO

"""
DATELINE_B = """MEDAN\tO
,\tO
KOMPAS\tO
—\tO

"""


@pytest.fixture
def corpus(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(DOC_A + DOC_B, encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text(DOC_A + DATELINE_B + DOC_B, encoding="utf-8")
    return a, b


def test_conll_round_trip_is_exact(corpus):
    a, _ = corpus
    docs = segment_documents(read_conll(a), a.name)
    out = io.StringIO()
    write_conll(docs, out)
    assert out.getvalue() == a.read_text(encoding="utf-8")


def test_segmentation_starts_documents_at_the_lead(corpus):
    a, b = corpus
    docs_a = segment_documents(read_conll(a), "a")
    assert [d.tokens[0] for d in docs_a] == ["JAKARTA", "Bank"]
    assert docs_a[0].sentence_starts == [0, 8, 12]
    assert docs_a[0].tags[12:14] == ["I-STATEMENT", "I-STATEMENT"]  # quote crosses the sentence break
    docs_b = segment_documents(read_conll(b), "b")
    assert [d.tokens[:2] for d in docs_b] == [["JAKARTA", ","], ["MEDAN", ","]]  # dateline joins its lead


def test_duplicates_across_files_are_dropped(corpus):
    stats = ReadStats()
    docs = read_documents(corpus, stats)
    assert len(docs) == 2
    assert stats.duplicates == 2
    assert stats.conflicting_duplicates == 1  # same lead, one more dateline


def test_split_is_deterministic_and_disjoint(tmp_path):
    text = "".join(
        f"Berita\tB-ISSUE\nke-{i}\tL-ISSUE\n.\tO\n\nLalu\tO\n.\tO\n\n" for i in range(50)
    )
    p = tmp_path / "c.txt"
    p.write_text(text, encoding="utf-8")
    docs = read_documents([p])
    assert len(docs) == 50
    ratios = {"train": 0.8, "validation": 0.1, "test": 0.1}
    s1 = split_documents(docs, ratios, seed=1)
    s2 = split_documents(list(reversed(docs)), ratios, seed=1)
    assert {k: [d.doc_id for d in v] for k, v in s1.items()} == {k: [d.doc_id for d in v] for k, v in s2.items()}
    assert [len(v) for v in s1.values()] == [40, 5, 5]
    ids = [d.doc_id for v in s1.values() for d in v]
    assert len(ids) == len(set(ids)) == 50
    s3 = split_documents(docs, ratios, seed=2)
    assert [d.doc_id for d in s3["test"]] != [d.doc_id for d in s1["test"]]


@pytest.mark.parametrize(
    "content, message",
    [
        ("kata\tU-CUE\nBudi\n", "b.txt:2: expected 'TOKEN<TAB>TAG'"),
        ("kata\tU-CUE\tx\n", "b.txt:1: expected"),
        ("kata\tU-SPEAKER\n", "b.txt:1: unknown label 'SPEAKER'"),
        ("kata\tQ-CUE\n", "b.txt:1: malformed tag"),
        ("\n\n", "b.txt: empty corpus file"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path, content, message):
    p = tmp_path / "b.txt"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        read_conll(p)


def test_non_utf8_and_missing_file(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("kata\tO\nBudi\tO\n".encode() + "ucapé\tO\n".encode("latin-1"))
    with pytest.raises(CorpusError, match=r"latin.txt:3: not UTF-8"):
        read_conll(p)
    with pytest.raises(CorpusError, match="file not found"):
        read_conll(tmp_path / "nope.txt")


def test_broken_bilou_is_repaired_and_counted(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("Berita\tB-ISSUE\nbaru\tL-ISSUE\n\nkata\tI-CUE\nBudi\tU-PERSON\n\n", encoding="utf-8")
    stats = ReadStats()
    [doc] = read_documents([p], stats)
    assert doc.tags == ["B-ISSUE", "I-ISSUE", "B-CUE", "B-PERSON"]
    assert len(stats.repairs) == 2
    assert stats.repairs[0][:2] == ("r.txt", 4)
