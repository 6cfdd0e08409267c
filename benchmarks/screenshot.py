"""Screenshot of an HTML report in headless Chromium (for the README / reviews).

    python benchmarks/screenshot.py [reports/fixtures/report.html] [reports/screenshot-fixtures.png]

Uses the system Chromium (/usr/bin/chromium, Debian package ``chromium``) through the
``playwright`` Python package; never ``playwright install``. The page is opened offline
(any non-file request is aborted) and its first screen (the summary, then the first
story) is captured at 1280x1400.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def screenshot(report: Path, out: Path, width: int = 1280, height: int = 1400) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        # Nothing but the file itself may load.
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(report.resolve().as_uri())
        page.screenshot(path=str(out))
        browser.close()
    if errors:
        raise SystemExit("page errors: " + "; ".join(errors))


def main(argv: list[str]) -> int:
    report = Path(argv[1]) if len(argv) > 1 else ROOT / "reports" / "fixtures" / "report.html"
    out = Path(argv[2]) if len(argv) > 2 else ROOT / "reports" / "screenshot-fixtures.png"
    if not report.exists():
        print(f"{report} does not exist: run `compare report` on the fixtures first", file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    screenshot(report, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
