"""Analysers that know no form: the goal checker, the question classifier and their kin."""
