"""Vocabularies of the importer: header synonyms, stage names, yes/no words, month names, currencies.

Everything language- or vendor-specific lives here, so adding a CRM or a language means adding words,
not code. Header phrases are written naturally ("Дата создания", "Deal owner"); the mapping module
normalises them the same way it normalises the file's headers (case, ё/е, punctuation, simple RU/UA/EN
stemming), so word forms ("Сумма"/"Суммы", "Deals"/"Deal") match each other.

Sources: /work/shared/notes/crm-exports.md (vendor source code, public importers, real export files).
"""
from __future__ import annotations

import re

# --------------------------------------------------------------------------------------------------
# Header synonyms: field -> [(phrase, weight)]. A header matching a phrase exactly scores weight + 20;
# a header containing all the phrase's words (and more) scores weight - 3 per extra word.
# NEGATIVE: word prefixes (after stemming) that disqualify a header for that field.
# --------------------------------------------------------------------------------------------------

_PERSON_MANAGER = [
    ("ответственный", 90), ("ответственный менеджер", 94), ("відповідальний", 90),
    ("відповідальний менеджер", 94), ("responsible", 90), ("responsible user", 92),
    ("responsible person", 90), ("менеджер", 86), ("manager", 86), ("sales manager", 90),
    ("менеджер по продажам", 90), ("менеджер з продажу", 90), ("account manager", 80),
    ("deal owner", 94), ("opportunity owner", 94), ("lead owner", 88), ("owner", 82),
    ("hubspot owner", 88), ("hubspot owner id", 90), ("owner name", 86), ("assigned to", 82), ("assigned to user", 84),
    ("assigned user", 84), ("sales rep", 88), ("sales representative", 88), ("salesperson", 88),
    ("sales person", 88), ("rep", 62), ("seller", 74), ("продавец", 76), ("продавець", 76),
    ("торговый представитель", 80), ("торговий представник", 80), ("сотрудник", 72),
    ("співробітник", 72), ("працівник", 70), ("employee", 66), ("агент", 56), ("agent", 56),
    ("исполнитель", 62), ("виконавець", 62), ("пользователь", 50), ("користувач", 50), ("user", 50),
    ("manager", 86),
]
_MANAGER_NEGATIVE = [
    "кем", "ким", "by", "creat", "создал", "создат", "створ", "автор", "author", "modif", "edit", "измен",
    "изменя", "редакт", "змін", "редаг", "updat", "контакт", "contact", "компан", "company", "account",
    "клиент", "клієнт", "client", "customer", "organiz", "организ", "організ", "email", "mail", "phone",
    "телефон", "почт", "пошт", "previous", "предыдущ", "попередн", "former", "last", "дата", "date",
]

_ACTIVITY_MANAGER_EXTRA = [
    ("activity assigned to", 94), ("assigned to user", 92), ("сотрудник", 86), ("співробітник", 86),
    ("працівник", 82), ("employee", 82), ("оператор", 72), ("operator", 72), ("agent", 72), ("user", 72),
    ("caller", 70),
]

_TEXT_NEGATIVE = [
    "phone", "телефон", "email", "mail", "почт", "пошт", "адрес", "address", "city", "город", "місто",
    "сайт", "web", "site", "url", "инн", "єдрпоу", "едрпоу", "edrpou", "тип", "type", "industr",
    "отрасл", "галуз", "segment", "сегмент", "дата", "date", "time", "источник", "джерел", "source",
    "creat", "created", "modif", "кем", "ким", "by",
]
_OWNER_WORDS = ["ответствен", "відповідальн", "owner", "responsib", "manager", "менеджер", "assigned"]

DEAL_FIELDS: dict[str, list[tuple[str, int]]] = {
    "deal_id": [
        ("id", 92), ("deal id", 96), ("record id", 94), ("opportunity id", 96), ("lead id", 90),
        ("id сделки", 96), ("id угоди", 96), ("id лида", 90), ("ид", 88), ("идентификатор", 88),
        ("ідентифікатор", 88), ("номер", 70), ("номер сделки", 94), ("номер угоди", 94),
        ("order id", 94), ("order number", 92), ("order no", 92), ("номер заказа", 94),
        ("номер замовлення", 94), ("заказ номер", 90), ("invoice number", 88), ("transaction id", 88),
        ("deal_id", 100), ("opportunity number", 90), ("hs object id", 94),
        ("invoice no", 90), ("invoice", 84), ("invoice id", 92), ("order no", 92), ("order", 80),
        ("external id", 88), ("номер счета", 90), ("номер рахунку", 90), ("номер чека", 90),
    ],
    "manager": _PERSON_MANAGER,
    "client": [
        ("клиент", 92), ("клієнт", 92), ("client", 92), ("customer", 92), ("client name", 92),
        ("customer name", 92), ("компания", 90), ("компанія", 90), ("company", 90),
        ("company name", 90), ("associated company", 90), ("название компании", 90),
        ("назва компанії", 90), ("account name", 92), ("account", 82), ("organization", 88),
        ("organisation", 88), ("organization name", 90), ("организация", 88), ("організація", 88),
        ("контрагент", 88), ("покупатель", 82), ("покупець", 82), ("buyer", 82), ("заказчик", 86),
        ("замовник", 86), ("компания контакта", 72), ("компанія контакту", 72),
    ],
    "contact": [
        ("контакт", 86), ("contact", 86), ("contact name", 90), ("contact person", 90),
        ("полное имя контакта", 92), ("повне ім'я контакту", 92), ("имя контакта", 90),
        ("ім'я контакту", 90), ("associated contact", 88), ("person name", 82), ("фио", 70),
        ("піб", 70), ("full name", 62), ("primary contact", 86),
    ],
    "title": [
        ("название сделки", 96), ("назва угоди", 96), ("название", 82), ("назва", 82),
        ("deal name", 96), ("dealname", 96), ("deal title", 96), ("title", 86), ("opportunity name", 96),
        ("name", 60), ("название лида", 92), ("назва ліда", 92), ("название заявки", 92),
        ("назва заявки", 92), ("lead title", 92), ("lead name", 86), ("subject", 60), ("тема", 60),
        ("наименование", 70), ("найменування", 70),
    ],
    "created_at": [
        ("дата создания", 96), ("дата створення", 96), ("created", 88), ("create date", 96),
        ("created date", 96), ("created time", 96), ("created on", 92), ("deal created", 96),
        ("deal created on", 96), ("date created", 96), ("creation date", 96), ("created at", 96),
        ("дата создания сделки", 98), ("дата создания лида", 96), ("дата создания заявки", 96),
        ("дата створення угоди", 98), ("дата открытия", 72), ("open date", 72), ("start date", 62),
        ("дата начала", 62), ("дата початку", 62), ("дата", 52), ("date", 52), ("дата заказа", 84),
        ("дата замовлення", 84), ("order date", 84), ("sale date", 80), ("date of sale", 80),
        ("дата продажи", 80), ("дата продажу", 80), ("дата оплаты", 62), ("дата оплати", 62),
        ("payment date", 62), ("invoice date", 70), ("дата поступления", 72), ("lead created", 88),
        ("дата счета", 66), ("дата рахунку", 66), ("created_at", 100),
        ("createdate", 96),  # HubSpot internal property names (API / "export with internal names")
    ],
    "closed_at": [
        ("дата закрытия", 92), ("дата закриття", 92), ("closed date", 94), ("date closed", 94),
        ("close date", 86), ("closing date", 86), ("deal closed on", 96), ("closed on", 92),
        ("closed at", 94), ("closed time", 92), ("actual close date", 96), ("дата завершения", 82),
        ("дата завершення", 82), ("предполагаемая дата закрытия", 60), ("assumed close date", 60),
        ("орієнтовна дата закриття", 60), ("планируемая дата закрытия", 56),
        ("передбачувана дата закриття", 60), ("closed_at", 100), ("closedate", 86),
    ],
    "won_at": [("won time", 92), ("won date", 92), ("date won", 92), ("won on", 90)],
    "lost_at": [("lost time", 92), ("lost date", 92), ("date lost", 92), ("lost on", 90)],
    "modified_at": [
        ("дата изменения", 90), ("дата змінення", 90), ("дата зміни", 90), ("modified", 86),
        ("modified time", 90), ("modified date", 90), ("last modified", 88), ("last modified date", 90),
        ("дата редактирования", 90), ("дата редагування", 90), ("updated", 80), ("update time", 86),
        ("updated at", 86), ("last updated", 86), ("update date", 86),
    ],
    "stage": [
        ("стадия сделки", 96), ("стадія угоди", 96), ("стадия", 90), ("стадія", 90),
        ("этап сделки", 96), ("этап", 90), ("етап", 90), ("етап угоди", 96), ("stage", 90),
        ("deal stage", 96), ("dealstage", 96), ("sales stage", 92), ("pipeline stage", 90), ("стадия заявки", 92),
        ("стадія заявки", 92), ("stage name", 90), ("lead status", 86), ("статус лида", 86),
        ("статус ліда", 86),
    ],
    "status": [
        ("статус", 86), ("status", 86), ("deal status", 90), ("статус сделки", 92),
        ("статус угоди", 92), ("группа стадий", 72), ("група стадій", 72), ("stage group", 72),
        ("state", 60), ("результат", 60), ("outcome", 60), ("статус заказа", 80),
        ("статус замовлення", 80), ("order status", 80),
    ],
    "closed_flag": [
        ("сделка закрыта", 96), ("угода закрита", 96), ("closed", 86), ("is closed", 92),
        ("закрыта", 80), ("закрита", 80), ("закрыто", 80), ("закрито", 80), ("заявка закрыта", 92),
        ("заявка закрита", 92),
    ],
    "won_flag": [("won", 80), ("is won", 92), ("is closed won", 92), ("выиграна", 70), ("виграна", 70)],
    "amount": [
        ("сумма", 92), ("сума", 92), ("бюджет", 94), ("amount", 94), ("value", 82), ("deal value", 94),
        ("sale", 72), ("income", 86), ("revenue", 82), ("выручка", 82), ("виручка", 82), ("доход", 72),
        ("дохід", 72), ("стоимость", 72), ("вартість", 72), ("price", 50), ("цена", 50), ("ціна", 50),
        ("total", 62), ("order total", 84), ("total amount", 86), ("сумма заказа", 92),
        ("сума замовлення", 92), ("сумма сделки", 96), ("сума угоди", 96), ("возможная сумма", 86),
        ("можлива сума", 86), ("opportunity amount", 94), ("amount in company currency", 70),
    ],
    "currency": [
        ("валюта", 92), ("currency", 92), ("deal currency", 94), ("amount currency", 92),
        ("opportunity currency", 92), ("currency code", 92), ("валюта сделки", 94), ("валюта угоди", 94),
    ],
    "source": [
        ("источник", 92), ("джерело", 92), ("source", 86), ("lead source", 92), ("deal source", 92),
        ("источник сделки", 94), ("джерело угоди", 94), ("канал", 72), ("channel", 72),
        ("original source", 82), ("utm source", 62), ("источник лида", 90),
    ],
    "product": [
        ("товар", 84), ("product", 84), ("продукт", 84), ("product name", 88),
        ("наименование товара", 88), ("найменування товару", 88), ("line item", 72), ("позиция", 62),
        ("позиція", 62), ("sku", 62), ("артикул", 62), ("products", 84), ("stock code", 70),
        ("description", 56),
    ],
    # invoice / order lines: the line total is quantity × unit price × (1 − discount) when no amount
    "quantity": [("quantity", 94), ("qty", 92), ("количество", 94), ("кількість", 94), ("units", 80),
                 ("кол во", 90), ("units sold", 88)],
    "unit_price": [("unit price", 96), ("price", 88), ("цена", 88), ("ціна", 88), ("price each", 92),
                   ("цена за единицу", 96), ("ціна за одиницю", 96), ("unitprice", 96)],
    "discount": [("discount", 94), ("скидка", 94), ("знижка", 94), ("discount rate", 94)],
}

DEAL_NEGATIVE: dict[str, list[str]] = {
    "deal_id": ["owner", "ответствен", "відповідальн", "компан", "company", "account", "контакт",
                "contact", "person", "organiz", "pipeline", "воронк", "stage", "стади", "product",
                "товар", "телефон", "phone", "customer", "client", "клиент", "клієнт", "покупат",
                "buyer", "user", "employee", "agent", "stock", "row", "what", "postal", "zip"],
    "manager": _MANAGER_NEGATIVE,
    "client": _TEXT_NEGATIVE + _OWNER_WORDS + ["record", "what", "order", "invoice", "deal", "opportunit",
                                                "сделк", "угод", "заказ", "счет", "row", "stock"],
    "contact": _TEXT_NEGATIVE + _OWNER_WORDS + ["id", "компан", "company", "organiz", "организ", "організ"],
    "title": _TEXT_NEGATIVE + _OWNER_WORDS + [
        "id", "компан", "company", "контакт", "contact", "account", "organiz", "организ", "організ",
        "stage", "стади", "этап", "етап", "pipeline", "воронк", "направлен", "product", "товар", "file",
        "файл", "person", "клиент", "клієнт", "client", "customer", "менеджер", "status", "статус"],
    "created_at": ["кем", "ким", "by", "expect", "ожидаем", "очікув", "close", "закрыт", "закрит",
                   "modif", "измен", "змін", "редакт", "редаг", "last", "последн", "останн", "birth",
                   "рожд", "народж", "due", "follow", "next"],
    "closed_at": ["expect", "ожидаем", "очікув", "прогноз", "forecast", "кем", "ким", "by", "won", "lost"],
    "won_at": ["by", "кем", "ким"],
    "lost_at": ["by", "кем", "ким", "reason", "причин"],
    "modified_at": ["by", "кем", "ким"],
    "stage": ["group", "групп", "груп", "date", "дата", "probab", "вероятн", "ймовірн", "id", "history",
              "истори", "time", "время", "час", "change", "измен", "змін", "duration", "days", "дней", "днів"],
    "status": ["date", "дата", "time", "call", "звонк", "дзвінк", "payment", "оплат", "id", "email",
               "mail", "delivery", "достав", "reason", "причин"],
    "closed_flag": ["date", "дата", "by", "кем", "ким", "on", "time", "lost", "won", "reason", "причин"],
    "won_flag": ["date", "time", "дата", "amount", "reason", "причин"],
    "amount": ["currency", "валют", "expect", "weight", "взвеш", "зважен", "probab", "вероятн",
               "ймовірн", "tax", "налог", "податк", "ндс", "пдв", "vat", "discount", "скидк", "знижк",
               "id", "quantity", "количеств", "кількіст", "qty", "date", "дата", "recurring", "annual",
               "годов", "річн", "forecast", "прогноз", "paid", "оплачен", "debt", "долг", "борг", "cost",
               "margin", "марж", "profit", "прибыл", "прибут"],
    "currency": ["rate", "курс", "amount in", "exchange"],
    "source": ["description", "описан", "опис", "id", "data", "дата", "date", "drill", "detail"],
    "product": ["quantity", "количеств", "кількіст", "price", "цена", "ціна", "amount", "сумм", "сум",
                "id", "count", "qty", "discount", "скидк", "tax"],
    "quantity": ["price", "цена", "ціна", "amount", "date", "дата", "id"],
    "unit_price": ["total", "amount", "сумм", "date", "дата", "id", "list", "cost", "sales"],
    "discount": ["date", "дата", "id", "reason", "причин"],
}

ACTIVITY_FIELDS: dict[str, list[tuple[str, int]]] = {
    "activity_id": [
        ("id", 92), ("activity id", 96), ("record id", 94), ("call id", 94), ("id звонка", 94),
        ("id дзвінка", 94), ("ид", 88), ("activity_id", 100), ("engagement id", 90), ("task id", 90),
        ("id дела", 92), ("id справи", 92),
    ],
    "manager": _PERSON_MANAGER + _ACTIVITY_MANAGER_EXTRA,
    "type": [
        ("type", 82), ("activity type", 96), ("тип", 82), ("тип активности", 96), ("тип активності", 96),
        ("тип дела", 96), ("тип справи", 96), ("тип звонка", 90), ("тип дзвінка", 90), ("call type", 90),
        ("тип дії", 90), ("engagement type", 92), ("вид", 52), ("kind", 52), ("type", 82),
        ("subtype", 88), ("task subtype", 94), ("event subtype", 94), ("activity subtype", 94),
    ],
    "at": [
        ("due date", 92), ("activity date", 96), ("date", 72), ("дата", 72), ("дата вызова", 96),
        ("дата звонка", 96), ("дата дзвінка", 96), ("call date", 94), ("дата активности", 94),
        ("дата активності", 94), ("дата дела", 92), ("дата справи", 92), ("дата и время", 86),
        ("дата і час", 86), ("start time", 82), ("время начала", 82), ("час початку", 82),
        ("дата начала", 82), ("дата початку", 82), ("start date", 82), ("marked as done time", 72),
        ("дата выполнения", 80), ("дата виконання", 80), ("completed at", 76), ("timestamp", 82),
        ("deadline", 76), ("крайний срок", 76), ("дата создания", 62), ("дата створення", 62),
        ("created", 62), ("create date", 62), ("activity datetime", 94), ("at", 100),
    ],
    "time_of_day": [("due time", 94), ("activity time", 90), ("время звонка начала", 80)],
    "done": [
        ("done", 92), ("is done", 94), ("выполнено", 92), ("виконано", 92), ("выполнен", 88),
        ("completed", 86), ("is completed", 90), ("завершено", 82), ("marked as done", 86),
        ("status done", 80),
    ],
}

ACTIVITY_NEGATIVE: dict[str, list[str]] = {
    "activity_id": ["owner", "ответствен", "компан", "company", "account", "контакт", "contact", "person",
                    "organiz", "deal", "сделк", "угод", "user", "assigned", "type", "тип"],
    "manager": _MANAGER_NEGATIVE + ["deal", "сделк", "угод"],
    "type": ["deal", "сделк", "угод", "id", "company", "компан", "client", "клиент", "клієнт", "contact",
             "контакт", "account", "organiz", "person", "lead", "лид", "лід", "record", "date", "дата"],
    "at": ["by", "кем", "ким", "deal", "сделк", "угод", "last", "modif", "измен", "змін", "birth",
           "рожд", "народж", "due time", "update"],
    "time_of_day": ["date", "дата"],
    "done": ["time", "date", "дата", "by", "кем", "ким"],
}

PLAN_FIELDS: dict[str, list[tuple[str, int]]] = {
    "manager": _PERSON_MANAGER,
    "month": [("month", 92), ("месяц", 92), ("місяць", 92), ("period", 82), ("период", 82),
              ("період", 82), ("date", 52), ("дата", 52), ("месяц плана", 92), ("plan month", 92)],
    "target": [("plan", 90), ("план", 90), ("target", 94), ("quota", 94), ("goal", 88), ("цель", 88),
               ("ціль", 88), ("план продаж", 94), ("план продажів", 94), ("sales target", 94),
               ("revenue target", 94), ("target amount", 94), ("плановая сумма", 92), ("планова сума", 92),
               ("amount", 62), ("сумма", 62), ("сума", 62), ("budget", 70), ("бюджет", 70)],
}
PLAN_NEGATIVE: dict[str, list[str]] = {
    "manager": _MANAGER_NEGATIVE,
    "month": ["by", "кем", "ким"],
    "target": ["date", "дата", "month", "месяц", "місяц", "id", "fact", "факт", "actual"],
}

# Headers whose presence points at a file kind (token prefixes, after normalisation).
KIND_MARKERS: dict[str, list[str]] = {
    "activities": ["activity type", "тип активности", "тип активності", "тип дела", "тип справи",
                   "тип звонка", "тип дзвінка", "call type", "call direction", "call outcome",
                   "due date", "due time", "activity date", "дата вызова", "дата звонка", "дата дзвінка",
                   "время звонка", "тривалість дзвінка", "длительность звонка", "duration",
                   "длительность", "тривалість", "marked as done time", "done", "выполнено", "виконано",
                   "call id", "id звонка", "activity assigned to", "engagement type", "subject",
                   "номер телефона", "номер телефону"],
    "deals": ["stage", "стадия", "стадія", "этап", "етап", "deal stage", "pipeline", "воронка",
              "направление", "напрямок", "probability", "вероятность", "ймовірність", "бюджет",
              "deal name", "название сделки", "назва угоди", "opportunity name", "close date",
              "closing date", "сделка закрыта", "угода закрита", "deal value", "lost reason",
              "причина отказа", "expected close date", "won time", "lost time", "название лида",
              "lead status", "статус лида"],
    "orders": ["order", "заказ", "замовлення", "invoice", "счет", "рахунок", "чек", "receipt",
               "sale date", "дата продажи", "дата продажу", "order date", "дата заказа", "дата замовлення",
               "продажа", "продаж"],
    "plans": ["plan", "план", "target", "quota", "goal", "цель", "ціль"],
}
FILENAME_KIND = [
    (re.compile(r"activit|call|звон|дзвін|дзвiн|задач|task|meeting|встреч", re.I), "activities"),
    (re.compile(r"plan|план|target|quota|goal|цел|ціл", re.I), "plans"),
    (re.compile(r"order|заказ|замовл|invoice|sales_export|продаж", re.I), "orders"),
    (re.compile(r"deal|сделк|угод|lead|лид|opportunit", re.I), "deals"),
]

# System signatures: header phrases (normalised, exact) that identify a vendor's export.
SYSTEM_SIGNATURES: dict[str, list[str]] = {
    "bitrix24": ["стадия сделки", "стадія угоди", "сделка закрыта", "угода закрита", "кем создана",
                 "ким створена", "предполагаемая дата закрытия", "орієнтовна дата закриття",
                 "assumed close date", "повторная сделка", "повторна угода", "группа стадий",
                 "група стадій", "repeat deal", "income", "название заявки", "стадия заявки",
                 "название лида", "дата вызова", "тип звонка", "возможная сумма", "кем создан"],
    "amocrm": ["бюджет", "этап сделки", "кем создана сделка", "дата создания сделки", "полное имя контакта",
               "компания контакта", "ответственный за контакт", "кем редактирована", "дата редактирования"],
    "kommo": ["lead status", "responsible user", "date created", "lead title", "sale", "contact full name",
              "created by", "lead name"],
    "hubspot": ["record id", "deal stage", "deal owner", "create date", "associated company",
                "last activity date", "forecast category", "deal name", "amount in company currency",
                "call outcome", "call direction", "activity assigned to", "hubspot owner"],
    "pipedrive": [],  # recognised by the "Deal - " / "Activity - " prefixes
    "salesforce": ["opportunity owner", "opportunity name", "account name", "probability", "lead source",
                   "next step", "fiscal period", "age", "stage duration"],
    "zoho": ["deal owner id", "account name id", "closing date", "created time", "modified time",
             "reason for loss", "last activity time", "contact name id"],
}
US_SYSTEMS = {"hubspot", "salesforce", "zoho", "pipedrive", "kommo"}

# Pipedrive-style "Entity - Field" headers.
ENTITY_PREFIX = re.compile(
    r"^\s*(deal|activity|person|organization|organisation|lead|product|note|email|сделка|угода|"
    r"действие|активність|дело|справа|контакт|организация|організація)\s+-\s+(.+)$", re.I)
ENTITY_KIND = {"deal": "deals", "lead": "deals", "сделка": "deals", "угода": "deals",
               "activity": "activities", "действие": "activities", "активність": "activities",
               "дело": "activities", "справа": "activities"}

# --------------------------------------------------------------------------------------------------
# Stage / status vocabularies (normalised: lower case, ё→е, collapsed spaces, no punctuation).
# --------------------------------------------------------------------------------------------------
WON_STAGES = [
    "won", "closed won", "closed - won", "closedwon", "deal won", "сделка успешна", "угода успішна",
    "успешно реализовано", "успішно реалізовано", "успешная", "успешно", "успешные", "успішні",
    "выиграна", "выиграно", "виграна", "виграно", "выигрыш", "success", "successful", "успех", "успіх",
    "качественный лид", "якісний лід", "good lead", "converted", "сконвертирован", "конвертирован",
    "сконвертовано", "закрыта успешно", "закрыто успешно", "реализовано", "реалізовано",
    "successfully realized", "closed won (sales pipeline)", "win",
]
LOST_STAGES = [
    "lost", "closed lost", "closed - lost", "closedlost", "deal lost", "сделка провалена",
    "угода провалена", "анализ причины провала", "аналіз причини провалу", "analyze failure",
    "analyse failure", "закрыто и не реализовано", "закрито і не реалізовано", "закрито й не реалізовано",
    "closed-lost to competition", "closed lost to competition", "closed and not realized",
    "проиграна", "проиграно", "програна", "програно", "провалена", "провалено", "провал", "отказ",
    "відмова", "отказался", "відмовився", "не реализовано", "не реалізовано", "некачественный лид",
    "неякісний лід", "junk lead", "bad lead", "спам", "spam", "неудача", "невдача", "failed", "fail",
    "проиграли", "провалены", "провалені", "неуспешно", "неуспішно", "disqualified", "unqualified",
    "cancelled", "canceled", "отменена", "отменено", "скасовано", "скасована",
]
OPEN_STAGES = [
    "open", "opened", "открыта", "открыто", "відкрита", "відкрито", "новая", "нова", "новый", "новий",
    "new", "в работе", "в роботі", "in progress", "in work", "подготовка документов",
    "підготовка документів", "preparing documents", "document preparation", "счет на предоплату",
    "рахунок на передоплату", "prepayment invoice", "финальный счет", "фінальний рахунок",
    "final invoice", "первичный контакт", "первинний контакт", "переговоры", "переговори",
    "принимают решение", "приймають рішення", "согласование договора", "узгодження договору",
    "неразобранное", "нерозібране", "incoming leads", "initial contact", "discussions",
    "decision making", "contract discussion", "appointment scheduled", "qualified to buy",
    "presentation scheduled", "decision maker bought-in", "decision maker bought in", "contract sent",
    "prospecting", "qualification", "needs analysis", "negotiation", "proposal/quote", "proposal quote",
    "proposal", "engaging", "engaged", "value proposition", "id. decision makers",
    "id decision makers", "identify decision makers", "perception analysis", "proposal/price quote",
    "proposal price quote", "negotiation/review", "negotiation review", "lead in", "contacted",
    "qualified", "demo scheduled", "proposal made", "negotiations started", "contact made",
    "needs defined", "не обработан", "не оброблений", "обработан", "оброблений", "в процессе",
    "в процесі", "pending", "active", "активна", "активная", "промежуточные", "в работе (промежуточные)",
    "processing", "assigned", "назначен", "призначений", "ожидает", "очікує",
]
# Keyword fallbacks, applied to normalised values when no list matched. Lost is checked first
# ("не реализовано" contains "реализовано", "неуспешно" contains "успешно").
LOST_KEYWORDS = re.compile(
    r"\blost\b|провал|проигр|програ|не реализ|не реаліз|отказ|відмов|неуспеш|неуспіш|\bfail|junk|"
    r"некачеств|неякісн|disqualif|cancel|отмен|скасов")
WON_KEYWORDS = re.compile(r"\bwon\b|closed won|успешн|успішн|выигр|вигра|реализовано|реалізовано")
STATUS_WORDS = ("won", "lost", "open")
# Order statuses (orders / sales exports): a cancelled or returned order is not a sale.
ORDER_LOST = re.compile(r"cancel|отмен|скасов|return|возврат|поверн|refund|void|анулюв|аннулир")
# A task's status that means it was done (Salesforce Task "Status", …); any other status is not done.
DONE_STATUSES = {"completed", "complete", "done", "closed", "held", "finished", "завершено", "завершена",
                 "выполнено", "выполнена", "виконано", "виконана", "закрыта", "закрита"}
DELETED_STATUSES = {"deleted", "удалена", "удалено", "видалена", "видалено"}

YES_WORDS = {"да", "так", "yes", "y", "true", "1", "1.0", "истина", "правда", "done", "выполнено",
             "виконано", "выполнен", "completed", "complete", "завершено", "closed", "закрыта", "закрита",
             "+", "x", "✓", "✔", "д", "t", "si", "sí", "oui", "ja", "on"}
NO_WORDS = {"нет", "ні", "нi", "no", "n", "false", "0", "0.0", "ложь", "to do", "todo", "not done",
            "не выполнено", "не виконано", "not completed", "incomplete", "open", "открыта", "відкрита",
            "-", "н", "f", "off", "pending"}

# Activity types: value word prefixes (normalised) → canonical type.
ACTIVITY_TYPE_WORDS: list[tuple[str, str]] = [
    ("call", "call"), ("звонок", "call"), ("звонк", "call"), ("дзвін", "call"), ("дзвонок", "call"),
    ("вызов", "call"), ("phone", "call"), ("телефон", "call"), ("исходящ", "call"), ("входящ", "call"),
    ("вихідн", "call"), ("вхідн", "call"), ("outbound", "call"), ("inbound", "call"), ("обратн", "call"),
    ("callback", "call"), ("пропущ", "call"), ("missed", "call"),
    ("meeting", "meeting"), ("event", "meeting"), ("встреч", "meeting"), ("зустріч", "meeting"), ("lunch", "meeting"),
    ("demo", "meeting"), ("презентац", "meeting"), ("visit", "meeting"), ("визит", "meeting"),
    ("візит", "meeting"),
    ("email", "email"), ("e-mail", "email"), ("e mail", "email"), ("mail", "email"), ("письм", "email"),
    ("лист", "email"), ("почт", "email"), ("пошт", "email"), ("letter", "email"),
    ("task", "task"), ("задач", "task"), ("завдан", "task"), ("deadline", "task"), ("дело", "task"),
    ("справа", "task"), ("todo", "task"), ("to-do", "task"), ("to do", "task"),
]

# --------------------------------------------------------------------------------------------------
# Footer / total rows.
# --------------------------------------------------------------------------------------------------
FOOTER = re.compile(
    r"^\s*(grand totals?\b|totals?\b|subtotals?\b|sum\b|итого|итог\b|всего|всього|разом|підсумок|"
    r"confidential information|copyright\s*(\(c\)|©)|©|generated by|report generated|"
    r"count\s*:|количество\s*:|кількість\s*:|\(\d+ records?\))", re.I)

# --------------------------------------------------------------------------------------------------
# Month names (prefixes, longest first when matching). RU, UA, EN nominative/genitive/short forms.
# --------------------------------------------------------------------------------------------------
MONTH_PREFIXES: dict[str, int] = {
    # English
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # Russian
    "янв": 1, "фев": 2, "март": 3, "мар": 3, "апр": 4, "май": 5, "мая": 5, "мае": 5, "июн": 6,
    "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
    # Ukrainian
    "січ": 1, "лют": 2, "бер": 3, "кві": 4, "квi": 4, "тра": 5, "чер": 6, "лип": 7, "сер": 8,
    "вер": 9, "жов": 10, "лис": 11, "гру": 12,
}

# --------------------------------------------------------------------------------------------------
# Currencies: symbols, codes and names as they appear in cells or currency columns.
# --------------------------------------------------------------------------------------------------
CURRENCY_WORDS: dict[str, str] = {
    "₴": "UAH", "грн": "UAH", "грн.": "UAH", "гривна": "UAH", "гривня": "UAH", "гривень": "UAH",
    "uah": "UAH", "hryvnia": "UAH", "ukrainian hryvnia": "UAH",
    "$": "USD", "usd": "USD", "us$": "USD", "доллар": "USD", "доллар сша": "USD", "долар": "USD",
    "долар сша": "USD", "us dollar": "USD", "dollar": "USD",
    "€": "EUR", "eur": "EUR", "евро": "EUR", "євро": "EUR", "euro": "EUR",
    "₽": "RUB", "руб": "RUB", "руб.": "RUB", "р.": "RUB", "rub": "RUB", "rur": "RUB",
    "российский рубль": "RUB", "рубль": "RUB",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "фунт": "GBP",
    "zł": "PLN", "pln": "PLN", "злотый": "PLN", "злотий": "PLN",
    "₸": "KZT", "kzt": "KZT", "тенге": "KZT", "тг": "KZT",
    "chf": "CHF", "cad": "CAD", "aud": "AUD", "byn": "BYN", "mdl": "MDL", "gel": "GEL", "czk": "CZK",
    "kč": "CZK", "huf": "HUF", "ron": "RON", "try": "TRY", "₺": "TRY", "jpy": "JPY", "¥": "JPY",
    "cny": "CNY", "inr": "INR", "₹": "INR",
}
# Regex (for cells such as "USD 1,200.50", "1 200 ₴", "12 000 грн.") — longest alternatives first.
CURRENCY_PATTERN = (r"us\$|грн\.?|руб\.?|р\.|zł|kč|₴|\$|€|₽|£|₸|₺|¥|₹|\b(?:uah|usd|eur|rub|rur|gbp|pln|kzt|chf|"
                    r"cad|aud|byn|mdl|gel|czk|huf|ron|try|jpy|cny|inr)\b|тг")
CURRENCY_IN_CELL = re.compile("(?i)(" + CURRENCY_PATTERN + ")")

#: a deals / orders file's own team hierarchy columns (exact headers, after mapping.words): they become the
#: deal attributes team / office / region, as when joined from a team lookup (metrics.teams uses them)
ATTRIBUTE_HEADERS: dict[str, set[str]] = {
    "team": {"team", "sales team", "team name", "команда", "команда продаж", "отдел", "отдел продаж",
             "відділ", "відділ продажів", "department", "подразделение", "підрозділ"},
    "office": {"office", "regional office", "sales office", "офис", "офіс", "филиал", "філія", "branch"},
    "region": {"region", "sales region", "регион", "регіон", "territory", "территория", "територія"},
}
