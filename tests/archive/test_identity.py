"""Archive-wide speaker identity: merges on evidence only, homonyms apart, the alias table first, every merge
explained."""

from __future__ import annotations

import pandas as pd
import pytest

from indoquote.archive.alias_table import AliasEntry, AliasError, read_aliases
from indoquote.archive.identity import resolve_speakers
from indoquote.archive.name_merges import EVIDENCE
from indoquote.archive.speaker_names import Profile, canon

COLUMNS = ("article_id", "speaker", "speaker_forms", "role", "affiliation")


def rows(*items: tuple) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, it)) for it in items], columns=list(COLUMNS))


def ids_of(df: pd.DataFrame, aliases=()) -> list:
    return resolve_speakers(df, aliases).row_ids.tolist()


def test_canon_sets_aside_case_accents_honorifics_ranks_and_degrees():
    assert canon("Ir. H. Joko Widodo") == canon("JOKO  WIDODO") == "joko widodo"
    assert canon("Prof. Dr. Sri Mulyani Indrawati, S.E., M.Sc.") == "sri mulyani indrawati"
    assert canon("AKBP Agus Widodo") == "agus widodo" and canon("Ma’ruf Amin") == canon("Ma'ruf Amin") == "maruf amin"
    assert canon("Dr.") == "dr"  # a name never becomes empty


def test_an_article_alias_joins_the_name_across_articles():
    df = rows(
        ("a1", "Joko Widodo", "Joko Widodo | Jokowi", "Presiden", None),  # `Joko Widodo (Jokowi)` in one article
        ("a2", "Jokowi", "Jokowi", None, None),
        ("a3", "Jokowi", "Jokowi", None, None),
    )
    result = resolve_speakers(df)
    assert len(set(result.row_ids)) == 1 == len(result.people)
    person = result.people.iloc[0]
    assert person["name"] == "Joko Widodo" and person["quotations"] == 3 and "Jokowi" in person["forms"]
    (merge,) = result.merges
    assert (merge.form, merge.evidence, merge.quotations) == ("Jokowi", "article alias", 2) and "a1" in merge.detail


def test_without_an_article_linking_them_an_alias_stays_apart():
    df = rows(("a1", "Joko Widodo", "Joko Widodo", "Presiden", None), ("a2", "Jokowi", "Jokowi", "Presiden", None))
    assert len(set(ids_of(df))) == 2


def test_the_same_full_name_with_titles_or_initials_is_one_person():
    df = rows(
        ("a1", "Joko Widodo", None, "Presiden", None),
        ("a2", "Ir. H. Joko Widodo", None, None, None),
        ("a3", "Muhammad Tito Karnavian", None, "Mendagri", None),
        ("a4", "M. Tito Karnavian", None, None, None),
    )
    ids = ids_of(df)
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]
    merges = {m.form: m.evidence for m in resolve_speakers(df).merges}
    assert merges["M. Tito Karnavian"] == "initials" and merges["Ir. H. Joko Widodo"] == "same name"


def test_people_sharing_a_surname_with_different_roles_stay_two():
    df = rows(
        ("a1", "Joko Widodo", "Joko Widodo", "Presiden", None),
        ("a2", "Agus Widodo", "Agus Widodo", "Kapolres Bogor", "Polres Bogor"),
        ("a3", "Widodo", "Widodo", "Kapolres", None),  # the Kapolres: Agus, by role
        ("a4", "Widodo", "Widodo", None, None),  # nothing tells which Widodo: neither
        ("a5", "Widodo", "Widodo", "Presiden", None),  # the Presiden: Joko
    )
    result = resolve_speakers(df)
    ids = result.row_ids.tolist()
    assert ids[0] != ids[1]
    assert ids[2] == ids[1] and ids[4] == ids[0]
    assert ids[3] not in (ids[0], ids[1])
    assert result.people.set_index("speaker_id").loc[ids[3], "ambiguous"]
    assert {m.evidence for m in result.merges if m.form == "Widodo"} == {"short form, by role"}


def test_a_surname_linked_to_two_people_in_articles_is_not_merged_as_a_form():
    df = rows(
        ("a1", "Joko Widodo", "Joko Widodo | Widodo", "Presiden", None),
        ("a2", "Agus Widodo", "Agus Widodo | Widodo", "Kapolres", None),
        ("a3", "Widodo", "Widodo", None, None),
    )
    ids = ids_of(df)
    assert len(set(ids)) == 3


def test_fuzzy_spellings_merge_only_where_the_role_agrees():
    same_role = rows(
        ("a1", "Syafrin Liputo", None, "Kepala Dinas Perhubungan", "Pemprov DKI"),
        ("a2", "Syafrin Lipoto", None, "Kepala Dinas Perhubungan", None),
    )
    assert len(set(ids_of(same_role))) == 1
    assert resolve_speakers(same_role).merges[0].evidence == "similar spelling"
    other_role = rows(
        ("a1", "Syafrin Liputo", None, "Kepala Dinas Perhubungan", None),
        ("a2", "Syafrin Lipoto", None, "Pelatih", "Persija"),
    )
    no_role = rows(("a1", "Syafrin Liputo", None, None, None), ("a2", "Syafrin Lipoto", None, None, None))
    assert len(set(ids_of(other_role))) == 2 and len(set(ids_of(no_role))) == 2


def test_a_shorter_form_of_one_longer_name_joins_it_unless_the_roles_disagree():
    df = rows(
        ("a1", "Sri Mulyani Indrawati", None, "Menteri Keuangan", None), ("a2", "Sri Mulyani", None, "Menkeu", None)
    )
    assert len(set(ids_of(df))) == 1  # Menkeu is Menteri Keuangan
    clash = rows(
        ("a1", "Budi Gunawan Sadikin", None, "Menteri Kesehatan", None),
        ("a2", "Budi Gunawan", None, "Kepala BIN", "BIN"),
    )
    assert len(set(ids_of(clash))) == 2


def test_the_alias_table_wins_over_inference_and_keeps_its_ids():
    df = rows(
        ("a1", "Joko Widodo", "Joko Widodo | Jokowi", "Presiden", None),
        ("a2", "Jokowi", "Jokowi", None, None),
        ("a3", "Pak Jokowi", None, None, None),
        ("a4", "Basuki Tjahaja Purnama", None, "Komut Pertamina", None),
        ("a5", "Ahok", None, None, None),
    )
    table = [
        AliasEntry("Q3209", "Joko Widodo", ("Jokowi",)),
        AliasEntry("Q1046", "Basuki Tjahaja Purnama", ("Ahok", "BTP")),
    ]
    result = resolve_speakers(df, table)
    ids = result.row_ids.tolist()
    assert ids[0] == ids[1] == ids[2] and ids[3] == ids[4] != ids[0]  # Ahok: no article links them, the table does
    people = result.people.set_index("speaker_id")
    assert people.loc[ids[0], "speaker_qid"] == "Q3209" and people.loc[ids[3], "speaker_qid"] == "Q1046"
    assert people.loc[ids[3], "name"] == "Basuki Tjahaja Purnama"
    # an article links Jokowi to Joko Widodo; a table that says they are two people wins
    apart = [AliasEntry("Q1", "Joko Widodo", ()), AliasEntry("Q2", "Jokowi", ())]
    ids = ids_of(df.iloc[:2], apart)
    assert ids[0] != ids[1]


def test_read_aliases_and_its_errors(tmp_path):
    good = tmp_path / "aliases.csv"
    good.write_text(
        "id,name,aliases\nQ3209,Joko Widodo,Jokowi|Pak Jokowi\nQ1046,Basuki Tjahaja Purnama,Ahok;BTP\n",
        encoding="utf-8",
    )
    entries = read_aliases(good)
    assert entries[0] == AliasEntry("Q3209", "Joko Widodo", ("Jokowi", "Pak Jokowi")) and entries[1].aliases == (
        "Ahok",
        "BTP",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,aliases\nQ1,Joko Widodo,\n,Sri Mulyani,\n", encoding="utf-8")
    with pytest.raises(AliasError, match=r"bad.csv: line 3: empty id"):
        read_aliases(bad)
    header = tmp_path / "header.csv"
    header.write_text("qid,label\nQ1,x\n", encoding="utf-8")
    with pytest.raises(AliasError, match=r"line 1: the header lacks id, name"):
        read_aliases(header)
    with pytest.raises(AliasError, match="cannot read"):
        read_aliases(tmp_path / "missing.csv")


def test_every_merged_form_is_explained():
    df = rows(
        ("a1", "Joko Widodo", "Joko Widodo | Jokowi", "Presiden", None),
        ("a2", "Jokowi", None, None, None),
        ("a3", "Ir. Joko Widodo", None, None, None),
        ("a4", "Sri Mulyani Indrawati", None, "Menteri Keuangan", None),
        ("a5", "Sri Mulyani", None, None, None),
    )
    result = resolve_speakers(df)
    explained = {(m.speaker_id, m.form) for m in result.merges}
    assert all(m.evidence in EVIDENCE for m in result.merges)
    for sid, group in df.assign(sid=result.row_ids).groupby("sid"):
        name = result.people.set_index("speaker_id").loc[sid, "name"]
        assert {(sid, s) for s in group["speaker"] if s != name} <= explained


def test_profiles_agree_on_roles_affiliations_and_specific_words_not_on_ranks_or_generic_words():
    a, b, c = Profile(), Profile(), Profile()
    a.add("Ketua DPR", "AKBP")
    b.add("Ketua KPK", "AKBP")
    c.add("Menkeu", None)
    assert a.agrees(b) is None and a.conflicts(b)  # "ketua" and a rank are no evidence
    d = Profile()
    d.add("Menteri Keuangan", None)
    assert c.agrees(d) == "menteri keuangan" and not Profile().conflicts(a)


def test_initials_of_several_names_go_to_the_one_whose_role_agrees():
    df = rows(
        ("a1", "Muhammad Nasir", None, "Kasubdit Gakkum", "Polda Metro Jaya"),
        ("a2", "Mohamad Nasir", None, "Menristekdikti", None),
        ("a3", "M Nasir", None, "Kasubdit", None),
    )
    ids = ids_of(df)
    assert ids[2] == ids[0] != ids[1]


def test_a_nickname_of_one_person_spelled_two_ways_stays_one_id():
    df = rows(
        ("a1", "Edhie Baskoro Yudhoyono", "Edhie Baskoro Yudhoyono | Ibas", None, None),
        ("a2", "Eddy Baskoro Yudhoyono", "Eddy Baskoro Yudhoyono | Ibas", None, None),
        ("a3", "Ibas", None, None, None),
        ("a4", "Ibas", None, None, None),
        ("a5", "Bambang Brodjonegoro", None, "Kepala Bappenas", None),
        ("a6", "Bambang Haryo", None, "Anggota DPR", None),
        ("a7", "Bambang", None, None, None),
        ("a8", "Bambang", None, None, None),
    )
    result = resolve_speakers(df)
    ids = result.row_ids.tolist()
    assert ids[2] == ids[3] and ids[6] != ids[7]  # Ibas is one person; two unresolved Bambangs are not
    people = result.people.set_index("speaker_id")
    assert not people.loc[ids[2], "ambiguous"] and people.loc[ids[6], "ambiguous"] and people.loc[ids[7], "ambiguous"]


def test_a_word_the_tagger_read_as_a_name_gets_no_id_and_a_glued_verb_is_dropped():
    """``Kemarahannya`` ("her anger") is no one; ``Sambung Darmin`` (``..., sambung Darmin``) is Darmin."""
    df = rows(
        ("a1", "Melanie Subono", None, "Penyanyi", None),
        ("a1", "Kemarahannya", None, None, None),
        ("a2", "Darmin Nasution", "Darmin Nasution | Darmin", "Menko Perekonomian", None),
        ("a3", "Sambung Darmin", None, "Menko Perekonomian", None),
    )
    assert ids_of(df) == ["melanie-subono", None, "darmin-nasution", "darmin-nasution"]
