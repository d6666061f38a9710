"""Text primitives that know no worksheet: normalisation, numbers, the KPI vocabulary, dates."""
