"""`python -m planner` is the same as the `planner` console script."""

from planner.cli import main

raise SystemExit(main())
