"""The capture shim in a real game process (through the launcher), driven like the browser does.

The test games in tests/play/games/ draw predictable pixels; a fake view composes the frames it
receives (regions pasted at their x/y) and acknowledges them, so each check reads a real pixel.
"""

from __future__ import annotations

import asyncio

from .conftest import View, key

WHITE, BLACK, RED, BLUE, MAGENTA, GREEN, YELLOW = (
    (255, 255, 255),
    (0, 0, 0),
    (255, 0, 0),
    (0, 0, 255),
    (255, 0, 255),
    (0, 255, 0),
    (255, 255, 0),
)


async def started(make_session, game="square", **kwargs):
    session = make_session(game, **kwargs)
    view = View(session)
    session.attach_view(1, view)
    await session.start()
    await view.wait_for(lambda v: v.picture.get_size() != (0, 0), what="a first frame")
    return session, view


async def test_arrow_keys_move_the_square_pixel_by_pixel(make_session):
    session, view = await started(make_session)
    await view.wait_for(lambda v: v.pixel(55, 55) == WHITE, what="square at 50,50")
    assert view.pixel(45, 55) == BLACK
    session.send_input(key("ArrowRight", True, "ArrowRight"))
    session.send_input(key("ArrowRight", False, "ArrowRight"))
    await view.wait_for(lambda v: v.pixel(65, 55) == WHITE, what="square at 60,50")
    assert view.pixel(55, 55) == BLACK  # it moved: the old spot is background again
    session.send_input(key("ArrowDown", True, "ArrowDown"))
    await view.wait_for(lambda v: v.pixel(65, 65) == WHITE, what="square at 60,60")
    assert view.pixel(65, 55) == BLACK
    await session.stop()


async def test_a_held_key_is_seen_through_get_pressed_until_released(make_session):
    session, view = await started(make_session)
    assert view.pixel(5, 5) == BLACK
    session.send_input(key("Space", True, " "))
    await view.wait_for(lambda v: v.pixel(5, 5) == RED, what="red while space is held")
    await asyncio.sleep(0.3)  # several frames later, still held
    assert view.pixel(5, 5) == RED
    session.send_input(key("Space", False, " "))
    await view.wait_for(lambda v: v.pixel(5, 5) == BLACK, what="red gone after release")
    await session.stop()


async def test_mouse_clicks_position_and_held_button_reach_the_game(make_session):
    session, view = await started(make_session)
    session.send_input({"t": "mouse", "kind": "move", "x": 120, "y": 100})
    await view.wait_for(lambda v: v.pixel(120, 100) == YELLOW, what="get_pos() pixel")
    session.send_input({"t": "mouse", "kind": "down", "x": 150, "y": 30, "button": 1})
    await view.wait_for(lambda v: v.pixel(148, 28) == BLUE, what="blue block at the click")
    assert view.pixel(195, 5) == MAGENTA  # get_pressed()[0] while the button is down
    session.send_input({"t": "mouse", "kind": "up", "x": 150, "y": 30, "button": 1})
    await view.wait_for(lambda v: v.pixel(195, 5) == BLACK, what="magenta gone after release")
    assert view.pixel(148, 28) == BLUE
    await session.stop()


async def test_typed_letters_arrive_as_textinput(make_session):
    session, view = await started(make_session)
    session.send_input(key("KeyG", True, "g"))
    session.send_input(key("KeyG", False, "g"))
    await view.wait_for(lambda v: v.pixel(5, 145) == GREEN, what="green after TEXTINPUT g")
    await session.stop()


async def test_unacknowledged_frames_stay_within_the_window_and_the_rest_are_dropped(make_session):
    session = make_session("dirty")  # changes every frame, at 60 fps
    view = View(session, ack=False)
    session.attach_view(1, view)
    await session.start()
    await view.wait_for(lambda v: len(v.headers) >= 2, what="two frames")
    await asyncio.sleep(1.0)  # ~60 flips, none acknowledged: the window has no round trip yet
    assert [h["seq"] for h in view.headers] == [1, 2]
    assert view.headers[1]["win"] == 2
    # One ack (1 s late: a long path) opens the window to its cap, then it holds: the frames
    # past it are dropped (their area rides with the next frame), never queued.
    session.ack(1)
    await view.wait_for(lambda v: len(v.headers) >= 3, what="a third frame after one ack")
    await asyncio.sleep(0.5)
    sent = len(view.headers)
    await asyncio.sleep(0.5)
    assert len(view.headers) == sent  # nothing more without acks
    assert sent - 1 == max(h["win"] for h in view.headers) == 12  # unacked == window == its cap
    assert [h["seq"] for h in view.headers] == list(range(1, sent + 1))
    assert view.headers[2]["dropped"] >= 20
    assert view.headers[2]["flips"] - view.headers[1]["flips"] >= 20
    await session.stop()


async def test_dirty_rectangles_send_only_the_changed_area(make_session):
    session, view = await started(make_session, "dirty")
    await view.wait_for(lambda v: len(v.headers) >= 10, what="ten frames")

    def whole(h):
        return (h["x"], h["y"], h["w"], h["h"]) == (0, 0, 120, 40)

    # The whole picture goes out at most twice: the game's first flip() and the keyframe the
    # view asked for when the game started, which the game may read a few frames late.
    wholes = [i for i, h in enumerate(view.headers) if whole(h)]
    assert 1 <= len(wholes) <= 2 and wholes[0] == 0, wholes
    after = wholes[-1] + 1
    await view.wait_for(lambda v: len(v.headers) >= after + 8, what="eight frames after those")
    assert not any(whole(h) for h in view.headers[after:])
    regions = [(h["x"], h["y"], h["w"], h["h"]) for h in view.headers[after : after + 8]]
    # Each frame is the union of the dot's old and new 4×4 spots (8 px wide), or the
    # wrap-around frame spanning the row; never the whole 120×40 window.
    assert all(y == 20 and h == 4 and w in (8, 120) for _, y, w, h in regions), regions
    assert sum(w == 8 for _, _, w, _ in regions) >= 6
    await session.stop()


async def test_an_unchanged_picture_sends_no_frames(make_session):
    session, view = await started(make_session)
    await asyncio.sleep(0.5)  # the square game redraws the same picture at 30 fps
    count = len(view.headers)
    await asyncio.sleep(0.5)
    assert len(view.headers) == count
    assert view.headers[-1]["flips"] < 40
    session.send_input({"t": "mouse", "kind": "move", "x": 10, "y": 10})
    await view.wait_for(lambda v: len(v.headers) == count + 1, what="one frame for one change")
    await session.stop()


async def test_prints_do_not_corrupt_frames_and_reach_stderr(make_session):
    session, view = await started(make_session)
    await asyncio.sleep(0.5)  # ~15 frames printed "frame N" on the game's stdout
    assert "frame 5" in "".join(session._stderr)
    session.send_input(key("ArrowUp", True, "ArrowUp"))
    await view.wait_for(lambda v: v.pixel(55, 45) == WHITE, what="frames still parse")
    await session.stop()


async def test_input_lines_feed_input(make_session):
    session, view = await started(make_session, "ask")
    await view.wait_for(lambda v: v.pixel(5, 5) == BLACK, what="the waiting screen")
    for ch, code in (("b", "KeyB"), ("l", "KeyL"), ("u", "KeyU"), ("e", "KeyE")):
        session.send_input(key(code, True, ch))
    session.send_input(key("Enter", True, "Enter"))
    await view.wait_for(lambda v: v.pixel(5, 5) == BLUE, what="blue after typing blue⏎")
    await session.stop()


async def test_a_crash_shows_the_games_own_traceback(make_session):
    session, view = await started(make_session)
    session.send_input(key("KeyC", True, "c"))
    for _ in range(200):
        if session.state == "crashed":
            break
        await asyncio.sleep(0.05)
    assert session.state == "crashed"
    assert "ZeroDivisionError" in session.traceback
    assert "main.py" in session.traceback
    assert "__main__.py" not in session.traceback and "runpy" not in session.traceback
    assert "play/capture" not in session.traceback
    assert "出错" in session.message


async def test_keys_pressed_while_the_game_boots_reach_it_in_order(make_session):
    session = make_session("slow_boot")  # sleeps 1.5 s before pygame.init()
    view = View(session)
    session.attach_view(1, view)
    await session.start()
    for _ in range(3):
        session.send_input(key("ArrowRight", True, "ArrowRight"))
        session.send_input(key("ArrowRight", False, "ArrowRight"))
    session.send_input(key("KeyG", True, "g"))
    await asyncio.sleep(0.5)  # the shim has read them; pygame is not up yet
    assert "booted" not in "".join(session._stderr)
    assert view.headers == []
    await view.wait_for(lambda v: v.pixel(45, 20) == WHITE, what="square moved 3 × 10 px")
    assert view.pixel(15, 20) == BLACK  # it did move from x = 10
    assert view.pixel(95, 5) == GREEN  # the typed letter arrived as TEXTINPUT too
    assert "booted" in "".join(session._stderr)
    await session.stop()


async def test_the_games_own_modules_named_like_the_shims_are_the_games(make_session):
    """The shim is a folder of modules (window, keys, frames …); it forgets them before the game
    starts, so the game's own ``window.py`` is what ``import window`` finds."""
    session, view = await started(make_session, "own_modules")
    colours = [(40 * i + 20, 200 - 30 * i, 10 * i + 5) for i in range(6)]
    await view.wait_for(
        lambda v: [v.pixel(i * 20 + 10, 10) for i in range(6)] == colours,
        what="each of the game's modules' colour",
    )
    assert session.state == "running"
    await session.stop()
