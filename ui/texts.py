"""Every text a user sees: key → (English, Russian, Ukrainian). tests/test_i18n.py checks completeness."""

TEXTS: dict[str, tuple[str, str, str]] = {
    # pages
    "page.overview": ("Overview", "Обзор", "Огляд"),
    "page.conversion": ("Conversion", "Конверсия", "Конверсія"),
    "page.deal_size": ("Deal size", "Средний чек", "Середній чек"),
    "page.activity": ("Activity", "Активность", "Активність"),
    "page.plan": ("Plan", "План", "План"),
    "page.retention": ("Retention", "Удержание", "Утримання"),
    "page.compare": ("Compare", "Сравнение", "Порівняння"),
    "page.data": ("Data", "Данные", "Дані"),
    "app.no_data": ("Upload a deals file in the sidebar (CSV or XLSX), or switch to the sample data.",
                    "Загрузите файл сделок в боковой панели (CSV или XLSX) или переключитесь на демо-данные.",
                    "Завантажте файл угод на бічній панелі (CSV або XLSX) або перемкніться на демо-дані."),
    # explanations
    "overview.explain": (
        "The five KPIs of every manager for the chosen period, coloured by the thresholds in the sidebar "
        "(green / amber / red), with the team in the last row. The cards show the team and its change against "
        "the previous window of the same length.",
        "Пять KPI каждого менеджера за выбранный период, окрашенные по порогам из боковой панели "
        "(зелёный / жёлтый / красный); команда — в последней строке. Карточки показывают команду и изменение "
        "по сравнению с предыдущим окном той же длины.",
        "П'ять KPI кожного менеджера за обраний період, розфарбовані за порогами з бічної панелі "
        "(зелений / жовтий / червоний); команда — в останньому рядку. Картки показують команду та зміну "
        "порівняно з попереднім вікном тієї самої довжини."),
    "conversion.explain": (
        "**Conversion** = won leads / leads. Leads are the deals created in the period; a lead counts as won "
        "when its status is won, whenever it closed. The bar around each dot is the Wilson confidence interval: "
        "with few leads it is wide, and two managers whose bars overlap a lot may not really differ.",
        "**Конверсия** = выигранные лиды / лиды. Лиды — сделки, созданные в периоде; лид считается выигранным, "
        "если его статус «выиграна», когда бы он ни закрылся. Полоса вокруг точки — доверительный интервал Уилсона: "
        "при малом числе лидов он широкий, и менеджеры с сильно перекрывающимися полосами могут не отличаться.",
        "**Конверсія** = виграні ліди / ліди. Ліди — угоди, створені в періоді; лід вважається виграним, "
        "якщо його статус «виграна», коли б він не закрився. Смуга навколо точки — довірчий інтервал Вілсона: "
        "за малої кількості лідів він широкий, і менеджери з сильно перекритими смугами можуть не відрізнятися."),
    "deal_size.explain": (
        "**Average deal size** = revenue / won deals, over the deals won and closed in the period. Deal amounts "
        "are skewed — a few large deals move the average — so the chart shows the whole distribution "
        "(box = middle half of the deals, line = median) on a logarithmic scale.",
        "**Средний чек** = выручка / выигранные сделки, по сделкам, выигранным и закрытым в периоде. Суммы сделок "
        "асимметричны — несколько крупных сделок сдвигают среднее, — поэтому график показывает всё распределение "
        "(ящик — средняя половина сделок, линия — медиана) в логарифмической шкале.",
        "**Середній чек** = виручка / виграні угоди, за угодами, виграними й закритими в періоді. Суми угод "
        "асиметричні — кілька великих угод зсувають середнє, — тому графік показує весь розподіл "
        "(ящик — середня половина угод, лінія — медіана) в логарифмічній шкалі."),
    "activity.explain": (
        "**Activity** = completed calls and meetings in the period (emails, tasks and planned-but-not-done "
        "activities are not counted), also per working day (Monday–Friday) so that periods of different length "
        "compare fairly.",
        "**Активность** = завершённые звонки и встречи за период (письма, задачи и запланированные, но не "
        "выполненные активности не считаются), также в пересчёте на рабочий день (пн–пт), чтобы периоды разной "
        "длины сравнивались честно.",
        "**Активність** = завершені дзвінки та зустрічі за період (листи, завдання та заплановані, але не "
        "виконані активності не рахуються), також у перерахунку на робочий день (пн–пт), щоб періоди різної "
        "довжини порівнювалися чесно."),
    "plan.explain": (
        "**Plan fulfilment** = revenue / target. The target of a period is the sum of the monthly targets, each "
        "multiplied by the share of its month inside the period. Set the plan here for the period's months — by "
        "a rule or by hand — see who is green, forecast an unfinished period, check last year against the new "
        "targets, and save everything as a scenario for the next workshop.",
        "**Выполнение плана** = выручка / план. План периода — сумма месячных планов, каждый умножен на долю "
        "своего месяца внутри периода. Задайте план на месяцы периода — по правилу или вручную, — посмотрите, "
        "кто в зелёной зоне, спрогнозируйте незавершённый период, проверьте прошлый год по новым планам и "
        "сохраните всё как сценарий для следующей встречи.",
        "**Виконання плану** = виручка / план. План періоду — сума місячних планів, кожен помножений на частку "
        "свого місяця всередині періоду. Задайте план на місяці періоду — за правилом або вручну, — подивіться, "
        "хто в зеленій зоні, спрогнозуйте незавершений період, перевірте минулий рік за новими планами й "
        "збережіть усе як сценарій для наступної зустрічі."),
    "plan.tab.targets": ("Targets", "Планы", "Плани"),
    "plan.tab.green": ("Who is green", "Кто в зелёной зоне", "Хто в зеленій зоні"),
    "plan.tab.forecast": ("Forecast", "Прогноз", "Прогноз"),
    "plan.tab.whatif": ("What-if: last year", "Что если: прошлый год", "Що як: минулий рік"),
    "plan.tab.score": ("Score", "Рейтинг", "Рейтинг"),
    "plan.tab.scenarios": ("Scenarios", "Сценарии", "Сценарії"),
    "plan.rule_title": ("**Set the targets for {months} by a rule**", "**Задать планы на {months} по правилу**",
                        "**Задати плани на {months} за правилом**"),
    "plan.rule": ("Rule", "Правило", "Правило"),
    "plan.rule.same": ("Same target for everyone", "Одинаковый план для всех", "Однаковий план для всіх"),
    "plan.rule.growth": ("Last year's revenue + growth", "Выручка прошлого года + рост", "Виручка минулого року + зростання"),
    "plan.rule.percentile": ("Percentile of own past months", "Перцентиль своих прошлых месяцев",
                             "Перцентиль своїх минулих місяців"),
    "plan.rule.split": ("Team target split by past share", "План команды по доле в прошлом",
                        "План команди за часткою в минулому"),
    "plan.rule_target": ("Same target, UAH / month", "Одинаковый план, грн / месяц", "Однаковий план, грн / місяць"),
    "plan.rule_growth": ("Growth, %", "Рост, %", "Зростання, %"),
    "plan.rule_q": ("Percentile", "Перцентиль", "Перцентиль"),
    "plan.rule_team": ("Team target, UAH / month", "План команды, грн / месяц", "План команди, грн / місяць"),
    "plan.rule_ramp": ("Ramp up new managers (40% → 60% → 80% → 100%)", "Плавный старт новичков (40% → 60% → 80% → 100%)",
                       "Плавний старт новачків (40% → 60% → 80% → 100%)"),
    "plan.apply": ("Apply the rule", "Применить правило", "Застосувати правило"),
    "plan.grid_help": ("Edit any cell to set a manager's target by hand; every page uses these targets at once.",
                       "Измените любую ячейку, чтобы задать план менеджера вручную; все страницы сразу используют эти планы.",
                       "Змініть будь-яку клітинку, щоб задати план менеджера вручну; усі сторінки одразу використовують ці плани."),
    "plan.reset": ("Clear the grid's edits", "Сбросить правки таблицы", "Скинути правки таблиці"),
    "plan.kpi_targets": ("Targets on other KPIs (team-wide or per manager)",
                         "Цели по другим KPI (для команды или по менеджерам)",
                         "Цілі за іншими KPI (для команди або за менеджерами)"),
    "plan.kpi_targets_help": ("0 = no target. Conversion and retention as fractions (0.25 = 25%).",
                              "0 — без цели. Конверсия и удержание — доли (0,25 = 25%).",
                              "0 — без цілі. Конверсія та утримання — частки (0,25 = 25%)."),
    "plan.kpi_targets_per_manager": ("Per manager (empty = the team-wide target):",
                                     "По менеджерам (пусто — цель команды):", "По менеджерах (порожньо — ціль команди):"),
    "plan.kpi_target.won": ("Won deals", "Выигранные сделки", "Виграні угоди"),
    "plan.kpi_target.conversion": ("Conversion", "Конверсия", "Конверсія"),
    "plan.kpi_target.activities_per_day": ("Calls + meetings / day", "Звонки + встречи / день", "Дзвінки + зустрічі / день"),
    "plan.kpi_target.retention_rate": ("Retention", "Удержание", "Утримання"),
    "plan.kpi_targets_result": ("**Targets on other KPIs**", "**Цели по другим KPI**", "**Цілі за іншими KPI**"),
    "plan.forecast_explain": (
        "Run-rate forecast for a period that is not over: revenue so far / elapsed working days × working days "
        "in the period, with a band from the manager's own day-to-day variation. Pick the 'as of' date to see "
        "where the month was heading on that day.",
        "Прогноз по темпу для незавершённого периода: выручка на дату / прошедшие рабочие дни × рабочие дни "
        "периода, с коридором по собственному разбросу менеджера день ко дню. Выберите дату «на», чтобы увидеть, "
        "куда шёл месяц в тот день.",
        "Прогноз за темпом для незавершеного періоду: виручка на дату / минулі робочі дні × робочі дні "
        "періоду, з коридором за власним розкидом менеджера день у день. Оберіть дату «на», щоб побачити, "
        "куди йшов місяць того дня."),
    "plan.forecast_over": ("The period is over on this date, so the projection equals the actual. Pick an "
                           "earlier date to see where the period was heading then.",
                           "На эту дату период завершён, и прогноз равен факту. Выберите более раннюю дату, "
                           "чтобы увидеть, куда шёл период тогда.",
                           "На цю дату період завершено, і прогноз дорівнює факту. Оберіть ранішу дату, "
                           "щоб побачити, куди йшов період тоді."),
    "plan.as_of": ("As of", "На дату", "На дату"),
    "plan.ua_holidays": ("Ukrainian public holidays are not working days", "Праздники Украины — нерабочие дни",
                         "Свята України — неробочі дні"),
    "plan.whatif_explain": (
        "How the last 12 months would have scored if each manager's target had been this plan's average monthly "
        "target — is the plan realistic before you announce it?",
        "Как выглядели бы последние 12 месяцев, если бы план каждого менеджера был равен среднему месячному "
        "плану этого сценария, — реалистичен ли план, пока его не объявили?",
        "Як виглядали б останні 12 місяців, якби план кожного менеджера дорівнював середньому місячному плану "
        "цього сценарію, — чи реалістичний план, доки його не оголосили?"),
    "plan.whatif_none": ("No targets or no past months to test against.", "Нет планов или прошлых месяцев для проверки.",
                         "Немає планів або минулих місяців для перевірки."),
    "plan.score_explain": (
        "Composite score: each KPI divided by the team's value (capped at 2), weighted by the sidebar's weights. "
        "The bar is the 95% range of each rank: overlapping ranges mean the order between those managers is not "
        "settled by the data.",
        "Сводный балл: каждый KPI делится на значение команды (не больше 2) и взвешивается весами из боковой "
        "панели. Полоса — 95% диапазон места: перекрывающиеся диапазоны значат, что порядок этих менеджеров "
        "данными не определён.",
        "Зведений бал: кожен KPI ділиться на значення команди (не більше 2) і зважується вагами з бічної "
        "панелі. Смуга — 95% діапазон місця: діапазони, що перекриваються, означають, що порядок цих менеджерів "
        "даними не визначено."),
    "plan.rank": ("Rank (1 = best) and its 95% range", "Место (1 — лучшее) и его 95% диапазон",
                  "Місце (1 — найкраще) та його 95% діапазон"),
    "plan.scenario_explain": (
        "A scenario holds everything set here and in the sidebar — period, targets, thresholds, weights, column "
        "mapping and stages, language. Save it after the workshop and load it next month.",
        "Сценарий хранит всё, что задано здесь и в боковой панели, — период, планы, пороги, веса, сопоставление "
        "столбцов и стадий, язык. Сохраните его после встречи и загрузите в следующем месяце.",
        "Сценарій зберігає все, що задано тут і на бічній панелі, — період, плани, пороги, ваги, зіставлення "
        "стовпців і стадій, мову. Збережіть його після зустрічі й завантажте наступного місяця."),
    "plan.scenario_name": ("Scenario name", "Название сценария", "Назва сценарію"),
    "plan.scenario_placeholder": ("e.g. Plan A, Q4", "например, План А, IV кв.", "наприклад, План А, IV кв."),
    "plan.scenario_save": ("Save scenario (JSON)", "Сохранить сценарий (JSON)", "Зберегти сценарій (JSON)"),
    "plan.scenario_load": ("Load a scenario", "Загрузить сценарий", "Завантажити сценарій"),
    "plan.scenario_compare": ("Compare two scenarios (pick two files)", "Сравнить два сценария (выберите два файла)",
                              "Порівняти два сценарії (оберіть два файли)"),
    "plan.scenario_loaded": ("Scenario “{name}” applied.", "Сценарий «{name}» применён.", "Сценарій «{name}» застосовано."),
    "col.light": ("Light", "Цвет", "Колір"),
    "col.kpi": ("KPI", "KPI", "KPI"),
    "col.value": ("Value", "Значение", "Значення"),
    "col.attainment": ("Attainment", "Достижение", "Досягнення"),
    "col.met": ("Met", "Выполнено", "Виконано"),
    "col.revenue_to_date": ("Revenue so far", "Выручка на дату", "Виручка на дату"),
    "col.elapsed_wd": ("Days gone", "Прошло дней", "Минуло днів"),
    "col.total_wd": ("Working days", "Рабочих дней", "Робочих днів"),
    "col.projected": ("Projected revenue", "Прогноз выручки", "Прогноз виручки"),
    "col.projected_fulfillment": ("Projected fulfilment", "Прогноз выполнения", "Прогноз виконання"),
    "col.projected_fulfillment_low": ("from", "от", "від"),
    "col.projected_fulfillment_high": ("to", "до", "до"),
    "col.median_fulfillment": ("Median fulfilment", "Медиана выполнения", "Медіана виконання"),
    "col.share_green": ("Green months", "Зелёных месяцев", "Зелених місяців"),
    "col.share_amber": ("Amber months", "Жёлтых месяцев", "Жовтих місяців"),
    "col.share_red": ("Red months", "Красных месяцев", "Червоних місяців"),
    "col.score": ("Score", "Балл", "Бал"),
    "col.rank_low": ("Rank from", "Место от", "Місце від"),
    "col.rank_high": ("Rank to", "Место до", "Місце до"),
    "retention.explain": (
        "**Customer retention** = retained customers / customers of the previous window. A customer of the "
        "previous window has a won deal closed there and belongs to the manager of their last such deal; they are "
        "retained when they buy again (a won deal closed in this period, with any manager).",
        "**Удержание клиентов** = удержанные клиенты / клиенты предыдущего окна. Клиент предыдущего окна — тот, "
        "у кого там закрыта выигранная сделка; он относится к менеджеру своей последней такой сделки и считается "
        "удержанным, если купил снова (выигранная сделка закрыта в этом периоде, у любого менеджера).",
        "**Утримання клієнтів** = утримані клієнти / клієнти попереднього вікна. Клієнт попереднього вікна — той, "
        "у кого там закрита виграна угода; він належить менеджеру своєї останньої такої угоди й вважається "
        "утриманим, якщо купив знову (виграна угода закрита в цьому періоді, у будь-якого менеджера)."),
    "compare.explain": (
        "Is a manager really above or below the team, or is it noise? Each manager is compared with the rest "
        "of the team on every KPI; a verdict says **above** or **below** only when the test, adjusted for "
        "comparing many people at once, says so at the sidebar's α. Below the minimum sample size the verdict "
        "is *too little data*, with an estimate of how much data would settle it.",
        "Менеджер действительно выше или ниже команды — или это шум? Каждый менеджер сравнивается с остальной "
        "командой по каждому KPI; вердикт «выше» или «ниже» выносится, только когда тест с поправкой на "
        "множественные сравнения подтверждает это на уровне α из боковой панели. Ниже минимального размера "
        "выборки вердикт — «мало данных» с оценкой того, сколько данных нужно.",
        "Менеджер справді вище чи нижче команди — чи це шум? Кожного менеджера порівнюють з рештою команди "
        "за кожним KPI; вердикт «вище» або «нижче» виноситься, лише коли тест із поправкою на множинні "
        "порівняння підтверджує це на рівні α з бічної панелі. Нижче мінімального розміру вибірки вердикт — "
        "«замало даних» з оцінкою того, скільки даних потрібно."),
    "compare.method_title": ("How the comparison works", "Как устроено сравнение", "Як влаштоване порівняння"),
    "compare.method": (
        "- Each manager against **the rest of the team**, not every pair: ten managers are ten questions, not 45.\n"
        "- **Holm's adjustment** keeps the chance of wrongly flagging anybody at about α (Benjamini–Hochberg, "
        "for screening, is in the sidebar).\n"
        "- **Conversion, retention**: Fisher's exact test, Wilson intervals, Newcombe interval of the difference, "
        "Cohen's h as the effect size; the funnel plot shows the 95% and 99.8% limits around the team rate "
        "(Spiegelhalter 2005), widened when managers differ more than chance allows.\n"
        "- **Deal size** is skewed: medians with intervals, Mann–Whitney (or Brunner–Munzel when spreads "
        "differ), Cliff's δ as the effect size.\n"
        "- **Activity**: calls vary more from day to day than a Poisson model allows, so a negative binomial "
        "model is used when they do; the effect is the rate ratio.\n"
        "- **Ranking** uses empirical-Bayes shrunk conversion, so a lucky 3 of 4 does not top the table.\n"
        "- Leads are not assigned at random: results describe what happened, not why.",
        "- Каждый менеджер против **остальной команды**, а не все пары: десять менеджеров — десять вопросов, а не 45.\n"
        "- **Поправка Холма** держит вероятность ошибочно отметить кого-либо на уровне α (Бенджамини–Хохберг "
        "для скрининга — в боковой панели).\n"
        "- **Конверсия, удержание**: точный тест Фишера, интервалы Уилсона, интервал разницы Ньюкомба, "
        "размер эффекта h Коэна; воронкообразный график показывает границы 95% и 99,8% вокруг уровня команды "
        "(Spiegelhalter 2005), расширенные, если менеджеры различаются сильнее, чем допускает случай.\n"
        "- **Средний чек** асимметричен: медианы с интервалами, тест Манна–Уитни (или Бруннера–Мунцеля при "
        "разном разбросе), размер эффекта δ Клиффа.\n"
        "- **Активность**: звонки колеблются сильнее, чем допускает модель Пуассона, поэтому тогда используется "
        "отрицательное биномиальное распределение; эффект — отношение интенсивностей.\n"
        "- **Рейтинг** строится по конверсии со сжатием (эмпирический Байес), чтобы случайные 3 из 4 не "
        "оказались на вершине.\n"
        "- Лиды распределяются не случайно: результаты описывают, что произошло, а не почему.",
        "- Кожен менеджер проти **решти команди**, а не всі пари: десять менеджерів — десять питань, а не 45.\n"
        "- **Поправка Голма** тримає ймовірність помилково позначити будь-кого на рівні α (Бенджаміні–Хохберг "
        "для скринінгу — на бічній панелі).\n"
        "- **Конверсія, утримання**: точний тест Фішера, інтервали Вілсона, інтервал різниці Ньюкомба, "
        "розмір ефекту h Коена; лійкоподібний графік показує межі 95% і 99,8% навколо рівня команди "
        "(Spiegelhalter 2005), розширені, якщо менеджери відрізняються сильніше, ніж допускає випадок.\n"
        "- **Середній чек** асиметричний: медіани з інтервалами, тест Манна–Вітні (або Бруннера–Мунцеля за "
        "різного розкиду), розмір ефекту δ Кліффа.\n"
        "- **Активність**: дзвінки коливаються сильніше, ніж допускає модель Пуассона, тож тоді використовується "
        "від'ємний біноміальний розподіл; ефект — відношення інтенсивностей.\n"
        "- **Рейтинг** будується за конверсією зі стисненням (емпіричний Баєс), щоб випадкові 3 з 4 не "
        "опинилися на вершині.\n"
        "- Ліди розподіляються не випадково: результати описують, що сталося, а не чому."),
    "compare.tab.team": ("Each vs the team", "Каждый против команды", "Кожен проти команди"),
    "compare.tab.pair": ("Two managers", "Два менеджера", "Два менеджери"),
    "compare.tab.rank": ("Ranking without noise", "Рейтинг без шума", "Рейтинг без шуму"),
    "compare.part": ("Indicator", "Показатель", "Показник"),
    "compare.computing": ("Running the tests…", "Считаем тесты…", "Рахуємо тести…"),
    "compare.kpi.conversion": ("Conversion", "Конверсия", "Конверсія"),
    "compare.kpi.avg_deal": ("Deal size", "Средний чек", "Середній чек"),
    "compare.kpi.activities": ("Activity", "Активность", "Активність"),
    "compare.kpi.activities_per_day": ("Calls + meetings / day", "Звонки + встречи / день", "Дзвінки + зустрічі / день"),
    "compare.kpi.retention": ("Retention", "Удержание", "Утримання"),
    "compare.kpi.retention_rate": ("Retention", "Удержание", "Утримання"),
    "compare.kpi.plan_hit_share": ("Months at or above plan", "Месяцы с выполненным планом", "Місяці з виконаним планом"),
    "compare.deal_test": ("Test", "Тест", "Тест"),
    "compare.test.mannwhitney": ("Mann–Whitney", "Манн–Уитни", "Манн–Вітні"),
    "compare.test.brunnermunzel": ("Brunner–Munzel (spreads differ)", "Бруннер–Мунцель (разный разброс)",
                                   "Бруннер–Мунцель (різний розкид)"),
    "compare.test.chi2_homogeneity": ("chi-square test", "тест хи-квадрат", "тест хі-квадрат"),
    "compare.test.fisher_freeman_halton_mc": ("exact Fisher–Freeman–Halton test (Monte Carlo; small counts)",
                                              "точный тест Фишера–Фримена–Холтона (Монте-Карло; малые частоты)",
                                              "точний тест Фішера–Фрімена–Голтона (Монте-Карло; малі частоти)"),
    "compare.test.fisher_exact": ("Fisher's exact test (small counts)", "точный тест Фишера (малые частоты)",
                                  "точний тест Фішера (малі частоти)"),
    "compare.test.kruskal_wallis": ("Kruskal–Wallis test", "тест Краскела–Уоллиса", "тест Краскела–Уолліса"),
    "compare.test.negbin_lr": ("negative binomial likelihood-ratio test", "тест отношения правдоподобия (отриц. биномиальная модель)",
                               "тест відношення правдоподібності (від'ємна біноміальна модель)"),
    "compare.test.poisson_chi2_homogeneity": ("Poisson chi-square test", "тест хи-квадрат Пуассона", "тест хі-квадрат Пуассона"),
    "compare.omnibus_none": ("Too little data for an overall test.", "Слишком мало данных для общего теста.",
                             "Замало даних для загального тесту."),
    "compare.omnibus_differ": ("Overall, managers differ more than chance would explain ({test}, p {p}).",
                               "В целом менеджеры различаются сильнее, чем объясняет случай ({test}, p {p}).",
                               "Загалом менеджери відрізняються сильніше, ніж пояснює випадок ({test}, p {p})."),
    "compare.omnibus_same": ("Overall, no evidence that managers differ ({test}, p {p}).",
                             "В целом нет оснований считать, что менеджеры различаются ({test}, p {p}).",
                             "Загалом немає підстав вважати, що менеджери відрізняються ({test}, p {p})."),
    "compare.n.conversion": ("Leads", "Лидов", "Лідів"),
    "compare.n.avg_deal": ("Won deals", "Выигр. сделок", "Вигр. угод"),
    "compare.n.activities": ("Calls + meetings", "Звонков + встреч", "Дзвінків + зустрічей"),
    "compare.n.retention": ("Customers", "Клиентов", "Клієнтів"),
    "compare.effect.conversion": ("Cohen's h", "h Коэна", "h Коена"),
    "compare.effect.avg_deal": ("Cliff's δ", "δ Клиффа", "δ Кліффа"),
    "compare.effect.activities": ("Rate ratio", "Отношение", "Відношення"),
    "compare.effect.retention": ("Cohen's h", "h Коэна", "h Коена"),
    "compare.need_many": ("very many", "очень много", "дуже багато"),
    "compare.v.not_enough_data": ("too little data: {n} {unit}, need about {need}",
                                  "мало данных: {n} {unit}, нужно около {need}",
                                  "замало даних: {n} {unit}, потрібно близько {need}"),
    "compare.v.above.team": ("above the team (p {p} after adjustment)", "выше команды (p {p} с поправкой)",
                             "вище команди (p {p} з поправкою)"),
    "compare.v.below.team": ("below the team (p {p} after adjustment)", "ниже команды (p {p} с поправкой)",
                             "нижче команди (p {p} з поправкою)"),
    "compare.v.no_difference.team": ("no evidence of a difference (p {p} after adjustment)",
                                     "нет оснований говорить о различии (p {p} с поправкой)",
                                     "немає підстав говорити про різницю (p {p} з поправкою)"),
    "compare.v.above.pair": ("{a} above {b} (p {p})", "{a} выше, чем {b} (p {p})", "{a} вище, ніж {b} (p {p})"),
    "compare.v.below.pair": ("{a} below {b} (p {p})", "{a} ниже, чем {b} (p {p})", "{a} нижче, ніж {b} (p {p})"),
    "compare.v.no_difference.pair": ("no evidence of a difference (p {p})", "нет оснований говорить о различии (p {p})",
                                     "немає підстав говорити про різницю (p {p})"),
    "compare.unit.leads": ("leads", "лидов", "лідів"),
    "compare.unit.deals": ("won deals", "выигранных сделок", "виграних угод"),
    "compare.unit.activities": ("expected calls + meetings", "ожидаемых звонков + встреч", "очікуваних дзвінків + зустрічей"),
    "compare.unit.customers": ("customers", "клиентов", "клієнтів"),
    "compare.unit.days": ("working days", "рабочих дней", "робочих днів"),
    "compare.unit.months": ("months", "месяцев", "місяців"),
    "compare.funnel.above": ("above the 95% limit", "выше границы 95%", "вище межі 95%"),
    "compare.funnel.below": ("below the 95% limit", "ниже границы 95%", "нижче межі 95%"),
    "compare.funnel.inside": ("inside the limits", "внутри границ", "всередині меж"),
    "compare.funnel_note": (
        "Funnel plot: each dot is a manager; the funnel shows where conversion can land by chance alone for that "
        "many leads (95% and 99.8% limits around the team rate). Dots outside are unusual.",
        "Воронкообразный график: точка — менеджер; воронка показывает, куда конверсия может попасть случайно "
        "при таком числе лидов (границы 95% и 99,8% вокруг уровня команды). Точки снаружи — необычны.",
        "Лійкоподібний графік: точка — менеджер; лійка показує, куди конверсія може потрапити випадково "
        "за такої кількості лідів (межі 95% і 99,8% навколо рівня команди). Точки назовні — незвичні."),
    "compare.funnel_wide": (
        "Managers differ more than chance allows (over-dispersion φ = {phi}), so the limits were widened: only "
        "dots outside the wider funnel stand out from a team that is uneven anyway.",
        "Менеджеры различаются сильнее, чем допускает случай (сверхдисперсия φ = {phi}), поэтому границы "
        "расширены: выделяются только точки вне более широкой воронки.",
        "Менеджери відрізняються сильніше, ніж допускає випадок (наддисперсія φ = {phi}), тому межі "
        "розширено: виділяються лише точки поза ширшою лійкою."),
    "compare.pair_none": ("One of the two has no data in this period.", "У одного из двух нет данных в этом периоде.",
                          "В одного з двох немає даних у цьому періоді."),
    "compare.pair_note": (
        "Difference = first − second, with its interval. 'Need about' = data per person to detect a difference "
        "this large with 80% power at the sidebar's α.",
        "Разница = первый − второй, с интервалом. «Нужно около» — данных на человека, чтобы обнаружить такую "
        "разницу с мощностью 80% при α из боковой панели.",
        "Різниця = перший − другий, з інтервалом. «Потрібно близько» — даних на людину, щоб виявити таку "
        "різницю з потужністю 80% при α з бічної панелі."),
    "compare.rank_intro": (
        "Ranking by raw conversion crowns whoever got lucky with a few leads. The shrunk rate pulls each manager "
        "towards the team in proportion to how little data they have (empirical Bayes, beta-binomial); rank by it.",
        "Рейтинг по «сырой» конверсии награждает того, кому повезло на нескольких лидах. Сжатая оценка "
        "подтягивает менеджера к команде тем сильнее, чем меньше у него данных (эмпирический Байес); "
        "ранжируйте по ней.",
        "Рейтинг за «сирою» конверсією нагороджує того, кому пощастило на кількох лідах. Стиснена оцінка "
        "підтягує менеджера до команди тим сильніше, чим менше в нього даних (емпіричний Баєс); "
        "ранжуйте за нею."),
    "compare.raw": ("raw", "сырая", "сира"),
    "compare.shrunk": ("shrunk", "сжатая", "стиснена"),
    "compare.within_title": ("Within lead source (Mantel–Haenszel)", "Внутри источника лида (Мантель–Хензель)",
                             "Всередині джерела ліда (Мантель–Гензель)"),
    "compare.mix_warning": (
        "The lead mix differs a lot between managers (Cramér's V = {v}): compare conversion within source.",
        "Структура лидов сильно различается между менеджерами (V Крамера = {v}): сравнивайте конверсию внутри источника.",
        "Структура лідів сильно відрізняється між менеджерами (V Крамера = {v}): порівнюйте конверсію всередині джерела."),
    "compare.mh_or": ("Odds ratio vs the rest, within source", "Отношение шансов к остальным внутри источника",
                      "Відношення шансів до решти всередині джерела"),
    "col.estimate": ("Estimate", "Оценка", "Оцінка"),
    "col.interval": ("Interval", "Интервал", "Інтервал"),
    "col.effect": ("Effect", "Эффект", "Ефект"),
    "col.p_adjusted": ("p (adjusted)", "p (с поправкой)", "p (з поправкою)"),
    "col.verdict": ("Verdict", "Вердикт", "Вердикт"),
    "col.months": ("Months", "Месяцев", "Місяців"),
    "col.hits": ("At or above plan", "План выполнен", "План виконано"),
    "col.share": ("Share", "Доля", "Частка"),
    "col.rank": ("Rank", "Место", "Місце"),
    "col.shrunk": ("Shrunk conversion", "Сжатая конверсия", "Стиснена конверсія"),
    "col.cred": ("Credible interval", "Интервал доверия", "Інтервал довіри"),
    "col.raw": ("Raw conversion", "Сырая конверсия", "Сира конверсія"),
    "col.raw_rank": ("Raw rank", "Место по сырой", "Місце за сирою"),
    "data.explain": (
        "What is loaded: files, row counts, date ranges, warnings found while reading, and the monthly volume "
        "of deals and activities — check it before trusting the numbers.",
        "Что загружено: файлы, число строк, диапазоны дат, предупреждения при чтении и помесячный объём сделок "
        "и активностей — проверьте это, прежде чем доверять цифрам.",
        "Що завантажено: файли, кількість рядків, діапазони дат, попередження під час читання та помісячний "
        "обсяг угод і активностей — перевірте це, перш ніж довіряти цифрам."),
    # overview
    "overview.definitions_title": ("How the KPIs are defined", "Как считаются KPI", "Як рахуються KPI"),
    "overview.definitions": (
        "- **Conversion** = won leads / leads created in the period (Wilson interval).\n"
        "- **Average deal** = revenue / won deals closed in the period.\n"
        "- **Activity** = completed calls + meetings, per working day.\n"
        "- **Plan fulfilment** = revenue / target (monthly targets pro-rated by days).\n"
        "- **Retention** = customers of the previous window who bought again in this period.\n\n"
        "A ratio with nothing to divide by is shown as —, never as 0.",
        "- **Конверсия** = выигранные лиды / лиды, созданные в периоде (интервал Уилсона).\n"
        "- **Средний чек** = выручка / выигранные сделки, закрытые в периоде.\n"
        "- **Активность** = завершённые звонки + встречи, на рабочий день.\n"
        "- **Выполнение плана** = выручка / план (месячные планы пропорционально дням).\n"
        "- **Удержание** = клиенты предыдущего окна, купившие снова в этом периоде.\n\n"
        "Отношение без знаменателя показано как —, а не 0.",
        "- **Конверсія** = виграні ліди / ліди, створені в періоді (інтервал Вілсона).\n"
        "- **Середній чек** = виручка / виграні угоди, закриті в періоді.\n"
        "- **Активність** = завершені дзвінки + зустрічі, на робочий день.\n"
        "- **Виконання плану** = виручка / план (місячні плани пропорційно дням).\n"
        "- **Утримання** = клієнти попереднього вікна, які купили знову в цьому періоді.\n\n"
        "Відношення без знаменника показано як —, а не 0."),
    "overview.scorecard": ("Scorecard", "Таблица показателей", "Таблиця показників"),
    "overview.lights_note": (
        "Cell colours follow the traffic-light thresholds in the sidebar; average deal is compared with the team's.",
        "Цвет ячеек — по порогам светофора в боковой панели; средний чек сравнивается со средним чеком команды.",
        "Колір клітинок — за порогами світлофора на бічній панелі; середній чек порівнюється з чеком команди."),
    "overview.lights_title": ("Traffic lights", "Светофор", "Світлофор"),
    "download.xlsx": ("Report (XLSX)", "Отчёт (XLSX)", "Звіт (XLSX)"),
    "download.csv": ("Table (CSV)", "Таблица (CSV)", "Таблиця (CSV)"),
    "download.json": ("Report (JSON)", "Отчёт (JSON)", "Звіт (JSON)"),
    # common
    "common.team": ("Team", "Команда", "Команда"),
    "common.period_line": ("Period {period} (previous window {prev})", "Период {period} (предыдущее окно {prev})",
                           "Період {period} (попереднє вікно {prev})"),
    "common.source": ("data", "данные", "дані"),
    "common.vs_previous": ("Arrows: change against the previous window.",
                           "Стрелки: изменение относительно предыдущего окна.",
                           "Стрілки: зміна відносно попереднього вікна."),
    "common.trend": ("Month by month (last 12 months)", "По месяцам (последние 12 месяцев)",
                     "По місяцях (останні 12 місяців)"),
    "common.open_leads": (
        "{share}% of this period's leads are still open, so its conversion is understated until they close. "
        "Compare managers over an earlier or longer period.",
        "{share}% лидов этого периода ещё открыты, поэтому его конверсия занижена, пока они не закроются. "
        "Сравнивайте менеджеров за более ранний или более длинный период.",
        "{share}% лідів цього періоду ще відкриті, тож його конверсія занижена, доки вони не закриються. "
        "Порівнюйте менеджерів за раніший або довший період."),
    "common.no_leads": ("No leads were created in this period.", "В этом периоде не создано ни одного лида.",
                        "У цьому періоді не створено жодного ліда."),
    # KPIs
    "kpi.conversion": ("Conversion", "Конверсия", "Конверсія"),
    "kpi.avg_deal": ("Average deal", "Средний чек", "Середній чек"),
    "kpi.activities_per_day": ("Calls + meetings / day", "Звонки + встречи / день", "Дзвінки + зустрічі / день"),
    "kpi.plan_fulfillment": ("Plan fulfilment", "Выполнение плана", "Виконання плану"),
    "kpi.retention_rate": ("Retention", "Удержание", "Утримання"),
    "kpi.revenue": ("Revenue", "Выручка", "Виручка"),
    "kpi.leads": ("Leads", "Лиды", "Ліди"),
    "kpi.activities": ("Calls + meetings", "Звонки + встречи", "Дзвінки + зустрічі"),
    "kpi.won": ("Won deals", "Выигранные сделки", "Виграні угоди"),
    "kpi.conversion.help": ("Won leads / leads created in the period.", "Выигранные лиды / лиды, созданные в периоде.",
                            "Виграні ліди / ліди, створені в періоді."),
    "kpi.avg_deal.help": ("Revenue / won deals closed in the period.", "Выручка / выигранные сделки, закрытые в периоде.",
                          "Виручка / виграні угоди, закриті в періоді."),
    "kpi.activities_per_day.help": ("Completed calls and meetings per working day (Mon–Fri).",
                                    "Завершённые звонки и встречи на рабочий день (пн–пт).",
                                    "Завершені дзвінки та зустрічі на робочий день (пн–пт)."),
    "kpi.plan_fulfillment.help": ("Revenue / target of the period.", "Выручка / план периода.",
                                  "Виручка / план періоду."),
    "kpi.retention_rate.help": ("Share of the previous window's customers who bought again.",
                                "Доля клиентов предыдущего окна, купивших снова.",
                                "Частка клієнтів попереднього вікна, які купили знову."),
    # columns
    "col.manager": ("Manager", "Менеджер", "Менеджер"),
    "col.leads": ("Leads", "Лиды", "Ліди"),
    "col.won_of_leads": ("Won of leads", "Выиграно из лидов", "Виграно з лідів"),
    "col.conversion": ("Conversion", "Конверсия", "Конверсія"),
    "col.conversion_ci_low": ("Interval from", "Интервал от", "Інтервал від"),
    "col.conversion_ci_high": ("Interval to", "Интервал до", "Інтервал до"),
    "col.won": ("Won deals", "Выигр. сделки", "Вигр. угоди"),
    "col.revenue": ("Revenue", "Выручка", "Виручка"),
    "col.avg_deal": ("Average deal", "Средний чек", "Середній чек"),
    "col.activities": ("Calls + meetings", "Звонки + встречи", "Дзвінки + зустрічі"),
    "col.calls": ("Calls", "Звонки", "Дзвінки"),
    "col.meetings": ("Meetings", "Встречи", "Зустрічі"),
    "col.calls_per_day": ("Calls / day", "Звонки / день", "Дзвінки / день"),
    "col.meetings_per_day": ("Meetings / day", "Встречи / день", "Зустрічі / день"),
    "col.activities_per_day": ("Activity / day", "Активность / день", "Активність / день"),
    "col.target": ("Target", "План", "План"),
    "col.plan_fulfillment": ("Plan fulfilment", "Выполнение плана", "Виконання плану"),
    "col.customers_prev": ("Customers before", "Клиенты ранее", "Клієнти раніше"),
    "col.customers_retained": ("Retained", "Удержано", "Утримано"),
    "col.retention_rate": ("Retention", "Удержание", "Утримання"),
    "col.kind": ("File", "Файл", "Файл"),
    "col.rows": ("Rows", "Строк", "Рядків"),
    "col.managers": ("Managers", "Менеджеров", "Менеджерів"),
    "col.date_min": ("From", "С", "З"),
    "col.date_max": ("To", "По", "По"),
    "col.kpi_label": ("KPI", "KPI", "KPI"),
    "col.diff": ("Difference", "Разница", "Різниця"),
    # sidebar
    "sidebar.language": ("Language", "Язык", "Мова"),
    "sidebar.source": ("Data", "Данные", "Дані"),
    "sidebar.source_sample": ("Sample data", "Демо-данные", "Демо-дані"),
    "sidebar.source_upload": ("My files", "Мои файлы", "Мої файли"),
    "sidebar.source_export": ("Sample CRM export", "Пример выгрузки CRM", "Приклад вивантаження CRM"),
    "sidebar.sample_export": ("Which export", "Какая выгрузка", "Яке вивантаження"),
    "sidebar.export.bitrix24": ("Bitrix24 (CSV)", "Битрикс24 (CSV)", "Бітрікс24 (CSV)"),
    "sidebar.export.bitrix24_xls": ("Bitrix24 (Excel .xls)", "Битрикс24 (Excel .xls)", "Бітрікс24 (Excel .xls)"),
    "sidebar.export.amocrm": ("amoCRM", "amoCRM", "amoCRM"),
    "sidebar.export.hubspot": ("HubSpot", "HubSpot", "HubSpot"),
    "sidebar.export.pipedrive": ("Pipedrive (deals + activities + plans)", "Pipedrive (сделки + активности + планы)",
                                 "Pipedrive (угоди + активності + плани)"),
    "sidebar.export.salesforce": ("Salesforce report", "Отчёт Salesforce", "Звіт Salesforce"),
    "sidebar.export.zoho": ("Zoho CRM", "Zoho CRM", "Zoho CRM"),
    "sidebar.upload": ("CRM exports: deals, activities, plans (several files at once)",
                       "Выгрузки CRM: сделки, активности, планы (можно несколько файлов)",
                       "Вивантаження CRM: угоди, активності, плани (можна кілька файлів)"),
    "sidebar.upload_help": (
        "Bitrix24, amoCRM/Kommo, HubSpot, Pipedrive, Salesforce, Zoho or any spreadsheet (CSV, XLSX, XLS), up to "
        "500 MB per file. Columns and stages are recognised automatically; correct them on the Data page. Files "
        "stay in your session's memory only; nothing is written to disk or shown to anybody else.",
        "Битрикс24, amoCRM/Kommo, HubSpot, Pipedrive, Salesforce, Zoho или любая таблица (CSV, XLSX, XLS), до "
        "500 МБ на файл. Столбцы и стадии распознаются автоматически; поправить можно на странице «Данные». Файлы "
        "хранятся только в памяти вашей сессии; ничего не записывается на диск и не видно другим.",
        "Бітрікс24, amoCRM/Kommo, HubSpot, Pipedrive, Salesforce, Zoho або будь-яка таблиця (CSV, XLSX, XLS), до "
        "500 МБ на файл. Стовпці та стадії розпізнаються автоматично; виправити можна на сторінці «Дані». Файли "
        "зберігаються лише в пам'яті вашої сесії; нічого не записується на диск і не видно іншим."),
    "sidebar.need_deals": ("Upload a deals export to start (activities and plans are optional).",
                           "Загрузите выгрузку сделок, чтобы начать (активности и планы — по желанию).",
                           "Завантажте вивантаження угод, щоб почати (активності та плани — за бажанням)."),
    "sidebar.period_kind": ("Period", "Период", "Період"),
    "sidebar.pick_end": ("Pick the end date too.", "Выберите и дату окончания.", "Оберіть і дату завершення."),
    "sidebar.targets": ("Monthly targets", "Месячные планы", "Місячні плани"),
    "sidebar.default_target": ("Default for everyone, UAH / month", "По умолчанию для всех, грн / месяц",
                               "За замовчуванням для всіх, грн / місяць"),
    "sidebar.default_target_help": (
        "Used for managers and months without a target in the plans file. 0 = no default.",
        "Используется для менеджеров и месяцев без плана в файле планов. 0 — без плана по умолчанию.",
        "Використовується для менеджерів і місяців без плану у файлі планів. 0 — без плану за замовчуванням."),
    "sidebar.targets_managers": ("Monthly targets per manager", "Месячные планы по менеджерам",
                                 "Місячні плани за менеджерами"),
    "sidebar.override_help": ("Per manager (replaces the plan for every month; leave empty to keep it):",
                              "По менеджерам (заменяет план на каждый месяц; оставьте пустым, чтобы сохранить):",
                              "По менеджерах (замінює план на кожен місяць; залиште порожнім, щоб зберегти):"),
    "sidebar.from_plan": ("plan: {value}", "план: {value}", "план: {value}"),
    "sidebar.no_plan": ("no plan", "нет плана", "немає плану"),
    "sidebar.thresholds": ("Traffic lights", "Светофор", "Світлофор"),
    "sidebar.thresholds_help": (
        "Green at or above the left value, amber at or above the right one, red below. Average deal: % of the team's.",
        "Зелёный — от левого значения, жёлтый — от правого, ниже — красный. Средний чек: % от командного.",
        "Зелений — від лівого значення, жовтий — від правого, нижче — червоний. Середній чек: % від командного."),
    "sidebar.green": ("green from", "зелёный от", "зелений від"),
    "sidebar.amber": ("amber from", "жёлтый от", "жовтий від"),
    "sidebar.th_mode": ("Judge by", "Оценивать по", "Оцінювати за"),
    "sidebar.th_mode.absolute": ("value", "значению", "значенням"),
    "sidebar.th_mode.share": ("% of target", "% от цели", "% від цілі"),
    "sidebar.weights": ("Score weights", "Веса рейтинга", "Ваги рейтингу"),
    "sidebar.weights_help": ("How much each KPI counts in the composite score (normalised to 100%).",
                             "Вклад каждого KPI в сводный балл (нормируется к 100%).",
                             "Внесок кожного KPI у зведений бал (нормується до 100%)."),
    "sidebar.statistics": ("Statistics", "Статистика", "Статистика"),
    "sidebar.alpha": ("Significance level α", "Уровень значимости α", "Рівень значущості α"),
    "sidebar.alpha_help": ("0.05 means 95% intervals and tests at 5%.", "0,05 — это 95% интервалы и тесты на уровне 5%.",
                           "0,05 — це 95% інтервали й тести на рівні 5%."),
    "sidebar.min_n": ("Minimum sample size", "Минимальный размер выборки", "Мінімальний розмір вибірки"),
    "sidebar.min_n_help": ("Below this many leads (deals, customers) a verdict says 'not enough data'.",
                           "Если лидов (сделок, клиентов) меньше, вердикт — «недостаточно данных».",
                           "Якщо лідів (угод, клієнтів) менше, вердикт — «недостатньо даних»."),
    "sidebar.adjust": ("Multiple comparisons", "Множественные сравнения", "Множинні порівняння"),
    "sidebar.adjust_help": ("Holm protects each person from a false verdict; Benjamini–Hochberg is for screening.",
                            "Холм защищает каждого от ложного вердикта; Бенджамини–Хохберг — для скрининга.",
                            "Голм захищає кожного від хибного вердикту; Бенджаміні–Хохберг — для скринінгу."),
    "adjust.holm": ("Holm", "Холм", "Голм"),
    "adjust.bh": ("Benjamini–Hochberg", "Бенджамини–Хохберг", "Бенджаміні–Хохберг"),
    "period.month": ("Month", "Месяц", "Місяць"),
    "period.quarter": ("Quarter", "Квартал", "Квартал"),
    "period.year": ("Year", "Год", "Рік"),
    "period.custom": ("Custom range", "Произвольный", "Довільний"),
    # page bits
    "conversion.axis": ("Conversion (dot) and its interval (bar)", "Конверсия (точка) и её интервал (полоса)",
                        "Конверсія (точка) та її інтервал (смуга)"),
    "conversion.chart_note": ("Bars: {level}% Wilson intervals; dashed line: the team.",
                              "Полосы: {level}% интервалы Уилсона; пунктир — команда.",
                              "Смуги: {level}% інтервали Вілсона; пунктир — команда."),
    "deal_size.none": ("No won deals closed in this period.", "В этом периоде нет закрытых выигранных сделок.",
                       "У цьому періоді немає закритих виграних угод."),
    "deal_size.axis": ("Won deal amount, UAH (log scale)", "Сумма выигранной сделки, грн (лог. шкала)",
                       "Сума виграної угоди, грн (лог. шкала)"),
    "deal_size.chart_note": ("Managers sorted by average deal; dots beyond the whiskers are unusually large or small deals.",
                             "Менеджеры отсортированы по среднему чеку; точки за «усами» — необычно крупные или мелкие сделки.",
                             "Менеджери відсортовані за середнім чеком; точки за «вусами» — незвично великі чи малі угоди."),
    "activity.no_file": ("No activities file is loaded, so activity cannot be shown.",
                         "Файл активностей не загружен, поэтому активность не показать.",
                         "Файл активностей не завантажено, тож активність не показати."),
    "activity.working_days": ("Working days in the period: **{n}**.", "Рабочих дней в периоде: **{n}**.",
                              "Робочих днів у періоді: **{n}**."),
    "activity.axis": ("Per working day", "На рабочий день", "На робочий день"),
    "plan.no_targets": ("No targets for this period: upload a plans file or set a default target in the sidebar.",
                        "На этот период нет планов: загрузите файл планов или задайте план по умолчанию в боковой панели.",
                        "На цей період немає планів: завантажте файл планів або задайте план за замовчуванням на бічній панелі."),
    "plan.axis": ("UAH", "грн", "грн"),
    "plan.by_month": ("Plan fulfilment by month", "Выполнение плана по месяцам", "Виконання плану по місяцях"),
    "retention.none": ("Nobody had customers in the previous window, so retention cannot be computed.",
                       "В предыдущем окне не было клиентов, поэтому удержание не посчитать.",
                       "У попередньому вікні не було клієнтів, тож утримання не порахувати."),
    "retention.chart_note": ("Dashed line: the team's retention.", "Пунктир — удержание команды.",
                             "Пунктир — утримання команди."),
    "retention.period_title": ("Retention in the period", "Удержание в периоде", "Утримання в періоді"),
    "retention.trend_axis": ("Retention, month by month", "Удержание по месяцам", "Утримання по місяцях"),
    "retention.cohorts_title": ("Cohorts: do customers come back?", "Когорты: возвращаются ли клиенты?",
                                "Когорти: чи повертаються клієнти?"),
    "retention.cohorts_explain_title": ("How cohorts are defined", "Как определены когорты", "Як визначено когорти"),
    "retention.cohorts_explain": (
        "- A **purchase** is a won deal at its close date; a **customer** is the client.\n"
        "- A customer's **cohort** is the period of their first purchase; they belong to the manager of that "
        "first purchase (or of the latest one, if chosen).\n"
        "- **Classic** retention R(k): share of the cohort who bought in period k after the first one. "
        "**Rolling** U(k): share who bought in period k *or later* — it never rises with k.\n"
        "- Only complete periods are shown. The **pooled curve** averages the cohorts that have been observed "
        "for at least k periods, weighted by their size.\n"
        "- **Time to repeat purchase** is estimated with Kaplan–Meier: customers who have not bought again yet "
        "are counted only for as long as we have seen them, so recent cohorts do not drag the curve down.",
        "- **Покупка** — выигранная сделка на дату закрытия; **клиент** — client.\n"
        "- **Когорта** клиента — период его первой покупки; клиент относится к менеджеру этой первой покупки "
        "(или последней, если выбрано).\n"
        "- **Классическое** удержание R(k): доля когорты, купившая в k-м периоде после первого. "
        "**Скользящее** U(k): доля, купившая в k-м периоде *или позже*, — с ростом k не растёт.\n"
        "- Показаны только завершённые периоды. **Сводная кривая** усредняет когорты, наблюдаемые не меньше "
        "k периодов, с весами по размеру.\n"
        "- **Время до повторной покупки** оценено методом Каплана–Мейера: клиенты, ещё не купившие повторно, "
        "учитываются только столько, сколько мы их наблюдали, поэтому свежие когорты не занижают кривую.",
        "- **Покупка** — виграна угода на дату закриття; **клієнт** — client.\n"
        "- **Когорта** клієнта — період його першої покупки; клієнт належить менеджеру цієї першої покупки "
        "(або останньої, якщо обрано).\n"
        "- **Класичне** утримання R(k): частка когорти, що купила в k-му періоді після першого. "
        "**Ковзне** U(k): частка, що купила в k-му періоді *або пізніше*, — зі зростанням k не зростає.\n"
        "- Показано лише завершені періоди. **Зведена крива** усереднює когорти, які спостерігаються щонайменше "
        "k періодів, з вагами за розміром.\n"
        "- **Час до повторної покупки** оцінено методом Каплана–Маєра: клієнти, які ще не купили повторно, "
        "враховуються лише стільки, скільки ми їх спостерігали, тож свіжі когорти не занижують криву."),
    "retention.settings": ("Cohort settings", "Настройки когорт", "Налаштування когорт"),
    "retention.freq": ("Granularity", "Шаг", "Крок"),
    "retention.freq.week": ("Week", "Неделя", "Тиждень"),
    "retention.freq.month": ("Month", "Месяц", "Місяць"),
    "retention.freq.quarter": ("Quarter", "Квартал", "Квартал"),
    "retention.kind": ("Retention", "Удержание", "Утримання"),
    "retention.kind.classic": ("Classic", "Классическое", "Класичне"),
    "retention.kind.rolling": ("Rolling", "Скользящее", "Ковзне"),
    "retention.show": ("Show", "Показать", "Показати"),
    "retention.show.share": ("Shares", "Доли", "Частки"),
    "retention.show.count": ("Counts", "Количество", "Кількість"),
    "retention.owner": ("Customer belongs to the manager of", "Клиент относится к менеджеру",
                        "Клієнт належить менеджеру"),
    "retention.owner.first": ("the first purchase", "первой покупки", "першої покупки"),
    "retention.owner.latest": ("the latest purchase", "последней покупки", "останньої покупки"),
    "retention.horizon": ("Horizon (periods)", "Горизонт (периодов)", "Горизонт (періодів)"),
    "retention.managers": ("Managers", "Менеджеры", "Менеджери"),
    "retention.all_managers": ("all managers", "все менеджеры", "усі менеджери"),
    "retention.source": ("Lead source", "Источник лида", "Джерело ліда"),
    "retention.all_sources": ("all sources", "все источники", "усі джерела"),
    "retention.no_cohorts": ("No complete cohort yet: no won deals before the last complete period.",
                             "Пока нет завершённых когорт: нет выигранных сделок до последнего полного периода.",
                             "Поки немає завершених когорт: немає виграних угод до останнього повного періоду."),
    "retention.heatmap_title": ("**Cohort table** ({kind} retention; row label: cohort · customers)",
                                "**Таблица когорт** ({kind} удержание; подпись строки: когорта · клиентов)",
                                "**Таблиця когорт** ({kind} утримання; підпис рядка: когорта · клієнтів)"),
    "retention.heatmap_note": ("k = periods after the first purchase; k = 0 is the cohort itself (100%).",
                               "k — периоды после первой покупки; k = 0 — сама когорта (100%).",
                               "k — періоди після першої покупки; k = 0 — сама когорта (100%)."),
    "retention.curves_title": ("**Retention curves** (the team's pooled curve dashed, as the reference)",
                               "**Кривые удержания** (сводная кривая команды — пунктир, для сравнения)",
                               "**Криві утримання** (зведена крива команди — пунктир, для порівняння)"),
    "retention.tab.heatmap": ("Cohort table", "Когортная таблица", "Когортна таблиця"),
    "retention.tab.curves": ("Retention curves", "Кривые удержания", "Криві утримання"),
    "retention.tab.km": ("Time to repeat", "Время до повторной покупки", "Час до повторної покупки"),
    "retention.curves_by": ("Curves", "Кривые", "Криві"),
    "retention.curves_by.manager": ("per manager (pooled over cohorts)", "по менеджерам (сводные по когортам)",
                                    "за менеджерами (зведені за когортами)"),
    "retention.curves_by.cohort": ("per cohort", "по когортам", "за когортами"),
    "retention.curves_note": ("Click a name in the legend to highlight one manager.",
                              "Щёлкните имя в легенде, чтобы выделить менеджера.",
                              "Клацніть ім'я в легенді, щоб виділити менеджера."),
    "retention.rate_axis": ("Share of the cohort buying", "Доля когорты с покупкой", "Частка когорти з покупкою"),
    "retention.km_title": ("**Time to the second purchase** (Kaplan–Meier; band: the team's interval)",
                           "**Время до второй покупки** (Каплан–Мейер; полоса — интервал команды)",
                           "**Час до другої покупки** (Каплан–Маєр; смуга — інтервал команди)"),
    "retention.km_axis": ("Bought again within t", "Купили повторно за t", "Купили повторно за t"),
    "retention.no_repeat": ("No customers to follow yet.", "Пока некого отслеживать.", "Поки нікого відстежувати."),
    "retention.logrank_none": ("A log-rank test needs at least two managers with customers.",
                               "Для лог-рангового теста нужны хотя бы два менеджера с клиентами.",
                               "Для лог-рангового тесту потрібні щонайменше два менеджери з клієнтами."),
    "retention.logrank_differ": (
        "**Managers differ** in how fast their customers come back (log-rank χ² = {stat}, {dof} df, p {p}).",
        "**Менеджеры различаются** по скорости возврата клиентов (лог-ранговый χ² = {stat}, {dof} ст. св., p {p}).",
        "**Менеджери відрізняються** за швидкістю повернення клієнтів (лог-ранговий χ² = {stat}, {dof} ст. св., p {p})."),
    "retention.logrank_same": (
        "**No evidence** that managers differ in how fast customers come back (log-rank χ² = {stat}, {dof} df, p {p}).",
        "**Нет оснований** считать, что менеджеры различаются по скорости возврата клиентов (лог-ранговый χ² = {stat}, {dof} ст. св., p {p}).",
        "**Немає підстав** вважати, що менеджери відрізняються за швидкістю повернення клієнтів (лог-ранговий χ² = {stat}, {dof} ст. св., p {p})."),
    "col.n": ("Customers", "Клиентов", "Клієнтів"),
    "col.events": ("Came back", "Вернулись", "Повернулися"),
    "retention.median_col": ("Median time to repeat ({unit}s)", "Медиана до повтора (период: {unit})",
                             "Медіана до повтору (період: {unit})"),
    "compare.need_two": ("At least two managers are needed to compare.", "Для сравнения нужно хотя бы два менеджера.",
                         "Для порівняння потрібно щонайменше два менеджери."),
    "compare.a": ("First manager", "Первый менеджер", "Перший менеджер"),
    "compare.b": ("Second manager", "Второй менеджер", "Другий менеджер"),
    "compare.same": ("Pick two different managers.", "Выберите двух разных менеджеров.", "Оберіть двох різних менеджерів."),
    "compare.overlap_note": ("Overlapping intervals: the difference may be noise.",
                             "Перекрывающиеся интервалы: разница может быть шумом.",
                             "Інтервали перекриваються: різниця може бути шумом."),
    "data.kind.deals": ("Deals", "Сделки", "Угоди"),
    "data.kind.activities": ("Activities", "Активности", "Активності"),
    "data.kind.plans": ("Plans", "Планы", "Плани"),
    "data.rows_read": ("Rows read", "Строк прочитано", "Рядків прочитано"),
    "data.rows_used": ("Rows used", "Строк использовано", "Рядків використано"),
    "data.no_warnings": ("No problems found while reading the data.", "При чтении данных проблем не найдено.",
                         "Під час читання даних проблем не знайдено."),
    "data.volume": ("Volume by month", "Объём по месяцам", "Обсяг по місяцях"),
    "data.count": ("Count", "Количество", "Кількість"),
    "data.preview": ("First rows of the deals", "Первые строки сделок", "Перші рядки угод"),
    "data.series.created": ("Deals created", "Создано сделок", "Створено угод"),
    "data.series.won": ("Won (closed)", "Выиграно (закрыто)", "Виграно (закрито)"),
    "data.series.lost": ("Lost (closed)", "Проиграно (закрыто)", "Програно (закрито)"),
    "data.series.open": ("Still open", "Ещё открыты", "Ще відкриті"),
    "data.series.activities": ("Activities", "Активности", "Активності"),
    # importer: errors (codes of metrics.errors.MESSAGES)
    "err.no_manager_column": (
        "{file}: no column looks like the manager (owner / responsible person); choose it in the column mapping. Columns: {detail}",
        "{file}: ни один столбец не похож на менеджера (ответственного); выберите его в сопоставлении столбцов. Столбцы: {detail}",
        "{file}: жоден стовпець не схожий на менеджера (відповідального); оберіть його в зіставленні стовпців. Стовпці: {detail}"),
    "err.no_date_column": (
        "{file}: no column looks like a date (creation / activity / order date); choose it in the column mapping. Columns: {detail}",
        "{file}: ни один столбец не похож на дату (создания / активности / заказа); выберите его в сопоставлении столбцов. Столбцы: {detail}",
        "{file}: жоден стовпець не схожий на дату (створення / активності / замовлення); оберіть його в зіставленні стовпців. Стовпці: {detail}"),
    "err.all_dates_unparsable": (
        "{file}: no value in column '{column}' could be read as a date, e.g. {value!r} (row {row})",
        "{file}: ни одно значение в столбце «{column}» не читается как дата, например {value!r} (строка {row})",
        "{file}: жодне значення у стовпці «{column}» не читається як дата, наприклад {value!r} (рядок {row})"),
    "err.binary_file": (
        "{file}: this is not a table but {detail}; upload a CSV, XLSX or the CRM's Excel export",
        "{file}: это не таблица, а {detail}; загрузите CSV, XLSX или Excel-выгрузку CRM",
        "{file}: це не таблиця, а {detail}; завантажте CSV, XLSX або Excel-вивантаження CRM"),
    "err.truncated_xlsx": (
        "{file}: the XLSX file is damaged or incomplete ({detail}); export or save it again",
        "{file}: файл XLSX повреждён или неполон ({detail}); выгрузите или сохраните его заново",
        "{file}: файл XLSX пошкоджений або неповний ({detail}); вивантажте або збережіть його знову"),
    "err.too_large": ("{file}: the file is too large ({detail})", "{file}: файл слишком большой ({detail})",
                      "{file}: файл завеликий ({detail})"),
    "err.bad_mapping": (
        "{file}: column {column!r} chosen for {value!r} is not in the file; columns: {detail}",
        "{file}: столбца {column!r}, выбранного для {value!r}, нет в файле; столбцы: {detail}",
        "{file}: стовпця {column!r}, обраного для {value!r}, немає у файлі; стовпці: {detail}"),
    "err.no_plan_columns": (
        "{file}: a plans file needs a manager column and either month + target columns or one column per month (e.g. 2025-01, Jan 2025, Січень 2025)",
        "{file}: в файле планов нужен столбец менеджера и либо столбцы месяца и плана, либо по столбцу на месяц (например, 2025-01, Янв 2025, Січень 2025)",
        "{file}: у файлі планів потрібен стовпець менеджера і або стовпці місяця та плану, або по стовпцю на місяць (наприклад, 2025-01, Січ 2025, Січень 2025)"),
    "err.no_deals_file": (
        "{file}: none of these files holds deals ({detail}); add the deals or leads export",
        "{file}: ни в одном из этих файлов нет сделок ({detail}); добавьте выгрузку сделок или лидов",
        "{file}: у жодному з цих файлів немає угод ({detail}); додайте вивантаження угод або лідів"),
    # importer: warnings (codes of metrics.importers.WARNINGS)
    "warn.ambiguous_columns": ("{file}: several columns could be the {fields}; check the column mapping",
                               "{file}: на роль «{fields}» подходят несколько столбцов; проверьте сопоставление",
                               "{file}: на роль «{fields}» підходять кілька стовпців; перевірте зіставлення"),
    "warn.unknown_stages": (
        "{file}: {count} deal(s) have stages SalesLens does not know ({stages}); they are counted as open — assign them to won or lost",
        "{file}: у {count} сделок неизвестные стадии ({stages}); они считаются открытыми — отнесите их к выигранным или проигранным",
        "{file}: у {count} угод невідомі стадії ({stages}); вони вважаються відкритими — віднесіть їх до виграних або програних"),
    "warn.closed_unknown_stages": (
        "{file}: {count} closed deal(s) have stages SalesLens does not know ({stages}); they are counted as lost — assign them if a stage means won",
        "{file}: у {count} закрытых сделок неизвестные стадии ({stages}); они считаются проигранными — отметьте стадию, если она означает выигрыш",
        "{file}: у {count} закритих угод невідомі стадії ({stages}); вони вважаються програними — позначте стадію, якщо вона означає виграш"),
    "warn.empty_status": ("{file}: {count} deal(s) have an empty stage/status; counted as open",
                          "{file}: у {count} сделок пустая стадия/статус; считаются открытыми",
                          "{file}: у {count} угод порожня стадія/статус; вважаються відкритими"),
    "warn.no_status_column": ("{file}: no stage or status column; every deal is counted as open",
                              "{file}: нет столбца стадии или статуса; все сделки считаются открытыми",
                              "{file}: немає стовпця стадії чи статусу; усі угоди вважаються відкритими"),
    "warn.orders_as_won": ("{file}: no status column; every row is counted as a completed (won) sale",
                           "{file}: нет столбца статуса; каждая строка считается завершённой (выигранной) продажей",
                           "{file}: немає стовпця статусу; кожен рядок вважається завершеним (виграним) продажем"),
    "warn.multi_currency": (
        "{file}: amounts are in several currencies ({currencies}); they are not converted — filter by currency before comparing totals",
        "{file}: суммы в нескольких валютах ({currencies}); они не конвертируются — сравнивайте итоги в одной валюте",
        "{file}: суми в кількох валютах ({currencies}); вони не конвертуються — порівнюйте підсумки в одній валюті"),
    "warn.no_id_column": (
        "{file}: no id column; ids were derived from the row contents, so repeated exports of changed deals may not de-duplicate",
        "{file}: нет столбца ID; идентификаторы построены по содержимому строк, поэтому повторные выгрузки изменённых сделок могут задвоиться",
        "{file}: немає стовпця ID; ідентифікатори побудовано за вмістом рядків, тож повторні вивантаження змінених угод можуть задвоїтися"),
    "warn.client_from_title": ("{file}: {count} deal(s) have no company or contact; the deal title is used as the client",
                               "{file}: у {count} сделок нет компании или контакта; клиентом считается название сделки",
                               "{file}: у {count} угод немає компанії чи контакту; клієнтом вважається назва угоди"),
    "warn.client_missing": ("{file}: {count} deal(s) have no company, contact or title; each is its own client",
                            "{file}: у {count} сделок нет компании, контакта и названия; каждая — отдельный клиент",
                            "{file}: у {count} угод немає компанії, контакту й назви; кожна — окремий клієнт"),
    "warn.date_order_guessed": ("{file}: dates in column '{column}' (e.g. {example}) read either way; read as {order}",
                                "{file}: даты в столбце «{column}» (например, {example}) читаются двояко; прочитаны как {order}",
                                "{file}: дати у стовпці «{column}» (наприклад, {example}) читаються двояко; прочитано як {order}"),
    "warn.date_order_conflict": (
        "{file}: date columns disagree on day/month order; each column was read on its own evidence",
        "{file}: столбцы дат расходятся в порядке день/месяц; каждый прочитан по своим признакам",
        "{file}: стовпці дат розходяться в порядку день/місяць; кожен прочитано за власними ознаками"),
    "warn.product_lines_collapsed": (
        "{file}: {rows} rows for {deals} deal(s) were merged into one deal each (product lines; amounts summed)",
        "{file}: {rows} строк по {deals} сделкам объединены, по одной на сделку (товарные позиции; суммы сложены)",
        "{file}: {rows} рядків за {deals} угодами об'єднано, по одному на угоду (товарні позиції; суми додано)"),
    "warn.duplicate_rows": ("{file}: {count} duplicate row(s) were ignored", "{file}: {count} повторяющихся строк пропущено",
                            "{file}: {count} повторюваних рядків пропущено"),
    "warn.negative_amounts": ("{file}: {count} deal(s) with a negative amount were left out (e.g. deal {deal})",
                              "{file}: {count} сделок с отрицательной суммой не учтены (например, сделка {deal})",
                              "{file}: {count} угод із від'ємною сумою не враховано (наприклад, угода {deal})"),
    "warn.unparsable_dates": ("{file}: {count} value(s) in column '{column}' are not dates (e.g. {example!r})",
                              "{file}: {count} значений в столбце «{column}» не являются датами (например, {example!r})",
                              "{file}: {count} значень у стовпці «{column}» не є датами (наприклад, {example!r})"),
    "warn.unparsable_amounts": (
        "{file}: {count} value(s) in column '{column}' are not numbers (e.g. {example!r}); counted as 0",
        "{file}: {count} значений в столбце «{column}» не являются числами (например, {example!r}); считаются 0",
        "{file}: {count} значень у стовпці «{column}» не є числами (наприклад, {example!r}); вважаються 0"),
    "warn.closed_from_modified": (
        "{file}: no close date column; closed deals use the modification date ('{column}')",
        "{file}: нет столбца даты закрытия; для закрытых сделок взята дата изменения («{column}»)",
        "{file}: немає стовпця дати закриття; для закритих угод узято дату зміни («{column}»)"),
    "warn.no_close_date": ("{file}: no close date column; won and lost deals have no close date",
                           "{file}: нет столбца даты закрытия; у выигранных и проигранных сделок нет даты закрытия",
                           "{file}: немає стовпця дати закриття; у виграних і програних угод немає дати закриття"),
    "warn.created_from_close": ("{file}: no creation date column; '{column}' is used as the creation date",
                                "{file}: нет столбца даты создания; как дата создания взят «{column}»",
                                "{file}: немає стовпця дати створення; як дату створення взято «{column}»"),
    "warn.no_amount_column": ("{file}: no amount column; amounts are 0", "{file}: нет столбца суммы; суммы равны 0",
                              "{file}: немає стовпця суми; суми дорівнюють 0"),
    "warn.no_type_column": ("{file}: no activity type column; activities are counted as '{type}'",
                            "{file}: нет столбца типа активности; активности считаются как «{type}»",
                            "{file}: немає стовпця типу активності; активності рахуються як «{type}»"),
    "warn.no_target_rows": ("{file}: {count} plan cell(s) are empty and were skipped",
                            "{file}: {count} пустых ячеек плана пропущено", "{file}: {count} порожніх клітинок плану пропущено"),
    "warn.malformed_rows": (
        "{file}: {count} line(s) with the wrong number of columns were skipped (e.g. {example!r})",
        "{file}: {count} строк с неверным числом столбцов пропущено (например, {example!r})",
        "{file}: {count} рядків із неправильною кількістю стовпців пропущено (наприклад, {example!r})"),
    "warn.multi_currency_kpi": ("The deals are in several currencies; amounts are summed as they are.",
                                "Сделки в нескольких валютах; суммы складываются как есть.",
                                "Угоди в кількох валютах; суми додаються як є."),
    # Data page: detection, mapping, quality
    "data.detected": ("Detected: **{system}**, {kind}; encoding {encoding}, delimiter {delimiter}; dates: {dates}.",
                      "Распознано: **{system}**, {kind}; кодировка {encoding}, разделитель {delimiter}; даты: {dates}.",
                      "Розпізнано: **{system}**, {kind}; кодування {encoding}, роздільник {delimiter}; дати: {dates}."),
    "data.system.bitrix24": ("Bitrix24", "Битрикс24", "Бітрікс24"),
    "data.system.amocrm": ("amoCRM", "amoCRM", "amoCRM"),
    "data.system.kommo": ("Kommo", "Kommo", "Kommo"),
    "data.system.hubspot": ("HubSpot", "HubSpot", "HubSpot"),
    "data.system.pipedrive": ("Pipedrive", "Pipedrive", "Pipedrive"),
    "data.system.salesforce": ("Salesforce", "Salesforce", "Salesforce"),
    "data.system.zoho": ("Zoho CRM", "Zoho CRM", "Zoho CRM"),
    "data.system.canonical": ("SalesLens format", "формат SalesLens", "формат SalesLens"),
    "data.system.spreadsheet": ("spreadsheet", "таблица", "таблиця"),
    "data.system.unknown": ("unknown system", "неизвестная система", "невідома система"),
    "data.kind.orders": ("Orders (every row a sale)", "Заказы (каждая строка — продажа)", "Замовлення (кожен рядок — продаж)"),
    "data.date.day-first": ("day first", "сначала день", "спочатку день"),
    "data.date.month-first": ("month first", "сначала месяц", "спочатку місяць"),
    "data.date.iso": ("ISO", "ISO", "ISO"),
    "data.date.excel-serial": ("Excel serial numbers", "числа Excel", "числа Excel"),
    "data.date.excel-date": ("Excel dates", "даты Excel", "дати Excel"),
    "data.mapping": ("**Columns** (change one to correct it; every page updates)",
                     "**Столбцы** (измените, чтобы исправить; все страницы обновятся)",
                     "**Стовпці** (змініть, щоб виправити; усі сторінки оновляться)"),
    "data.no_column": ("— no such column —", "— нет такого столбца —", "— немає такого стовпця —"),
    "data.ambiguous": ("Several columns could be: {fields}. Check the choice above.",
                       "На эти роли подходят несколько столбцов: {fields}. Проверьте выбор выше.",
                       "На ці ролі підходять кілька стовпців: {fields}. Перевірте вибір вище."),
    "data.unknown_stages": ("**Stages SalesLens does not know** — what do they mean?",
                            "**Стадии, которых SalesLens не знает**, — что они означают?",
                            "**Стадії, яких SalesLens не знає**, — що вони означають?"),
    "data.status.won": ("won", "выиграна", "виграна"),
    "data.status.lost": ("lost", "проиграна", "програна"),
    "data.status.open": ("open", "открыта", "відкрита"),
    "data.quality": ("**Data quality**", "**Качество данных**", "**Якість даних**"),
    "data.q.what": ("Check", "Проверка", "Перевірка"),
    "data.q.rows_read": ("Rows read", "Строк прочитано", "Рядків прочитано"),
    "data.q.rows_used": ("Rows used", "Строк использовано", "Рядків використано"),
    "data.q.duplicates": ("Duplicates", "Дубликаты", "Дублікати"),
    "data.q.negative": ("Negative amounts", "Отрицательные суммы", "Від'ємні суми"),
    "data.q.managers": ("Managers found", "Найдено менеджеров", "Знайдено менеджерів"),
    "data.q.dates": ("Date range", "Диапазон дат", "Діапазон дат"),
    "data.q.dropped": ("Dropped: {reason}", "Отброшено: {reason}", "Відкинуто: {reason}"),
    "data.reset": ("Undo my corrections", "Отменить мои исправления", "Скасувати мої виправлення"),
    "field.deal_id": ("Deal ID", "ID сделки", "ID угоди"),
    "field.manager": ("Manager (owner)", "Менеджер (ответственный)", "Менеджер (відповідальний)"),
    "field.client": ("Client", "Клиент", "Клієнт"),
    "field.created_at": ("Created", "Дата создания", "Дата створення"),
    "field.closed_at": ("Closed", "Дата закрытия", "Дата закриття"),
    "field.stage": ("Stage", "Стадия", "Стадія"),
    "field.status": ("Status", "Статус", "Статус"),
    "field.amount": ("Amount", "Сумма", "Сума"),
    "field.currency": ("Currency", "Валюта", "Валюта"),
    "field.source": ("Lead source", "Источник", "Джерело"),
    "field.activity_id": ("Activity ID", "ID активности", "ID активності"),
    "field.type": ("Type", "Тип", "Тип"),
    "field.at": ("Date", "Дата", "Дата"),
    "field.done": ("Done", "Выполнено", "Виконано"),
    "field.month": ("Month", "Месяц", "Місяць"),
    "field.target": ("Target", "План", "План"),
    # log-in and roles
    "auth.title": ("Log in to SalesLens", "Вход в SalesLens", "Вхід до SalesLens"),
    "auth.username": ("Username", "Имя пользователя", "Ім'я користувача"),
    "auth.password": ("Password", "Пароль", "Пароль"),
    "auth.login": ("Log in", "Войти", "Увійти"),
    "auth.logout": ("Log out", "Выйти", "Вийти"),
    "auth.failed": ("Wrong username or password.", "Неверное имя пользователя или пароль.",
                    "Неправильне ім'я користувача або пароль."),
    "auth.locked": ("Too many failed attempts: this user is locked for {minutes} minutes.",
                    "Слишком много неудачных попыток: пользователь заблокирован на {minutes} минут.",
                    "Забагато невдалих спроб: користувача заблоковано на {minutes} хвилин."),
    "auth.not_allowed": ("This page is not available for your role.", "Эта страница недоступна для вашей роли.",
                         "Ця сторінка недоступна для вашої ролі."),
    "auth.demo": ("demo mode — no log-in", "демо-режим — без входа", "демо-режим — без входу"),
    "auth.who": ("Logged in: {name} ({role})", "Вход выполнен: {name} ({role})", "Вхід виконано: {name} ({role})"),
    "auth.role.admin": ("administrator", "администратор", "адміністратор"),
    "auth.role.head": ("head of sales", "руководитель отдела", "керівник відділу"),
    "auth.role.manager": ("manager", "менеджер", "менеджер"),
    "auth.role.viewer": ("viewer", "наблюдатель", "спостерігач"),
    "auth.colleague": ("Colleague", "Коллега", "Колега"),
    "auth.client": ("Client", "Клиент", "Клієнт"),
    "auth.no_file": ("Log-in is on, but the credentials file {path} does not exist.",
                     "Вход включён, но файла учётных записей {path} нет.",
                     "Вхід увімкнено, але файлу облікових записів {path} немає."),
    "auth.key_missing": (
        "Log-in is on, but [authenticator.cookie] key is missing in the secrets: the app will not start without it.",
        "Вход включён, но в секретах нет [authenticator.cookie] key: без него приложение не запустится.",
        "Вхід увімкнено, але в секретах немає [authenticator.cookie] key: без нього застосунок не запуститься."),
    "auth.key_weak": (
        "Log-in is on, but the cookie key is a default value or shorter than {n} characters: set a long random one.",
        "Вход включён, но ключ cookie — значение по умолчанию или короче {n} символов: задайте длинный случайный.",
        "Вхід увімкнено, але ключ cookie — типове значення або коротший за {n} символів: задайте довгий випадковий."),
    "auth.no_users": ("Log-in is on, but no users are configured.", "Вход включён, но пользователи не заданы.",
                      "Вхід увімкнено, але користувачів не задано."),
    # months
    "month.1": ("January", "Январь", "Січень"), "month.2": ("February", "Февраль", "Лютий"),
    "month.3": ("March", "Март", "Березень"), "month.4": ("April", "Апрель", "Квітень"),
    "month.5": ("May", "Май", "Травень"), "month.6": ("June", "Июнь", "Червень"),
    "month.7": ("July", "Июль", "Липень"), "month.8": ("August", "Август", "Серпень"),
    "month.9": ("September", "Сентябрь", "Вересень"), "month.10": ("October", "Октябрь", "Жовтень"),
    "month.11": ("November", "Ноябрь", "Листопад"), "month.12": ("December", "Декабрь", "Грудень"),
    # errors (same codes and placeholders as metrics.errors.MESSAGES)
    "err.missing_columns": ("{file}: missing required column(s): {column}",
                            "{file}: нет обязательных столбцов: {column}",
                            "{file}: немає обов'язкових стовпців: {column}"),
    "err.bad_date": ("{file}: column '{column}' has a value that is not a date: '{value}' (row {row})",
                     "{file}: в столбце «{column}» значение не является датой: «{value}» (строка {row})",
                     "{file}: у стовпці «{column}» значення не є датою: «{value}» (рядок {row})"),
    "err.bad_number": ("{file}: column '{column}' has a value that is not a number: '{value}' (row {row})",
                       "{file}: в столбце «{column}» значение не является числом: «{value}» (строка {row})",
                       "{file}: у стовпці «{column}» значення не є числом: «{value}» (рядок {row})"),
    "err.negative_amount": ("{file}: column '{column}' has a negative amount: {value} (row {row})",
                            "{file}: в столбце «{column}» отрицательная сумма: {value} (строка {row})",
                            "{file}: у стовпці «{column}» від'ємна сума: {value} (рядок {row})"),
    "err.bad_status": ("{file}: column '{column}' has an unknown status '{value}' (row {row}); expected won, lost or open",
                       "{file}: в столбце «{column}» неизвестный статус «{value}» (строка {row}); ожидается won, lost или open",
                       "{file}: у стовпці «{column}» невідомий статус «{value}» (рядок {row}); очікується won, lost або open"),
    "err.bad_type": ("{file}: column '{column}' has an unknown activity type '{value}' (row {row})",
                     "{file}: в столбце «{column}» неизвестный тип активности «{value}» (строка {row})",
                     "{file}: у стовпці «{column}» невідомий тип активності «{value}» (рядок {row})"),
    "err.bad_bool": ("{file}: column '{column}' has a value that is not true/false, yes/no or 1/0: '{value}' (row {row})",
                     "{file}: в столбце «{column}» значение не true/false, yes/no или 1/0: «{value}» (строка {row})",
                     "{file}: у стовпці «{column}» значення не true/false, yes/no чи 1/0: «{value}» (рядок {row})"),
    "err.bad_month": ("{file}: column '{column}' has a value that is not a month (YYYY-MM): '{value}' (row {row})",
                      "{file}: в столбце «{column}» значение не является месяцем (ГГГГ-ММ): «{value}» (строка {row})",
                      "{file}: у стовпці «{column}» значення не є місяцем (РРРР-ММ): «{value}» (рядок {row})"),
    "err.empty_value": ("{file}: column '{column}' is empty in row {row}",
                        "{file}: столбец «{column}» пуст в строке {row}",
                        "{file}: стовпець «{column}» порожній у рядку {row}"),
    "err.empty_file": ("{file}: the file is empty", "{file}: файл пуст", "{file}: файл порожній"),
    "err.no_rows": ("{file}: the file has a header but no data rows", "{file}: в файле есть заголовок, но нет строк данных",
                    "{file}: у файлі є заголовок, але немає рядків даних"),
    "err.unreadable": ("{file}: the file could not be read as CSV or XLSX ({detail})",
                       "{file}: файл не удалось прочитать как CSV или XLSX ({detail})",
                       "{file}: файл не вдалося прочитати як CSV або XLSX ({detail})"),
    "err.unsupported_type": ("{file}: unsupported file type; upload CSV or XLSX",
                             "{file}: неподдерживаемый тип файла; загрузите CSV или XLSX",
                             "{file}: непідтримуваний тип файлу; завантажте CSV або XLSX"),
    "err.bad_period": ("Period: {detail}", "Период: {detail}", "Період: {detail}"),
    "err.bad_argument": ("{detail}", "{detail}", "{detail}"),
    # the engine's statistical warnings (metrics/, English), matched by ui.i18n.engine_warning
    "eng.km_imprecise": ("Kaplan–Meier curve is imprecise for: {who}",
                         "Кривая Каплана–Мейера неточна для: {who}",
                         "Крива Каплана–Мейєра неточна для: {who}"),
    "eng.logrank_doubtful": ("The log-rank chi-square approximation is doubtful: fewer than {n} expected events for {who}",
                             "Хи-квадрат приближение лог-ранк теста сомнительно: меньше {n} ожидаемых событий для {who}",
                             "Хі-квадрат наближення лог-ранк тесту сумнівне: менше {n} очікуваних подій для {who}"),
    "eng.bm_undefined": ("The Brunner–Munzel test is undefined (the samples do not overlap); the Mann–Whitney U test "
                         "was used instead",
                         "Тест Бруннера–Мунцеля не определён (выборки не пересекаются); вместо него использован "
                         "U-тест Манна–Уитни",
                         "Тест Бруннера–Мунцеля не визначений (вибірки не перетинаються); замість нього використано "
                         "U-тест Манна–Вітні"),
    "eng.overdispersed": ("Conversion is over-dispersed between managers; unwidened funnel limits will flag too many",
                          "Разброс конверсии между менеджерами больше случайного; нерасширенные границы воронки "
                          "отметят слишком многих",
                          "Розкид конверсії між менеджерами більший за випадковий; нерозширені межі лійки "
                          "позначать забагато"),
    "eng.full_pooling": ("No variation between managers beyond chance was found: every shrunk rate equals the team rate",
                         "Различий между менеджерами сверх случайных не найдено: каждая сглаженная оценка равна "
                         "показателю команды",
                         "Відмінностей між менеджерами понад випадкові не знайдено: кожна згладжена оцінка дорівнює "
                         "показнику команди"),
    "eng.no_prior": ("Fewer than 3 managers: no prior fitted, estimates are not shrunk",
                     "Меньше 3 менеджеров: априорное распределение не подобрано, оценки не сглажены",
                     "Менше 3 менеджерів: апріорний розподіл не підібрано, оцінки не згладжено"),
    "eng.lead_mix": ("Managers work very different lead sources (Cramér's V = {v}): compare them within sources, "
                     "not on overall conversion.",
                     "Менеджеры работают с очень разными источниками лидов (V Крамера = {v}): сравнивайте их "
                     "внутри источников, а не по общей конверсии.",
                     "Менеджери працюють з дуже різними джерелами лідів (V Крамера = {v}): порівнюйте їх "
                     "усередині джерел, а не за загальною конверсією."),
    "eng.forecast_early": ("Only {n} working day(s) of {total} have elapsed: the run-rate forecast and its band are "
                           "very uncertain",
                           "Прошло только {n} рабочих дн. из {total}: прогноз по текущему темпу и его диапазон "
                           "очень неточны",
                           "Минуло лише {n} робочих дн. з {total}: прогноз за поточним темпом і його діапазон "
                           "дуже неточні"),
    "eng.forecast_short": ("Fewer than {n} elapsed working days for {who} (started mid-period): their forecast is "
                           "very uncertain",
                           "Меньше {n} прошедших рабочих дней у {who} (начали в середине периода): их прогноз очень "
                           "неточен",
                           "Менше {n} робочих днів, що минули, у {who} (почали посеред періоду): їхній прогноз дуже "
                           "неточний"),
    "eng.cochran_fisher": ("Expected counts are small (Cochran's rule), so Fisher's exact test replaced the "
                           "chi-square test",
                           "Ожидаемые частоты малы (правило Кокрена), поэтому вместо хи-квадрат теста использован "
                           "точный тест Фишера",
                           "Очікувані частоти малі (правило Кокрена), тому замість хі-квадрат тесту використано "
                           "точний тест Фішера"),
    "eng.cochran_ffh": ("Expected counts are small (Cochran's rule), so the chi-square test was replaced by a Monte "
                        "Carlo Fisher–Freeman–Halton exact test ({n} resamples, seed {seed})",
                        "Ожидаемые частоты малы (правило Кокрена), поэтому вместо хи-квадрат теста использован "
                        "точный тест Фишера–Фримена–Холтона методом Монте-Карло ({n} повторных выборок, seed {seed})",
                        "Очікувані частоти малі (правило Кокрена), тому замість хі-квадрат тесту використано "
                        "точний тест Фішера–Фрімена–Голтона методом Монте-Карло ({n} повторних вибірок, seed {seed})"),
    "eng.bca_undefined": ("The BCa bootstrap interval of the mean is undefined for these data",
                          "Интервал BCa-бутстрепа для среднего не определён для этих данных",
                          "Інтервал BCa-бутстрепу для середнього не визначений для цих даних"),
    # --- auth: hosted use (sessions, throttling, OIDC; issue #14) ---
    "auth.refused": ("Wrong username or password — or too many attempts, in which case log-in is locked for a "
                     "while. Wait a minute and try again; an administrator can lift a lock.",
                     "Неверное имя пользователя или пароль — или слишком много попыток, и тогда вход на время "
                     "заблокирован. Подождите минуту и попробуйте снова; администратор может снять блокировку.",
                     "Неправильне ім'я користувача або пароль — або забагато спроб, і тоді вхід на деякий час "
                     "заблоковано. Зачекайте хвилину й спробуйте знову; адміністратор може зняти блокування."),
    "auth.oidc_login": ("Log in with your organisation's account", "Войти через учётную запись организации",
                        "Увійти через обліковий запис організації"),
    "auth.oidc_no_role": ("You are logged in, but this account has no role in SalesLens. Ask an administrator.",
                          "Вы вошли, но у этой учётной записи нет роли в SalesLens. Обратитесь к администратору.",
                          "Ви увійшли, але цей обліковий запис не має ролі в SalesLens. Зверніться до адміністратора."),
    # --- state: one truth for settings and state (issue #12) ---
    "sidebar.in_effect": ("in effect: {value} ({source})", "действует: {value} ({source})",
                          "діє: {value} ({source})"),
    "sidebar.kept": ("Your files from before the refresh (kept in server memory for up to 2 h): {names}",
                     "Ваши файлы до обновления страницы (хранятся в памяти сервера до 2 ч): {names}",
                     "Ваші файли до оновлення сторінки (зберігаються в пам'яті сервера до 2 год): {names}"),
    "targets.source.file": ("plans file", "файл планов", "файл планів"),
    "targets.source.grid": ("Plan grid", "таблица планов", "таблиця планів"),
    "targets.source.sidebar": ("per manager (sidebar)", "по менеджеру (боковая панель)",
                               "за менеджером (бічна панель)"),
    "targets.source.default": ("default for everyone", "по умолчанию для всех", "за замовчуванням для всіх"),
    "targets.source.scenario": ("scenario", "сценарий", "сценарій"),
    "plan.in_effect_title": ("Targets in effect", "Действующие планы", "Чинні плани"),
    "plan.in_effect_help": (
        "Which monthly target counts for each manager and month, and where it comes from. A cell edited in the "
        "grid (or loaded from a scenario) wins over a per-manager target in the sidebar, which wins over the "
        "plans file, which wins over the default for everyone. Every page, download and the CLI use this table.",
        "Какой месячный план действует для каждого менеджера и месяца и откуда он взят. Ячейка, изменённая в "
        "таблице (или загруженная из сценария), важнее плана менеджера в боковой панели, тот важнее файла "
        "планов, а файл — плана по умолчанию для всех. Эту таблицу используют все страницы, выгрузки и CLI.",
        "Який місячний план діє для кожного менеджера й місяця і звідки він узятий. Клітинка, змінена в "
        "таблиці (або завантажена зі сценарію), важливіша за план менеджера в бічній панелі, той — за файл "
        "планів, а файл — за план за замовчуванням для всіх. Цю таблицю використовують усі сторінки, "
        "вивантаження і CLI."),
    "plan.in_effect_none": ("No targets in effect: set a default in the sidebar, edit the grid or load a plans file.",
                            "Планов нет: задайте план по умолчанию в боковой панели, измените таблицу или "
                            "загрузите файл планов.",
                            "Планів немає: задайте план за замовчуванням у бічній панелі, змініть таблицю або "
                            "завантажте файл планів."),
    "col.month": ("Month", "Месяц", "Місяць"),
    "col.source": ("Source", "Источник", "Джерело"),
    "common.part_failed": ("This part could not be shown ({what}). The rest of the page works; change the "
                           "settings or the data and try again.",
                           "Эту часть не удалось показать ({what}). Остальная страница работает; измените "
                           "настройки или данные и попробуйте снова.",
                           "Цю частину не вдалося показати ({what}). Решта сторінки працює; змініть "
                           "налаштування або дані й спробуйте знову."),
    "plan.rule_skipped": ("No history for the rule: {who} keep the target in effect.",
                          "Нет истории для правила: у {who} остаётся действующий план.",
                          "Немає історії для правила: у {who} залишається чинний план."),
    # --- importer: whole folders, lookups, evidence, invoice lines (issue 13) ---
    "warn.split_cells_merged": (
        "{file}: {count} line(s) had one field too many (an unquoted delimiter in '{column}'); the two parts were joined back",
        "{file}: в {count} строк(ах) на одно поле больше (разделитель без кавычек в «{column}»); части снова соединены",
        "{file}: у {count} рядк(ах) на одне поле більше (роздільник без лапок у «{column}»); частини знову з'єднано"),
    "warn.line_totals": (
        "{file}: no line-total column; amount = {quantity} × {price} × (1 − {discount})",
        "{file}: нет столбца суммы строки; сумма = {quantity} × {price} × (1 − {discount})",
        "{file}: немає стовпця суми рядка; сума = {quantity} × {price} × (1 − {discount})"),
    "warn.cancellations": (
        "{file}: {count} cancellation / return line(s) (credit notes, negative quantities) for {amount} are not sales and were left out",
        "{file}: {count} строк(и) отмен / возвратов (кредит-ноты, отрицательное количество) на {amount} — не продажи, не учтены",
        "{file}: {count} рядк(и) скасувань / повернень (кредит-ноти, від'ємна кількість) на {amount} — не продажі, не враховано"),
    "warn.lines_without_client": (
        "{file}: {count} line(s) without a client (amount {amount}) count for revenue; each invoice stands for itself, not for a customer",
        "{file}: {count} строк(и) без клиента (сумма {amount}) входят в выручку; каждый счёт сам по себе, а не клиент",
        "{file}: {count} рядк(и) без клієнта (сума {amount}) входять у виручку; кожен рахунок сам по собі, а не клієнт"),
    "warn.close_call": (
        "{file}: '{column}' was taken as the {field}, '{runner_up}' nearly as likely; to use it: {flip}",
        "{file}: «{column}» взят как {field}, «{runner_up}» почти так же вероятен; чтобы выбрать его: {flip}",
        "{file}: «{column}» взято як {field}, «{runner_up}» майже так само ймовірний; щоб обрати його: {flip}"),
    "warn.client_or_id": (
        "{file}: '{column}' was taken as the client ({clients} clients for {rows} rows), not as the deal id; if each value is one deal, use {flip}",
        "{file}: «{column}» взят как клиент ({clients} клиентов на {rows} строк), а не как номер сделки; если каждое значение — одна сделка: {flip}",
        "{file}: «{column}» взято як клієнта ({clients} клієнтів на {rows} рядків), а не як номер угоди; якщо кожне значення — одна угода: {flip}"),
    "warn.id_repeats": (
        "{file}: deal id '{column}' repeats ({rows} rows for {deals} ids) and was read as lines of one deal; if it is the client, use {flip}",
        "{file}: номер сделки «{column}» повторяется ({rows} строк на {deals} номеров) и прочитан как строки одной сделки; если это клиент: {flip}",
        "{file}: номер угоди «{column}» повторюється ({rows} рядків на {deals} номерів) і прочитаний як рядки однієї угоди; якщо це клієнт: {flip}"),
    "warn.done_from_status": (
        "{file}: done is read from '{column}': only {done} count as done",
        "{file}: выполнение читается из «{column}»: выполненными считаются только {done}",
        "{file}: виконання читається з «{column}»: виконаними вважаються лише {done}"),
    "warn.orders_returned": (
        "{file}: {count} order line(s) for {amount} are cancelled or returned: counted as lost, not as sales",
        "{file}: {count} строк(и) заказов на {amount} отменены или возвращены: считаются проигранными, не продажами",
        "{file}: {count} рядк(и) замовлень на {amount} скасовані або повернені: вважаються програними, не продажами"),
    "data.confirm": ("Confirm the column for {field}", "Подтвердите столбец для поля «{field}»",
                     "Підтвердіть стовпець для поля «{field}»"),
    "data.taken_for": ("Taken for: **{kind}**.", "Использован как: **{kind}**.", "Використано як: **{kind}**."),
    "data.joined": ("Joined: {role} from {file} by {by}.", "Присоединено: {role} из {file} по {by}.",
                    "Приєднано: {role} з {file} за {by}."),
    "data.joined_to": ("joined to {to} by {by} ({share} of its values found)",
                       "присоединён к {to} по {by} (найдено {share} значений)",
                       "приєднано до {to} за {by} (знайдено {share} значень)"),
    "data.parts": ("Other files and sheets", "Остальные файлы и листы", "Інші файли й аркуші"),
    "data.col.file": ("File / sheet", "Файл / лист", "Файл / аркуш"),
    "data.col.taken_for": ("Taken for", "Использован как", "Використано як"),
    "data.col.why": ("Why", "Почему", "Чому"),
    "data.kind.users": ("Users (id → name)", "Пользователи (id → имя)", "Користувачі (id → ім'я)"),
    "data.kind.team": ("Team hierarchy", "Структура команды", "Структура команди"),
    "data.kind.clients": ("Clients", "Клиенты", "Клієнти"),
    "data.kind.products": ("Products", "Товары", "Товари"),
    "data.kind.order_lines": ("Order lines", "Строки заказов", "Рядки замовлень"),
    "data.kind.returns": ("Returns", "Возвраты", "Повернення"),
    "data.kind.documentation": ("Documentation", "Документация", "Документація"),
    "data.kind.unused": ("Not used", "Не использован", "Не використано"),
    "data.kind.duplicate": ("Duplicate", "Дубликат", "Дублікат"),
    "data.kind.copy": ("Copy", "Копия", "Копія"),
    "data.kind.not_a_table": ("Not a table", "Не таблица", "Не таблиця"),
    "data.kind.unreadable": ("Unreadable", "Не читается", "Не читається"),
    "data.kind.lookup": ("Lookup", "Справочник", "Довідник"),
    "data.aside.documentation": ("describes the columns of the other files", "описывает столбцы других файлов",
                                 "описує стовпці інших файлів"),
    "data.aside.unused": ("shares no key with the deals, activities or plans files{other}",
                          "нет общего ключа с файлами сделок, активностей или планов{other}",
                          "немає спільного ключа з файлами угод, активностей чи планів{other}"),
    "data.aside.duplicate": ("the same file as {other}; read once", "тот же файл, что {other}; прочитан один раз",
                             "той самий файл, що {other}; прочитано один раз"),
    "data.aside.copy": ("the same table as {other} (same columns, rows and amounts); read once",
                        "та же таблица, что {other} (те же столбцы, строки и суммы); прочитана один раз",
                        "та сама таблиця, що {other} (ті самі стовпці, рядки й суми); прочитано один раз"),
    "data.aside.not_a_table": ("not a table file ({other})", "не файл таблицы ({other})", "не файл таблиці ({other})"),
    "data.q.cancellations": ("Cancellations / returns left out", "Отмены / возвраты не учтены",
                             "Скасування / повернення не враховано"),
    "data.q.example": ("{count} (e.g. {example})", "{count} (например, {example})", "{count} (наприклад, {example})"),
    "data.reason.no_date": ("no date", "нет даты", "немає дати"),
    "data.reason.no_manager": ("no manager", "нет менеджера", "немає менеджера"),
    "data.reason.cancellation": ("cancellation / return", "отмена / возврат", "скасування / повернення"),
    "data.reason.merged_lines": ("lines merged into their deal", "строки объединены в свою сделку",
                                 "рядки об'єднано у свою угоду"),
    "data.reason.duplicate": ("duplicate row", "повторная строка", "повторний рядок"),
    "data.reason.footer": ("total / footer row", "строка итогов / подвал", "рядок підсумків / підвал"),
    "data.reason.empty_row": ("empty row", "пустая строка", "порожній рядок"),
    "data.reason.malformed": ("wrong number of columns", "неверное число столбцов", "неправильна кількість стовпців"),
    "data.reason.bad_date": ("not a date", "не дата", "не дата"),
    "data.reason.negative_amount": ("negative amount", "отрицательная сумма", "від'ємна сума"),
    "data.reason.deleted": ("deleted deal", "удалённая сделка", "видалена угода"),
    "field.team": ("Team", "Команда", "Команда"),
    "field.office": ("Office", "Офис", "Офіс"),
    "field.region": ("Region", "Регион", "Регіон"),
    "warn.line_totals_plain": ("{file}: no line-total column; amount = {quantity} × {price}",
                               "{file}: нет столбца суммы строки; сумма = {quantity} × {price}",
                               "{file}: немає стовпця суми рядка; сума = {quantity} × {price}"),
    # --- hostile: values read right or reported, limits per upload, broken files, scenario limits ---
    "warn.date_markers": (
        "{file}: {count} cell(s) of date column '{column}' say there is no date (e.g. {example!r}); read as empty dates",
        "{file}: {count} ячеек столбца дат «{column}» означают «нет даты» (например, {example!r}); прочитаны как пустые даты",
        "{file}: {count} клітинок стовпця дат «{column}» означають «немає дати» (наприклад, {example!r}); прочитані як порожні дати"),
    "warn.impossible_dates": (
        "{file}: {count} value(s) in column '{column}' are dates that do not exist (e.g. {example!r}); their rows were left out",
        "{file}: {count} значений в столбце «{column}» — несуществующие даты (например, {example!r}); их строки не учтены",
        "{file}: {count} значень у стовпці «{column}» — дати, яких не існує (наприклад, {example!r}); їхні рядки не враховано"),
    "warn.far_future_dates": (
        "{file}: {count} date(s) in column '{column}' lie far in the future (after {after}, e.g. {example!r}); kept, "
        "but they do not move the default period",
        "{file}: {count} дат в столбце «{column}» лежат далеко в будущем (после {after}, например, {example!r}); они "
        "сохранены, но не сдвигают период по умолчанию",
        "{file}: {count} дат у стовпці «{column}» лежать далеко в майбутньому (після {after}, наприклад, {example!r}); їх "
        "збережено, але вони не зсувають період за замовчуванням"),
    "warn.decimal_conflict": (
        "{file}: column '{column}' uses '{decimal}' as its decimal separator, but {count} value(s) contradict it "
        "(e.g. {example!r}); they were left out (amount 0), not guessed",
        "{file}: в столбце «{column}» десятичный разделитель — «{decimal}», но {count} значений ему противоречат "
        "(например, {example!r}); они не учтены (сумма 0), а не угаданы",
        "{file}: у стовпці «{column}» десятковий роздільник — «{decimal}», але {count} значень йому суперечать "
        "(наприклад, {example!r}); їх не враховано (сума 0), а не вгадано"),
    "warn.amount_out_of_range": (
        "{file}: {count} value(s) in column '{column}' are beyond ±{limit} (e.g. {example!r}); left out (amount 0)",
        "{file}: {count} значений в столбце «{column}» вне пределов ±{limit} (например, {example!r}); не учтены (сумма 0)",
        "{file}: {count} значень у стовпці «{column}» поза межами ±{limit} (наприклад, {example!r}); не враховано (сума 0)"),
    "warn.excel_errors": (
        "{file}: {count} cell(s) in column '{column}' hold an Excel error value (e.g. {example!r}); left out (amount 0)",
        "{file}: {count} ячеек столбца «{column}» содержат ошибку Excel (например, {example!r}); не учтены (сумма 0)",
        "{file}: {count} клітинок стовпця «{column}» містять помилку Excel (наприклад, {example!r}); не враховано (сума 0)"),
    "warn.formula_cells": (
        "{file}: {count} cell(s) in column '{column}' are formulas without a saved value (e.g. {example!r}); they were "
        "left out (amount 0) — open the file in Excel, save it and upload it again",
        "{file}: {count} ячеек столбца «{column}» — формулы без сохранённого значения (например, {example!r}); они не "
        "учтены (сумма 0) — откройте файл в Excel, сохраните и загрузите снова",
        "{file}: {count} клітинок стовпця «{column}» — формули без збереженого значення (наприклад, {example!r}); їх не "
        "враховано (сума 0) — відкрийте файл в Excel, збережіть і завантажте знову"),
    "warn.conflicting_rows": (
        "{file}: {count} deal id(s) appear with different managers (e.g. deal {deal}: {managers}); their {rows} row(s) "
        "were left out — one id cannot be two people's deal",
        "{file}: {count} id сделок встречаются у разных менеджеров (например, сделка {deal}: {managers}); их {rows} "
        "строк не учтены — один id не может быть сделкой двух человек",
        "{file}: {count} id угод трапляються в різних менеджерів (наприклад, угода {deal}: {managers}); їхні {rows} "
        "рядків не враховано — один id не може бути угодою двох людей"),
    "warn.mixed_encoding": (
        "{file}: {count} line(s) were not UTF-8 like the rest of the file and were read as {encoding} (the first is "
        "line {line}); check the names in them",
        "{file}: {count} строк были не в UTF-8, как остальной файл, и прочитаны как {encoding} (первая — строка "
        "{line}); проверьте имена в них",
        "{file}: {count} рядків були не в UTF-8, як решта файлу, і прочитані як {encoding} (перший — рядок {line}); "
        "перевірте імена в них"),
    "warn.blank_managers": (
        "{file}: {count} row(s) have no manager (empty, only spaces or {example!r}); they were left out of every total",
        "{file}: у {count} строк нет менеджера (пусто, одни пробелы или {example!r}); они не вошли ни в один итог",
        "{file}: у {count} рядків немає менеджера (порожньо, лише пробіли або {example!r}); вони не ввійшли в жоден підсумок"),
    "err.too_many_columns": (
        "{file}: {value:,} columns — more than the limit of {detail} columns (SALESLENS_MAX_COLUMNS); nothing was read",
        "{file}: {value:,} столбцов — больше предела в {detail} столбцов (SALESLENS_MAX_COLUMNS); ничего не прочитано",
        "{file}: {value:,} стовпців — більше за межу в {detail} стовпців (SALESLENS_MAX_COLUMNS); нічого не прочитано"),
    "err.too_many_rows": (
        "{file}: {value:,} rows — more than the limit of {detail} rows (SALESLENS_MAX_ROWS); nothing was read",
        "{file}: {value:,} строк — больше предела в {detail} строк (SALESLENS_MAX_ROWS); ничего не прочитано",
        "{file}: {value:,} рядків — більше за межу в {detail} рядків (SALESLENS_MAX_ROWS); нічого не прочитано"),
    "err.too_many_cells": (
        "{file}: {value:,} cells (rows × columns) — more than the limit of {detail} cells (SALESLENS_MAX_CELLS); "
        "nothing was read",
        "{file}: {value:,} ячеек (строки × столбцы) — больше предела в {detail} ячеек (SALESLENS_MAX_CELLS); ничего не "
        "прочитано",
        "{file}: {value:,} клітинок (рядки × стовпці) — більше за межу в {detail} клітинок (SALESLENS_MAX_CELLS); нічого "
        "не прочитано"),
    "err.sheet_too_large": (
        "{file}: the sheet declares the range {column} ({value} rows × columns) — beyond the limit of {detail} "
        "(SALESLENS_MAX_ROWS / _COLUMNS / _CELLS); nothing was read",
        "{file}: лист объявляет диапазон {column} ({value} строк × столбцов) — больше предела {detail} "
        "(SALESLENS_MAX_ROWS / _COLUMNS / _CELLS); ничего не прочитано",
        "{file}: аркуш оголошує діапазон {column} ({value} рядків × стовпців) — більше за межу {detail} "
        "(SALESLENS_MAX_ROWS / _COLUMNS / _CELLS); нічого не прочитано"),
    "err.archive_too_large": (
        "{file}: the workbook unpacks to {value} — more than the limit of {detail} (SALESLENS_MAX_UNPACKED_MB); "
        "nothing was read",
        "{file}: книга распаковывается в {value} — больше предела в {detail} (SALESLENS_MAX_UNPACKED_MB); ничего не "
        "прочитано",
        "{file}: книга розпаковується в {value} — більше за межу в {detail} (SALESLENS_MAX_UNPACKED_MB); нічого не "
        "прочитано"),
    "err.archive_ratio": (
        "{file}: part {column} unpacks to {value} times its packed size — more than the limit of {detail} "
        "(SALESLENS_MAX_RATIO; a zip bomb?); nothing was read",
        "{file}: часть {column} распаковывается в {value} раз больше своего сжатого размера — больше предела {detail} "
        "(SALESLENS_MAX_RATIO; zip-бомба?); ничего не прочитано",
        "{file}: частина {column} розпаковується в {value} разів більше за свій стиснений розмір — більше за межу "
        "{detail} (SALESLENS_MAX_RATIO; zip-бомба?); нічого не прочитано"),
    "err.html_too_complex": (
        "{file}: the HTML table's {column} is {value} — more than the limit of {detail} (SALESLENS_MAX_HTML_DEPTH / "
        "SALESLENS_MAX_SPAN); nothing was read",
        "{file}: у HTML-таблицы {column} = {value} — больше предела {detail} (SALESLENS_MAX_HTML_DEPTH / "
        "SALESLENS_MAX_SPAN); ничего не прочитано",
        "{file}: у HTML-таблиці {column} = {value} — більше за межу {detail} (SALESLENS_MAX_HTML_DEPTH / "
        "SALESLENS_MAX_SPAN); нічого не прочитано"),
    "err.parse_timeout": (
        "{file}: reading it took longer than the limit of {detail} (SALESLENS_PARSE_SECONDS); nothing was read",
        "{file}: чтение заняло больше предела в {detail} (SALESLENS_PARSE_SECONDS); ничего не прочитано",
        "{file}: читання тривало довше за межу в {detail} (SALESLENS_PARSE_SECONDS); нічого не прочитано"),
    "err.parse_memory": (
        "{file}: reading it needed more memory than the limit of {detail} (SALESLENS_PARSE_MEMORY_MB); nothing was read",
        "{file}: для чтения нужно больше памяти, чем предел в {detail} (SALESLENS_PARSE_MEMORY_MB); ничего не прочитано",
        "{file}: для читання потрібно більше пам'яті, ніж межа в {detail} (SALESLENS_PARSE_MEMORY_MB); нічого не прочитано"),
    "err.unbalanced_quote": (
        "{file}: the quote opened in line {row} is never closed ({value!r}); everything after it would be one value — "
        "fix that line and upload the file again",
        "{file}: кавычка, открытая в строке {row}, нигде не закрыта ({value!r}); всё после неё стало бы одним "
        "значением — исправьте эту строку и загрузите файл снова",
        "{file}: лапка, відкрита в рядку {row}, ніде не закрита ({value!r}); усе після неї стало б одним значенням — "
        "виправте цей рядок і завантажте файл знову"),
    "err.scenario_too_large": (
        "{file}: the file is {value} — more than the limit of {detail} for a scenario (SALESLENS_MAX_SCENARIO_KB); "
        "nothing was applied",
        "{file}: файл весит {value} — больше предела в {detail} для сценария (SALESLENS_MAX_SCENARIO_KB); ничего не "
        "применено",
        "{file}: файл має {value} — більше за межу в {detail} для сценарію (SALESLENS_MAX_SCENARIO_KB); нічого не "
        "застосовано"),
    "err.scenario_too_deep": (
        "{file}: the file nests {value} levels deep — more than the limit of {detail}; nothing was applied",
        "{file}: вложенность файла — {value} уровней, больше предела в {detail}; ничего не применено",
        "{file}: вкладеність файлу — {value} рівнів, більше за межу в {detail}; нічого не застосовано"),
    "err.scenario_bad_number": (
        "{file}: a number with {row} digits ({value}) — more than the limit of {detail} digits; nothing was applied",
        "{file}: число из {row} цифр ({value}) — больше предела в {detail} цифр; ничего не применено",
        "{file}: число з {row} цифр ({value}) — більше за межу в {detail} цифр; нічого не застосовано"),
    # --- fair: conversion within H days, periods past the data, lights that know the sample, calendars ---
    "sidebar.horizon_days": ("Conversion within (days)", "Конверсия в течение (дней)", "Конверсія протягом (днів)"),
    "sidebar.horizon_days_help": (
        "H for 'conversion within H days': the share of leads won within H days of their creation, "
        "counting open leads for as long as they have been followed (Aalen–Johansen).",
        "H для «конверсии в течение H дней»: доля лидов, выигранных в течение H дней после создания; открытые "
        "лиды учитываются столько, сколько за ними наблюдали (Аален–Йохансен).",
        "H для «конверсії протягом H днів»: частка лідів, виграних протягом H днів після створення; відкриті "
        "ліди враховуються стільки, скільки за ними спостерігали (Аален–Йохансен)."),
    "sidebar.calendar": ("Working-day calendar", "Календарь рабочих дней", "Календар робочих днів"),
    "sidebar.calendar_help": (
        "Public holidays and transferred days off of this country (the holidays package); under martial law "
        "Ukraine's holidays are working days (Law No. 2136-IX).",
        "Праздники и переносы выходных этой страны (пакет holidays); при военном положении праздники Украины — "
        "рабочие дни (Закон № 2136-IX).",
        "Свята й перенесення вихідних цієї країни (пакет holidays); під час воєнного стану свята України — "
        "робочі дні (Закон № 2136-IX)."),
    "cal.UA": ("Ukraine", "Украина", "Україна"),
    "cal.PL": ("Poland", "Польша", "Польща"),
    "cal.KZ": ("Kazakhstan", "Казахстан", "Казахстан"),
    "cal.MD": ("Moldova", "Молдова", "Молдова"),
    "cal.GE": ("Georgia", "Грузия", "Грузія"),
    "cal.DE": ("Germany", "Германия", "Німеччина"),
    "cal.GB": ("United Kingdom (England and Wales)", "Великобритания (Англия и Уэльс)",
               "Велика Британія (Англія та Уельс)"),
    "cal.US": ("United States (federal)", "США (федеральные)", "США (федеральні)"),
    "cal.none": ("Monday–Friday, no holidays", "Понедельник–пятница, без праздников", "Понеділок–пʼятниця, без свят"),
    "common.coverage": (
        "The data ends on {end}: per-day figures and targets use {start} – {covered} ({wd} working days, "
        "calendar: {calendar}); the Plan page's forecast projects the whole period.",
        "Данные заканчиваются {end}: показатели в день и планы считаются за {start} – {covered} ({wd} рабочих "
        "дн., календарь: {calendar}); прогноз на странице «План» — на весь период.",
        "Дані закінчуються {end}: показники на день і плани рахуються за {start} – {covered} ({wd} робочих дн., "
        "календар: {calendar}); прогноз на сторінці «План» — на весь період."),
    "common.coverage_none": (
        "The data ends on {end}, before this period starts: there is nothing to judge yet.",
        "Данные заканчиваются {end}, до начала этого периода: оценивать пока нечего.",
        "Дані закінчуються {end}, до початку цього періоду: оцінювати поки нічого."),
    "common.calendar_line": ("Calendar: {calendar}.", "Календарь: {calendar}.", "Календар: {calendar}."),
    "common.use_within": ("Show conversion within {h} days instead", "Показать конверсию в течение {h} дней",
                          "Показати конверсію протягом {h} днів"),
    "common.use_raw": ("Show won / all leads again", "Снова показать выигранные / все лиды",
                       "Знову показати виграні / усі ліди"),
    "common.within_shown": (
        "Conversion shown: won within {h} days of each lead's creation (Aalen–Johansen; open leads count for as "
        "long as they have been followed).",
        "Показана конверсия: выиграно в течение {h} дней после создания лида (Аален–Йохансен; открытые лиды "
        "учитываются, пока за ними наблюдали).",
        "Показано конверсію: виграно протягом {h} днів після створення ліда (Аален–Йохансен; відкриті ліди "
        "враховуються, доки за ними спостерігали)."),
    "col.conversion_h": ("Conversion within H days", "Конверсия в течение H дней", "Конверсія протягом H днів"),
    "col.conversion_h_ci_low": ("Interval from (within H)", "Интервал от (в течение H)", "Інтервал від (протягом H)"),
    "col.conversion_h_ci_high": ("Interval to (within H)", "Интервал до (в течение H)", "Інтервал до (протягом H)"),
    "col.leads_h_at_risk": ("Open, followed < H days", "Открыты, наблюдались < H дней", "Відкриті, спостерігались < H днів"),
    "light.insufficient": ("too little data", "мало данных", "замало даних"),
    "overview.lights_insufficient": (
        "Grey: too little data for a light (fewer than {n} leads, won deals or customers — the sidebar's "
        "minimum sample).",
        "Серый: слишком мало данных для светофора (меньше {n} лидов, выигранных сделок или клиентов — "
        "минимальная выборка в боковой панели).",
        "Сірий: замало даних для світлофора (менше {n} лідів, виграних угод або клієнтів — мінімальна вибірка "
        "на бічній панелі)."),
    "conversion.within_title": ("Two measures of conversion", "Две меры конверсии", "Дві міри конверсії"),
    "conversion.within_explain": (
        "**Won / all leads** counts a lead that is still open as not won, so a recent period — and whoever got "
        "their leads late in it — looks worse than it is. **Within {h} days** asks instead: of the leads "
        "created in the period, what share is won within {h} days of creation? Each open lead counts for as "
        "long as it has been followed, and a lost lead can no longer be won. For old periods whose leads are "
        "all closed both measures nearly agree. '—' means no lead of that manager has been followed for {h} "
        "days yet: choose a smaller number of days in the sidebar or an older period.",
        "**Выигранные / все лиды** считает ещё открытый лид невыигранным, поэтому недавний период — и тот, кто "
        "получил лиды в его конце, — выглядит хуже, чем есть. **В течение {h} дней** спрашивает иначе: какая "
        "доля лидов периода выиграна в течение {h} дней после создания? Каждый открытый лид учитывается столько, "
        "сколько за ним наблюдали, а проигранный лид уже не может быть выигран. Для старых периодов, где все "
        "лиды закрыты, обе меры почти совпадают. «—» значит, что ни за одним лидом менеджера ещё не наблюдали "
        "{h} дней: выберите меньше дней в боковой панели или более ранний период.",
        "**Виграні / усі ліди** рахує ще відкритий лід невиграним, тому недавній період — і той, хто отримав "
        "ліди наприкінці, — виглядає гірше, ніж є. **Протягом {h} днів** питає інакше: яку частку лідів періоду "
        "виграно протягом {h} днів після створення? Кожен відкритий лід враховується стільки, скільки за ним "
        "спостерігали, а програний лід уже не може бути виграний. Для старих періодів, де всі ліди закриті, "
        "обидві міри майже збігаються. «—» означає, що за жодним лідом менеджера ще не спостерігали {h} днів: "
        "оберіть менше днів на бічній панелі або давніший період."),
    "conversion.axis_raw": ("Won / all leads", "Выигранные / все лиды", "Виграні / усі ліди"),
    "conversion.axis_within": ("Won within {h} days", "Выиграно в течение {h} дней", "Виграно протягом {h} днів"),
    "conversion.measure": ("Conversion measure", "Мера конверсии", "Міра конверсії"),
    "conversion.measure.raw": ("won / all leads", "выигранные / все лиды", "виграні / усі ліди"),
    "conversion.measure.within": ("within H days", "в течение H дней", "протягом H днів"),
    "compare.kpi.conversion_h": ("Conversion within H days", "Конверсия в течение H дней", "Конверсія протягом H днів"),
    "compare.test.wald_equal_incidence": ("Wald test of equal cumulative incidence",
                                          "тест Вальда равенства кумулятивной частоты",
                                          "тест Вальда рівності кумулятивної частоти"),
    "compare.conversion_h_note": (
        "Within {h} days: each manager vs the rest by a z-test on the Aalen–Johansen estimates and their "
        "variances; the same adjustment and verdict words as above.",
        "В течение {h} дней: каждый менеджер против остальных — z-тест по оценкам Аалена–Йохансена и их "
        "дисперсиям; та же поправка и те же формулировки выводов.",
        "Протягом {h} днів: кожен менеджер проти решти — z-тест за оцінками Аалена–Йохансена та їхніми "
        "дисперсіями; та сама поправка й ті самі формулювання висновків."),
    "compare.v.negligible": ("no practically relevant difference", "практически значимой разницы нет",
                             "практично значущої різниці немає"),
    "compare.v.not_enough_data_negligible": (
        "too little data: {n} {unit}; the difference seen is not practically relevant",
        "мало данных: {n} {unit}; замеченная разница практически не значима",
        "замало даних: {n} {unit}; помічена різниця практично не значуща"),
    "plan.forecast_calendar": ("Working days of the calendar: {calendar} (sidebar → Statistics).",
                               "Рабочие дни по календарю: {calendar} (боковая панель → Статистика).",
                               "Робочі дні за календарем: {calendar} (бічна панель → Статистика)."),
    "overview.forecast_title": ("The whole period: run-rate forecast", "Весь период: прогноз по текущему темпу",
                                "Увесь період: прогноз за поточним темпом"),
    "overview.full_target": ("Target for the whole period", "План на весь период", "План на весь період"),
    "compare.effective_leads": ("Effective leads (the precision of the estimate, as a number of fully "
                                "followed leads)",
                                "Эффективное число лидов (точность оценки как число лидов, прослеженных до конца)",
                                "Ефективна кількість лідів (точність оцінки як кількість лідів, простежених до кінця)"),
}
