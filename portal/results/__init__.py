"""Results: what enforcement achieved, as figures a client reads and the platforms' programmes measure."""
