"""One of the game's own modules, named like a module of the capture shim."""

COLOUR = (140, 110, 35)
