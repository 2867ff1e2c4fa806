"""The HTTP API on the tiny model: the records of QuoteTagger and `indoquote predict`, every error named, the token."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402
from serve_support import dev_texts, seed  # noqa: E402

from indoquote import QuoteTagger  # noqa: E402
from indoquote.text.articles import MAX_ARTICLE_CHARS  # noqa: E402
from indoquote.quotes.records import QuoteRecord, apply_min_confidence  # noqa: E402
from indoquote.serve import ServeSettings, create_app  # noqa: E402
from indoquote.serve.schemas import QuoteRecord as QuoteRecordModel  # noqa: E402

KEY = "k" * 24


def client_for(app) -> TestClient:
    c = TestClient(app)
    c.__enter__()
    deadline = time.monotonic() + 60
    while c.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, c.get("/readyz").json()
        time.sleep(0.05)
    return c


@pytest.fixture(scope="module")
def reference(tiny_checkpoint) -> dict:
    """Taggers built as `predict` builds them (precision auto), one per kinds."""
    kinds = (("direct",), ("indirect",), ("direct", "indirect"))
    return {k: QuoteTagger.from_pretrained(tiny_checkpoint, kinds=k) for k in kinds}


@pytest.fixture(scope="module")
def client(tiny_checkpoint):
    c = client_for(create_app(ServeSettings(model=str(tiny_checkpoint), max_wait_ms=20, max_article_chars=5000,
                                            max_articles=8)))
    yield c
    c.__exit__(None, None, None)


def records(tagger, text) -> list[dict]:
    return [r.to_dict() for r in tagger(text)]


# ------------------------------------------------------------ the same records


def test_seed_records_are_quotetaggers(client, reference):
    s = seed()
    got = client.post("/v1/quotes", json={"text": s["text"]})
    assert got.status_code == 200
    assert got.json() == {"id": "text", "quotes": records(reference[("direct",)], s["text"])}
    both = client.post("/v1/quotes", json={"text": s["text"], "id": "x", "kinds": ["direct", "indirect"]}).json()
    assert both == {"id": "x", "quotes": records(reference[("direct", "indirect")], s["text"])}
    assert both["quotes"] and both["quotes"] != got.json()["quotes"]  # the random model tags something in each


def test_seed_answer_is_the_predict_jsonl_line(client, tiny_checkpoint, tmp_path):
    from serve_support import SEED

    from indoquote.cli import predict_cli

    out = tmp_path / "seed.jsonl"
    assert predict_cli([str(SEED), "--model", str(tiny_checkpoint), "-o", str(out)]) == 0
    line = json.loads(out.read_text(encoding="utf-8"))
    assert client.post("/v1/quotes", json=seed()).json() == line


def test_batch_records_are_tagger_batch(client, reference):
    texts = dev_texts(4) + [seed()["text"][:4000]]
    tagger = reference[("direct", "indirect")]
    want = [[r.to_dict() for r in recs] for recs in tagger.batch(texts, progress=False)]
    got = client.post("/v1/quotes:batch", json={"articles": [{"text": t[:5000]} for t in texts],
                                                 "kinds": "direct,indirect"})
    assert got.status_code == 200
    arts = got.json()["articles"]
    assert [a["id"] for a in arts] == ["0", "1", "2", "3", "4"]
    assert [a["quotes"] for a in arts] == [[r.to_dict() for r in tagger(t[:5000])] for t in texts]
    assert arts[4]["quotes"] == want[4]


def test_each_article_of_a_batch_gets_its_kinds(client, reference):
    texts = [t[:3000] for t in dev_texts(2)] + [seed()["text"]]
    body = {"articles": [{"text": texts[0], "kinds": ["direct"]}, {"text": texts[1], "kinds": "indirect"},
                         {"text": texts[2]}], "kinds": ["direct", "indirect"]}
    got = [a["quotes"] for a in client.post("/v1/quotes:batch", json=body).json()["articles"]]
    kinds = [("direct",), ("indirect",), ("direct", "indirect")]
    assert got == [records(reference[k], t) for k, t in zip(kinds, texts)]
    assert {q["kind"] for q in got[1]} <= {"indirect"} and {q["kind"] for q in got[2]} == {"direct", "indirect"}


def test_concurrent_requests_get_their_own_records(client, reference):
    texts = [t[:3000] for t in dev_texts(6)] + [seed()["text"]]
    want = [records(reference[("direct",)], t) for t in texts]

    def ask(i):
        return client.post("/v1/quotes", json={"text": texts[i], "id": f"a{i}"}).json()

    with ThreadPoolExecutor(7) as pool:
        got = list(pool.map(ask, range(7)))
    assert [g["id"] for g in got] == [f"a{i}" for i in range(7)]
    assert [g["quotes"] for g in got] == want


# ------------------------------------------------------------ errors name the field or the limit


@pytest.mark.parametrize(
    "path, body, status, words",
    [
        ("/v1/quotes", b"{bad json", 400, ["not valid JSON"]),
        ("/v1/quotes", b'{"text": 5}', 422, ["text", "valid string"]),
        ("/v1/quotes", b'{"text": "  \\n "}', 422, ["text", "empty article"]),
        ("/v1/quotes", b'{"text": "\\ud800 a"}', 422, ["text", "surrogate"]),
        ("/v1/quotes", b"{}", 422, ["text", "Field required"]),
        ("/v1/quotes", b"[]", 422, ["body", "dictionary"]),
        ("/v1/quotes", b'{"text": "a", "txt": "b"}', 422, ["txt", "Extra inputs"]),
        ("/v1/quotes", b'{"text": "a", "id": 3}', 422, ["id"]),
        ("/v1/quotes", b'{"text": "a", "id": ""}', 422, ["id"]),
        ("/v1/quotes", b'{"text": "a", "kinds": ["quotes"]}', 422, ["kinds", "direct"]),
        ("/v1/quotes", b'{"text": "a", "min_confidence": 1.5}', 422, ["min_confidence", "less than or equal to 1"]),
        ("/v1/quotes", b'{"text": "a", "min_confidence": "0.5"}', 422, ["min_confidence"]),
        ("/v1/quotes:batch", b'{"articles": []}', 422, ["articles", "at least 1"]),
        ("/v1/quotes:batch", b'{"articles": [{"text": "a"}, {"text": ""}]}', 422, ["articles[1].text", "empty"]),
        ("/v1/quotes:batch", b'{"articles": [{"text": "a"}] , "min_confidence": -1}', 422, ["min_confidence"]),
    ],
)
def test_bad_requests_name_the_field(client, path, body, status, words):
    r = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    for w in words:
        assert w in detail, detail


def test_over_long_article_is_413_naming_the_limit(client):
    r = client.post("/v1/quotes", json={"text": "kata " * 1001})
    assert r.status_code == 413
    assert r.json()["detail"] == "text: 5,005 characters, over the article limit of 5,000 (MAX_ARTICLE_CHARS); split it"
    r = client.post("/v1/quotes:batch", json={"articles": [{"text": "a"}, {"text": "kata " * 1001}]})
    assert r.status_code == 413 and r.json()["detail"].startswith("articles[1].text: 5,005 characters")


def test_default_article_limit_is_the_clis(tiny_checkpoint):
    assert ServeSettings().max_article_chars == MAX_ARTICLE_CHARS
    c = client_for(create_app(ServeSettings(model=str(tiny_checkpoint)), QuoteTagger.from_pretrained(tiny_checkpoint)))
    try:
        r = c.post("/v1/quotes", json={"text": "a" * (MAX_ARTICLE_CHARS + 1)})
        assert r.status_code == 413 and f"{MAX_ARTICLE_CHARS:,} (MAX_ARTICLE_CHARS)" in r.json()["detail"]
    finally:
        c.__exit__(None, None, None)


def test_too_many_articles_is_413(client):
    r = client.post("/v1/quotes:batch", json={"articles": [{"text": "a"}] * 9})
    assert r.status_code == 413 and "over the limit of 8 per request (--max-articles)" in r.json()["detail"]


@pytest.fixture(scope="module")
def small(tiny_checkpoint):
    """A server with a 2,000-byte body limit, a queue of 2 articles and the API key set."""
    s = ServeSettings(model=str(tiny_checkpoint), max_body_bytes=2000, max_queue=2, api_key=KEY)
    c = client_for(create_app(s, QuoteTagger.from_pretrained(tiny_checkpoint)))
    yield c
    c.__exit__(None, None, None)


AUTH = {"Authorization": f"Bearer {KEY}"}


def test_body_over_the_limit_is_413(small):
    r = small.post("/v1/quotes", json={"text": "a " * 1500}, headers=AUTH)
    assert r.status_code == 413
    assert r.json()["detail"] == "request body over the limit of 2,000 bytes (--max-body-bytes)"

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"text": "'
        for _ in range(30):
            yield b"a" * 100
        yield b'"}'

    r = small.post("/v1/quotes", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413 and "2,000 bytes" in r.json()["detail"]


def test_a_bad_content_length_is_400():
    import asyncio

    from indoquote.serve.app import BodyLimit

    async def never(scope, receive, send):
        raise AssertionError("the app must not see it")

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    asyncio.run(BodyLimit(never, 10)({"type": "http", "headers": [(b"content-length", b"12a")]}, receive, send))
    assert sent[0]["status"] == 400 and b"bad Content-Length" in sent[1]["body"]


def test_full_queue_is_503_with_retry_after(small):
    r = small.post("/v1/quotes:batch", json={"articles": [{"text": "a b"}] * 3}, headers=AUTH)
    assert r.status_code == 503
    assert "limit 2 (--max-queue)" in r.json()["detail"] and int(r.headers["Retry-After"]) >= 1


def test_token_is_enforced(small):
    s = {"text": '"Kami siap," kata Budi.'}
    assert small.post("/v1/quotes", json=s).status_code == 401
    r = small.post("/v1/quotes", json=s, headers={"Authorization": "Bearer " + "x" * 24})
    assert r.status_code == 401 and r.json()["detail"] == "wrong API key"
    assert small.post("/v1/quotes", json=s, headers={"Authorization": f"Basic {KEY}"}).status_code == 401
    missing = small.post("/v1/quotes:batch", json={"articles": [s]})
    assert missing.status_code == 401 and "Authorization: Bearer" in missing.json()["detail"]
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    for path in ("/v1/model", "/metrics"):
        assert small.get(path).status_code == 401 and small.get(path, headers=AUTH).status_code == 200
    assert small.post("/v1/quotes", json=s, headers=AUTH).status_code == 200
    for path in ("/healthz", "/readyz", "/", "/static/app.js"):  # probes and the page itself stay open
        assert small.get(path).status_code == 200


def test_api_key_from_the_environment(monkeypatch):
    from indoquote.cli.serve import serve_parser, settings_from_args

    monkeypatch.setenv("INDOQUOTE_API_KEY", KEY)
    assert settings_from_args(serve_parser().parse_args(["--model", "m"])).api_key == KEY
    with pytest.raises(ValueError, match="at least 16"):
        settings_from_args(serve_parser().parse_args(["--model", "m", "--api-key", "short"]))


class SlowTagger:
    """A real tagger whose forward pass takes ``seconds`` longer."""

    def __init__(self, tagger, seconds):
        self.tagger, self.seconds = tagger, seconds

    def __getattr__(self, name):
        return getattr(self.tagger, name)

    def __setattr__(self, name, value):
        if name in ("tagger", "seconds"):
            object.__setattr__(self, name, value)
        else:
            setattr(self.tagger, name, value)

    def tag_batch(self, texts, ids=None, progress=False):
        time.sleep(self.seconds)
        return self.tagger.tag_batch(texts, ids, progress)


def test_timeout_is_503_with_retry_after_and_the_loop_stays_free(tiny_checkpoint):
    slow = SlowTagger(QuoteTagger.from_pretrained(tiny_checkpoint), 0.0)
    c = client_for(create_app(ServeSettings(model=str(tiny_checkpoint), timeout_s=0.3, max_wait_ms=0), slow))
    try:
        slow.seconds = 1.5
        answers = {}

        def ask():
            answers["slow"] = c.post("/v1/quotes", json={"text": "kata Budi ."})

        t = threading.Thread(target=ask)
        t.start()
        time.sleep(0.1)
        start = time.perf_counter()
        assert c.get("/healthz").status_code == 200  # answered while the model works
        assert time.perf_counter() - start < 0.5
        t.join()
        r = answers["slow"]
        assert r.status_code == 503 and "0.3 s (--timeout)" in r.json()["detail"]
        assert int(r.headers["Retry-After"]) >= 1
    finally:
        slow.seconds = 0.0
        c.__exit__(None, None, None)


def test_model_that_does_not_load_is_not_ready(tmp_path):
    c = TestClient(create_app(ServeSettings(model=str(tmp_path / "nothing"))))
    with c:
        deadline = time.monotonic() + 30
        while (r := c.get("/readyz")).json()["status"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert r.status_code == 503 and r.json()["status"] == "failed" and "no such directory" in r.json()["detail"]
        q = c.post("/v1/quotes", json={"text": "a"})
        assert q.status_code == 503 and "did not load" in q.json()["detail"]
        assert c.get("/healthz").status_code == 200


# ------------------------------------------------------------ min_confidence


def _record(speaker, confidence) -> QuoteRecord:
    from indoquote.quotes.records import Mention

    m, cue = Mention(speaker or "x", 10, 14, "PERSON"), Mention("kata", 6, 10, "CUE")
    spans = [Mention("q", 0, 5, "STATEMENT"), cue, m, Mention("Menteri", 15, 22, "ROLE")]
    forms = [speaker] if speaker else []
    return QuoteRecord("q", 0, 5, speaker, m if speaker else None, cue, "Menteri", None, spans, confidence,
                       speaker_forms=forms)


def test_apply_min_confidence():
    recs = [_record("Budi", 0.4), _record("Ani", 0.9), _record("Rules", None), _record(None, 0.2)]
    out = apply_min_confidence(recs, 0.5)
    assert out[0].speaker is None and out[0].role is None and out[0].speaker_mention is None
    assert out[0].speaker_forms == [] and out[1].speaker_forms == ["Ani"]  # identity forms go with the speaker
    assert out[0].speaker_reason == "linker confidence 0.400 is below min_confidence 0.5"
    assert [m.label for m in out[0].spans] == ["STATEMENT", "CUE"] and out[0].confidence == 0.4
    assert out[1:] == recs[1:] and recs[0].speaker == "Budi"  # the others untouched, the input not changed
    assert apply_min_confidence(recs, None) == recs
    with pytest.raises(ValueError, match="between 0 and 1"):
        apply_min_confidence(recs, 1.5)


class ConfidentTagger(SlowTagger):
    """A real tagger whose attributed records carry a linker-like confidence of 0.4."""

    def tag_batch(self, texts, ids=None, progress=False):
        arts = self.tagger.tag_batch(texts, ids, progress)
        for a in arts:
            a.records = [dataclasses.replace(r, confidence=0.4) if r.speaker else r for r in a.records]
        return arts


def test_min_confidence_in_requests(tiny_checkpoint):
    tagger = ConfidentTagger(QuoteTagger.from_pretrained(tiny_checkpoint), 0.0)
    text = seed()["text"]
    c = client_for(create_app(ServeSettings(model=str(tiny_checkpoint)), tagger))
    try:
        kinds = ["direct", "indirect"]
        plain = c.post("/v1/quotes", json={"text": text, "kinds": kinds}).json()["quotes"]
        assert any(q["speaker"] for q in plain)
        low = c.post("/v1/quotes", json={"text": text, "kinds": kinds, "min_confidence": 0.3}).json()["quotes"]
        assert low == plain
        high = c.post("/v1/quotes", json={"text": text, "kinds": kinds, "min_confidence": 0.5}).json()["quotes"]
        assert not any(q["speaker"] for q in high)
        withheld = [h for h, p in zip(high, plain) if p["speaker"]]
        assert withheld and all("below min_confidence 0.5" in h["speaker_reason"] for h in withheld)
        batch = c.post("/v1/quotes:batch", json={"articles": [{"text": text, "kinds": kinds}], "min_confidence": 0.5})
        assert batch.json()["articles"][0]["quotes"] == high
    finally:
        c.__exit__(None, None, None)


def test_predict_min_confidence_flag(tiny_checkpoint, tmp_path, capsys):
    from serve_support import SEED

    from indoquote.cli import predict_cli

    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert predict_cli([str(SEED), "--model", str(tiny_checkpoint), "-o", str(a)]) == 0
    assert predict_cli([str(SEED), "--model", str(tiny_checkpoint), "-o", str(b), "--min-confidence", "0.9"]) == 0
    assert a.read_text() == b.read_text()  # the tiny model's speakers come from the rules: nothing to withhold
    assert predict_cli([str(SEED), "--model", str(tiny_checkpoint), "--min-confidence", "2"]) == 2
    assert "--min-confidence must be between 0 and 1" in capsys.readouterr().err


# ------------------------------------------------------------ model, metrics, schema, page, CORS


def test_model_summary_has_labels_windows_precision_scores(make_checkpoint, tmp_path):
    ckpt = make_checkpoint("scored")
    scores = {"model": {"strict": {"micro_f1": 81.5}, "attribution": {"accuracy": 90.0}}}
    (ckpt / "metrics.json").write_text(json.dumps(scores))
    c = client_for(create_app(ServeSettings(model=str(ckpt))))
    try:
        m = c.get("/v1/model").json()
    finally:
        c.__exit__(None, None, None)
    assert "B-STATEMENT" in m["labels"] and m["windows"] == {"max_length": 32, "stride": 8}
    assert m["model"] == ckpt.name  # the directory's name, not the server's path
    assert m["precision"]["precision"] == "fp32" and m["speakers_by"] == "rules"
    assert {"type": "f1", "value": 0.815, "name": "Span micro F1 (strict, PFSA-ID labels)"} in m["scores"]


def test_metrics_count_requests_articles_batches(client):
    client.post("/v1/quotes:batch", json={"articles": [{"text": "a b"}, {"text": "c d"}]})
    text = client.get("/metrics").text
    for name in ("indoquote_requests_total", "indoquote_request_seconds_bucket", "indoquote_articles_total",
                 "indoquote_queue_depth", "indoquote_batch_articles_bucket", "indoquote_forward_seconds_bucket",
                 "indoquote_ready 1.0"):
        assert name in text, name
    assert 'indoquote_requests_total{path="/v1/quotes:batch",status="200"}' in text
    articles = float(next(l for l in text.splitlines() if l.startswith("indoquote_articles_total")).split()[-1])
    assert articles >= 2


def test_openapi_record_schema_has_every_field_of_the_record(client):
    schema = client.get("/openapi.json").json()
    fields = [f.name for f in dataclasses.fields(QuoteRecord)]
    assert list(QuoteRecordModel.model_fields) == fields
    assert set(schema["components"]["schemas"]["QuoteRecord"]["properties"]) == set(fields)
    assert {"/v1/quotes", "/v1/quotes:batch", "/v1/model", "/healthz", "/readyz", "/metrics"} <= set(schema["paths"])


def test_page_is_served_with_a_strict_policy(client):
    from indoquote.pipeline.html import CSS

    page = client.get("/")
    assert page.status_code == 200 and 'id="text"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/marks.css").text == CSS  # the HTML view's colours
    js = client.get("/static/app.js").text
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "textContent" in js


def test_cors_off_unless_origins_given(client, tiny_checkpoint):
    pre = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    assert "access-control-allow-origin" not in client.options("/v1/quotes", headers=pre).headers
    assert "access-control-allow-origin" not in client.get("/healthz", headers={"Origin": "https://evil.example"}).headers
    s = ServeSettings(model=str(tiny_checkpoint), cors_origins=("https://newsroom.example",))
    c = client_for(create_app(s, QuoteTagger.from_pretrained(tiny_checkpoint)))
    try:
        ok = c.options("/v1/quotes", headers={**pre, "Origin": "https://newsroom.example"})
        assert ok.headers["access-control-allow-origin"] == "https://newsroom.example"
        assert "access-control-allow-origin" not in c.options("/v1/quotes", headers=pre).headers
    finally:
        c.__exit__(None, None, None)


def test_settings_round_trip_and_checks():
    s = ServeSettings(model="m", kinds=("indirect", "direct"), cors_origins=("https://a",), api_key=KEY).check()
    assert s.kinds == ("direct", "indirect") and ServeSettings.from_json(s.to_json()) == s
    for bad, flag in (({"max_queue": 0}, "--max-queue"), ({"max_wait_ms": -1}, "--max-wait-ms"),
                      ({"kinds": ("quotes",)}, "kinds"), ({"min_confidence": 2.0}, "--min-confidence")):
        with pytest.raises(ValueError, match=flag):
            ServeSettings(model="m", **bad).check()


def test_serve_command_refuses_a_bad_model(tmp_path, capsys, monkeypatch):
    from indoquote.cli import main
    from indoquote.cli.serve import serve_cli

    with pytest.raises(SystemExit) as e:  # `indoquote serve` is routed to the serve package
        main(["serve", "--model", str(tmp_path / "nope"), "--port", "1"])
    assert e.value.code == 2 and "no such directory" in capsys.readouterr().err
    monkeypatch.delenv("INDOQUOTE_MODEL", raising=False)
    assert serve_cli([]) == 2 and "no model; pass --model DIR" in capsys.readouterr().err
    assert serve_cli(["--model", str(tmp_path), "--max-queue", "0"]) == 2
    assert "--max-queue must be positive" in capsys.readouterr().err


def test_batches_hand_freed_heap_back_on_the_interval(tiny_checkpoint, monkeypatch, reference):
    import indoquote.serve.app as app_module
    import indoquote.serve.heap as heap

    calls = []
    monkeypatch.setattr(heap, "release_free_heap", lambda: calls.append(1) or True)
    for interval, expected in ((1e-9, 2), (0, 0), (3600, 0)):
        calls.clear()
        state = app_module.ServiceState(ServeSettings(model=str(tiny_checkpoint), heap_trim_s=interval),
                                        reference[("direct",)])
        for _ in range(2):
            job = app_module.Job("a", seed()["text"], ("direct",), future=None)
            out = state.run_batch([job])
            assert [r.to_dict() for r in out[0]] == records(reference[("direct",)], seed()["text"])
        assert len(calls) == expected, interval
