"""AppTest of log-in, lock-out, log-out and roles (auth forced on with SALESLENS_AUTH=1)."""
import json
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui.auth as auth

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SECRETS = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text())
SECRETS["authenticator"]["cookie"]["key"] = "k" * 48
SECRETS["authenticator"]["login_sleep_time"] = 0
MANAGERS = ["Ірина Мельник", "Андрій Шевченко", "Віктор Савченко", "Дмитро Ткаченко", "Максим Лисенко",
            "Наталія Бойко", "Оксана Марченко", "Сергій Олійник", "Тарас Кравченко", "Юлія Поліщук"]
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def app(monkeypatch, secrets=SECRETS):
    monkeypatch.setenv("SALESLENS_AUTH", "1")
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in secrets.items():
        at.secrets[k] = v
    return at.run()


def login(at, user, password):
    at.text_input[0].input(user)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def test_login_failure_then_success(monkeypatch):
    at = app(monkeypatch)
    assert not at.title and len(at.text_input) == 2          # only the log-in form, no data
    login(at, "alice", "wrong")
    assert at.session_state["authentication_status"] is False
    assert any("Wrong username or password" in e.value for e in at.error)
    login(at, "alice", "alice-demo-pass")
    assert at.session_state["authentication_status"] is True
    at.run()
    assert at.title[0].value == "Overview" and at.dataframe


def test_lockout_is_real_and_expires(monkeypatch):
    at = app(monkeypatch)
    for _ in range(auth.MAX_ATTEMPTS):
        login(at, "hanna", "nope")
    login(at, "hanna", "hanna-demo-pass")                     # the right password no longer works
    assert at.session_state["authentication_status"] is not True
    assert any("locked" in e.value for e in at.error)
    now = auth.time.time()
    monkeypatch.setattr(auth.time, "time", lambda: now + auth.LOCK_SECONDS + 1)
    at.run()                                                  # the lock expires ...
    login(at, "hanna", "hanna-demo-pass")                     # ... and the user gets in
    assert at.session_state["authentication_status"] is True


def test_logout_clears_the_session_data(monkeypatch):
    at = login(app(monkeypatch), "hanna", "hanna-demo-pass")
    at.run()
    at.session_state["plan_edits"] = {("Олена Коваленко", "2026-10"): 1.0}
    at.sidebar.radio(key="source").set_value("export").run()
    assert at.session_state["_last_upload"] is not None
    at.sidebar.button(key="logout_btn").click().run()
    assert not at.session_state["authentication_status"]
    for key in ("plan_edits", "_last_upload", "_files", "_ctx", "source"):
        assert key not in at.session_state, key
    assert not at.title                                       # back to the log-in form


def _all_text(at) -> str:
    parts = [e.value for kind in ("title", "caption", "markdown", "metric", "info", "warning", "error", "success")
             for e in getattr(at, kind) if isinstance(getattr(e, "value", None), str)]
    parts += [m.label for m in at.metric]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [w.label for w in at.sidebar.number_input] + [str(o) for s in at.selectbox for o in s.options]
    for chart in at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart"):
        parts.append(chart.proto.spec)
        parts += [bytes(d.data.data).decode("utf-8", "ignore") for d in chart.proto.datasets]
    return "\n".join(parts)


def test_manager_sees_only_own_name(monkeypatch):
    at = login(app(monkeypatch), "olena", "olena-demo-pass")
    at.run()
    links = [p for p in auth.PAGES["manager"]]
    assert "plan" not in links and "data" not in links
    for page in links:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        text = _all_text(at)
        assert "Олена Коваленко" in text, page
        leaked = [m for m in MANAGERS if m in text]
        assert not leaked, (page, leaked)
        assert "Colleague" in text or page in ("activity",), page


def test_pages_a_role_may_not_see_cannot_be_reached(monkeypatch):
    at = login(app(monkeypatch), "olena", "olena-demo-pass")
    at.run()
    try:
        at.switch_page("pages/plan.py").run()
    except Exception:   # noqa: BLE001 - AppTest refuses an unregistered page: unreachable, which is the point
        return
    assert not at.title or at.title[0].value != "Plan"


def test_viewer_has_sample_data_only_and_no_controls(monkeypatch):
    at = login(app(monkeypatch), "victor", "victor-demo-pass")
    at.run()
    assert at.sidebar.radio(key="source").options == ["Sample data", "Sample CRM export"]
    assert not [w for w in at.sidebar.number_input if (w.key or "").startswith(("default_target", "th_", "tgt::"))]


@pytest.mark.parametrize("key", ["", "some_key", "short-key"])
def test_app_refuses_to_start_with_a_bad_cookie_key(monkeypatch, key):
    secrets = json.loads(json.dumps(SECRETS))
    secrets["authenticator"]["cookie"]["key"] = key
    at = app(monkeypatch, secrets)
    assert at.error and "cookie" in at.error[0].value.lower() and not at.text_input


def test_log_out_clears_every_session_cache():
    """Every session-scoped cache of the app is cleared at log-out: each registers itself where it is
    declared (ui.state.session_cache / shared_cache), and log-out clears the registered ones — no list."""
    import ast
    import importlib

    from ui import state
    found = set()
    for path in sorted((Path(__file__).resolve().parents[1] / "ui").glob("*.py")):
        mod = ast.parse(path.read_text())
        for fn in mod.body:
            if isinstance(fn, ast.FunctionDef):
                for dec in fn.decorator_list:
                    session = isinstance(dec, ast.Call) and any(
                        k.arg == "scope" and getattr(k.value, "value", None) == "session" for k in dec.keywords)
                    registered = isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and \
                        dec.func.attr in ("session_cache", "shared_cache")
                    if session or registered:
                        found.add(f"{path.stem}.{fn.name}")
    listed = set()
    for name in sorted({f.split(".")[0] for f in found}):
        importlib.import_module(f"ui.{name}")
    for fn in state.caches():
        listed.add(f"{fn.__module__.split('.')[-1]}.{fn.__name__}")
    assert found and found <= listed, sorted(found - listed)
    assert "auth" not in {f.split(".")[0] for f in found}
