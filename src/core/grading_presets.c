/*
 * The grading presets (DOMAIN §4): grades and the rules that imply them, as
 * shipped. A deployment's rules start as one of these and are then edited
 * as data; these tables only seed them.
 */
#include "core/grading.h"

#include <string.h>

#define END_LEVEL { NULL, NULL, NULL }
#define END_RULE { NULL, NULL, NULL, NULL, NULL }

/* Preset property (seed 001 §四): A 重大, B 重要, C 一般, D 意见或咨询. */
static const struct grade_level property_levels[] = {
    { "A", "重大投诉", "Major" },
    { "B", "重要投诉", "Important" },
    { "C", "一般投诉", "General" },
    { "D", "意见或咨询", "Opinion or inquiry" },
    END_LEVEL,
};

static const struct grade_rule_def property_rules[] = {
    { "A1", "A", "raised >= 2 and valid = 1",
      "承诺或合同约定的服务未提供或明显不足,客户两次以上提出仍未解决",
      "A promised or contracted service was not delivered and the customer raised it twice or more" },
    { "A2-injury", "A", "injury = 1",
      "给客户造成人身伤害", "Personal injury caused to the customer" },
    { "A2-loss", "A", "loss >= 10000",
      "给客户造成重大经济损失(一万元以上)", "Serious economic loss (10,000 yuan or more)" },
    { "A3", "A", "valid = 1 and unresolved_days >= 30",
      "有效投诉一个月内未合理解决", "A valid complaint not reasonably resolved within one month" },
    { "A4-lawsuit", "A", "lawsuit = 1",
      "已引发诉讼", "A lawsuit was started" },
    { "A4-media", "A", "media = 1",
      "已被媒体曝光", "Exposed by the media" },
    { "A5", "A", "headcount >= 10",
      "十人以上集体投诉", "A collective complaint of 10 or more people" },
    { "B1", "B", "headcount >= 3",
      "三至九人集体投诉", "A collective complaint of 3 to 9 people" },
    { "B2", "B", "similar_complainants >= 3",
      "一个月内三位以上不同客户的同类投诉", "The same complaint from 3 or more complainants within a month" },
    { "B3", "B", "headcount >= 3 and valid = 1 and unresolved_days >= 7",
      "集体投诉一周后仍未解决", "A collective complaint still unresolved a week later" },
    { "B4-media", "B", "threat_media = 1",
      "可能引发媒体曝光", "May lead to media exposure" },
    { "B4-lawsuit", "B", "threat_lawsuit = 1",
      "可能引发诉讼", "May lead to a lawsuit" },
    { "C1", "C", "complaint = 1",
      "管理、工程质量、设施、环境、制度、流程、态度或技能方面的不足",
      "Shortcomings in management, construction, facilities, environment, rules, attitude or skills" },
    END_RULE,
};

/* Preset realestate (seed 003): 重大 > 热点 > 重要 > 一般. */
static const struct grade_level realestate_levels[] = {
    { "major", "重大投诉", "Major" },
    { "hot", "热点投诉", "Hot issue" },
    { "important", "重要投诉", "Important" },
    { "general", "一般投诉", "General" },
    END_LEVEL,
};

static const struct grade_rule_def realestate_rules[] = {
    { "major-lawsuit", "major", "lawsuit = 1", "已引发诉讼", "A lawsuit was started" },
    { "major-media", "major", "media = 1", "已被媒体曝光", "Exposed by the media" },
    { "major-collective", "major", "headcount >= 10",
      "十人以上集体投诉", "A collective complaint of 10 or more people" },
    { "major-overdue", "major", "valid = 1 and unresolved_days >= 30",
      "因我方原因一个月后仍未解决", "Unresolved a month later through our fault" },
    { "hot-media", "hot", "threat_media = 1", "可能引发媒体曝光", "May lead to media exposure" },
    { "hot-lawsuit", "hot", "threat_lawsuit = 1", "可能引发诉讼", "May lead to a lawsuit" },
    { "hot-similar", "hot", "similar_complainants >= 3",
      "一个月内三位以上不同客户的同类投诉", "The same complaint from 3 or more complainants within a month" },
    { "hot-collective", "hot", "headcount >= 3",
      "三人以上集体投诉", "A collective complaint of 3 or more people" },
    { "hot-overdue", "hot", "valid = 1 and unresolved_days >= 7",
      "因我方原因一周后仍未解决", "Unresolved a week later through our fault" },
    { "important-reopened", "important", "reopenings >= 1",
      "关闭后的二次投诉", "A second complaint after closure" },
    END_RULE,
};

/* Preset three-level (seed 002 4.3): 重大 / 重要 / 轻微. */
static const struct grade_level three_levels[] = {
    { "major", "重大投诉", "Major" },
    { "important", "重要投诉", "Important" },
    { "minor", "轻微投诉", "Minor" },
    END_LEVEL,
};

static const struct grade_rule_def three_rules[] = {
    { "major-raised", "major", "raised >= 2 and valid = 1",
      "承诺或合同约定的服务未实施,经住户多次提出仍未解决",
      "A promised service not delivered, raised several times without resolution" },
    { "major-injury", "major", "injury = 1",
      "因公司责任给客户造成人身伤害", "Personal injury through the company's fault" },
    { "major-loss", "major", "loss >= 10000",
      "因公司责任给客户造成重大经济损失", "Serious economic loss through the company's fault" },
    { "major-overdue", "major", "valid = 1 and unresolved_days >= 30",
      "有效投诉一个月内得不到合理解决", "A valid complaint not reasonably resolved within a month" },
    { "important-fault", "important", "valid = 1 and complaint = 1",
      "因管理服务工作不到位、有过失引起的投诉", "Caused by a failure or fault of the management service" },
    { "important-collective", "important", "headcount >= 3",
      "三人以上集体投诉", "A collective complaint of 3 or more people" },
    END_RULE,
};

const struct grade_preset core_grade_presets[] = {
    { "property", property_levels, property_rules },
    { "realestate", realestate_levels, realestate_rules },
    { "three-level", three_levels, three_rules },
    { NULL, NULL, NULL },
};

const struct grade_preset *
core_grade_preset_find(const char *name)
{
    for (const struct grade_preset *p = core_grade_presets; name != NULL && p->name != NULL; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}
