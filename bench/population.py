"""Names and identifiers of the benchmark's population, shared by
``generate.py`` (the ORM population) and ``clone.py`` (its copies in SQL).

Imported from ``odoo shell`` with ``bench/`` on ``sys.path``.
"""

from stdnum.cn import uscc

CITIES = [
    ("上海", "上海市"),
    ("北京", "北京市"),
    ("广州", "广东省"),
    ("深圳", "广东省"),
    ("杭州", "浙江省"),
    ("南京", "江苏省"),
    ("苏州", "江苏省"),
    ("成都", "四川省"),
    ("武汉", "湖北省"),
    ("天津", "天津市"),
    ("重庆", "重庆市"),
    ("西安", "陕西省"),
    ("青岛", "山东省"),
    ("宁波", "浙江省"),
    ("厦门", "福建省"),
    ("长沙", "湖南省"),
    ("郑州", "河南省"),
    ("合肥", "安徽省"),
    ("无锡", "江苏省"),
    ("佛山", "广东省"),
]
# Administrative division codes of the cities above (the USCC's 3rd-8th digits).
DIVISIONS = [
    "310115",
    "110105",
    "440106",
    "440305",
    "330106",
    "320106",
    "320505",
    "510107",
    "420106",
    "120116",
    "500112",
    "610113",
    "370212",
    "330212",
    "350206",
    "430104",
    "410105",
    "340104",
    "320214",
    "440604",
]
WORDS = [
    "星河",
    "华夏",
    "东方",
    "瑞丰",
    "宏达",
    "金桥",
    "恒信",
    "天成",
    "中联",
    "新创",
    "博远",
    "嘉禾",
    "鼎盛",
    "汇通",
    "明德",
    "安泰",
    "永兴",
    "盛世",
    "华瑞",
    "光大",
    "远航",
    "蓝海",
    "卓越",
    "励志",
    "万象",
    "和谐",
    "昌隆",
    "泰和",
    "兴业",
    "宝丰",
    "锦程",
    "润泽",
    "海纳",
    "正阳",
    "云帆",
    "凯达",
    "德邦",
    "信达",
    "联创",
    "佳禾",
]
INDUSTRIES = [
    "科技",
    "贸易",
    "机械",
    "电子",
    "建材",
    "物流",
    "医疗器械",
    "化工",
    "食品",
    "纺织",
    "软件",
    "环保",
]


def make_uscc(index, city=None):
    """A valid unified social credit identifier (GB 32100): 9 (enterprise) 1
    (company), the division, a GB 11714 organisation code and both check digits.
    The body is unique per ``index`` below 10**8 (7919 is prime to 10**8); the
    division is the city's (``city``: its index in CITIES, default ``index``'s).
    """
    body = f"{(index * 7919 + 10_000_003) % 100_000_000:08d}"
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    org_check = 11 - sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11
    org_check = {10: "X", 11: "0"}.get(org_check, str(org_check))
    number = (
        "91"
        + DIVISIONS[(index if city is None else city) % len(DIVISIONS)]
        + body
        + org_check
    )
    number += uscc.calc_check_digit(number)
    return uscc.validate(number)


def company_name(rng, city, taken):
    """A company name of ``city`` (city + two words + trade + 有限公司) not in
    ``taken``, which it joins."""
    while True:
        words = f"{rng.choice(WORDS)}{rng.choice(WORDS)}"
        name = f"{city}{words}{rng.choice(INDUSTRIES)}有限公司"
        if name not in taken:
            taken.add(name)
            return name


# The sales organisation: 20 departments, one manager each, and a salesperson for
# about 333 customers (40 to 300), each in department ``index % DEPARTMENTS``.
DEPARTMENTS = 20


def salespeople_for(size):
    """The number of salespeople of a population of ``size`` customers."""
    return min(300, max(40, size // 333))
