"""Deterministic generator of the SalesLens sample data (``deals.csv``, ``activities.csv``, ``plans.csv``).

Run from the repository root::

    python sample_data/generate.py            # writes next to this file
    python sample_data/generate.py OUT_DIR    # writes into OUT_DIR

The output depends only on the fixed seed below (numpy ``default_rng``; no network, no clock).

What the data is
----------------
A fictional Ukrainian B2B sales team: 11 managers, 18 months (2025-05-01 .. 2026-10-31; October 2026 is
the latest complete month, nothing is dated later), amounts in UAH. Leads and activities happen on
working days (Mon-Fri) between 09:00 and 18:00. Lead volume is seasonal: busy spring and autumn, a
summer dip and a deep dip from 22 December to 9 January. Won and lost deals close 3-60 days after they
were created; what would close after 2026-10-31 is still ``open`` (most deals of the last ~4 weeks and
some of the weeks before), and ~1.5% of deals are stuck ``open`` for good. A new client's lead
converts with a source-specific probability (referral 38%, website 26%, exhibition 24%, cold_call 9%)
times the manager's skill; returning clients convert at 60% whoever serves them (their leads come from
website, referral or exhibition, never cold_call). Amounts are lognormal (median ~32k UAH, long right
tail); lost and open deals keep their estimated amount.

Clients come from a fixed pool of company names. A client who has not bought yet can get a lead from
any manager; the manager of its first purchase becomes the client's *owner*. Every month each owned
client comes back with a new lead with a probability that depends on the owner (the retention effect);
90% of those repeat leads go to the owner, the rest to another manager (in proportion to lead volume).

Planted effects (true parameters; all other parameters are identical for every manager)
---------------------------------------------------------------------------------------
=====================  ===============  ===================================================================
Manager                Role             Planted effect
=====================  ===============  ===================================================================
Олена Коваленко        star             new-client win probability x1.8 (~40% vs team ~22%)
Андрій Шевченко        volume           2x the new leads, 88% of them cold_call (team 30%), 1.6x calls;
                                        new-client conversion ~11% -- explained by his lead mix: within a
                                        source his win probability is the same as the noise managers'
Ірина Мельник          tiny sample      part-time, joined 2026-08-03: ~3-8 leads a month, 40% activity
Дмитро Ткаченко        newcomer         joined 2026-01-12 (first deal January 2026); lead volume ramps
                                        up 40% -> 60% -> 80% -> 100% over his first months, plans too
Тарас Кравченко        big deals        every amount x1.8
Наталія Бойко          low activity     half the calls (and other activities) per working day
Сергій Олійник         loyal clients    owned clients come back with prob. 45%/month (team 15%)
Юлія Поліщук           clients leave    owned clients come back with prob. 2%/month
Максим Лисенко         noise            identical true rates (the "no difference" control group)
Оксана Марченко        noise            identical true rates
Віктор Савченко        noise            identical true rates
=====================  ===============  ===================================================================

Side effects worth knowing: Сергій gets more repeat leads, which convert at 60%, so his overall
conversion is well above the team's (his new-client conversion is not); Ірина and Дмитро have had less
time for their clients to come back, so their repeat rates are lower for that reason alone.

Plans: one row per manager and active month; the target is the manager's expected revenue for that
month (new leads x win rate x mean amount x a rough allowance for returning clients, seasonal, with the
newcomer's ramp) times a per-manager ``plan_bias`` (< 1: easy to beat, > 1: hard) and +-8% noise,
rounded to thousands of UAH. Олена (0.8), Сергій (0.9) and Тарас (0.95) tend to beat their plans; Андрій
(1.5: his plan is set for his volume, not his conversion), Наталія, Юлія (1.1) and Дмитро (1.05) fall
short; noise managers 1.0.
Ірина's target is small (~60-100k UAH a month).

Because the data are random draws, realised numbers differ a little from the true parameters; the
realised per-manager figures of the committed files are in README.md and are checked by
tests/test_sample_data.py.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20251128
FIRST_DAY = np.datetime64("2025-05-01", "D")
LAST_DAY = np.datetime64("2026-10-31", "D")  # inclusive; latest complete month is 2026-10
END_TS = np.datetime64("2026-10-31T23:59:59", "s")

SOURCES = np.array(["website", "cold_call", "referral", "exhibition"])
SOURCE_WIN = np.array([0.26, 0.09, 0.38, 0.24])  # new-client win probability by source (skill x1)
TEAM_MIX = (0.45, 0.30, 0.15, 0.10)
COLD_MIX = (0.07, 0.88, 0.03, 0.02)
RETURN_MIX = (0.75, 0.0, 0.15, 0.10)  # returning clients come back by themselves (never cold_call)
RETURN_WIN = 0.60  # win probability of a returning client's lead, whoever serves it
RETURN_TO_OWNER = 0.90
RETURN_GAP_DAYS = 14  # a client comes back at the earliest in the month after purchase + 14 days
STUCK_OPEN = 0.015  # share of deals that stay open forever

LEADS_PER_DAY = 1.25  # new-client leads per working day of a x1 manager at season factor 1
AMOUNT_MEDIAN = 32_000.0  # UAH
AMOUNT_SIGMA = 0.85
N_CLIENTS = 1_600

# Monthly seasonality of lead volume (Jan..Dec) and the holiday dip 22 Dec - 9 Jan.
MONTH_FACTOR = np.array([0.85, 0.95, 1.15, 1.20, 1.15, 0.90, 0.70, 0.75, 1.15, 1.25, 1.10, 0.95])
HOLIDAY_FACTOR = 0.40

# Activities per working day of a x1 manager: call, meeting, email, task, other.
ACTIVITY_TYPES = np.array(["call", "meeting", "email", "task", "other"])
ACTIVITY_RATE = np.array([9.0, 1.2, 1.0, 0.7, 0.3])
NOT_DONE = np.array([0.07, 0.12, 0.06, 0.18, 0.12])
HOUR_WEIGHTS = np.array([0.09, 0.13, 0.14, 0.12, 0.07, 0.11, 0.13, 0.12, 0.09])  # 09:00 .. 17:00


@dataclass(frozen=True)
class Manager:
    name: str
    role: str
    start: str = "2025-05-01"
    leads: float = 1.0  # new-client lead volume multiplier
    win: float = 1.0  # new-client win probability multiplier (on top of SOURCE_WIN)
    mix: tuple[float, ...] = TEAM_MIX  # lead source mix (website, cold_call, referral, exhibition)
    amount: float = 1.0  # deal amount multiplier
    calls: float = 1.0  # calls per working day multiplier
    other: float = 1.0  # other activities per working day multiplier
    comeback: float = 0.15  # monthly probability that an owned client returns with a new lead
    ramp: bool = False  # lead volume ramps up over the first months
    plan_bias: float = 1.0  # target / expected revenue


MANAGERS = (
    Manager("Олена Коваленко", "star", win=1.8, plan_bias=0.80),
    Manager("Андрій Шевченко", "volume", leads=2.0, mix=COLD_MIX, calls=1.6, plan_bias=1.5),
    Manager("Ірина Мельник", "tiny sample", start="2026-08-03", leads=0.22, calls=0.4, other=0.4),
    Manager("Дмитро Ткаченко", "newcomer", start="2026-01-12", ramp=True, plan_bias=1.05),
    Manager("Тарас Кравченко", "big deals", amount=1.8, plan_bias=0.95),
    Manager("Наталія Бойко", "low activity", calls=0.5, other=0.5, plan_bias=1.10),
    Manager("Сергій Олійник", "loyal clients", comeback=0.45, plan_bias=0.90),
    Manager("Юлія Поліщук", "clients leave", comeback=0.02, plan_bias=1.10),
    Manager("Максим Лисенко", "noise"),
    Manager("Оксана Марченко", "noise"),
    Manager("Віктор Савченко", "noise"),
)

# Client name parts (company-like names; ФОП = sole proprietor with initials).
_ROOTS = ["Агро", "Буд", "Техно", "Енерго", "Укр", "Транс", "Пром", "Інвест", "Торг", "Еко", "Дніпро",
          "Карпат", "Поділ", "Волин", "Слобож", "Мега", "Альфа", "Нова", "Смарт", "Форт", "Зерно", "Мет",
          "Хім", "Фарм", "Мед", "Лог", "Авто", "Електро", "Тепло", "Водо", "Дерево", "Світло", "Арт",
          "Київ", "Львів", "Харків", "Полтава", "Черкас", "Вінниця", "Сум"]
_ENDS = ["світ", "сервіс", "трейд", "буд", "постач", "лайн", "груп", "плюс", "маркет", "пром", "тех",
         "комплект", "інвест", "союз", "альянс", "логістик", "систем", "ресурс", "експорт", "дім", "центр",
         "профі", "майстер", "обрій", "терра", "вест", "стандарт", "партнер"]
_SURNAMES = ["Бондар", "Коваль", "Гончар", "Кушнір", "Тесля", "Ковальчук", "Кравчук", "Ткачук", "Савчук",
             "Мороз", "Литвин", "Павленко", "Левченко", "Романенко", "Гриценко", "Петренко", "Іваненко",
             "Зінченко", "Климченко", "Давиденко", "Кузьменко", "Остапенко", "Мазур", "Карпенко",
             "Дорошенко", "Федоренко", "Гордієнко", "Демченко", "Тимошенко", "Яковенко", "Білик",
             "Гуменюк", "Костюк", "Онищук", "Приходько", "Сидоренко", "Нестеренко", "Пономаренко",
             "Руденко", "Ярошенко", "Захарченко", "Вакуленко", "Гавриленко", "Стасюк", "Дячук", "Юрченко",
             "Панченко", "Василенко", "Головко", "Соловйов"]
_INITIALS = list("АБВГДЄІКЛМНОПРСТЮЯ")


def _rng(stage: int) -> np.random.Generator:
    """An independent stream per stage, so changing one stage does not reshuffle the others."""
    return np.random.default_rng([SEED, stage])


def client_names(n: int = N_CLIENTS) -> np.ndarray:
    """``n`` distinct company-like client names in a fixed random order."""
    rng = _rng(1)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        form = rng.choice(["ТОВ", "ПП", "АТ", "ФОП"], p=[0.55, 0.08, 0.03, 0.34])
        if form == "ФОП":
            a, b = rng.choice(_INITIALS, 2)
            name = f"ФОП {rng.choice(_SURNAMES)} {a}.{b}."
        else:
            root, end = rng.choice(_ROOTS), rng.choice(_ENDS)
            name = f"{form} «{root}{end}»"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return np.array(names, dtype=object)


def working_days() -> np.ndarray:
    days = np.arange(FIRST_DAY, LAST_DAY + 1)
    return days[np.is_busday(days)]


def season_factor(days: np.ndarray) -> np.ndarray:
    """Lead-volume factor of each day: month of year, times the New Year holiday dip."""
    idx = pd.DatetimeIndex(days)
    f = MONTH_FACTOR[idx.month - 1].copy()
    holiday = ((idx.month == 12) & (idx.day >= 22)) | ((idx.month == 1) & (idx.day <= 9))
    f[holiday] *= HOLIDAY_FACTOR
    return f


def activity_matrix(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(active [manager, day] bool, lead-volume ramp [manager, day])."""
    start = np.array([np.datetime64(m.start, "D") for m in MANAGERS])
    active = days[None, :] >= start[:, None]
    months_in = (days.astype("M8[M]")[None, :] - start.astype("M8[M]")[:, None]).astype(int)
    ramped = np.array([m.ramp for m in MANAGERS])[:, None]
    ramp = np.where(ramped, np.clip(0.4 + 0.2 * months_in, 0.0, 1.0), 1.0)
    return active, ramp * active


def _times(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """A working-hours timestamp (09:00:00 .. 17:59:59) on each of ``days``."""
    hour = 9 + rng.choice(len(HOUR_WEIGHTS), size=len(days), p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    sec = hour * 3600 + rng.integers(0, 3600, size=len(days))
    return days.astype("M8[s]") + sec.astype("m8[s]")


def _close_times(rng: np.random.Generator, created: np.ndarray, won: np.ndarray) -> np.ndarray:
    """When a deal would be won/lost: 3-60 calendar days later, on a working day, in working hours."""
    n = len(created)
    delay = np.where(won, 3 + rng.gamma(2.2, 11.0, n), 3 + rng.gamma(1.6, 11.0, n))  # means ~27 / ~21 days
    delay = np.minimum(np.floor(delay), 58).astype(int)  # rolling to Monday adds at most 2 days
    day = np.busday_offset(created.astype("M8[D]") + delay.astype("m8[D]"), 0, roll="forward")
    return _times(rng, day)


def _pick_source(rng: np.random.Generator, mixes: np.ndarray) -> np.ndarray:
    """One source index per row of ``mixes`` (n x 4 probabilities)."""
    u = rng.random(len(mixes))
    return np.minimum((u[:, None] > np.cumsum(mixes, axis=1)).sum(axis=1), len(SOURCES) - 1)


def build_deals(days: np.ndarray, active: np.ndarray, ramp: np.ndarray) -> pd.DataFrame:
    rng = _rng(2)
    n_mgr = len(MANAGERS)
    season = season_factor(days)
    lead_mult = np.array([m.leads for m in MANAGERS])
    win_mult = np.array([m.win for m in MANAGERS])
    mixes = np.array([m.mix for m in MANAGERS])
    comeback = np.array([m.comeback for m in MANAGERS])
    amount_mult = np.array([m.amount for m in MANAGERS])

    # New-client ("prospect") leads: Poisson per manager and working day.
    lam = LEADS_PER_DAY * lead_mult[:, None] * season[None, :] * ramp
    counts = rng.poisson(lam)
    p_mgr = np.repeat(np.repeat(np.arange(n_mgr), len(days)), counts.ravel())
    p_day = np.repeat(np.tile(days, n_mgr), counts.ravel())
    p_created = _times(rng, p_day)
    p_src = _pick_source(rng, mixes[p_mgr])
    p_won = rng.random(len(p_mgr)) < SOURCE_WIN[p_src] * win_mult[p_mgr]
    p_close = _close_times(rng, p_created, p_won)
    p_stuck = rng.random(len(p_mgr)) < STUCK_OPEN
    p_client = np.full(len(p_mgr), -1)

    # Month by month: give new leads to clients who have not bought yet, then let owned clients return.
    month_of_day = days.astype("M8[M]")
    months = np.unique(month_of_day)
    p_month = p_day.astype("M8[M]")
    owner = np.full(N_CLIENTS, -1)
    owned_since = np.full(N_CLIENTS, np.datetime64("NaT"), dtype="M8[s]")
    taken = np.zeros(N_CLIENTS, dtype=bool)  # bought already, or has a lead that will be won
    buys = p_won & ~p_stuck
    ret = {"mgr": [], "client": [], "created": []}
    for month in months:
        idx = np.flatnonzero(p_month == month)
        pool = np.flatnonzero(~taken)
        p_client[idx] = rng.choice(pool, size=len(idx), replace=len(idx) > len(pool))
        won_idx = idx[buys[idx]]
        first = ~taken[p_client[won_idx]]  # (always true unless a client was drawn twice)
        won_idx = won_idx[first]
        taken[p_client[won_idx]] = True
        owner[p_client[won_idx]] = p_mgr[won_idx]
        owned_since[p_client[won_idx]] = p_close[won_idx]

        month_start = month.astype("M8[s]")
        eligible = np.flatnonzero((owner >= 0) & (owned_since + np.timedelta64(RETURN_GAP_DAYS, "D")
                                                  < month_start))
        back = eligible[rng.random(len(eligible)) < comeback[owner[eligible]]]
        month_days = days[month_of_day == month]
        day_pos = rng.integers(0, len(month_days), size=len(back))
        day_idx = np.searchsorted(days, month_days[day_pos])
        mgr = owner[back].copy()
        to_other = rng.random(len(back)) >= RETURN_TO_OWNER
        # another active manager with probability proportional to lead volume: argmin of Exp(1) / weight
        weight = (active[:, day_idx] * lead_mult[:, None]).T
        weight[np.arange(len(back)), mgr] = 0.0
        with np.errstate(divide="ignore"):
            key = rng.exponential(size=weight.shape) / weight
        mgr = np.where(to_other, key.argmin(axis=1), mgr)
        ret["mgr"].append(mgr)
        ret["client"].append(back)
        ret["created"].append(_times(rng, month_days[day_pos]))

    r_mgr = np.concatenate(ret["mgr"])
    r_client = np.concatenate(ret["client"])
    r_created = np.concatenate(ret["created"])
    r_src = _pick_source(rng, np.tile(RETURN_MIX, (len(r_mgr), 1)))
    r_won = rng.random(len(r_mgr)) < RETURN_WIN
    r_close = _close_times(rng, r_created, r_won)
    r_stuck = rng.random(len(r_mgr)) < STUCK_OPEN

    mgr = np.concatenate([p_mgr, r_mgr])
    client = np.concatenate([p_client, r_client])
    created = np.concatenate([p_created, r_created])
    won = np.concatenate([p_won, r_won])
    close = np.concatenate([p_close, r_close])
    stuck = np.concatenate([p_stuck, r_stuck])
    src = np.concatenate([p_src, r_src])

    n = len(mgr)
    is_open = stuck | (close > END_TS)
    status = np.where(is_open, "open", np.where(won, "won", "lost"))
    amount = AMOUNT_MEDIAN * np.exp(AMOUNT_SIGMA * rng.standard_normal(n)) * amount_mult[mgr]
    round_100 = rng.random(n) < 0.7  # most CRM amounts are round numbers
    amount = np.where(round_100, np.maximum(np.round(amount, -2), 100.0), np.round(amount, 2))

    names = client_names()
    closed_txt = pd.Series(close).dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(dtype=object)
    df = pd.DataFrame({
        "manager": np.array([m.name for m in MANAGERS], dtype=object)[mgr],
        "client": names[client],
        "created_at": created,
        "closed_at": np.where(is_open, "", closed_txt),
        "status": status,
        "amount": amount,
        "source": SOURCES[src],
        "currency": "UAH",
    })
    df = df.sort_values(["created_at", "manager", "client"], kind="stable").reset_index(drop=True)
    df["created_at"] = df["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    df.insert(0, "deal_id", [f"D-{i:05d}" for i in range(1, len(df) + 1)])
    return df


def build_activities(days: np.ndarray, active: np.ndarray) -> pd.DataFrame:
    rng = _rng(3)
    n_mgr, n_days = active.shape
    level = 0.6 + 0.4 * season_factor(days)  # activity follows the season, but less than leads
    day_factor = rng.gamma(8.0, 1 / 8.0, size=active.shape)  # good days and bad days
    base = active * day_factor * level[None, :]
    mult = np.array([[m.calls] + [m.other] * 4 for m in MANAGERS])  # manager x type
    parts = []
    for t, rate in enumerate(ACTIVITY_RATE):
        counts = rng.poisson(base * rate * mult[:, t][:, None])
        parts.append((np.repeat(np.repeat(np.arange(n_mgr), n_days), counts.ravel()),
                      np.repeat(np.tile(days, n_mgr), counts.ravel()),
                      np.full(counts.sum(), t)))
    mgr, day, typ = (np.concatenate(x) for x in zip(*parts))
    at = _times(rng, day)
    done = rng.random(len(mgr)) >= NOT_DONE[typ]
    df = pd.DataFrame({
        "manager": np.array([m.name for m in MANAGERS], dtype=object)[mgr],
        "type": ACTIVITY_TYPES[typ],
        "at": at,
        "done": np.where(done, "true", "false"),
    })
    df = df.sort_values(["at", "manager", "type"], kind="stable").reset_index(drop=True)
    df["at"] = df["at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    df.insert(0, "activity_id", [f"A-{i:06d}" for i in range(1, len(df) + 1)])
    return df


def build_plans(days: np.ndarray, ramp: np.ndarray) -> pd.DataFrame:
    """Targets = expected monthly revenue x plan_bias x noise, rounded to thousands of UAH."""
    rng = _rng(4)
    season = season_factor(days)
    mean_amount = AMOUNT_MEDIAN * np.exp(AMOUNT_SIGMA**2 / 2)
    months = days.astype("M8[M]")
    rows = []
    for i, m in enumerate(MANAGERS):
        win = float(np.dot(m.mix, SOURCE_WIN)) * m.win
        repeat_uplift = 1.0 + 2.0 * m.comeback  # rough allowance for returning clients
        per_day = LEADS_PER_DAY * m.leads * season * ramp[i] * win * mean_amount * m.amount * repeat_uplift
        for month in np.unique(months[ramp[i] > 0]):
            expected = per_day[months == month].sum()
            target = expected * m.plan_bias * np.exp(0.08 * rng.standard_normal())
            rows.append((m.name, str(month), int(max(1.0, np.round(target / 1000.0)) * 1000)))
    return pd.DataFrame(rows, columns=["manager", "month", "target"])


def build() -> dict[str, pd.DataFrame]:
    days = working_days()
    active, ramp = activity_matrix(days)
    return {"deals": build_deals(days, active, ramp),
            "activities": build_activities(days, active),
            "plans": build_plans(days, ramp)}


def write(frames: dict[str, pd.DataFrame], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind, df in frames.items():
        df.to_csv(out_dir / f"{kind}.csv", index=False, encoding="utf-8", lineterminator="\n",
                  float_format="%.2f")


def main(out_dir: str | Path | None = None) -> Path:
    """Generate the three files into ``out_dir`` (default: the folder of this script)."""
    out = Path(out_dir) if out_dir is not None else Path(__file__).resolve().parent
    write(build(), out)
    return out


if __name__ == "__main__":
    target = main(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"wrote deals.csv, activities.csv, plans.csv to {target}")
