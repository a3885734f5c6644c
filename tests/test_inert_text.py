"""Text from a file never acts as Markdown/HTML (issue #14, finding 6): manager names, file names, stage
names and quoted values are escaped by one helper (ui.fmt.inert) wherever they reach a Markdown element;
Streamlit's table toolbar export is off and the app's own downloads guard formulas."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui.fmt import inert

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
EVIL = ["![x](http://127.0.0.1:9/x)", "[l](http://x)", '=HYPERLINK("x")']
FILE = "[f](http://x).csv"
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")
LIVE = re.compile(r"(?<!\\)\]\((?!\))|(?<!\\)!\[|(?<![\\])<(?=[a-z/!])|(?<!\\)\[[^\]]*(?<!\\)\]\(")


def evil_csv() -> bytes:
    rows = []
    for i in range(48):
        who = (EVIL + ["Ann"])[i % 4]
        rows.append((str(i), who, f"c{i % 9}", f"2026-09-{1 + i % 27:02d}", f"2026-09-{2 + i % 27:02d}",
                     "won" if i % 3 else "lost", str(100 + i)))
    df = pd.DataFrame(rows, columns=["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount"])
    return df.to_csv(index=False).encode()


@pytest.mark.parametrize("value, shown", [
    ("![x](http://127.0.0.1:9/x)", r"\!\[x\]\(http\://127.0.0.1\:9/x\)"),
    ("[l](http://x)", r"\[l\]\(http\://x\)"),
    ('=HYPERLINK("x")', r'=HYPERLINK\("x"\)'),
    ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert\(1\)\>"),
    ("**b** _i_ `c` # h | $x$ ~s~", r"\*\*b\*\* \_i\_ \`c\` \# h \| \$x\$ \~s\~"),
    ("line\n# heading\r\n- item", r"line \# heading  - item"), ("- item", r"\- item"), ("1. x", r"1\. x"),
    ("www.evil.example", r"www\.evil.example"), (":red[x] :material/home:", r"\:red\[x\] \:material/home\:"),
    ("Олена Коваленко", "Олена Коваленко"), ("created_at", "created_at"), ("back\\slash", r"back\\slash")])
def test_inert_escapes_every_markdown_special(value, shown):
    assert inert(value) == shown


def _markdown_texts(at) -> list[str]:
    out = [e.value for kind in ("caption", "markdown", "error", "warning", "info", "success") for e in getattr(at, kind)]
    out += [w.label for kind in ("number_input", "selectbox", "text_input") for w in getattr(at, kind)]
    out += [e.label for e in at.expander]
    return [x for x in out if isinstance(x, str)]


def test_names_file_names_and_error_values_are_inert_everywhere():
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["exp_targets_managers"] = True        # the per-manager targets expander, open
    at.run()
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value([(FILE, evil_csv(), "text/csv")]).run()
    assert not at.exception and not at.error
    labels = [w.label for w in at.sidebar.number_input]
    for name in EVIL[:2]:                                  # (a name starting with "=" is read as "no manager")
        assert inert(name) in labels                       # the sidebar's target labels
    captions = " ".join(c.value for c in at.caption)
    assert inert(FILE) in captions                         # the page caption naming the source
    for page in ("overview", "compare", "data"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        texts = _markdown_texts(at)
        live = [x for x in texts if LIVE.search(x)]
        assert not live, (page, live)
    assert any(inert(FILE) in e.label for e in at.expander)   # the Data page's per-file section
    # an error quoting the file name: a header-only file
    at.sidebar.file_uploader(key="uploads").set_value([("[e](http://x).csv", b"deal_id,manager\n", "text/csv")]).run()
    msg = at.sidebar.error[0].value
    assert msg.startswith(inert("[e](http://x).csv") + ":") and not LIVE.search(msg)


def test_table_toolbar_export_is_off_and_downloads_guard_formulas():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["client"]["disableDataExport"] is True
    from metrics.report import neutralise
    out = [neutralise(v) for v in EVIL + ["+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "Ann"]]
    assert out == ["![x](http://127.0.0.1:9/x)", "[l](http://x)", '\'=HYPERLINK("x")',
                                    "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(1)", "Ann"]
