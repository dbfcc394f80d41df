"""The pygame functions the game calls, wrapped to feed the frames and read the inputs.

``display.set_mode``, ``flip`` and ``update`` send what was drawn; the event readers first post
what was typed while the game booted; ``key.get_pressed`` and ``mouse.get_pos/get_pressed`` read
the player's input state instead of SDL's (the dummy video driver has no keyboard or mouse).
"""


def install(pg, frames, inputs):
    """Wrap the pygame functions the game calls so they feed the frames or read the inputs."""
    flip, update, set_mode = pg.display.flip, pg.display.update, pg.display.set_mode

    def wrapped_set_mode(*args, **kwargs):
        surface = set_mode(*args, **kwargs)
        frames.on_set_mode(surface)
        inputs.flush_early()
        return surface

    def flushing(read):
        # The game reads its events: anything typed while it booted goes in first.
        def wrapped(*args, **kwargs):
            inputs.flush_early()
            return read(*args, **kwargs)

        return wrapped

    for name in ("get", "poll", "wait", "peek", "pump"):
        setattr(pg.event, name, flushing(getattr(pg.event, name)))

    def wrapped_flip():
        result = flip()
        frames.on_present(None)
        return result

    def wrapped_update(*args):
        result = update(*args)
        rects = None
        if args and args[0] is not None:
            first = args[0]
            looks_like_rect = len(args) == 4 or (
                hasattr(first, "__len__")
                and len(first) in (2, 4)
                and not hasattr(first[0], "__len__")
            )
            rects = [args] if len(args) == 4 else [first] if looks_like_rect else list(first)
            rects = [r for r in rects if r is not None] or None
        frames.on_present(rects)
        return result

    def get_pressed():
        return pg.key.ScancodeWrapper(inputs.pressed)

    def get_pos():
        return inputs.mouse_pos

    def mouse_pressed(num_buttons=3):
        return tuple(inputs.mouse_buttons[: 5 if num_buttons == 5 else 3])

    pg.display.flip, pg.display.update, pg.display.set_mode = (
        wrapped_flip,
        wrapped_update,
        wrapped_set_mode,
    )
    pg.key.get_pressed = get_pressed
    pg.mouse.get_pos = get_pos
    pg.mouse.get_pressed = mouse_pressed
