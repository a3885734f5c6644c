"""Real public exports (../shared/real-data, written by nobody on this project) read whole, compared with
hand computations in pandas from the same files. Skipped only where the folder is absent (CI has it)."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics.ingest import ingest, quality_report

ROOT = Path(__file__).resolve().parents[1]


def _real_data() -> Path:
    for p in (os.environ.get("SALESLENS_REAL_DATA"), ROOT.parent / "shared" / "real-data", "/work/shared/real-data"):
        if p and Path(p).is_dir():
            return Path(p)
    return ROOT.parent / "shared" / "real-data"


REAL = _real_data()
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-data is absent")


def folder(name: str, **kw):
    files = sorted(p for p in (REAL / name).iterdir() if p.suffix.lower() in (".csv", ".xls", ".xlsx"))
    return ingest([(p.name, p.read_bytes) for p in files], **kw)


def won_by_quarter(deals: pd.DataFrame) -> pd.DataFrame:
    w = deals[deals["status"] == "won"]
    q = pd.PeriodIndex(w["closed_at"], freq="Q").astype(str)
    return (w.assign(quarter=q).groupby(["manager", "quarter"])["amount"].agg(["count", "sum"])
            .reset_index().sort_values(["manager", "quarter"], ignore_index=True))


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False,
                                  check_exact=False, rtol=1e-9)


def test_maven_folder_whole():
    got = folder("maven_crm")
    raw = pd.read_csv(REAL / "maven_crm" / "sales_pipeline.csv")
    teams = pd.read_csv(REAL / "maven_crm" / "sales_teams.csv")
    d = got.data.deals
    # leads: every opportunity with an engage date (500 prospecting ones have none: dropped, with the reason)
    assert len(d) == raw["engage_date"].notna().sum() == 8300
    q = quality_report(got.data, got.files)
    pipe = next(r for r in q if r["file"] == "sales_pipeline.csv")
    assert pipe["dropped"] == [{"reason": "no_date", "count": 500, "example": "", "row": 8301}]
    assert pipe["rows_read"] - pipe["rows_used"] == sum(x["count"] for x in pipe["dropped"])
    won = raw[raw["deal_stage"] == "Won"].rename(columns={"sales_agent": "manager", "close_value": "amount"})
    won = won.assign(status="won", closed_at=pd.to_datetime(won["close_date"]))
    same(won_by_quarter(d), won_by_quarter(won))
    # the team hierarchy: the agent's manager and regional office as deal attributes
    t = teams.set_index("sales_agent")
    assert (d["team"] == d["manager"].map(t["manager"])).all()
    assert (d["office"] == d["manager"].map(t["regional_office"])).all()
    kinds = {r["file"]: r["kind"] for r in q}
    assert kinds["data_dictionary.csv"] == "documentation" and kinds["sales_teams.csv"] == "team"
    assert kinds["accounts.csv"] == "clients" and kinds["products.csv"] == "products"


def test_salesforce_folder_whole():
    got = folder("salesforce_wave")
    base = REAL / "salesforce_wave"
    users = pd.read_csv(base / "User.csv").set_index("External_Id__c")["Name"]
    opp = pd.read_csv(base / "Opportunity.csv")
    d = got.data.deals
    assert set(d["manager"]) <= set(users)           # names, never ids
    want = opp.assign(manager=opp["Owner.External_Id__c"].map(users), amount=opp["Amount"].fillna(0.0),
                      closed_at=pd.to_datetime(opp["CloseDate"]),
                      status=np.where(opp["StageName"] == "Closed Won", "won", "other"))
    same(won_by_quarter(d), won_by_quarter(want))
    # the account is the client, not the opportunity's name
    assert sorted(d["client"].unique()) == sorted(opp["Account.External_Id__c"].dropna().unique())
    # leads per manager: every opportunity
    assert d.groupby("manager").size().to_dict() == want.groupby("manager").size().to_dict()
    a = got.data.activities
    ev = pd.read_csv(base / "Event.csv")
    tasks = pd.read_csv(base / "Task.csv")
    meetings = a[a["type"] == "meeting"].groupby("manager").size()
    assert meetings.to_dict() == ev.groupby(ev["Owner.External_Id__c"].map(users)).size().to_dict()
    t = a[a["activity_id"].astype(str).str.startswith("W_Sales_Task")]
    assert int(t["done"].sum()) == int((tasks["Status"] == "Completed").sum())
    calls = a[a["type"] == "call"].groupby("manager").size()
    sub = tasks[tasks["TaskSubtype"] == "Call"]
    assert calls.to_dict() == sub.groupby(sub["Owner.External_Id__c"].map(users)).size().to_dict()
    # quotas by user id → the same names as the deals: plan fulfilment is computable for every rep
    quota = pd.read_csv(base / "Quota.csv")
    quota = quota.assign(manager=quota["User.External_Id__c"].map(users), month=quota["StartDate__c"].str[:7])
    want_plan = quota.groupby(["manager", "month"], as_index=False)["QuotaAmount__c"].sum()
    p = got.data.plans
    same(p[["manager", "month", "target"]], want_plan.rename(columns={"QuotaAmount__c": "target"}))
    assert set(p["manager"]) & set(d.loc[d["status"] == "won", "manager"])
    # the user's role is the team
    roles = pd.read_csv(base / "User.csv").set_index("Name")["UserRole.Name"]
    assert (d["team"] == d["manager"].map(roles)).all()


def test_northwind_folder_whole():
    got = folder("northwind")
    base = REAL / "northwind"
    det = pd.read_csv(base / "order-details.csv")
    emp = pd.read_csv(base / "employees.csv")
    names = (emp["firstName"] + " " + emp["lastName"]).set_axis(emp["employeeID"])
    d = got.data.deals
    assert len(d) == 830                              # the 176 lines split by an unquoted comma joined back
    det["total"] = det["unitPrice"] * det["quantity"] * (1 - det["discount"])
    per_order = det.groupby("orderID")["total"].sum()
    import csv
    with open(base / "orders.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    orders = pd.DataFrame([(r[0], r[2], r[3]) for r in rows[1:]], columns=["orderID", "employeeID", "orderDate"])
    orders = orders.assign(manager=orders["employeeID"].astype(int).map(names), status="won",
                           amount=orders["orderID"].astype(int).map(per_order),
                           closed_at=pd.to_datetime(orders["orderDate"]))
    same(won_by_quarter(d), won_by_quarter(orders))
    with open(base / "customers.csv", newline="", encoding="utf-8") as fh:
        companies = {" ".join(r[1].split()) for r in list(csv.reader(fh))[1:]}   # inner spaces squeezed
    assert set(d["client"]) <= companies                 # the company's name, not the id
    w = [x for x in got.data.warnings if "shipAddress" in x]
    assert w and "176" in w[0]


def test_superstore_workbook_people_and_returns():
    got = folder("superstore")
    xls = pd.read_excel(REAL / "superstore" / "Sample - Superstore.xls", sheet_name=None, engine="calamine")
    orders, people, returns = xls["Orders"], xls["People"], xls["Returns"]
    d = got.data.deals
    returned = set(returns["Order ID"])
    o = orders.assign(manager=orders["Region"].map(people.set_index("Region")["Person"]))
    o = o[~o["Order ID"].isin(returned)]
    per = o.groupby("Order ID").agg(manager=("manager", "last"), amount=("Sales", "sum"),
                                    closed_at=("Order Date", "min")).reset_index().assign(status="won")
    same(won_by_quarter(d), won_by_quarter(per))
    assert d["deal_id"].nunique() == orders["Order ID"].nunique()
    assert (d.loc[d["deal_id"].isin(returned), "status"] == "lost").all()
    assert (d["region"] == d["manager"].map(people.set_index("Person")["Region"])).all()
    aside = {a["file"]: a["kind"] for a in got.data.set_aside}
    assert aside == {"Sample - Superstore.csv": "copy"}


def test_superstore_csv_alone_with_manual_manager():
    p = REAL / "superstore" / "Sample - Superstore.csv"
    got = ingest([(p.name, p.read_bytes)], mappings={"*": {"manager": "Region"}})
    raw = pd.read_csv(p, encoding="utf-8-sig")
    assert len(got.data.deals) == raw["Order ID"].nunique()
    assert got.data.deals["amount"].sum() == pytest.approx(raw["Sales"].sum())   # Sales never multiplied


def test_online_retail_invoice_lines():
    p = REAL / "online_retail" / "online_retail_2011-09_2011-12.csv"
    got = ingest([(p.name, p.read_bytes)], mappings={"*": {"manager": "Country"}})
    lines = pd.read_csv(p, dtype={"InvoiceNo": str, "CustomerID": str})
    cancelled_lines = int((lines["InvoiceNo"].str.startswith("C") | (lines["Quantity"] < 0)).sum())
    raw = lines.drop_duplicates()                              # only rows equal in every column
    cancel = raw["InvoiceNo"].str.startswith("C") | (raw["Quantity"] < 0)
    sales = raw[~cancel].assign(total=lambda x: x["Quantity"] * x["UnitPrice"])
    d = got.data.deals
    assert len(d) == sales["InvoiceNo"].nunique()
    nov = sales[pd.to_datetime(sales["InvoiceDate"]).dt.strftime("%Y-%m") == "2011-11"]
    got_nov = d.loc[d["closed_at"].dt.strftime("%Y-%m") == "2011-11", "amount"].sum()
    assert got_nov == pytest.approx(nov["total"].sum(), rel=1e-9)
    q = got.data.quality[0]
    assert q.cancellations == cancelled_lines                  # counted as read, before de-duplication
    by_country = d.groupby("manager")["amount"].sum()
    want = sales.groupby("Country")["total"].sum()
    pd.testing.assert_series_equal(by_country.sort_index(), want.sort_index(), check_names=False, rtol=1e-9)
    # a line without a customer counts for revenue, and its invoice is no customer (an empty client)
    nocust = sales.groupby("InvoiceNo")["CustomerID"].apply(lambda c: c.isna().all())
    nocust = nocust[nocust].index
    assert len(nocust) > 100 and d.set_index("deal_id").loc[list(nocust), "client"].isna().all()
    assert d["client"].isna().sum() == len(nocust)
    note = next(w for w in q.warnings if w["code"] == "no_client")["params"]
    assert (note["count"], note["won"]) == (len(nocust), len(nocust))
    assert note["revenue"] == pytest.approx(sales[sales["CustomerID"].isna()]["total"].sum(), abs=0.01)


def test_online_retail_cohorts_skip_lines_without_customer(tmp_path):
    """The CLI on the whole folder: revenue includes the invoices without a CustomerID; the retention KPI
    and the monthly cohort table equal a pandas computation that drops them."""
    import json

    from metrics.cli import main
    out = tmp_path / "r.json"
    assert main(["report", "--deals", str(REAL / "online_retail"), "--map", "manager=Country", "--quiet",
                 "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    lines = pd.concat([pd.read_csv(p, dtype={"InvoiceNo": str, "CustomerID": str})
                       for p in sorted((REAL / "online_retail").glob("*.csv"))], ignore_index=True)
    raw = lines.drop_duplicates()
    sales = raw[~(raw["InvoiceNo"].str.startswith("C") | (raw["Quantity"] < 0))].copy()
    sales["total"] = sales["Quantity"] * sales["UnitPrice"]
    # an invoice with a negative total (two "A…" bad-debt adjustments) is left out, as the importer reports
    sales = sales[sales.groupby("InvoiceNo")["total"].transform("sum") >= 0].copy()
    sales["at"] = pd.to_datetime(sales["InvoiceDate"])
    sales["month"] = sales["at"].dt.to_period("M")
    period = report["period"]
    assert (period["start"], period["end"]) == ("2011-11-01", "2011-11-30")
    nov, octo = pd.Period("2011-11", "M"), pd.Period("2011-10", "M")
    team = report["team"]
    # revenue and won deals: every invoice, with or without a customer
    assert team["revenue"] == pytest.approx(sales.loc[sales["month"] == nov, "total"].sum(), rel=1e-9)
    assert team["won"] == sales.loc[sales["month"] == nov, "InvoiceNo"].nunique()
    # customers: only lines with a CustomerID
    cust = sales.dropna(subset=["CustomerID"])
    prev = cust[cust["month"] == octo].sort_values(["at", "InvoiceNo"], kind="stable").drop_duplicates(
        "CustomerID", keep="last")
    now = set(cust.loc[cust["month"] == nov, "CustomerID"])
    prev = prev.assign(retained=prev["CustomerID"].isin(now))
    assert (team["customers_prev"], team["customers_retained"]) == (len(prev), int(prev["retained"].sum()))
    by = prev.groupby("Country")["retained"].agg(["size", "sum"])
    got = {m["manager"]: (m["customers_prev"], m["customers_retained"]) for m in report["managers"]
           if m["customers_prev"]}
    assert got == {c: (int(r["size"]), int(r["sum"])) for c, r in by.iterrows()}
    # the monthly cohort table over the customers, up to the report's month
    o = cust[cust["month"] <= nov]
    first = o.groupby("CustomerID")["month"].transform("min")
    o = o.assign(k=(o["month"] - first).apply(lambda x: x.n), cohort=first.astype(str))
    want = o.groupby(["cohort", "k"])["CustomerID"].nunique().to_dict()
    cells = {(r["cohort"], r["period_index"]): r["retained"] for r in report["cohort_retention"] if r["retained"]}
    assert cells == want
    assert {r["cohort"]: r["size"] for r in report["cohort_retention"]} == \
        o.groupby("cohort")["CustomerID"].nunique().to_dict()
    notes = [n["params"] for n in report["data_quality"]["notes"] if n["code"] == "no_client"]
    assert sum(n["won"] for n in notes) == sales.loc[sales["CustomerID"].isna(), "InvoiceNo"].nunique()
    assert sum(n["revenue"] for n in notes) == pytest.approx(sales.loc[sales["CustomerID"].isna(), "total"].sum(),
                                                             abs=0.05)


def test_northwind_monthly_cohort_table(tmp_path):
    """The CLI on the whole folder: its monthly cohort table equals the one computed by hand."""
    import csv
    import json

    from metrics.cli import main
    out = tmp_path / "r.json"
    assert main(["report", "--deals", str(REAL / "northwind"), "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    base = REAL / "northwind"
    with open(base / "orders.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with open(base / "customers.csv", newline="", encoding="utf-8") as fh:
        names = {r[0]: " ".join(r[1].split()) for r in list(csv.reader(fh))[1:]}
    o = pd.DataFrame([(r[1], r[3]) for r in rows[1:]], columns=["customerID", "orderDate"])
    o["client"] = o["customerID"].map(names)
    o["month"] = pd.PeriodIndex(pd.to_datetime(o["orderDate"]), freq="M")
    o = o[o["month"] <= pd.Period(report["period"]["end"][:7], freq="M")]   # up to the report's period
    first = o.groupby("client")["month"].transform("min")
    o["k"] = (o["month"] - first).apply(lambda x: x.n)
    o["cohort"] = first.astype(str)
    want = o.groupby(["cohort", "k"])["client"].nunique().to_dict()
    sizes = o.groupby("cohort")["client"].nunique().to_dict()
    got = {(r["cohort"], r["period_index"]): r["retained"] for r in report["cohort_retention"] if r["retained"]}
    assert got == want
    assert {r["cohort"]: r["size"] for r in report["cohort_retention"]} == sizes
    files = {f["file"]: f for f in report["data_quality"]["files"]}
    assert files["order-details.csv"]["kind"] == "order lines"
    assert files["employees.csv"]["kind"] == "users" and files["customers.csv"]["kind"] == "clients"


@pytest.mark.parametrize("path, message", [
    ("northwind/employees.csv", "employees.csv looks like a users list (id → name: employeeID → firstName lastName); "
                                "give the deals / orders file with it"),
    ("maven_crm/accounts.csv", "accounts.csv looks like a clients list (id → name: account); give the deals / "
                               "orders file with it"),
    ("salesforce_wave/User.csv", "User.csv looks like a users list (id → name: External_Id__c → Name); give the "
                                 "deals / orders file with it"),
])
def test_one_lookup_file_alone_is_refused_by_the_cli(path, message, capsys):
    from metrics.cli import main
    assert main(["report", "--deals", str(REAL / path), "--quiet"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.strip() == f"error: {message}"
