"""The one table renderer."""

from indoquote.tables import render_table, rule


def test_terminal_and_markdown():
    rows = [["STATEMENT", 95.123, 12], ["micro", None, 1234]]
    text = render_table(["label", "F1", "n"], rows).splitlines()
    assert text[0].split() == ["label", "F1", "n"] and text[2].split() == ["STATEMENT", "95.12", "12"]
    assert text[3].split() == ["micro", "1234"]  # None is blank
    md = render_table(["label", "F1", "n"], rows, markdown=True, thousands=True).splitlines()
    assert md[1] == "|---|---:|---:|" and md[3] == "| micro |  | 1,234 |"
    assert rule("x", 9) == "=== x ==="
