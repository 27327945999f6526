"""Shared synthetic inputs: calibrating once per module keeps the model tests quick."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import DEFAULT_STREAMS, EXISTING_STREAM, make_budget, make_deals  # noqa: E402

from planner.model.calibrate import calibrate  # noqa: E402


@pytest.fixture(scope="session")
def deals():
    return make_deals(streams=DEFAULT_STREAMS + (EXISTING_STREAM,), seed=1)


@pytest.fixture(scope="session")
def budget():
    return make_budget()


@pytest.fixture(scope="session")
def calibration(deals, budget):
    return calibrate(deals, budget)
