"""Every notebook in notebooks/ runs top to bottom (quick sizes), on this interpreter's kernel."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL_NAME = "corepy-test-python"


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks in {NOTEBOOK_DIR}"


@pytest.fixture
def kernel_name(tmp_path, monkeypatch):
    """A kernelspec that starts *this* interpreter (the venv's, where corepy is installed), put
    first on the Jupyter search path so no user-wide "python3" spec can shadow it."""
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "corepy tests",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("COREPY_QUICK", "1")
    return KERNEL_NAME


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, kernel_name):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # committed without outputs
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} is committed with outputs"
            assert cell.execution_count is None, f"{path.name} is committed with counts"
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    executed = [c for c in nb.cells if c.cell_type == "code"]
    assert executed, f"{path.name} has no code cells"
    assert all(c.execution_count is not None for c in executed)
