"""Names and roles as the identity pass compares them (``indoquote.archive.speaker_names``): titles of address set
aside like ``Gus``, sentence openers read into a role dropped, one word for a legal expert, generic roles no
agreement, tagger-made names cleaned."""

from __future__ import annotations

from indoquote.archive.speaker_names import (
    GLUED_VERBS,
    HONORIFICS,
    NICKNAME_HONORIFICS,
    ROLE_OPENERS,
    Profile,
    canon,
    is_non_name,
    person_like,
)


def profile(role: str | None, aff: str | None = None) -> Profile:
    p = Profile()
    p.add(role, aff)
    return p


def test_religious_and_regional_titles_are_set_aside_like_gus():
    assert canon("Buya Syafii") == "syafii" and canon("Buya Ahmad Syafii Maarif") == "ahmad syafii maarif"
    assert canon("Mbah Moen") == "moen" and canon("Ustad Yusuf Mansur") == canon("Ustaz Yusuf Mansur")
    assert canon("Datuk Hamidin") == "hamidin" and canon("Romo Magnis") == "magnis"
    assert canon("Buya") == "buya"  # a name never becomes empty
    # a word of address that is also a surname is kept; noble titles written as part of a name stay in it
    assert canon("Kang Daniel") == "kang daniel" and canon("Teuku Wisnu") == "teuku wisnu"
    assert not HONORIFICS & NICKNAME_HONORIFICS


def test_a_sentence_opener_at_the_start_of_a_role_is_dropped():
    """``Adapun Sekretaris`` ("as for the Secretary") is the role ``Sekretaris``: no conflict with it."""
    assert profile("Adapun Sekretaris").roles == {"sekretaris"}
    assert not profile("Adapun Sekretaris").conflicts(profile("Sekretaris"))
    assert profile("Sementara itu Kepala Dinas, Menurut").roles == {"kepala dinas"}
    assert profile("Menurut").roles == set()
    assert not ROLE_OPENERS & {"ketua", "kepala", "menteri", "sekretaris", "direktur"}
    # openers are dropped at the start only, and roles that differ still conflict
    assert profile("Adapun Sekretaris Daerah").conflicts(profile("Pelatih"))


def test_pakar_ahli_and_pengamat_at_the_start_of_a_role_are_one_expert():
    assert profile("Pakar hukum").agrees(profile("ahli, hukum")) == "pakar"
    assert profile("Pengamat hukum").agrees(profile("Pakar hukum pidana"))
    assert profile("Staf Ahli Menteri").roles == {"staf ahli menteri"}  # not an expert of that kind


def test_a_role_made_only_of_generic_words_is_no_agreement_for_a_lone_name():
    """``Wakil Ketua`` is held in every DPRD, party and commission: a lone ``Syarif`` called that is not thereby the
    Wakil Ketua of the KPK."""
    assert profile("Wakil Ketua").specific == set() and profile("Wakil Ketua KPK").specific == {"wakil ketua kpk"}
    assert profile("Wakil Ketua").agrees(profile("Wakil Ketua")) == "wakil ketua"  # names nearly alike: as before
    assert profile("Wakil Ketua").agrees(profile("Wakil Ketua"), specific=True) is None
    assert profile("Direktur").agrees(profile("Direktur, Ketua"), specific=True) is None
    assert profile("Wakil Ketua KPK").agrees(profile("Wakil Ketua KPK"), specific=True) == "wakil ketua kpk"
    assert profile("Ketua", "KPK").agrees(profile("Ketua", "KPK"), specific=True) == "kpk"  # the affiliation agrees


def test_a_speech_verb_glued_before_a_name_is_dropped():
    """``..., sambung Darmin`` read by the tagger as the name ``Sambung Darmin``."""
    assert canon("Sambung Darmin") == "darmin" and canon("Lanjut Moeldoko") == "moeldoko"
    assert canon("Kata Pak Jokowi") == "jokowi"
    assert canon("Tanya Dewi") == "tanya dewi"  # ``Tanya`` is also a given name
    assert canon("Tambah") == "tambah"  # a name never becomes empty
    assert "sambung" in GLUED_VERBS and "tanya" not in GLUED_VERBS


def test_a_long_word_ending_in_nya_is_no_name():
    """``Kemarahannya`` ("her anger"), ``Dirinya`` ("himself"): words the tagger read as a speaker."""
    assert is_non_name(canon("Kemarahannya")) and is_non_name("dirinya") and is_non_name("instagramnya")
    assert not is_non_name("sonya") and not is_non_name("tanya") and not is_non_name("vanya")
    assert not is_non_name("dirinya santoso") and not is_non_name("kemarahan")


def test_a_role_made_only_of_generic_words_conflicts_with_nothing():
    """``Anggota`` beside ``Anggota Komisi III``, or ``Sekretaris`` beside ``Pelatih``: too little to keep two
    forms apart, as it is too little to join them."""
    assert not profile("Anggota").conflicts(profile("Anggota Komisi III"))
    assert not profile("Sekretaris").conflicts(profile("Pelatih"))
    assert profile("Ketua DPR").conflicts(profile("Ketua KPK")) and profile("Menteri Keuangan").conflicts(
        profile("Pelatih"))


def test_an_office_word_inside_a_name_cuts_nothing():
    """``Hakim`` of ``Lukman Hakim Saifuddin`` is a name word; at the start or after an office it is the office."""
    assert canon("Lukman Hakim Saifuddin") == "lukman hakim saifuddin"
    assert canon("Gandjar Laksamana Bonaprapta") == "gandjar laksamana bonaprapta"
    assert canon("Majelis Hakim Sutrisno") == "sutrisno" and canon("Hakim Sutrisno") == "sutrisno"
    assert canon("Direktur Utama Budi Santoso") == "budi santoso"
    assert person_like(["lukman"], ["lukman", "hakim", "saifuddin"])
    assert not person_like(["joko", "widodo"], ["kabinet", "joko", "widodo"])


def test_for_a_lone_word_a_role_word_agrees_with_the_others_affiliation():
    """``Kepala Bappenas`` is the ``Kepala`` of ``Bappenas``: the tagger split one title between role and
    affiliation."""
    row, person = profile("Kepala Bappenas"), profile("Kepala", "Bappenas")
    assert row.agrees(person, specific=True) == "bappenas"
    assert row.agrees(profile("Kepala", "BBWSCC"), specific=True) is None
    assert row.agrees(person) is None  # only for a lone word: two full names need more
