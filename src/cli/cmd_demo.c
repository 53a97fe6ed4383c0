/*
 * `kesu demo`: realistic, deterministic demo data. Three property projects
 * with buildings and units, twelve staff who can sign in (every role, one
 * demo password), and complaints spread over the twelve months before `now`,
 * in Chinese, over every channel and category of the property preset. The
 * same --seed and --now give the same data (the password aside).
 */
#include "cli/cli.h"
#include "cli/text.h"
#include "core/account.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/password.h"
#include "util/phone.h"
#include "util/str.h"
#include "util/ts.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_BATCH 5000      /* complaints per transaction */

/* splitmix64: small, fast, and the same on every machine */
static uint64_t
next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned
pick(uint64_t *s, unsigned n)
{
    return (unsigned)(next_rand(s) % n);
}

/* Index into a table of weights. */
static unsigned
weighted(uint64_t *s, const unsigned *w, size_t n)
{
    unsigned total = 0, r;

    for (size_t i = 0; i < n; i++)
        total += w[i];
    r = pick(s, total);
    for (size_t i = 0; i < n; i++) {
        if (r < w[i])
            return (unsigned)i;
        r -= w[i];
    }
    return (unsigned)(n - 1);
}

struct demo_project { const char *code, *name; int buildings; };

static const struct demo_project projects[] = {
    { "HY", "华苑花园", 12 },
    { "JX", "锦绣江南", 16 },
    { "BJ", "滨江壹号", 10 },
};

/*
 * The demo staff: every role of DOMAIN §5 but admin (`kesu init` made that
 * one), so that each view of the system can be tried. They share one
 * password (cli_demo).
 */
struct demo_staff { const char *login, *name, *role, *project; };

static const struct demo_staff staff[] = {
    { "zhangwei", "张伟", "operator", "HY" },
    { "lina", "李娜", "handler", "HY" },
    { "wangfang", "王芳", "supervisor", "HY" },
    { "liuyang", "刘洋", "manager", "HY" },
    { "chenjing", "陈静", "operator", "JX" },
    { "yangli", "杨丽", "handler", "JX" },
    { "zhaolei", "赵磊", "supervisor", "JX" },
    { "huangmin", "黄敏", "manager", "JX" },
    { "zhouqiang", "周强", "executive", NULL },
    { "wuxia", "吴霞", "centre", NULL },
    { "xujun", "徐军", "auditor", NULL },
    { "sunli", "孙丽", "handler", "BJ" },
};

struct story {
    const char *category, *subcategory;
    const char *subject;
    const char *content;     /* %s: where */
    const char *demands;
};

static const struct story stories[] = {
    { "equipment", "lift", "电梯困人", "%s的电梯今天早上停在两层之间,家里老人被困了二十多分钟才出来,电梯上个月已经坏过一次。", "彻底检修电梯,书面说明原因" },
    { "equipment", "lift", "电梯经常停运", "%s的电梯这周已经停了三次,每次都要等很久才有人来修,上下楼非常不方便。", "尽快修好并公布维保记录" },
    { "equipment", "water_supply", "停水没有提前通知", "%s昨天下午突然停水,物业没有任何通知,家里做饭洗澡都受影响。", "以后停水提前通知" },
    { "equipment", "water_supply", "下水道堵塞返水", "%s的公共下水管堵了,污水从地漏返上来,味道很大。", "马上疏通,清理消毒" },
    { "equipment", "lighting", "楼道灯不亮", "%s楼道的灯坏了一个多星期,晚上漆黑一片,老人小孩走路很危险。", "尽快更换灯具" },
    { "equipment", "hvac", "暖气不热", "%s家里暖气温度一直上不去,室内只有十五度,已经报修两次没人处理。", "派人检查,保证室温" },
    { "building", "leak", "外墙渗水", "%s外墙渗水,卧室墙面发霉起皮,下雨天更严重。", "查明渗漏点并维修,赔偿墙面损失" },
    { "building", "leak", "屋顶漏水", "%s顶层天花板漏水,家具被泡坏了。", "尽快修复屋面,赔偿损失" },
    { "building", "public_repair", "楼梯扶手松动", "%s楼梯扶手松动,有安全隐患,报修后一直没人来。", "立即维修" },
    { "building", "renovation", "装修噪音超时", "%s楼上装修,晚上九点以后还在电钻施工,严重影响休息。", "管理装修时间" },
    { "security", "vehicle", "车位被占用", "%s的固定车位经常被外来车辆占用,保安不管。", "加强车辆管理" },
    { "security", "access", "外来人员随意进出", "%s门禁形同虚设,陌生人随便进出,发小广告的很多。", "加强门岗管理" },
    { "security", "theft", "电动车被盗", "%s楼下车棚的电动车被偷了,监控却说看不清。", "调取监控,协助报警,加强巡逻" },
    { "security", "conduct", "保安态度恶劣", "%s门口保安说话很冲,还和业主吵起来。", "处理当事人并道歉" },
    { "environment", "cleaning", "楼道卫生差", "%s楼道好几天没人打扫,垃圾和灰尘很多。", "按标准保洁" },
    { "environment", "garbage", "垃圾清运不及时", "%s垃圾桶满了两天没人清运,夏天臭味很大,还招苍蝇。", "每天按时清运" },
    { "environment", "greening", "绿化带无人修剪", "%s旁边的绿化带杂草丛生,树枝挡住窗户。", "修剪绿化" },
    { "environment", "noise", "夜间噪音扰民", "%s附近商铺夜里噪音很大,凌晨还在搬货。", "协调商铺控制噪音" },
    { "environment", "pests", "老鼠蟑螂多", "%s地下室老鼠蟑螂很多,已经爬到家里来了。", "尽快消杀" },
    { "general", "fees", "物业费收费有疑问", "%s本月物业费比上月多收了一百二十元,客服解释不清楚。", "核对账单,多收部分退还" },
    { "general", "fees", "停车费上涨", "%s停车费突然上涨,没有经过业主大会讨论。", "公示收费依据" },
    { "general", "clubhouse", "会所开放时间缩短", "%s会所游泳池开放时间缩短了,却没有通知。", "恢复原开放时间" },
    { "service", "attitude", "客服推诿", "%s反映问题时客服一直推给别的部门,没人负责。", "明确责任人并跟进" },
    { "service", "efficiency", "报修一周无人处理", "%s报修水龙头漏水一周了,一直说在排期。", "今天内上门维修" },
    { "dispute", "pets", "邻居狗吠扰民", "%s邻居养的狗每天晚上叫,影响睡眠,沟通无果。", "物业出面协调" },
    { "dispute", "neighbour_noise", "广场舞噪音", "%s楼下广场舞音响声音太大,每天晚上持续两个小时。", "限制音量和时间" },
    { "dispute", "neighbour_leak", "楼上装修导致漏水", "%s楼上装修把防水层破坏了,我家卫生间天花板漏水。", "协调楼上维修并赔偿" },
    { "developer", "quality", "墙体开裂", "%s交房不到两年,客厅墙体出现多条裂缝。", "开发商鉴定并维修" },
    { "developer", "sales", "配套承诺未兑现", "%s买房时承诺的幼儿园至今没有建,售楼处不给答复。", "兑现销售承诺" },
    { "developer", "title", "产权证迟迟未办", "%s交房三年了产权证还没办下来。", "给出办证时间表" },
    { "other", "utilities", "燃气压力不足", "%s燃气火很小,做饭很慢,燃气公司说是小区管道问题。", "协调燃气公司处理" },
    { "other", "telecom", "宽带信号差", "%s宽带经常断线,运营商说是小区线路问题。", "协调运营商检修" },
};

static const unsigned story_weights[] = {
    8, 5, 4, 4, 4, 3, 5, 3, 3, 3, 4, 3, 2, 2, 5, 4, 2, 3, 2, 4, 2, 1, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1,
};

static const char *const asides[] = {
    "", "", "", "已经是第二次反映了。", "希望尽快给个答复。", "家里有老人和小孩。",
    "之前打过400电话也没人回。", "如果再不处理就要向媒体反映。", "邻居们也有同样的问题。",
    "请物业负责人亲自联系我。",
};

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
};
static const char *const given[] = {
    "先生", "女士", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
    "杰", "娟", "涛", "明", "超", "秀英", "华", "慧", "建国", "桂兰", "志强", "晓燕",
};

static const char *const channels[] = { "phone", "visit", "letter", "email", "web",
                                        "wechat", "media", "government", "internal" };
static const unsigned channel_weights[] = { 40, 15, 3, 5, 12, 12, 3, 5, 5 };
static const char *const kinds[] = { "complaint", "inquiry", "suggestion", "repair", "claim" };
static const unsigned kind_weights[] = { 60, 10, 10, 15, 5 };
static const char *const roles[] = { "owner", "tenant", "prospect", "other" };
static const unsigned role_weights[] = { 80, 12, 3, 5 };

/* Every demo project has these departments (DOMAIN §5). */
static const struct { const char *code, *name; } departments[] = {
    { "service", "客服部" },
    { "engineering", "工程部" },
    { "security", "秩序部" },
    { "environment", "环境部" },
};

/* The company's dispatch catalogue for the property categories: which department handles what. */
static const struct { const char *category, *department; } dispatch[] = {
    { "building", "engineering" }, { "equipment", "engineering" }, { "security", "security" },
    { "environment", "environment" }, { "service", "service" }, { "general", "service" },
    { "dispute", "service" }, { "developer", "engineering" }, { "other", "service" },
};

/*
 * The dispatch rules for every project, when the categories are the
 * property preset's; a category that is not there is skipped, and a rule
 * already set (a second run, or an administrator's) is kept.
 */
static int
add_dispatch_rules(struct store *st, struct arena *a, struct err *e)
{
    struct category *cats;
    struct dispatch_rule *rules;
    const char *preset;
    size_t n_cats, n_rules;

    if (st->ops->category_list(st, a, &preset, &cats, &n_cats, e) < 0 ||
        st->ops->dispatch_list(st, a, &rules, &n_rules, e) < 0)
        return -1;
    if (preset == NULL || strcmp(preset, "property") != 0)
        return 0;
    for (size_t i = 0; i < ARRAY_LEN(dispatch); i++) {
        bool exists = false, set = false;
        for (size_t c = 0; c < n_cats && !exists; c++)
            exists = strcmp(cats[c].code, dispatch[i].category) == 0;
        for (size_t r = 0; r < n_rules && !set; r++)
            set = rules[r].project == NULL && strcmp(rules[r].category, dispatch[i].category) == 0;
        if (exists && !set &&
            st->ops->dispatch_put(st, dispatch[i].category, NULL, dispatch[i].department, e) < 0)
            return -1;
    }
    return 0;
}

static int
add_reference_data(struct store *st, int64_t now, struct arena *a, struct err *e)
{
    char name[32];
    struct err mine;

    /* reference data already there (a second run) is kept */
#define KEEP(call)                                                                            \
    do {                                                                                      \
        mine = (struct err){ 0 };                                                             \
        if ((call) < 0 && mine.code != ERR_CONFLICT) {                                        \
            *e = mine;                                                                        \
            return -1;                                                                        \
        }                                                                                     \
    } while (0)

    for (size_t p = 0; p < sizeof(projects) / sizeof(projects[0]); p++) {
        KEEP(st->ops->project_add(st, projects[p].code, projects[p].name, NULL, now, &mine));
        for (size_t d = 0; d < ARRAY_LEN(departments); d++)
            KEEP(st->ops->department_add(st, projects[p].code, departments[d].code,
                                         departments[d].name, &mine));
        for (int b = 1; b <= projects[p].buildings; b++) {
            snprintf(name, sizeof(name), "%d栋", b);
            KEEP(st->ops->building_add(st, projects[p].code, name, b, &mine));
            for (int entrance = 1; entrance <= 2; entrance++)
                for (int floor = 1; floor <= 18; floor++)
                    for (int room = 1; room <= 4; room++) {
                        char unit[64];
                        snprintf(unit, sizeof(unit), "%d单元%d%02d", entrance, floor, room);
                        KEEP(st->ops->unit_add(st, projects[p].code, name, unit, &mine));
                    }
            arena_reset(a);
        }
    }
#undef KEEP
    return add_dispatch_rules(st, a, e);
}

/*
 * The demo staff's one password: KESU_DEMO_PASSWORD, checked against the
 * policy for every demo login, or generated into `shown` (at least 21
 * bytes) to be printed once. Hashed once for all twelve: argon2id costs
 * about 0.1 s, and the API tests run `kesu demo` for every server they start.
 */
static int
demo_password(char hash[PASSWORD_HASH_MAX], char *shown, struct err *e)
{
    const char *env = getenv("KESU_DEMO_PASSWORD");
    bool fits;

    shown[0] = '\0';
    if (env != NULL) {
        for (size_t i = 0; i < ARRAY_LEN(staff); i++)
            if (core_password_check(env, staff[i].login, e) < 0)
                return -1;
        return password_hash(env, hash, e);
    }
    do {
        password_generate(shown, 20);
        fits = true;
        for (size_t i = 0; i < ARRAY_LEN(staff) && fits; i++) {
            struct err ignored = { 0 };
            fits = core_password_check(shown, staff[i].login, &ignored) == 0;
        }
    } while (!fits);     /* a random 20 characters that spell a login: once in a million runs */
    return password_hash(shown, hash, e);
}

/*
 * The demo staff, their roles and `hash` as password, each change in the
 * audit log as `kesu user add` records it. An account already there (a
 * second run) keeps its password; made[i] says whether staff[i] was
 * created now.
 */
static int
add_staff(struct store *st, const char *hash, int64_t now, bool made[], struct err *e)
{
    for (size_t i = 0; i < ARRAY_LEN(staff); i++) {
        struct staff_new in = { .login = staff[i].login, .name = staff[i].name,
                                .password_hash = hash };
        struct membership m = { .role = staff[i].role, .project = staff[i].project };
        struct err mine = { 0 };

        made[i] = st->ops->staff_add(st, &in, now, &mine) == 0;
        if (made[i]) {
            if (cli_audit_append(st, "user.add", in.login, NULL, now, e) < 0)
                return -1;
        } else if (mine.code != ERR_CONFLICT) {
            *e = mine;
            return -1;
        }
        mine = (struct err){ 0 };
        if (st->ops->membership_add(st, in.login, &m, &mine) == 0) {
            if (cli_audit_role(st, in.login, &m, now, e) < 0)
                return -1;
        } else if (mine.code != ERR_CONFLICT) {
            *e = mine;
            return -1;
        }
    }
    return 0;
}

/* Who can sign in now, as what, and with which password (shown once). */
static void
print_accounts(const bool made[], const char *shown)
{
    size_t n = 0;

    for (size_t i = 0; i < ARRAY_LEN(staff); i++)
        n += made[i];
    if (n == 0)
        return;
    fputs(cli_text(MSG_DEMO_ACCOUNTS), stdout);
    for (size_t i = 0; i < ARRAY_LEN(staff); i++) {
        char role[32];
        if (!made[i])
            continue;
        snprintf(role, sizeof(role), "%s%s%s", staff[i].role, staff[i].project ? "@" : "",
                 staff[i].project ? staff[i].project : "");
        printf(cli_text(MSG_DEMO_ACCOUNT), staff[i].login, staff[i].name, role);
    }
    if (shown[0] != '\0')
        printf(cli_text(MSG_DEMO_PASSWORD), shown);
    else
        fputs(cli_text(MSG_DEMO_PASSWORD_ENV), stdout);
}

/* A person of the pool: the same index always gives the same name and phone. */
static void
person(uint64_t idx, char *name, size_t name_size, char *phone, size_t phone_size)
{
    static const char *const prefixes[] = { "139", "138", "137", "136", "135", "186", "158",
                                            "188", "150", "131", "177", "199" };
    uint64_t h = idx * 0x9E3779B97F4A7C15ULL;
    /* 73 is prime to 10^8, so idx -> subscriber is one-to-one within a prefix */
    uint64_t sub = (idx / 12 * 73 + 12345) % 100000000ULL;

    snprintf(name, name_size, "%s%s", surnames[(h >> 8) % 30], given[(h >> 24) % 26]);
    snprintf(phone, phone_size, "%s%08llu", prefixes[idx % 12], (unsigned long long)sub);
}

struct demo_ctx {
    uint64_t rng;
    int64_t start, span;
    long n;
    uint64_t pool;           /* how many different people complain */
};

static void
make_complaint(struct demo_ctx *d, long i, struct arena *a, struct complaint_new *c,
               int64_t *registered_at)
{
    const struct story *s = &stories[weighted(&d->rng, story_weights, ARRAY_LEN(story_weights))];
    const struct demo_project *p = &projects[pick(&d->rng, 3)];
    int building = 1 + (int)pick(&d->rng, (unsigned)p->buildings);
    char name[32], phone[16];
    const char *where;
    unsigned r;

    core_complaint_new_init(c);
    c->channel = channels[weighted(&d->rng, channel_weights, ARRAY_LEN(channel_weights))];
    c->kind = kinds[weighted(&d->rng, kind_weights, ARRAY_LEN(kind_weights))];
    c->project = p->code;
    c->building = arena_printf(a, "%d栋", building);
    c->unit = arena_printf(a, "%u单元%u%02u", 1 + pick(&d->rng, 2), 1 + pick(&d->rng, 18),
                           1 + pick(&d->rng, 4));
    where = arena_printf(a, "%s%s%s", p->name, c->building, c->unit);
    c->subject = s->subject;
    c->content = arena_printf(a, s->content, where);
    c->content = arena_printf(a, "%s%s", c->content, asides[pick(&d->rng, ARRAY_LEN(asides))]);
    c->demands = s->demands;
    c->category = s->category;
    c->subcategory = s->subcategory;
    c->received_by = c->channel[0] == 'p' || c->channel[0] == 'v'
                         ? staff[pick(&d->rng, ARRAY_LEN(staff))].login
                         : NULL;
    /* registration order follows time: complaint i falls in slice i of the period */
    c->received_at = d->start + (int64_t)((double)d->span * (double)i / (double)d->n);
    c->received_at -= c->received_at % 60;
    c->has_received_at = true;
    *registered_at = c->received_at + 60 * (int64_t)pick(&d->rng, 20);
    person(next_rand(&d->rng) % d->pool, name, sizeof(name), phone, sizeof(phone));
    c->complainant.anonymous = pick(&d->rng, 100) < 2;
    if (!c->complainant.anonymous) {
        c->complainant.name = arena_strdup(a, name);
        c->complainant.phone = arena_strdup(a, phone);
    }
    c->complainant.role = roles[weighted(&d->rng, role_weights, ARRAY_LEN(role_weights))];
    r = pick(&d->rng, 1000);
    c->headcount = r < 920 ? 1 : r < 970 ? 2 + (int)pick(&d->rng, 4)
                 : r < 990 ? 3 + (int)pick(&d->rng, 7) : 10 + (int)pick(&d->rng, 21);
    if (pick(&d->rng, 100) == 0)
        c->flags |= CORE_FLAG_INJURY;
    if (pick(&d->rng, 100) == 0)
        c->flags |= CORE_FLAG_MEDIA;
    if (pick(&d->rng, 50) == 0)
        c->flags |= CORE_FLAG_THREAT_MEDIA;
    if (pick(&d->rng, 200) == 0)
        c->flags |= CORE_FLAG_LAWSUIT;
    if (pick(&d->rng, 50) == 0)
        c->flags |= CORE_FLAG_VIP;
    if (pick(&d->rng, 33) == 0) {
        c->has_loss = true;
        c->loss_fen = 100 * (50 + (int64_t)pick(&d->rng, 20000));
    }
}

static const char *const notes[] = {
    "已电话联系业主,约定明天上午上门查看。",
    "已派维修人员到现场,正在排查原因。",
    "与相关部门沟通中,预计三个工作日内答复。",
};
static const char *const replies[] = {
    "您好,您反映的问题我们已经受理,维修人员将尽快与您联系。",
    "您好,经现场查看,问题已安排处理,处理结果将及时告知您。",
};

static int
add_follow_events(struct store *st, struct demo_ctx *d, const struct complaint *c,
                  struct arena *a, struct err *e)
{
    struct event *ev;
    struct event_new in = { .complaint_id = c->id, .at = c->registered_at };
    unsigned r = pick(&d->rng, 10);

    if (r >= 5)
        return 0;
    in.type = "note";
    in.visibility = "internal";
    in.author = staff[pick(&d->rng, ARRAY_LEN(staff))].login;
    in.text = notes[pick(&d->rng, ARRAY_LEN(notes))];
    in.at += 1800 + 60 * (int64_t)pick(&d->rng, 600);
    if (st->ops->event_append(st, &in, a, &ev, e) < 0)
        return -1;
    if (r >= 3)
        return 0;
    in.type = "reply";
    in.visibility = "customer";
    in.text = replies[pick(&d->rng, ARRAY_LEN(replies))];
    in.at += 3600;
    return st->ops->event_append(st, &in, a, &ev, e);
}

static int
add_complaints(struct store *st, const struct config *cfg, struct demo_ctx *d, struct err *e)
{
    struct arena *a = arena_new(1 << 20);
    long done = 0, next_report = d->n / 10;
    int rc = -1;

    if (a == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "demo arena");
    while (done < d->n) {
        long end = done + DEMO_BATCH < d->n ? done + DEMO_BATCH : d->n;
        if (store_tx_begin(st, e) < 0)
            goto out;
        for (; done < end; done++) {
            struct complaint_new c;
            struct complaint *made;
            int64_t registered_at;
            arena_reset(a);
            make_complaint(d, done, a, &c, &registered_at);
            if (st->ops->complaint_create(st, &c, cfg->number_prefix, cfg->tz_offset_min,
                                          registered_at, a, &made, e) < 0 ||
                add_follow_events(st, d, made, a, e) < 0) {
                store_tx_rollback(st);
                goto out;
            }
        }
        if (store_tx_commit(st, e) < 0) {
            store_tx_rollback(st);
            goto out;
        }
        if (done >= next_report && d->n >= 10000) {
            fprintf(stderr, cli_text(MSG_DEMO_PROGRESS), done, d->n, done * 100 / d->n);
            next_report += d->n / 10;
        }
    }
    rc = 0;
out:
    arena_free(a);
    return rc;
}

static int
parse_count(const char *s, long max, long *out)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || n < 0 || n > max)
        return -1;
    *out = n;
    return 0;
}

int
cli_demo(int argc, char **argv)
{
    static const char *const extra[] = { "--complaints", "--seed", "--now", NULL };
    const char *values[3];
    struct config cfg;
    struct err e = { 0 };
    struct demo_ctx d = { 0 };
    struct store *st = NULL;
    struct arena *a = NULL;
    char hash[PASSWORD_HASH_MAX], shown[32];
    bool made[ARRAY_LEN(staff)];
    long seed = 1;
    int64_t now;
    int rc, version = 0;

    rc = cli_options(argc, argv, cli_text(MSG_USAGE_DEMO), extra, values, &cfg);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    d.n = 2000;
    if (values[0] && parse_count(values[0], 10000000, &d.n) < 0) {
        fputs(cli_text(MSG_COUNT_RANGE), stderr);
        return 2;
    }
    if (values[1] && parse_count(values[1], 2147483647L, &seed) < 0) {
        fputs(cli_text(MSG_SEED_RANGE), stderr);
        return 2;
    }
    now = ts_now() + cfg.clock_offset;
    if (values[2] && ts_parse(values[2], strlen(values[2]), cfg.tz_offset_min, &now, NULL,
                              "--now", &e) < 0) {
        cli_error("--now", &e);
        return 2;
    }
    /* before anything is written: a password the policy refuses stops the run */
    if (demo_password(hash, shown, &e) < 0) {
        cli_error("KESU_DEMO_PASSWORD", &e);
        return 1;
    }
    st = store_open(cfg.db_path, &e);
    if (st == NULL || st->ops->health(st, &version, &e) < 0)
        goto fail;
    if (version != STORE_SCHEMA_VERSION) {
        fprintf(stderr, cli_text(MSG_NOT_INITIALISED), cfg.db_path, cfg.db_path);
        rc = 1;
        goto out;
    }
    a = arena_new(1 << 20);
    if (a == NULL) {
        err_set(&e, ERR_NOMEM, NULL, "nomem", "demo");
        goto fail;
    }
    /* a generator: if it dies half-way, run it again; durability returns at the end */
    if (st->ops->set_durable(st, false, &e) < 0 || store_tx_begin(st, &e) < 0)
        goto fail;
    if (add_reference_data(st, now, a, &e) < 0 || add_staff(st, hash, now, made, &e) < 0 ||
        store_tx_commit(st, &e) < 0) {
        store_tx_rollback(st);
        goto fail;
    }
    d.rng = (uint64_t)seed;
    d.span = 365 * 86400;
    d.start = now - d.span;
    d.pool = d.n > 10 ? (uint64_t)(d.n * 7 / 10) : 10;
    if (add_complaints(st, &cfg, &d, &e) < 0 || st->ops->set_durable(st, true, &e) < 0 ||
        st->ops->maintain(st, &e) < 0)
        goto fail;
    printf(cli_text(MSG_DEMO_DONE), cfg.db_path, ARRAY_LEN(staff), d.n);
    print_accounts(made, shown);
    rc = 0;
    goto out;
fail:
    cli_error("demo", &e);
    rc = 1;
out:
    sodium_memzero(shown, sizeof(shown));
    sodium_memzero(hash, sizeof(hash));
    arena_free(a);
    store_close(st);
    return rc;
}
