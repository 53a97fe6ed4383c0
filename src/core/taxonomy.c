#include "core/taxonomy.h"

#include <string.h>

#define END { NULL, NULL, NULL, NULL, NULL, NULL }

static const struct taxonomy_entry property_building[] = {
    { "leak", "渗漏", "Leaks", "屋面、外墙、公共部位渗水漏水", "Water coming through roofs, walls, common parts", NULL },
    { "public_repair", "公共部位维修", "Common-area repairs", "楼梯间、走廊、大堂、道路等公共部位的维修", "Repairs of stairwells, corridors, lobbies, roads", NULL },
    { "illegal_building", "违章搭建", "Illegal construction", "违章搭建、私占公共部位", "Unauthorised structures, occupied common parts", NULL },
    { "renovation", "装修管理", "Renovation", "装修申报审批与监管", "Approval and supervision of renovations", NULL },
    END,
};
static const struct taxonomy_entry property_equipment[] = {
    { "lift", "电梯", "Lifts", "电梯故障、困人、维保(含外包)", "Lift faults, entrapment, maintenance (incl. outsourced)", NULL },
    { "water_supply", "给排水", "Water and drains", "供水、排水管道、水泵房", "Water supply, drain pipes, pump rooms", NULL },
    { "lighting", "公共照明", "Public lighting", "楼道灯、路灯等公共照明", "Stairwell and street lights", NULL },
    { "hvac", "空调供暖", "Air conditioning and heating", "中央空调、供暖、锅炉", "Central air conditioning, heating, boilers", NULL },
    { "fire", "消防设施", "Fire equipment", "消防设施设备", "Fire equipment", NULL },
    END,
};
static const struct taxonomy_entry property_security[] = {
    { "access", "门禁访客", "Access and visitors", "来访人员管理、门禁、物品放行", "Visitors, access control, goods moving out", NULL },
    { "vehicle", "车辆道路", "Vehicles and roads", "车辆停放、道路交通", "Parking and traffic", NULL },
    { "theft", "盗窃", "Theft", "失窃、治安案件", "Theft and crime", NULL },
    { "conduct", "秩序维护人员言行", "Guards' conduct", "保安言行,如夜间对讲机声音过大", "Guards' behaviour, e.g. loud walkie-talkies at night", NULL },
    END,
};
static const struct taxonomy_entry property_environment[] = {
    { "cleaning", "清洁卫生", "Cleaning", "公共区域清洁、外包保洁", "Cleaning of common areas, outsourced cleaners", NULL },
    { "greening", "绿化", "Greening", "绿化养护", "Care of green areas", NULL },
    { "garbage", "垃圾清运", "Garbage", "垃圾收集与清运", "Garbage collection and removal", NULL },
    { "pests", "消杀", "Pest control", "四害消杀", "Pest control", NULL },
    { "noise", "噪音", "Noise", "不属于其他类别的噪音", "Noise not attributable elsewhere", NULL },
    END,
};
static const struct taxonomy_entry property_service[] = {
    { "attitude", "服务态度", "Attitude", "员工态度冷漠、推诿", "Staff indifferent or evasive", NULL },
    { "efficiency", "办事效率", "Efficiency", "处理拖延、不及时", "Slow or late handling", NULL },
    END,
};
static const struct taxonomy_entry property_general[] = {
    { "fees", "收费", "Fees", "物业费、停车费等各类收费", "Management fees, parking fees and other charges", NULL },
    { "home_service", "家政服务", "Home services", "家政等有偿服务", "Paid home services", NULL },
    { "clubhouse", "会所", "Clubhouse", "会所及社区文化活动", "Clubhouse and community activities", NULL },
    { "shuttle", "班车", "Shuttle bus", "小区班车", "Estate shuttle bus", NULL },
    END,
};
static const struct taxonomy_entry property_dispute[] = {
    { "pets", "宠物", "Pets", "养狗等宠物纠纷", "Dogs and other pets", NULL },
    { "neighbour_noise", "邻里噪音", "Neighbours' noise", "健身、跳舞等噪音扰民", "Exercise or dancing noise", NULL },
    { "neighbour_leak", "邻里渗漏", "Leaks from neighbours", "邻居装修造成的渗漏", "Leaks caused by a neighbour's renovation", NULL },
    END,
};
static const struct taxonomy_entry property_developer[] = {
    { "quality", "房屋质量", "House quality", "房屋质量问题", "Defects of the house", NULL },
    { "design", "规划设计", "Planning and design", "规划设计与配套", "Planning, design and facilities", NULL },
    { "sales", "销售承诺", "Sales promises", "销售承诺未兑现", "Sales promises not kept", NULL },
    { "title", "产权办理", "Title deeds", "产权证办理", "Title deeds", NULL },
    END,
};
static const struct taxonomy_entry property_other[] = {
    { "utilities", "市政水电气", "Public utilities", "市政供水、供电、燃气、供暖", "Municipal water, power, gas, heating", NULL },
    { "telecom", "通信网络", "Telecom", "有线电视、宽带、电话", "Cable TV, broadband, telephone", NULL },
    { "government", "政府行为", "Government actions", "政府部门的行为", "Actions of government bodies", NULL },
    END,
};

static const struct taxonomy_entry property[] = {
    { "building", "房屋管理类", "Building management",
      "房屋公共部位(屋面、外墙、楼梯间、走廊、大堂、道路)的管理与维修,违章搭建,装修审批与监管",
      "Common parts of buildings (roofs, exterior walls, stairwells, corridors, lobbies, roads) and their repair; illegal construction; renovation approval and supervision",
      property_building },
    { "equipment", "设备管理类", "Equipment management",
      "共用设施设备:给排水、垃圾道、公共照明、天线、中央空调、供暖、锅炉房、水泵房、消防设备、电梯(含外包维保)",
      "Shared facilities: water and drain pipes, garbage chutes, public lighting, antennas, central air conditioning, heating, boiler and pump rooms, fire equipment, lifts (incl. outsourced maintenance)",
      property_equipment },
    { "security", "安全管理类", "Security management",
      "秩序与安全:来访人员、物品放行、车辆道路、消防安全、秩序维护人员言行、盗窃、突发事件",
      "Order and safety: visitors, goods moving out, vehicles and roads, fire safety, guards' conduct, theft, emergencies",
      property_security },
    { "environment", "环境管理类", "Environment management",
      "绿化、清洁、垃圾、消杀、商铺环境(油烟、占道经营)、不属于其他类别的噪音、外包保洁",
      "Greening, cleaning, garbage, pest control, shop environment (fumes, street stalls), noise not attributable elsewhere, outsourced cleaners",
      property_environment },
    { "service", "管理服务类", "Management service",
      "管理处或其员工有意或无意损害业主或公众利益",
      "The management office or its staff harmed owners or the public, deliberately or not",
      property_service },
    { "general", "综合服务类", "General services",
      "其他服务:家政、商务代理、社区文化、会所、班车、收费",
      "Other services: home services, business and agency services, community culture, clubhouse, shuttle bus, fees",
      property_general },
    { "dispute", "业户纠纷类", "Disputes between residents",
      "业户之间的纠纷:养狗、健身跳舞噪音、邻居装修渗漏、不文明行为",
      "Disputes between residents: dogs, exercise or dance noise, leaks from a neighbour's renovation, uncivil behaviour",
      property_dispute },
    { "developer", "地产相关类", "Developer related",
      "开发商的产品:房屋质量、配套设施、规划设计、销售承诺、产权办理",
      "The developer's product: house quality, facilities, planning and design, sales promises, title deeds",
      property_developer },
    { "other", "其它类", "Other",
      "非直接责任:市政水电气暖、有线电视、宽带、电话、交通、政府行为",
      "Outside direct responsibility: municipal water, power, gas, heating, cable, broadband, phone, transport, government actions",
      property_other },
    END,
};

static const struct taxonomy_entry realestate[] = {
    { "engineering", "工程质量", "Engineering quality", "房屋工程质量问题", "Defects in construction", NULL },
    { "design", "规划设计", "Planning and design", "规划设计与配套", "Planning, design and facilities", NULL },
    { "sales", "销售管理", "Sales management", "销售过程与承诺", "Sales process and promises", NULL },
    { "property", "物业管理", "Property management", "物业服务", "Property management services", NULL },
    { "service", "客户服务", "Customer service", "客户服务过程", "Customer service", NULL },
    { "other", "其他", "Other", "其他问题", "Anything else", NULL },
    END,
};

static const struct taxonomy_entry generic[] = {
    { "equipment", "设备", "Equipment", "设施设备问题", "Equipment and facilities", NULL },
    { "attitude", "服务态度", "Service attitude", "服务人员态度", "Attitude of staff", NULL },
    { "quality", "服务质量", "Service quality", "服务质量不达标", "Service below standard", NULL },
    { "emergency", "突发事件", "Emergencies", "突发事件处理", "Handling of emergencies", NULL },
    END,
};

static const struct taxonomy_entry hospital[] = {
    { "attitude", "服务态度与沟通", "Attitude and communication", "医务人员态度与沟通", "Attitude and communication of staff", NULL },
    { "medical", "医疗质量", "Medical quality", "诊疗质量与安全", "Quality and safety of treatment", NULL },
    { "nursing", "护理", "Nursing", "护理服务", "Nursing care", NULL },
    { "fees", "收费", "Fees", "医疗收费", "Medical fees", NULL },
    { "logistics", "后勤", "Logistics", "后勤保障、环境设施", "Facilities and support services", NULL },
    { "insurance", "医保", "Medical insurance", "医保报销与政策", "Medical insurance", NULL },
    { "pharmacy", "药事", "Pharmacy", "药品与药房服务", "Medicines and pharmacy", NULL },
    END,
};

const struct taxonomy_preset core_taxonomy_presets[] = {
    { "property", property },
    { "realestate", realestate },
    { "generic", generic },
    { "hospital", hospital },
    { NULL, NULL },
};

const struct taxonomy_preset *
core_taxonomy_find(const char *name)
{
    for (const struct taxonomy_preset *p = core_taxonomy_presets; p->name != NULL; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}
