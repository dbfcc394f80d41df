"""Checks on a model's answer: extract the files, validate paths, sizes, syntax, imports and
Windows compatibility, and say each finding in the learner's language."""
