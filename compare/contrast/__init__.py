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
topic, or a number on a noun both count (see ``strict``).

Modules, in the order a pair goes through them: ``lexicon`` and ``gazetteer`` (word
lists and names), ``analysis`` (one claim, cached), ``align`` (two claims' tokens),
``scope`` (what a word bears on), ``rules`` (the typed differences), ``strict``,
``model`` (features, fingerprint, the trained judge), ``judge`` (one pair), ``links``
(a links table), ``framing`` (the per-outlet framing table) and ``ans`` (evaluation).
"""

from ..records import Difference, Judgement
from .ans import ANS_PARTS, ANS_SPLIT_SEED, evaluate_contrast_ans, read_ans
from .framing import framing_table
from .judge import judge_across_scripts, judge_pair
from .links import RELATED_MODES, difference_rows, judge_links
from .model import (
    ARTEFACT,
    BASE_FEATURES,
    FEATURES,
    LEXICON_FEATURES,
    JudgeModel,
    PairFeatures,
    feature_fingerprint,
    lexicon_features,
    lexicon_key,
    load_model,
    pair_features,
    read_probe_pairs,
)
from .rules import FACT_KINDS, KINDS

__all__ = [
    "ANS_PARTS",
    "ANS_SPLIT_SEED",
    "ARTEFACT",
    "BASE_FEATURES",
    "FACT_KINDS",
    "FEATURES",
    "KINDS",
    "LEXICON_FEATURES",
    "RELATED_MODES",
    "Difference",
    "JudgeModel",
    "Judgement",
    "PairFeatures",
    "difference_rows",
    "evaluate_contrast_ans",
    "feature_fingerprint",
    "framing_table",
    "judge_across_scripts",
    "judge_links",
    "judge_pair",
    "lexicon_features",
    "lexicon_key",
    "load_model",
    "pair_features",
    "read_ans",
    "read_probe_pairs",
]
