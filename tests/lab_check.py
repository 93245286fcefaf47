"""`make lab-check`: a notebook run in a real JupyterLab, in a real browser.

Starts JupyterLab headless on a copy of notebooks/12_profile_your_code.ipynb (COREPY_QUICK=1),
drives the system's Chromium through Playwright's Python package (``executable_path``: no
browser download), runs all cells from the Run menu, waits until every cell has run, saves a
screenshot, and checks what a person would see: no error output, the live plot (an image), the
progress bar widget and the profile's HTML table of lines.

Not collected by `make pytest` (not a test_*.py file); `make lab-check` runs it with pytest. It
skips, saying why, without Chromium, Playwright or JupyterLab (`make lab-deps` installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "12_profile_your_code.ipynb"
SCREENSHOT = Path(os.environ.get("LAB_CHECK_SCREENSHOT", ROOT / "report" / "lab-check.png"))
TIMEOUT_S = int(os.environ.get("LAB_CHECK_TIMEOUT_S", "240"))


def _chromium() -> str | None:
    given = os.environ.get("CHROMIUM")
    if given:
        return given
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("no chromium on PATH (make lab-deps: apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="no playwright (make lab-deps)")
    pytest.importorskip("jupyterlab", reason="no jupyterlab (make lab-deps)")
    pytest.importorskip("ipywidgets", reason="no ipywidgets (make lab-deps)")
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, work / NOTEBOOK)
    port, token = _free_port(), "corepy-lab-check"
    env = dict(os.environ, COREPY_QUICK="1", JUPYTER_CONFIG_DIR=str(work / ".jupyter"))
    # Every cell in the DOM (JupyterLab 4 renders only the visible ones by default).
    settings = work / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    log = open(work / "jupyter.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(
                        "JupyterLab did not start:\n" + (work / "jupyter.log").read_text()[-3000:]
                    ) from None
                time.sleep(0.5)
        yield chromium, f"{base}/lab/tree/{NOTEBOOK}?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_notebook_renders_in_jupyterlab(lab_server):
    from playwright.sync_api import sync_playwright

    chromium, url = lab_server
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2400})
            page.goto(url, timeout=60_000)
            page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
            # JupyterLab may ask which kernel to start: the notebook's own (preselected).
            select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
            try:
                select.wait_for(timeout=10_000)
                select.click()
            except Exception:  # no dialog: the kernel started on its own
                pass
            page.get_by_text("Kernel status: Idle").first.wait_for(state="attached", timeout=60_000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_text("Run All Cells", exact=True).click()
            nb = json.loads((ROOT / "notebooks" / NOTEBOOK).read_text())
            n = sum(c["cell_type"] == "code" for c in nb["cells"])
            # Done when every code cell's prompt holds a number (not "[ ]:" or "[*]:").
            try:
                page.wait_for_function(
                    """n => {
                    const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                    return p.length === n && p.every(e => /\\[\\d+\\]/.test(e.textContent));
                    }""",
                    arg=n,
                    timeout=TIMEOUT_S * 1000,
                    polling=1000,
                )
            except Exception:
                page.screenshot(path=str(SCREENSHOT), full_page=True)
                prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
                print(f"lab-check: timed out; {n} code cells, prompts {prompts}")
                raise
            outputs = page.locator(".jp-OutputArea-output")
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            errors = page.locator('.jp-OutputArea-output[data-mime-type*="error"]')
            tracebacks = [t for t in outputs.all_inner_texts() if "Traceback" in t]
            assert errors.count() == 0 and not tracebacks, tracebacks[:1]
            # The live plot (a PNG) of compare, the progress bar widget, the profile's line table
            # and the differential flamegraph (an iframe of the SVG).
            assert page.locator(".jp-RenderedImage img").count() >= 1
            assert page.locator(".jp-OutputArea-output .jupyter-widgets", has_text="bench").count()
            assert page.locator(".jp-RenderedHTMLCommon table th", has_text="source").count() >= 1
            assert page.locator(".jp-RenderedHTMLCommon iframe").count() >= 1
            print(f"lab-check: {n} code cells ran; screenshot {SCREENSHOT}")
        finally:
            browser.close()
