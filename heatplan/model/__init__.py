"""Model stage: demand, emissions and the street graph derived from validated tables."""
