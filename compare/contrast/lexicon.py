"""Word lists of the contrast judge: polarity, negation, fixed expressions, hedges,
sources, and the words that bound what another word bears on.

Written as an editor would; folded to match keys at import. Names of actors and the
framing labels are in ``gazetteer``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..text import negation
from ..text.normalize import fold_letters
from ..text.numbers import Token, candidates


def fold_word(word: str) -> str:
    """A lexicon word as a match key: letters folded (hamza seats, alef forms), casefolded."""
    return fold_letters(word).casefold()


def folded_set(words: Iterable[str]) -> frozenset[str]:
    """The match keys of a word list."""
    return frozenset(fold_word(w) for w in words)


def verb_forms(words: Iterable[str]) -> set[str]:
    """A word plus the imperfective forms of a perfective verb (ارتفع -> يرتفع, ترتفع)."""
    out: set[str] = set()
    for w in words:
        w = fold_word(w)
        out.add(w)
        if w.isascii() or " " in w:
            continue
        base = w[1:] if w.startswith("ا") else w
        out.update({"ي" + base, "ت" + base, "ن" + base})
    return out


# --- antonyms -----------------------------------------------------------------------------


class Pole(NamedTuple):
    """A word's side in an antonym group: ``pole`` 1 (rise, win, allow...) or -1 (fall...)."""

    group: str
    pole: int


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
# Folded form -> every (group, pole) it stands for, in group order.
ANTONYMS: dict[str, list[Pole]] = {}
for _group, (_pos, _neg) in _ANTONYM_GROUPS.items():
    for _pole, _words in ((1, _pos), (-1, _neg)):
        for _w in sorted(verb_forms(_words)):
            ANTONYMS.setdefault(_w, []).append(Pole(_group, _pole))
# Inflection suffixes one of which may be peeled to find a lexicon form.
_SUFFIXES = ("تا", "وا", "ون", "ان", "ين", "ات", "ها", "هم", "ت", "ا", "ه", "ي")


def lexicon_forms(key: str) -> list[str]:
    """Clitic-free forms of a token, then the same with one inflection suffix removed."""
    forms = list(candidates(key))
    for f in list(forms):
        for suf in _SUFFIXES:
            if f.endswith(suf) and len(f) - len(suf) >= 3 and not f.isascii():
                forms.append(f[: -len(suf)])
    return forms


# --- negation -----------------------------------------------------------------------------

NEGATORS = {fold_word(w) for w in negation.NEGATORS}
# Predicates that deny what the other version asserts ("تنفي", "ترفض", "تفشل في",
# "تتجاهل"): counted with the negators, so "X does Y" vs "X refuses Y" is a negation.
NEGATIVE_PREDICATES = verb_forms((
    "نفى", "نفت", "ينفي", "تنفي", "رفض", "رفضت", "فشل", "فشلت", "أخفق", "تجاهل", "تجنب", "امتنع",
    "أفلت", "عجز", "تراجع عن", "استبعد", "استثنى",
))
NEGATIVE_PREDICATES |= {fold_word(w) for w in (
    "denied", "denies", "deny", "refused", "refuses", "refuse", "rejected", "rejects", "failed",
    "fails", "ignored", "ignores", "avoided", "avoids", "declined", "unable",
)}
NEGATIVE_PREDICATES = {w for w in NEGATIVE_PREDICATES if " " not in w}
# Negators that are not negation here: "لا يزال" (still), "لا سيما" (especially),
# "لا بد" (must), "غير أن" (however), "ما لا يقل عن" (at least).
NOT_NEGATION_BEFORE: dict[str, set[str]] = {
    fold_word(w): {fold_word(x) for x in following} for w, following in negation.NOT_NEGATION_NEXT.items()
}


# --- fixed expressions --------------------------------------------------------------------

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


_IDIOMS: dict[str, _Idiom] = {
    fold_word("أجل"): _Idiom(prev=folded_set(("من",)), glued=folded_set(("لأجل", "ولأجل", "لاجل", "ولاجل"))),
    # Unvocalised bare قبل is "before" in news far more often than "accepted" (قَبِلَ):
    # only its inflected forms (قبلت، يقبل) count as accepting.
    fold_word("قبل"): _Idiom(bare=True),
    # "زاد" / "وزاد" before a speaker is the reporting verb "added".
    fold_word("زاد"): _Idiom(next=folded_set((
        "الوزير", "وزير", "الرئيس", "رئيس", "المتحدث", "الناطق", "المسؤول", "مسؤول", "المصدر", "البيان",
        "قائلا", "بالقول", "السفير", "المندوب",
    ))),
    "up": _Idiom(prev=folded_set((
        "set", "sets", "setting", "sign", "signed", "pick", "picked", "make", "made", "take", "took",
        "follow", "followed", "give", "gave", "show", "showed", "build", "built", "break", "broke",
        "end", "ended", "back", "backed", "wrap", "wrapped", "line", "lined", "look", "looked",
        "step", "stepped", "steps", "call", "called", "open", "opened", "come", "came", "hold", "held",
    ))),
    "down": _Idiom(prev=folded_set((
        "step", "stepped", "steps", "stepping", "turn", "turned", "turns", "shut", "crack", "cracked",
        "calm", "calmed", "play", "played", "tone", "toned", "back", "backed", "break", "broke",
        "broken", "hunt", "hunted", "track", "tracked", "shot", "shoot", "lay", "laid", "sit", "sat",
    ))),
    "close": _Idiom(next=folded_set((
        "to", "ties", "ally", "allies", "aide", "aides", "relations", "cooperation", "friend", "friends",
        "contact", "coordination",
    ))),
    "record": _Idiom(prev=folded_set(("on", "track", "criminal", "human", "rights"))),
    # "يعوض خسائره" (recoups its losses) is a gain, not a loss.
    fold_word("خسائر"): _Idiom(prev=folded_set((
        "عوض", "يعوض", "تعوض", "عوضت", "تعويض", "استعاد", "يستعيد", "تستعيد", "استعادت", "قلص", "يقلص",
        "تقلص", "قلصت", "recoup", "recoups", "recouped", "pare", "pares", "pared",
    ))),
    "losses": _Idiom(prev=folded_set(("recoup", "recoups", "recouped", "recouping", "pare", "pares", "pared", "paring"))),
    # "يتخلى عن مكاسبه" (gives up its gains) is a loss.
    fold_word("مكاسب"): _Idiom(prev=folded_set((
        "تخلى", "يتخلى", "تتخلى", "تخلت", "فقد", "يفقد", "تفقد", "فقدت", "خسر", "يخسر", "تخسر", "خسرت",
        "محا", "يمحو", "تمحو", "محت", "قلص", "يقلص", "تقلص", "قلصت",
    ))),
    "gains": _Idiom(prev=folded_set((
        "erase", "erased", "erases", "pare", "pared", "pares", "gave", "give", "gives", "lost", "lose",
        "loses", "trim", "trimmed", "trims", "wipe", "wiped", "wipes",
    ))),
}


# Words that may sit inside a fixed expression ("يعوض بعض خسائره", "يتخلى عن مكاسبه",
# "gave up its gains").
_IDIOM_FILLERS = folded_set((
    "بعض", "كل", "معظم", "جميع", "جزءا", "جزء", "عن", "some", "most", "all", "part", "much", "many",
    "its", "their", "his", "her", "up",
))


def is_idiomatic(toks: Sequence[Token], i: int, form: str, inflected: bool) -> bool:
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


# --- hedges, reporting verbs, sources -----------------------------------------------------

# Words that distance the outlet from what it reports ("alleged", "زعم").
HEDGES = {fold_word(w) for w in (
    "زعم", "زعمت", "يزعم", "تزعم", "مزاعم", "المزعوم", "المزعومة", "ادعى", "ادعت", "يدعي", "تدعي",
    "ادعاءات", "alleged", "allegedly", "claimed", "purported", "purportedly", "supposedly",
)}

# Reporting verbs and "according to": what follows or precedes them is who said it.
REPORTING = {fold_word(w) for w in (
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
SOURCE_OF = {fold_word(w): cat for cat, words in _SOURCES.items() for w in words}
# Categories that name a source wherever they stand; the others only near a reporting verb.
ALWAYS_SOURCE = {"anonymous", "activists"}


# --- scope: what a word bears on ----------------------------------------------------------

# Skipped on the way from a negator to what it negates: particles, pronouns, auxiliaries.
FUNCTION_WORDS = folded_set((
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
MODALS: set[str] = verb_forms((
    "قادر", "قادرة", "قادرون", "قادرين", "بإمكان", "بمقدور", "استطاع", "تمكن", "أمكن", "يمكن",
    "يستطيع", "able", "can", "could", "manage", "managed",
))


# Words after which a number names something (a branch, an article, a resolution, an
# issue) rather than counts it: "الفرع رقم 215" and "الفرع رقم 15" are two branches.
NUMBER_LABELS = folded_set((
    "رقم", "برقم", "المادة", "المادتين", "مادة", "القرار", "قرار", "العدد", "الصفحة", "صفحة", "الفقرة", "البند",
    "الجولة", "no", "number", "article", "resolution", "issue", "page", "paragraph", "round",
))

# Words that open a subordinate clause: a negation's scope ends there.
CLAUSE_BREAKS = folded_set((
    "أن", "ان", "أنه", "انه", "أنها", "انها", "أنهم", "انهم", "إن", "إنه", "إنها", "لأن", "لان", "لكن",
    "بل", "حيث", "الذي", "التي", "الذين", "that", "which", "who", "because", "but", "while", "whereas",
))
# Time words and prepositions: they say nothing about what a date or a negation is about.
GENERIC_WORDS = {fold_word(w) for w in ("يوم", "اليوم", "شهر", "عام", "العام", "سنة", "خلال", "منذ", "قبل", "بعد", "day", "month", "year", "on", "in")}


# Words that put what follows them out of assertion: demands, hopes, expectations,
# necessity, threats, conditions, questions.
IRREALIS = verb_forms((
    "طالب", "دعا", "ناشد", "حث", "تمنى", "توقع", "هدد", "سعى", "أراد", "اقترح", "أمل", "يأمل", "تأمل",
    "آمل", "نأمل", "يدعو", "تدعو", "يسعى", "تسعى",
))
IRREALIS |= {fold_word(w) for w in (
    "حذر", "يحذر", "تحذر", "حذرت", "تحذير", "محذرا", "warn", "warns", "warned", "warning",
    "مطالبة", "مطالبا", "مطالبين", "دعوة", "دعوات", "أمله", "أملها", "أملهم", "ضرورة", "يجب", "ينبغي",
    "المتوقع", "المقرر", "ربما", "لعل", "إذا", "اذا", "لو", "هل", "شرط", "بشرط", "تهديد", "محاولة",
    "urge", "urged", "urges", "demand", "demanded", "demands", "hope", "hopes", "hoped", "expect",
    "expects", "expected", "should", "must", "would", "could", "might", "if", "whether", "threaten",
    "threatened", "threatens", "plan", "plans", "planned", "want", "wants", "wanted", "seek", "seeks",
    "sought", "call", "calls", "called", "may",
)}


# Duty words: what follows is owed, not done ("تتحمل أنقرة المسؤولية عن فصل ..."), so a
# claim that it was not done does not deny it. (A demand or a refusal is a stance, and
# ANS counts "calls for X" vs "rejects X" as a disagreement: only duties are excluded.)
# A pledge is a stance, not a duty: ANS counts "pledges X" vs "ignores X" as disagreeing.
DUTY = {fold_word(w) for w in (
    "ضرورة", "بضرورة", "يجب", "ينبغي", "مسؤولية", "المسؤولية", "مسؤوليتها", "مسؤوليته", "must",
    "should", "obliged", "obligation", "responsible", "responsibility",
)}


# Units of a duration ("in two weeks"): set aside when comparing values across scripts.
DURATIONS = {fold_word(w) for w in (  # fold_word folds hamza seats: أيام and ايام are one entry
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "ثانية", "ثوان", "دقيقة", "دقائق", "ساعة", "ساعات",
    "يوم", "أيام", "أسبوع", "أسابيع", "شهر", "أشهر", "شهور", "سنة", "سنوات", "عام", "أعوام",
)}
