"""The lesson's data: entities and their state machine, typed events, errors, and the zh/en messages.

Nothing here imports any other part of the package, so every part can depend on it.
"""
