"""``python -m corepy.report``: the performance report (`corepy.lab.report` does the work)."""

from .lab.report import *  # noqa: F403
from .lab.report import __all__ as __all__
from .lab.report import main

if __name__ == "__main__":
    raise SystemExit(main())
