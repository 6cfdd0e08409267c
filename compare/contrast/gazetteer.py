"""Names the contrast judge recognises: actors (states, bodies, people, places,
currencies) and framing labels, indexed by first folded token for phrase matching."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, TypeVar

from ..text.numbers import tokenize

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
# Only actors of one kind replace each other: a country for a country, a currency for a
# currency ("روسيا" vs "الروبل" is two facts, not one changed).
_COMMODITIES = {"dollar", "euro", "gold", "oil", "lira", "ruble", "bitcoin", "yen", "pound", "riyal", "yuan", "stocks"}
_PEOPLE = {
    "Putin", "Erdogan", "Assad", "Trump", "Netanyahu", "Macron",
    "Merkel", "Biden", "Obama", "Rouhani", "Khamenei", "Sisi", "Abbas",
    "Bin Salman", "Juncker", "May", "Johnson", "Kim",
}


def actor_kind(value: str) -> str:
    """"commodity", "person", "place" (any other gazetteer entry) or "name" (not in it)."""
    if value in _COMMODITIES:
        return "commodity"
    if value in _PEOPLE:
        return "person"
    return "place" if value in _ACTORS else "name"


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


class FramingTerm(NamedTuple):
    """A framing hit: the concept named, the label it carries, and the lexicon's own
    wording, so the framing table counts "للجيش السوري" and "الجيش السوري" as one term."""

    concept: str
    label: str
    word: str


# Framing concepts that name an actor (not an act such as "deaths" or "control"): the
# same armed groups under any label are a shared subject ("الإرهابيين شنوا أكثر من 100
# هجوم" / "تنفيذ الإرهابيين ألف هجوم").
ACTOR_CONCEPTS = frozenset(c for c in _FRAMING if c not in ("deaths", "control"))

PhraseValue = TypeVar("PhraseValue", str, FramingTerm)
# First folded token -> [(all folded tokens of a phrase, what the phrase names)].
PhraseIndex = dict[str, list[tuple[tuple[str, ...], PhraseValue]]]


def _phrase_index(table: Mapping[PhraseValue, tuple[str, ...]]) -> PhraseIndex[PhraseValue]:
    """First folded token -> [(all folded tokens, value)], longest phrases first."""
    idx: PhraseIndex[PhraseValue] = {}
    for value, phrases in table.items():
        for ph in phrases:
            toks = tuple(t.key for t in tokenize(ph))
            if toks:
                idx.setdefault(toks[0], []).append((toks, value))
    for v in idx.values():
        v.sort(key=lambda x: (-len(x[0]), x[1], x[0]))
    return idx


ACTOR_INDEX: PhraseIndex[str] = _phrase_index(_ACTORS)
FRAMING_INDEX: PhraseIndex[FramingTerm] = _phrase_index(
    {
        FramingTerm(concept, label, word): (word,)
        for concept, labels in _FRAMING.items()
        for label, words in labels.items()
        for word in words
    }
)
