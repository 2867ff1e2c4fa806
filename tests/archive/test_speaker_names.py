"""Names and roles as the identity pass compares them (``indoquote.archive.speaker_names``): titles of address set
aside like ``Gus``, sentence openers read into a role dropped, one word for a legal expert."""

from __future__ import annotations

from indoquote.archive.speaker_names import HONORIFICS, NICKNAME_HONORIFICS, ROLE_OPENERS, Profile, canon


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
    assert profile("Adapun Sekretaris").conflicts(profile("Pelatih"))


def test_pakar_ahli_and_pengamat_at_the_start_of_a_role_are_one_expert():
    assert profile("Pakar hukum").agrees(profile("ahli, hukum")) == "pakar"
    assert profile("Pengamat hukum").agrees(profile("Pakar hukum pidana"))
    assert profile("Staf Ahli Menteri").roles == {"staf ahli menteri"}  # not an expert of that kind
