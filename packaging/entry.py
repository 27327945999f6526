"""Entry script of the PyInstaller bundle: the bundled `planner` binary is the `planner` command.

Kept thin on purpose: everything (verbs, the GUI, the Linux prerequisite
check) lives in `planner.cli.main`, so the bundle and the console script
behave the same.
"""

from planner.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
