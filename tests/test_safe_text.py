"""``indoquote.safe_text``: no cell a spreadsheet runs, no HTML or link a Markdown viewer renders."""

from __future__ import annotations

import io

from indoquote.safe_text import csv_cell, csv_writer, md_code, md_text


def test_csv_cell():
    cells = ("=1+1", "-x", " =1", "ok", "", None, -3, 2.5)
    assert [csv_cell(v) for v in cells] == ["'=1+1", "'-x", "' =1", "ok", "", "", -3, 2.5]
    buf = io.StringIO()
    csv_writer(buf).writerows([["@a", 1], ["b", "+c"]])
    assert buf.getvalue() == "'@a,1\r\n" + "b,'+c\r\n"


def test_markdown_shows_html_and_link_syntax_as_text():
    assert md_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert md_text("[klik](javascript:alert(1))") == "\\[klik\\](javascript:alert(1))"
    assert md_text("a|b\nc") == "a\\|b c"
    assert md_code("x`y") == "`` x`y ``" and md_code("plain") == "`plain`"
