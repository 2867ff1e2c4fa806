import json

import pytest

from indoquote.data.build import build_datasets, load_splits, resolve_files, stats_table
from indoquote.model.windows import WindowConfig
from indoquote.text.labels import get_schema

from conftest import TINY_CONLL


def tiny_cfg(**kw):
    cfg = {"name": "tiny", "source": "conll", "dir": str(TINY_CONLL.parent), "files": ["tiny.conll"],
           "split": {"train": 0.7, "validation": 0.15, "test": 0.15}}
    cfg.update(kw)
    return cfg


def test_build_and_cache(tmp_path, tiny_tokenizer):
    schema = get_schema("pfsa")
    window = WindowConfig(64, 16)
    dsd, splits, stats = build_datasets(tiny_cfg(), tiny_tokenizer, schema, window, seed=3, cache_dir=tmp_path)
    assert set(dsd) == {"train", "validation", "test"}
    assert sum(stats.documents.values()) == 60
    assert stats.windows["train"] == len(dsd["train"]) > stats.documents["train"]
    assert set(dsd["train"][0]) >= {"doc_id", "input_ids", "labels", "word_ids"}
    assert len(list(tmp_path.iterdir())) == 1  # cached under one key
    dsd2, _, _ = build_datasets(tiny_cfg(), tiny_tokenizer, schema, window, seed=3, cache_dir=tmp_path)
    assert dsd2["train"]["input_ids"] == dsd["train"]["input_ids"]
    build_datasets(tiny_cfg(), tiny_tokenizer, get_schema("quote"), window, seed=3, cache_dir=tmp_path)
    assert len(list(tmp_path.iterdir())) == 2  # another schema, another key
    table = stats_table(stats)
    assert "STATEMENT" in table and "windows" in table
    json.dumps(stats.to_json())


def test_train_window_cuts_only_the_train_split(tmp_path, tiny_tokenizer):
    schema, window = get_schema("pfsa"), WindowConfig(32, 12)
    same, _, _ = build_datasets(tiny_cfg(), tiny_tokenizer, schema, window, seed=3, cache_dir=tmp_path)
    cut, splits, _ = build_datasets(tiny_cfg(), tiny_tokenizer, schema, window, 3, tmp_path, WindowConfig(32, 0))
    assert len(list(tmp_path.iterdir())) == 2  # its own cache entry
    assert len(cut["train"]) < len(same["train"])
    assert cut["validation"]["input_ids"] == same["validation"]["input_ids"]
    labelled = sum(1 for row in cut["train"]["labels"] for i in row if i >= 0)
    assert labelled == sum(len(d.tokens) for d in splits["train"])  # no overlap: each word labelled once


def test_quote_schema_labels(tiny_tokenizer):
    dsd, _, _ = build_datasets(tiny_cfg(split={"test": 1.0}), tiny_tokenizer, get_schema("quote"), WindowConfig(64, 16), 0)
    ids = {i for row in dsd["test"]["labels"] for i in row if i >= 0}
    assert max(ids) < len(get_schema("quote").tags)


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no data file matches 'x.txt'.*data.dir"):
        resolve_files({"source": "pfsa_id", "dir": str(tmp_path), "files": ["x.txt"]})
    with pytest.raises(ValueError, match="data.source must be one of"):
        resolve_files({"source": "csv", "files": []})


def test_split_never_shares_documents():
    splits = load_splits(tiny_cfg(), seed=7)
    keys = [d.content_key() for docs in splits.values() for d in docs]
    assert len(keys) == len(set(keys))
