"""bench/identity_sample.py and bench/identity_show.py: a hand check's sample, and what a judge reads per id."""

from __future__ import annotations

from conftest import load_bench
from identity_data import tag

from indoquote.archive.report import write_report


def test_sample_then_show_every_quotation_of_the_sampled_ids(tmp_path, capsys):
    out = tag(tmp_path)
    write_report(out, tmp_path / "report")
    sample = load_bench("identity_sample")
    assert sample.main([str(out), str(tmp_path / "report"), "--top", "2", "--random", "1", "--seed", "0"]) == 0
    table = capsys.readouterr().out
    (tmp_path / "sample.md").write_text(table, encoding="utf-8")
    ids = [i for line in table.splitlines() if (i := sample.row_id(line))]
    assert len(ids) == 3 and ids[0] == "joko-widodo"  # three Jokowi quotations: the most quoted
    assert sample.judged_ids(tmp_path / "sample.md") == set(ids)

    show = load_bench("identity_show")
    assert show.main([str(out), str(tmp_path / "report"), "no-such-id", "--sample", str(tmp_path / "sample.md"),
                      "--rows", "1-1"]) == 0
    text = capsys.readouterr().out
    assert "## `no-such-id`: no such speaker id" in text
    jokowi = text.split("## `joko-widodo`")[1]
    assert "(3 quotations)" in jokowi.splitlines()[0]
    assert "- merged: Jokowi (" in jokowi  # the form the first article links to the full name
    assert sum(line[:4] in {"| a1", "| a2", "| a3"} for line in jokowi.splitlines()) == 3  # every quotation, a row each
    assert "mempercepat vaksinasi" in jokowi and "`agus-widodo`" not in text.split("## `joko-widodo`")[0]


def test_show_names_the_other_ids_quoted_in_the_same_articles(tmp_path, capsys):
    from identity_data import rows

    articles = rows() + [{"id": "a9", "outlet": "Kompas", "date": "2021-04-05", "text":
                          'Menteri Keuangan Sri Mulyani Indrawati dan Gubernur BI Perry Warjiyo bertemu di Jakarta.\n\n'
                          '"Inflasi akan tetap rendah sampai akhir tahun ini," kata Perry Warjiyo.\n\n'
                          '"Belanja negara akan dipercepat bulan depan," kata Sri Mulyani.'}]
    out = tag(tmp_path, articles)
    write_report(out, tmp_path / "report")
    show = load_bench("identity_show")
    assert show.main([str(out), str(tmp_path / "report"), "perry-warjiyo"]) == 0
    text = capsys.readouterr().out
    assert "- also quoted in its articles: `sri-mulyani" in text
