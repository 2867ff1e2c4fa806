"""One quotation across outlets: marks, trims and small edits aside; short texts only with their speaker."""

from __future__ import annotations

from indoquote.archive.quote_clusters import cluster_quotes, fold, text_clusters

FULL = (
    "“Bendungan ini akan mengurangi banjir di Jakarta sampai tiga puluh persen, dan itu sangat penting bagi warga,”"
)
TRIMMED = '"Bendungan ini akan mengurangi banjir di Jakarta sampai tiga puluh persen'
OTHER = "Kita harus mempercepat vaksinasi agar ekonomi pulih tahun ini"


def test_fold_drops_marks_case_and_punctuation():
    assert fold("“Kami SIAP,” ") == fold('"kami siap"') == fold("‘Kami siap’") == "kami siap"
    assert fold("Ma’ruf") == fold("Ma'ruf") == "maruf"


def test_curly_marks_in_one_outlet_straight_and_trimmed_in_another_are_one_quotation():
    ids = cluster_quotes([FULL, TRIMMED, OTHER])
    assert ids[0] == ids[1] != ids[2]


def test_small_edits_join_and_a_different_quotation_does_not():
    edited = (
        "Bendungan ini akan mengurangi banjir di Jakarta hingga tiga puluh persen, dan itu sangat penting bagi warga."
    )
    different = "Bendungan ini belum mampu mengurangi banjir di Bekasi karena hujan deras sepanjang pekan lalu."
    ids = cluster_quotes([FULL, edited, different])
    assert ids[0] == ids[1] != ids[2]


def test_short_quotations_join_only_with_the_same_speaker():
    ids = cluster_quotes(["Terima kasih.", "“Terima kasih”", "Terima kasih", None, ""], ["a", "a", "b", "a", "a"])
    assert ids[0] == ids[1] != ids[2] and ids[3] is None and ids[4] is None


def test_ids_do_not_depend_on_row_order():
    forward = cluster_quotes([FULL, TRIMMED, OTHER])
    backward = cluster_quotes([OTHER, TRIMMED, FULL])
    assert forward == backward[::-1]


def test_long_quotations_cluster_without_their_speakers_and_the_ids_are_reused():
    texts = [FULL, TRIMMED, OTHER, "Terima kasih", "Terima kasih"]
    long = text_clusters(texts)
    assert long[0] == long[1] != long[2] and long[3] is None and long[4] is None
    speakers = ["a", "b", "a", "a", "b"]
    assert cluster_quotes(texts, speakers, long) == cluster_quotes(texts, speakers)
    assert cluster_quotes(texts, speakers)[:3] == long[:3]
