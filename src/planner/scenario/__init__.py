"""The Scenario document: what the planner changed, saved as a versioned JSON file. No Qt."""
