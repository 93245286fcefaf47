"""``%load_ext corepy`` registers the ``%%corepy_profile`` cell magic."""

from __future__ import annotations

from .profile import Profile


def corepy_profile(line: str, cell: str, ipython) -> None:
    """Profiles the cell and displays the result. Options: ``--flamegraph``, ``--hz N``."""
    from IPython.display import display

    args = line.split()
    flame = "--flamegraph" in args or "-f" in args
    hz = int(args[args.index("--hz") + 1]) if "--hz" in args else 997
    with Profile(flamegraph=flame, hz=hz, name="%%corepy_profile") as prof:
        ipython.run_cell(cell)
    ipython.user_ns["_corepy_profile"] = prof
    display(prof)


def load_ipython_extension(ipython) -> None:
    ipython.register_magic_function(
        lambda line, cell: corepy_profile(line, cell, ipython),
        magic_kind="cell",
        magic_name="corepy_profile",
    )
