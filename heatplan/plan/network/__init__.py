"""The district-heating network: street graph, trench routing (Steiner trees) and pipe sizing."""
