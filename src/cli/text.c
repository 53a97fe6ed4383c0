#include "cli/text.h"
#include "util/version.h"

#include <stdlib.h>
#include <string.h>

static enum i18n_lang lang = I18N_ZH;

static const char *const zh[MSG_COUNT_] = {
    [MSG_USAGE] =
        "kesu " KESU_VERSION " — 客诉管理系统\n"
        "\n"
        "用法:kesu <命令> [选项]\n"
        "\n"
        "命令:\n"
        "  init      创建数据库,或升级到当前版本\n"
        "  serve     启动 HTTP 服务\n"
        "  demo      写入演示数据\n"
        "  user      管理员工账号\n"
        "  audit     核验审计日志\n"
        "  token     管理 API 访问令牌\n"
        "  tick      执行一次时限调度\n"
        "  version   显示版本\n"
        "\n"
        "`kesu <命令> --help` 说明每个命令及其选项。设置 KESU_LANG=en 显示英文。\n",
    [MSG_USAGE_INIT] =
        "用法:kesu init [--db PATH] [--config FILE] [--preset NAME] [--grading NAME]\n"
        "\n"
        "创建数据库,或把已有数据库升级到当前结构。可重复执行:已执行的迁移会跳过。\n"
        "\n"
        "  --db PATH       数据库文件(默认 kesu.db;环境变量 KESU_DB)\n"
        "  --config FILE   配置文件(默认为当前目录下的 kesu.conf,如存在)\n"
        "  --preset NAME   新数据库的投诉分类:property(物业,默认)、realestate(地产)、\n"
        "                  generic(通用)、hospital(医院)\n"
        "  --grading NAME  投诉评级方案:property(物业四级 A/B/C/D,默认)、\n"
        "                  realestate(地产:重大/热点/重要/一般)、three-level(重大/重要/轻微)。\n"
        "                  方案的评级规则替换现有规则;已有投诉定了级之后不能再换方案。\n",
    [MSG_USAGE_SERVE] =
        "用法:kesu serve [--db PATH] [--listen HOST:PORT] [--config FILE]\n"
        "\n"
        "提供 HTTP 接口,直到收到 SIGINT 或 SIGTERM。数据库须先用 `kesu init` 创建。\n"
        "\n"
        "  --db PATH           数据库文件(默认 kesu.db;环境变量 KESU_DB)\n"
        "  --listen HOST:PORT  监听地址(默认 127.0.0.1:8080;端口 0 表示自动选择空闲端口;\n"
        "                      环境变量 KESU_LISTEN)\n"
        "  --config FILE       配置文件(默认为当前目录下的 kesu.conf,如存在)\n"
        "\n"
        "kesu.conf 中的每项设置也可用环境变量 KESU_<键名> 给出,\n"
        "例如 KESU_ATTACHMENT_MAX=10485760 或 KESU_CLOCK_OFFSET=86400。\n",
    [MSG_USAGE_DEMO] =
        "用法:kesu demo [--db PATH] [--complaints N] [--seed S] [--now TIME] [--config FILE]\n"
        "\n"
        "写入演示数据:3 个项目及其楼栋和房号、12 名员工,以及 --now 之前 12 个月内的\n"
        "N 条投诉(默认 2000)。已有的基础数据保留。请先执行 `kesu init`。\n"
        "\n"
        "12 名演示员工覆盖各个角色(如 zhangwei 为华苑花园 HY 的接线员),共用一个密码:\n"
        "取自环境变量 KESU_DEMO_PASSWORD(须符合密码规则),否则随机生成,在最后显示一次。\n"
        "演示账号只用于试用,切勿用于正式环境。\n"
        "\n"
        "  --complaints N  投诉条数,0..10000000(0:只写基础数据)\n"
        "  --seed S        随机种子(默认 1):种子相同,数据相同\n"
        "  --now TIME      时间段的终点,如 2026-11-22T09:00+08:00(默认:当前时间)\n",
    [MSG_UNKNOWN_COMMAND] = "kesu:没有命令 '%s'\n\n",
    [MSG_UNKNOWN_OPTION] = "kesu:不认识的选项 '%s'\n\n",
    [MSG_NEEDS_VALUE] = "kesu:选项 %s 需要一个值\n",
    [MSG_SCHEMA_AT] = "kesu:数据库 '%s' 的结构版本为 %d\n",
    [MSG_NOT_INITIALISED] = "kesu:数据库 '%s' 尚未初始化:请先执行 `kesu init --db %s`\n",
    [MSG_SCHEMA_MISMATCH] =
        "kesu:数据库 '%s' 的结构版本为 %d,本程序需要 %d:请先执行 `kesu init --db %s`\n",
    [MSG_LISTENING] = "kesu:服务已启动 listening on http://%s:%d(数据库 '%s')\n",
    [MSG_DEMO_PROGRESS] = "demo:已写入 %ld/%ld 条投诉(%ld%%)\n",
    [MSG_DEMO_DONE] = "kesu:演示数据已写入 '%s':3 个项目,%zu 名员工,%ld 条投诉\n",
    [MSG_COUNT_RANGE] = "kesu:--complaints 须为 0 到 10000000 之间的整数\n",
    [MSG_SEED_RANGE] = "kesu:--seed 须为 0 到 2147483647 之间的整数\n",
    [MSG_NO_SODIUM] = "kesu:无法初始化 libsodium\n",
    [MSG_FAILED] = "失败",
    [MSG_USAGE_USER] =
        "用法:kesu user add LOGIN --name 姓名 [--role 角色[@项目]]... [--phone 电话]\n"
        "                       [--email 邮箱] [--password-stdin]\n"
        "      kesu user list\n"
        "      kesu user disable LOGIN | enable LOGIN\n"
        "      kesu user passwd LOGIN [--password-stdin]\n"
        "      (每个命令都接受 --db PATH 和 --config FILE)\n"
        "\n"
        "管理员工账号。角色:operator 接线员/前台、handler 处理人、supervisor 客服主管、\n"
        "manager 经理、executive 总经理、centre 客户服务中心、auditor 品质/监察、admin 管理员;\n"
        "@项目 把角色限定在一个项目(如 handler@HY),不写则为全公司。\n"
        "不给 --password-stdin 时生成一个随机密码,只显示这一次。\n"
        "密码至少 10 个字符,含大小写字母、数字、其他字符中的三类(16 个字符以上的短语除外)。\n",
    [MSG_USER_ADDED] = "kesu:已添加员工 %s\n",
    [MSG_PASSWORD_ONCE] = "kesu:%s 的密码(只显示这一次,请妥善转交):%s\n",
    [MSG_ADMIN_CREATED] = "kesu:已创建初始管理员 %s\n",
    [MSG_USER_STATUS] = "kesu:员工 %s 现在为 %s\n",
    [MSG_PASSWORD_SET] = "kesu:已为 %s 设置新密码;其已有的登录会话将失效\n",
    [MSG_USER_LIST_HEAD] = "账号\t姓名\t状态\t密码\t角色\n",
    [MSG_NEEDS_LOGIN] = "kesu:请给出员工账号(LOGIN)\n\n",
    [MSG_USAGE_AUDIT] =
        "用法:kesu audit verify [--db PATH] [--config FILE]\n"
        "\n"
        "核验审计日志:每条记录都含有上一条记录的哈希,因此数据库中任何一条记录\n"
        "被修改、删除或调换顺序都会被发现。全部完好时退出码为 0,并显示条数和最后一条\n"
        "的哈希(请另行保存,用以发现末尾记录被截去);否则指出第一条出错的记录,退出码为 1。\n",
    [MSG_AUDIT_OK] = "kesu:审计日志完好:共 %lld 条记录,最后一条的哈希为 %s\n",
    [MSG_AUDIT_BROKEN] = "kesu:审计日志在第 %lld 条记录处被破坏:%s(%s)\n",
    [MSG_AUDIT_GAP] = "编号不连续,此前的记录被删除或调换了顺序",
    [MSG_AUDIT_BROKEN_LINK] = "与上一条记录的哈希不符,上一条记录被改动、删除或替换",
    [MSG_AUDIT_ALTERED] = "内容与其哈希不符,这条记录被改动",
    [MSG_USAGE_TOKEN] =
        "用法:kesu token add --name 名称 --user LOGIN --scopes 权限列表 [--project 项目]\n"
        "      kesu token list\n"
        "      kesu token revoke ID\n"
        "      (每个命令都接受 --db PATH 和 --config FILE)\n"
        "\n"
        "管理供外部系统(呼叫中心、微信网关等)调用接口的 API 访问令牌。令牌以 --user 指定的\n"
        "员工身份访问,权限不超过该员工的角色,并限于 --scopes 列出的权限(逗号分隔;* 表示\n"
        "该员工的全部权限);给出 --project 时只能访问这一个项目。\n"
        "add 把令牌(kesu_…)单独一行写到标准输出,只显示这一次;数据库只保存它的哈希。\n"
        "revoke 使令牌立即失效,记录保留以备审计。\n"
        "\n"
        "权限名:\n  %s\n",
    [MSG_TOKEN_CREATED] =
        ("kesu:已创建访问令牌“%s”(编号 %lld,代表员工 %s),见标准输出。令牌只显示这一次,\n"
        "请立即妥善保存;kesu 只保存它的哈希,丢失后只能吊销再新建。\n"),
    [MSG_TOKEN_LIST_HEAD] = "编号\t名称\t员工\t权限范围\t项目\t创建时间\t最近使用\t吊销时间\n",
    [MSG_TOKEN_REVOKED] = "kesu:访问令牌 %lld(%s)已吊销\n",
    [MSG_TOKEN_NOT_FOUND] = "kesu:没有编号为 %lld 的访问令牌(见 `kesu token list`)\n",
    [MSG_TOKEN_WAS_REVOKED] = "kesu:访问令牌 %lld(%s)已于 %s 吊销\n",
    [MSG_TOKEN_EXISTS] = "kesu:已有一个有效的访问令牌名为“%s”:请换一个名称,或先吊销它\n",
    [MSG_TOKEN_NAME] = "kesu:令牌名称%s\n",
    [MSG_TOKEN_NEEDS] = "kesu:token add 需要 --name、--user 和 --scopes\n\n",
    [MSG_TOKEN_NEEDS_ID] = "kesu:请给出令牌编号(ID,见 `kesu token list`)\n\n",
    [MSG_TOKEN_BAD_ID] = "kesu:'%s' 不是令牌编号:应为正整数\n",
    [MSG_UNEXPECTED_ARG] = "kesu:多余的参数 '%s'\n\n",
    [MSG_DEMO_ACCOUNTS] = "kesu:演示员工账号(只用于试用,切勿用于正式环境):\n",
    [MSG_DEMO_ACCOUNT] = "  %-10s %s  %s\n",
    [MSG_DEMO_PASSWORD] = "kesu:以上演示账号的密码(只显示这一次):%s\n",
    [MSG_DEMO_PASSWORD_ENV] = "kesu:以上演示账号的密码为 KESU_DEMO_PASSWORD 的值\n",
    [MSG_GRADING_UNKNOWN] =
        "kesu:没有评级方案 '%s':可选 property、realestate、three-level\n\n",
    [MSG_GRADING_AT] = "kesu:数据库 '%s' 使用评级方案 %s\n",
    [MSG_USAGE_TICK] =
        "用法:kesu tick [--db PATH] [--config FILE]\n"
        "\n"
        "执行一次时限调度:发送到期前提醒、标记超时并通知上一级、按投诉时长重新评级、\n"
        "执行升级规则、升级无人确认的督办。与 kesu serve 内的调度器相同,同一时间只有\n"
        "持有租约的一个进程执行;重复执行不会重复提醒。可由 cron 调用。\n",
    [MSG_TICK_DONE] = "kesu:提醒 %d 条,超时 %d 条,重新评级 %d 件,督办升级 %d 条,补建时限 %d 件\n",
    [MSG_TICK_NOT_HELD] = "kesu:调度租约由 %s 持有,本次未执行\n",
};

static const char *const en[MSG_COUNT_] = {
    [MSG_USAGE] =
        "kesu " KESU_VERSION " — customer-complaint management (客诉管理系统)\n"
        "\n"
        "usage: kesu <command> [options]\n"
        "\n"
        "commands:\n"
        "  init      create or migrate the database\n"
        "  serve     run the HTTP server\n"
        "  demo      fill the database with demo data\n"
        "  user      manage staff accounts\n"
        "  audit     verify the audit log\n"
        "  token     manage API tokens\n"
        "  tick      run the deadline scheduler once\n"
        "  version   print the version\n"
        "\n"
        "`kesu <command> --help` explains each command and its options. KESU_LANG=zh for Chinese.\n",
    [MSG_USAGE_INIT] =
        "usage: kesu init [--db PATH] [--config FILE] [--preset NAME] [--grading NAME]\n"
        "\n"
        "Create the database, or bring an existing one up to the current schema.\n"
        "Safe to run again: migrations already applied are skipped.\n"
        "\n"
        "  --db PATH       database file (default kesu.db; env KESU_DB)\n"
        "  --config FILE   configuration file (default ./kesu.conf when present)\n"
        "  --preset NAME   category taxonomy for a new database: property (default),\n"
        "                  realestate, generic, hospital\n"
        "  --grading NAME  grading scheme: property (A/B/C/D, default), realestate\n"
        "                  (major/hot/important/general), three-level (major/important/minor).\n"
        "                  Its rules replace the stored ones; once a complaint has a grade,\n"
        "                  the scheme can no longer change.\n",
    [MSG_USAGE_SERVE] =
        "usage: kesu serve [--db PATH] [--listen HOST:PORT] [--config FILE]\n"
        "\n"
        "Serve the HTTP API until SIGINT or SIGTERM.\n"
        "The database must have been created with `kesu init`.\n"
        "\n"
        "  --db PATH           database file (default kesu.db; env KESU_DB)\n"
        "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; port 0\n"
        "                      picks a free port; env KESU_LISTEN)\n"
        "  --config FILE       configuration file (default ./kesu.conf when present)\n"
        "\n"
        "Every setting of kesu.conf can also be given as KESU_<KEY>, e.g.\n"
        "KESU_ATTACHMENT_MAX=10485760 or KESU_CLOCK_OFFSET=86400.\n",
    [MSG_USAGE_DEMO] =
        "usage: kesu demo [--db PATH] [--complaints N] [--seed S] [--now TIME] [--config FILE]\n"
        "\n"
        "Fill the database with demo data: 3 projects with buildings and units, 12 staff,\n"
        "and N complaints (default 2000) spread over the 12 months before --now.\n"
        "Reference data already present is kept. Run `kesu init` first.\n"
        "\n"
        "The 12 demo staff cover every role (zhangwei is an operator of project HY, ...)\n"
        "and share one password: KESU_DEMO_PASSWORD when set (it must meet the password\n"
        "policy), else a random one shown once at the end. Demo accounts are for trying\n"
        "kesu out, never for real use.\n"
        "\n"
        "  --complaints N  how many complaints, 0..10000000 (0: reference data only)\n"
        "  --seed S        seed of the generator (default 1): same seed, same data\n"
        "  --now TIME      the end of the period, e.g. 2026-11-22T09:00+08:00 (default: now)\n",
    [MSG_UNKNOWN_COMMAND] = "kesu: unknown command '%s'\n\n",
    [MSG_UNKNOWN_OPTION] = "kesu: unknown option '%s'\n\n",
    [MSG_NEEDS_VALUE] = "kesu: option %s needs a value\n",
    [MSG_SCHEMA_AT] = "kesu: database '%s' is at schema version %d\n",
    [MSG_NOT_INITIALISED] = "kesu: database '%s' is not initialised: run `kesu init --db %s` first\n",
    [MSG_SCHEMA_MISMATCH] =
        "kesu: database '%s' is at schema version %d, this kesu needs %d: run `kesu init --db %s` first\n",
    [MSG_LISTENING] = "kesu: listening on http://%s:%d (database '%s')\n",
    [MSG_DEMO_PROGRESS] = "demo: %ld/%ld complaints (%ld%%)\n",
    [MSG_DEMO_DONE] = "kesu: demo data in '%s': 3 projects, %zu staff, %ld complaints\n",
    [MSG_COUNT_RANGE] = "kesu: --complaints takes a whole number from 0 to 10000000\n",
    [MSG_SEED_RANGE] = "kesu: --seed takes a whole number from 0 to 2147483647\n",
    [MSG_NO_SODIUM] = "kesu: cannot initialise libsodium\n",
    [MSG_FAILED] = "failed",
    [MSG_USAGE_USER] =
        "usage: kesu user add LOGIN --name NAME [--role ROLE[@PROJECT]]... [--phone PHONE]\n"
        "                       [--email EMAIL] [--password-stdin]\n"
        "       kesu user list\n"
        "       kesu user disable LOGIN | enable LOGIN\n"
        "       kesu user passwd LOGIN [--password-stdin]\n"
        "       (every one also takes --db PATH and --config FILE)\n"
        "\n"
        "Manage staff accounts. Roles: operator, handler, supervisor, manager, executive,\n"
        "centre, auditor, admin; @PROJECT limits a role to one project (handler@HY), without\n"
        "it the role is company-wide. Without --password-stdin a random password is made\n"
        "and shown this one time. Passwords have at least 10 characters of three kinds\n"
        "(lower, upper case, digits, others), or are phrases of 16 or more.\n",
    [MSG_USER_ADDED] = "kesu: added staff member %s\n",
    [MSG_PASSWORD_ONCE] = "kesu: password of %s (shown this one time, hand it over safely): %s\n",
    [MSG_ADMIN_CREATED] = "kesu: created the first administrator %s\n",
    [MSG_USER_STATUS] = "kesu: staff member %s is now %s\n",
    [MSG_PASSWORD_SET] = "kesu: new password set for %s; their sessions end\n",
    [MSG_USER_LIST_HEAD] = "login\tname\tstatus\tpassword\troles\n",
    [MSG_NEEDS_LOGIN] = "kesu: which staff member (LOGIN)?\n\n",
    [MSG_USAGE_AUDIT] =
        "usage: kesu audit verify [--db PATH] [--config FILE]\n"
        "\n"
        "Verify the audit log: every entry holds the hash of the one before it, so an\n"
        "entry changed, deleted or moved inside the database is found. Exits 0 when\n"
        "the log is whole, printing the count and the last entry's hash (keep it\n"
        "elsewhere: it shows whether entries were later cut off the end); otherwise\n"
        "names the first broken entry and exits 1.\n",
    [MSG_AUDIT_OK] = "kesu: audit log ok: %lld entries, last hash %s\n",
    [MSG_AUDIT_BROKEN] = "kesu: audit log broken at entry %lld: %s (%s)\n",
    [MSG_AUDIT_GAP] = "its id does not follow the previous one: entries were deleted or moved",
    [MSG_AUDIT_BROKEN_LINK] =
        "it does not link to the previous entry's hash: that entry was changed, deleted or replaced",
    [MSG_AUDIT_ALTERED] = "its content does not match its hash: the entry was changed",
    [MSG_USAGE_TOKEN] =
        "usage: kesu token add --name NAME --user LOGIN --scopes LIST [--project CODE]\n"
        "       kesu token list\n"
        "       kesu token revoke ID\n"
        "       (every one also takes --db PATH and --config FILE)\n"
        "\n"
        "Manage API tokens for integrations (a hotline system, a WeChat gateway). A token\n"
        "acts as the staff member --user, never beyond their roles, narrowed to the\n"
        "permissions in --scopes (comma-separated; * for all of the member's) and, with\n"
        "--project, to that one project. add writes the token (kesu_...) alone on a line of\n"
        "standard output, this one time; the database keeps only its hash. revoke ends a\n"
        "token at once; its record stays for the audit trail.\n"
        "\n"
        "permissions:\n  %s\n",
    [MSG_TOKEN_CREATED] =
        ("kesu: API token '%s' (id %lld) created for %s, on standard output. It is shown\n"
        "this one time: store it safely now. kesu keeps only its hash; a lost token can\n"
        "only be revoked and replaced.\n"),
    [MSG_TOKEN_LIST_HEAD] = "id\tname\tlogin\tscopes\tproject\tcreated\tlast used\trevoked\n",
    [MSG_TOKEN_REVOKED] = "kesu: API token %lld (%s) revoked\n",
    [MSG_TOKEN_NOT_FOUND] = "kesu: there is no API token with id %lld (see `kesu token list`)\n",
    [MSG_TOKEN_WAS_REVOKED] = "kesu: API token %lld (%s) was already revoked at %s\n",
    [MSG_TOKEN_EXISTS] =
        "kesu: a live API token named '%s' exists already: choose another name, or revoke it first\n",
    [MSG_TOKEN_NAME] = "kesu: the token name %s\n",
    [MSG_TOKEN_NEEDS] = "kesu: token add needs --name, --user and --scopes\n\n",
    [MSG_TOKEN_NEEDS_ID] = "kesu: which token (ID, see `kesu token list`)?\n\n",
    [MSG_TOKEN_BAD_ID] = "kesu: '%s' is not a token id: a positive whole number\n",
    [MSG_UNEXPECTED_ARG] = "kesu: unexpected argument '%s'\n\n",
    [MSG_DEMO_ACCOUNTS] = "kesu: demo staff accounts (for trying kesu out, never for real use):\n",
    [MSG_DEMO_ACCOUNT] = "  %-10s %s  %s\n",
    [MSG_DEMO_PASSWORD] = "kesu: password of these demo accounts (shown this one time): %s\n",
    [MSG_DEMO_PASSWORD_ENV] = "kesu: these demo accounts have the password in KESU_DEMO_PASSWORD\n",
    [MSG_GRADING_UNKNOWN] =
        "kesu: there is no grading scheme '%s': choose property, realestate or three-level\n\n",
    [MSG_GRADING_AT] = "kesu: database '%s' grades with the scheme %s\n",
    [MSG_USAGE_TICK] =
        "usage: kesu tick [--db PATH] [--config FILE]\n"
        "\n"
        "Run the deadline scheduler once: reminders before clocks run out, overdue marks\n"
        "with the next level told, age-based re-grading, escalation rules, supervision\n"
        "notices nobody acknowledged. The same as the scheduler inside kesu serve: only\n"
        "the process holding the lease works, and running it twice does nothing twice.\n"
        "Suits cron.\n",
    [MSG_TICK_DONE] = "kesu: %d reminders, %d overdue, %d re-graded, %d notices raised, "
                      "%d complaints given clocks\n",
    [MSG_TICK_NOT_HELD] = "kesu: the scheduler lease is held by %s; nothing done\n",
};

void
cli_lang_init(void)
{
    const char *v = getenv("KESU_LANG");

    lang = v != NULL && strcmp(v, "en") == 0 ? I18N_EN : I18N_ZH;
}

enum i18n_lang
cli_lang(void)
{
    return lang;
}

const char *
cli_text(enum cli_msg m)
{
    return lang == I18N_EN ? en[m] : zh[m];
}
