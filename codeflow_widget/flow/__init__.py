"""The lesson itself: Specify → Plan → Implement as an async stream of typed events.

Both front ends (the widget and the terminal) consume this stream; nothing here knows about
either of them.
"""
