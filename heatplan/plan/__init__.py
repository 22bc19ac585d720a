"""Plan stage: trench routing, district economics, phasing and renovation ranking."""
