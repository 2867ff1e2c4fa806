"""A tiny real-looking archive for the identity tests, tagged without a model: the rules find the quotations and
an untrained linker's ruled choices (the person named at the cue) attribute them, so ``speaker_forms`` is filled as
a trained model fills it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ARTICLES = [
    (
        "a1",
        "ANTARA",
        "2021-03-01",
        "Presiden Joko Widodo (Jokowi) meresmikan Bendungan Sukamahi di Bogor, Senin.\n\n"
        "“Bendungan ini akan mengurangi banjir di Jakarta sampai tiga puluh persen, dan itu sangat penting bagi "
        "warga,” kata Jokowi di Bogor.",
    ),
    (
        "a2",
        "Kompas",
        "2021-03-02",
        "Bendungan Sukamahi diresmikan pada Senin.\n\n"
        '"Bendungan ini akan mengurangi banjir di Jakarta sampai tiga puluh persen," kata Jokowi di Bogor.',
    ),
    (
        "a3",
        "Tempo",
        "2021-03-05",
        "Jokowi meninjau vaksinasi di Solo.\n\n"
        '"Kita harus mempercepat vaksinasi agar ekonomi pulih tahun ini," ujar Jokowi kepada wartawan.',
    ),
    (
        "a4",
        "Kompas",
        "2021-03-06",
        "Kapolres Bogor AKBP Agus Widodo memimpin operasi.\n\n"
        '"Kami akan menindak tegas para pelaku balap liar di jalan raya," kata Agus Widodo.',
    ),
    (
        "a5",
        "Tempo",
        "2021-03-07",
        "Polisi menggelar razia di Bogor.\n\n"
        '"Razia ini akan terus kami lakukan setiap akhir pekan," kata Kapolres AKBP Widodo.',
    ),
    (
        "a6",
        "ANTARA",
        "2021-04-02",
        "Menteri Keuangan Sri Mulyani Indrawati menyampaikan laporan APBN.\n\n"
        '"Defisit anggaran masih terkendali di bawah enam persen tahun ini," kata Sri Mulyani.',
    ),
    (
        "a7",
        "Kompas",
        "2021-04-03",
        'Rapat kerja digelar di DPR.\n\n"Penerimaan pajak mulai membaik sejak bulan lalu," ujar Menkeu Sri Mulyani.',
    ),
    ("a8", "Tempo", "2021-04-04", "Cuaca cerah di Jakarta pada Minggu pagi."),
]


def rows() -> list[dict]:
    return [{"id": a, "outlet": o, "date": d, "text": t} for a, o, d, t in ARTICLES]


class RulesTagger:
    """``iter_tag`` as :class:`~indoquote.pipeline.tagger.QuoteTagger` has it, from the rules and an untrained
    linker."""

    def __init__(self) -> None:
        from indoquote.quotes.linker import Linker

        self.linker = Linker()

    def _tag(self, id: str, text: str):
        from indoquote.quotes.attribute import quote_records
        from indoquote.quotes.rule_tags import label_article
        from indoquote.text.articles import article_from_text

        art = article_from_text(text, id)
        tags = label_article(art)

        @dataclass
        class Tagged:
            records: list

        return Tagged(quote_records(art.text, art.tokens, tags, art.sentence_starts, self.linker))

    def iter_tag(self, items):
        for id, text in items:
            yield self._tag(id, text)

    def tag_batch(self, texts, ids):
        return [self._tag(i, t) for t, i in zip(texts, ids)]


def tag(tmp: Path, articles: list[dict] | None = None) -> Path:
    """The ``indoquote predict -o OUT`` directory of these articles (Parquet shards), tagged by :class:`RulesTagger`."""
    from archive_data import write_parquet

    from indoquote.archive.engines import TaggerSpec, tag_archive

    class RulesSpec(TaggerSpec):
        def load(self):
            return RulesTagger()

    src = write_parquet(articles or rows(), tmp / "articles.parquet", row_group_size=3)
    out = tmp / "out"
    tag_archive([src], out, RulesSpec("rules"), shard_rows=3)
    return out
