"""HTML "Excel" .xls: white space folded column by column (exactly ``" ".join(text.split())`` of every
cell), cells taken without per-cell XPath, and the HTML limits found without a case-insensitive regex
scan over the whole page — the same table and the same refusals as before."""
from __future__ import annotations

import pytest

from metrics import limits
from metrics.errors import DataError
from metrics.importers import guards, htmltable


def test_fold_column_is_str_split_join_for_every_kind_of_white_space():
    cells = ["a", " a", "a ", "a  b", "a\tb", "a\u00a0b", "a\u3000", "", " ", "a b c", "\n", "x\x1cy",
             "a\u2028b", "é b", "Иван\u202fПетров", "\u0085z"]
    assert htmltable.fold_column(cells).to_pylist() == [" ".join(c.split()) for c in cells]
    assert htmltable.fold_column(cells).to_pylist()[:6] == ["a", "a", "a", "a b", "a b", "a b"]


def test_cells_with_children_breaks_comments_and_spans():
    page = ("<html><body><p>title</p><table>"
            "<tr><TH>ID</TH><th>Name</th><th>Note</th></tr>"
            "<tr><td>1</td><td>Иван&nbsp;&nbsp;Петров</td><td>line<br>break</td></tr>"
            "<tr><td>2</td><td><b>bold</b>  tail </td><td>a <!-- hidden --> b</td></tr>"
            "<tr><td colspan=2>total</td><td>\t9 </td></tr>"
            "</table></body></html>").encode("utf-8")
    raw = htmltable.read_html_table("deals.xls", page)
    assert raw.headers == ["ID", "Name", "Note"] and raw.fmt == "html" and raw.encoding == "utf-8"
    assert raw.frame.values.tolist() == [["1", "Иван Петров", "line break"], ["2", "bold tail", "a b"],
                                        ["total", "", "9"]]
    assert str(raw.frame.dtypes.iloc[0]) == "string[pyarrow]"


def test_a_fragment_and_a_page_without_table():
    page = b"<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table>"
    raw = htmltable.read_html_table("t.xls", page)
    assert raw.frame.values.tolist() == [["1", "2"]]
    assert htmltable.read_html_table("t.xls", b"<html><body><p>no table</p></body></html>") is None


def test_html_limits_are_found_as_before():
    lim = limits.Limits(max_html_depth=2, max_span=100)
    with pytest.raises(DataError) as e:
        guards.check_html("x.xls", "<TABLE><tr><td><Table><tr><td><table>x</table></td></tr></Table></td></tr>"
                          "</TABLE>", lim)
    assert (e.value.code, e.value.params["column"], e.value.params["value"]) == ("html_too_complex", "nesting", 3)
    # siblings (depth 1) and tags that are not tables
    guards.check_html("x.xls", "<table></table><TABLE></TABLE><table></table><tablex><table-x>", lim)
    with pytest.raises(DataError) as e:
        guards.check_html("x.xls", "<table><tr><td ROWSPAN = '500'>x</td></tr></table>", lim)
    assert (e.value.params["column"], e.value.params["value"]) == ("rowspan", 500)
    with pytest.raises(DataError) as e:   # "ſ" matches "s" ignoring case: still a span
        guards.check_html("x.xls", "<table><tr><td colſpan=300>x</td></tr></table>", lim)
    assert (e.value.params["column"], e.value.params["value"]) == ("colspan", 300)
    # a page whose lower-casing changes its length (İ) takes the pattern over the text itself
    with pytest.raises(DataError) as e:
        guards.check_html("x.xls", "İ<table><table><table>", lim)
    assert e.value.params["value"] == 3
    tags = guards.table_tags("a<TaBlE\n></table >", "a<table\n></table >")
    assert [m.group(0) for m in tags] == ["<TaBlE", "</table"]
