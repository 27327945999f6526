"""planner: plan a B2B marketing budget by what it does to revenue."""

__version__ = "0.1.0"
