/*
 * China's public holidays and make-up working days (调休) as the State
 * Council's General Office announced them, the default of a new deployment's
 * calendar. The database is the truth once it exists: an administrator checks
 * this schedule, corrects it and adds the next year over the API (a new
 * notice comes out each November), so the data here changes only with a new
 * release and never touches a deployment that already has its calendar.
 *
 * Sources, compared line by line with the notices as published (Xinhua):
 *   2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号,
 *         2024-11-12)
 *   2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)
 * Every make-up working day is a Saturday or Sunday and every day is listed
 * in date order; tests/unit/core/test_calendar.c checks both.
 */
#include "core/calendar.h"

#define H(y, m, d, name) { CAL_DATE(y, m, d), CAL_HOLIDAY, name }
#define W(y, m, d, name) { CAL_DATE(y, m, d), CAL_WORKDAY, name }

const char cal_cn_source[] = "国务院办公厅通知 (内置，请核对)";

const int cal_cn_years[] = { 2025, 2026 };
const size_t cal_cn_years_count = sizeof(cal_cn_years) / sizeof(cal_cn_years[0]);

const struct cal_exception cal_cn_default[] = {
    /* 2025 (国办发明电〔2024〕12号) */
    H(2025, 1, 1, "元旦"),                     /* 1月1日(周三)放假1天,不调休 */
    W(2025, 1, 26, "春节调休上班"),            /* 周日 */
    H(2025, 1, 28, "春节"),                    /* 1月28日(除夕)至2月4日, 8天 */
    H(2025, 1, 29, "春节"),
    H(2025, 1, 30, "春节"),
    H(2025, 1, 31, "春节"),
    H(2025, 2, 1, "春节"),
    H(2025, 2, 2, "春节"),
    H(2025, 2, 3, "春节"),
    H(2025, 2, 4, "春节"),
    W(2025, 2, 8, "春节调休上班"),             /* 周六 */
    H(2025, 4, 4, "清明节"),                   /* 4月4日至6日, 3天 */
    H(2025, 4, 5, "清明节"),
    H(2025, 4, 6, "清明节"),
    W(2025, 4, 27, "劳动节调休上班"),          /* 周日 */
    H(2025, 5, 1, "劳动节"),                   /* 5月1日至5日, 5天 */
    H(2025, 5, 2, "劳动节"),
    H(2025, 5, 3, "劳动节"),
    H(2025, 5, 4, "劳动节"),
    H(2025, 5, 5, "劳动节"),
    H(2025, 5, 31, "端午节"),                  /* 5月31日至6月2日, 3天 */
    H(2025, 6, 1, "端午节"),
    H(2025, 6, 2, "端午节"),
    W(2025, 9, 28, "国庆节、中秋节调休上班"),  /* 周日 */
    H(2025, 10, 1, "国庆节、中秋节"),          /* 10月1日至8日, 8天 */
    H(2025, 10, 2, "国庆节、中秋节"),
    H(2025, 10, 3, "国庆节、中秋节"),
    H(2025, 10, 4, "国庆节、中秋节"),
    H(2025, 10, 5, "国庆节、中秋节"),
    H(2025, 10, 6, "国庆节、中秋节"),
    H(2025, 10, 7, "国庆节、中秋节"),
    H(2025, 10, 8, "国庆节、中秋节"),
    W(2025, 10, 11, "国庆节、中秋节调休上班"), /* 周六 */

    /* 2026 (2025-11-04) */
    H(2026, 1, 1, "元旦"),                     /* 1月1日至3日, 3天 */
    H(2026, 1, 2, "元旦"),
    H(2026, 1, 3, "元旦"),
    W(2026, 1, 4, "元旦调休上班"),             /* 周日 */
    W(2026, 2, 14, "春节调休上班"),            /* 周六 */
    H(2026, 2, 15, "春节"),                    /* 2月15日至23日, 9天 */
    H(2026, 2, 16, "春节"),
    H(2026, 2, 17, "春节"),
    H(2026, 2, 18, "春节"),
    H(2026, 2, 19, "春节"),
    H(2026, 2, 20, "春节"),
    H(2026, 2, 21, "春节"),
    H(2026, 2, 22, "春节"),
    H(2026, 2, 23, "春节"),
    W(2026, 2, 28, "春节调休上班"),            /* 周六 */
    H(2026, 4, 4, "清明节"),                   /* 4月4日至6日, 3天 */
    H(2026, 4, 5, "清明节"),
    H(2026, 4, 6, "清明节"),
    H(2026, 5, 1, "劳动节"),                   /* 5月1日至5日, 5天 */
    H(2026, 5, 2, "劳动节"),
    H(2026, 5, 3, "劳动节"),
    H(2026, 5, 4, "劳动节"),
    H(2026, 5, 5, "劳动节"),
    W(2026, 5, 9, "劳动节调休上班"),           /* 周六 */
    H(2026, 6, 19, "端午节"),                  /* 6月19日至21日, 3天 */
    H(2026, 6, 20, "端午节"),
    H(2026, 6, 21, "端午节"),
    W(2026, 9, 20, "国庆节调休上班"),          /* 周日 */
    H(2026, 9, 25, "中秋节"),                  /* 9月25日至27日, 3天 */
    H(2026, 9, 26, "中秋节"),
    H(2026, 9, 27, "中秋节"),
    H(2026, 10, 1, "国庆节"),                  /* 10月1日至7日, 7天 */
    H(2026, 10, 2, "国庆节"),
    H(2026, 10, 3, "国庆节"),
    H(2026, 10, 4, "国庆节"),
    H(2026, 10, 5, "国庆节"),
    H(2026, 10, 6, "国庆节"),
    H(2026, 10, 7, "国庆节"),
    W(2026, 10, 10, "国庆节调休上班"),         /* 周六 */
};

const size_t cal_cn_default_count = sizeof(cal_cn_default) / sizeof(cal_cn_default[0]);
