"""Excel export of scenarios for the CFO. No Qt."""
