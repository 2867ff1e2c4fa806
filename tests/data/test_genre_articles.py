"""The genre articles (data/genre-articles): real articles from outlets and genres the dev set lacks, with a fixed
held-out part. Checks the gold itself, so a hand edit that breaks an offset, a part or a source record fails here."""

import json
from collections import Counter
from itertools import pairwise

import pytest
from conftest import ROOT

from indoquote.data.gold import read_gold, read_gold_files, select_part
from indoquote.errors import GoldError
from indoquote.scoring.quotes import MIN_WORDS, n_words

FILES = sorted((ROOT / "data" / "genre-articles").glob("*.jsonl"))
GENRES = {"news", "celebrity", "sports", "regional", "feature", "interview", "international"}
OPENING, CLOSING = "\"“”'‘", "\"”“'’"

# Fixed before any model saw these articles (issue #25: "fix a held-out part, and do not read its errors"):
# every other article of each outlet and genre, ordered by a hash of its id.
HELDOUT = {
    "sindonews-2020-akp-idham-jemput-siswa-truk-dalmas", "sindonews-2020-cita-cita-marquez-kecil",
    "sindonews-2020-curhat-priyadi-buruh-phk", "sindonews-2020-india-perpanjang-lockdown",
    "sindonews-2020-mutasi-pamen-pati-polri", "sindonews-2020-pasuruan-jambret-dikeroyok",
    "sindonews-2020-rudiger-aguero-moral-kompetisi", "sindonews-2020-semarang-curhat-karyawan-ganjar",
    "tribun-2022-angelina-sondakh-takut-keanu", "tribun-2022-baim-wong-karyawan-mengaji",
    "tribun-2022-bengkulu-kesaksian-kembaran-korban", "tribun-2022-dmasiv-rian-sopir-lalai",
    "tribun-2022-hanif-sjahbandi-pamit-arema", "tribun-2022-hyun-bin-suka-memasak",
    "tribun-2022-inul-daratista-gadai-sertifikat", "tribun-2022-inul-daratista-merugi-bisnis",
    "tribun-2022-lesti-kejora-meme-tanggapan", "tribun-2022-marquez-cedera-diplopia",
    "tribun-2022-ovi-sovianti-jualan-tuna", "tribun-2022-pakar-hukum-pemberhentian-terawan",
    "tribun-2022-pengamat-demo-masak-pdip", "tribun-2022-persib-beckham-putra-gol",
    "tribun-2022-retno-taliban-doha", "tribun-2022-terawan-dipecat-idi", "tribun-2022-will-smith-minta-maaf",
}


def records():
    return [json.loads(line) for f in FILES for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_gold_loads_and_names_its_sources():
    arts = read_gold_files(FILES)
    assert len(arts) >= 40 and len({a.outlet for a in arts}) >= 2
    for a in arts:
        assert a.outlet != "unknown" and a.meta["genre"] in GENRES, a.id
        assert a.meta["repo"] and a.meta["path"] and len(a.meta["commit"]) == 40, a.id
    kinds = Counter(q.kind for a in arts for q in a.quotes)
    assert kinds["direct"] >= 100 and kinds["indirect"] >= 80
    assert len({a.meta["genre"] for a in arts}) == len(GENRES)


def test_every_offset_points_at_its_text():
    for rec in records():
        text = rec["text"]
        for q in rec["quotes"]:
            for span in (q, q["cue"], q["speaker_mention"]):
                if span is not None:
                    assert text[span["start"] : span["end"]] == span["text"], (rec["id"], span)
            if q["kind"] == "direct":
                assert q["text"][0] in OPENING, (rec["id"], q["text"][:20])
                assert q["text"][-1] in CLOSING or "never closed" in q.get("note", ""), (rec["id"], q["text"][-20:])
                assert n_words(q["text"]) >= MIN_WORDS, (rec["id"], q["text"])
            else:
                assert q["text"] == q["text"].strip() and not q["text"].endswith("."), (rec["id"], q["text"][-20:])
            assert q["speaker"], (rec["id"], q["text"][:30])
        spans = sorted((q["start"], q["end"]) for q in rec["quotes"])
        assert all(a[1] <= b[0] for a, b in pairwise(spans)), rec["id"]


def test_the_held_out_part_is_fixed_and_stratified():
    arts = read_gold_files(FILES)
    held = select_part(arts, "heldout")
    assert {a.id for a in held} == HELDOUT
    assert len(held) + len(select_part(arts, "tune")) == len(arts)
    strata = Counter((a.outlet, a.meta["genre"]) for a in arts)
    held_strata = Counter((a.outlet, a.meta["genre"]) for a in held)
    for stratum, n in strata.items():
        assert abs(2 * held_strata[stratum] - n) <= 1, stratum  # half of each outlet and genre, give or take one


def test_the_old_dev_set_keeps_its_hash_parts(tmp_path):
    dev = read_gold_files(sorted((ROOT / "data" / "dev-articles").glob("*.jsonl")))
    assert all("part" not in a.meta for a in dev)  # the genre articles' meta.part changes nothing there
    bad = records()[0]
    bad["meta"]["part"] = "test"
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps(bad, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"bad.jsonl:1 .*meta.part must be"):
        read_gold(p)
