"""The Label Studio labelling interface for quote-level gold, and the names the tasks use in it.

Spans are labels on the article text: a direct quotation (marks included), the content of
indirect speech, the cue, the speaker mention, role and affiliation. A quotation is tied to its
cue and its speaker mention by relations (``cue``, ``speaker``, drawn from the quotation). The
fields of ``docs/annotation-format.md`` that are no span of the text (the speaker's fullest name,
role, affiliation, a note) are text boxes on the selected quotation (``perRegion``).
"""

from __future__ import annotations

FROM_LABELS = "label"
TO_TEXT = "text"
QUOTE_FIELDS = ("speaker", "role", "affiliation", "note")
"""Per-quotation text boxes, in the order of the gold record."""

DIRECT, INDIRECT, CUE, SPEAKER, ROLE, AFFILIATION = "Quotation", "Indirect", "Cue", "Speaker", "Role", "Affiliation"
LABELS = {DIRECT: "#e15759", INDIRECT: "#f28e2b", CUE: "#4e79a7", SPEAKER: "#59a14f", ROLE: "#b07aa1",
          AFFILIATION: "#9c755f"}
"""Span labels and their colours (distinct for colour-blind readers: Tableau 10)."""
KIND_OF = {DIRECT: "direct", INDIRECT: "indirect"}
LABEL_OF_KIND = {v: k for k, v in KIND_OF.items()}
REL_CUE, REL_SPEAKER = "cue", "speaker"

_HOTKEYS = {DIRECT: "q", INDIRECT: "i", CUE: "c", SPEAKER: "s", ROLE: "r", AFFILIATION: "a"}
_HINTS = {"speaker": "speaker's fullest name in the article", "role": "role / title as written",
          "affiliation": "organisation as written", "note": "hard case? say why"}


def label_config() -> str:
    """The ``<View>`` XML of the project (``indoquote annotate export`` writes it beside the tasks)."""
    labels = "\n".join(
        f'    <Label value="{name}" background="{colour}" hotkey="{_HOTKEYS[name]}"/>'
        for name, colour in LABELS.items()
    )
    boxes = "\n".join(
        f'    <Header value="{field}" size="6"/>\n'
        f'    <TextArea name="{field}" toName="{TO_TEXT}" perRegion="true" editable="true" maxSubmissions="1"'
        f' rows="1" placeholder="{_HINTS[field]}"/>'
        for field in QUOTE_FIELDS
    )
    quotes = ",".join(KIND_OF)
    return f"""<View>
  <Header value="$id"/>
  <Labels name="{FROM_LABELS}" toName="{TO_TEXT}">
{labels}
  </Labels>
  <Relations>
    <Relation value="{REL_SPEAKER}"/>
    <Relation value="{REL_CUE}"/>
  </Relations>
  <Text name="{TO_TEXT}" value="$text"/>
  <View visibleWhen="region-selected" whenTagName="{FROM_LABELS}" whenLabelValue="{quotes}">
{boxes}
  </View>
</View>
"""
