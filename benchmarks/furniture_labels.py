"""Hand labels of page furniture on Baly dev articles: sample, show, and turn drafts into spans.

    python benchmarks/furniture_labels.py sample            # the seeded sample, one key a line
    python benchmarks/furniture_labels.py show R-10/2       # an article, numbered lines
    python benchmarks/furniture_labels.py build DRAFT.jsonl # draft -> fixtures/labels/baly-dev/furniture.jsonl

A draft line names an article and its furniture by line and exact substring:

    {"key": "R-10/2", "furniture": [{"line": 0, "text": "*", "kind": "navigation"},
                                    {"line": 4, "text": "جميع الحقوق محفوظة", "kind": "copyright"}],
     "note": "a few words"}

``"text": "*"`` is the whole line. The drafts (``fixtures/labels/baly-dev/draft-*.jsonl``) are what the labellers wrote;
``furniture.jsonl`` is built from them and is what the evaluation reads. ``build`` finds
every substring in its line (the
first occurrence, or ``"occurrence": k``), writes character spans into the article text
as the dataset holds it, with the article's SHA-1 so a changed dataset is noticed, and
refuses a substring that is not in its line. The first half of the sample (``split``
"tune") may shape cleaning rules; the second half ("held-out") is for reporting only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "baly2018-dev" / "claims"
LABELS = ROOT / "fixtures" / "labels" / "baly-dev" / "furniture.jsonl"
SEED = 16
SAMPLE_SIZE = 60
KINDS = ("navigation", "share", "comment", "byline", "caption", "copyright", "signin",
         "related", "ad", "date", "site", "tags", "script", "other")


def articles(shared: Path = SHARED) -> dict[str, tuple[str, str]]:
    """Every distinct Baly dev article text: key "CLAIM/INDEX" -> (url, text), first key kept."""
    seen: set[str] = set()
    out: dict[str, tuple[str, str]] = {}
    for f in sorted(shared.glob("*.json")):
        d = json.loads(f.read_text("utf-8"))
        for i, (text, url) in enumerate(zip(d["article"], d["url"], strict=True)):
            digest = sha1(text)
            if digest in seen or not text.strip():
                continue
            seen.add(digest)
            out[f"{d['id']}/{i}"] = (str(url), str(text))
    return out


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sample(arts: dict[str, tuple[str, str]]) -> list[str]:
    keys = sorted(arts)
    random.Random(SEED).shuffle(keys)
    return keys[:SAMPLE_SIZE]


def split_of(key: str, keys: list[str]) -> str:
    return "tune" if keys.index(key) < SAMPLE_SIZE // 2 else "held-out"


def show(key: str, arts: dict[str, tuple[str, str]]) -> None:
    url, text = arts[key]
    print(f"# {key}  {url}  {len(text)} chars")
    for n, line in enumerate(text.split("\n")):
        print(f"[{n}] {line}")


def build(drafts: list[Path], arts: dict[str, tuple[str, str]], out: Path) -> int:
    keys = sample(arts)
    rows: dict[str, dict[str, object]] = {}
    if out.exists():
        for line in out.read_text("utf-8").splitlines():
            row = json.loads(line)
            rows[str(row["key"])] = row
    for draft in drafts:
        for lineno, raw in enumerate(draft.read_text("utf-8").splitlines(), 1):
            if not raw.strip():
                continue
            d = json.loads(raw)
            key = str(d["key"])
            if key not in arts:
                sys.exit(f"{draft}:{lineno}: no article {key}")
            url, text = arts[key]
            lines = text.split("\n")
            starts = [0]
            for ln in lines[:-1]:
                starts.append(starts[-1] + len(ln) + 1)
            spans = []
            for item in d.get("furniture", []):
                n = int(item["line"])
                kind = str(item["kind"])
                if kind not in KINDS:
                    sys.exit(f"{draft}:{lineno}: kind {kind!r} is not one of {', '.join(KINDS)}")
                if not 0 <= n < len(lines):
                    sys.exit(f"{draft}:{lineno}: {key} has no line {n}")
                frag = str(item["text"])
                if frag == "*":
                    a, b = 0, len(lines[n])
                else:
                    a = -1
                    for _ in range(int(item.get("occurrence", 1))):
                        a = lines[n].find(frag, a + 1)
                        if a < 0:
                            sys.exit(f"{draft}:{lineno}: {key} line {n} does not hold {frag!r}")
                    b = a + len(frag)
                spans.append({"start": starts[n] + a, "end": starts[n] + b, "kind": kind,
                              "text": text[starts[n] + a:starts[n] + b][:200]})
            spans.sort(key=lambda s: (s["start"], s["end"]))
            rows[key] = {"key": key, "url": url, "sha1": sha1(text),
                         "split": split_of(key, keys) if key in keys else "extra",
                         "furniture": spans, "note": str(d.get("note", ""))}
    out.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(rows.values(), key=lambda r: (keys.index(str(r["key"])) if r["key"] in keys else 10**6, str(r["key"])))
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered), "utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("sample")
    s = sub.add_parser("show")
    s.add_argument("key")
    b = sub.add_parser("build")
    b.add_argument("drafts", nargs="+", type=Path)
    b.add_argument("--out", type=Path, default=LABELS)
    args = ap.parse_args(argv)
    if not SHARED.exists():
        sys.exit("../shared/data/baly2018-dev is absent")
    arts = articles()
    if args.cmd == "sample":
        keys = sample(arts)
        for k in keys:
            print(k, split_of(k, keys), len(arts[k][1]), arts[k][0])
    elif args.cmd == "show":
        show(args.key, arts)
    else:
        print(f"wrote {build(args.drafts, arts, args.out)} articles to {args.out}")


if __name__ == "__main__":
    main()
