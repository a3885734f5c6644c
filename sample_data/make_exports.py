"""Render canonical SalesLens data as the files real CRMs export (the importer's fixture builder).

Run from the repository root::

    python sample_data/make_exports.py            # reads sample_data/deals.csv, activities.csv, plans.csv
                                                  # writes sample_data/exports/
    python sample_data/make_exports.py OUT_DIR

The same renderers build the test fixtures in ``tests/test_importers.py`` from one small canonical
frame: every file written here must read back (``metrics.importers.read_export``) to the canonical data
it came from, at the precision the vendor's format keeps (e.g. Salesforce reports keep dates only).

Header lists and value conventions follow /work/shared/notes/crm-exports.md (Bitrix24, amoCRM, Kommo,
HubSpot, Pipedrive, Salesforce, Zoho). Everything a vendor adds that is *not* the canonical data —
creators, modifiers, contact owners, ``.id`` twins, expected close dates of open deals, footers,
product lines — is there on purpose: the importer must ignore or fold it.

Only the standard library, numpy, pandas and openpyxl are used. Output is deterministic.
"""
from __future__ import annotations

import csv
import html
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent

CREATORS = ["Адміністратор порталу", "Інтеграція 1С", "Робот CRM"]  # never the owner
CONTACTS = ["Олег Гнатюк", "Марина Савчук", "Ігор Бондар", "Тетяна Литвин", "Роман Кузьмич"]
ZOHO_ID0 = 5725767000000000000

_STAGES = {
    "bitrix24:ru": {"won": ["Сделка успешна"], "lost": ["Сделка провалена", "Анализ причины провала"],
                    "open": ["В работе", "Новая", "Подготовка документов", "Счёт на предоплату"]},
    "bitrix24:ua": {"won": ["Угода успішна"], "lost": ["Угода провалена", "Аналіз причини провалу"],
                    "open": ["В роботі", "Нова", "Підготовка документів", "Рахунок на передоплату"]},
    "bitrix24:en": {"won": ["Deal won"], "lost": ["Deal lost", "Analyze failure"],
                    "open": ["In progress", "New", "Preparing documents", "Final invoice"]},
    "amocrm": {"won": ["Успешно реализовано"], "lost": ["Закрыто и не реализовано"],
               "open": ["Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора"]},
    "kommo": {"won": ["Closed - won"], "lost": ["Closed - lost"],
              "open": ["Initial contact", "Discussions", "Decision making", "Contract discussion"]},
    "hubspot": {"won": ["Closed Won"], "lost": ["Closed Lost"],
                "open": ["Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled",
                         "Decision Maker Bought-In", "Contract Sent"]},
    "pipedrive": {"won": ["Negotiations Started"], "lost": ["Proposal Made", "Qualified"],
                  "open": ["Qualified", "Contact Made", "Demo Scheduled", "Proposal Made"]},
    "salesforce": {"won": ["Closed Won"], "lost": ["Closed Lost"],
                   "open": ["Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote",
                            "Negotiation/Review"]},
    "zoho": {"won": ["Closed Won"], "lost": ["Closed Lost", "Closed-Lost to Competition"],
             "open": ["Qualification", "Needs Analysis", "Value Proposition", "Negotiation/Review"]},
}


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------

def _prep(deals: pd.DataFrame) -> pd.DataFrame:
    d = deals.reset_index(drop=True).copy()
    d["created_at"] = pd.to_datetime(d["created_at"])
    d["closed_at"] = pd.to_datetime(d["closed_at"])
    if "source" not in d:
        d["source"] = None
    if "currency" not in d:
        d["currency"] = "UAH"
    d["i"] = np.arange(len(d))
    # what a CRM shows for an open deal: an *expected* close date in the future (must never count)
    d["expected"] = d["created_at"].dt.normalize() + pd.to_timedelta(30 + d["i"] % 20, unit="D")
    d["title"] = "Угода " + d["deal_id"].astype(str)
    d["contact"] = [CONTACTS[i % len(CONTACTS)] for i in d["i"]]
    d["creator"] = [CREATORS[i % len(CREATORS)] for i in d["i"]]
    return d


def _stage(system: str, status: str, i: int) -> str:
    names = _STAGES[system][status]
    return names[i % len(names)]


def _other_manager(d: pd.DataFrame, i: int, k: int = 0) -> str:
    """A real manager of the team who is *not* deal ``i``'s owner (contact owner, modifier, ...)."""
    managers = sorted(d["manager"].unique())
    own = d.at[i, "manager"]
    others = [m for m in managers if m != own] or [own + " (2)"]
    return others[(i + k) % len(others)]


def _fmt(ts, pattern: str) -> str:
    return "" if pd.isna(ts) else pd.Timestamp(ts).strftime(pattern)


def _closed(row) -> pd.Timestamp | None:
    return row["closed_at"] if row["status"] != "open" else None


def _csv(headers: list[str], rows: list[list[str]], *, delimiter: str = ",", quote_all: bool = False,
         trailing: bool = False, encoding: str = "utf-8", lineterminator: str = "\n") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
                   lineterminator=(delimiter if trailing else "") + lineterminator)
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def _money(x: float, style: str) -> str:
    if style == "plain":
        return f"{x:.2f}"
    if style == "int":
        return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"
    if style == "comma":
        return f"{x:.2f}".replace(".", ",")
    if style == "space_comma":  # 1 234 567,50 with no-break spaces, as a Russian-locale spreadsheet writes
        return f"{x:,.2f}".replace(",", "\u00a0").replace(".", ",")
    if style == "us":
        return f"{x:,.2f}"
    raise ValueError(style)


# --------------------------------------------------------------------------------------------------
# Bitrix24
# --------------------------------------------------------------------------------------------------
_BITRIX_HEADERS = {
    "ru": ["ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Ответственный", "Дата создания",
           "Дата изменения", "Кем создана", "Сделка закрыта", "Предполагаемая дата закрытия", "Компания",
           "Контакт", "Источник"],
    "ua": ["ID", "Назва", "Стадія угоди", "Сума", "Валюта", "Відповідальний", "Дата створення",
           "Дата змінення", "Ким створена", "Угода закрита", "Орієнтовна дата закриття", "Компанія",
           "Контакт", "Джерело"],
    "en": ["ID", "Deal Name", "Stage", "Income", "Currency", "Responsible", "Created", "Modified",
           "Created by", "Closed", "Assumed close date", "Company", "Contact", "Source"],
}
_BITRIX_YES = {"ru": ("Да", "Нет"), "ua": ("Так", "Ні"), "en": ("Yes", "No")}
_BITRIX_CURRENCY = {"ru": {"UAH": "Гривна", "USD": "Доллар США", "EUR": "Евро"},
                    "ua": {"UAH": "Гривня", "USD": "Долар США", "EUR": "Євро"},
                    "en": {"UAH": "Ukrainian Hryvnia", "USD": "US Dollar", "EUR": "Euro"}}


def bitrix24_rows(deals: pd.DataFrame, lang: str = "ru", *, money: str = "plain",
                  seconds: bool = True, products: bool = False) -> tuple[list[str], list[list[str]]]:
    d = _prep(deals)
    yes, no = _BITRIX_YES[lang]
    headers = list(_BITRIX_HEADERS[lang])
    if products:
        headers.insert(4, {"ru": "Товар", "ua": "Товар", "en": "Product"}[lang])
    dt = "%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M"
    rows = []
    for _, r in d.iterrows():
        i = int(r["i"])
        closed = _closed(r)
        base = [str(r["deal_id"]), r["title"], _stage(f"bitrix24:{lang}", r["status"], i), None,
                _BITRIX_CURRENCY[lang].get(r["currency"], r["currency"]), r["manager"],
                _fmt(r["created_at"], dt), _fmt(closed if closed is not None else r["created_at"], dt),
                r["creator"], yes if r["status"] != "open" else no,
                _fmt(closed if closed is not None else r["expected"], "%d.%m.%Y"),
                r["client"] if i % 4 else "", "" if i % 4 else r["client"], r["source"] or ""]
        # every 4th deal has its client as a contact (no company): the importer falls back to the contact
        lines = [r["amount"]]
        if products and i % 3 == 0 and r["amount"] > 0:  # the deal repeats once per product line
            part = round(r["amount"] / 3, 2)
            lines = [part, part, round(r["amount"] - 2 * part, 2)]
        for k, amount in enumerate(lines):
            row = list(base)
            row[3] = _money(amount, money)
            if products:
                row.insert(4, f"Товар {k + 1}")
            rows.append(row)
    return headers, rows


def bitrix24_csv(deals: pd.DataFrame, lang: str = "ru", *, encoding: str = "utf-8-sig", money: str = "plain",
                 seconds: bool = True, products: bool = False) -> bytes:
    """The portal's CSV: every value quoted, ``;`` after every value (the last one too), ``\\n``."""
    headers, rows = bitrix24_rows(deals, lang, money=money, seconds=seconds, products=products)
    return _csv(headers, rows, delimiter=";", quote_all=True, trailing=True, encoding=encoding)


def bitrix24_resaved_csv(deals: pd.DataFrame, lang: str = "ru") -> bytes:
    """The same file opened and re-saved by a Russian-locale spreadsheet: cp1251, ``;``, decimal comma,
    minimal quoting, no seconds, no trailing delimiter, CRLF."""
    headers, rows = bitrix24_rows(deals, lang, money="space_comma", seconds=False)
    return _csv(headers, rows, delimiter=";", encoding="cp1251", lineterminator="\r\n")


def bitrix24_xls(deals: pd.DataFrame, lang: str = "ru", *, products: bool = False) -> bytes:
    """The "Excel" export: an HTML table with a charset meta tag, saved as ``.xls``."""
    headers, rows = bitrix24_rows(deals, lang, money="plain", products=products)
    out = ['<meta http-equiv="Content-type" content="text/html;charset=utf-8" />',
           '<table border="1">', "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out).encode("utf-8")


# --------------------------------------------------------------------------------------------------
# amoCRM / Kommo
# --------------------------------------------------------------------------------------------------

def amocrm_csv(deals: pd.DataFrame) -> bytes:
    d = _prep(deals)
    headers = ["ID", "Название сделки", "Бюджет ", "Ответственный", "Дата создания сделки",
               "Кем создана сделка", "Дата редактирования", "Кем редактирована", "Дата закрытия", "Теги",
               "Примечание", "Этап сделки", "Воронка", "Полное имя контакта", "Компания контакта",
               "Ответственный за контакт", "Компания", "Рабочий телефон", "Город", "Источник"]
    dt = "%d.%m.%Y %H:%M:%S"
    rows = []
    for _, r in d.iterrows():
        i = int(r["i"])
        closed = _closed(r)
        rows.append([str(r["deal_id"]), r["title"], _money(r["amount"], "int"), r["manager"],
                     _fmt(r["created_at"], dt), r["creator"],
                     _fmt(closed if closed is not None else r["created_at"], dt), _other_manager(d, i),
                     _fmt(closed, dt), "b2b", "", _stage("amocrm", r["status"], i), "Основная воронка",
                     r["contact"], r["client"], _other_manager(d, i, 1), r["client"], "+380441234567",
                     "Київ", r["source"] or ""])
    return _csv(headers, rows)


def kommo_csv(deals: pd.DataFrame) -> bytes:
    d = _prep(deals)
    headers = ["ID", "Lead title", "Sale", "Responsible user", "Date created", "Created by", "Date modified",
               "Modified by", "Closed at", "Tags", "Lead status", "Pipeline", "Contact full name",
               "Contact responsible user", "Company", "Work phone", "Source"]
    dt = "%d.%m.%Y %H:%M:%S"
    rows = []
    for _, r in d.iterrows():
        i = int(r["i"])
        closed = _closed(r)
        rows.append([str(r["deal_id"]), r["title"], _money(r["amount"], "int"), r["manager"],
                     _fmt(r["created_at"], dt), r["creator"],
                     _fmt(closed if closed is not None else r["created_at"], dt), _other_manager(d, i),
                     _fmt(closed, dt), "", _stage("kommo", r["status"], i), "Sales pipeline", r["contact"],
                     _other_manager(d, i, 1), r["client"], "+380441234567", r["source"] or ""])
    return _csv(headers, rows)


# --------------------------------------------------------------------------------------------------
# HubSpot
# --------------------------------------------------------------------------------------------------

def hubspot_csv(deals: pd.DataFrame) -> bytes:
    """``hubspot-crm-exports-<view>-YYYY-MM-DD.csv``: UTF-8 with BOM, ISO dates, open deals carry an
    expected Close Date."""
    d = _prep(deals)
    headers = ["Record ID", "Deal Name", "Deal Stage", "Close Date", "Create Date", "Deal owner", "Amount",
               "Pipeline", "Associated Company", "Associated Contact", "Contact owner", "Last Activity Date",
               "Forecast category", "Original Source"]
    rows = []
    for _, r in d.iterrows():
        i = int(r["i"])
        closed = _closed(r)
        rows.append([str(9_000_000_000 + i), r["title"], _stage("hubspot", r["status"], i),
                     _fmt(closed if closed is not None else r["expected"], "%Y-%m-%d %H:%M"),
                     _fmt(r["created_at"], "%Y-%m-%d %H:%M"), r["manager"], _money(r["amount"], "int"),
                     "Sales Pipeline", r["client"], r["contact"], _other_manager(d, i),
                     _fmt(r["created_at"] + pd.Timedelta(days=3), "%Y-%m-%d %H:%M"),
                     "Closed" if r["status"] != "open" else "Pipeline", r["source"] or ""])
    return _csv(headers, rows, encoding="utf-8-sig")


# --------------------------------------------------------------------------------------------------
# Pipedrive
# --------------------------------------------------------------------------------------------------

def pipedrive_deals_csv(deals: pd.DataFrame) -> bytes:
    d = _prep(deals)
    headers = ["Deal - ID", "Deal - Title", "Deal - Creator", "Deal - Owner", "Deal - Value", "Deal - Currency",
               "Deal - Pipeline", "Deal - Stage", "Deal - Status", "Deal - Deal created", "Deal - Won time",
               "Deal - Lost time", "Deal - Deal closed on", "Deal - Lost reason", "Deal - Expected close date",
               "Deal - Organization", "Deal - Contact person", "Deal - Source"]
    dt = "%Y-%m-%d %H:%M:%S"
    rows = []
    for _, r in d.iterrows():
        i = int(r["i"])
        closed = _closed(r)
        st = r["status"]
        rows.append([str(r["deal_id"]), r["title"], r["creator"], r["manager"], _money(r["amount"], "plain"),
                     r["currency"], "Sales", _stage("pipedrive", st, i), st.capitalize(),
                     _fmt(r["created_at"], dt), _fmt(closed if st == "won" else None, dt),
                     _fmt(closed if st == "lost" else None, dt), _fmt(closed, dt),
                     "Price" if st == "lost" else "", _fmt(r["expected"], "%Y-%m-%d"), r["client"],
                     r["contact"], r["source"] or ""])
    return _csv(headers, rows)


_PIPEDRIVE_TYPES = {"call": "Call", "meeting": "Meeting", "email": "Email", "task": "Task", "other": "Other"}


def pipedrive_activities_csv(activities: pd.DataFrame) -> bytes:
    a = activities.reset_index(drop=True).copy()
    a["at"] = pd.to_datetime(a["at"])
    managers = sorted(a["manager"].unique())
    headers = ["Activity - ID", "Activity - Subject", "Activity - Type", "Activity - Due date",
               "Activity - Due time", "Activity - Duration", "Activity - Done", "Activity - Marked as done time",
               "Activity - Assigned to user", "Activity - Creator", "Activity - Organization", "Deal - Title"]
    rows = []
    for i, r in a.iterrows():
        done = bool(r.get("done", True))
        rows.append([str(r["activity_id"]), f"{_PIPEDRIVE_TYPES[r['type']]} #{i}", _PIPEDRIVE_TYPES[r["type"]],
                     _fmt(r["at"], "%Y-%m-%d"), _fmt(r["at"], "%H:%M"), "00:30", "Done" if done else "To do",
                     _fmt(r["at"] + pd.Timedelta(minutes=30), "%Y-%m-%d %H:%M:%S") if done else "",
                     r["manager"], managers[(i + 1) % len(managers)] if len(managers) > 1 else "Admin",
                     "", ""])
    return _csv(headers, rows)


# --------------------------------------------------------------------------------------------------
# Salesforce
# --------------------------------------------------------------------------------------------------

def salesforce_csv(deals: pd.DataFrame, *, us_dates: bool = True, grand_total: bool = True) -> bytes:
    """An opportunity report exported as CSV: locale dates (US m/d/yyyy or UK dd/mm/yyyy), amounts with a
    currency code and thousands separators, footer rows after the data."""
    d = _prep(deals)
    headers = ["Opportunity Owner", "Account Name", "Opportunity Name", "Type", "Stage", "Amount",
               "Probability (%)", "Close Date", "Created Date", "Lead Source", "Next Step"]
    date = "%m/%d/%Y" if us_dates else "%d/%m/%Y"
    date = date.replace("%m", "%-m").replace("%d", "%-d") if us_dates else date
    rows = []
    for _, r in d.iterrows():
        i = int(r["i"])
        closed = _closed(r)
        prob = {"won": "100", "lost": "0"}.get(r["status"], str(10 + 10 * (i % 8)))
        rows.append([r["manager"], r["client"], r["title"], "New Business" if i % 2 else "Existing Business",
                     _stage("salesforce", r["status"], i), f"{r['currency']} {_money(r['amount'], 'us')}", prob,
                     _fmt(closed if closed is not None else r["expected"], date),
                     _fmt(r["created_at"], date), r["source"] or "", ""])
    body = _csv(headers, rows, quote_all=True).decode("utf-8")
    foot = []
    if grand_total:
        total = d["amount"].sum()
        foot.append(",".join(['"Grand Totals (%d records)"' % len(d), '""', '""', '""', '""',
                              f'"{d["currency"].iloc[0]} {_money(total, "us")}"', '""', '""', '""', '""', '""']))
    foot += ['""', '"Confidential Information - Do Not Distribute"', '""',
             '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."']
    return (body + "\n".join(foot) + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------------
# Zoho CRM
# --------------------------------------------------------------------------------------------------

def zoho_csv(deals: pd.DataFrame) -> bytes:
    d = _prep(deals)
    managers = sorted(d["manager"].unique())
    mid = {m: f"zcrm_{ZOHO_ID0 + 100 + k}" for k, m in enumerate(managers)}
    headers = ["Record Id", "Deal Owner.id", "Deal Owner", "Deal Name", "Account Name.id", "Account Name",
               "Contact Name.id", "Contact Name", "Amount", "Stage", "Closing Date", "Type", "Lead Source",
               "Currency", "Reason For Loss", "Created By.id", "Created By", "Modified By.id", "Modified By",
               "Created Time", "Modified Time", "Last Activity Time", "Pipeline"]
    dt = "%Y-%m-%d %H:%M:%S"
    rows = []
    for _, r in d.iterrows():
        i = int(r["i"])
        closed = _closed(r)
        other = _other_manager(d, i)
        rows.append([f"zcrm_{ZOHO_ID0 + 10_000 + i}", mid[r["manager"]], r["manager"], r["title"],
                     f"zcrm_{ZOHO_ID0 + 50_000 + i}", r["client"], f"zcrm_{ZOHO_ID0 + 70_000 + i}", r["contact"],
                     _money(r["amount"], "plain"), _stage("zoho", r["status"], i),
                     _fmt(closed if closed is not None else r["expected"], "%Y-%m-%d"), "New Business",
                     r["source"] or "", r["currency"], "Price" if r["status"] == "lost" else "",
                     mid.get(other, "zcrm_1"), other, mid.get(other, "zcrm_1"), other,
                     _fmt(r["created_at"], dt), _fmt(closed if closed is not None else r["created_at"], dt),
                     _fmt(r["created_at"], dt), "Standard"])
    return _csv(headers, rows, encoding="utf-8-sig")


# --------------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------------
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "ru": ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь",
           "Ноябрь", "Декабрь"],
    "ua": ["Січень", "Лютий", "Березень", "Квітень", "Травень", "Червень", "Липень", "Серпень", "Вересень",
           "Жовтень", "Листопад", "Грудень"],
}


def month_header(month: str, style: str):
    """'2025-01' in a wide plan's header style."""
    y, m = int(month[:4]), int(month[5:7])
    return {
        "iso": f"{y}-{m:02d}", "dotted": f"{m:02d}.{y}", "slash": f"{y}/{m:02d}",
        "en_short": f"{MONTHS['en'][m - 1][:3]} {y}", "en_long": f"{MONTHS['en'][m - 1]} {y}",
        "ru": f"{MONTHS['ru'][m - 1]} {y}", "ua": f"{MONTHS['ua'][m - 1]} {y}",
        "ru_short": f"{MONTHS['ru'][m - 1][:3].lower()}. {y}", "en_yy": f"{MONTHS['en'][m - 1][:3]}-{y % 100:02d}",
        "date": pd.Timestamp(y, m, 1).to_pydatetime(),
    }[style]


def plans_wide_rows(plans: pd.DataFrame, style: str = "ua", total_row: str | None = "Разом"):
    months = sorted(plans["month"].unique())
    wide = plans.pivot_table(index="manager", columns="month", values="target", aggfunc="sum")
    headers = ["Менеджер"] + [month_header(m, style) for m in months]
    rows = [[mgr] + [None if pd.isna(wide.at[mgr, m]) else float(wide.at[mgr, m]) for m in months]
            for mgr in wide.index]
    if total_row:
        rows.append([total_row] + [float(wide[m].sum()) for m in months])
    return headers, rows


def plans_wide_xlsx(plans: pd.DataFrame, style: str = "ua", title: str | None = "План продажів, грн") -> bytes:
    from openpyxl import Workbook

    headers, rows = plans_wide_rows(plans, style)
    wb = Workbook()
    ws = wb.active
    ws.title = "План"
    if title:
        ws.append([title])
        ws.append([])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_xlsx(buf.getvalue())


def _stable_xlsx(data: bytes) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml and the ZIP entries; fix both so the file
    is byte-for-byte reproducible."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-11-01T00:00:00Z", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


def plans_wide_csv(plans: pd.DataFrame, style: str = "iso", *, delimiter: str = ";") -> bytes:
    headers, rows = plans_wide_rows(plans, style)
    txt = [[("" if v is None else (f"{v:.0f}" if isinstance(v, float) else str(v))) for v in r] for r in rows]
    return _csv([str(h) for h in headers], txt, delimiter=delimiter, encoding="utf-8-sig")


# --------------------------------------------------------------------------------------------------
# Sample exports
# --------------------------------------------------------------------------------------------------

def latest_months(deals: pd.DataFrame, months: int = 3, cap: int = 400) -> pd.DataFrame:
    """Deals created in the latest ``months`` complete months, thinned deterministically to ≤ ``cap``."""
    d = deals.copy()
    d["created_at"] = pd.to_datetime(d["created_at"])
    last = d["created_at"].max().to_period("M")
    first = last - (months - 1)
    d = d[d["created_at"].dt.to_period("M") >= first].sort_values(["created_at", "deal_id"])
    if len(d) > cap:
        d = d.iloc[np.linspace(0, len(d) - 1, cap).round().astype(int)]
    return d.reset_index(drop=True)


def write_samples(out_dir: Path, src: Path = HERE) -> dict[str, Path]:
    deals = pd.read_csv(src / "deals.csv", dtype={"deal_id": str}, keep_default_na=False, na_values={"closed_at": [""]})
    deals["closed_at"] = pd.to_datetime(deals["closed_at"].replace("", None))
    acts = pd.read_csv(src / "activities.csv", dtype={"activity_id": str})
    plans = pd.read_csv(src / "plans.csv", dtype={"month": str})
    d = latest_months(deals)
    first = d["created_at"].min()
    a = acts.copy()
    a["at"] = pd.to_datetime(a["at"])
    a = a[a["at"] >= first]
    if len(a) > 600:
        a = a.iloc[np.linspace(0, len(a) - 1, 600).round().astype(int)]
    a["done"] = a["done"].astype(str).str.lower().isin(["true", "1", "yes"])
    months = sorted(d["created_at"].dt.strftime("%Y-%m").unique())
    p = plans[plans["month"].isin(months)]
    files = {
        "bitrix24_deals.csv": bitrix24_csv(d, "ru"),
        "bitrix24_deals.xls": bitrix24_xls(d, "ru"),
        "amocrm_deals.csv": amocrm_csv(d),
        f"hubspot-crm-exports-all-deals-{_export_day(deals)}.csv": hubspot_csv(d),
        "pipedrive_deals.csv": pipedrive_deals_csv(d),
        "pipedrive_activities.csv": pipedrive_activities_csv(a),
        "salesforce_opportunities.csv": salesforce_csv(d),
        f"zoho_Deals_{_export_day(deals).replace('-', '_')}.csv": zoho_csv(d),
        "plans_wide.xlsx": plans_wide_xlsx(p, "ua"),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, data in files.items():
        path = out_dir / name
        path.write_bytes(data)
        written[name] = path
    return written


def _export_day(deals: pd.DataFrame) -> str:
    """The day after the data ends (the day the export was taken), e.g. 2026-11-01."""
    last = pd.to_datetime(deals["created_at"]).max()
    return (last.to_period("M") + 1).to_timestamp().strftime("%Y-%m-%d")


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "exports"
    for name, path in write_samples(out).items():
        print(f"{path}  {path.stat().st_size:>8} bytes")
