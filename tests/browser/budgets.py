"""axe-core and Lighthouse, run on a page of the live server as a phone sees it.

Both come from npm, pinned in tests/browser/package.json and installed by
``make test`` (``npm ci``) into tests/browser/node_modules. Lighthouse starts a
Chromium of its own (Debian's, through CHROME_PATH) with the logged-in person's
cookies as a header, and scores the page as its mobile preset does: a mid-range
phone on a slow 4G network, simulated.

The scores are recorded (``record``) and printed at the end of the run, and
written to test-results/budgets.json. Accessibility is not a matter of timing, so
the tests hold it to 100; the performance score comes from timings taken on a
shared machine and is only recorded here: the budget of 95 is the bench's
(``lighthouse_performance_min``).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from .conftest import CHROMIUM

NODE_TOOLS = Path(__file__).resolve().parent / "node_modules"
AXE = NODE_TOOLS / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_TOOLS / "lighthouse" / "cli" / "index.js"
RESULTS = Path(__file__).resolve().parents[2] / "test-results" / "budgets.json"
# A page's weight before images: its document, style sheets, scripts and fonts.
NOT_IMAGES = {"document", "stylesheet", "script", "font", "fetch", "xhr"}

# What the run measured: one dict per page, printed by conftest's summary.
records: list[dict] = []


def _require(path: Path) -> Path:
    if not path.exists():
        raise RuntimeError(
            f"{path} is missing: `make test` installs the browser tests' npm "
            "packages (npm ci --prefix tests/browser)."
        )
    return path


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on the page as it is; return its violations, one line each
    (rule, impact, the first elements at fault)."""
    # Evaluated through the DevTools protocol, so the site's CSP (no inline
    # script) does not stand in the way, as it would for a <script> tag.
    page.evaluate(_require(AXE).read_text() + "\n;0")
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]}))
             .violations.map(v => `${v.id} (${v.impact}): ${v.help} — `
               + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""
    )
    return found


def cookie_header(context: BrowserContext) -> str:
    """The Cookie header the browser context would send."""
    return "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())


def lighthouse(url: str, cookies: str, *, tries: int = 3) -> dict:
    """Run Lighthouse's mobile audit of url with the given Cookie header; return
    the category scores (0-100) and the metrics behind performance.

    Lighthouse sometimes loses the trace of a load on a busy machine
    (NO_NAVSTART, NO_FCP): such a run is tried again, up to ``tries`` times.
    """
    for tries_left in range(tries - 1, -1, -1):
        try:
            return _lighthouse(url, cookies)
        except LighthouseTraceLost:
            if not tries_left:
                raise
    raise AssertionError("unreachable")


class LighthouseTraceLost(RuntimeError):
    pass


def _lighthouse(url: str, cookies: str) -> dict:
    command = [
        "node",
        str(_require(LIGHTHOUSE)),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--extra-headers=" + json.dumps({"Cookie": cookies}),
    ]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=180, check=False
    )
    if done.returncode != 0 or not done.stdout.strip():
        error = (
            LighthouseTraceLost
            if "Please run Lighthouse again" in done.stderr
            else RuntimeError
        )
        raise error(f"Lighthouse failed on {url}: {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise LighthouseTraceLost(f"Lighthouse on {url}: {report['runtimeError']}")
    if report["finalDisplayedUrl"] != url:
        raise RuntimeError(
            f"Lighthouse was sent from {url} to {report['finalDisplayedUrl']}"
        )
    audits = report["audits"]
    failed = [
        f"{audit['id']}: {audit['title']}"
        for audit in audits.values()
        if audit["id"] in _accessibility_audits(report) and audit["score"] == 0
    ]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "accessibility_failed": failed,
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
    }


def _accessibility_audits(report: dict) -> set[str]:
    return {ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]}


def kb_gzip_before_images(page: Page, path: str) -> float:
    """Load path afresh and return the kilobytes its document, style sheets,
    scripts and fonts weigh once gzipped (as the server sends them in
    production), images left out."""
    bodies = []

    def keep(response):
        if response.request.resource_type in NOT_IMAGES and response.status == 200:
            bodies.append(response)

    page.on("response", keep)
    page.goto(path, wait_until="networkidle")
    page.remove_listener("response", keep)
    return sum(len(gzip.compress(response.body(), 9)) for response in bodies) / 1000


def record(name: str, path: str, **figures) -> None:
    records.append({"page": name, "path": path, **figures})
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(records, ensure_ascii=False, indent=2))


def summary_lines() -> list[str]:
    """The recorded figures as a table, for the end of the run."""
    if not records:
        return []
    lines = [
        f"{'page':<28} {'perf':>5} {'a11y':>5} {'axe':>4} {'TBT ms':>7} "
        f"{'LCP ms':>7} {'kB gz':>6}"
    ]
    for row in records:
        lines.append(
            f"{row['page']:<28} {row.get('performance', '-'):>5} "
            f"{row.get('accessibility', '-'):>5} {row.get('axe', '-'):>4} "
            f"{row.get('tbt_ms', '-'):>7} {row.get('lcp_ms', '-'):>7} "
            f"{row.get('kb_gz', '-'):>6}"
        )
    return lines
