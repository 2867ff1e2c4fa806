"""Unlabelled real articles for the linker: which hold an explicit attribution, and none that repeats gold text."""

from __future__ import annotations

from indoquote.data.silver_attributions import attribution_articles, overlapping

GOLD = ("Presiden Joko Widodo meresmikan jalan tol baru di Kabupaten Batang pada Jumat pagi bersama para menteri "
        "dan kepala daerah setempat.")


def test_an_article_that_repeats_a_gold_passage_is_left_out_and_a_common_phrase_is_not():
    arts = [
        ("copy", "Sebelumnya, " + GOLD + " Acara itu meriah."),  # a 12-word passage of the gold
        ("other", "Presiden Joko Widodo meresmikan pasar rakyat di Kota Solo pada Sabtu."),  # a few words only
    ]
    assert overlapping(arts, [GOLD]) == {"copy"}
    assert overlapping(arts, []) == set()


def test_only_articles_with_an_explicit_attribution_are_chosen_at_random():
    arts = [(f"a{k}", f'"Harga naik {k} persen," kata Budi Santoso di Jakarta.') for k in range(6)]
    arts += [("nya", '"Harga naik," katanya.'), ("none", "Harga naik tajam pekan ini."),
             ("lower", '"Harga naik," kata dia.')]
    chosen = attribution_articles(arts)
    assert sorted(a for a, _ in chosen) == [f"a{k}" for k in range(6)]
    assert attribution_articles(arts, limit=3, seed=1) == attribution_articles(arts, limit=3, seed=1)
    assert len(attribution_articles(arts, limit=3)) == 3
    assert attribution_articles(arts, seed=1) != attribution_articles(arts, seed=2)  # the order is drawn
