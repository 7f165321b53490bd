"""scalinglab: fit, backtest and plan with neural scaling laws."""
