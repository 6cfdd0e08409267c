"""The contrast judge: where two versions of the same claim disagree, and how.

Two claims are aligned token by token (on folded, clitic-free stems) and every way they
differ is typed: ``number``, ``date``, ``actor``, ``negation``, ``antonym``,
``attribution``, ``framing``, ``hedge`` and ``wording`` (a plain substitution nothing
else explains). Each difference carries the surface strings and character spans in each
claim's *display* text so reports can highlight them.

Whether the differences amount to a contrast is decided by a small logistic model over
alignment features, trained on the ANS Arabic news-stance train split
(``benchmarks/train_judge.py`` writes ``compare/data/contrast_judge.json``; numpy + json
only at run time). Without the artefact, fixed rule weights decide.

A stricter mode (``judge_pair(..., strict=True)``, ``judge_links(..., related="strict")``)
judges claims that are only related, not paraphrases: there a contrast also needs a
polarity flip on a predicate and argument both claims state, asserted, under a shared
topic, or a number on a noun both count (see "strict mode" below).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .dates import DateMention, find_dates
from .errors import InputError, ModelError, UsageError
from .normalize import fold_letters, is_latin, match_key
from .numbers import Quantity, Token, candidates, find_quantities, format_number, tokenize
from .schema import FRAMING, LINKS

ARTEFACT = Path(__file__).with_name("data") / "contrast_judge.json"
KINDS = ("number", "date", "actor", "negation", "antonym", "attribution", "framing", "hedge", "wording")
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True)
class Difference:
    """One typed difference; spans index each claim's display text (None: not in it)."""

    kind: str
    a: str
    b: str
    a_span: tuple[int, int] | None
    b_span: tuple[int, int] | None

    def swapped(self) -> Difference:
        return Difference(self.kind, self.b, self.a, self.b_span, self.a_span)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "a_span": list(self.a_span) if self.a_span else None,
            "b_span": list(self.b_span) if self.b_span else None,
        }


@dataclass(frozen=True)
class Judgement:
    """``contrast``: probability that the pair states the same claim with a changed fact."""

    contrast: float
    is_contrast: bool
    differences: tuple[Difference, ...]


# --- lexicons ---------------------------------------------------------------------------
# Written as an editor would; folded to match keys at import.


def _f(word: str) -> str:
    return fold_letters(word).casefold()


def _verb_forms(words: Iterable[str]) -> set[str]:
    """A word plus the imperfective forms of a perfective verb (ارتفع -> يرتفع, ترتفع)."""
    out: set[str] = set()
    for w in words:
        w = _f(w)
        out.add(w)
        if w.isascii() or " " in w:
            continue
        base = w[1:] if w.startswith("ا") else w
        out.update({"ي" + base, "ت" + base, "ن" + base})
    return out


# Each group: (positive pole, negative pole). A form may sit in several groups.
_ANTONYM_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rise_fall": (
        ("ارتفع", "ارتفاع", "ارتفاعا", "صعد", "صعود", "قفز", "قفزة", "قفزه", "زاد", "زيادة", "ازداد",
         "رفع", "تصاعد", "نما", "نمو", "انتعش", "انتعاش", "تعافى", "يتعافى", "مكاسب",
         "rise", "rises", "rose", "risen", "rising", "increase", "increased", "increases", "up",
         "jump", "jumped", "surge", "surged", "climb", "climbed", "grew", "grow", "growth",
         "raise", "raised", "raises", "gain", "gains", "gained", "higher", "soar", "soared",
         "تضاعف", "عزز", "تعزيز", "توسع", "توسيع", "حلق", "doubled", "expand", "expanded"),
        ("انخفض", "انخفاض", "انخفاضا", "تراجع", "هبط", "هبوط", "خفض", "تخفيض", "هوى", "تهوي",
         "يهوي", "تهاوى", "انهار", "انهيار", "تدهور", "انكمش", "انكماش", "تقلص", "نقص", "خسائر",
         "fall", "falls", "fell", "fallen", "falling", "decrease", "decreased", "decreases", "down",
         "drop", "dropped", "drops", "decline", "declined", "declines", "plunge", "plunged",
         "slump", "slumped", "cut", "cuts", "reduce", "reduced", "lower", "lowered", "shrank",
         "losses", "tumble", "tumbled", "قلص", "تقليص", "تضاؤل", "تضاءل", "shrink", "shrinks"),
    ),
    "high_low": (
        ("أعلى", "مرتفع", "مرتفعة", "قياسي", "highest", "high", "record"),
        ("أدنى", "منخفض", "منخفضة", "lowest", "low"),
    ),
    "win_lose": (
        ("فاز", "فوز", "ربح", "أرباح", "كسب", "مكاسب", "انتصار", "انتصر", "win", "wins", "won", "victory", "profit"),
        ("خسر", "خسارة", "خسائر", "هزيمة", "lose", "loses", "lost", "defeat", "loss"),
    ),
    "success_fail": (
        ("نجح", "نجاح", "تمكن", "تمكنت", "succeed", "succeeded", "success", "successful", "managed"),
        ("فشل", "إخفاق", "أخفق", "عجز", "fail", "failed", "fails", "failure", "unable"),
    ),
    "fulfil_breach": (
        ("أوفى", "أوفت", "وفت", "يفي", "تفي", "الوفاء", "وفاء", "التزم", "التزمت", "التزام",
         "احترم", "met", "meet", "meets", "fulfil", "fulfill", "fulfilled", "honoured", "honored",
         "complied", "comply", "kept"),
        ("أخل", "أخلت", "يخل", "تخل", "إخلال", "انتهك", "انتهاك", "انتهاكات", "خرق", "خروقات",
         "نقض", "فشل", "فشلت", "breach", "breached", "violate", "violated", "violation", "broke",
         "failed", "unable"),
    ),
    "accept_refuse": (
        ("وافق", "موافقة", "قبل", "قبول", "أيد", "تأييد", "approve", "approved", "agree", "agreed",
         "agrees", "accept", "accepted", "accepts", "support", "supports", "supported", "backed"),
        ("رفض", "عارض", "rejected", "reject", "rejects", "refuse", "refused", "refuses", "oppose",
         "opposed", "opposes"),
    ),
    "agreement_dispute": (
        ("اتفاق", "اتفق", "اتفقا", "توافق", "تفاهم", "agreement", "deal", "accord"),
        ("خلاف", "خلافات", "اختلف", "نزاع", "dispute", "disagreement", "rift"),
    ),
    "confirm_deny": (
        ("أكد", "تأكيد", "أقر", "اعترف", "confirm", "confirmed", "confirms", "admit", "admitted"),
        ("نفى", "نفت", "ينفي", "تنفي", "نفي", "deny", "denied", "denies"),
    ),
    "allow_ban": (
        ("سمح", "السماح", "أجاز", "منح", "allow", "allowed", "allows", "permit", "permitted", "grant", "granted"),
        ("منع", "حظر", "حرم", "حرمان", "ban", "banned", "bans", "prohibit", "prohibited", "bar", "barred", "block", "blocked"),
    ),
    "open_close": (
        ("فتح", "افتتاح", "افتتح", "open", "opened", "opens", "reopen", "reopened"),
        ("أغلق", "إغلاق", "أقفل", "close", "closed", "closes", "shut"),
    ),
    "start_stop": (
        ("بدأ", "بدء", "استأنف", "استئناف", "باشر", "استمر", "استمرار", "واصل", "مواصلة", "start",
         "started", "begin", "began", "resume", "resumed", "continue", "continued", "continues"),
        ("أوقف", "وقف", "توقف", "علق", "تعليق", "أجل", "تأجيل", "ألغى", "إلغاء", "أنهى", "إنهاء",
         "stop", "stopped", "stops", "halt", "halted", "suspend", "suspended", "postpone",
         "postponed", "cancel", "cancelled", "canceled", "ended", "تأخر", "delayed"),
    ),
    "arrest_release": (
        ("اعتقل", "اعتقال", "احتجز", "احتجاز", "قبض", "arrest", "arrested", "detain", "detained", "jailed"),
        ("أفرج", "الإفراج", "إفراج", "سراح", "release", "released", "freed"),
    ),
    "guilty_innocent": (
        ("إدانة", "أدان", "مدان", "إعدام", "convicted", "guilty", "sentenced"),
        ("براءة", "برأ", "تبرئة", "acquitted", "innocent", "acquittal"),
    ),
    "calm_violence": (
        ("هدوء", "تهدئة", "calm", "lull"),
        ("مواجهات", "اشتباكات", "تصعيد", "عنف", "قتال", "clashes", "violence", "fighting", "escalation"),
    ),
    "strong_weak": (
        ("قوي", "قوية", "قوة", "strong", "stronger"),
        ("ضعيف", "ضعيفة", "ضعف", "weak", "weaker"),
    ),
    "welcome_condemn": (
        ("رحب", "ترحيب", "أشاد", "welcome", "welcomed", "praised"),
        ("ندد", "أدان", "استنكر", "condemn", "condemned", "denounced"),
    ),
    "more_less": (("أكثر", "more"), ("أقل", "less", "fewer")),
    "survive_die": (
        ("نجاة", "نجا", "ينجو", "تنجو", "survived", "survive", "survivors", "rescued"),
        ("مقتل", "قتل", "غرق", "وفاة", "مصرع", "موت", "died", "killed", "drowned", "dead"),
    ),
    "stay_leave": (
        ("بقاء", "يبقى", "تبقى", "يبقون", "استقرار", "stay", "stays", "remain", "remains", "remained"),
        ("خروج", "رحيل", "نزوح", "مغادرة", "استبدال", "تغيير", "leave", "left", "fled", "replaced"),
    ),
}
_ANTONYMS: dict[str, list[tuple[str, int]]] = {}
for _g, (_pos, _neg) in _ANTONYM_GROUPS.items():
    for _pole, _words in ((1, _pos), (-1, _neg)):
        for _w in sorted(_verb_forms(_words)):
            _ANTONYMS.setdefault(_w, []).append((_g, _pole))
_SUFFIXES = ("تا", "وا", "ون", "ان", "ين", "ات", "ها", "هم", "ت", "ا", "ه", "ي")

_NEGATORS = {_f(w) for w in (
    "لم", "لن", "لا", "ليس", "ليست", "ليسوا", "لسنا", "غير", "عدم", "دون", "بدون", "بلا",
    "not", "no", "never", "cannot", "without", "none", "neither", "nor", "nobody", "nothing",
)}
# Predicates that deny what the other version asserts ("تنفي", "ترفض", "تفشل في",
# "تتجاهل"): counted with the negators, so "X does Y" vs "X refuses Y" is a negation.
_NEGATIVE_PREDICATES = _verb_forms((
    "نفى", "نفت", "ينفي", "تنفي", "رفض", "رفضت", "فشل", "فشلت", "أخفق", "تجاهل", "تجنب", "امتنع",
    "أفلت", "عجز", "تراجع عن", "استبعد", "استثنى",
))
_NEGATIVE_PREDICATES |= {_f(w) for w in (
    "denied", "denies", "deny", "refused", "refuses", "refuse", "rejected", "rejects", "failed",
    "fails", "ignored", "ignores", "avoided", "avoids", "declined", "unable",
)}
_NEGATIVE_PREDICATES = {w for w in _NEGATIVE_PREDICATES if " " not in w}
# Negators that are not negation here: "لا يزال" (still), "لا سيما" (especially),
# "لا بد" (must), "غير أن" (however), "ما لا يقل عن" (at least).
_NEG_EXCEPT_NEXT = {
    _f("لا"): {_f(w) for w in ("يزال", "تزال", "نزال", "زال", "سيما", "بد", "يقل", "تقل", "يزيد", "فقط", "فحسب")},
    _f("غير"): {_f(w) for w in ("أن", "انه", "أنه", "انها", "أنها", "ذلك")},
    _f("ليس"): {_f(w) for w in ("فقط", "فحسب")},
    _f("ليست"): {_f(w) for w in ("فقط", "فحسب")},
    "no": {"longer", "doubt"},
    "not": {"only"},
}

# Fixed expressions in which a lexicon word is a function word, not its lexical sense:
# "من أجل" / "لأجل" (in order to, not "postponed"), "قبل" alone (before; "من قبل" = by,
# not "accepted"), "وزاد الوزير" (added, i.e. said, not "increased"), "set up", "step
# down", "close to". Keyed by the lexicon form; the word is idiomatic when the token
# before is one of ``prev``, the token after one of ``next`` (folded, clitics peeled), or
# (``bare``) whenever it stands uninflected.
@dataclass(frozen=True)
class _Idiom:
    prev: frozenset[str] = frozenset()
    next: frozenset[str] = frozenset()
    bare: bool = False
    glued: frozenset[str] = frozenset()  # whole-token keys ("لاجل": the clitic is the preposition)


def _fs(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_f(w) for w in words)


_IDIOMS: dict[str, _Idiom] = {
    _f("أجل"): _Idiom(prev=_fs(("من",)), glued=_fs(("لأجل", "ولأجل", "لاجل", "ولاجل"))),
    # Unvocalised bare قبل is "before" in news far more often than "accepted" (قَبِلَ):
    # only its inflected forms (قبلت، يقبل) count as accepting.
    _f("قبل"): _Idiom(bare=True),
    # "زاد" / "وزاد" before a speaker is the reporting verb "added".
    _f("زاد"): _Idiom(next=_fs((
        "الوزير", "وزير", "الرئيس", "رئيس", "المتحدث", "الناطق", "المسؤول", "مسؤول", "المصدر", "البيان",
        "قائلا", "بالقول", "السفير", "المندوب",
    ))),
    "up": _Idiom(prev=_fs((
        "set", "sets", "setting", "sign", "signed", "pick", "picked", "make", "made", "take", "took",
        "follow", "followed", "give", "gave", "show", "showed", "build", "built", "break", "broke",
        "end", "ended", "back", "backed", "wrap", "wrapped", "line", "lined", "look", "looked",
        "step", "stepped", "steps", "call", "called", "open", "opened", "come", "came", "hold", "held",
    ))),
    "down": _Idiom(prev=_fs((
        "step", "stepped", "steps", "stepping", "turn", "turned", "turns", "shut", "crack", "cracked",
        "calm", "calmed", "play", "played", "tone", "toned", "back", "backed", "break", "broke",
        "broken", "hunt", "hunted", "track", "tracked", "shot", "shoot", "lay", "laid", "sit", "sat",
    ))),
    "close": _Idiom(next=_fs((
        "to", "ties", "ally", "allies", "aide", "aides", "relations", "cooperation", "friend", "friends",
        "contact", "coordination",
    ))),
    "record": _Idiom(prev=_fs(("on", "track", "criminal", "human", "rights"))),
    # "يعوض خسائره" (recoups its losses) is a gain, not a loss.
    _f("خسائر"): _Idiom(prev=_fs((
        "عوض", "يعوض", "تعوض", "عوضت", "تعويض", "استعاد", "يستعيد", "تستعيد", "استعادت", "قلص", "يقلص",
        "تقلص", "قلصت", "recoup", "recoups", "recouped", "pare", "pares", "pared",
    ))),
    "losses": _Idiom(prev=_fs(("recoup", "recoups", "recouped", "recouping", "pare", "pares", "pared", "paring"))),
    # "يتخلى عن مكاسبه" (gives up its gains) is a loss.
    _f("مكاسب"): _Idiom(prev=_fs((
        "تخلى", "يتخلى", "تتخلى", "تخلت", "فقد", "يفقد", "تفقد", "فقدت", "خسر", "يخسر", "تخسر", "خسرت",
        "محا", "يمحو", "تمحو", "محت", "قلص", "يقلص", "تقلص", "قلصت",
    ))),
    "gains": _Idiom(prev=_fs((
        "erase", "erased", "erases", "pare", "pared", "pares", "gave", "give", "gives", "lost", "lose",
        "loses", "trim", "trimmed", "trims", "wipe", "wiped", "wipes",
    ))),
}


# Words that may sit inside a fixed expression ("يعوض بعض خسائره", "يتخلى عن مكاسبه",
# "gave up its gains").
_IDIOM_FILLERS = _fs((
    "بعض", "كل", "معظم", "جميع", "جزءا", "جزء", "عن", "some", "most", "all", "part", "much", "many",
    "its", "their", "his", "her", "up",
))


def _idiomatic(toks: Sequence[Token], i: int, form: str, inflected: bool) -> bool:
    """Is token i, read as lexicon ``form``, part of a fixed expression instead?"""
    idiom = _IDIOMS.get(form)
    if idiom is None:
        return False
    if idiom.bare and not inflected:
        return True
    if toks[i].key in idiom.glued:
        return True
    k = i - 1
    for _ in range(2):
        if k > 0 and any(f in _IDIOM_FILLERS for f in candidates(toks[k].key)):
            k -= 1
    if idiom.prev and k >= 0 and any(f in idiom.prev for f in candidates(toks[k].key)):
        return True
    return bool(idiom.next and i + 1 < len(toks) and any(f in idiom.next for f in candidates(toks[i + 1].key)))

# Canonical actor -> aliases, from general lists, never from a seed or fixture: states
# (with capitals, seats of government and nisba adjectives), international bodies and
# armed groups, the governorates of Syria and the largest cities of Iraq, Yemen and Libya
# (the wars the news sets cover), heads of state or government of 2014-2020 and the
# major currencies and commodities.
_ACTORS: dict[str, tuple[str, ...]] = {
    "Russia": ("روسيا", "موسكو", "الروسي", "الروسية", "روسي", "روسية", "الكرملين", "الروس", "russia", "russian", "moscow", "kremlin"),
    "Turkey": ("تركيا", "أنقرة", "التركي", "التركية", "تركي", "تركية", "الأتراك", "turkey", "turkish", "ankara", "türkiye"),
    "Iran": ("إيران", "طهران", "الإيراني", "الإيرانية", "إيراني", "الإيرانيين", "iran", "iranian", "tehran"),
    "Syria": ("سوريا", "سورية", "دمشق", "السوري", "السورية", "سوري", "syria", "syrian", "damascus"),
    "USA": ("أمريكا", "أميركا", "الولايات المتحدة", "واشنطن", "الأمريكي", "الأميركي", "الأمريكية", "الأميركية", "أمريكي", "أميركي", "us", "usa", "america", "american", "washington", "united states"),
    "Israel": ("إسرائيل", "الإسرائيلي", "الإسرائيلية", "تل أبيب", "israel", "israeli"),
    "China": ("الصين", "بكين", "الصيني", "الصينية", "صينية", "صيني", "china", "chinese", "beijing"),
    "Saudi Arabia": ("السعودية", "الرياض", "السعودي", "المملكة السعودية", "saudi", "riyadh"),
    "Egypt": ("مصر", "القاهرة", "المصري", "المصرية", "مصري", "egypt", "egyptian", "cairo"),
    "Qatar": ("قطر", "الدوحة", "القطري", "القطرية", "qatar", "qatari", "doha"),
    "UAE": ("الإمارات", "أبوظبي", "الإماراتي", "الإماراتية", "uae", "emirates", "emirati"),
    "Iraq": ("العراق", "بغداد", "العراقي", "العراقية", "iraq", "iraqi", "baghdad"),
    "Lebanon": ("لبنان", "بيروت", "اللبناني", "اللبنانية", "lebanon", "lebanese", "beirut"),
    "Jordan": ("الأردن", "الأردني", "الأردنية", "jordan", "jordanian"),
    "Yemen": ("اليمن", "صنعاء", "اليمني", "اليمنية", "yemen", "yemeni"),
    "Libya": ("ليبيا", "الليبي", "الليبية", "libya", "libyan"),
    "Palestine": ("فلسطين", "الفلسطيني", "الفلسطينية", "الفلسطينيين", "palestine", "palestinian"),
    "France": ("فرنسا", "باريس", "الفرنسي", "الفرنسية", "france", "french", "paris"),
    "UK": ("بريطانيا", "لندن", "البريطاني", "البريطانية", "britain", "british", "london", "uk"),
    "Germany": ("ألمانيا", "برلين", "الألماني", "الألمانية", "germany", "german", "berlin"),
    "Kuwait": ("الكويت", "الكويتي", "الكويتية", "kuwait"),
    "Sudan": ("السودان", "الخرطوم", "السوداني", "sudan"),
    "Somalia": ("الصومال", "الصومالي", "somalia"),
    "India": ("الهند", "الهندي", "الهندية", "india", "indian"),
    "Ukraine": ("أوكرانيا", "كييف", "الأوكراني", "ukraine", "ukrainian", "kyiv", "kiev"),
    "Europe": ("أوروبا", "الأوروبي", "الأوروبية", "الاتحاد الأوروبي", "europe", "european", "eu"),
    "UN": ("الأمم المتحدة", "مجلس الأمن", "الأممية", "un", "united nations"),
    "NATO": ("الناتو", "حلف شمال الأطلسي", "nato"),
    "Japan": ("اليابان", "الياباني", "اليابانية", "يابانية", "ياباني", "طوكيو", "japan", "japanese", "tokyo"),
    "Italy": ("إيطاليا", "الإيطالي", "الإيطالية", "روما", "italy", "italian", "rome"),
    "Spain": ("إسبانيا", "الإسباني", "الإسبانية", "مدريد", "spain", "spanish"),
    "Korea": ("كوريا", "الكوري", "الكورية", "سول", "بيونغ يانغ", "korea", "korean"),
    "Africa": ("أفريقيا", "إفريقيا", "الأفريقي", "الأفريقية", "africa", "african"),
    "Bahrain": ("البحرين", "البحريني", "البحرينية", "bahrain"),
    "Tunisia": ("تونس", "التونسي", "التونسية", "tunisia"),
    "Algeria": ("الجزائر", "الجزائري", "الجزائرية", "algeria"),
    "Morocco": ("المغرب", "المغربي", "المغربية", "morocco"),
    "Pakistan": ("باكستان", "الباكستاني", "pakistan"),
    "Afghanistan": ("أفغانستان", "الأفغاني", "afghanistan"),
    "Canada": ("كندا", "الكندي", "الكندية", "canada"),
    "Brazil": ("البرازيل", "البرازيلي", "brazil"),
    "Mexico": ("المكسيك", "المكسيكي", "mexico"),
    "Venezuela": ("فنزويلا", "venezuela"),
    "Argentina": ("الأرجنتين", "الأرجنتيني", "argentina"),
    "Nigeria": ("نيجيريا", "nigeria"),
    "Ethiopia": ("إثيوبيا", "ethiopia"),
    "Mozambique": ("موزمبيق", "mozambique"),
    "Greece": ("اليونان", "اليوناني", "greece"),
    "Netanyahu": ("نتنياهو", "netanyahu"),
    "Macron": ("ماكرون", "macron"),
    "Merkel": ("ميركل", "merkel"),
    "Biden": ("بايدن", "biden"),
    "Obama": ("أوباما", "obama"),
    "Rouhani": ("روحاني", "rouhani"),
    "Khamenei": ("خامنئي", "khamenei"),
    "Sisi": ("السيسي", "sisi"),
    "Abbas": ("محمود عباس", "abbas"),
    "Bin Salman": ("بن سلمان", "ابن سلمان", "bin salman"),
    "Juncker": ("يونكر", "juncker"),
    "May": ("تيريزا ماي", "theresa may"),
    "Johnson": ("جونسون", "johnson"),
    "Kim": ("كيم جونغ أون", "kim jong un"),
    "Hamas": ("حماس", "hamas"),
    "Taliban": ("طالبان", "taliban"),
    "OPEC": ("أوبك", "opec"),
    "World Bank": ("البنك الدولي", "world bank"),
    "IMF": ("صندوق النقد الدولي", "imf"),
    "Daraa": ("درعا", "daraa"),
    "Homs": ("حمص", "homs"),
    "Hama": ("حماة", "hama"),
    "Raqqa": ("الرقة", "raqqa"),
    "Deir ez-Zor": ("دير الزور", "deir ez-zor"),
    "Mosul": ("الموصل", "mosul"),
    "Basra": ("البصرة", "basra"),
    "Hodeidah": ("الحديدة", "hodeidah"),
    "Benghazi": ("بنغازي", "benghazi"),
    "Tripoli": ("طرابلس", "tripoli"),
    "Putin": ("بوتين", "putin"),
    "Erdogan": ("أردوغان", "إردوغان", "اردوغان", "erdogan"),
    "Assad": ("الأسد", "بشار", "assad"),
    "Trump": ("ترامب", "trump"),
    "Idlib": ("إدلب", "idlib"),
    "Latakia": ("اللاذقية", "latakia"),
    "Tartus": ("طرطوس", "tartus"),
    "Hasakah": ("الحسكة", "hasakah"),
    "Suwayda": ("السويداء", "suwayda"),
    "Quneitra": ("القنيطرة", "quneitra"),
    "Aleppo": ("حلب", "aleppo"),
    "Gaza": ("غزة", "gaza"),
    "Jerusalem": ("القدس", "jerusalem"),
    "ISIS": ("داعش", "تنظيم الدولة", "isis", "isil"),
    # Names with a negator in them ("بلا حدود" is part of the name, not a negation).
    "MSF": ("أطباء بلا حدود", "doctors without borders", "msf"),
    "RSF": ("مراسلون بلا حدود", "مراسلين بلا حدود", "reporters without borders", "rsf"),
    "HTS": ("هيئة تحرير الشام", "النصرة", "hts", "nusra"),
    "Hezbollah": ("حزب الله", "hezbollah"),
    "Houthis": ("الحوثيين", "الحوثي", "الحوثيون", "houthis", "houthi"),
    "Kurds": ("الأكراد", "الكردية", "الكردي", "قسد", "kurds", "kurdish", "sdf", "ypg"),
    "dollar": ("الدولار", "دولار", "dollar"),
    "euro": ("اليورو", "يورو", "euro"),
    "gold": ("الذهب", "gold"),
    "oil": ("النفط", "الخام", "oil", "crude"),
    "lira": ("الليرة", "lira"),
    "yen": ("الين", "yen"),
    "pound": ("الجنيه", "الإسترليني", "pound", "sterling"),
    "riyal": ("الريال", "riyal"),
    "yuan": ("اليوان", "yuan"),
    "stocks": ("الأسهم", "البورصة", "stocks", "shares"),
    "ruble": ("الروبل", "ruble", "rouble"),
    "bitcoin": ("بتكوين", "بيتكوين", "bitcoin"),
}

# Framing: concept -> label -> wordings. Two outlets naming the same actor or act with
# different labels frame it differently ("الإرهابيين" vs "الفصائل").
_FRAMING: dict[str, dict[str, tuple[str, ...]]] = {
    "armed groups": {
        "terrorists": ("الإرهابيين", "الإرهابيون", "إرهابيين", "إرهابيون", "الجماعات الإرهابية", "التنظيمات الإرهابية", "terrorists", "terrorist"),
        "militants": ("المسلحين", "المسلحون", "مسلحين", "مسلحون", "الجماعات المسلحة", "militants", "gunmen"),
        "extremists": ("المتشددين", "المتشددون", "متشددين", "المتطرفين", "متطرفين", "الجهاديين", "extremists", "jihadists", "hardliners"),
        "rebels": ("الثوار", "ثوار", "المتمردين", "متمردين", "الجيش الحر", "rebels", "insurgents"),
        "opposition": ("المعارضة المسلحة", "فصائل المعارضة", "المعارضة", "المعارضين", "opposition"),
        "factions": ("الفصائل", "فصائل", "factions"),
    },
    "Syrian government": {
        "regime": ("النظام", "النظام السوري", "نظام الأسد", "قوات النظام", "ميليشيات الأسد", "قوات الأسد", "regime", "assad regime"),
        "government": ("الحكومة السورية", "قوات الحكومة السورية", "الجيش السوري", "الجيش العربي السوري", "الدولة السورية", "syrian government", "syrian army", "government forces"),
    },
    "Turkish president": {
        "head of the regime": ("رئيس النظام التركي", "النظام التركي", "turkish regime"),
        "president": ("الرئيس التركي", "الحكومة التركية", "turkish president", "turkish government"),
    },
    "Israeli forces": {
        "occupation": ("الاحتلال", "قوات الاحتلال", "جيش الاحتلال", "الكيان الصهيوني", "الاحتلال الإسرائيلي", "occupation forces"),
        "Israeli army": ("الجيش الإسرائيلي", "القوات الإسرائيلية", "israeli army", "israeli forces", "idf"),
    },
    "Russian forces": {
        "occupation": ("الاحتلال الروسي", "المحتل الروسي", "russian occupation"),
        "Russian forces": ("القوات الروسية", "الجيش الروسي", "russian forces", "russian army"),
    },
    "deaths": {
        "martyred": ("استشهاد", "استشهد", "شهيد", "شهداء", "martyred", "martyrs"),
        "killed": ("مقتل", "قتلى", "قتيل", "قتيلا", "killed", "dead", "deaths"),
    },
    "control": {
        "liberation": ("تحرير", "حرر", "حررت", "تحرر", "liberated", "liberation", "liberate"),
        "capture": ("سيطرة", "سيطر", "سيطرت", "تسيطر", "يسيطر", "استولى", "استولت", "captured", "seized", "control"),
    },
}
_HEDGES = (
    "زعم", "زعمت", "يزعم", "تزعم", "مزاعم", "المزعوم", "المزعومة", "ادعى", "ادعت", "يدعي", "تدعي",
    "ادعاءات", "alleged", "allegedly", "claimed", "purported", "purportedly", "supposedly",
)

_REPORTING = {_f(w) for w in (
    "قال", "قالت", "يقول", "تقول", "أعلن", "أعلنت", "أكد", "أكدت", "ذكر", "ذكرت", "أفاد", "أفادت",
    "شدد", "شددت", "أضاف", "أضافت", "stressed", "added",
    "أوضح", "أوضحت", "صرح", "وفقا", "وفقًا", "بحسب", "حسب", "نقلا", "نقل", "أشار", "أشارت", "زعم",
    "according", "said", "says", "told", "reported", "stated", "announced", "claimed", "quoted",
)}
_SOURCES: dict[str, tuple[str, ...]] = {
    "official": ("وزير", "وزارة", "الوزارة", "الرئيس", "رئيس", "الحكومة", "متحدث", "الناطق", "المتحدث",
                 "الجيش", "بيان", "الخارجية", "الكرملين", "مسؤول", "مسؤولون", "minister", "ministry",
                 "president", "government", "spokesman", "spokeswoman", "spokesperson", "army",
                 "military", "official", "officials", "statement", "kremlin"),
    "anonymous": ("مصادر", "مصدر", "sources", "source"),
    "activists": ("ناشطون", "ناشطين", "نشطاء", "ناشط", "المرصد", "شهود", "سكان", "أهالي", "activists",
                  "activist", "observatory", "monitor", "witnesses", "residents"),
    "media": ("وكالة", "صحيفة", "قناة", "تقارير", "تقرير", "إعلام", "agency", "newspaper", "media",
              "report", "reports", "television", "channel"),
}
_ALWAYS_SOURCE = {"anonymous", "activists"}


def _phrase_index(table: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First folded token -> [(all folded tokens, value)], longest phrases first."""
    idx: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for value, phrases in table.items():
        for ph in phrases:
            toks = tuple(t.key for t in tokenize(ph))
            if toks:
                idx.setdefault(toks[0], []).append((toks, value))
    for v in idx.values():
        v.sort(key=lambda x: (-len(x[0]), x[1], x[0]))
    return idx


_ACTOR_IDX = _phrase_index(_ACTORS)
# Only actors of one kind replace each other: a country for a country, a currency for a
# currency ("روسيا" vs "الروبل" is two facts, not one changed).
_COMMODITIES = {"dollar", "euro", "gold", "oil", "lira", "ruble", "bitcoin", "yen", "pound", "riyal", "yuan", "stocks"}
_PEOPLE = {
    "Putin", "Erdogan", "Assad", "Trump", "Netanyahu", "Macron",
    "Merkel", "Biden", "Obama", "Rouhani", "Khamenei", "Sisi", "Abbas",
    "Bin Salman", "Juncker", "May", "Johnson", "Kim",
}


def _actor_kind(value: str) -> str:
    if value in _COMMODITIES:
        return "commodity"
    if value in _PEOPLE:
        return "person"
    return "place" if value in _ACTORS else "name"


# Value: concept, label and the lexicon's own wording, so the framing table counts
# "للجيش السوري" and "الجيش السوري" as one term.
_FRAMING_IDX = _phrase_index(
    {
        f"{concept}\x1f{label}\x1f{word}": (word,)
        for concept, labels in _FRAMING.items()
        for label, words in labels.items()
        for word in words
    }
)
_HEDGE_SET = {_f(w) for w in _HEDGES}
_SOURCE_OF = {_f(w): cat for cat, words in _SOURCES.items() for w in words}


# --- per-claim analysis -----------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    value: str  # canonical actor, "concept\x1flabel", antonym "group:pole", ...
    first: int  # token range [first, last)
    last: int
    start: int  # character span in the text
    end: int
    text: str


@dataclass(frozen=True)
class _Analysis:
    text: str
    toks: tuple[Token, ...]
    stems: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]
    negators: tuple[_Hit, ...]
    antonyms: tuple[_Hit, ...]
    actors: tuple[_Hit, ...]
    framing: tuple[_Hit, ...]
    hedges: tuple[_Hit, ...]
    sources: tuple[_Hit, ...]
    special: frozenset[int]  # token indices explained by a typed lexicon (not "wording")


def _match_phrases(toks: Sequence[Token], idx: dict[str, list[tuple[tuple[str, ...], str]]], text: str) -> list[_Hit]:
    out: list[_Hit] = []
    i = 0
    while i < len(toks):
        found = None
        forms = candidates(toks[i].key)
        for form in (*forms, *(f for f in _lexicon_forms(toks[i].key) if f not in forms)):
            for phrase, value in idx.get(form, ()):
                n = len(phrase)
                if form not in forms and n > 1:
                    continue  # inflected forms ("الروسيان") only for one-word entries
                if i + n <= len(toks) and all(
                    phrase[k] in candidates(toks[i + k].key) for k in range(1, n)
                ):
                    found = (n, value)
                    break
            if found:
                break
        if found:
            n, value = found
            s, e = toks[i].start, toks[i + n - 1].end
            out.append(_Hit(value, i, i + n, s, e, text[s:e]))
            i += n
        else:
            i += 1
    return out


def _is_nisba(hit: _Hit) -> bool:
    """A relational adjective ("السورية", "الروسي", "Syrian"): it describes a noun."""
    key = fold_letters(hit.text).casefold().replace("\u0651", "")
    if " " in key:
        return False
    if key.isascii():
        return key.endswith(("ian", "ish", "ese"))
    if key.startswith(("و", "ف")):
        return False  # coordinated ("والسورية"): a second name, not a descriptor
    return key.endswith(("ي", "يه", "يون", "يين"))


def _descriptors_dropped(actors: list[_Hit]) -> list[_Hit]:
    """Drop an adjective that describes the place named just before it ("إدلب السورية",
    "دمشق السورية"): it is part of that name, not a second actor who could stand in for
    another. After a currency or a commodity it is kept: "الليرة التركية" vs "الليرة
    اللبنانية" is two different things."""
    out: list[_Hit] = []
    for h in actors:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.last == h.first
            and prev.value != h.value
            and _actor_kind(prev.value) == "place"
            and not _is_nisba(prev)
            and _is_nisba(h)
        ):
            continue
        out.append(h)
    return out


def _lexicon_forms(key: str) -> list[str]:
    """Clitic-free forms of a token, then the same with one inflection suffix removed."""
    forms = list(candidates(key))
    for f in list(forms):
        for suf in _SUFFIXES:
            if f.endswith(suf) and len(f) - len(suf) >= 3 and not f.isascii():
                forms.append(f[: -len(suf)])
    return forms


def _antonym_hits(toks: Sequence[Token], text: str, skip: set[int]) -> list[_Hit]:
    out = []
    for i, t in enumerate(toks):
        if i in skip:
            continue
        seen: set[str] = set()
        plain = candidates(t.key)
        for form in _lexicon_forms(t.key):
            if form in _ANTONYMS and _idiomatic(toks, i, form, inflected=form not in plain):
                continue
            for g, pole in _ANTONYMS.get(form, ()):
                # A word may sit in several groups (فشلت: failed to succeed / to fulfil).
                if g not in seen:
                    seen.add(g)
                    out.append(_Hit(f"{g}:{pole}", i, i + 1, t.start, t.end, t.text))
    return out


def _negator_hits(toks: Sequence[Token], text: str, skip: set[int]) -> list[_Hit]:
    out = []
    for i, t in enumerate(toks):
        if i in skip:
            continue
        form = next((f for f in candidates(t.key) if f in _NEGATORS), None)
        if form is None and any(f in _NEGATIVE_PREDICATES for f in _lexicon_forms(t.key)):
            out.append(_Hit("neg", i, i + 1, t.start, t.end, t.text))
            continue
        if form is None and t.key == "t" and i > 0 and toks[i - 1].key.endswith("n"):
            # didn't / won't: the key splits at the apostrophe.
            out.append(_Hit("neg", i - 1, i + 1, toks[i - 1].start, t.end, text[toks[i - 1].start : t.end]))
            continue
        if form is None:
            continue
        nxt = toks[i + 1].key if i + 1 < len(toks) else ""
        if any(f in _NEG_EXCEPT_NEXT.get(form, ()) for f in candidates(nxt)):
            continue
        out.append(_Hit("neg", i, i + 1, t.start, t.end, t.text))
    return out


def _source_hits(toks: Sequence[Token], text: str) -> list[_Hit]:
    reporting = [i for i, t in enumerate(toks) if any(f in _REPORTING for f in candidates(t.key))]
    out = []
    for i, t in enumerate(toks):
        cat = next((_SOURCE_OF[f] for f in candidates(t.key) if f in _SOURCE_OF), None)
        if cat is None:
            continue
        if cat in _ALWAYS_SOURCE or any(abs(i - r) <= 4 for r in reporting):
            out.append(_Hit(cat, i, i + 1, t.start, t.end, t.text))
    return out


@lru_cache(maxsize=16384)  # about 7 KiB each: ~110 MiB at most
def _analyse(text: str) -> _Analysis:
    toks = tokenize(text)
    quantities = find_quantities(text, toks)
    dates = find_dates(text, toks)
    # Tokens inside a number qualifier ("ما لا يقل عن") are not negation or antonyms.
    qual_toks: set[int] = set()
    for i, t in enumerate(toks):
        for q in quantities:
            if q.qualifier_start is not None and q.qualifier_start <= t.start < q.start:
                qual_toks.add(i)
    actors = _descriptors_dropped(_match_phrases(toks, _ACTOR_IDX, text))
    # Nor are words inside a name ("أطباء بلا حدود", "Doctors Without Borders").
    name_toks = qual_toks | {i for h in actors for i in range(h.first, h.last)}
    negators = _negator_hits(toks, text, name_toks)
    antonyms = _antonym_hits(toks, text, name_toks)
    framing = _match_phrases(toks, _FRAMING_IDX, text)
    hedges = [
        _Hit("hedge", i, i + 1, t.start, t.end, t.text)
        for i, t in enumerate(toks)
        if any(f in _HEDGE_SET for f in candidates(t.key))
    ]
    sources = _source_hits(toks, text)
    special: set[int] = set()
    for h in (*negators, *antonyms, *actors, *framing, *hedges, *sources):
        special.update(range(h.first, h.last))
    for i, t in enumerate(toks):
        if any(q.start <= t.start < q.end for q in quantities) or any(d.start <= t.start < d.end for d in dates):
            special.add(i)
    return _Analysis(
        text=text,
        toks=tuple(toks),
        stems=tuple(t.stem for t in toks),
        quantities=tuple(quantities),
        dates=tuple(dates),
        negators=tuple(negators),
        antonyms=tuple(antonyms),
        actors=tuple(actors),
        framing=tuple(framing),
        hedges=tuple(hedges),
        sources=tuple(sources),
        special=frozenset(special),
    )


# --- alignment --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Alignment:
    matched_a: frozenset[int]
    matched_b: frozenset[int]
    blocks: tuple[tuple[int, int, int, int], ...]  # unmatched (a0, a1, b0, b1) regions


def _similar(x: str, y: str) -> bool:
    """Morphological variants of one word (ارتفاع/يرتفع, attack/attacks)."""
    if x == y:
        return True
    if min(len(x), len(y)) < 3:
        return False
    return fuzz.ratio(x, y) >= 80 or (len(x) >= 4 and len(y) >= 4 and (x.startswith(y) or y.startswith(x)))


def _align(a: _Analysis, b: _Analysis) -> _Alignment:
    ops = Indel.opcodes(list(a.stems), list(b.stems))
    ma: set[int] = set()
    mb: set[int] = set()
    blocks: list[list[int]] = []
    for op in ops:
        if op.tag == "equal":
            ma.update(range(op.src_start, op.src_end))
            mb.update(range(op.dest_start, op.dest_end))
            continue
        # Adjacent delete + insert form one replaced region.
        if blocks and blocks[-1][1] == op.src_start and blocks[-1][3] == op.dest_start:
            blocks[-1][1] = op.src_end
            blocks[-1][3] = op.dest_end
        else:
            blocks.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    # Soft matches: a word of one side whose variant sits unmatched anywhere on the other.
    un_a = [i for i in range(len(a.stems)) if i not in ma]
    un_b = [j for j in range(len(b.stems)) if j not in mb]
    if len(un_a) * len(un_b) <= 40000:
        for i in un_a:
            for j in un_b:
                if j not in mb and _similar(a.stems[i], b.stems[j]):
                    ma.add(i)
                    mb.add(j)
                    break
    return _Alignment(frozenset(ma), frozenset(mb), tuple((x[0], x[1], x[2], x[3]) for x in blocks))


# --- typed differences ------------------------------------------------------------------


def _same_value(p: Quantity, q: Quantity) -> bool:
    x, y = p.value, q.value
    if x == y:
        return True
    lo, hi = min(x, y), max(x, y)
    if "~" in (p.qualifier, q.qualifier) and hi <= lo * 1.1:
        return True
    for v, other in ((p, q), (q, p)):
        # A bound is consistent with a value just past it: "أكثر من مليار" with 1.25
        # billion, "less than 100" with 80 (news rounds to the round number below or
        # above). Ten times past it ("أكثر من 100" vs "ألف") is another figure.
        if other.qualifier in (None, "~"):
            if v.qualifier in (">", ">=") and v.value <= other.value <= 2 * v.value:
                return True
            if v.qualifier in ("<", "<=") and v.value / 2 <= other.value <= v.value:
                return True
        # "عشرات" (tens of) is consistent with 40, "hundreds" with 300, and a bare plural
        # scale ("آلاف", "millions") with anything below the next scale (270 ألف).
        if v.vague:
            span = 1000 if v.value in (1e3, 1e6, 1e9) else 10
            if v.value <= other.value < v.value * span:
                return True
    return False


def _same_unit(u: str | None, v: str | None) -> bool | None:
    if u is None or v is None:
        return None
    return _similar(u, v) or u[:3] == v[:3]


def _counted(a: _Analysis) -> list[Quantity]:
    month_starts = {d.start for d in a.dates if d.kind == "month"}
    out = []
    for q in a.quantities:
        if q.is_year:
            continue
        # Day of month ("5 آب") is a date, not a count.
        nxt = next((t for t in a.toks if t.start > q.end), None)
        if nxt is not None and nxt.start in month_starts:
            continue
        out.append(q)
    return out


def _tok_at(a: _Analysis, start: int) -> int:
    return next((i for i, t in enumerate(a.toks) if t.start >= start), max(0, len(a.toks) - 1))


def _number_diffs(a: _Analysis, b: _Analysis, al: _Alignment) -> list[Difference]:
    qa, qb = _counted(a), _counted(b)
    diffs: list[Difference] = []
    used_b: set[int] = set()
    pending_a: list[Quantity] = []
    for p in qa:
        same = [j for j, q in enumerate(qb) if _same_unit(p.unit, q.unit)]
        if any(_same_value(p, qb[j]) for j in same) or (not same and any(_same_value(p, q) for q in qb)):
            j = next((j for j in (same or range(len(qb))) if _same_value(p, qb[j])), None)
            if j is not None:
                used_b.add(j)
                q = qb[j]
                # Same value, opposite direction ("أكثر من 100" vs "أقل من 100").
                dirs = {p.qualifier, q.qualifier}
                if {">", "<"} <= {d[0] for d in dirs if d}:
                    diffs.append(_qdiff("number", p, q))
                elif p.qualifier != q.qualifier and "~" not in dirs and not (p.vague or q.vague):
                    diffs.append(_qdiff("hedge", p, q))
            continue
        free = [j for j in same if j not in used_b]
        if free:
            used_b.add(free[0])
            diffs.append(_qdiff("number", p, qb[free[0]]))
        else:
            pending_a.append(p)
    pending_b = [q for j, q in enumerate(qb) if j not in used_b and not any(_same_value(q, p) for p in qa)]
    # What is left pairs in order, unless both sides name different things counted.
    for p, q in zip(pending_a, pending_b, strict=False):
        if _same_unit(p.unit, q.unit) is False or not _local(a, b, al, _tok_at(a, p.start), _tok_at(b, q.start)):
            continue
        diffs.append(_qdiff("number", p, q))
    return diffs


def _qtext(q: Quantity) -> str:
    rel = {">": "> ", ">=": ">= ", "<": "< ", "<=": "<= ", "~": "~"}.get(q.qualifier or "", "")
    return f"{q.text} ({rel}{format_number(q.value)})"


def _qdiff(kind: str, p: Quantity, q: Quantity) -> Difference:
    return Difference(kind, _qtext(p), _qtext(q), (p.start, p.end), (q.start, q.end))


def _date_diffs(a: _Analysis, b: _Analysis, al: _Alignment) -> list[Difference]:
    diffs = []
    for kind in ("year", "month", "weekday"):
        da = [d for d in a.dates if d.kind == kind]
        db = [d for d in b.dates if d.kind == kind]
        if not da or not db:
            continue
        va, vb = {d.value for d in da}, {d.value for d in db}
        if va & vb:
            continue
        # The dates must stand in a shared context ("وصل الوفد ... يوم الاثنين" vs "...
        # يوم الخميس"): in long claims a weekday is often just when someone spoke.
        pair = next(
            (
                (x, y)
                for x in da
                for y in db
                if _context(a, x.start, x.end) & _context(b, y.start, y.end)
                and _local(a, b, al, _tok_at(a, x.start), _tok_at(b, y.start))
            ),
            None,
        )
        if pair is not None:
            x, y = pair
            diffs.append(Difference("date", x.text, y.text, (x.start, x.end), (y.start, y.end)))
    return diffs


_GENERIC = {_f(w) for w in ("يوم", "اليوم", "شهر", "عام", "العام", "سنة", "خلال", "منذ", "قبل", "بعد", "day", "month", "year", "on", "in")}


def _context(a: _Analysis, start: int, end: int, width: int = 3) -> set[str]:
    """Content words within ``width`` tokens of a span: what a date or negation is about."""
    idx = [i for i, t in enumerate(a.toks) if start <= t.start < end]
    if not idx:
        return set()
    lo, hi = max(0, idx[0] - width), min(len(a.toks), idx[-1] + width + 1)
    return {
        a.stems[i]
        for i in range(lo, hi)
        if i not in idx and len(a.stems[i]) >= 3 and a.stems[i] not in _GENERIC
    }


def _unmatched_hits(hits: Iterable[_Hit], matched: frozenset[int]) -> list[_Hit]:
    return [h for h in hits if any(i not in matched for i in range(h.first, h.last))]


def _actor_diffs(a: _Analysis, b: _Analysis, al: _Alignment) -> list[Difference]:
    diffs = []
    names_a = {h.value for h in a.actors}
    names_b = {h.value for h in b.actors}
    ua = [h for h in _unmatched_hits(a.actors, al.matched_a) if h.value not in names_b]
    ub = [h for h in _unmatched_hits(b.actors, al.matched_b) if h.value not in names_a]
    # English proper names outside the gazetteer: capitalised, not sentence-initial.
    ua += _proper_names(a, al.matched_a, b)
    ub += _proper_names(b, al.matched_b, a)
    used: set[int] = set()
    for ha in ua:
        kind_a = _actor_kind(ha.value)
        k = next(
            (
                k
                for k, h in enumerate(ub)
                if k not in used
                and (_actor_kind(h.value) == kind_a or "name" in (kind_a, _actor_kind(h.value)))
                and _local(a, b, al, ha.first, h.first)
            ),
            None,
        )
        if k is None:
            continue
        used.add(k)
        hb = ub[k]
        diffs.append(Difference("actor", ha.text, hb.text, (ha.start, ha.end), (hb.start, hb.end)))
    # Swapped roles: two shared actors in the opposite order around a shared word.
    shared = sorted(names_a & names_b)
    pos_a = {v: min(h.first for h in a.actors if h.value == v) for v in shared}
    pos_b = {v: min(h.first for h in b.actors if h.value == v) for v in shared}
    for i, x in enumerate(shared):
        for y in shared[i + 1 :]:
            if (pos_a[x] < pos_a[y]) == (pos_b[x] < pos_b[y]):
                continue
            if _anchor_between(a, b, pos_a[x], pos_a[y], pos_b[x], pos_b[y]):
                hx = next(h for h in a.actors if h.value == x and h.first == pos_a[x])
                hy = next(h for h in a.actors if h.value == y and h.first == pos_a[y])
                gx = next(h for h in b.actors if h.value == x and h.first == pos_b[x])
                gy = next(h for h in b.actors if h.value == y and h.first == pos_b[y])
                first_a, first_b = sorted((hx, hy), key=lambda h: h.first), sorted((gx, gy), key=lambda h: h.first)
                diffs.append(
                    Difference(
                        "actor",
                        f"{first_a[0].text} … {first_a[1].text}",
                        f"{first_b[0].text} … {first_b[1].text}",
                        (first_a[0].start, first_a[1].end),
                        (first_b[0].start, first_b[1].end),
                    )
                )
    return diffs


_SWAP_SPAN = 6  # most tokens between two actors whose roles may swap


def _anchor_between(a: _Analysis, b: _Analysis, ax: int, ay: int, bx: int, by: int) -> bool:
    """A content word between the two actors in both claims: a verb they share roles of."""
    lo_a, hi_a = sorted((ax, ay))
    lo_b, hi_b = sorted((bx, by))
    if hi_a - lo_a < 2 or hi_b - lo_b < 2:
        return False  # adjacent or coordinated ("روسيا وتركيا"): order carries no role
    if hi_a - lo_a > _SWAP_SPAN or hi_b - lo_b > _SWAP_SPAN:
        return False  # far apart in a long claim: different clauses, not one act's roles
    between_b = {b.stems[j] for j in range(lo_b + 1, hi_b)}
    return any(
        len(a.stems[i]) >= 3 and a.stems[i] in between_b and i not in a.special for i in range(lo_a + 1, hi_a)
    )


def _proper_names(a: _Analysis, matched: frozenset[int], other: _Analysis) -> list[_Hit]:
    other_keys = {t.key for t in other.toks}
    out = []
    for i, t in enumerate(a.toks):
        if (
            i > 0
            and i not in matched
            and i not in a.special
            and t.text[:1].isupper()
            and t.text.isascii()
            and t.key not in other_keys
            and not a.toks[i - 1].text.endswith((".", "!", "?"))
        ):
            out.append(_Hit(t.key, i, i + 1, t.start, t.end, t.text))
    return out


def _negation_diffs(a: _Analysis, b: _Analysis, al: _Alignment) -> list[Difference]:
    if len(a.negators) % 2 == len(b.negators) % 2:
        return []
    ua = _unmatched_hits(a.negators, al.matched_a) or list(a.negators)
    ub = _unmatched_hits(b.negators, al.matched_b) or list(b.negators)
    if len(a.negators) > len(b.negators):
        h = next((h for h in ua if _negates_shared(a, h, b) and _local_one(a, b, al, h.first, 0)), None)
        return [Difference("negation", h.text, "", (h.start, h.end), None)] if h else []
    h = next((h for h in ub if _negates_shared(b, h, a) and _local_one(a, b, al, h.first, 1)), None)
    return [Difference("negation", "", h.text, None, (h.start, h.end))] if h else []


# Skipped on the way from a negator to what it negates: particles, pronouns, auxiliaries.
_FUNCTION_WORDS = _fs((
    "من", "في", "على", "عن", "إلى", "الى", "مع", "أن", "ان", "إن", "أنه", "انه", "أنها", "انها", "قد",
    "لقد", "ما", "هذا", "هذه", "ذلك", "تلك", "هناك", "هنا", "أي", "اي", "كل", "بعد", "حتى", "كان",
    "كانت", "كانوا", "يكون", "تكون", "يكن", "تكن", "يكونوا", "سوف", "هو", "هي", "هم", "لهم", "له",
    "لها", "لنا", "به", "بها", "فيه", "فيها", "عليه", "عليها", "منه", "منها", "بين", "إلا", "الا",
    "ثم", "أو", "او", "إذا", "اذا", "يعد", "تعد", "أيضا", "ايضا", "علينا", "عليهم", "عليكم", "لدينا", "لديهم",
    "لدى", "نحن", "أنهم", "انهم", "أننا", "اننا", "أنا", "انا", "إنه", "إنها", "إنهم",
    "to", "be", "been", "being", "the", "a", "an", "yet", "also", "ever", "have", "has", "had", "is",
    "was", "were", "are", "will", "would", "shall", "should", "do", "does", "did", "of", "in", "on",
    "at", "for", "that", "this", "it", "its", "any", "there", "so", "as", "by", "with", "from",
))
# Modal words a negation passes through to its verb ("غير قادرة على الوفاء", "لم تتمكن من
# الوفاء", "could not meet").
_MODALS: set[str] = _verb_forms((
    "قادر", "قادرة", "قادرون", "قادرين", "بإمكان", "بمقدور", "استطاع", "تمكن", "أمكن", "يمكن",
    "يستطيع", "able", "can", "could", "manage", "managed",
))


# Words that open a subordinate clause: a negation's scope ends there.
_CLAUSE_BREAKS = _fs((
    "أن", "ان", "أنه", "انه", "أنها", "انها", "أنهم", "انهم", "إن", "إنه", "إنها", "لأن", "لان", "لكن",
    "بل", "حيث", "الذي", "التي", "الذين", "that", "which", "who", "because", "but", "while", "whereas",
))


def _negated_words(a: _Analysis, h: _Hit) -> list[int]:
    """Token indices a negator may bear on: content words within four tokens after it.
    Particles and pronouns are skipped; after a negating particle so are actor names
    unless one comes first ("بغير الدولار", "لا إيران"): in "لم يعلن الروس" the negation
    bears on يعلن, and الروس is only its subject."""
    # A negative predicate ("ترفض إقراض لبنان", "تتجاهل أزمة تركيا") is the verb itself:
    # everything after it is its complement, actors included.
    particle = any(f in _NEGATORS for f in candidates(a.toks[h.first].key))
    actor_toks = {i for x in a.actors for i in range(x.first, x.last)} if particle else set()
    out: list[int] = []
    for i in range(h.last, min(len(a.toks), h.last + 4)):
        if any(x.first <= i < x.last for x in a.negators):
            break  # a second negator: what follows is its business
        forms = candidates(a.toks[i].key)
        if any(f in _CLAUSE_BREAKS for f in forms) and not all(
            any(f in _MODALS for f in candidates(a.toks[k].key)) for k in out
        ):
            # "لا يعني أنه ينبغي علينا الاتفاق": the negation ends where the clause it
            # negates opens another; only after a modal ("لا يمكن أن") does it carry on.
            break
        if any(f in _FUNCTION_WORDS for f in forms) or len(a.stems[i]) < 3:
            continue
        if i in actor_toks and out:
            continue
        out.append(i)
    return out


def _negates_shared(a: _Analysis, h: _Hit, other: _Analysis) -> bool:
    """Is what the negator negates also said in the other claim (the same word, or a word
    of the same antonym group)? Sharing a particle ("أنه") or the subject of an unshared
    verb is not enough: a negation in a long claim often bears on something the other
    never says."""
    groups_other = {x.value.rsplit(":", 1)[0] for x in other.antonyms}
    other_words = [
        j for j, v in enumerate(other.stems)
        if len(v) >= 3 and not any(f in _FUNCTION_WORDS for f in candidates(other.toks[j].key))
    ]
    for i in _negated_words(a, h):
        if any(f in _MODALS for f in candidates(a.toks[i].key)):
            continue  # "لا يمكن": the modal is not what the claims share
        # "failed to separate" does not deny "is responsible for separating".
        if any(_same_word(a, i, other, j) and not _owed(other, j) for j in other_words):
            return True
        if any(x.first == i and x.value.rsplit(":", 1)[0] in groups_other for x in a.antonyms):
            return True  # "غير قادرة على الوفاء" vs "أوفت": the same act, other wording
    return False


_SHORT = 30  # tokens: a sentence-sized claim, where the whole claim is one context
_BLOCK = 8  # most tokens a side of a changed stretch may span in a long claim


def _local(a: _Analysis, b: _Analysis, al: _Alignment, i: int, j: int) -> bool:
    """Do token i of a and token j of b stand in the same place? Always, in short claims;
    in long ones only inside one aligned-around block (one word put for another), since
    a long claim mentions many actors and verbs that have nothing to do with each other."""
    if max(len(a.toks), len(b.toks)) <= _SHORT:
        return True
    return any(
        a0 <= i < a1 and b0 <= j < b1 and a1 - a0 <= _BLOCK and b1 - b0 <= _BLOCK for a0, a1, b0, b1 in al.blocks
    )


def _local_one(a: _Analysis, b: _Analysis, al: _Alignment, i: int, side: int) -> bool:
    """Token i of one side (0 = a, 1 = b) sits in a small change amid aligned words."""
    if max(len(a.toks), len(b.toks)) <= _SHORT:
        return True
    return any(
        (a0 <= i < a1 if side == 0 else b0 <= i < b1) and a1 - a0 <= _BLOCK and b1 - b0 <= _BLOCK
        for a0, a1, b0, b1 in al.blocks
    )


def _poles(a: _Analysis) -> dict[str, dict[int, _Hit]]:
    """Antonym group -> pole -> first hit. A negated pole is left out: "لم نتمكن من فصل"
    (could not separate) is no antonym of "فشل في فصل" (failed to separate), and where
    the two poles really disagree the negation itself is the difference."""
    negated = _negated(a)
    out: dict[str, dict[int, _Hit]] = {}
    for h in a.antonyms:
        if h.first not in negated:
            g, p = h.value.rsplit(":", 1)
            out.setdefault(g, {}).setdefault(int(p), h)
    return out


def _antonym_diffs(a: _Analysis, b: _Analysis, al: _Alignment) -> list[Difference]:
    diffs = []
    poles_a, poles_b = _poles(a), _poles(b)
    seen_a: set[int] = set()
    for g in sorted(set(poles_a) & set(poles_b)):
        pa, pb = poles_a[g], poles_b[g]
        if len(pa) == 1 and len(pb) == 1 and set(pa) != set(pb):
            x = next(iter(pa.values()))
            y = next(iter(pb.values()))
            if x.first in seen_a or not _local(a, b, al, x.first, y.first):
                continue
            seen_a.add(x.first)
            diffs.append(Difference("antonym", x.text, y.text, (x.start, x.end), (y.start, y.end)))
    # Both poles on each side ("gold rises as the dollar falls" vs "gold falls as the
    # dollar rises"): compare the pole attached to the same actor.
    ta, tb = _anchored_poles(a, b), _anchored_poles(b, a)
    for key in sorted(set(ta) & set(tb)):
        (qa, xa), (qb, yb) = ta[key], tb[key]
        if len(qa) == 1 and len(qb) == 1 and qa != qb and xa.first not in seen_a and _local(a, b, al, xa.first, yb.first):
            seen_a.add(xa.first)
            diffs.append(Difference("antonym", xa.text, yb.text, (xa.start, xa.end), (yb.start, yb.end)))
    return diffs


def _anchored_poles(a: _Analysis, other: _Analysis) -> dict[tuple[str, str], tuple[set[int], _Hit]]:
    """(antonym group, nearest actor or shared word) -> poles used for it, first hit."""
    other_stems = set(other.stems)
    out: dict[tuple[str, str], tuple[set[int], _Hit]] = {}
    for h in a.antonyms:
        g, pole = h.value.rsplit(":", 1)
        best: tuple[int, str] | None = None
        for act in a.actors:
            d = max(act.first - h.last, h.first - act.last) + 1
            if d <= 4 and (best is None or d < best[0]):
                best = (d, act.value)
        if best is None:
            for i in (h.first - 1, h.last, h.first - 2, h.last + 1):
                if 0 <= i < len(a.stems) and i not in a.special and len(a.stems[i]) >= 3 and a.stems[i] in other_stems:
                    best = (0, a.stems[i])
                    break
        if best is None:
            continue
        poles, first = out.get((g, best[1]), (set(), h))
        poles.add(int(pole))
        out[(g, best[1])] = (poles, first)
    return out


def _framing_diffs(a: _Analysis, b: _Analysis) -> list[Difference]:
    diffs = []
    labels_a: dict[str, dict[str, _Hit]] = {}
    labels_b: dict[str, dict[str, _Hit]] = {}
    for hits, labels in ((a.framing, labels_a), (b.framing, labels_b)):
        for h in hits:
            concept, label, _ = h.value.split("\x1f")
            labels.setdefault(concept, {}).setdefault(label, h)
    for concept in sorted(set(labels_a) & set(labels_b)):
        la, lb = labels_a[concept], labels_b[concept]
        only_a = sorted(set(la) - set(lb))
        only_b = sorted(set(lb) - set(la))
        if only_a and only_b:
            x, y = la[only_a[0]], lb[only_b[0]]
            diffs.append(Difference("framing", x.text, y.text, (x.start, x.end), (y.start, y.end)))
    ha, hb = a.hedges, b.hedges
    if bool(ha) != bool(hb):
        if ha:
            diffs.append(Difference("hedge", ha[0].text, "", (ha[0].start, ha[0].end), None))
        else:
            diffs.append(Difference("hedge", "", hb[0].text, None, (hb[0].start, hb[0].end)))
    return diffs


def _find_span(text: str, needle: str) -> tuple[int, int] | None:
    if not needle:
        return None
    i = text.find(needle)
    return (i, i + len(needle)) if i >= 0 else None


def _attribution_diffs(a: _Analysis, b: _Analysis, a_speaker: str | None, b_speaker: str | None) -> list[Difference]:
    sa = (a_speaker or "").strip()
    sb = (b_speaker or "").strip()
    if sa and sb:
        ka, kb = match_key(sa), match_key(sb)
        if ka and kb and fuzz.token_set_ratio(ka, kb) < 80:
            return [Difference("attribution", sa, sb, _find_span(a.text, sa), _find_span(b.text, sb))]
        return []
    cats_a = {h.value for h in a.sources}
    cats_b = {h.value for h in b.sources}
    if cats_a and cats_b and not (cats_a & cats_b):
        x = a.sources[0]
        y = b.sources[0]
        return [Difference("attribution", x.text, y.text, (x.start, x.end), (y.start, y.end))]
    return []


def _script(text: str) -> str:
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "arabic" if arabic >= latin else "latin"


def _wording_diffs(a: _Analysis, b: _Analysis, al: _Alignment) -> list[Difference]:
    """Replaced content words nothing typed explains: a generic substitution."""
    diffs = []
    for a0, a1, b0, b1 in al.blocks:
        ia = [i for i in range(a0, a1) if i not in al.matched_a and i not in a.special and len(a.stems[i]) >= 3]
        ib = [j for j in range(b0, b1) if j not in al.matched_b and j not in b.special and len(b.stems[j]) >= 3]
        if ia and ib:
            s = a.toks[ia[0]].start
            e = a.toks[ia[-1]].end
            s2 = b.toks[ib[0]].start
            e2 = b.toks[ib[-1]].end
            if _script(a.text[s:e]) != _script(b.text[s2:e2]):
                continue  # Arabic for English is a translation, not a changed fact
            diffs.append(Difference("wording", a.text[s:e], b.text[s2:e2], (s, e), (s2, e2)))
    return diffs


# --- strict mode: contrasts between claims linked only as "related" -----------------------
# Two claims about one event that are not paraphrases differ everywhere, so a typed
# difference alone says little. A contrast between them needs a polarity flip on a
# predicate both state, with an argument they share, in a sentence that asserts it (not a
# demand, hope or question), and a topic (actor or place) both name; or a number on a
# noun both count, or a date in a shared context, under the same topic.

# Words that put what follows them out of assertion: demands, hopes, expectations,
# necessity, threats, conditions, questions.
_IRREALIS = _verb_forms((
    "طالب", "دعا", "ناشد", "حث", "تمنى", "توقع", "هدد", "سعى", "أراد", "اقترح", "أمل", "يأمل", "تأمل",
    "آمل", "نأمل", "يدعو", "تدعو", "يسعى", "تسعى",
))
_IRREALIS |= {_f(w) for w in (
    "حذر", "يحذر", "تحذر", "حذرت", "تحذير", "محذرا", "warn", "warns", "warned", "warning",
    "مطالبة", "مطالبا", "مطالبين", "دعوة", "دعوات", "أمله", "أملها", "أملهم", "ضرورة", "يجب", "ينبغي",
    "المتوقع", "المقرر", "ربما", "لعل", "إذا", "اذا", "لو", "هل", "شرط", "بشرط", "تهديد", "محاولة",
    "urge", "urged", "urges", "demand", "demanded", "demands", "hope", "hopes", "hoped", "expect",
    "expects", "expected", "should", "must", "would", "could", "might", "if", "whether", "threaten",
    "threatened", "threatens", "plan", "plans", "planned", "want", "wants", "wanted", "seek", "seeks",
    "sought", "call", "calls", "called", "may",
)}
_SENTENCE_END = frozenset(".!?؟؛;")
_IRREALIS_REACH = 12  # tokens back from a flip a trigger may govern it


# Duty words: what follows is owed, not done ("تتحمل أنقرة المسؤولية عن فصل ..."), so a
# claim that it was not done does not deny it. (A demand or a refusal is a stance, and
# ANS counts "calls for X" vs "rejects X" as a disagreement: only duties are excluded.)
# A pledge is a stance, not a duty: ANS counts "pledges X" vs "ignores X" as disagreeing.
_DUTY = {_f(w) for w in (
    "ضرورة", "بضرورة", "يجب", "ينبغي", "مسؤولية", "المسؤولية", "مسؤوليتها", "مسؤوليته", "must",
    "should", "obliged", "obligation", "responsible", "responsibility",
)}
_DUTY_REACH = 5  # tokens back: the duty word governs the act and its object ("المسؤولية عن فصل المعارضة")


def _preceded_by(a: _Analysis, i: int, triggers: frozenset[str] | set[str], reach: int) -> bool:
    """Does a trigger word stand within ``reach`` tokens before token i, in its sentence?"""
    for k in range(i - 1, max(-1, i - 1 - reach), -1):
        if any(ch in _SENTENCE_END for ch in a.text[a.toks[k].end : a.toks[k + 1].start]):
            return False
        if any(f in triggers for f in _lexicon_forms(a.toks[k].key)):
            return True
    return False


def _irrealis(a: _Analysis, i: int) -> bool:
    """Is token i inside a demand, hope, necessity, condition or question?"""
    if a.text.rstrip(" \"'»”)").endswith(("?", "؟")):
        return True
    return _preceded_by(a, i, _IRREALIS, _IRREALIS_REACH)


def _owed(a: _Analysis, i: int) -> bool:
    """Is token i right after a duty word (what is owed, not said to be done)?"""
    return _preceded_by(a, i, _DUTY, _DUTY_REACH)


@lru_cache(maxsize=65536)
def _match_forms(key: str) -> tuple[str, ...]:
    """Forms of a token to match across claims: clitics and one suffix off, and for an
    Arabic verb its imperfect prefix or perfect hamza too (تنسحب / انسحبت -> نسحب)."""
    forms = [f for f in _lexicon_forms(key) if len(f) >= 3]
    forms += [f[1:] for f in forms if len(f) >= 5 and not f.isascii() and f[0] in "يتنا"]
    return tuple(dict.fromkeys(forms))


def _same_word(a: _Analysis, i: int, b: _Analysis, j: int) -> bool:
    """Tokens i of a and j of b are one word (clitics, inflection and spelling aside)."""
    return any(_similar(x, y) for x in _match_forms(a.toks[i].key) for y in _match_forms(b.toks[j].key))


def _content(a: _Analysis, i: int) -> bool:
    return (
        len(a.stems[i]) >= 3
        and not any(f in _FUNCTION_WORDS for f in candidates(a.toks[i].key))
        and not any(x.first <= i < x.last for x in a.negators)
        and not any(f in _REPORTING for f in candidates(a.toks[i].key))
    )


def _argument_slots(a: _Analysis, i: int) -> list[int]:
    """Where the arguments of predicate i stand: two words before it, three after. Polarity
    words of another antonym group are not arguments (they are predicates of their own:
    "تهبط بأعلى وتيرة"), those of its own group may be ("أوفت بالتزاماتها"); an actor counts
    only right beside it ("الذهب يصعد"): a country named two words off is the topic."""
    actor_toks = {k for x in a.actors for k in range(x.first, x.last)}
    own = {x.value.rsplit(":", 1)[0] for x in a.antonyms if x.first == i}
    polar = {x.first for x in a.antonyms if x.value.rsplit(":", 1)[0] not in own}
    return [
        k
        for k in range(max(0, i - 2), min(len(a.toks), i + 4))
        if k != i and _content(a, k) and k not in polar and (k not in actor_toks or abs(k - i) == 1)
    ]


def _shared_argument(a: _Analysis, i: int, b: _Analysis, j: int) -> bool:
    """A word next to predicate i of a is also next to predicate j of b: "أوفت
    بالتزاماتها" / "الوفاء بالعديد من الالتزامات"."""
    wb = _argument_slots(b, j)
    return any(_same_word(a, x, b, y) for x in _argument_slots(a, i) for y in wb)


# Framing concepts that name an actor (not an act such as "deaths" or "control"): the
# same armed groups under any label are a shared subject ("الإرهابيين شنوا أكثر من 100
# هجوم" / "تنفيذ الإرهابيين ألف هجوم").
_ACTOR_CONCEPTS = frozenset(c for c in _FRAMING if c not in ("deaths", "control"))


def _topics(a: _Analysis) -> set[str]:
    concepts = {h.value.split("\x1f", 1)[0] for h in a.framing}
    return {h.value for h in a.actors} | {"concept:" + c for c in concepts & _ACTOR_CONCEPTS}


def _shared_topic(a: _Analysis, b: _Analysis) -> bool:
    """An actor or place both name, or one actor both name under a framing label."""
    return bool(_topics(a) & _topics(b))


def _negated_head(a: _Analysis, h: _Hit) -> list[int]:
    """What a negator negates, strictly: the first content word after it (an actor only
    when nothing comes before it), with any modals on the way ("قادرة ... الوفاء")."""
    out: list[int] = []
    for i in _negated_words(a, h):
        out.append(i)
        if not any(f in _MODALS for f in candidates(a.toks[i].key)):
            break
    return out


def _negated(a: _Analysis) -> set[int]:
    """Token indices some negator of ``a`` bears on."""
    return {i for h in a.negators for i in _negated_words(a, h)}


def _strict_negation(a: _Analysis, b: _Analysis) -> list[Difference]:
    if len(a.negators) % 2 == len(b.negators) % 2:
        return []
    neg_side, other, side = (a, b, 0) if len(a.negators) > len(b.negators) else (b, a, 1)
    groups = {x.first: x.value for x in neg_side.antonyms}
    negated_other = _negated(other)
    candidates_other = [
        j for j in range(len(other.toks)) if _content(other, j) and j not in negated_other and not _irrealis(other, j)
    ]
    for h in neg_side.negators:
        if _irrealis(neg_side, h.first):
            continue
        for i in _negated_head(neg_side, h):
            for j in candidates_other:
                # The same act in other words, same pole ("غير قادرة على الوفاء" / "أوفت");
                # the opposite pole under a negation ("لم يف" / "أخل") agrees.
                same_act = i in groups and any(y.first == j and y.value == groups[i] for y in other.antonyms)
                if not (same_act or _same_word(neg_side, i, other, j)):
                    continue
                if not _shared_argument(neg_side, i, other, j):
                    continue
                d = Difference("negation", h.text, "", (h.start, h.end), None)
                return [d if side == 0 else d.swapped()]
    return []


# Superlatives and comparatives qualify the noun right after them ("أعلى وتيرة").
_COMPARATIVE_GROUPS = frozenset({"high_low", "more_less"})


def _strict_antonyms(a: _Analysis, b: _Analysis) -> list[Difference]:
    poles_a: dict[str, set[str]] = {}
    poles_b: dict[str, set[str]] = {}
    for h in a.antonyms:
        g, p = h.value.rsplit(":", 1)
        poles_a.setdefault(g, set()).add(p)
    for h in b.antonyms:
        g, p = h.value.rsplit(":", 1)
        poles_b.setdefault(g, set()).add(p)
    negated_a, negated_b = _negated(a), _negated(b)
    for x in a.antonyms:
        g, p = x.value.rsplit(":", 1)
        if len(poles_a[g]) != 1 or len(poles_b.get(g, ())) != 1 or poles_b[g] == poles_a[g]:
            continue  # both poles on one side: "gold rises as the dollar falls"
        for y in b.antonyms:
            if y.value.rsplit(":", 1)[0] != g:
                continue
            if x.first in negated_a or y.first in negated_b:
                continue  # "لم يرتفع" vs "انخفض": negation and antonym cancel, or not; unclear
            if _irrealis(a, x.first) or _irrealis(b, y.first):
                continue
            i, j = x.first + 1, y.first + 1
            if (
                g in _COMPARATIVE_GROUPS
                and i < len(a.toks) and j < len(b.toks) and _content(a, i) and _content(b, j)
                and not _same_word(a, i, b, j)
            ):
                continue  # "أعلى وتيرة" vs "أدنى مستوى": the poles qualify different things
            if _shared_argument(a, x.first, b, y.first):
                return [Difference("antonym", x.text, y.text, (x.start, x.end), (y.start, y.end))]
    return []


def _strict_numbers(a: _Analysis, b: _Analysis) -> list[Difference]:
    qa, qb = _counted(a), _counted(b)
    for p in qa:
        if p.unit is None or p.unit == "%" or _irrealis(a, _tok_at(a, p.start)):
            continue
        same = [q for q in qb if q.unit is not None and q.unit != "%" and _similar(p.unit, q.unit)]
        if not same or any(_same_value(p, q) for q in same):
            continue
        q = next((q for q in same if not _irrealis(b, _tok_at(b, q.start))), None)
        if q is not None:
            return [_qdiff("number", p, q)]
    return []


def _strict_dates(a: _Analysis, b: _Analysis, al: _Alignment) -> list[Difference]:
    """A date difference whose shared context is an act, not only who spoke."""
    out = []
    for d in _date_diffs(a, b, al):
        assert d.a_span is not None and d.b_span is not None
        ca = _context(a, *d.a_span) - _actor_stems(a) - _speaker_stems(a) - _REPORTING
        cb = _context(b, *d.b_span) - _actor_stems(b) - _speaker_stems(b) - _REPORTING
        if ca & cb:
            out.append(d)
    return out


def _speaker_stems(a: _Analysis) -> set[str]:
    """The word right after a reporting verb ("قال لافروف", "said Smith"): who spoke, which
    two statements on different days share without stating one act."""
    return {a.stems[i + 1] for i in range(len(a.stems) - 1) if a.stems[i] in _REPORTING}


def _actor_stems(a: _Analysis) -> set[str]:
    return {a.stems[i] for x in a.actors for i in range(x.first, x.last)}


_STRICT_MAX_TOKENS = 200


def _strict_scope(a: _Analysis, b: _Analysis) -> bool:
    """Claim-sized texts under a shared topic: where strict evidence is sought at all."""
    return max(len(a.toks), len(b.toks)) <= _STRICT_MAX_TOKENS and _shared_topic(a, b)


def _strict_possible(a: _Analysis, b: _Analysis) -> bool:
    """Necessary conditions of ``_strict_evidence``, cheap enough to test on every related
    link before aligning it (most related links fail them: no shared topic, or nothing on
    either side that could flip)."""
    if not _strict_scope(a, b):
        return False
    return (
        len(a.negators) % 2 != len(b.negators) % 2
        or (bool(a.antonyms) and bool(b.antonyms))
        or (bool(a.quantities) and bool(b.quantities))
        or (bool(a.dates) and bool(b.dates))
    )


def _strict_evidence(a: _Analysis, b: _Analysis, al: _Alignment) -> list[Difference]:
    """The differences that make two merely related claims a contrast (see above).
    Sought only in claim-sized texts: in longer ones every predicate would be compared
    with every word of the other (quadratic), and a text that long is not one claim."""
    if not _strict_scope(a, b):
        return []
    return _strict_negation(a, b) + _strict_antonyms(a, b) + _strict_numbers(a, b) + _strict_dates(a, b, al)


# --- features and the model -------------------------------------------------------------

BASE_FEATURES = (
    "sim_token", "sim_char", "sim_tset", "unmatched_max", "unmatched_min", "len_ratio",
    "n_number", "n_date", "n_actor", "n_negation", "n_antonym", "n_attribution", "n_framing",
    "n_hedge", "n_wording", "any_typed", "typed_x_sim", "neg_any", "antonym_any_side",
)
# Learned from ANS train: log-odds that a word left unaligned marks a disagreement.
LEXICON_FEATURES = ("lex_max", "lex_min", "lex_sum")
FEATURES = BASE_FEATURES + LEXICON_FEATURES


def _features(a: _Analysis, b: _Analysis, al: _Alignment, diffs: Sequence[Difference]) -> dict[str, float]:
    sa, sb = set(a.stems), set(b.stems)
    union = sa | sb
    sim_token = len(sa & sb) / len(union) if union else 0.0
    ka, kb = " ".join(a.stems), " ".join(b.stems)
    sim_char = fuzz.ratio(ka, kb) / 100.0 if ka or kb else 0.0
    sim_tset = fuzz.token_set_ratio(ka, kb) / 100.0 if ka and kb else 0.0
    ua = 1 - len(al.matched_a) / len(a.stems) if a.stems else 1.0
    ub = 1 - len(al.matched_b) / len(b.stems) if b.stems else 1.0
    la, lb = len(a.stems), len(b.stems)
    counts = Counter(d.kind for d in diffs)
    typed = sum(v for k, v in counts.items() if k not in ("wording", "hedge", "framing"))
    f = {
        "sim_token": sim_token,
        "sim_char": sim_char,
        "sim_tset": sim_tset,
        "unmatched_max": max(ua, ub),
        "unmatched_min": min(ua, ub),
        "len_ratio": min(la, lb) / max(la, lb) if max(la, lb) else 0.0,
        **{f"n_{k}": float(min(counts.get(k, 0), 2)) for k in KINDS},
        "any_typed": float(typed > 0),
        "typed_x_sim": float(typed > 0) * sim_token,
        "neg_any": float(bool(a.negators) or bool(b.negators)),
        "antonym_any_side": float(bool(_unmatched_hits(a.antonyms, al.matched_a)) or bool(_unmatched_hits(b.antonyms, al.matched_b))),
    }
    return {k: f[k] for k in BASE_FEATURES}


def _unmatched_stems(a: _Analysis, b: _Analysis, al: _Alignment) -> tuple[str, ...]:
    words = {a.stems[i] for i in range(len(a.stems)) if i not in al.matched_a}
    words |= {b.stems[j] for j in range(len(b.stems)) if j not in al.matched_b}
    return tuple(sorted(w for w in words if len(w) >= 2 and not w.isdigit()))


def lexicon_key(word: str) -> str:
    """Key of a word in the learned lexicon: a short hash, so the shipped artefact holds
    weights but no text from the corpus it was trained on."""
    return hashlib.blake2b(word.encode("utf-8"), digest_size=5).hexdigest()


def lexicon_features(unmatched: Sequence[str], lexicon: dict[str, float]) -> dict[str, float]:
    """Strongest, weakest and summed learned weight of the words left unaligned."""
    keys = [lexicon_key(w) for w in unmatched]
    ws = [lexicon[k] for k in keys if k in lexicon]
    return {
        "lex_max": max(ws, default=0.0),
        "lex_min": min(ws, default=0.0),
        "lex_sum": float(np.clip(sum(ws), -6.0, 6.0)),
    }


# Fallback weights when the trained artefact is missing: how strongly each kind alone
# signals a contrast (a changed number or a negation almost always does; a substitution
# may be a synonym the lexicons miss).
_RULE_WEIGHTS = {
    "number": 0.8, "antonym": 0.8, "negation": 0.75, "date": 0.6, "actor": 0.6,
    "attribution": 0.5, "framing": 0.3, "hedge": 0.3, "wording": 0.2,
}


@dataclass(frozen=True)
class _Tree:
    """One regression tree as flat arrays (sklearn layout): go left when x <= threshold."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def predict(self, x: np.ndarray) -> float:
        node = 0
        for _ in range(len(self.feature)):  # bounded: a malformed tree cannot loop forever
            if self.left[node] < 0:
                return self.value[node]
            node = self.left[node] if x[self.feature[node]] <= self.threshold[node] else self.right[node]
        raise ModelError("contrast judge: malformed tree", hint="rebuild with `python benchmarks/train_judge.py`")


@dataclass(frozen=True)
class _Model:
    """The trained judge: ``kind`` "logistic" (standardised features, coefficients) or
    "trees" (gradient-boosted trees on raw features), a threshold, a learned lexicon."""

    kind: str
    features: tuple[str, ...]
    threshold: float
    lexicon: dict[str, float]
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    coef: np.ndarray | None = None
    intercept: float = 0.0
    trees: tuple[_Tree, ...] = ()
    learning_rate: float = 1.0

    def raw(self, x: np.ndarray) -> float:
        if self.kind == "trees":
            return self.intercept + self.learning_rate * sum(t.predict(x) for t in self.trees)
        assert self.mean is not None and self.scale is not None and self.coef is not None
        return float(((x - self.mean) / self.scale) @ self.coef + self.intercept)


_MODEL_CACHE: dict[str, _Model | None] = {}


def _parse_model(raw: dict[str, Any]) -> _Model:
    feats = tuple(raw["features"])
    if feats != FEATURES:
        raise ValueError(f"features {list(feats)} do not match this version")
    lexicon = {str(k): float(v) for k, v in raw.get("lexicon", {}).items()}
    kind = raw.get("model", "logistic")
    if kind == "trees":
        trees = tuple(
            _Tree(
                tuple(int(v) for v in t["feature"]),
                tuple(float(v) for v in t["threshold"]),
                tuple(int(v) for v in t["left"]),
                tuple(int(v) for v in t["right"]),
                tuple(float(v) for v in t["value"]),
            )
            for t in raw["trees"]
        )
        for t in trees:
            n = len(t.feature)
            if not (n == len(t.threshold) == len(t.left) == len(t.right) == len(t.value)) or any(
                c >= n for c in (*t.left, *t.right)
            ):
                raise ValueError("malformed tree")
            if any(f >= len(feats) or f < 0 for f, c in zip(t.feature, t.left, strict=True) if c >= 0):
                raise ValueError("tree splits on an unknown feature")
        return _Model(
            "trees", feats, float(raw["threshold"]), lexicon, intercept=float(raw["init"]),
            trees=trees, learning_rate=float(raw["learning_rate"]),
        )
    if kind != "logistic":
        raise ValueError(f"unknown model kind {kind!r}")
    return _Model(
        "logistic", feats, float(raw["threshold"]), lexicon,
        mean=np.asarray(raw["mean"], dtype=np.float64),
        scale=np.asarray(raw["scale"], dtype=np.float64),
        coef=np.asarray(raw["coef"], dtype=np.float64),
        intercept=float(raw["intercept"]),
    )


def load_model(path: Path = ARTEFACT) -> _Model | None:
    """The trained judge, or None when the artefact is absent (rules decide then)."""
    key = str(path)
    if key in _MODEL_CACHE:
        return _MODEL_CACHE[key]
    model: _Model | None = None
    if path.exists():
        try:
            model = _parse_model(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(
                f"{path}: unreadable contrast judge ({exc})",
                hint="rebuild it with `python benchmarks/train_judge.py` or delete it to use rules",
            ) from exc
    _MODEL_CACHE[key] = model
    return model


def _score(
    feats: dict[str, float], unmatched: Sequence[str], diffs: Sequence[Difference], model: _Model | None
) -> tuple[float, bool]:
    if model is None:
        p_not = 1.0
        for d in diffs:
            p_not *= 1 - _RULE_WEIGHTS.get(d.kind, 0.0)
        p = 1 - p_not
        return p, p >= 0.5
    feats = {**feats, **lexicon_features(unmatched, model.lexicon)}
    x = np.array([feats[k] for k in model.features], dtype=np.float64)
    z = model.raw(x)
    p = 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))
    return p, p >= model.threshold


def _analyse_pair(
    a_text: str, b_text: str, a_speaker: str | None, b_speaker: str | None
) -> tuple[list[Difference], dict[str, float], tuple[str, ...]]:
    a, b = _analyse(a_text), _analyse(b_text)
    al = _align(a, b)
    return _differences(a, b, al, a_speaker, b_speaker)


def _differences(
    a: _Analysis, b: _Analysis, al: _Alignment, a_speaker: str | None, b_speaker: str | None
) -> tuple[list[Difference], dict[str, float], tuple[str, ...]]:
    diffs: list[Difference] = []
    diffs += _number_diffs(a, b, al)
    diffs += _date_diffs(a, b, al)
    diffs += _outside_speakers(_actor_diffs(a, b, al), a, b, a_speaker, b_speaker)
    diffs += _negation_diffs(a, b, al)
    diffs += _antonym_diffs(a, b, al)
    diffs += _attribution_diffs(a, b, a_speaker, b_speaker)
    diffs += _framing_diffs(a, b)
    diffs += _wording_diffs(a, b, al)
    return diffs, _features(a, b, al, diffs), _unmatched_stems(a, b, al)


def _outside_speakers(diffs: list[Difference], a: _Analysis, b: _Analysis,
                      a_speaker: str | None, b_speaker: str | None) -> list[Difference]:
    """Actor differences whose word on either side is that claim's speaker ("وأكد
    الكرملين أن ...") are who says it, not who did what: the attribution difference
    reports them, and an actor difference there would pair the speaker with whatever
    place the other claim names ("الكرملين" against "إدلب"). Applied after pairing on
    purpose: leaving the speaker out before pairing lets the other claim's place pair
    with the next actor instead ("إدلب" against "التركي"), another false contrast."""
    spans = [_find_span(t.text, sp.strip()) if sp and sp.strip() else None
             for t, sp in ((a, a_speaker), (b, b_speaker))]

    def inside(span: tuple[int, int] | None, within: tuple[int, int] | None) -> bool:
        return span is not None and within is not None and within[0] <= span[0] and span[1] <= within[1]

    return [d for d in diffs if not (inside(d.a_span, spans[0]) or inside(d.b_span, spans[1]))]


def _sort_key(d: Difference) -> tuple[int, tuple[int, int], tuple[int, int], str, str]:
    return (_KIND_ORDER.get(d.kind, 99), d.a_span or (-1, -1), d.b_span or (-1, -1), d.a, d.b)


# Kinds that change a fact on their own. Attribution, framing and hedging say *how* two
# versions differ but two outlets may frame or attribute the same fact differently.
FACT_KINDS = frozenset({"number", "date", "actor", "negation", "antonym"})


def _explained(diffs: Sequence[Difference]) -> bool:
    """Can the report say what changed? Only a typed fact (number, date, actor, negation,
    antonym) explains a contrast. Word swaps alone are what paraphrases look like across
    real outlets (يؤكدان / يجددان), so they never make a contrast by themselves: this is
    the precision-first operating point (ANS dev, measured 2026-11-28: P 0.942, R 0.414;
    allowing crisp word swaps too gave P 0.821, R 0.622; after the seed rules of issue #5,
    P 0.961, R 0.416)."""
    return any(d.kind in FACT_KINDS for d in diffs)


@dataclass(frozen=True)
class PairFeatures:
    """What ``benchmarks/train_judge.py`` trains on: rule features, the unaligned words
    (for the learned lexicon), how many differences were found and whether they explain
    a contrast (only then may the judge call one)."""

    features: dict[str, float]
    unmatched: tuple[str, ...]
    n_differences: int
    explained: bool


def pair_features(
    a_text: str, b_text: str, *, a_speaker: str | None = None, b_speaker: str | None = None
) -> PairFeatures:
    """The judge's inputs for a pair, symmetric in a and b."""
    a_text, b_text = a_text or "", b_text or ""
    if (b_text, b_speaker or "") < (a_text, a_speaker or ""):
        a_text, b_text, a_speaker, b_speaker = b_text, a_text, b_speaker, a_speaker
    diffs, feats, unmatched = _analyse_pair(a_text, b_text, a_speaker, b_speaker)
    return PairFeatures(feats, unmatched, len(diffs), _explained(diffs))


def read_probe_pairs(path: Path) -> list[tuple[str, str, str | None, str | None]]:
    """Pairs of a TSV with a header (a, b, a_speaker, b_speaker); ``#`` lines are comments."""
    rows = [ln.split("\t") for ln in path.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    return [(r[0], r[1], r[2] or None, r[3] or None) for r in rows[1:]]


def feature_fingerprint(pairs: Sequence[tuple[str, str, str | None, str | None]]) -> str:
    """SHA-256 of the feature names and of every feature and unaligned word the code
    computes on ``pairs`` (text a, text b, speaker a, speaker b).

    The trained judge records the fingerprint of the code it was trained on; a test
    recomputes it, so a feature changed, added or computed differently fails until the
    judge is retrained (``make judge``). Values are rounded to 6 decimals: the features
    are plain Python arithmetic, identical across machines to far more digits."""
    import hashlib

    h = hashlib.sha256(json.dumps(list(FEATURES)).encode())
    for a, b, sa, sb in pairs:
        pf = pair_features(a, b, a_speaker=sa or None, b_speaker=sb or None)
        row = {k: round(v, 6) for k, v in sorted(pf.features.items())}
        h.update(json.dumps([row, list(pf.unmatched), pf.n_differences, pf.explained],
                            ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


def judge_pair(
    a_text: str,
    b_text: str,
    *,
    a_speaker: str | None = None,
    b_speaker: str | None = None,
    model: _Model | str | None = "default",
    strict: bool = False,
) -> Judgement:
    """Do two versions of a claim disagree, and how? Symmetric: swapping a and b swaps
    the sides of every difference and changes nothing else.

    ``strict``: for claims that are only related (same event, not the same claim). A
    contrast then also needs strict evidence: a negation or antonym on a predicate both
    claims state, next to an argument both share, asserted (not demanded, hoped for or
    asked), under a topic (actor or place) both name; or a number on a noun both count,
    or a date in a shared context. Only that evidence is reported as facts that changed
    (plus attribution, framing, hedging and wording)."""
    a_text = a_text or ""
    b_text = b_text or ""
    # One canonical order, so judge(a, b) and judge(b, a) are the same judgement.
    flip = (b_text, b_speaker or "") < (a_text, a_speaker or "")
    if flip:
        a_text, b_text, a_speaker, b_speaker = b_text, a_text, b_speaker, a_speaker
    a, b = _analyse(a_text), _analyse(b_text)
    al = _align(a, b)
    diffs, feats, unmatched = _differences(a, b, al, a_speaker, b_speaker)
    m = load_model() if isinstance(model, str) else model
    p, is_contrast = _score(feats, unmatched, diffs, m)
    # A contrast the report cannot explain is not shown as one.
    is_contrast = is_contrast and _explained(diffs)
    if strict:
        evidence = _strict_evidence(a, b, al)
        is_contrast = is_contrast and bool(evidence)
        diffs = evidence + [d for d in diffs if d.kind not in FACT_KINDS]
    if flip:
        diffs = [d.swapped() for d in diffs]
    return Judgement(round(p, 6), is_contrast, tuple(sorted(set(diffs), key=_sort_key)))


_DURATIONS = {_f(w) for w in (  # _f folds hamza seats: أيام and ايام are one entry
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "ثانية", "ثوان", "دقيقة", "دقائق", "ساعة", "ساعات",
    "يوم", "أيام", "أسبوع", "أسابيع", "شهر", "أشهر", "شهور", "سنة", "سنوات", "عام", "أعوام",
)}


def _duration(q: Quantity) -> bool:
    return q.unit is not None and _f(q.unit) in _DURATIONS


_SPOKEN_REACH = 3  # tokens back from a date a reporting verb may govern it


def _when_spoken(a: _Analysis, d: DateMention) -> bool:
    """Does a reporting verb govern a date (when someone spoke, not when the event was)?
    Up to ``_SPOKEN_REACH`` tokens before it ("said on Monday", "قال لافروف يوم الاثنين"),
    or the token right after it ("الاثنين قال"); "reached Idlib on Wednesday, officials
    said" keeps its date."""
    i = _tok_at(a, d.start)
    after = _tok_at(a, d.end)
    return _preceded_by(a, i, _REPORTING, _SPOKEN_REACH) or (
        a.toks[after].start >= d.end and any(f in _REPORTING for f in _lexicon_forms(a.toks[after].key)))


def judge_across_scripts(a_text: str, b_text: str) -> Judgement:
    """An English and an Arabic version of one claim: do their facts differ?

    The wording judge aligns tokens and has nothing to align across scripts, so only the
    values both scripts write alike are compared: a contrast when, once the values both
    sides state are set aside, exactly one counted quantity is left on each side (bounds
    and rounding read as in ``judge_pair``: "more than 100" is not "1,000"), or when both
    name an event date of one kind (weekday, month, year; not one a reporting verb
    governs, see ``_when_spoken``) with no value in common. Negation,
    antonyms and actors cannot be compared this way: such pairs stay paraphrases. The
    score is the rule's verdict, 1.0 or 0.0. Symmetric like ``judge_pair``."""
    a_text, b_text = a_text or "", b_text or ""
    flip = b_text < a_text
    if flip:
        a_text, b_text = b_text, a_text
    a, b = _analyse(a_text), _analyse(b_text)
    diffs: list[Difference] = []
    # Values both sides state cancel out; one left on each side is the changed figure.
    # More than one left is ambiguous without aligned words: no verdict. Durations ("in
    # two weeks") are set aside: Arabic writes two as a dual (أسبوعين) with no number.
    qa = [q for q in _counted(a) if not q.vague and not _duration(q)]
    qb = [q for q in _counted(b) if not q.vague and not _duration(q)]
    for q in list(qa):
        twin = next((r for r in qb if _same_value(q, r)), None)
        if twin is not None:
            qa.remove(q)
            qb.remove(twin)
    if len(qa) == 1 and len(qb) == 1:
        diffs.append(_qdiff("number", qa[0], qb[0]))
    # Dates of the event only: "said on Monday" is when someone spoke, and two outlets
    # often report one statement on different days.
    for kind in ("year", "month", "weekday"):
        da = [d for d in a.dates if d.kind == kind and not _when_spoken(a, d)]
        db = [d for d in b.dates if d.kind == kind and not _when_spoken(b, d)]
        if da and db and not {d.value for d in da} & {d.value for d in db}:
            x, y = da[0], db[0]
            diffs.append(Difference("date", x.text, y.text, (x.start, x.end), (y.start, y.end)))
    if flip:
        diffs = [d.swapped() for d in diffs]
    return Judgement(1.0 if diffs else 0.0, bool(diffs), tuple(sorted(set(diffs), key=_sort_key)))


def differences_json(diffs: Iterable[Difference]) -> str:
    """JSON list of differences, keys in a fixed order."""
    return json.dumps([d.to_dict() for d in diffs], ensure_ascii=False, separators=(",", ":"))



RELATED_MODES = ("skip", "strict")


def _by_locality(todo: list[int], a_ids: list[str], b_ids: list[str]) -> list[int]:
    """The links ``todo`` in an order where both claims of nearby links are near in the
    order too (reverse Cuthill-McKee on the claim graph, links by their claims' earlier
    position), so that ``_analyse``'s bounded cache holds the claims in use: in id order
    a link's second claim is anywhere in the corpus. The order changes nothing in the
    output."""
    if len(todo) < 2:
        return todo
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    index: dict[str, int] = {}
    rows = np.asarray([index.setdefault(a_ids[i], len(index)) for i in todo])
    cols = np.asarray([index.setdefault(b_ids[i], len(index)) for i in todo])
    m = len(index)
    graph = coo_matrix((np.ones(2 * len(todo), dtype=np.int8), (np.r_[rows, cols], np.r_[cols, rows])), shape=(m, m))
    perm = reverse_cuthill_mckee(graph.tocsr(), symmetric_mode=True)
    pos = np.empty(m, dtype=np.int64)
    pos[perm] = np.arange(m)
    lo, hi = np.minimum(pos[rows], pos[cols]), np.maximum(pos[rows], pos[cols])
    order = np.lexsort((hi, lo))
    return [todo[k] for k in order.tolist()]


def _latin(memo: dict[str, bool], claim_id: str, text: str) -> bool:
    got = memo.get(claim_id)
    if got is None:
        got = memo[claim_id] = is_latin(match_key(text))
    return got


def judge_links(links: pl.DataFrame, claims: pl.DataFrame, related: str = "skip") -> pl.DataFrame:
    """Judge every ``paraphrase`` link: fill ``contrast`` and ``differences``, and set the
    relation to "contrast" where the judge says so. Other links get ``contrast`` null and
    no differences (see below).

    ``related``: "skip" (default) leaves ``related`` links unjudged; "strict" judges them
    with ``judge_pair(..., strict=True)``: one that becomes a contrast gets its score and
    differences, the others stay ``related`` with ``contrast`` null and no differences.
    A link between a Latin-script and an Arabic claim is judged by
    ``judge_across_scripts`` (values only) when it is a paraphrase, and left alone when
    it is only related."""
    if related not in RELATED_MODES:
        raise UsageError(f"related={related!r}: expected one of {', '.join(RELATED_MODES)}")
    if links.height == 0:
        return links.select([pl.col(c).cast(t) if c in links.columns else pl.lit(None, t).alias(c) for c, t in LINKS.items()])
    missing = [c for c in ("claim_id", "text") if c not in claims.columns]
    if missing:
        raise InputError(f"claims table lacks column(s) {missing}", hint="pass the claims frame from segment_claims")
    has_speaker = "speaker" in claims.columns
    info = {
        str(r["claim_id"]): (str(r["text"] or ""), (r.get("speaker") if has_speaker else None))
        for r in claims.select(["claim_id", "text", *(["speaker"] if has_speaker else [])]).iter_rows(named=True)
    }
    latin: dict[str, bool] = {}  # script per claim, read once when a link first needs it
    a_ids, b_ids, rels = links["claim_a"].to_list(), links["claim_b"].to_list(), links["relation"].to_list()
    for a_id, b_id in zip(a_ids, b_ids, strict=True):
        if a_id not in info or b_id not in info:
            raise InputError(
                f"link {a_id} - {b_id} names a claim missing from the claims table",
                hint="judge links against the claims table they were built from",
            )
    n = len(rels)
    scores: list[float | None] = [None] * n
    diffs_out: list[str | None] = ["[]"] * n
    relations: list[str | None] = list(rels)
    # Only a link that already says "same claim" (paraphrase) can become a contrast:
    # duplicates cannot contradict themselves, and "related" links (same event, other
    # claim) gave mostly false contrasts on the seed articles (long sentences on one
    # topic always differ somewhere). So only paraphrase links are judged: this also
    # keeps the stage linear in the same-claim links, not in all links. The strict mode
    # judges related links too, under rules that ask what a contrast between two
    # different sentences needs (see judge_pair).
    todo = [i for i, rel in enumerate(rels) if rel == "paraphrase" or (rel == "related" and related == "strict")]
    cache: dict[tuple[str, str, bool], Judgement] = {}
    for i in _by_locality(todo, a_ids, b_ids):
        a_id, b_id, rel = a_ids[i], b_ids[i], rels[i]
        strict = rel == "related"
        pair = (a_id, b_id, strict)
        j = cache.get(pair)
        (ta, sa), (tb, sb) = info[a_id], info[b_id]
        if j is None and _latin(latin, a_id, ta) != _latin(latin, b_id, tb):
            if strict:
                continue  # related across scripts: no shared noun to anchor a value on
            j = judge_across_scripts(ta, tb)
            cache[pair] = j
        if j is None and strict and not _strict_possible(_analyse(ta), _analyse(tb)):
            continue  # cannot be a strict contrast (judge_pair would say so after aligning)
        if j is None:
            j = judge_pair(ta, tb, a_speaker=sa, b_speaker=sb, strict=strict)
            cache[pair] = j
        if strict and not j.is_contrast:
            continue
        scores[i] = j.contrast
        diffs_out[i] = differences_json(j.differences)
        relations[i] = "contrast" if j.is_contrast else rel
    out = links.with_columns(
        pl.Series("contrast", scores, dtype=pl.Float64),
        pl.Series("differences", diffs_out, dtype=pl.String),
        pl.Series("relation", relations, dtype=pl.String),
    )
    for c, t in LINKS.items():
        if c not in out.columns:
            out = out.with_columns(pl.lit(None, t).alias(c))
    return out.select([pl.col(c).cast(t) for c, t in LINKS.items()] + [c for c in out.columns if c not in LINKS])


def framing_table(claims: pl.DataFrame) -> pl.DataFrame:
    """Per outlet, the framing wordings it uses for the same actors and acts, with counts.

    One row per (concept, outlet, term): ``term`` is the lexicon's wording (clitics and
    inflection folded away), ``label`` the framing it carries ("regime", "terrorists"...),
    ``n_claims`` how many of the outlet's claims use it. Only concepts
    named by at least one outlet appear; sorted for stable output.
    """
    if claims.height == 0 or "text" not in claims.columns:
        return pl.DataFrame(schema=FRAMING)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    claim_counts: Counter[tuple[str, str, str, str]] = Counter()
    outlets = claims["outlet"] if "outlet" in claims.columns else pl.Series([None] * claims.height)
    for outlet, text in zip(outlets, claims["text"], strict=True):
        a = _analyse(str(text or ""))
        seen: set[tuple[str, str, str, str]] = set()
        for h in a.framing:
            concept, label, term = h.value.split("\x1f")
            key = (concept, str(outlet or ""), term, label)
            counts[key] += 1
            seen.add(key)
        for key in seen:
            claim_counts[key] += 1
    rows = [
        {"concept": c, "outlet": o, "term": t, "count": n, "label": lab, "n_claims": claim_counts[(c, o, t, lab)]}
        for (c, o, t, lab), n in sorted(counts.items())
    ]
    return pl.DataFrame(rows, schema=FRAMING) if rows else pl.DataFrame(schema=FRAMING)


# --- evaluation on ANS ------------------------------------------------------------------


ANS_SPLIT_SEED = 17
ANS_PARTS = ("tune", "report")


def read_ans(path: Path, part: str | None = None) -> list[tuple[str, str, str]]:
    """(s1, s2, stance) rows of an ANS stance CSV.

    ``part`` splits a file in two halves by source headline (all rewrites of one
    headline stay together), fixed by ``ANS_SPLIT_SEED``: "tune" may shape rules and
    operating points, "report" is only measured; None is the whole file."""
    import csv
    import random

    if part is not None and part not in ANS_PARTS:
        raise UsageError(f"unknown ANS part {part!r}", hint=f"use one of {', '.join(ANS_PARTS)}")
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or not {"s1", "s2", "stance"} <= set(reader.fieldnames):
                raise InputError("not an ANS stance file (needs s1,s2,stance)", path, 1)
            rows = [(r["s1"], r["s2"], r["stance"]) for r in reader]
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", path, hint="check the path") from exc
    if part is None:
        return rows
    heads = sorted({s1 for s1, _, _ in rows})
    random.Random(ANS_SPLIT_SEED).shuffle(heads)
    tune = set(heads[: len(heads) // 2])
    return [r for r in rows if (r[0] in tune) == (part == "tune")]


def evaluate_contrast_ans(
    dev_csv: Path, *, model: _Model | str | None = "default", strict: bool = False,
    part: str | None = None,
) -> dict[str, Any]:
    """Precision, recall and F1 of ``is_contrast`` for ANS ``disagree`` on a split
    (``strict``: as judge_links judges ``related`` links in strict mode; ``part``: a
    half of the file, see ``read_ans``)."""
    rows = read_ans(Path(dev_csv), part)
    m = load_model() if isinstance(model, str) else model
    tp = fp = fn = tn = 0
    for s1, s2, stance in rows:
        j = judge_pair(s1, s2, model=m, strict=strict)
        gold = stance == "disagree"
        tp += j.is_contrast and gold
        fp += j.is_contrast and not gold
        fn += (not j.is_contrast) and gold
        tn += (not j.is_contrast) and not gold
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(rows),
        "part": part or "all",
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "operating_point": {
            "judge": "model" if m is not None else "rules",
            "threshold": m.threshold if m is not None else 0.5,
            "requires_difference": True,
            "strict": strict,
        },
    }
