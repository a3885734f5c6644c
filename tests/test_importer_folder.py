"""Tiny fixtures of our own for each trap of client data (issue 13): the columns chosen by evidence, invoice
lines, cancellations, ids resolved by a users file, lookups, documentation, duplicates — with the
message each case gets."""
from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from ui.fmt import inert

from metrics.errors import DataError
from metrics.ingest import ingest, quality_report


def csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode()


def codes(got) -> set[str]:
    return {w["code"] for q in got.data.quality for w in q.warnings}


def warning(got, code: str) -> dict:
    return next(w for q in got.data.quality for w in q.warnings if w["code"] == code)


def shop_orders() -> pd.DataFrame:
    return pd.DataFrame({
        "Order date": ["2025-01-05", "2025-01-20", "2025-02-03", "2025-02-10", "2025-03-01", "2025-03-02"],
        "Customer ID": ["C-1", "C-2", "C-1", "C-3", "C-1", "C-2"],
        "Sales rep": ["Ann", "Bob", "Ann", "Bob", "Ann", "Bob"],
        "Order total": [100.0, 200.0, 150.0, 50.0, 70.0, 30.0]})


def test_customer_id_is_the_client_not_the_deal_id():
    got = ingest([("orders.csv", csv(shop_orders()))])
    d = got.data.deals
    assert len(d) == 6                                   # one deal per order, none merged
    assert d["client"].tolist() == ["C-1", "C-2", "C-1", "C-3", "C-1", "C-2"]
    assert d.groupby("client").size().to_dict() == {"C-1": 3, "C-2": 2, "C-3": 1}   # clients repeat
    w = warning(got, "client_or_id")
    assert w["params"]["flip"] == '--map "orders.csv:deal_id=Customer ID"'
    assert "'Customer ID' was taken as the client (3 clients for 6 rows)" in w["message"]


def test_customer_id_beside_order_id():
    df = shop_orders().assign(**{"Order ID": ["O1", "O2", "O3", "O4", "O5", "O6"]})
    got = ingest([("orders.csv", csv(df))])
    f = got.files[0]
    assert f.mapping["deal_id"] == "Order ID" and f.mapping["client"] == "Customer ID"
    assert "client_or_id" not in codes(got)


def test_flip_map_for_one_file_only():
    other = pd.DataFrame({"Дата": ["2025-01-05"], "Менеджер": ["Ann"], "Сумма": [5.0], "Клиент": ["X"]})
    got = ingest([("orders.csv", csv(shop_orders())), ("other.csv", csv(other))],
                 mappings={"orders.csv": {"deal_id": "Customer ID"}})
    d = got.data.deals
    assert sorted(d["deal_id"])[:3] == ["C-1", "C-2", "C-3"] and len(d) == 4   # lines of one id merged


def test_line_total_is_never_multiplied_again():
    lines = pd.DataFrame({"Order ID": ["A", "A", "B"], "Order Date": ["2025-01-01"] * 3, "Region": ["W", "W", "E"],
                          "Product": ["p1", "p2", "p1"], "Sales": [10.0, 20.0, 5.0], "Quantity": [2, 3, 1],
                          "Customer": ["x", "x", "y"]})
    got = ingest([("superstore.csv", csv(lines))], mappings={"*": {"manager": "Region"}})
    d = got.data.deals.set_index("deal_id")
    assert d["amount"].to_dict() == {"A": 30.0, "B": 5.0}
    assert "line_totals" not in codes(got)


def test_unit_price_times_quantity_times_discount():
    lines = pd.DataFrame({"InvoiceNo": ["1", "1", "1", "2"], "InvoiceDate": ["2025-01-01 10:00"] * 4,
                          "StockCode": ["a", "b", "c", "a"], "Quantity": [2, 3, 3, 1],
                          "UnitPrice": [1.5, 2.0, 2.0, 1.5], "Discount": [0, 0.1, 0.1, 0], "CustomerID": ["9", "9", "9", "8"],
                          "Country": ["UK", "UK", "UK", "FR"]})
    got = ingest([("retail.csv", csv(lines))], mappings={"*": {"manager": "Country"}})
    d = got.data.deals.set_index("deal_id")
    # b and c share a price on one invoice: different products, not duplicates
    assert d.loc["1", "amount"] == pytest.approx(2 * 1.5 + 3 * 2.0 * 0.9 + 3 * 2.0 * 0.9)
    assert d.loc["2", "amount"] == 1.5
    w = warning(got, "line_totals")
    assert w["message"] == "retail.csv: no line-total column; amount = Quantity × UnitPrice × (1 − Discount)"


def test_exact_duplicate_lines_only():
    lines = pd.DataFrame({"InvoiceNo": ["1", "1", "1"], "InvoiceDate": ["2025-01-01"] * 3, "StockCode": ["a", "a", "b"],
                          "Quantity": [1, 1, 1], "UnitPrice": [2.0, 2.0, 2.0], "CustomerID": ["9"] * 3,
                          "Country": ["UK"] * 3})
    got = ingest([("r.csv", csv(lines))], mappings={"*": {"manager": "Country"}})
    assert got.data.deals["amount"].tolist() == [4.0]
    q = got.data.quality[0]
    assert q.duplicates == 1 and {d["reason"] for d in q.dropped} == {"duplicate", "merged_lines"}
    assert q.rows_read - q.rows_used == sum(d["count"] for d in q.dropped)


def test_cancellations_are_not_sales():
    lines = pd.DataFrame({"InvoiceNo": ["100", "100", "C101", "102"], "InvoiceDate": ["2025-01-01"] * 4,
                          "StockCode": ["a", "b", "a", "c"], "Quantity": [2, 1, -2, -1],
                          "UnitPrice": [5.0, 3.0, 5.0, 4.0], "CustomerID": ["1", "1", "1", "2"], "Country": ["UK"] * 4})
    got = ingest([("r.csv", csv(lines))], mappings={"*": {"manager": "Country"}})
    d = got.data.deals
    assert d["deal_id"].tolist() == ["100"] and d["amount"].tolist() == [13.0]
    w = warning(got, "cancellations")
    assert w["params"]["count"] == 2 and w["params"]["amount"] == 14.0
    assert got.data.quality[0].dropped[0]["reason"] == "cancellation"


def test_line_without_client_counts_for_revenue():
    lines = pd.DataFrame({"InvoiceNo": ["1", "2"], "InvoiceDate": ["2025-01-01"] * 2, "StockCode": ["a", "b"],
                          "Quantity": [1, 2], "UnitPrice": [5.0, 3.0], "CustomerID": ["7", None], "Country": ["UK"] * 2})
    got = ingest([("r.csv", csv(lines))], mappings={"*": {"manager": "Country"}})
    assert got.data.deals["amount"].sum() == 11.0
    assert warning(got, "line_totals_plain")["message"] == "r.csv: no line-total column; amount = Quantity × UnitPrice"
    assert warning(got, "lines_without_client")["params"] == {"file": "r.csv", "count": 1, "amount": 6.0}
    # the invoice keeps an empty client: no one-off customer of its own
    assert got.data.deals.set_index("deal_id")["client"].to_dict() == {"1": "7", "2": None}
    w = warning(got, "no_client")
    assert w["params"] == {"file": "r.csv", "count": 1, "won": 1, "revenue": 6.0}
    assert w["message"] == ("r.csv: 1 deal(s) have no client (1 won, revenue 6.0); they count for revenue, won "
                            "deals, average deal and conversion, not as customers (retention, cohorts)")


def test_no_client_note_in_three_languages():
    from ui.catalogues import message
    w = {"file": "r.csv", "count": 2, "won": 1, "revenue": 6.0}
    assert message("warn.no_client", "en", w).startswith("r.csv: 2 deals have no client (1 won, revenue 6.0)")
    assert message("warn.no_client", "ru", w).startswith("r.csv: у 2 сделок нет клиента (выиграно 1, выручка 6.0)")
    assert message("warn.no_client", "uk", dict(w, count=1)).startswith(
        "r.csv: у 1 угоди немає клієнта (виграно 1, виручка 6.0); вона входить у виручку")


def salesforce_like() -> list[tuple[str, bytes]]:
    opp = pd.DataFrame({"External_Id__c": ["O.1", "O.2", "O.3"], "Owner.External_Id__c": ["U.1", "U.2", "U.1"],
                        "Account.External_Id__c": ["A.1", "A.1", "A.2"], "Name": ["Deal one", "Deal two", "Deal three"],
                        "StageName": ["Closed Won", "Closed Lost", "Closed Won"], "Amount": [100, 50, 25],
                        "CloseDate": ["2025-01-10", "2025-01-11", "2025-02-01"],
                        "DateTimeCreated__c": ["2025-01-01", "2025-01-02", "2025-01-03"]})
    users = pd.DataFrame({"UserRole.Name": ["East", "West"], "External_Id__c": ["U.1", "U.2"],
                          "Name": ["Ann Lee", "Bob Roy"], "Email": ["a@x", "b@x"]})
    return [("Opportunity.csv", csv(opp)), ("User.csv", csv(users))]


def test_ids_and_a_users_file():
    got = ingest(salesforce_like())
    d = got.data.deals.set_index("deal_id")
    assert d["manager"].to_dict() == {"O.1": "Ann Lee", "O.2": "Bob Roy", "O.3": "Ann Lee"}
    assert d["client"].to_dict() == {"O.1": "A.1", "O.2": "A.1", "O.3": "A.2"}   # the account, not the title
    assert d["team"].to_dict() == {"O.1": "East", "O.2": "West", "O.3": "East"}
    rep = {r["file"]: r for r in quality_report(got.data, got.files)}
    assert rep["User.csv"]["kind"] == "users" and rep["User.csv"]["used"]
    assert "Owner.External_Id__c = User.csv:External_Id__c" in rep["User.csv"]["reason"]


def test_a_lookup_sharing_no_key_is_set_aside():
    stray = pd.DataFrame({"code": ["X1", "X2"], "label": ["a", "b"]})
    got = ingest([*salesforce_like(), ("stray.csv", csv(stray))])
    rep = {r["file"]: r for r in quality_report(got.data, got.files)}
    assert rep["stray.csv"] == {"file": "stray.csv", "kind": "unused", "used": False,
                                "reason": "shares no key with the deals, activities or plans files"}
    assert len(got.data.deals) == 3


def test_a_sheet_that_is_documentation_and_zip():
    buf = io.BytesIO()
    opp, users = salesforce_like()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        pd.read_csv(io.BytesIO(opp[1])).to_excel(xw, sheet_name="Opportunities", index=False)
        pd.read_csv(io.BytesIO(users[1])).to_excel(xw, sheet_name="Users", index=False)
        pd.DataFrame({"Table": ["Opportunities"], "Field": ["Amount"], "Description": ["Deal value"]}).to_excel(
            xw, sheet_name="Readme", index=False)
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("export/crm.xlsx", buf.getvalue())
        zf.writestr("export/notes.pdf", b"%PDF-1.4")
    got = ingest([("export.zip", z.getvalue())])
    assert got.data.deals["manager"].tolist() == ["Ann Lee", "Bob Roy", "Ann Lee"]
    aside = {a["file"]: (a["kind"], a["reason"]) for a in got.data.set_aside}
    assert aside["export.zip/export/crm.xlsx:Readme"] == ("documentation", "describes the columns of the other files")
    assert aside["export.zip/export/notes.pdf"] == ("not_a_table", "not a table file (.pdf)")


def test_same_file_twice_and_two_files_with_one_name():
    a = csv(shop_orders())
    b = csv(shop_orders().assign(**{"Sales rep": "Cid"}))
    got = ingest([("orders.csv", a), ("orders.csv", a), ("orders.csv", b)])
    assert [f.name for f in got.files] == ["orders.csv", "orders (2).csv"]
    assert got.data.set_aside == [{"file": "orders.csv", "kind": "duplicate", "other": "orders.csv",
                                   "reason": "the same file as orders.csv; read once"}]


def test_folder_without_deals_names_every_file():
    users = salesforce_like()[1]
    with pytest.raises(DataError):
        ingest([users, ("stray.csv", csv(pd.DataFrame({"a": [1, 2], "b": [3, 4]})))])


@pytest.mark.usefixtures("no_legacy_pages_dir")
def test_data_page_with_a_folder_twice_the_same_file_and_a_shared_unknown_stage():
    """The Data page with the same file uploaded twice, two files with one name and two exports sharing an
    unknown stage: no StreamlitWidgetAlreadyInstantiatedError; lookups and close calls shown."""
    from apphelp import uploaded
    deals = pd.DataFrame({"ID": ["1", "2"], "Менеджер": ["Ann", "Bob"], "Клиент": ["x", "y"],
                          "Дата создания": ["2025-01-05", "2025-01-06"], "Стадия": ["Странная", "Выиграна"],
                          "Сумма": [10, 20]})
    other = deals.assign(ID=["3", "4"])
    opp, users = salesforce_like()
    files = [("deals.csv", csv(deals), "text/csv"), ("deals.csv", csv(deals), "text/csv"),
             ("deals.csv", csv(other), "text/csv"), opp + ("text/csv",), users + ("text/csv",),
             ("orders.csv", csv(shop_orders()), "text/csv")]
    for lang in ("en", "ru", "uk"):
        at = uploaded(files, lang, "pages/data.py", timeout=90)
        parts = next(d.value for d in at.table if len(d.value.columns) == 3 and "User.csv" in set(d.value.iloc[:, 0]))
        assert len(parts) == 2                       # User.csv (users) and the duplicate deals.csv
        # the flip is shown as inert text (Markdown-escaped: it reads exactly as the command when rendered)
        assert any(inert('--map "orders.csv:deal_id=Customer ID"') in w.value for w in at.warning)


def test_parallel_reading_gives_the_same_dataset():
    files = [*salesforce_like(), ("orders.csv", csv(shop_orders()))]
    a, b = ingest(files).data, ingest(files, parallel=True).data
    pd.testing.assert_frame_equal(a.deals, b.deals)
    assert a.warnings == b.warnings and a.lookups == b.lookups


def test_a_repeating_deal_id_without_products_is_asked_about():
    df = pd.DataFrame({"Deal ID": ["7", "7", "8"], "Manager": ["Ann", "Ann", "Bob"], "Created": ["2025-01-01"] * 3,
                       "Amount": [10.0, 20.0, 5.0], "Status": ["won"] * 3, "Client": ["x", "x", "y"]})
    got = ingest([("d.csv", csv(df))])
    assert got.data.deals.set_index("deal_id")["amount"].to_dict() == {"7": 30.0, "8": 5.0}
    w = warning(got, "id_repeats")
    assert w["message"] == ("d.csv: deal id 'Deal ID' repeats (2 rows for 1 ids) and was read as lines of one deal; "
                            'if it is the client, use --map "d.csv:client=Deal ID"')


@pytest.mark.parametrize("name, frame, code, detail", [
    ("employees.csv", pd.DataFrame({"employeeID": [1, 2, 3], "lastName": ["Davolio", "Fuller", "Leverling"],
                                    "firstName": ["Nancy", "Andrew", "Janet"],
                                    "hireDate": ["1992-05-01", "1992-08-14", "1992-04-01"]}),
     "alone_users", "employeeID → firstName lastName"),
    ("users.csv", pd.DataFrame({"ID": [11, 12], "Name": ["Ann Lee", "Bob Roe"], "Email": ["a@x.io", "b@x.io"]}),
     "alone_users", "ID → Name"),
    ("customers.csv", pd.DataFrame({"customerID": ["ALFKI", "ANATR"], "companyName": ["Alfreds", "Ana Trujillo"],
                                    "country": ["Germany", "Mexico"]}), "alone_clients", "customerID → companyName"),
    ("accounts.csv", pd.DataFrame({"account": ["Acme", "Betasoloin"], "sector": ["tech", "medical"],
                                   "revenue": [1100.04, 251.41]}), "alone_clients", "account"),
    ("sales_teams.csv", pd.DataFrame({"sales_agent": ["Anna", "Cecily"], "manager": ["Dustin", "Dustin"],
                                      "regional_office": ["Central", "Central"]}),
     "alone_team", "sales_agent → manager, regional_office"),
])
def test_a_lookup_alone_is_refused_saying_what_it_was_taken_for(name, frame, code, detail):
    with pytest.raises(DataError) as e:
        ingest([(name, csv(frame))])
    assert (e.value.code, e.value.params["file"], e.value.params["detail"]) == (code, name, detail)
    assert str(e.value).startswith(f"{name} looks like a ") and str(e.value).endswith(
        "give the deals / orders file with it")


def test_lookup_alone_message_in_three_languages():
    from ui.catalogues import message
    p = {"file": "employees.csv", "detail": "employeeID → firstName lastName"}
    assert message("err.alone_users", "en", p) == ("employees.csv looks like a users list (id → name: employeeID → "
                                                  "firstName lastName); give the deals / orders file with it")
    assert message("err.alone_users", "ru", p).startswith("employees.csv похож на список пользователей")
    assert message("err.alone_clients", "uk", p).startswith("employees.csv схожий на список клієнтів")


def test_a_deals_file_alone_is_still_read_and_a_mapped_lookup_too():
    # a deals file whose only unique columns are ids is not taken for a lookup
    got = ingest([("orders.csv", csv(shop_orders()))])
    assert len(got.data.deals) == 6
    # the user naming a date and an amount makes the table a main one again (read the old way)
    users = pd.DataFrame({"ID": ["11", "12"], "Name": ["Ann Lee", "Bob Roe"], "Since": ["2025-01-02", "2025-01-03"],
                          "Bonus": [5, 7]})
    got = ingest([("users.csv", csv(users))], mappings={"*": {"created_at": "Since", "amount": "Bonus",
                                                                "manager": "Name"}})
    assert sorted(got.data.deals["manager"]) == ["Ann Lee", "Bob Roe"]


# ---- id-keyed exports of HubSpot, Pipedrive and Zoho with an owners / users file (issue 13) ----------------
HUB_DEALS = pd.DataFrame({
    "Record ID": ["9001000001", "9001000002", "9001000003", "9001000004", "9001000005", "9001000006"],
    "Deal Name": ["Acme renewal", "Beta pilot", "Gamma", "Delta", "Eps", "Zeta"],
    "Deal Stage": ["Closed Won", "Closed Lost", "Closed Won", "Appointment Scheduled", "Closed Won", "Closed Won"],
    "Create Date": ["2025-01-03", "2025-01-05", "2025-01-10", "2025-02-01", "2025-02-03", "2025-02-04"],
    "Close Date": ["2025-01-20", "2025-01-25", "2025-02-10", "2025-03-30", "2025-02-20", "2025-02-21"],
    "Deal owner": ["41629779", "41629780", "41629779", "41629781", "41629780", "41629781"],   # owner ids
    "Amount": [1200, 300, 800, 500, 450, 1000],
    "Associated Company": ["Acme", "Beta", "Gamma", "Delta", "Eps", "Zeta"]})
HUB_OWNERS = pd.DataFrame({"Owner ID": ["41629779", "41629780", "41629781"],
                           "First name": ["Holly", "Michael", "Dwight"], "Last name": ["Flax", "Scott", "Schrute"],
                           "Email": ["holly@dm.example", "michael@dm.example", "dwight@dm.example"]})
#: won revenue per owner by hand: Holly 1200 + 800, Michael 450 (300 lost), Dwight 1000 (500 open)
HUB_WON = {"Holly Flax": 2000.0, "Michael Scott": 450.0, "Dwight Schrute": 1000.0}

PIPE_DEALS = pd.DataFrame({
    "Deal - ID": [1, 2, 3, 4, 5, 6], "Deal - Title": ["A deal", "B deal", "C deal", "D deal", "E deal", "F deal"],
    "Deal - Value": [100, 250, 75, 400, 60, 90], "Deal - Currency": ["EUR"] * 6,
    "Deal - Owner ID": [10234567, 10234568, 10234567, 10234569, 10234568, 10234567],
    "Deal - Status": ["Won", "Lost", "Won", "Open", "Won", "Won"],
    "Deal - Deal created": ["2025-01-02 10:00:00", "2025-01-04 11:00:00", "2025-01-09 09:00:00",
                            "2025-02-01 12:00:00", "2025-02-02 08:00:00", "2025-02-05 08:00:00"],
    "Deal - Won time": ["2025-01-15 10:00:00", "", "2025-02-03 10:00:00", "", "2025-02-12 10:00:00",
                        "2025-02-14 10:00:00"],
    "Deal - Lost time": ["", "2025-01-20 10:00:00", "", "", "", ""],
    "Deal - Organization": ["Org A", "Org B", "Org C", "Org D", "Org E", "Org A"]})
PIPE_USERS = pd.DataFrame({"ID": [10234567, 10234568, 10234569], "Name": ["Ann Lee", "Bob Roe", "Cy Doe"],
                           "Email": ["a@x.example", "b@x.example", "c@x.example"]})
#: Ann 100 + 75 + 90, Bob 60 (250 lost), Cy nothing won (400 open)
PIPE_WON = {"Ann Lee": 265.0, "Bob Roe": 60.0}

_Z = "zcrm_41508680000002240"
ZOHO_DEALS = pd.DataFrame({
    "Record Id": [f"zcrm_41508680000003010{i:02d}" for i in range(6)],
    "Deal Owner.id": [_Z + "05", _Z + "06", _Z + "05", _Z + "07", _Z + "06", _Z + "07"],
    "Deal Name": ["D1", "D2", "D3", "D4", "D5", "D6"], "Account Name": ["Acc1", "Acc2", "Acc1", "Acc3", "Acc4", "Acc2"],
    "Amount": [500, 120, 330, 90, 610, 40],
    "Stage": ["Closed Won", "Closed Lost", "Closed Won", "Qualification", "Closed Won", "Closed Won"],
    "Closing Date": ["2025-01-20", "2025-01-22", "2025-02-11", "2025-03-15", "2025-02-18", "2025-02-25"],
    "Created Time": ["2025-01-02 10:00:00", "2025-01-04 11:00:00", "2025-01-09 09:00:00", "2025-02-01 12:00:00",
                     "2025-02-02 08:00:00", "2025-02-05 08:00:00"]})
ZOHO_USERS = pd.DataFrame({"User Id": [_Z + "05", _Z + "06", _Z + "07"], "First Name": ["Olga", "Petro", "Iryna"],
                           "Last Name": ["Koval", "Shevchenko", "Bondar"], "Email": ["o@z.example", "p@z.example", "i@z.example"],
                           "Role": ["Sales", "Sales", "Head of sales"]})
#: Olga 500 + 330, Petro 610 (120 lost), Iryna 40 (90 open)
ZOHO_WON = {"Olga Koval": 830.0, "Petro Shevchenko": 610.0, "Iryna Bondar": 40.0}


def won_by_manager(got) -> dict[str, float]:
    d = got.data.deals
    return d[d["status"] == "won"].groupby("manager")["amount"].sum().to_dict()


def _hubspot_internal_names() -> pd.DataFrame:
    """The same deals exported with HubSpot's internal property names (hubspot_owner_id, dealstage …)."""
    d = HUB_DEALS.drop(columns=["Associated Company"]).rename(columns={
        "Record ID": "hs_object_id", "Deal Name": "dealname", "Deal Stage": "dealstage", "Create Date": "createdate",
        "Close Date": "closedate", "Deal owner": "hubspot_owner_id", "Amount": "amount"})
    d["dealstage"] = d["dealstage"].map({"Closed Won": "closedwon", "Closed Lost": "closedlost",
                                         "Appointment Scheduled": "appointmentscheduled"})
    return d


@pytest.mark.parametrize("system, files, won, owner_col, key", [
    ("hubspot", [("hubspot-crm-exports-all-deals-2025-03-01.csv", HUB_DEALS), ("owners.csv", HUB_OWNERS)],
     HUB_WON, "Deal owner", "Owner ID"),
    ("hubspot", [("deals.csv", _hubspot_internal_names()), ("owners.csv", HUB_OWNERS)], HUB_WON,
     "hubspot_owner_id", "Owner ID"),
    ("pipedrive", [("deals-1.csv", PIPE_DEALS), ("users.csv", PIPE_USERS)], PIPE_WON, "Deal - Owner ID", "ID"),
    ("zoho", [("Deals_2025_03_01.csv", ZOHO_DEALS), ("Users.csv", ZOHO_USERS)], ZOHO_WON, "Deal Owner.id", "User Id"),
    ("zoho", [("Deals_2025_03_01.csv", ZOHO_DEALS.rename(columns={"Deal Owner.id": "Owner Id"})),
              ("Users.csv", ZOHO_USERS.rename(columns={"User Id": "Id"}).assign(
                  **{"Full Name": ["Olga Koval", "Petro Shevchenko", "Iryna Bondar"], "First Name": "x"}))],
     ZOHO_WON, "Owner Id", "Id"),
])
def test_owner_ids_become_names_from_the_owners_file(system, files, won, owner_col, key):
    got = ingest([(n, csv(f)) for n, f in files])
    deals_name, users_name = files[0][0], files[1][0]
    assert won_by_manager(got) == won                           # names, and the per-owner won revenue by hand
    assert set(got.data.deals["manager"]) == set(won) | (set() if system != "pipedrive" else {"Cy Doe"})
    q = {r["file"]: r for r in quality_report(got.data, got.files)}
    assert q[deals_name]["joined"] == [{"file": users_name, "as": "users", "by": f"{owner_col} = {users_name}:{key}"}]
    assert q[users_name]["kind"] == "users" and q[users_name]["used"]


def test_an_owners_file_sharing_no_id_is_set_aside_with_its_reason():
    other = HUB_OWNERS.assign(**{"Owner ID": ["1", "2", "3"]})
    got = ingest([("hubspot-crm-exports-all-deals-2025-03-01.csv", csv(HUB_DEALS)), ("owners.csv", csv(other))])
    assert sorted(got.data.deals["manager"].unique()) == ["41629779", "41629780", "41629781"]   # stay ids
    q = {r["file"]: r for r in quality_report(got.data, got.files)}
    assert q["owners.csv"] == {"file": "owners.csv", "kind": "unused", "used": False,
                               "reason": "shares no key with the deals, activities or plans files"}
    deals = "hubspot-crm-exports-all-deals-2025-03-01.csv"
    w = [x for x in got.data.notes if x["code"] == "managers_are_ids"]             # data_quality.notes
    assert [x["params"] for x in w] == [{"file": deals, "users": "owners.csv", "column": "Deal owner",
                                         "example": "41629779", "count": 3}]
    f = next(f for f in got.files if f.name == deals)
    assert [x["code"] for x in f.quality.warnings].count("managers_are_ids") == 1   # on the deals file itself
    assert [m for m in got.data.warnings if "look like ids" in m] == [            # data_quality.warnings
        f"{deals}: the managers look like ids (e.g. '41629779' in 'Deal owner', 3 distinct); owners.csv was set "
        "aside because it shares no id with this file — export the users with the same ids to see names"]


def test_managers_already_names_get_no_ids_warning_when_an_owners_file_is_set_aside():
    named = HUB_DEALS.assign(**{"Deal owner": ["Holly Flax", "Michael Scott", "Holly Flax", "Dwight Schrute",
                                               "Michael Scott", "Dwight Schrute"]})
    got = ingest([("deals.csv", csv(named)), ("owners.csv", csv(HUB_OWNERS.assign(**{"Owner ID": ["1", "2", "3"]})))])
    assert sorted(got.data.deals["manager"].unique()) == ["Dwight Schrute", "Holly Flax", "Michael Scott"]
    assert not [x for x in got.data.notes if x["code"] == "managers_are_ids"]
    # and when the owners file does share the ids, the managers are names and nothing is said
    ok = ingest([("deals.csv", csv(HUB_DEALS)), ("owners.csv", csv(HUB_OWNERS))])
    assert sorted(ok.data.deals["manager"].unique()) == ["Dwight Schrute", "Holly Flax", "Michael Scott"]
    assert not [x for x in ok.data.notes if x["code"] == "managers_are_ids"]
