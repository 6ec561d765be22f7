"""The demo city's data, kept as plain lists so that it can be edited without touching the builder.

Sources: the administrative divisions of Pingdingshan (平顶山市, area code 410400) as published at the
end of 2019 and updated where later changes are known (RULES.md § Pingdingshan). Township codes follow
the national statistical convention (街道 0xx, 镇 1xx, 乡 2xx, other township-level units 4xx) but are
not the official nine-digit codes. The two functional zones carry the statistical codes 410471 and
410472 (they have no GB/T 2260 area code). Everything else (people, posts, documents) is invented.
"""
import datetime as dt

SEED = 2022
# The demo's "today": appointments, ranks and ages are computed against this fixed date so that two runs
# on different days produce the same data (the builder uses the real date instead if it is earlier).
AS_OF = dt.date(2026, 6, 30)
# 职务与职级并行 took effect on 2019-06-01: every rank record starts on or after that day.
RANK_REFORM = dt.date(2019, 6, 1)

ROOT_CODE = "410400"

# --------------------------------------------------------------------------- posts
# (name, kind, level, quota, is_chief); levels: 6 厅局级正职 … 1 乡科级副职 (cadres.models.PostLevel).
CITY_POSTS = [
    ("市委书记", "party_gov_chief", 6, 1, True),
    ("市长", "party_gov_chief", 6, 1, True),
    ("市委副书记", "fulltime_deputy_secretary", 5, 1, False),
    ("常务副市长", "executive_deputy", 5, 1, False),
    ("市委常委", "standing_committee", 5, 8, False),
    ("副市长", "deputy", 5, 6, False),
]


def county_posts(p: str):
    """The leadership of a county (p="县"), district ("区") or county-level city ("市")."""
    return [
        (f"{p}委书记", "party_gov_chief", 4, 1, True),
        (f"{p}长", "party_gov_chief", 4, 1, True),
        (f"{p}委副书记", "fulltime_deputy_secretary", 3, 1, False),
        (f"常务副{p}长", "executive_deputy", 3, 1, False),
        (f"{p}委常委", "standing_committee", 3, 7, False),
        (f"副{p}长", "deputy", 3, 5, False),
    ]


ZONE_POSTS = [
    ("党工委书记", "party_gov_chief", 4, 1, True),
    ("管委会主任", "party_gov_chief", 4, 1, True),
    ("党工委副书记", "fulltime_deputy_secretary", 3, 1, False),
    ("管委会常务副主任", "executive_deputy", 3, 1, False),
    ("党工委委员", "standing_committee", 3, 4, False),
    ("管委会副主任", "deputy", 3, 4, False),
]


def township_posts(kind: str):
    if kind == "subdistrict":
        secretary, head, deputy_head, committee = "党工委书记", "办事处主任", "办事处副主任", "党工委委员"
        deputy_secretary = "党工委副书记"
    elif kind == "zone":  # a township-level zone such as 观音堂林业生态旅游示范区
        return [
            ("党工委书记", "party_gov_chief", 2, 1, True),
            ("管委会主任", "party_gov_chief", 2, 1, True),
            ("管委会副主任", "deputy", 1, 3, False),
        ]
    else:
        word = "镇" if kind == "town" else "乡"
        secretary, head, deputy_head, committee = "党委书记", f"{word}长", f"副{word}长", "党委委员"
        deputy_secretary = "党委副书记"
    return [
        (secretary, "party_gov_chief", 2, 1, True),
        (head, "party_gov_chief", 2, 1, True),
        (deputy_secretary, "fulltime_deputy_secretary", 1, 1, False),
        (committee, "standing_committee", 1, 3, False),
        (deputy_head, "deputy", 1, 4, False),
    ]


def department_posts(chief: str, deputy: str, deputies: int, sections: int, *, level: int, executive: bool = False):
    """A department: its head (正职), deputies and, for city departments, section heads (科长/副科长)."""
    posts = [(chief, "party_gov_chief", level, 1, True)]
    if executive:
        posts.append((f"常务{deputy}", "executive_deputy", level, 1, False))
    posts.append((deputy, "deputy", level - 1, deputies, False))
    if sections:
        posts.append(("科长", "section_chief", level - 2, sections, False))
        posts.append(("副科长", "section_deputy", level - 3, max(2, sections - 1), False))
    return posts


# --------------------------------------------------------------------------- city departments
# (name, short name, kind, establishment, chief title, deputy title, deputies, sections)
CITY_DEPARTMENTS = [
    ("市委办公室", "市委办", "party_dept", 80, "主任", "副主任", 4, 6),
    ("市委组织部", "组织部", "party_dept", 70, "部长", "副部长", 3, 6),
    ("市委宣传部", "宣传部", "party_dept", 50, "部长", "副部长", 3, 5),
    ("市委统战部", "统战部", "party_dept", 40, "部长", "副部长", 3, 4),
    ("市委政法委", "政法委", "party_dept", 40, "书记", "副书记", 3, 4),
    ("市纪委监委", "纪委监委", "party_dept", 150, "书记", "副书记", 4, 10),
    ("市委机构编制委员会办公室", "编办", "party_dept", 25, "主任", "副主任", 2, 3),
    ("市委政策研究室", "政研室", "party_dept", 25, "主任", "副主任", 2, 3),
    ("市委网络安全和信息化委员会办公室", "网信办", "party_dept", 25, "主任", "副主任", 2, 3),
    ("市政府办公室", "政府办", "gov_dept", 90, "主任", "副主任", 5, 6),
    ("市发展和改革委员会", "发改委", "gov_dept", 90, "主任", "副主任", 4, 8),
    ("市教育局", "教育局", "gov_dept", 70, "局长", "副局长", 4, 6),
    ("市科学技术局", "科技局", "gov_dept", 40, "局长", "副局长", 3, 4),
    ("市工业和信息化局", "工信局", "gov_dept", 60, "局长", "副局长", 4, 6),
    ("市公安局", "公安局", "gov_dept", 200, "局长", "副局长", 5, 10),
    ("市民政局", "民政局", "gov_dept", 50, "局长", "副局长", 3, 5),
    ("市司法局", "司法局", "gov_dept", 50, "局长", "副局长", 3, 5),
    ("市财政局", "财政局", "gov_dept", 90, "局长", "副局长", 4, 8),
    ("市人力资源和社会保障局", "人社局", "gov_dept", 80, "局长", "副局长", 4, 7),
    ("市自然资源和规划局", "自然资源和规划局", "gov_dept", 90, "局长", "副局长", 4, 8),
    ("市生态环境局", "生态环境局", "gov_dept", 60, "局长", "副局长", 4, 6),
    ("市住房和城乡建设局", "住建局", "gov_dept", 80, "局长", "副局长", 4, 7),
    ("市城市管理局", "城管局", "gov_dept", 60, "局长", "副局长", 4, 5),
    ("市交通运输局", "交通运输局", "gov_dept", 60, "局长", "副局长", 4, 6),
    ("市水利局", "水利局", "gov_dept", 50, "局长", "副局长", 3, 5),
    ("市农业农村局", "农业农村局", "gov_dept", 80, "局长", "副局长", 4, 7),
    ("市商务局", "商务局", "gov_dept", 45, "局长", "副局长", 3, 5),
    ("市文化广电和旅游局", "文广旅局", "gov_dept", 55, "局长", "副局长", 3, 5),
    ("市卫生健康委员会", "卫健委", "gov_dept", 70, "主任", "副主任", 4, 6),
    ("市退役军人事务局", "退役军人事务局", "gov_dept", 35, "局长", "副局长", 3, 4),
    ("市应急管理局", "应急管理局", "gov_dept", 50, "局长", "副局长", 3, 5),
    ("市审计局", "审计局", "gov_dept", 55, "局长", "副局长", 3, 6),
    ("市国资委", "国资委", "gov_dept", 35, "主任", "副主任", 3, 4),
    ("市市场监督管理局", "市场监管局", "gov_dept", 90, "局长", "副局长", 4, 7),
    ("市统计局", "统计局", "gov_dept", 35, "局长", "副局长", 3, 4),
    ("市医疗保障局", "医保局", "gov_dept", 35, "局长", "副局长", 3, 4),
    ("市信访局", "信访局", "gov_dept", 30, "局长", "副局长", 3, 3),
]
# The organisation department has a full-time executive deputy head (常务副部长, 正县级).
EXECUTIVE_DEPUTY_DEPARTMENTS = {"市委组织部"}

# City-level public institutions and state enterprises: (name, short name, kind, establishment, posts).
# Their staff hold no civil-service rank (综合管理类职级), so they get no rank quotas.
CITY_INSTITUTIONS = [
    ("平顶山市第一人民医院", "市一院", "institution", 40, [
        ("党委书记", "party_gov_chief", 4, 1, True), ("院长", "party_gov_chief", 4, 1, True),
        ("副院长", "deputy", 3, 4, False), ("科室主任", "section_chief", 2, 8, False),
        ("科室副主任", "section_deputy", 1, 6, False)]),
    ("平顶山市第二人民医院", "市二院", "institution", 30, [
        ("党委书记", "party_gov_chief", 4, 1, True), ("院长", "party_gov_chief", 4, 1, True),
        ("副院长", "deputy", 3, 3, False), ("科室主任", "section_chief", 2, 6, False),
        ("科室副主任", "section_deputy", 1, 4, False)]),
    ("平顶山市中医医院", "市中医院", "institution", 25, [
        ("党委书记", "party_gov_chief", 4, 1, True), ("院长", "party_gov_chief", 4, 1, True),
        ("副院长", "deputy", 3, 3, False), ("科室主任", "section_chief", 2, 5, False)]),
    ("平顶山市第一高级中学", "市一高", "institution", 20, [
        ("党委书记", "party_gov_chief", 3, 1, True), ("校长", "party_gov_chief", 3, 1, True),
        ("副校长", "deputy", 2, 3, False), ("处室主任", "section_chief", 1, 5, False)]),
    ("平顶山市城乡建设投资集团有限公司", "城投集团", "enterprise", 35, [
        ("党委书记、董事长", "party_gov_chief", 4, 1, True), ("总经理", "party_gov_chief", 4, 1, True),
        ("副总经理", "deputy", 3, 4, False), ("部门经理", "section_chief", 2, 6, False),
        ("部门副经理", "section_deputy", 1, 6, False)]),
    ("平顶山市发展投资控股集团有限公司", "发投集团", "enterprise", 35, [
        ("党委书记、董事长", "party_gov_chief", 4, 1, True), ("总经理", "party_gov_chief", 4, 1, True),
        ("副总经理", "deputy", 3, 4, False), ("部门经理", "section_chief", 2, 6, False),
        ("部门副经理", "section_deputy", 1, 6, False)]),
]

# --------------------------------------------------------------------------- counties, districts, zones
# key: area code. kind: county / district / county_city / zone. "p" is the word used in post names
# (县委书记 / 区委书记 / 市委书记). doc: the prefix of the county's documents (宝组干〔2023〕12号).
# id_areas: area codes for the ID numbers of people in the county-level unit and its departments.
COUNTIES = [
    {"code": "410402", "name": "新华区", "short": "新华", "kind": "district", "p": "区", "doc": "新",
     "townships": ["曙光街街道", "光明路街道", "中兴路街道", "矿工路街道", "西市场街道", "新新街街道",
                   "青石山街道", "湛河北路街道", "湖滨路街道", "西高皇街道", "焦店镇", "滍阳镇"]},
    {"code": "410403", "name": "卫东区", "short": "卫东", "kind": "district", "p": "区", "doc": "卫",
     "townships": ["东安路街道", "优越路街道", "五一路街道", "建设路街道", "东环路街道", "东工人镇街道",
                   "光华路街道", "鸿鹰街道", "皇台街道", "北环路街道", "东高皇街道", "蒲城街道", "申楼街道"]},
    {"code": "410404", "name": "石龙区", "short": "石龙", "kind": "district", "p": "区", "doc": "石",
     "townships": ["高庄街道", "龙兴街道", "人民路街道", "龙河街道"]},
    {"code": "410411", "name": "湛河区", "short": "湛河", "kind": "district", "p": "区", "doc": "湛",
     "townships": ["马庄街道", "南环路街道", "姚孟街道", "九里山街道", "轻工路街道", "高阳路街道",
                   "北渡街道", "荆山街道", "河滨街道", "曹镇乡"]},
    {"code": "410421", "name": "宝丰县", "short": "宝丰", "kind": "county", "p": "县", "doc": "宝",
     "townships": ["城关镇", "周庄镇", "闹店镇", "石桥镇", "商酒务镇", "大营镇", "张八桥镇", "杨庄镇",
                   "赵庄镇", "前营乡", "李庄乡", "肖旗乡", "观音堂林业生态旅游示范区"]},
    {"code": "410422", "name": "叶县", "short": "叶县", "kind": "county", "p": "县", "doc": "叶",
     "townships": ["昆阳街道", "九龙街道", "盐都街道", "任店镇", "保安镇", "仙台镇", "遵化店镇", "叶邑镇",
                   "廉村镇", "常村镇", "辛店镇", "洪庄杨镇", "龚店镇", "水寨乡", "龙泉乡", "邓李乡", "田庄乡",
                   "马庄回族乡", "夏李乡"]},
    {"code": "410423", "name": "鲁山县", "short": "鲁山", "kind": "county", "p": "县", "doc": "鲁",
     "townships": ["露峰街道", "琴台街道", "鲁阳街道", "汇源街道", "下汤镇", "梁洼镇", "张官营镇", "张良镇",
                   "尧山镇", "赵村镇", "瓦屋镇", "辛集乡", "张店乡", "董周乡", "马楼乡", "磙子营乡", "瀼河乡",
                   "熊背乡", "仓头乡", "四棵树乡", "团城乡", "观音寺乡", "背孜乡", "库区乡"]},
    {"code": "410425", "name": "郏县", "short": "郏县", "kind": "county", "p": "县", "doc": "郏",
     "townships": ["龙山街道", "东城街道", "冢头镇", "安良镇", "堂街镇", "薛店镇", "长桥镇", "茨芭镇",
                   "黄道镇", "李口镇", "渣园镇", "白庙镇", "王集乡", "广阔天地乡", "姚庄回族乡"]},
    {"code": "410481", "name": "舞钢市", "short": "舞钢", "kind": "county_city", "p": "市", "doc": "舞",
     "townships": ["垭口街道", "寺坡街道", "朱兰街道", "院岭街道", "矿建街道", "铁山街道", "红山街道",
                   "尚店镇", "八台镇", "尹集镇", "枣林镇", "庙街乡", "武功乡", "杨庄乡"]},
    {"code": "410482", "name": "汝州市", "short": "汝州", "kind": "county_city", "p": "市", "doc": "汝",
     "townships": ["煤山街道", "风穴路街道", "钟楼街道", "洗耳河街道", "汝南街道", "紫云路街道", "寄料镇",
                   "温泉镇", "临汝镇", "小屯镇", "杨楼镇", "蟒川镇", "庙下镇", "米庙镇", "陵头镇", "纸坊镇",
                   "大峪镇", "夏店镇", "焦村镇", "王寨乡", "骑岭乡"]},
]
ZONES = [
    {"code": "410471", "name": "平顶山国家高新技术产业开发区", "short": "高新区", "kind": "zone", "doc": "平高",
     "id_areas": ("410403", "410422", "410411")},
    {"code": "410472", "name": "平顶山市城乡一体化示范区", "short": "示范区", "kind": "zone", "doc": "平示",
     "id_areas": ("410402", "410411")},
]
# Townships that a functional zone manages on behalf of their district or county: (legal area, name) → zone.
ZONE_MANAGED = {
    ("410402", "湖滨路街道"): "410472",
    ("410402", "滍阳镇"): "410472",
    ("410403", "皇台街道"): "410471",
    ("410422", "遵化店镇"): "410471",
}
COUNTY_ESTABLISHMENT = 40
TOWNSHIP_ESTABLISHMENT = {"subdistrict": 40, "town": 50, "township": 45, "zone": 25}

# County departments: (name suffix, short name, chief title, deputy title, deputies, establishment).
# The full name is the county's name + suffix: 宝丰县 + 委组织部 → 宝丰县委组织部; 新华区 + 教育局 → 新华区教育局.
COUNTY_DEPARTMENTS = [
    ("委办公室", "委办", "主任", "副主任", 3, 30),
    ("委组织部", "组织部", "部长", "副部长", 3, 30),
    ("委宣传部", "宣传部", "部长", "副部长", 2, 20),
    ("纪委监委", "纪委监委", "书记", "副书记", 3, 45),
    ("人民政府办公室", "政府办", "主任", "副主任", 3, 30),
    ("发展和改革委员会", "发改委", "主任", "副主任", 3, 30),
    ("教育局", "教育局", "局长", "副局长", 3, 40),
    ("财政局", "财政局", "局长", "副局长", 3, 40),
    ("人力资源和社会保障局", "人社局", "局长", "副局长", 3, 35),
    ("农业农村局", "农业农村局", "局长", "副局长", 3, 40),
    ("住房和城乡建设局", "住建局", "局长", "副局长", 3, 35),
    ("卫生健康委员会", "卫健委", "主任", "副主任", 3, 35),
]
# Zone departments: (name suffix, chief title, deputy title, deputies, establishment); name = zone short + suffix.
ZONE_DEPARTMENTS = [
    ("党政办公室", "主任", "副主任", 2, 20),
    ("党群工作部", "部长", "副部长", 2, 20),
    ("经济发展局", "局长", "副局长", 2, 25),
    ("财政局", "局长", "副局长", 2, 20),
    ("规划建设局", "局长", "副局长", 2, 25),
    ("社会事业局", "局长", "副局长", 2, 20),
]

# Where the people of city-level units were born (weights roughly follow the population).
CITY_ID_AREAS = [("410402", 12), ("410403", 10), ("410404", 2), ("410411", 9), ("410421", 9), ("410422", 13),
                 ("410423", 13), ("410425", 9), ("410481", 5), ("410482", 16)]

# --------------------------------------------------------------------------- rank quotas (职级职数)
# Shares of a unit's establishment per rank order (3 一级调研员 … 10 四级主任科员); 一级/二级科员 have none.
# RULES.md: rank quotas are set per unit as shares of its establishment, configurable; these are the demo's.
RANK_SHARES = {
    "city": {3: 0.03, 4: 0.04, 5: 0.06, 6: 0.08, 7: 0.09, 8: 0.10, 9: 0.11, 10: 0.12},
    "grassroots": {5: 0.01, 6: 0.03, 7: 0.08, 8: 0.10, 9: 0.12, 10: 0.14},
}
ROOT_RANK_QUOTAS = {1: 2, 2: 16}
# Rank (by order) that a leader of a post level usually holds (RULES.md equivalence).
LEVEL_RANKS = {6: (1,), 5: (2,), 4: (3, 4), 3: (5, 6), 2: (7, 8), 1: (9, 10)}

# --------------------------------------------------------------------------- people
# Common surnames with rough weights (per mille of the population, a little Henan-flavoured).
SURNAMES = [
    ("王", 80), ("李", 78), ("张", 75), ("刘", 58), ("陈", 40), ("杨", 30), ("赵", 24), ("黄", 14), ("周", 17),
    ("吴", 15), ("徐", 15), ("孙", 17), ("马", 17), ("朱", 13), ("胡", 12), ("郭", 16), ("何", 8), ("林", 6),
    ("高", 14), ("罗", 6), ("郑", 9), ("梁", 8), ("谢", 6), ("宋", 10), ("唐", 6), ("许", 9), ("韩", 9),
    ("邓", 5), ("冯", 9), ("曹", 8), ("彭", 4), ("曾", 2), ("肖", 5), ("田", 8), ("董", 8), ("潘", 4),
    ("袁", 5), ("蔡", 4), ("蒋", 3), ("余", 3), ("于", 6), ("杜", 6), ("叶", 3), ("程", 6), ("魏", 7),
    ("苏", 5), ("吕", 6), ("丁", 5), ("任", 6), ("卢", 4), ("姚", 5), ("沈", 3), ("姜", 4), ("崔", 5),
    ("谭", 2), ("陆", 2), ("范", 5), ("汪", 2), ("石", 5), ("金", 3), ("贾", 6), ("夏", 4), ("付", 5),
    ("方", 3), ("白", 5), ("孟", 5), ("秦", 4), ("侯", 5), ("尹", 3), ("薛", 4), ("闫", 5), ("段", 4),
    ("雷", 3), ("史", 4), ("贺", 3), ("毛", 3), ("郝", 4), ("邵", 3), ("武", 4), ("常", 4), ("乔", 3),
    ("牛", 5), ("樊", 3), ("翟", 2), ("岳", 3), ("耿", 2), ("申", 2), ("宁", 2), ("娄", 2), ("聂", 2),
    ("葛", 2), ("柴", 2), ("焦", 2), ("靳", 2), ("鲁", 2), ("楚", 1), ("郜", 1), ("康", 3),
]
MALE_CHARS = ("伟 强 磊 军 勇 杰 涛 斌 超 明 辉 刚 健 鹏 飞 峰 亮 华 平 波 宇 浩 凯 鑫 洋 博 林 东 俊 龙 "
              "新 利 海 建 国 志 文 永 振 德 庆 胜 宏 卫 彬 力 中 昊 阳 晨 旭 毅 锋 坤 朋 松 成 义 民 忠 "
              "喜 保 安 学 兵 武 全 江 钢 帅 源 豪 然 睿 泽 航 铭 远 晓 红 春").split()
FEMALE_CHARS = ("芳 娜 敏 静 丽 艳 娟 霞 燕 玲 婷 雪 慧 莹 倩 琳 颖 洁 丹 萍 红 梅 兰 英 琴 云 璐 欣 悦 佳 "
                "晶 蕾 薇 菲 媛 妍 宁 月 楠 雅 茹 莉 萌 青 华 秀 桂 凤 玉 珍 淑 彩 晓 春 冰 爽 露 迪 瑶 "
                "琪 涵 怡 婧 岚 蓉 莎").split()
# Given names typical of a generation: (born up to 1975, born from 1988).
MALE_NAMES = (
    "建国 建军 国强 国庆 卫东 红军 志刚 建华 振华 保国 爱国 新民 国栋 德明 宏伟 庆丰 卫国 胜利 铁军 建平 "
    "建伟 国军 永强 国平 春生 国华 向阳 国富 长青 金山".split(),
    "浩然 子豪 宇航 一鸣 博文 泽宇 晨阳 俊杰 子轩 皓轩 梓豪 嘉豪 天宇 思远 宇轩 明哲 昊天 嘉伟 鹏飞 一帆".split(),
)
FEMALE_NAMES = (
    "秀英 桂英 秀兰 玉兰 桂兰 淑珍 凤英 秀珍 红梅 丽华 素珍 玉梅 爱华 红霞 淑芳 小红 秀云 建英 春梅 玉霞".split(),
    "欣怡 梦瑶 雨婷 思雨 佳琪 诗涵 雨欣 可欣 梓涵 子涵 欣然 静怡 雅婷 心怡 佳怡 梦洁 一诺 晨曦 语嫣 若曦".split(),
)
OTHER_ETHNICITIES = [("回族", 6), ("满族", 2), ("蒙古族", 1), ("壮族", 1), ("土家族", 1)]

# 籍贯: the county of the ID number for most people; otherwise one of these.
NATIVE_PLACE_OF_AREA = {
    "410402": "河南平顶山", "410403": "河南平顶山", "410404": "河南平顶山", "410411": "河南平顶山",
    "410421": "河南宝丰", "410422": "河南叶县", "410423": "河南鲁山", "410425": "河南郏县",
    "410481": "河南舞钢", "410482": "河南汝州",
}
OTHER_NATIVE_PLACES = [
    "河南襄城", "河南舞阳", "河南禹州", "河南方城", "河南许昌", "河南漯河", "河南南阳", "河南周口",
    "河南驻马店", "河南洛阳", "河南郑州", "河南开封", "河南商丘", "河南信阳", "河南汝阳", "河南伊川",
    "河南登封", "河南新乡", "河南焦作", "河南安阳", "山东菏泽", "河北邯郸", "安徽阜阳", "湖北襄阳", "山西晋城",
]
OTHER_CITIES = ["郑州市", "洛阳市", "许昌市", "漯河市", "南阳市", "周口市", "驻马店市", "开封市", "商丘市", "信阳市"]
MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
                   "158", "159", "166", "176", "177", "182", "183", "185", "186", "187", "188", "189", "199"]

# --------------------------------------------------------------------------- education
UNIVERSITIES = [
    ("郑州大学", 14), ("河南大学", 12), ("河南师范大学", 7), ("河南农业大学", 6), ("河南理工大学", 5),
    ("河南财经政法大学", 7), ("华北水利水电大学", 4), ("河南科技大学", 4), ("河南工业大学", 4), ("平顶山学院", 8),
    ("河南城建学院", 5), ("中原工学院", 3), ("信阳师范学院", 3), ("许昌学院", 3), ("南阳师范学院", 3),
    ("周口师范学院", 2), ("河南中医药大学", 2), ("新乡医学院", 2), ("武汉大学", 2), ("华中科技大学", 2),
    ("中国人民大学", 1), ("北京师范大学", 1), ("南开大学", 1), ("兰州大学", 1), ("西北大学", 1),
    ("中国矿业大学", 2), ("中南财经政法大学", 2), ("华中师范大学", 2),
]
COLLEGES = [("平顶山工业职业技术学院", 5), ("河南职业技术学院", 2), ("平顶山教育学院", 3), ("河南广播电视大学", 3),
            ("郑州铁路职业技术学院", 1), ("河南经贸职业学院", 2), ("许昌职业技术学院", 1)]
SECONDARY_SCHOOLS = [("平顶山市卫生学校", 1), ("河南省财经学校", 1), ("许昌农业学校", 1), ("平顶山市第一师范学校", 1),
                     ("河南省煤炭工业学校", 1)]
HIGH_SCHOOLS = [("宝丰县第一高级中学", 1), ("叶县高级中学", 1), ("鲁山县第一高级中学", 1), ("郏县第一高级中学", 1),
                ("平顶山市第一中学", 1)]
INSERVICE_SCHOOLS = [("中共河南省委党校", 5), ("中央党校", 2), ("郑州大学", 2), ("河南大学", 2), ("中共平顶山市委党校", 2)]
MAJORS = [
    ("汉语言文学", 10), ("法学", 10), ("经济学", 6), ("行政管理", 8), ("会计学", 6), ("计算机科学与技术", 6),
    ("土木工程", 4), ("农学", 4), ("思想政治教育", 5), ("历史学", 3), ("公共事业管理", 4), ("采矿工程", 2),
    ("机械工程", 3), ("工商管理", 5), ("金融学", 4), ("新闻学", 2), ("英语", 3), ("财务管理", 3),
    ("环境工程", 2), ("城乡规划", 2), ("临床医学", 2), ("数学与应用数学", 2), ("社会学", 2), ("水利水电工程", 2),
]
INSERVICE_MAJORS = [("经济管理", 4), ("法律", 3), ("行政管理", 3), ("公共管理", 3), ("政治学", 1), ("党政管理", 2)]

# --------------------------------------------------------------------------- careers, training, tags
# Earlier résumé lines: titles by the kind of unit, from the first job upwards.
TITLE_LADDERS = {
    "dept": ["科员", "副主任科员", "主任科员", "副科长", "科长"],
    "town": ["科员", "党政办副主任", "党政办主任", "副镇长", "党委委员、副镇长"],
    "township": ["科员", "党政办副主任", "党政办主任", "副乡长", "党委委员、副乡长"],
    "subdistrict": ["科员", "党政办副主任", "党政办主任", "办事处副主任", "党工委委员、办事处副主任"],
}
ARMY_LINES = ["中国人民解放军某部战士", "中国人民解放军某部班长", "武警河南总队某部战士", "中国人民解放军某部排长"]

TRAINING_COURSES = [
    ("中青年干部培训班", "中共平顶山市委党校", 160),
    ("县处级领导干部进修班", "中共河南省委党校", 200),
    ("乡科级干部任职培训班", "中共平顶山市委党校", 80),
    ("优秀年轻干部培训班", "中共河南省委党校", 120),
    ("习近平新时代中国特色社会主义思想专题培训班", "中共平顶山市委党校", 40),
    ("乡村振兴专题研讨班", "中国延安干部学院", 48),
    ("党务干部业务培训班", "平顶山市委组织部", 24),
    ("优化营商环境专题培训班", "中国浦东干部学院", 40),
    ("应急管理能力提升培训班", "中国井冈山干部学院", 40),
    ("领导干部依法行政专题培训班", "中共河南省委党校", 32),
    ("统计业务培训班", "平顶山市统计局", 16),
    ("数字政府建设专题培训班", "国家行政学院", 40),
]
TRAINING_RESULTS = ["合格", "合格", "合格", "优秀", "结业"]

TAG_NAMES = ["优秀年轻干部", "后备干部", "援疆援藏", "驻村第一书记", "退役军人", "选调生"]

# --------------------------------------------------------------------------- demo accounts
# (username, password, role or None for the superuser, unit code for a unit leader, display name).
# The passwords are fixed (demo only), long enough for the validators, not common, not numeric.
DEMO_USERS = [
    ("admin", "Pds-Admin-2026!", None, None, "系统管理员"),
    ("orgstaff", "Pds-Org-2026!", "org_staff", None, "组织部演示账号"),
    ("auditor", "Pds-Audit-2026!", "auditor", None, "审计演示账号"),
    ("baofeng_leader", "Pds-Baofeng-2026!", "unit_leader", "410421", "宝丰县单位领导演示账号"),
]
