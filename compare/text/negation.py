"""The one negator list: words that negate what follows, in Arabic and English.

Each stage reads them in its own form (the contrast judge folds words with its stemmer,
the duplicate audit and the scorer compare match keys), but the words are these.
"""

from __future__ import annotations

ARABIC_NEGATORS = ("لم", "لن", "لا", "ليس", "ليست", "ليسوا", "لسنا", "لست", "غير", "عدم", "دون", "بدون", "بلا")
ENGLISH_NEGATORS = ("not", "no", "never", "cannot", "without", "none", "neither", "nor", "nobody", "nothing")
NEGATORS = ARABIC_NEGATORS + ENGLISH_NEGATORS

# A negator followed by one of these is no negation: "لا يزال" (still), "لا سيما"
# (especially), "لا بد" (must), "لا يقل عن" (at least), "غير أن" (however), "ليس فقط"
# (not only), "no longer", "not only".
NOT_NEGATION_NEXT: dict[str, tuple[str, ...]] = {
    "لا": ("يزال", "تزال", "نزال", "زال", "سيما", "بد", "يقل", "تقل", "يزيد", "فقط", "فحسب"),
    "غير": ("أن", "انه", "أنه", "انها", "أنها", "ذلك"),
    "ليس": ("فقط", "فحسب"),
    "ليست": ("فقط", "فحسب"),
    "no": ("longer", "doubt"),
    "not": ("only",),
}
