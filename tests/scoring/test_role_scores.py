"""Role and affiliation scores of speaker-right quotations (issue #33)."""

from __future__ import annotations

import pytest

from indoquote.data.gold import GoldArticle, Quote
from indoquote.scoring.role_scores import exact_match, normalise_title, score_titles, title_errors, token_f1

TEXT = '"Kami siap berdialog dengan Rusia," kata Sekjen NATO Jens Stoltenberg. "Kami waspada terhadap Rusia," ujarnya.'


def test_normalising_casefolds_collapses_space_and_strips_edge_punctuation():
    assert normalise_title("  Sekjen ,") == "sekjen"
    assert normalise_title("Menteri\n  Keuangan") == "menteri keuangan"
    assert normalise_title("(DEN)") == "den" and normalise_title(" , ") is None and normalise_title(None) is None
    assert exact_match("Ketua  DPR RI.", "ketua dpr ri") and not exact_match("Ketua", "Ketua DPR RI")


@pytest.mark.parametrize(("gold", "pred", "f1"), [
    (None, None, 1.0),  # the article gives no role and none was invented
    ("Kapolres", None, 0.0),
    (None, "Bahkan", 0.0),
    ("Kapolres Sarolangun", "Kapolres", 2 / 3),
    ("Menteri Koordinator Bidang Perekonomian", "Perekonomian", 0.4),
    ("Menteri Keuangan", "menteri keuangan,", 1.0),
])
def test_token_f1(gold, pred, f1):
    assert token_f1(gold, pred) == pytest.approx(f1)


def article() -> GoldArticle:
    quotes = [Quote("direct", 0, 35, "Jens Stoltenberg", role="Sekjen", affiliation="NATO"),
              Quote("direct", 71, 102, "Jens Stoltenberg", role="Sekjen", affiliation="NATO")]
    return GoldArticle("a1", TEXT, "ANTARA", quotes)


def test_only_speaker_right_quotations_are_scored_per_outlet():
    pred = {"a1": [Quote("direct", 0, 35, "Stoltenberg", role="Sekjen", affiliation=None),
                   Quote("direct", 71, 102, "Sekjen NATO", role="Sekjen", affiliation="NATO")]}  # wrong speaker
    s = score_titles([article()], pred)
    assert s["all"]["speaker_right"] == 1 and s["outlets"]["ANTARA"]["speaker_right"] == 1
    assert (s["all"]["role_exact"], s["all"]["role_f1_ok"]) == (100.0, 100.0)
    assert (s["all"]["affiliation_exact"], s["all"]["affiliation_f1_ok"], s["all"]["affiliation_pred_null_n"]) == (
        0.0, 0.0, 1)
    [miss] = title_errors([article()], pred)
    assert miss["gold_affiliation"] == "NATO" and miss["pred_affiliation"] is None


def test_partly_right_roles_count_for_f1_not_for_exact():
    pred = {"a1": [Quote("direct", 0, 35, "Jens Stoltenberg", role="Sekjen NATO", affiliation="NATO"),
                   Quote("direct", 71, 102, "Jens Stoltenberg", role="Bahkan", affiliation="NATO")]}
    s = score_titles([article()], pred)["all"]
    assert s["speaker_right"] == 2 and s["role_exact"] == 0.0 and s["role_f1_ok"] == 50.0
    assert s["affiliation_exact"] == 100.0 and s["role_mean_f1"] == pytest.approx(100 * (2 / 3) / 2, abs=0.01)
    nothing = score_titles([article()], {})["all"]  # no quotation found: nothing judged, no division by zero
    assert (nothing["speaker_right"], nothing["role_exact"]) == (0, 0.0)
