"""Content words of a match key: what stories and same-claim evidence compare.

A word here is stemmed (the Arabic conjunction and article prefixes cut off, so that
"والحكومة" counts as "حكومه"), not a function word (Arabic or English), not a bare number
(years and counts recur across unrelated events), and at least two letters long.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .normalize import match_key

_WORD = re.compile(r"\w+")
_AR_PREFIX = re.compile(r"^(?:وال|بال|فال|كال|لل|ال|و)(?=\w{3,})")
_AR_FUNCTION = """من الي الى علي على عن في مع ان إن أن انه انها انهم هذا هذه ذلك تلك هو هي هم نحن
انا كان كانت يكون تكون قد لقد لم لن لا ما ماذا او أو ثم بل لكن الذي التي الذين اللذين كل بعض
غير بين بعد قبل عند منذ حتي حيث كما اذا إذا اي أي عليه عليها فيه فيها منه منها له لها لهم به بها
يوم اليوم امس خلال ضمن حول بشان وفق وفقا حسب بحسب ايضا أيضا قال قالت وقال وقالت اضاف اكد اشار
الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الاحد"""


def stem(token: str) -> str:
    """Cut the prefixes و / ال / بال / لل ... (kept when fewer than three letters remain)."""
    return _AR_PREFIX.sub("", token)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Arabic function words (folded, stemmed and whole) and scikit-learn's English list."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    arabic = {stem(w) for w in match_key(_AR_FUNCTION).split()} | set(match_key(_AR_FUNCTION).split())
    return frozenset(arabic | set(ENGLISH_STOP_WORDS))


def content_words(key: str, stop: frozenset[str] | None = None) -> list[str]:
    """The words of a match key that carry content, in order (repeats kept)."""
    stop = stop_words() if stop is None else stop
    out = []
    for tok in _WORD.findall(key):
        w = stem(tok)
        if len(w) < 2 or w.isdigit() or w in stop or tok in stop:
            continue
        out.append(w)
    return out
