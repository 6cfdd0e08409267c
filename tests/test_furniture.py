"""Page-level furniture: listing pages, photo galleries, teaser blocks, glued headers and
the closing block, on made-up pages (shapes, not any outlet's strings)."""

from __future__ import annotations

import pytest

from compare.clean import clean_articles, dropped_frame
from compare.furniture import LISTING, gallery_lines, is_listing, listing_url, teaser_run
from compare.records import Article, CleanArticle
from compare.text.normalize import clean_display

BODY = [
    "قال وزير الخارجية إن المحادثات بشأن الممر الإنساني في إدلب ستستأنف الأسبوع المقبل في أنقرة.",
    "وأضاف الوزير أن الوفدين اتفقا على جدول أعمال يشمل وقف إطلاق النار وتبادل الأسرى في إدلب.",
    "وكانت الجولة السابقة من المحادثات قد انتهت دون اتفاق بعد ثلاثة أيام من النقاش.",
]


def _clean(text: str, url: str | None = "https://news.example/world/2020/02/18/talks-resume-in-ankara-after-a-pause") -> CleanArticle:
    (c,) = clean_articles([Article("a0", "o", "file-stem", "/x/o/0.txt", None, None, None, url, text)])
    return c


def _kept(c: CleanArticle) -> list[str]:
    title = [clean_display(c.title_span.text)] if c.title_span else []
    return title + [clean_display(p.text) for p in c.paragraphs]


@pytest.mark.parametrize(
    ("url", "shape"),
    [
        ("https://site.example/tag/%D8%BA%D8%B2%D8%A9", "index"),
        ("http://site.example/author/someone/", "index"),
        ("https://site.example/category/news/page/2/", "index"),
        ("https://site.example/index.php?s=21", "index"),
        ("https://site.example/?cat=14&paged=20", "index"),
        ("https://site.example/search/label/politics", "index"),
        ("https://site.example/?m=201711", "archive"),
        ("https://blog.example/2017/09/", "archive"),
        ("https://site.example/ar/", "archive"),
        ("https://site.example/", "archive"),
        # One article each: a post id, a dated permalink, a slug, a mobile view, an id
        # beside a category, a blog's dated archive file (it prints whole posts).
        ("https://site.example/archives/183386", None),
        ("https://site.example/?p=827372", None),
        ("https://site.example/2016/05/2087/", None),
        ("https://site.example/2017/12/12/russia-keeps-its-bases-in-syria", None),
        ("https://blog.example/2017/03/post.html?m=1", None),
        ("https://site.example/news.aspx?cat=12&sub=23&id=494454", None),
        ("https://site.example/tag/1289/1/some-tag-name-here-x-123456", None),
        ("https://paste.example/wikibaghdady", None),
        ("https://blog.example/2011_12_11_archive.html", None),
        ("not a url", None),
        (None, None),
    ],
)
def test_listing_url_shapes(url: str | None, shape: str | None) -> None:
    assert listing_url(url) == shape


TEASERS = [
    "أعلنت الهيئة فتح المعبر الحدودي اليوم أمام المسافرين في الاتجاهين . . . شارك : قال شهود إن طائرات هاجمت أهدافا",
    "في الشمال ليلا وأصابت موقعين . . . شارك : سلم الوزير أمس عشرات الوحدات السكنية للأسر",
    "التي فقدت منازلها في الحرب . . . شارك : شارك عشرات المحتجين في اعتصام أمام مقر المنظمة",
    "للمطالبة بالإفراج عن المعتقلين . . . شارك : كشفت وثائق جديدة عن خطة لإعادة الإعمار",
]


def test_listing_page_is_dropped_whole_with_its_reason() -> None:
    text = "\n".join(["غزة", *TEASERS, "جميع الحقوق محفوظة"])
    c = _clean(text, url="https://site.example/tag/gaza")
    assert c.title_span is None and not c.paragraphs
    assert {d.reason for d in c.dropped} == {LISTING}
    frame = dropped_frame([c])
    assert frame.height == len(text.splitlines()) and set(frame["reason"]) == {LISTING}


def test_teaser_run_is_a_listing_without_its_url() -> None:
    assert teaser_run(TEASERS)
    c = _clean("\n".join(TEASERS), url="https://site.example/news/world")
    assert not c.paragraphs and {d.reason for d in c.dropped} == {LISTING}
    # A listing URL alone is not enough: a blog's archive or a tag page holding one story
    # prints whole posts.
    for url in ("https://blog.example/2017/09/", "https://site.example/tag/idlib"):
        c = _clean("\n".join(BODY), url=url)
        assert not c.dropped and _kept(c) == BODY
    # A listing URL over a page that cuts off several texts is a listing.
    cut = [line.replace(" . . . شارك :", " . . .") for line in TEASERS]
    assert not teaser_run(cut) and is_listing("https://site.example/author/someone/", cut)
    assert not is_listing("https://site.example/news/2020/02/18/a-long-story-about-the-talks", cut)


def test_interview_turns_and_a_repeated_headline_are_not_teaser_runs() -> None:
    interview = [
        "الصحيفة : هل لكم أن تعطونا دليلا على ما حدث في تلك الليلة . . . الرئيس : أولا من يتهم عليه أن يقدم الدليل .",
        "الرئيس : لم نستخدم هذه الأسلحة ولن نستخدمها في أي وقت .",
        "الصحيفة : هل أصيب جنود من الجيش بهذه الأسلحة . . . الرئيس : في منطقة البحارية أصيب عدد منهم .",
        "الرئيس : نعم وقد زارهم المحققون في المستشفى .",
        "الصحيفة : إلى أي حد أنتم مستعدون للمضي في هذا الطريق . . . الرئيس : لسنا نحن من اختار الحرب .",
    ]
    assert not teaser_run(interview)
    headline = "لندن تنجو من كارثة . . . 22 جريحا بانفجار في المترو"
    assert not teaser_run([headline, headline, *BODY, headline])
    assert not is_listing("https://site.example/news/2017/09/15/london-escapes-disaster", [headline, headline, headline])


def test_a_real_article_is_kept_whole() -> None:
    text = "\n\n".join(["محادثات أنقرة تستأنف الأسبوع المقبل", *BODY])
    c = _clean(text)
    assert not c.dropped
    assert _kept(c) == ["محادثات أنقرة تستأنف الأسبوع المقبل", *BODY]


def test_teaser_block_after_a_marker_is_dropped() -> None:
    teasers = ["ارتفاع أسعار الذهب في الأسواق العالمية", "منتخب الشباب يتأهل إلى نهائي البطولة", "افتتاح معرض الكتاب بمشاركة واسعة"]
    text = "\n".join(["محادثات أنقرة تستأنف الأسبوع المقبل", *BODY, "اقرأ أيضا", *teasers])
    c = _clean(text)
    reasons = {clean_display(d.text): d.reason for d in c.dropped}
    assert reasons == {"اقرأ أيضا": "related", **dict.fromkeys(teasers, "related")}
    assert _kept(c) == ["محادثات أنقرة تستأنف الأسبوع المقبل", *BODY]


def test_the_article_goes_on_after_a_read_also_box() -> None:
    box = "قمة ثلاثية في سوتشي الشهر المقبل"
    rest = ["وقال الوزير إن أنقرة ستستضيف جولة المحادثات المقبلة حول إدلب بحضور الوفدين والوسطاء."]
    text = "\n".join(["محادثات أنقرة تستأنف الأسبوع المقبل", *BODY[:2], "اقرأ أيضا", box, *rest, BODY[2]])
    c = _clean(text)
    assert {clean_display(d.text) for d in c.dropped} == {"اقرأ أيضا", box}
    assert _kept(c)[-2:] == [*rest, BODY[2]]


def test_closing_block_is_dropped_from_its_marker() -> None:
    closing = "المصدر وكالات كلمات مفتاحية اقرأ أيضا الأكثر قراءة ارتفاع أسعار الذهب في الأسواق العالمية"
    c = _clean("\n".join(["محادثات أنقرة تستأنف الأسبوع المقبل", *BODY, closing]))
    assert [(clean_display(d.text), d.reason) for d in c.dropped] == [(closing, "tags")]
    glued = BODY[2] + " الوسوم سوريا تركيا روسيا"
    c = _clean("\n".join(["محادثات أنقرة تستأنف الأسبوع المقبل", *BODY[:2], glued]))
    assert [(clean_display(d.text), d.reason) for d in c.dropped] == [("الوسوم سوريا تركيا روسيا", "tags")]
    assert _kept(c)[-1] == BODY[2]


def test_gallery_captions_after_a_repeated_prefix() -> None:
    prefix = "في صور : الأسلحة الكيماوية في سوريا - هل تنتهي الحرب ?"
    gallery = [f"{prefix} {x}" for x in ("أعربت المنظمة عن قلقها .", "قتل أكثر من 70 مدنيا .", "دعت الأمم المتحدة إلى تحقيق .")]
    lines = [*BODY, gallery[0], "وأعلنت أن البعثة دخلت مرحلة جمع الأدلة .", gallery[1], gallery[2]]
    assert gallery_lines(lines) == {3, 4, 5, 6}
    # The same lines printed three times are a page scraped thrice, not a gallery.
    assert not gallery_lines(BODY * 3)
    # Sentences that open alike are a style, not a gallery title.
    alike = [f"قال وزير الخارجية إن {x} ستستأنف الأسبوع المقبل." for x in ("المحادثات", "المفاوضات", "اللقاءات")]
    assert not gallery_lines(alike)


def test_glued_header_is_cut_and_the_title_kept() -> None:
    title = "محادثات أنقرة تستأنف الأسبوع المقبل بعد توقف"
    first = f"{title} | موقع الأخبار الرئيسية سياسة اقتصاد الخميس 26 أكتوبر 2017 {title} {BODY[0]}"
    c = _clean("\n".join([first, *BODY[1:]]))
    assert c.title_span is not None and clean_display(c.title_span.text) == title
    assert [d.reason for d in c.dropped] == ["header"]
    assert "موقع الأخبار" in c.dropped[0].text and "2017" in c.dropped[0].text
    assert _kept(c) == [title, f"{title} {BODY[0]}", *BODY[1:]]
    # A lead that says the same thing twice, with a sentence between, is not a header.
    lead = f"{BODY[0]} {BODY[0]}"
    assert not _clean("\n".join([lead, *BODY[1:]])).dropped
