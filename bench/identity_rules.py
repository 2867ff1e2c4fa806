"""How many quotations and speaker ids each identity rule of issue 30's third round moves, on a tagged archive.

The identity pass (:func:`indoquote.archive.identity_pass.annotate`) is run once with every rule, then once with
each rule switched off in turn (the others on). For each rule the script prints the quotations whose
``speaker_id`` differs, the speaker ids of the archive with and without it, and the name forms of the quotations
it moves (the most frequent). The rules:

- ``titles of address``: ``Buya``, ``Mbah``, ``Ustad``, ``Datuk``... set aside like ``Gus``
  (:data:`~indoquote.archive.speaker_names.TITLES_OF_ADDRESS`);
- ``role openers``: ``Adapun Sekretaris`` read as ``Sekretaris`` (:data:`~indoquote.archive.speaker_names.
  ROLE_OPENERS`);
- ``one expert``: ``ahli``, ``pakar``, ``pengamat`` one role word (:data:`~indoquote.archive.speaker_names.
  EXPERT_WORDS`);
- ``short form on two links``: a short form joins on the links alone only when two articles link it
  (:data:`~indoquote.archive.name_merges.SHORT_FORM_LINKS`; off = one article is enough, as before);
- ``same story``: long names one letter apart join when their articles' titles are on one story
  (:data:`~indoquote.archive.evidence_merges.LONG_VARIANT_CHARS`);
- ``name word in title``: a lone word joins the candidate whose other rare name word the title gives.

and of the fourth round:

- ``generic roles``: a role made only of generic words (``Wakil Ketua``) agrees with nothing
  (:attr:`~indoquote.archive.speaker_names.Profile.specific`; off = any shared role agrees, as before);
- ``shared name word``: a short form that is a word of several people's names joins on links only in a linking
  article (:data:`~indoquote.archive.name_merges.SHARED_WORD_PEOPLE`);
- ``office holder``: an office quotation joins the one person its article quotes with that office as role
  (:mod:`indoquote.archive.office_merges`);
- ``non-names``: ``-nya`` words get no id, a speech verb glued before a name is dropped
  (:func:`~indoquote.archive.speaker_names.is_non_name`, :data:`~indoquote.archive.speaker_names.GLUED_VERBS`).
- ``one id per story``: a lone name nothing settles gets one id per story, not per article
  (:data:`~indoquote.archive.evidence_merges.STORY_MIN`);
- ``same story from 10 letters``: the ``same story`` rule from names of 10 letters, not 15 (off = 15).

and of the fifth round:

- ``office holder in period``: a minister's short title in an article naming no holder joins the one holder the
  archive names within a week (:mod:`indoquote.archive.office_periods`);
- ``office words inside names``: ``Hakim`` of ``Lukman Hakim Saifuddin`` cuts no name
  (:data:`~indoquote.archive.speaker_names.MID_NAME_WORDS`);
- ``another name in the title``: a lone word the title gives beside another person's name word is kept off the
  person (:mod:`indoquote.archive.title_names`);
- ``glued common word``: ``Performa Rossi`` joins the one name holding ``Rossi`` that its articles' titles give
  (:func:`~indoquote.archive.title_names.by_glued_word`);
- ``role with affiliation``: for a lone name word, a role word agrees with the other's affiliation
  (:data:`~indoquote.archive.speaker_names.ROLE_WITH_AFFILIATION`).

    python bench/identity_rules.py quotes/
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from indoquote.archive import evidence_merges, identity, name_merges, speaker_names
from indoquote.archive.identity_pass import annotate
from indoquote.archive.report import load_table


def _full_name_only(k, names, title, ctx):
    return any(len(o.split()) > 1 and f" {o} " in title for o in names)


SWITCHES = {
    "titles of address": [(speaker_names, "HONORIFICS", speaker_names.HONORIFICS - speaker_names.TITLES_OF_ADDRESS)],
    "role openers": [(speaker_names, "ROLE_OPENERS", frozenset())],
    "one expert": [(speaker_names, "EXPERT_WORDS", frozenset())],
    "short form on two links": [(name_merges, "SHORT_FORM_LINKS", 1)],
    "same story": [(evidence_merges, "LONG_VARIANT_CHARS", 10**6)],
    "name word in title": [(evidence_merges, "_named_in_title", _full_name_only)],
    "generic roles": [(speaker_names.Profile, "specific", property(lambda self: self.roles))],
    "shared name word": [(name_merges, "SHARED_WORD_PEOPLE", 10**6)],
    "office holder": [(identity, "office_rows", lambda *a: None)],
    "non-names": [(identity, "is_non_name", lambda key: False), (speaker_names, "GLUED_VERBS", frozenset())],
    "one id per story": [(evidence_merges, "STORY_MIN", 2.0)],
    "same story from 10 letters": [(evidence_merges, "LONG_VARIANT_CHARS", 15)],
    "office holder in period": [(identity, "period_rows", lambda *a: None)],
    "office words inside names": [(speaker_names, "MID_NAME_WORDS", frozenset())],
    "another name in the title": [(identity, "keep_off", lambda *a: {})],
    "glued common word": [(identity, "by_glued_word", lambda *a: None)],
    "role with affiliation": [(speaker_names, "ROLE_WITH_AFFILIATION", False)],
}


@contextmanager
def switched_off(rule: str):
    saved = [(mod, name, getattr(mod, name)) for mod, name, _ in SWITCHES[rule]]
    try:
        for mod, name, value in SWITCHES[rule]:
            setattr(mod, name, value)
        yield
    finally:
        for mod, name, value in saved:
            setattr(mod, name, value)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="an indoquote predict output directory")
    p.add_argument("--forms", type=int, default=8, help="name forms listed per rule")
    p.add_argument("--rule", action="append", choices=sorted(SWITCHES), help="only these rules (default: all)")
    args = p.parse_args(argv)
    df = load_table(args.out)
    df = df[df["quote_index"].notna()].reset_index(drop=True)
    base, _ = annotate(df)
    ids = base["speaker_id"]
    print(f"all rules: {ids.nunique():,} speaker ids over {ids.notna().sum():,} quotations\n")
    print("| rule switched off | quotations moved | speaker ids without it | name forms moved (quotations) |")
    print("|---|---:|---:|---|")
    for rule in args.rule or SWITCHES:
        with switched_off(rule):
            other, _ = annotate(df)
        moved = ids.fillna("") != other["speaker_id"].fillna("")
        forms = Counter(df.loc[moved, "speaker"])
        listed = ", ".join(f"{f} ({n})" for f, n in forms.most_common(args.forms))
        print(f"| {rule} | {int(moved.sum()):,} | {other['speaker_id'].nunique():,} | {listed or '-'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
