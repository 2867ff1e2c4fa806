"""Write tiny.conll: a small synthetic corpus in PFSA-ID's format (BILOU, CoNLL).

Made from templates, not from PFSA-ID text (whose license forbids copying it), so
the project can ship it: smoke runs and tests train on it offline. Regenerate with
`python data/tiny/make_tiny.py` (seeded, so the file does not change).
"""

from __future__ import annotations

import random
from pathlib import Path

CITIES = ["JAKARTA", "BANDUNG", "SURABAYA", "MEDAN", "MAKASSAR", "YOGYAKARTA"]
PEOPLE = [
    ("Budi Santoso", "Santoso"), ("Sri Wahyuni", "Sri"), ("Agus Salim", "Agus"), ("Dewi Lestari", "Dewi"),
    ("Joko Prasetyo", "Joko"), ("Rina Marlina", "Rina"), ("Hendra Gunawan", "Hendra"), ("Siti Rahma", "Siti"),
]
ROLES = ["Menteri Keuangan", "Kepala Dinas Kesehatan", "Ketua", "Direktur Utama", "Juru bicara", "Gubernur"]
ORGS = ["Kementerian Sosial", "Bank Indonesia", "DPR", "Pemerintah Provinsi Jawa Barat", "PT Kereta Api Indonesia"]
CUES = ["kata", "ujar", "tutur", "jelas", "ungkap", "tegas"]
CUECOREFS = ["katanya", "ujarnya", "tuturnya", "jelasnya", "ungkapnya", "imbuhnya"]
QUOTES = [
    "Kami akan terus memantau perkembangan harga di pasar",
    "Program ini harus berjalan minggu ini juga",
    "Masyarakat tidak perlu panik karena stok cukup",
    "Kita sudah siapkan anggaran untuk bantuan sosial",
    "Semua pihak harus bekerja sama agar target tercapai",
    "Data itu masih kami periksa bersama tim di lapangan",
    "Pelayanan kepada warga tidak boleh terganggu",
    "Kami berharap kebijakan ini membantu usaha kecil",
]
ISSUES = [
    "Pemerintah menyiapkan bantuan sosial bagi warga terdampak banjir",
    "Harga beras di pasar tradisional naik dalam sepekan terakhir",
    "Jumlah penumpang kereta meningkat menjelang libur panjang",
    "Anggaran kesehatan daerah ditambah untuk tahun depan",
]
FILLER = [
    "Rapat itu berlangsung sejak pagi hari",
    "Sejumlah warga datang ke kantor kelurahan",
    "Data terbaru menunjukkan angka yang berbeda",
    "Kegiatan serupa juga digelar di kota lain",
]
EVENTS = ["dalam rapat terbatas", "saat konferensi pers", "dalam kunjungan kerja"]
DATES = ["pada Senin ( 6 / 4 / 2020 )", "pada Kamis", "pekan lalu"]


def toks(text: str) -> list[str]:
    return text.split()


def span(words: list[str], label: str) -> list[tuple[str, str]]:
    if len(words) == 1:
        return [(words[0], f"U-{label}")]
    return [(words[0], f"B-{label}")] + [(w, f"I-{label}") for w in words[1:-1]] + [(words[-1], f"L-{label}")]


def o(text: str) -> list[tuple[str, str]]:
    return [(w, "O") for w in toks(text)]


def document(rng: random.Random, n: int) -> list[list[tuple[str, str]]]:
    (full, short), role, org = rng.choice(PEOPLE), rng.choice(ROLES), rng.choice(ORGS)
    lead = f"{rng.choice(ISSUES)} sejak {n % 28 + 1} {rng.choice(['Maret', 'April', 'Mei'])} {2019 + n // 28}"
    sents = [o(f"{rng.choice(CITIES)} , KOMPAS —") + span(toks(lead), "ISSUE") + o(".")]
    sents.append(o(rng.choice(FILLER) + " ."))
    # quote, cue, introduced speaker with role and affiliation
    q = toks(rng.choice(QUOTES))
    sents.append(
        span(["“", *q, ",", "”"], "STATEMENT") + span([rng.choice(CUES)], "CUE") + span(toks(role), "ROLE")
        + span(toks(org), "AFFILIATION") + span(toks(full), "PERSON") + span(toks(rng.choice(EVENTS)), "EVENT")
        + span(toks(rng.choice(DATES)), "DATETIME") + o(".")
    )
    sents.append(o(rng.choice(FILLER) + " ."))
    # a quotation running across two sentences, cue with enclitic (coreference)
    q1, q2 = toks(rng.choice(QUOTES)), toks(rng.choice(QUOTES))
    first = span(["“", *q1, ".", *q2, ",", "”"], "STATEMENT")
    cut = len(q1) + 2
    sents.append(first[:cut])
    sents.append(first[cut:] + span([rng.choice(CUECOREFS)], "CUECOREF") + o("."))
    # later mention of the speaker after a plain cue
    q3 = toks(rng.choice(QUOTES))
    sents.append(span(["“", *q3, ",", "”"], "STATEMENT") + span([rng.choice(CUES)], "CUE") + span([short], "PERSONCOREF") + o("."))
    if rng.random() < 0.5:
        sents.append(o(rng.choice(FILLER) + " di") + span(toks(rng.choice(["Jakarta", "Bandung", "Medan"])), "LOCATION") + o("."))
    return sents


def main(n_docs: int = 60, seed: int = 13) -> None:
    rng = random.Random(seed)
    lines = []
    for n in range(n_docs):
        for sent in document(rng, n):
            lines.extend(f"{w}\t{t}" for w, t in sent)
            lines.append("")
    Path(__file__).with_name("tiny.conll").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
