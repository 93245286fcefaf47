"""``%%corepy_profile --name`` / ``--diff`` through IPython's own API (no kernel)."""

from __future__ import annotations

import pytest

pytest.importorskip("IPython")
from IPython.core.error import UsageError  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

# Each cell keeps corepy busy for this much CPU time (the sampler's clock: on a loaded machine
# wall time would give few samples), mostly inside ops (1 MB operands).
BUSY = """
import time, corepy as cp, numpy as np
x = cp.asarray(np.ones(1 << 18, np.float32))
t0 = time.process_time()
while time.process_time() - t0 < 0.15:
{body}
"""


@pytest.fixture(scope="module")
def shell():
    sh = InteractiveShell.instance()
    sh.run_line_magic("load_ext", "corepy")
    return sh


def cell(shell, line: str, body: str):
    with capture_output() as out:
        shell.run_cell_magic("corepy_profile", line, BUSY.format(body=body))
    return out


def test_diff_against_named_profile(shell):
    cell(shell, "--name m_base -f --hz 2000", "    y = cp.add(x, x)")
    base = shell.user_ns["_corepy_profiles"]["m_base"]
    assert base.name == "m_base" and base.ops["add"]["calls"] > 0 and base.samples
    # No -f here: the base has samples, so the cell is sampled too, at the base's rate.
    out = cell(shell, "--diff m_base", "    y = cp.add(x, x)\n    z = cp.multiply(x, x)")
    diff = shell.user_ns["_corepy_diff"]
    after = shell.user_ns["_corepy_profile"]
    assert diff.before is base and diff.after is after and after.hz == 2000
    ops = diff.ops
    assert ops["multiply"]["calls"]["before"] == 0
    assert ops["multiply"]["calls"]["after"] == after.ops["multiply"]["calls"] > 0
    assert ops["add"]["calls"]["delta"] == after.ops["add"]["calls"] - base.ops["add"]["calls"]
    # The differential stacks hold the cells' sampled ops; the display shows deltas and the SVG.
    stacks = diff.collapsed()
    assert "cp.add" in stacks or "cp.multiply" in stacks, stacks[:2000]
    # Two cells' code has two IPython file names; the diff lines them up as one "<cell>".
    assert "<module> (<cell>)" in stacks and "<ipython-input-" not in stacks
    html = "".join(o.data.get("text/html", "") for o in out.outputs)
    assert "multiply" in html and "<iframe" in html and "svg" in html
    # --diff without --name does not replace the stored base.
    assert shell.user_ns["_corepy_profiles"]["m_base"] is base


def test_diff_without_samples_shows_deltas_only(shell):
    cell(shell, "--name m_plain", "    y = cp.add(x, x)")
    out = cell(shell, "--diff m_plain --name m_next", "    y = cp.subtract(x, x)")
    diff = shell.user_ns["_corepy_diff"]
    assert diff.ops["add"]["calls"]["after"] == 0
    assert diff.ops["subtract"]["calls"]["before"] == 0
    assert not diff.after.samples and diff.svg() is None
    html = "".join(o.data.get("text/html", "") for o in out.outputs)
    assert "subtract" in html and "<iframe" not in html
    assert shell.user_ns["_corepy_profiles"]["m_next"] is diff.after


def test_unknown_name_and_bad_options(shell):
    shell.user_ns.pop("ran", None)
    with pytest.raises(UsageError, match="no profile named 'nope'"):
        shell.run_cell_magic("corepy_profile", "--diff nope", "ran = 1")
    assert "ran" not in shell.user_ns  # the cell did not run
    with pytest.raises(UsageError, match="unrecognized arguments"):
        shell.run_cell_magic("corepy_profile", "--bogus", "ran = 1")
    with pytest.raises(UsageError, match="--hz"):
        shell.run_cell_magic("corepy_profile", "--hz fast", "ran = 1")
    assert "ran" not in shell.user_ns
