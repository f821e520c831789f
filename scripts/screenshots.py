#!/usr/bin/env python
"""Screenshots of pages as each demo account, to look at what users see.

Usage (with `make run` serving on 127.0.0.1:8000):
    .venv/bin/python scripts/screenshots.py /enterprises/ /party-development/ ...
Writes test-artifacts/shots/<account>-<page>.png. Uses Debian's Chromium.
"""

import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
ACCOUNTS = os.environ.get("ACCOUNTS", "canbo.dang,lanhdao.dang,canbo.bql,lanhdao.bql").split(",")
PASSWORD = os.environ.get("DEMO_PASSWORD", "KcnDemo@2026")
OUT = Path(__file__).resolve().parent.parent / "test-artifacts" / "shots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic"]


def main(paths: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    width = int(os.environ.get("WIDTH", "1280"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH",
                                                                   "/usr/bin/chromium"),
                                    args=ARGS)
        for account in ACCOUNTS:
            context = browser.new_context(base_url=BASE, viewport={"width": width, "height": 900},
                                          locale="vi-VN")
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", account)
            page.fill("input[name=password]", PASSWORD)
            page.click("main form [type=submit]")
            page.wait_for_load_state("networkidle")
            for path in paths:
                response = page.goto(path)
                page.wait_for_load_state("networkidle")
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                target = OUT / f"{account}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(f"{response.status if response else '?'} {account} {path} -> {target}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:] or ["/"])
