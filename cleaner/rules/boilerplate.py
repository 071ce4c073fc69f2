"""Boilerplate rules as data: class/id hints for DOM scoring and line rules for text.

Each rule has a stable id, a pattern, the reason it exists and an example that must fire
(every example runs as a test in tests/stages/test_boilerplate.py). Negative examples that
must NOT fire live next to them, because a rule that eats a body paragraph is worse than
one that misses a share bar.
"""

from __future__ import annotations

import re

from cleaner.rules import Rule, removed_by_stages


def word_set(words: str) -> frozenset[str]:
    """A set of names written as one space-separated string (easier to read and edit)."""
    return frozenset(words.split())


# ---------------------------------------------------------------- DOM hints

# Tokens of class/id names (split on - _ and case) that mark a page region. Taken from how
# news CMSs name their regions; a token must match a whole word piece, so "ad" does not
# fire on "header" or "shadow".
POSITIVE_REGION_TOKENS = word_set(
    "article articlebody body content entry main post story text detail zw "
    "artibody rich richtext paragraph prose embed embedded"
)
NEGATIVE_REGION_TOKENS = word_set(
    "comment comments sidebar side footer foot nav navbar menu breadcrumb breadcrumbs "
    "related recommend recommended share sharing social sns promo promotion advert ads ad "
    "advertisement sponsor sponsored newsletter subscribe subscription signup popup modal "
    "widget tags tag keywords masthead banner copyright disclaimer outbrain taboola "
    "trending popular hot rank ranking toolbar pagination pager crumbs byline author "
    "meta caption credit login cookie more"
)
# Region tokens so strong that a block under them is chrome even inside the main region.
# Also used as readability's "unlikely candidates": paragraphs below them score nothing.
CHROME_REGION_TOKENS = word_set(
    "comment comments related recommend recommended share sharing social sns promo "
    "advert ads ad advertisement sponsor sponsored newsletter subscribe subscription signup "
    "outbrain taboola trending popular breadcrumb breadcrumbs crumbs toolbar pagination pager "
    "copyright disclaimer statement tags keywords sidebar footer navbar menu popup modal "
    "masthead "
    "cookie login gallery slideshow carousel"
)


# Rules whose heading takes the list that follows it (a "Related articles" heading takes its
# teasers with it): filled by `_rule(..., starts_section=True)`.
SECTION_HEADINGS: set[str] = set()


def _rule(
    rule_id: str,
    pattern: str,
    reason: str,
    fires_on: str,
    spares: str,
    max_chars: int = 200,
    starts_section: bool = False,
) -> Rule:
    """A line rule: `pattern` is searched, case-insensitive, in a block's normalised text of
    at most `max_chars` characters (chrome lines are short; a long body paragraph that
    merely mentions "copyright" must survive)."""
    if starts_section:
        SECTION_HEADINGS.add(rule_id)
    pattern = re.compile(pattern, re.I)
    return Rule(rule_id, reason, (fires_on,), (spares,), pattern=pattern, max_chars=max_chars)


LINE_RULES: tuple[Rule, ...] = (
    _rule(
        "boilerplate.breadcrumb",
        r"^(?:当前位置|您的位置|你的位置|我的位置|當前位置|您的位置|所在位置|位置)\s*[:：]"
        r"|^(?:首页|首頁|home)\s*(?:>|›|»|/|＞|→)",
        "site path shown above the article; says where the page sits, not what it says",
        "当前位置:首页 > 青岛产业信息 > 正文内容",
        "当前位置在青岛市中心，交通便利。",
        max_chars=120,
    ),
    _rule(
        "boilerplate.site-path",
        r"^[^。.!?！？]{1,16}(?:\s*[>›»＞]\s*[^。.!?！？>›»＞]{1,20}){2,}$",
        "three or more short labels joined by '>' are a site path",
        "新闻 > 国内 > 正文",
        "收入增长 > 预期，利润 > 去年同期。",
        max_chars=120,
    ),
    _rule(
        "boilerplate.menu-line",
        r"^(?:[^\s|｜。，,.!?！？]{1,8}\s*[|｜·•]\s*){3,}[^\s|｜。，,.!?！？]{1,8}$|"
        r"^(?:[\u4e00-\u9fff]{2,6}[ \u3000]+){4,}[\u4e00-\u9fff]{2,6}$",
        "a row of short section labels is a site menu (many segments, no sentence)",
        "首页 | 新闻 | 体育 | 财经 | 娱乐",
        "“双园”揭牌 打造产业发展新引擎",
        max_chars=120,
    ),
    _rule(
        "boilerplate.share-bar",
        r"^分享让更多人看到|"
        r"^(?:分享到|分享给朋友|分享至|分享|share(?: this(?: article| story)?)?(?: on| via)?)"
        r"\s*[:：]?\s*(?:(?:微信|微博|QQ|QQ空间|朋友圈|facebook|twitter|linkedin|email|"
        r"whatsapp|reddit|pinterest|copy link)[\s|,，、]*)*$",
        "share buttons: labels of social networks with no content of their own",
        "分享给朋友:",
        "分享经济在青岛发展迅速,共享单车已经进入各个社区。",
        max_chars=80,
    ),
    _rule(
        "boilerplate.related-heading",
        r"^(?:相关(?:文章|阅读|新闻|推荐|链接|报道)|相關(?:文章|閱讀|新聞)|延伸阅读|推荐阅读|"
        r"猜你喜欢|热门(?:文章|推荐|新闻)|热点推荐|更多(?:新闻|文章|精彩)|"
        r"related(?: articles| stories| content| coverage| posts)?|more from [\w .]+|"
        r"相关事件|点击排行|排行榜|热门排行|大家都在看|为您推荐|"
        r"you (?:may|might) (?:also )?like|recommended(?: for you)?|read more|"
        r"more great [\w ]+ stories|"
        r"more (?:stories|news|on this)|most (?:popular|read|viewed))\s*[:：]?[.…]*$",
        "heading of a list of other articles; the list and its teasers follow it",
        "相关文章",
        "Related reporting by the Associated Press showed the same pattern in three states.",
        max_chars=40,
        starts_section=True,
    ),
    _rule(
        "boilerplate.comment-chrome",
        r"^(?:评论一下|評論一下|发表评论|發表評論|我要评论|最热评论|最熱評論|最新评论|最新評論|"
        r"网友评论|網友評論|请输入验证码|請輸入驗證碼|验证码|驗證碼|"
        r"还没有评论|還沒有評論|已有\s*\d+\s*人参与|已有\s*\d+\s*人參與|"
        r"评论\s*\d+\s*人参与|評論\s*\d+\s*人參與|\d+\s*条评论|"
        r"leave a (?:comment|reply)|post a comment|comments? \(\d+\)|\d+ comments?|"
        r"add a comment|join the (?:conversation|discussion)|show comments|view comments|"
        r"(?:there are )?(?:currently )?no comments (?:yet|so far|have been|for this)|"
        r"(?:thanks for your comments\W+)?(?:this )?(?:feedback|comments?) (?:is|are) "
        r"(?:now )?closed|(?:to )?have your say|be the first to comment)",
        "comment-section chrome: prompts and counters, not reader comments themselves",
        "還沒有評論,快來搶沙發吧!",
        "据了解,该平台的评论功能将于下月上线,用户可以对每篇文章发表评论。",
        max_chars=80,
        starts_section=True,
    ),
    _rule(
        "boilerplate.copyright",
        r"^[【\[]?(?:版权声明|版權聲明|免责声明|免責聲明|版权所有|版權所有|声明[:：]|聲明[:：])|"
        r"(?:转载请注明|轉載請註明|"
        r"未经(?:授权|许可)[，,]?\s*(?:不得|禁止|严禁)转载|copyright\s*(?:©|\(c\)|\d{4})|"
        r"©\s*\d{4}|all rights reserved)",
        "copyright and reprint notices belong to the site, not to the article",
        "版权声明:本文由青岛厂房网发布,如需转载请注明出处。",
        "The court ruled that the copyright of the photograph belongs to the agency.",
        max_chars=160,
    ),
    _rule(
        "boilerplate.back-link",
        r"^(?:返回(?:首页|首頁|顶部|頂部|列表|搜狐|上一页|\w{0,10}(?:新闻|新聞|首页|首頁|频道|頻道))|"
        r"(?:back|return) to (?:top|home|homepage|the top|main page|index|(?:the )?(?:list|"
        r"articles?|news|search results|gallery|story|article))\b)"
        r"(?:[,，;；]?\s*查看更多)?\s*[|｜]?",
        "navigation back to the site; the article does not continue",
        "返回青岛财经网新闻｜返回首页",
        "返回家乡创业的大学生越来越多,当地政府为他们提供了场地。",
        max_chars=60,
    ),
    _rule(
        "boilerplate.reprint-tail",
        r"^转载请注明出处[。.]?\s*(?:返回搜狐[,，]?\s*查看更多)?$|^返回搜狐[,，]?\s*查看更多$",
        "the sign-off a portal appends after every reposted article",
        "转载请注明出处。返回搜狐,查看更多",
        "他在文中转载请注明出处的要求被多家媒体忽视。",
        max_chars=40,
    ),
    _rule(
        "boilerplate.badge-text",
        r"勋章级别|勳章級別|综合表现越好",
        "author-badge tooltip of portal templates, printed as text by the scraper",
        "由内容质量、互动评论、分享传播等多维度分值决定,勋章级别越高(),代表其在平台内的综合表现越好。",
        "他获得了一枚勋章，表现很好。",
        max_chars=120,
    ),
    _rule(
        "boilerplate.shortcode",
        r"^\[/?(?:button|caption|gallery|embed|video|audio|su_\w+|vc_\w+|et_pb_\w+)\b[^\]]*\]",
        "a CMS shortcode printed as text: markup the site failed to render",
        '[button link="http://example.com/submit/" type="big"] Submit your review [/button]',
        "The [button] on the page was broken, readers said.",
        max_chars=400,
    ),
    _rule(
        "boilerplate.bare-url",
        r"^<?(?:https?:)?//\S+>?$",
        "a link address alone on a line is a scraper's leftover, not prose",
        "<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW2022>",
        "Visit https://example.com for the full report.",
        max_chars=400,
    ),
    _rule(
        "boilerplate.image-alt",
        r"^(?:image|photo|picture|图片|圖片|img)\s*[:：]?\s*\d*$|^K图\s*\d+|\.(?:jpe?g|png|gif|webp)$|"
        r"^[\[【(（]?(?:图片说明|圖片說明|图片来源|圖片來源)\s*\d*\s*[:：]",
        "alt text of an image or a stock chart, not a caption a reader sees",
        "K图 688139_0",
        "图片显示，大桥已经合龙。",
        max_chars=60,
    ),
    _rule(
        "boilerplate.stock-widget",
        r"^(?:行情|股吧|个股|个股行情|查看行情|数据来源)\s*[:：]|"
        r"^\d{6}\s*(?:股价|行情)|^(?:NYSE|NASDAQ|Nasdaq)\s*:\s*[A-Z]{1,5}\s*[+-]?\d",
        "stock-quote widgets: live figures around the story, not part of it",
        "个股行情: 海尔生物 688139",
        "股价今年上涨了三成。",
        max_chars=80,
    ),
    _rule(
        "boilerplate.pagination",
        r"^第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|^(?:<<\s*)?上一页\s*\|?\s*下一页|"
        r"^page \d+ of \d+$|^(?:« )?(?:previous|prev)(?: page)?\s*\|?\s*next(?: page)?(?: »)?$",
        "page-navigation controls of a paginated page",
        "第1页/共1页 << 上一页 | 下一页 >>",
        "第3页的数据显示，今年收入增长。",
        max_chars=60,
    ),
    _rule(
        "boilerplate.post-stats",
        r"已被阅读\s*\d+\s*次|阅读次数\s*[:：]|浏览次数\s*[:：]|点击数\s*[:：]|访问统计\s*[:：]|"
        r"^(?:阅读|閱讀|浏览|瀏覽)\s*[(（]?\d+[)）]?$|trackback|引用通告|^\d+ views?$",
        "view counters and blog trackback lines: figures about the page, not the story",
        "(本文发表于首页批评与建议, 已被阅读178次)",
        "该文章阅读量很高，引发热议。",
        max_chars=100,
    ),
    _rule(
        "boilerplate.toolbar",
        r"^(?:(?:收藏|保存|打印|关闭|關閉|分享|举报|舉報|点赞|點讚|在看|投诉|纠错|字号|"
        r"print|email|save|close|report)\s*(?:[|｜/·]\s*)?)+$|点【在看】|点击“在看”",
        "article toolbar buttons (save, print, close, report) printed as text",
        "收藏 | 保存 | 打印 | 关闭",
        "收藏家张先生表示,这件瓷器是他二十年前购得的。",
        max_chars=60,
    ),
    _rule(
        "boilerplate.see-also",
        r"^(?:点击进入专题|相关资讯请关注|更多精彩(?:内容)?(?:请|，)|点击查看(?:更多|原文)|"
        r"阅读原文|点击阅读原文|more on this story|see also)\s*[:：>》]*|"
        r"^回复【[^】]{1,12}】|^点击菜单栏",
        "pointers to other pages of the site, not part of the story",
        "点击进入专题：",
        "点击率是衡量广告效果的重要指标。",
        max_chars=40,
    ),
    _rule(
        "boilerplate.app-promo",
        r"(?:请|請|欢迎|歡迎)下载.{0,16}(?:APP|App|app|客户端|客戶端)|"
        r"^download (?:our|the) [\w ]{1,20}app\b",
        "a call to install the site's app",
        "(本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP)",
        "他下载了这款APP后发现个人信息被泄露。",
        max_chars=80,
    ),
    _rule(
        "boilerplate.subscribe-prompt",
        r"^(?:sign up for (?:our|the|a free) [\w ]{0,30}newsletters?|subscribe to (?:our|the) "
        r"[\w ]{0,30}(?:newsletter|channel|podcast)|get (?:our|the) [\w ]{1,30}newsletter|"
        r"follow us on|like us on facebook|download (?:our|the) app|"
        r"关注我们|点击关注|扫码下载|下载客户端)|"
        r"\b(?:sign up|subscribe)\b.{0,80}\b(?:newsletters?|inbox)\b|"
        r"\bnewsletters?\b.{0,60}\b(?:sign up|subscribe)\b|^subscribe to [\w.’']+ (?:and|to|for)\b|"
        r"^sign up:|^follow [\w .’']{1,50} on (?:facebook|twitter|instagram)|"
        r"^follow .{1,80} at https?://",
        "calls to subscribe or follow are site chrome",
        "Sign up for our daily newsletter",
        "Sign up for a Hulu ad-free account for $11.99 a month",
        max_chars=200,
    ),
    _rule(
        "boilerplate.repost-disclaimer",
        # Traditional forms inline: 網絡/網路, 權, 刪, 聯繫, 轉載, 來, 於, 場, 觀點, 號. A
        # notice quoted in a sentence (法院认为，页面注明“如有侵权请联系删除”却…) is news.
        r"(?:转载|轉載|转自|轉自|来源|來源|来自|來自|源于|源於|取自|选自|選自)于?(?:互联|互聯)?"
        r"(?:网络|網絡|網路)[^“”「」\"]{0,50}(?:侵权|侵權|侵删|侵刪|删除|刪除|移除)|"
        r"(?<![“「\"])(?:如有|如涉及|若有|如涉|若涉及)(?:版权|版權|侵权|侵權)[^“”「」\"]{0,30}"
        r"(?:联系|聯繫|聯絡|告知|通知)[^“”「」\"]{0,20}(?:删除|刪除|处理|處理|移除)|"
        r"不代表本(?:站|网|網|平台|号|號|报|報|刊|公众号|公眾號)(?:的)?(?:赞同其|贊同其|认可其|認可其)?"
        r"(?:立场|立場|观点|觀點)|"
        r"[（(](?:图片|圖片|素材|文字)?(?:来源|來源|来自|來自)?(?:网络|網絡|網路)[，,]\s*(?:侵删|侵刪)[)）]|"
        r"\b(?:views|opinions) expressed\b.{0,80}\b(?:do not|don't|are not)\b.{0,30}"
        r"\b(?:necessarily )?(?:reflect|represent)",
        "a repost disclaimer (本文来源于网络，如有侵权请联系删除; not this site's views) is the "
        "reposting site's notice, not the article",
        "本文来源于网络，如有侵权请联系删除。",
        "法院认定该网站未经许可转载他人文章构成侵权，判令其删除涉案内容并赔偿损失。",
        max_chars=200,
    ),
    _rule(
        "boilerplate.share-prompt",
        r"\bshare (?:it|this)(?: story| article| post)? with (?:a friend|your friends)|"
        r"^(?:share|send|e-?mail) this (?:article|story|page)(?: to (?:a )?friends?)?"
        r"(?: by e-?mail)?\W*(?:what is this\?)?$|"
        r"^have a (?:news )?tip\?",
        "prompts to share the page or send the newsroom a tip",
        "Like this story? Share it with a friend!",
        "She said she would share it with the committee on Monday.",
        max_chars=200,
    ),
    _rule(
        "boilerplate.author-contact",
        r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$|^(?:email|e-mail|contact|write to) [\w .’'-]{1,40} at "
        r"[\w.+-]+@[\w-]+\.",
        "how to reach the writer: an address, not part of the story",
        "Email Tariq Malik at tmalik@space.com or follow him @tariqjmalik.",
        "Readers wrote to the editor about the new library.",
        max_chars=200,
    ),
    _rule(
        "boilerplate.reading-time",
        r"^(?:reading time|read time|tempo de leitura|tiempo de lectura|阅读时间|閱讀時間)\s*[:：]|"
        r"^\d+\s*(?:min|minute)s?\s+read$",
        "the estimated reading time shown above articles",
        "Tempo de leitura: 2 minutos",
        "The reading time of the average article has fallen.",
        max_chars=40,
    ),
    _rule(
        "boilerplate.image-credit",
        r"^(?:photo|image|picture|graphic)s?\s*(?:credit)?\s*[:：]|"
        r"(?:/|\bvia\s)(?:getty images|shutterstock|ap|afp|reuters|epa|ap photo)\s*\)?$|"
        r"\((?:image|photo|picture)s?\s*:[^)]*\)\s*$|"
        r"^(?:image|photo|slide|picture)\s+\d+\s+(?:of|/)\s+\d+$|"
        r"^click (?:the )?(?:photo|image|picture) to enlarge\W*$|"
        r"^[（(]?(?:图片|圖片|配图|配圖)(?:均)?(?:来自|來自|来源于|來源於|源自)(?:网络|網絡)[）)]?$",
        "photo credits and captions marked as such, printed between paragraphs",
        "The protests kicked off in June (Image: GETTY )",
        "Photography is banned inside the museum.",
        max_chars=200,
    ),
)

# ---------------------------------------------------------------- lines that are metadata

SOURCE_LINE = re.compile(
    r"^[（(]?\s*(?:(?:文章|新闻|稿件|信息|本文|资料|資料)?(?:来源|來源|出处|出處|source)\s*[:：]|"
    r"转自|轉自|转载自|轉載自)\s*"
    r"(?P<value>[^）)]{1,40}?)\s*[）)]?"
    r"(?:\s+(?:责任编辑|責任編輯|编辑|編輯)\s*[:：].{0,30})?$",
    re.I,
)
EDITOR_LINE = re.compile(
    r"^[（(【\[]?\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|审核|審核|校对|校對|"
    r"editor|edited by)\s*[:：]\s*(?P<value>[^）)】\]]{0,30}?)\s*[）)】\]]?$",
    re.I,
)
AUTHOR_LINE = re.compile(
    r"^(?:作者|作\s+者|撰文|执笔人?|執筆人?|author|written\s+by)\s*[:：/／]\s*"
    r"(?P<value>[^，。,.；;]{1,40}?)\s*$",
    re.I,
)
DATELINE_LABEL = re.compile(
    r"^(?:发表时间|發表時間|发布时间|發布時間|更新时间|更新時間|发布日期|發布日期|日期|时间|時間|"
    r"published|updated|posted|last updated)\s*(?:[:：]|at|on)?\s*"
    r"(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)",
    re.I,
)
# Credits for the reporting, printed under wire stories: metadata, not body.
CREDIT_LINE = re.compile(
    r"^[(（]?(?P<value>(?i:reporting|additional reporting|writing|editing|compiled|research)"
    r"(?: and [a-z]+)? by [A-Z].{1,250}?)[)）]?\.?$|"
    r"^(?P<contributor>[A-Z][\w.’' -]{2,80}) contributed (?:reporting|research|to this report)\b.*$"
)
ORIGINAL_TITLE_LINE = re.compile(
    r"^[（(]?(?:本文)?原(?:标题|標題|题为|題為|题|題)\s*[:：]?\s*(?P<value>.{2,80}?)[）)]?$"
)
BYLINE = re.compile(
    r"^(?i:by|written by|words by|posted by)\s+"
    r"(?P<value>[A-Z][\w.'’-]*(?:\s+(?:and\s+)?[A-Z][\w.'’-]*){1,5})"
    r"(?:\s*[,|·•\-–—]\s*.*|\s+on\s+.*)?$"
    r"|^(?:(?:本报|本報|新华社|中新社|人民网|新华网)?[^，。,.]{0,20}?"
    r"(?:记者|記者|通讯员|通訊員|实习生|實習生)"
    r"\s*(?P<reporter>[\u4e00-\u9fff·]{2,4}(?:\s+(?:通讯员|通訊員)?\s*[\u4e00-\u9fff]{2,4})*?))"
    r"(?:\s*[\u4e00-\u9fff]{0,6}(?:报道|報道|摄影|攝影|采写|採寫))?\s*[)）]?$",
)


def _metadata_line(
    rule_id: str,
    pattern: re.Pattern[str],
    reason: str,
    fires_on: tuple[str, str],
    spares: str,
    max_chars: int,
) -> Rule:
    """A line that is metadata of the article (source, editor, byline ...): the stage keeps
    its `value` group as metadata. An example is (line, the value it gives)."""
    return Rule(
        rule_id,
        reason,
        (fires_on,),
        (spares,),
        pattern=pattern,
        max_chars=max_chars,
        probe=_gives_value,
    )


def _gives_value(rule: Rule, example: str | tuple[str, str]) -> bool:
    line, value = example if isinstance(example, tuple) else (example, None)
    match = rule.pattern.match(line) if len(line) <= (rule.max_chars or len(line)) else None
    if match is None:
        return False
    return value is None or (match.group("value") or "").strip() == value


# Metadata lines are short; credit lines of wire stories list several names, hence their
# larger bound.
METADATA_LINE_RULES: tuple[Rule, ...] = (
    _metadata_line(
        "meta.source-line",
        SOURCE_LINE,
        "the line naming where the story came from is metadata (source_name), not body",
        ("（文章来源：青岛财经网）", "青岛财经网"),
        "资金来源主要是银行贷款，其余部分由企业自筹解决。",
        80,
    ),
    _metadata_line(
        "meta.editor",
        EDITOR_LINE,
        "the editor's credit is metadata (editor), not body",
        ("責任編輯:崔現香", "崔現香"),
        "编辑部的同事们都很忙，今年出版了三本书。",
        80,
    ),
    _metadata_line(
        "meta.original-title",
        ORIGINAL_TITLE_LINE,
        "a reposted story's original title is its title, not body",
        ("原标题:两大产业园同时挂牌", "两大产业园同时挂牌"),
        "原来的标题被改了。",
        100,
    ),
    _metadata_line(
        "meta.byline",
        BYLINE,
        "the byline names the author (author), it is not body",
        ("By Jane Smith and Tom Jones", "Jane Smith and Tom Jones"),
        "By the end of the year, prices rose.",
        80,
    ),
    _metadata_line(
        "meta.author-line",
        AUTHOR_LINE,
        "a labelled author line names the author (author), it is not body",
        ("作者： 周思博 (Joel Spolsky)", "周思博 (Joel Spolsky)"),
        "作者认为，这一政策将带来深远影响。",
        80,
    ),
    _metadata_line(
        "meta.credit-line",
        CREDIT_LINE,
        "the reporting and editing credits under a wire story are metadata (credits)",
        (
            "(Reporting by Greg Roumeliotis; Editing by Tom Brown)",
            "Reporting by Greg Roumeliotis; Editing by Tom Brown",
        ),
        "Reporting by the team showed the same result.",
        300,
    ),
)
METADATA_LINE_BY_ID = {rule.id: rule for rule in METADATA_LINE_RULES}


# ---------------------------------------------------------------- rules of whole decisions
#
# Removals the stages make from more than one line's text: a page structure, the blocks
# around, a document's repeats. Each example is a short document that the stage must (or
# must not) mark with the rule; the probes run the stage itself.


def _decision(rule_id: str, reason: str, fires_on: str, spares: str, stage: str) -> Rule:
    def probe(rule: Rule, example: str) -> bool:
        return removed_by_stages(rule, example, stage)

    return Rule(rule_id, reason, (fires_on,), (spares,), probe=probe)


_BODY = (
    "The council voted on Tuesday to fund a new public library downtown, ending a debate "
    "that had lasted more than two years and divided residents of the city."
)

DECISION_RULES: tuple[Rule, ...] = (
    _decision(
        "boilerplate.related-heading.entry",
        "an entry of the list under a related-articles heading: a headline, a teaser, a link",
        f"{_BODY}\n\n相关文章\n\n8月生物医药产业选址报告:精选3个意向选址项目推介",
        f"{_BODY}\n\n相关文章\n\n{_BODY} {_BODY}",
        "boilerplate",
    ),
    _decision(
        "boilerplate.comment-chrome.entry",
        "an entry under comment-section chrome: a short line or a repeat, not the story",
        f"{_BODY}\n\n发表评论\n\n网友123：说得好",
        f"{_BODY}\n\n发表评论\n\n{_BODY} {_BODY}",
        "boilerplate",
    ),
    _decision(
        "boilerplate.repeated-line",
        "a short line printed three times or more in one text file is page furniture",
        f"{_BODY}\n\n青岛高新区周刊\n\n{_BODY}\n\n青岛高新区周刊\n\n{_BODY}\n\n青岛高新区周刊",
        f"{_BODY}\n\n一个小标题\n\n{_BODY}\n\n一个小标题",
        "boilerplate",
    ),
    _decision(
        "meta.dateline",
        "a short line near the top holding the publication date is metadata (published)",
        f"admin1年前 (2024-09-27)青岛产业信息134\n\n{_BODY}",
        f"On Nov. 19, 2019, the board approved the merger after a long review.\n\n{_BODY}",
        "boilerplate",
    ),
    _decision(
        "extract.front-matter",
        "YAML front matter of a Markdown or Jekyll file is metadata, not body",
        f"---\ntitle: A library for the city\ndate: 2022-04-28\n---\n\n{_BODY}",
        f"{_BODY}\n\n---\n\nThe next section of the story.",
        "extract",
    ),
    _decision(
        "extract.image",
        "a Markdown image with no text around it is a picture, not text",
        f"{_BODY}\n\n![](https://example.com/photo.jpg)",
        f"{_BODY}\n\nSee the map ![map](https://example.com/map.png) of the new site.",
        "extract",
    ),
)

# ---------------------------------------------------------------- DOM rules of the extract stage


def _dom_probe(rule: Rule, example: str | tuple[str, str]) -> bool:
    """An example is (page, start of the block the rule removes), or a page on which the
    rule removes nothing."""
    from cleaner.stages.extract import html_blocks

    page, removes = example if isinstance(example, tuple) else (example, "")
    return any(
        block.removal is not None
        and block.removal.rule == rule.id
        and block.text.startswith(removes)
        for block in html_blocks(page, metadata={})
    )


def _dom_rule(rule_id: str, reason: str, fires_on: tuple[str, str], spares: str) -> Rule:
    return Rule(rule_id, reason, (fires_on,), (spares,), probe=_dom_probe)


_ARTICLE = (
    "<p>The council voted on Tuesday to fund a new public library downtown, ending a debate "
    "that had lasted more than two years and divided residents of the city.</p>"
    "<p>Supporters said the library would give students a quiet place to study, while "
    "opponents worried about the cost, which is estimated at forty million dollars.</p>"
)


def _page(inside_article: str = "", outside_article: str = "") -> str:
    return (
        f"<html><body>{outside_article}<div class='article-body'>{_ARTICLE}"
        f"{inside_article}</div></body></html>"
    )


_CHROME_TAG_RULES = tuple(
    _dom_rule(
        f"extract.{tag}-element",
        f"HTML itself names <{tag}> as page chrome (unless the article sits inside it)",
        (_page(inside_article=f"<{tag}><p>Home, News, Sport, Weather</p></{tag}>"), "Home, News"),
        f"<html><body><{tag}><div class='article-body'>{_ARTICLE}</div></{tag}></body></html>",
    )
    for tag in ("nav", "footer", "aside", "header", "form", "menu")
)

DOM_RULES: tuple[Rule, ...] = (
    _dom_rule(
        "extract.outside-main",
        "outside the container that scores highest as article text (readability-like "
        "scoring: commas, length, link density, class names), so not the article",
        (
            _page(outside_article="<div><p>Weather: sunny, 25 degrees, light wind.</p></div>"),
            "Weather: sunny",
        ),
        _page(),
    ),
    *_CHROME_TAG_RULES,
    _dom_rule(
        "extract.chrome-container",
        "inside the article, a container named like chrome (related, share, comments ...)",
        (
            _page(inside_article="<div class='related'><p>Parking fees rise again.</p></div>"),
            "Parking fees",
        ),
        _page(inside_article="<div class='story-text'><p>Parking fees rise again.</p></div>"),
    ),
    _dom_rule(
        "extract.caption",
        "figure captions and photo credits describe a picture, not the story",
        (
            _page(inside_article="<figure><figcaption>The library site.</figcaption></figure>"),
            "The library site",
        ),
        _page(inside_article="<p>The caption of the old map was wrong, historians say.</p>"),
    ),
    _dom_rule(
        "extract.hidden",
        "text hidden by CSS or the hidden attribute is not shown to readers",
        (
            _page(inside_article="<p style='display:none'>Hidden keywords for robots.</p>"),
            "Hidden keywords",
        ),
        _page(inside_article="<p style='color:red'>Visible words for readers, in red.</p>"),
    ),
    _dom_rule(
        "extract.link-dense",
        "a block that is mostly link text is a menu or a teaser, not prose",
        (_page(inside_article="<p><a href='/a'>Read more: budget talks</a></p>"), "Read more"),
        _page(
            inside_article="<p>Read the <a href='/r'>report</a> on the budget talks, which "
            "runs to forty pages and more.</p>"
        ),
    ),
    _dom_rule(
        "meta.title",
        "the article's headline printed above it is its title (metadata), not body",
        (
            "<html><head><title>Library approved</title></head><body><h1>Library approved</h1>"
            f"<div class='article-body'>{_ARTICLE}</div></body></html>",
            "Library approved",
        ),
        "<html><head><title>Library approved</title></head><body><h2>What happens next</h2>"
        f"<div class='article-body'>{_ARTICLE}</div></body></html>",
    ),
)

SITE_PATH_RULES = tuple(
    rule for rule in LINE_RULES if rule.id in {"boilerplate.breadcrumb", "boilerplate.site-path"}
)

ALL_RULES: tuple[Rule, ...] = (*LINE_RULES, *METADATA_LINE_RULES, *DECISION_RULES, *DOM_RULES)
