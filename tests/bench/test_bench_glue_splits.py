"""bench/glue_splits.py lists every word the glued-word repair splits, and the camel case it leaves whole."""

from __future__ import annotations

import json

from conftest import load_bench


def test_lists_splits_and_brands_left_whole(tmp_path, capsys):
    bench = load_bench("glue_splits")
    rows = [{"id": "a", "text": "Tunjangan anggotaDPRDdikaji ulang, kata KetuaKPUMochammad Afifuddin di YouTube."},
            {"id": "b", "text": "Partai NasDem dan NasDem lagi."}]
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    bench.main([str(f)])
    out = capsys.readouterr().out.splitlines()
    assert "split\ta\tanggotaDPRDdikaji\tanggota | DPRD | dikaji" in out
    assert "split\ta\tKetuaKPUMochammad\tKetua | KPU | Mochammad" in out
    assert out[-2] == "camel case left whole: NasDem (2), YouTube (1)"
    assert out[-1].startswith("2 word(s) split in 2 article(s); 3 camel-case word(s) left whole")
