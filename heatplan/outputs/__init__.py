"""Outputs stage: the only place that knows about file formats, maps and reports."""
