"""Shapes of a printed page: page furniture, bylines, article openings, captions.

The reflow stage reads them to know where a paragraph of column text ends; the split stage to
know where an article starts and which lines are its headline's byline. Furniture rules are
removal rules (their id explains the removal); the others are evidence that only shapes a
decision, so their ids name the shape.
"""

from __future__ import annotations

import re

from cleaner.rules import Rule, removed_by_stages

# A paper's or agency's dateline: where and on which day a report was filed. The split
# stage and reflow each keep it in their own table (their own rule id).
_DATELINE = r"^(?:本[报報]|新华社|中新社)[\u4e00-\u9fff]{0,8}\d{1,2}\s*月\s*\d{1,2}\s*日[电電]"


def _shape(rule_id: str, pattern: str, reason: str, fires_on: str, spares: str) -> Rule:
    return Rule(rule_id, reason, (fires_on,), (spares,), pattern=re.compile(pattern))


# Whole blocks that are page furniture, not text of any article.
FURNITURE_RULES: tuple[Rule, ...] = (
    _shape(
        "split.furniture.page-number",
        r"^(?:第\s*)?\d{1,3}(?:\s*版)?$",
        "a page number or section number alone on a line",
        "3",
        "2023",
    ),
    _shape(
        "split.furniture.running-head",
        r"^[\u4e00-\u9fff]{2,8}(?:周刊|日报|晚报|专刊|新闻|要闻|综合)?\s*\d{1,3}(?:\s*版)?$",
        "a running section head with its page number",
        "高新区周刊 3",
        "青岛高新区不断集聚产业链上下游资源",
    ),
    _shape(
        "split.furniture.issue-date",
        r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*(?:星期|周)[一二三四五六日天])?$",
        "the issue date printed in the page head",
        "2023年5月18日 星期四",
        "2023年5月18日，园区正式开园。",
    ),
    _shape(
        "split.furniture.english-page-number",
        r"^(?:Page|PAGE|P\.)\s*[A-Z]?\d{1,3}$",
        "an English page number, with its section letter",
        "Page A4",
        "Page 3 of the report lists the figures.",
    ),
    Rule(
        "split.furniture.jump-line",
        "a line sending the reader to the page where an article goes on, or saying where"
        " it came from: page furniture, not text of the article",
        ("Continued on Page A4", "Continued from Page 1", "（下转第三版）", "(上接第1版)"),
        ("Continued on Page A4 are the council's figures.", "转第三版的内容见下"),
        pattern=re.compile(
            r"^[（(]?(?:Continued|CONTINUED|Cont\.)\s+(?:on|from|ON|FROM)\s+(?:Page|PAGE|P\.)"
            r"\s*[A-Z]?\d{1,3}[）)]?\.?$"
            r"|^[（(]?(?:下转|上接|紧接|转|接)第?\s*[一二三四五六七八九十\d]{1,3}\s*版[）)]?$"
        ),
    ),
    _shape(
        "split.furniture.masthead",
        r"^[\u4e00-\u9fff]{2,8}(?:日报|晚报|早报|时报|青年报|商报|周报)$",
        "the paper's name alone on a line, as the page head prints it",
        "经济日报",
        "日报社记者走访了园区",
    ),
    _shape(
        "split.furniture.english-masthead",
        r"^(?:The\s+)?(?:(?:Daily|Morning|Evening|Sunday|Weekly)\s+)?[A-Z][a-z]+"
        r"(?:\s+[A-Z][a-z]+)?\s+(?:Courier|Herald|Post|Times|Tribune|Gazette|Chronicle|Journal)$",
        "an English paper's name alone on a line, as the page head prints it",
        "The Daily Courier",
        "The Post Office Reopens",
    ),
)

# Whole blocks that name the author.
BYLINE_RULES: tuple[Rule, ...] = (
    _shape(
        "split.byline.marked",
        r"^[◎■●▲★]\s*\S.{0,20}$",
        "a byline set off by a mark",
        "◎陈 科",
        "陈科在会上介绍了园区的规划。",
    ),
    _shape(
        "split.byline.bare-name",
        r"^[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,2}$",
        "a bare name of two or three characters next to a headline",
        "肖玲玲",
        "构建零碳产业链条",
    ),
    _shape(
        "split.byline.reporter-credit",
        r"^[（(]?(?:本[报報]|实习|實習)?(?:记者|記者|通讯员|通訊員|文|图|圖|撰稿)"
        r"\s*[/:：|｜]?\s*[\u4e00-\u9fff].{0,30}$",
        "a reporter credit line",
        "本报记者 王小明",
        "记者从市科技局获悉，今年全市高新技术企业数量已经超过六千家，同比增长百分之十五。",
    ),
    _shape(
        "split.byline.english",
        r"^(?:By|BY)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s+and\s+[A-Z][\w.'-]+"
        r"(?:\s+[A-Z][\w.'-]+){0,3})?$",
        "an English byline",
        "By Jane Smith",
        "By the end of the year, prices rose.",
    ),
)

# A byline opening the first paragraph: "科技日报讯 （实习记者孙越 通讯员胡育松）…".
BYLINE_PREFIX = re.compile(
    r"^(?P<prefix>(?:本[报報]|[\u4e00-\u9fff]{2,8})[讯訊]\s*"
    r"(?:[（(](?P<author>[^）)]{2,40})[）)])?\s*)"
)
# A signature closing the last paragraph: "…再提速。 席静" or "…（记者 王小明）".
TRAILING_SIGNATURE = re.compile(
    r"(?<=[。！？”])\s*(?P<sig>[（(](?:[记記]者|通[讯訊][员員])?\s*(?P<name1>[^（()）]{2,20})[）)]"
    r"|\s(?P<name2>[\u4e00-\u9fff]{2,3}))$"
)

# The first paragraph of an article: a news-agency or paper dateline, a date opening, a
# reporter opening, an English wire dateline.
OPENER_RULES: tuple[Rule, ...] = (
    _shape(
        "split.opening.bureau",
        r"^(?:本[报報]|[\u4e00-\u9fff]{2,8})[讯訊]",
        "a paper's own report",
        "本报讯",
        "日前，山西省太原市尖草坪区召开大会",
    ),
    _shape(
        "split.opening.agency",
        r"^(?:新华社|中新社|中新网|人民网|央视网)[\u4e00-\u9fff]{0,6}\d{1,2}\s*月\s*\d{1,2}\s*日",
        "a news agency dateline",
        "新华社北京5月12日电 记者从…",
        "新华社记者近日走访了多家企业。",
    ),
    _shape(
        "split.opening.dateline",
        _DATELINE,
        "a paper's or agency's dateline: where and on which day it was filed",
        "本报昆明4月2日电　除了新房",
        "本报记者4月2日走访了园区",
    ),
    Rule(
        "split.opening.date",
        "a report opening on its date (and the time of day), running on into its sentence;"
        " a date set apart by a space or a dash is a label (an agenda's, a timetable's)",
        (
            "5月12日，科技日报记者走进太原中北高新区",
            "5月12日上午，记者来到",
            "5月12日记者从市里获悉",
        ),
        (
            "近年来，泸州高新区坚持做好三个精准对接",
            "12月11日下午 专题讨论（上）",
            "12月11日－12日   专题讨论",
        ),
        pattern=re.compile(
            r"^\d{1,2}\s*月\s*\d{1,2}\s*日(?:[上下]午|中午|晚间?|早间?|凌晨|傍晚)?+"
            r"(?:\s*[，,]|[\u4e00-\u9fff])"
        ),
    ),
    _shape(
        "split.opening.reporter",
        r"^(?:本[报報][记記]者|[记記]者|通[讯訊][员員])[\u4e00-\u9fff]{0,4}\s?(?:[从從]|近日|日前|\d)",
        "a report opening on its reporter",
        "记者从市科技局获悉",
        "记者们在现场看到，工地上一片繁忙。",
    ),
    _shape(
        "split.opening.wire",
        r"^[A-Z][A-Z .'-]{2,30}(?:,\s*[A-Z][A-Za-z .]{2,20})?\s*"
        r"(?:\([A-Za-z .]+\))?\s*[—–-]{1,2}\s",
        "an English wire dateline",
        "LONDON (Reuters) - Shares fell",
        "The council met on Monday - and argued.",
    ),
)

# The openings of OPENER_RULES that a report prints once, at its start: where and by whom
# it was filed ("本报讯", "新华社北京5月12日电", "LONDON (Reuters) -"). A date or a reporter
# opening ("5月12日，", "记者从…获悉") may open any paragraph of one report.
REPORT_OPENING_IDS = (
    "split.opening.bureau",
    "split.opening.agency",
    "split.opening.dateline",
    "split.opening.wire",
)
REPORT_OPENER_RULES: tuple[Rule, ...] = tuple(
    rule for rule in OPENER_RULES if rule.id in REPORT_OPENING_IDS
)

# Lines of column text that open an article, and so end whatever paragraph came before.
# Narrower than OPENER_RULES: a wrapped line must show the opening's own punctuation.
COLUMN_OPENING_RULES: tuple[Rule, ...] = (
    _shape(
        "reflow.opening.date",
        r"^\d{1,2}\s*月\s*\d{1,2}\s*日\s*[，,]",
        "a report opening on its date and a comma",
        "5月 12日，科技日报记者走进",
        "5月12日起实施的新规",
    ),
    _shape(
        "reflow.opening.bureau",
        r"^(?:本[报報]|[\u4e00-\u9fff]{2,8})[讯訊]",
        "a paper's own report (科技日报讯)",
        "科技日报讯 （记者",
        "通讯员胡育松介绍",
    ),
    _shape(
        "reflow.opening.dateline",
        _DATELINE,
        "a paper's or agency's dateline (本报昆明4月2日电)",
        "本报昆明4月2日电　除了新房",
        "本报记者4月2日走访了园区",
    ),
    _shape(
        "reflow.opening.marked-byline",
        r"^[◎■●▲★]",
        "a byline set off by a mark",
        "◎陈 科",
        "陈科介绍",
    ),
    _shape(
        "reflow.opening.english-byline",
        r"^By [A-Z]",
        "an English byline",
        "By Tom Baker",
        "by the river",
    ),
    _shape(
        "reflow.opening.wire",
        r"^[A-Z][A-Z .'-]{2,30}(?:, [A-Z][A-Za-z .]{2,20})? ?(?:\([A-Za-z .]+\))? ?[—–-]+ ",
        "an English wire dateline",
        "LONDON (AFP) - Markets",
        "London - a city of",
    ),
)

# A photo caption's credit: "… 周舟/摄", "(Photo: …)", "… Photo: Ruth Adams" (a name of
# up to four capitalised words after a sentence: "Photograph: Tom Jenkins/The Guardian").
CAPTION_CREDIT = _shape(
    "split.caption",
    r"(?:[\s（(][\u4e00-\u9fff]{2,4}\s*[/／]?\s*摄[）)]?|\(Photo: [^)]+\)"
    r"|[.!?”’\"')]\s+Photo(?:graph)?: [A-Z][\w'’./-]*(?: [A-Z][\w'’./-]*){0,3})$",
    "a photo caption ends with the photographer's credit; it is kept, as a caption",
    "青岛高新区企业生产车间一景。 周舟/摄",
    "他说，拍摄工作将在明年完成。",
)

# A caption's credit is read at the end of a line: a name of a few words.
_CAPTION_CREDIT_CHARS = 60


def ends_on_caption_credit(text: str) -> bool:
    """Whether a line ends on a photo caption's credit ("… Photo: Ruth Adams", "… 周舟/摄")."""
    return CAPTION_CREDIT.search(text[-_CAPTION_CREDIT_CHARS:]) is not None


# ---------------------------------------------------------------- decisions over a whole page

_ARTICLE_A = (
    "园区聚焦生物医药、精准医学、医疗器械等细分领域，搭建集实验室研发、技术产业化于一体的服务体系。"
)
_ARTICLE_B = (
    "青岛港今年集装箱吞吐量同比增长百分之八，航线网络覆盖全球一百八十多个国家和地区的港口。"
)
_QUOTE = "搭建集实验室研发、技术产业化于一体的服务体系。"


def _digest(*sections: str) -> str:
    return "\n\n".join(sections) + "\n"


def _page_rule(rule_id: str, reason: str, fires_on: str, spares: str) -> Rule:
    def probe(rule: Rule, example: str) -> bool:
        return removed_by_stages(rule, example, "split")

    return Rule(rule_id, reason, (fires_on,), (spares,), probe=probe)


PAGE_RULES: tuple[Rule, ...] = (
    _page_rule(
        "split.pull-quote",
        "a short passage printed again elsewhere on a page of several articles is a pull "
        "quote: the article keeps its own copy",
        _digest(
            "## 生物医药园区建设提速",
            _ARTICLE_A * 3,
            _QUOTE,
            "## 青岛港吞吐量创新高",
            _ARTICLE_B * 3,
        ),
        _digest("## 生物医药园区建设提速", _ARTICLE_A * 3, "## 青岛港吞吐量创新高", _ARTICLE_B * 3),
    ),
    _page_rule(
        "split.furniture.page-title",
        "a digest's own title over its articles' headings names the page, not an article",
        _digest(
            "# 高新区周刊",
            "## 生物医药园区建设提速",
            _ARTICLE_A * 3,
            "## 青岛港吞吐量创新高",
            _ARTICLE_B * 3,
        ),
        _digest("## 生物医药园区建设提速", _ARTICLE_A * 3, "## 青岛港吞吐量创新高", _ARTICLE_B * 3),
    ),
)

# Three short reports for the examples of the model-decided rules.
_REPORTS = (
    (
        "青岛港集装箱吞吐量创新高",
        "青岛港今年集装箱吞吐量同比增长百分之八，航线网络覆盖全球一百八十多个国家和地区的港口。",
        "港口负责人介绍，新开通的航线主要通往东南亚和中东，冷链和汽车滚装业务增长最快。",
        "据了解，青岛港将继续推进自动化码头建设，预计明年完成第三期工程并投入使用。",
        "业内人士认为，外贸订单回暖和班轮公司调整运力，是吞吐量持续增长的两个主要原因。",
    ),
    (
        "生物医药园区建设提速",
        _ARTICLE_A,
        "截至目前，园区已引进创新药物企业四十余家，其中十二家企业的产品进入临床试验阶段。",
        "园区还设立了专项基金，为初创企业提供场地租金减免和贷款贴息等支持政策。",
        "下一步，园区将与周边高校共建联合实验室，吸引更多青年科研人员来这里创新创业。",
    ),
    (
        "秋粮收购工作全面展开",
        "各地粮食部门提前做好仓容、资金和人员准备，确保农民的粮食卖得出、卖得好。",
        "在河南周口的一个收购点，前来售粮的车辆排起长队，工作人员现场检测水分和杂质。",
        "农业专家提醒，今年部分地区降雨偏多，农户要及时晾晒，防止粮食霉变造成损失。",
        "为方便群众，一些收购企业还推出了预约售粮服务，农户在手机上就能选择时间和地点。",
    ),
)


def _plain_digest(separator: str) -> str:
    return separator.join("\n".join(report) for report in _REPORTS) + "\n"


# Decided by the line-role model of the split stage (`cleaner.stages.split_roles`): these
# examples check the shipped model, not a pattern.
MODEL_RULES: tuple[Rule, ...] = (
    _page_rule(
        "split.furniture.layout",
        "a line the line-role model reads as page furniture by its shape and place (a rule "
        "line between articles, a paper's name, a jump line) on a page of several articles",
        _plain_digest("\n\n＊＊＊\n\n"),
        _plain_digest("\n\n"),
    ),
)

ALL_RULES: tuple[Rule, ...] = (
    *PAGE_RULES,
    *MODEL_RULES,
    *FURNITURE_RULES,
    *BYLINE_RULES,
    *OPENER_RULES,
    *COLUMN_OPENING_RULES,
    CAPTION_CREDIT,
)
