"""Shared synthetic inputs: calibrating once per module keeps the model tests quick."""

from __future__ import annotations

import pytest
from tests.model.synthetic import DEFAULT_STREAMS, EXISTING_STREAM, make_budget, make_deals

from planner.model.calibrate import calibrate
from planner.model.session import ModelSession


@pytest.fixture(scope="session")
def deals():
    return make_deals(streams=DEFAULT_STREAMS + (EXISTING_STREAM,), seed=1)


@pytest.fixture(scope="session")
def budget():
    return make_budget()


@pytest.fixture(scope="session")
def calibration(deals, budget):
    return calibrate(deals, budget)


@pytest.fixture(scope="session")
def session(deals, budget):
    """The model session the CLI, the window and the sweep run through, for the shared inputs."""
    return ModelSession(budget, deals)
