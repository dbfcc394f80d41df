"""The shim's flow-control window (capture/window.py): the path's bandwidth-delay product, plus one.

Driven with explicit times, no game: how many frames may be unacknowledged for a given round
trip, game frame rate and view speed, and that late (queued) frames do not grow it.
"""

from __future__ import annotations

from codeflow_widget.play.capture.window import MIN_IN_FLIGHT, Window, _window_cap


def window_after(rtts_ms, frame_ms=1000 / 60, busy_ms=None, every_ms=None) -> Window:
    w = Window(low=2, high=8)
    now = 0.0
    for _ in range(10):  # the game presents at its own rate
        w.presented(now)
        now += frame_ms / 1000
    for seq, rtt in enumerate(rtts_ms, start=1):
        w.sent(seq, now)
        w.acked(seq, now + rtt / 1000, busy_ms, every_ms)
        now += 0.001
    return w


def test_no_round_trip_measured_yet_means_two_frames():
    assert Window(low=2, high=8).size == 2


def test_a_fast_path_keeps_two():
    assert window_after([20.0] * 5, frame_ms=1000 / 30).size == 2  # 1 + ceil(20 / 33.3)


def test_the_window_covers_the_round_trip_at_the_games_rate():
    assert window_after([50.0] * 5).size == 4  # 1 + ceil(50 / 16.7) = 4
    assert window_after([200.0] * 5).size == 8  # 1 + 12, capped at 8


def test_the_window_also_covers_the_views_spacing_between_acks():
    # A frame drawn just after an ack waits for the next one: 50 ms round trip + 40 ms spacing
    # at 60 fps is 1 + ceil(90 / 16.7) = 7 frames; without the spacing it would be 4, and the
    # game would stall for the rest of every gap between acks.
    assert window_after([50.0] * 5, every_ms=40.0).size == 7
    assert window_after([50.0] * 5, every_ms=100.0).size == 8  # 1 + 9, capped at 8


def test_a_spacing_that_is_not_a_sane_number_is_ignored():
    assert window_after([50.0] * 5, every_ms="100").size == 4
    assert window_after([50.0] * 5, every_ms=1e9).size == 4


def test_a_slow_view_gets_fewer_frames_in_flight_not_a_queue():
    # 60 fps game, 100 ms round trip, but the view needs 50 ms per frame: 1 + ceil(100 / 50).
    assert window_after([100.0] * 5, busy_ms=50.0).size == 3


def test_frames_that_waited_do_not_grow_the_window():
    # The smallest recent round trip counts: a few late acks (frames queued somewhere) don't.
    assert window_after([30.0, 30.0, 300.0, 300.0, 300.0]).size == 3  # 1 + ceil(30 / 16.7)


def test_a_cumulative_ack_counts_the_wait_of_the_oldest_frame_it_covers():
    w = Window(low=2, high=8)
    for i in range(10):
        w.presented(i / 60)
    w.sent(1, 1.000)
    w.sent(2, 1.017)
    w.sent(3, 1.033)
    w.acked(3, 1.083)  # one ack for three frames: frame 1 waited 83 ms, frame 3 only 50
    assert round(w.rtt_ms) == 83
    assert w.sent_at == {}
    assert w.size == 1 + 5  # ceil(83 / 16.7)


def test_a_new_view_measures_afresh():
    w = window_after([200.0] * 5)
    w.new_path()
    assert w.size == 2


def test_a_bad_window_cap_in_the_environment_falls_back_instead_of_crashing_the_game():
    """The shim reads CODEFLOW_PLAY_MAX_IN_FLIGHT at import, inside the learner's game: a typo
    there must not become a traceback the learner reads as their own bug."""
    assert _window_cap(None) == 12
    assert _window_cap("9") == 9
    assert _window_cap("eight") == 12
    assert _window_cap("1") == MIN_IN_FLIGHT
    assert _window_cap("1000") == 32
