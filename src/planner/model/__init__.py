"""The revenue model: calibration, simulation, KPIs, optimisation. Pure numpy, no Qt."""
