"""A minister's short title quoted in an article that names no holder joins the one holder the archive names within
a week of its date (``indoquote.archive.office_periods``); two holders in that week, a foreign namesake's office or
a former holder leave the office its id."""

from __future__ import annotations

import pandas as pd
import pytest

from indoquote.archive.identity import resolve_speakers
from indoquote.archive.identity_pass import EVIDENCE
from indoquote.archive.office_periods import PERIOD_DAYS, day, names_in_role, one_holder_office
from indoquote.archive.speaker_names import Profile

COLUMNS = ("article_id", "speaker", "speaker_forms", "role", "affiliation", "quote", "title", "date")
AWARD = "Penghargaan ini untuk atlet berprestasi, mantan atlet, wasit dan pembina olahraga"
KPK = "Saya menyerahkan surat pengunduran diri agar bisa berkonsentrasi menghadapi kasus saya"
HAORNAS = "Kemenpora Beri Penghargaan kepada Atlet Berprestasi"


def rows(*items: tuple) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, it)) for it in items], columns=list(COLUMNS))


def profile(role: str | None, aff: str | None = None) -> Profile:
    p = Profile()
    p.add(role, aff)
    return p


def test_only_a_ministers_short_title_is_an_office_of_one_holder():
    assert one_holder_office("menpora") and one_holder_office("menag") and one_holder_office("menkominfo")
    assert one_holder_office("wapres") and one_holder_office("wamenlu")
    for office in ("menteri", "kapolres", "jaksa", "hakim", "presiden", "sekjen", "imam nahrawi", "menteri agama"):
        assert not one_holder_office(office), office


def test_a_role_names_the_office_with_its_affiliation_but_not_abroad_or_as_a_former_one():
    assert names_in_role(profile("Menteri Pemuda dan Olahraga"), "menpora")
    assert names_in_role(profile("Menteri", "Perindustrian (Menperin)"), "menperin")
    assert names_in_role(profile("Menteri Agama Republik Indonesia"), "menag")
    assert not names_in_role(profile("Menteri Pemuda dan Olahraga Malaysia"), "menpora")
    assert not names_in_role(profile("Mantan Menpora"), "menpora")
    assert not names_in_role(profile("Menteri", "Perhubungan"), "menperin")


def test_dates_are_read_or_left_unknown():
    assert str(day("2019-09-10")) == "2019-09-10" and str(day(pd.Timestamp("2019-09-10 08:00"))) == "2019-09-10"
    assert day(None) is None and day(float("nan")) is None and day("kemarin") is None


def test_an_office_no_article_names_joins_the_one_holder_the_archive_names_that_week():
    df = rows(
        ("a1", "Imam Nahrawi", None, "Menteri Pemuda dan Olahraga", None, KPK, "Imam di Asian Games", "2019-09-08"),
        ("a2", "Menpora", None, None, None, AWARD, HAORNAS, "2019-09-10"),
        ("a3", "Menpora", None, None, None, AWARD, HAORNAS, "2019-09-30"),  # three weeks later: no evidence
    )
    result = resolve_speakers(df)
    assert result.row_ids.tolist() == ["imam-nahrawi", "imam-nahrawi", "menpora"]
    (merge,) = [m for m in result.merges if m.form == "Menpora"]
    assert merge.evidence == "office holder in period" and "2019-09-10" in merge.detail
    assert "office holder in period" in EVIDENCE


def test_an_office_that_changes_hands_within_the_week_keeps_its_id():
    df = rows(
        ("a1", "Imam Nahrawi", None, "Menpora", None, KPK, "Imam Nahrawi Tersangka", "2019-09-18"),
        ("a2", "Hanif Dhakiri", None, "Plt Menpora", None, AWARD, "Hanif Plt Menpora", "2019-09-20"),
        ("a3", "Menpora", None, None, None, AWARD, HAORNAS, "2019-09-21"),
        ("a4", "Menpora", None, None, None, AWARD, HAORNAS, "2019-09-26"),  # only Hanif within a week
    )
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[2] == "menpora" and ids[3] == "hanif-dhakiri"


def test_a_former_holder_and_another_countrys_minister_are_no_holders():
    df = rows(
        ("a1", "Imam Nahrawi", None, "Menpora", None, KPK, "Imam Nahrawi Tersangka", "2019-09-10"),
        ("a2", "Imam Nahrawi", None, "Mantan Menpora", None, KPK, "Imam Nahrawi Ditahan", "2019-09-20"),
        ("a3", "Menpora", None, None, None, AWARD, HAORNAS, "2019-09-12"),
        ("a4", "Menpora", None, None, None, AWARD, HAORNAS, "2019-09-21"),  # he is a former Menpora by then
        ("b1", "Syed Saddiq", None, "Menteri Pemuda dan Olahraga", None, AWARD, "Menpora Malaysia: Maaf", "2019-09-12"),
    )
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[2] == "imam-nahrawi"  # Syed Saddiq is Malaysia's (the title says so)
    assert ids[3] == "menpora"


def test_an_office_of_many_holders_or_without_dates_keeps_its_id():
    df = rows(
        ("a1", "Hendri Fiuser", None, "Kapolres Bogor", None, KPK, "Polres Bogor", "2019-09-10"),
        ("a2", "Kapolres", None, None, None, AWARD, "Polisi Tangkap Pencuri", "2019-09-10"),
    )
    assert resolve_speakers(df).row_ids.tolist()[1] == "kapolres"
    undated = rows(
        ("a1", "Imam Nahrawi", None, "Menpora", None, KPK, "Imam Nahrawi Tersangka", None),
        ("a2", "Menpora", None, None, None, AWARD, HAORNAS, None),
    )
    assert resolve_speakers(undated).row_ids.tolist()[1] == "menpora"
    assert resolve_speakers(undated.drop(columns="date")).row_ids.tolist()[1] == "menpora"


@pytest.mark.parametrize("days, joined", [(PERIOD_DAYS, True), (PERIOD_DAYS + 1, False)])
def test_the_window_is_a_week_either_side(days, joined):
    when = (pd.Timestamp("2019-09-10") + pd.Timedelta(days=days)).date().isoformat()
    df = rows(
        ("a1", "Budi Karya", None, "Menteri Perhubungan", None, KPK, "Budi Karya Resmikan Bandara", "2019-09-10"),
        ("a2", "Menhub", None, None, None, AWARD, "Jalan Tol Baru", when),
    )
    assert (resolve_speakers(df).row_ids.tolist()[1] == "budi-karya") is joined
