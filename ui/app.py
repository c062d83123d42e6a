"""The web chat's entry point: `python ui/app.py [--host H] [--port N]`, the same as `qa serve`.

The app itself is built by `qa.webapp.build_app` inside the installed package (so `qa serve`
needs nothing from this folder); this file only hands its arguments to that command.
"""

from __future__ import annotations

import sys

from qa.cli import cli


def main(argv: list[str] | None = None) -> None:
    cli.main(["serve", *(sys.argv[1:] if argv is None else argv)], prog_name="python ui/app.py")


if __name__ == "__main__":
    main()
