#include "util/i18n.h"

#include <stdio.h>
#include <string.h>

struct entry {
    const char *key;
    const char *zh;
    const char *en;
};

static const struct entry reasons[] = {
    { "required", "必须填写", "is required" },
    { "empty", "不能为空", "must not be empty" },
    { "too_long", "超出长度限制", "is too long" },
    { "bad_type", "类型不对", "has the wrong type" },
    { "bad_value", "不是允许的取值", "is not one of the allowed values" },
    { "bad_character", "含有不允许的控制字符", "contains control characters" },
    { "unknown", "不存在", "does not exist" },
    { "unknown_field", "不是可识别的字段", "is not a known field" },
    { "unknown_parameter", "不是可识别的查询参数", "is not a known query parameter" },
    { "repeated", "重复给出", "is given more than once" },
    { "too_small", "太小", "is too small" },
    { "too_large", "太大", "is too large" },
    { "bad_format", "格式不对", "has the wrong format" },
    { "bad_date", "日期不存在", "is not a real date" },
    { "bad_time", "时间不存在", "is not a real time of day" },
    { "bad_offset", "时区偏移不对", "has a bad time zone offset" },
    { "out_of_range", "超出允许范围", "is out of range" },
    { "in_future", "不能晚于当前时间", "must not be in the future" },
    { "missing_time", "需要精确到分钟的时间", "needs a time of day, not just a date" },
    { "requires_building", "需先填写楼栋", "needs a building" },
    { "requires_category", "需先选择类别", "needs a category" },
    { "bad_email", "不是有效的电子邮箱地址", "is not an e-mail address" },
    { "negative", "不能为负数", "must not be negative" },
    { "too_many_decimals", "最多两位小数", "has more than two decimals" },
    { "bad_country_code", "只接受中国号码(+86)", "must be a Chinese number (+86)" },
    { "bad_mobile", "不是有效的手机号码", "is not a valid mobile number" },
    { "bad_area_code", "区号不对", "has an unknown area code" },
    { "bad_length", "号码位数不对", "has the wrong number of digits" },
    { "bad_extension", "分机号不对", "has a bad extension" },
    { "bad_json", "不是有效的 JSON", "is not valid JSON" },
    { "not_object", "必须是 JSON 对象", "must be a JSON object" },
    { "bad_cursor", "分页游标无效", "is not a valid page cursor" },
    { "before_from", "早于开始时间", "is before the start" },
    { "bad_utf8", "不是有效的 UTF-8 文本", "is not valid UTF-8 text" },
    { "key_reused", "该幂等键已用于另一请求", "was already used for a different request" },
    { "content_mismatch", "文件内容与声明的类型不符", "does not match the declared type" },
    { "unsupported_type", "不支持该文件类型", "is not a supported file type" },
    { "unsupported_content_type", "请求内容类型必须为 application/json",
      "must be application/json" },
    { "body_too_large", "请求内容太大", "is too large" },
    { "no_route", "没有这个接口", "no such API route" },
    { "method_not_allowed", "该接口不支持此请求方法", "method not allowed on this route" },
    { "busy", "系统繁忙,请稍后重试", "the server is busy, please retry" },
    { "nomem", "系统繁忙,请稍后重试", "the server is out of memory, please retry" },
    { "store", "数据存储出错,请稍后重试", "the database failed, please retry" },
    { "internal", "系统内部错误", "internal error" },
    { "cannot_open", "无法打开", "cannot be opened" },
    { "preset_set", "已设定,不能更改", "is already set and cannot change" },
    { "exists", "已存在", "already exists" },
    { "fts5", "数据库缺少全文检索功能", "the database has no full-text search" },
    { "bad_syntax", "配置格式不对", "has a syntax error" },
    { "unknown_key", "不是可识别的配置项", "is not a known setting" },
    { "not_found", "找不到", "was not found" },
    { "unreadable", "无法读取", "cannot be read" },
    { "too_short", "太短", "is too short" },
    { "gap", "审计日志缺失条目(被删除或调换)", "has a missing entry (deleted or reordered)" },
    { "broken_link", "审计日志链断开(前一条被改动或删除)", "has a broken link (an earlier entry was changed or removed)" },
    { "altered", "审计日志条目内容被改动", "entry was altered" },
    { "too_simple", "太简单:须含大小写字母、数字、其他字符中的三类,或长达 16 个字符",
      "is too simple: use three kinds of character, or 16 characters or more" },
    { "contains_login", "不能包含账号", "must not contain the login" },
    { "common", "是常见的泄露密码", "is a commonly leaked password" },
    { "sign_in_required", "请先登录", "sign in first" },
    { "revoked", "已失效,请重新登录", "was revoked; sign in again" },
    { "disabled", "账号已停用", "belongs to a disabled account" },
    { "expired", "已过期,请重新登录", "has expired; sign in again" },
    { "idle", "长时间未操作已失效,请重新登录", "timed out after inactivity; sign in again" },
    { "password_changed", "密码已更改,请重新登录", "ended when the password changed; sign in again" },
    { "invalid", "无效,请重新登录", "is not valid; sign in again" },
    { "forbidden", "没有权限执行此操作", "you do not have permission for this" },
    { "missing", "缺失,请刷新页面后重试", "is missing; reload the page and retry" },
    { "mismatch", "不匹配,请刷新页面后重试", "does not match; reload the page and retry" },
    { "too_many_attempts", "尝试次数过多,请稍后再试", "too many attempts; try again later" },
    { "bad_credentials", "账号或密码错误", "wrong login or password" },
    { "not_a_session", "需要登录会话,访问令牌不能执行此操作", "needs a signed-in session, not an API token" },
    { "wrong", "不正确", "is wrong" },
    { "not_self", "只能是当前登录的用户", "must be the signed-in user" },
    { "too_many", "数量太多", "has too many items" },
    { "company_role", "该角色属于公司级,不能指定项目", "cannot name a project: the role is company-wide" },
    { "exclusive", "不能与 object 同时给出", "cannot be given together with object" },
    { "self", "不能停用自己的账号", "you cannot disable your own account" },
    { "already_revoked", "已吊销", "is already revoked" },
    { "not_allowed", "当前状态下不能执行此操作", "is not allowed in the complaint's current status" },
    { "nothing_to_change", "没有需要修改的内容", "changes nothing" },
    { "cannot_handle", "不能处理该项目的投诉", "cannot handle complaints of this project" },
    { "not_handler", "只有处理人或主管可以退单", "only the handler or a supervisor may return it" },
    { "not_pending", "不在待审批状态", "is not waiting for approval" },
    { "not_approved", "尚未获批或已被驳回", "is not approved (or was rejected)" },
    { "not_major", "只有重大、重要投诉可以列为案例", "only complaints of the two highest grades become cases" },
    { "handler_cannot_follow_up", "处理人不能回访自己处理的投诉", "the handler cannot follow up their own complaint" },
    { "company_only", "只有公司级角色可以执行", "needs a company-wide role" },
    { "done", "已完成", "is already done" },
    { "retired", "已停用", "is retired" },
    { "masked_digits", "不能搜索案例中被遮盖的号码", "cannot search for a number the cases mask" },
    /* ---- calendar (issue 5) ---- */
    { "not_vcalendar", "不是 iCalendar 格式(应以 BEGIN:VCALENDAR 开头)",
      "is not in iCalendar format (it must start with BEGIN:VCALENDAR)" },
    { "no_events", "没有可导入的日程(VEVENT)", "has no event (VEVENT) to import" },
    { "missing_date", "有日程缺少开始日期(DTSTART)", "has an event without a start date (DTSTART)" },
    { "not_all_day", "有日程不是全天日程(只接受按日期的节假日)",
      "has an event that is not all-day (only dated holidays are accepted)" },
    { "recurring", "有重复日程(RRULE/RDATE),节假日须逐年列出",
      "has a recurring event (RRULE/RDATE): list holidays year by year" },
    { "bad_range", "有日程的结束日期不在开始日期之后,或时长不是整天",
      "has an event that ends before it starts or lasts part of a day" },
    { "range_too_long", "有日程超过 366 天", "has an event longer than 366 days" },
    { "bad_kind", "X-KESU-KIND 只能是 holiday 或 workday", "has an X-KESU-KIND other than holiday or workday" },
    { "conflict", "同一天既是假日又是调休上班日", "makes one day both a holiday and a working day" },
    /* ---- end of calendar ---- */
    /* ---- notifications (issue 5) ---- */
    { "unknown_placeholder", "含有未知的占位符", "has an unknown {{placeholder}}" },
    { "bad_placeholder", "占位符格式不对,应为 {{名称}}", "has a malformed placeholder: write {{name}}" },
    { "not_dead", "只有死信(已放弃投递)才能重新投递", "can be replayed only when dead (given up)" },
    /* ---- end of notifications ---- */
    /* ---- deadlines (issue 5) ---- */
    { "not_running", "该时限未在计时", "is not running" },
    { "paused", "该时限已暂停", "is paused already" },
    { "not_paused", "该时限未暂停", "is not paused" },
    /* ---- end of deadlines ---- */
    /* ---- customer portal and projects (issue 6) ---- */
    { "rate_limited", "操作过于频繁,请稍后再试", "too many requests; try again later" },
    { "not_image", "不是图片(只接受 JPEG、PNG、WebP、GIF 格式)",
      "is not an image (JPEG, PNG, WebP or GIF)" },
    { "closed_for_upload", "只能在提交后 24 小时内、处理完成前补充照片",
      "photos can be added only within 24 hours of filing and before the complaint is resolved" },
    { "already_rated", "已经评价过了", "has already been rated" },
    /* ---- end of customer portal and projects ---- */
    { NULL, NULL, NULL },
};

static const struct entry fields[] = {
    { "channel", "受理渠道", "channel" },
    { "kind", "类型", "kind" },
    { "comm_type", "沟通类型", "communication type" },
    { "received_at", "受理时间", "received at" },
    { "received_by", "受理人", "received by" },
    { "project", "项目", "project" },
    { "building", "楼栋", "building" },
    { "unit", "单元房号", "unit" },
    { "complainant", "投诉人", "complainant" },
    { "complainant.name", "投诉人姓名", "complainant's name" },
    { "complainant.phone", "投诉人电话", "complainant's phone" },
    { "complainant.email", "投诉人邮箱", "complainant's e-mail" },
    { "complainant.role", "投诉人身份", "complainant's role" },
    { "complainant.anonymous", "匿名", "anonymous" },
    { "headcount", "投诉人数", "headcount" },
    { "subject", "主题", "subject" },
    { "content", "投诉内容", "content" },
    { "demands", "客户诉求", "demands" },
    { "category", "类别", "category" },
    { "subcategory", "子类别", "subcategory" },
    { "flags", "标记", "flags" },
    { "flags.injury", "人身伤害", "injury" },
    { "flags.media", "媒体介入", "media" },
    { "flags.lawsuit", "诉讼", "lawsuit" },
    { "flags.threat_media", "扬言曝光", "threatened media exposure" },
    { "flags.threat_lawsuit", "扬言起诉", "threatened lawsuit" },
    { "flags.vip", "上级交代", "VIP / referred by leadership" },
    { "loss_amount", "经济损失金额", "loss amount" },
    { "number", "投诉编号", "complaint number" },
    { "type", "记录类型", "event type" },
    { "text", "内容", "text" },
    { "author", "记录人", "author" },
    { "name", "名称", "name" },
    { "body", "请求内容", "request body" },
    { "id", "编号", "id" },
    { "status", "状态", "status" },
    { "received_from", "受理开始日期", "received from" },
    { "received_to", "受理截止日期", "received to" },
    { "q", "搜索内容", "search text" },
    { "sort", "排序", "sort" },
    { "limit", "每页条数", "page size" },
    { "cursor", "分页游标", "page cursor" },
    { "Idempotency-Key", "幂等键", "Idempotency-Key" },
    { "Content-Type", "内容类型", "Content-Type" },
    { "preset", "分类预设", "taxonomy preset" },
    { "db", "数据库", "database" },
    { "login", "账号", "login" },
    { "staff.name", "姓名", "name" },
    { "audit", "审计日志", "audit log" },
    { "password", "密码", "password" },
    { "role", "角色", "role" },
    { "department", "部门", "department" },
    { "phone", "电话", "phone" },
    { "email", "邮箱", "e-mail" },
    { "session", "登录会话", "session" },
    { "token", "访问令牌", "API token" },
    { "Authorization", "认证信息", "Authorization" },
    { "X-CSRF-Token", "防跨站请求令牌", "CSRF token" },
    { "current", "当前密码", "current password" },
    { "new", "新密码", "new password" },
    { "scopes", "权限范围", "scopes" },
    { "purpose", "用途", "purpose" },
    { "fields", "要查看的字段", "fields to reveal" },
    { "roles", "角色", "roles" },
    { "roles.role", "角色", "role" },
    { "roles.project", "角色所在项目", "role's project" },
    { "roles.department", "角色所在部门", "role's department" },
    { "actor", "操作人", "actor" },
    { "object", "操作对象", "object" },
    { "action", "操作类型", "action" },
    { "complaint", "投诉编号", "complaint number" },
    { "before", "分页位置", "page position" },
    { "reason", "原因", "reason" },
    { "note", "备注", "note" },
    { "nature", "投诉性质", "nature" },
    { "grade", "投诉等级", "grade" },
    { "handler", "处理人", "handler" },
    { "raised_again", "再次反映", "raised again" },
    { "compensation", "赔偿", "compensation" },
    { "compensations", "赔偿方案", "compensations" },
    { "amount", "金额", "amount" },
    { "approve", "审批意见", "approval" },
    { "solution", "解决方案", "solution" },
    { "confirmation", "客户确认方式", "customer's confirmation" },
    { "result", "处理结果", "result" },
    { "response", "客户答复", "customer's response" },
    { "attempts", "联系尝试", "contact attempts" },
    { "attempts.method", "联系方式", "contact method" },
    { "attempts.at", "联系时间", "contact time" },
    { "attempts.note", "联系备注", "contact note" },
    { "source", "来源", "source" },
    { "summary", "案例摘要", "case summary" },
    { "lessons", "经验教训", "lessons" },
    { "followup", "回访任务", "follow-up" },
    { "outcome", "回访结果", "follow-up outcome" },
    { "satisfaction", "满意度", "satisfaction" },
    { "score", "评分", "score" },
    { "comment", "客户意见", "comment" },
    { "ratings", "其他投诉人评价", "other complainants' ratings" },
    { "month", "月份", "month" },
    { "percent", "抽样比例", "sampling percentage" },
    { "condition", "规则条件", "rule condition" },
    { "grading", "分级预设", "grading preset" },
    { "code", "编码", "code" },
    { "parent", "上级类别", "parent category" },
    { "name_zh", "中文名称", "Chinese name" },
    { "name_en", "英文名称", "English name" },
    { "description_zh", "中文说明", "Chinese description" },
    { "description_en", "英文说明", "English description" },
    { "retired", "停用", "retired" },
    { "enabled", "启用", "enabled" },
    { "assignee", "回访人", "assignee" },
    { "ratings.person", "评价人", "rating's complainant" },
    { "ratings.satisfaction", "评价满意度", "rating's satisfaction" },
    { "ratings.score", "评价评分", "rating's score" },
    { "ratings.comment", "评价意见", "rating's comment" },
    { "from", "开始时间", "from" },
    { "to", "截止时间", "to" },
    { "masked", "是否遮蔽", "masked" },
    { "rows", "导出行数", "rows to export" },
    /* ---- calendar (issue 5) ---- */
    { "ics", "iCalendar 日历文件", "iCalendar file" },
    { "weekdays", "每周工作日", "working weekdays" },
    { "work_start", "上班时间", "start of the working day" },
    { "work_end", "下班时间", "end of the working day" },
    { "checked", "已核对", "checked" },
    { "date", "日期", "date" },
    { "year", "年份", "year" },
    { "updated_by", "修改人", "changed by" },
    /* ---- end of calendar ---- */
    /* ---- notifications (issue 5) ---- */
    { "url", "网址", "URL" },
    { "events", "订阅的事件", "events" },
    { "event", "事件", "event" },
    { "active", "启用", "active" },
    { "rotate_secret", "重新生成密钥", "rotate secret" },
    { "secret", "签名密钥", "signing secret" },
    { "lang", "语言", "language" },
    { "unread", "只看未读", "unread only" },
    { "title", "标题", "title" },
    { "recipient", "收件人", "recipient" },
    { "webhook_id", "Webhook 接收端", "webhook" },
    { "template", "消息模板", "message template" },
    /* ---- end of notifications ---- */
    /* ---- deadlines (issue 5) ---- */
    { "clock", "时限", "clock" },
    { "remind_percent", "提醒比例", "reminder point (percent)" },
    { "target_role", "升级对象角色", "target role" },
    { "target_department", "升级对象部门", "target department" },
    { "notice", "督办", "supervision notice" },
    { "ack_hours", "确认时限（小时）", "hours to acknowledge" },
    { "open", "仅未确认", "open only" },
    { "acked_by", "确认人", "acknowledged by" },
    /* ---- end of deadlines ---- */
    /* ---- customer portal and projects (issue 6) ---- */
    { "X-Kesu-Phone", "联系电话", "phone" },
    { "accept", "是否认可处理结果", "whether you accept the result" },
    { "photos", "照片", "photos" },
    { "units", "房号", "units" },
    { "number_prefix", "编号前缀", "number prefix" },
    { "returned", "退单", "returned" },
    { "perm", "权限", "permission" },
    /* ---- end of customer portal and projects ---- */
    { NULL, NULL, NULL },
};

static const struct entry *
find(const struct entry *table, const char *key)
{
    if (key == NULL)
        return NULL;
    for (; table->key != NULL; table++)
        if (strcmp(table->key, key) == 0)
            return table;
    return NULL;
}

const char *
i18n_reason(enum i18n_lang lang, const char *reason)
{
    const struct entry *en = find(reasons, reason);

    if (en == NULL)
        return lang == I18N_EN ? "is not acceptable" : "不符合要求";
    return lang == I18N_EN ? en->en : en->zh;
}

/* "roles[2].project" -> "roles.project": the catalog names fields, not positions. */
static const char *
without_index(const char *field, char *buf, size_t size)
{
    size_t o = 0;

    for (const char *p = field; *p != '\0' && o + 1 < size; p++) {
        if (*p == '[') {
            p += strcspn(p, "]");
            if (*p == '\0')
                break;
            continue;
        }
        buf[o++] = *p;
    }
    buf[o] = '\0';
    return buf;
}

const char *
i18n_field(enum i18n_lang lang, const char *field)
{
    char plain[128];
    const struct entry *en = find(fields, field);

    if (en == NULL && field != NULL && strchr(field, '[') != NULL)
        en = find(fields, without_index(field, plain, sizeof(plain)));

    if (en == NULL)
        return field;
    return lang == I18N_EN ? en->en : en->zh;
}

size_t
i18n_message(enum i18n_lang lang, const char *field, const char *reason, char *out, size_t size)
{
    int n;

    if (field == NULL)
        n = snprintf(out, size, "%s", i18n_reason(lang, reason));
    else if (lang == I18N_EN)
        n = snprintf(out, size, "%s %s", i18n_field(lang, field), i18n_reason(lang, reason));
    else
        n = snprintf(out, size, "%s:%s", i18n_field(lang, field), i18n_reason(lang, reason));
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* ---- grading and escalation conditions: where the error is, what was expected ---- */

/* What core/grading.c says it expected, for people. */
static const struct entry expected[] = {
    { "a fact such as headcount", "事实名称(如 headcount)", "a fact such as headcount" },
    { "one of >= > <= < =", "比较符号(>=、>、<=、< 或 =)", "one of >= > <= < =" },
    { "a whole number", "整数", "a whole number" },
    { "a space after the number", "数字后的空格", "a space after the number" },
    { "\"and\" or the end", "“and”或条件结束", "\"and\" or the end" },
    { NULL, NULL, NULL },
};

size_t
i18n_condition_message(enum i18n_lang lang, const char *field, const char *reason,
                       const char *detail, char *out, size_t size)
{
    static const char at[] = "at byte ";
    static const char unknown[] = "unknown fact \"";
    const char *label = i18n_field(lang, field);
    int n = -1;

    if (reason != NULL && detail != NULL && strcmp(reason, "bad_syntax") == 0 &&
        strncmp(detail, at, sizeof(at) - 1) == 0) {
        unsigned long pos;
        int used = 0;
        const struct entry *what;
        if (sscanf(detail + sizeof(at) - 1, "%lu: expected %n", &pos, &used) == 1 && used > 0 &&
            (what = find(expected, detail + sizeof(at) - 1 + used)) != NULL)
            n = lang == I18N_EN
                    ? snprintf(out, size, "%s has a syntax error at byte %lu: expected %s", label,
                               pos, what->en)
                    : snprintf(out, size, "%s:第 %lu 字节处格式不对,应为%s", label, pos, what->zh);
    } else if (reason != NULL && detail != NULL && strcmp(reason, "unknown") == 0 &&
               strncmp(detail, unknown, sizeof(unknown) - 1) == 0) {
        const char *name = detail + sizeof(unknown) - 1;
        size_t len = strlen(name);
        if (len > 0 && name[len - 1] == '"')
            n = lang == I18N_EN
                    ? snprintf(out, size, "%s: there is no fact \"%.*s\"", label, (int)len - 1,
                               name)
                    : snprintf(out, size, "%s:没有名为“%.*s”的事实", label, (int)len - 1, name);
    }
    if (n < 0)
        return i18n_message(lang, field, reason, out, size);
    return (size_t)n < size ? (size_t)n : size - 1;
}
