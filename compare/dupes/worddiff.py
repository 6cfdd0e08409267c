"""Word-level diffs between a group's reference unit and its other members."""

from __future__ import annotations

import difflib

# Above this many words the compact diff is not computed (difflib is quadratic).
DIFF_MAX_TOKENS = 3_000
DIFF_CONTEXT = 3


def diff_ops(ref: str, text: str) -> list[tuple[str, str]]:
    """Word-level edit script from ``ref`` to ``text``: ("=", "-", "+", "…") and words."""
    ref_words, text_words = ref.split(), text.split()
    if max(len(ref_words), len(text_words)) > DIFF_MAX_TOKENS:
        return [("…", "")]
    ops: list[tuple[str, str]] = []
    codes = difflib.SequenceMatcher(None, ref_words, text_words, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            words = ref_words[i1:i2]
            head = words[:DIFF_CONTEXT] if n > 0 else []
            tail = words[-DIFF_CONTEXT:] if n < len(codes) - 1 else []
            if len(words) > len(head) + len(tail):
                if head:
                    ops.append(("=", " ".join(head)))
                ops.append(("…", ""))
                if tail:
                    ops.append(("=", " ".join(tail)))
            else:
                ops.append(("=", " ".join(words)))
            continue
        if tag in ("delete", "replace"):
            ops.append(("-", " ".join(ref_words[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(("+", " ".join(text_words[j1:j2])))
    return ops


def compact_diff(ref: str, text: str) -> str:
    """``[-removed-]{+added+}`` word diff with a little context; "" when identical."""
    if ref == text:
        return ""
    ops = diff_ops(ref, text)
    if ops == [("…", "")]:
        return "(too long to diff)"
    parts = []
    for op, words in ops:
        parts.append({"=": words, "-": f"[-{words}-]", "+": f"{{+{words}+}}", "…": "…"}[op])
    return " ".join(parts)
