"""The keyboard as pygame knows it: browser key codes as pygame keys, and typed lines.

``key_table`` maps a browser ``KeyboardEvent.code`` to a pygame key and its USB scancode (the
index ``pygame.key.get_pressed()`` reads). ``LineFeed`` is the game's ``sys.stdin``: ``input()``
gets the lines typed into the player.
"""

import io
import queue


def key_table(pg):
    """Browser ``KeyboardEvent.code`` → (pygame key, USB scancode)."""
    table = {}
    for i, letter in enumerate("abcdefghijklmnopqrstuvwxyz"):
        table["Key" + letter.upper()] = (ord(letter), 4 + i)
    for i, digit in enumerate("1234567890"):
        table["Digit" + digit] = (ord(digit), 30 + i)
    for i in range(10):
        table[f"Numpad{i}"] = (getattr(pg, f"K_KP{i}"), 98 if i == 0 else 88 + i)
    named = {
        "ArrowRight": ("K_RIGHT", 79),
        "ArrowLeft": ("K_LEFT", 80),
        "ArrowDown": ("K_DOWN", 81),
        "ArrowUp": ("K_UP", 82),
        "Space": ("K_SPACE", 44),
        "Enter": ("K_RETURN", 40),
        "NumpadEnter": ("K_KP_ENTER", 88),
        "Escape": ("K_ESCAPE", 41),
        "Backspace": ("K_BACKSPACE", 42),
        "Tab": ("K_TAB", 43),
        "Minus": ("K_MINUS", 45),
        "Equal": ("K_EQUALS", 46),
        "BracketLeft": ("K_LEFTBRACKET", 47),
        "BracketRight": ("K_RIGHTBRACKET", 48),
        "Backslash": ("K_BACKSLASH", 49),
        "Semicolon": ("K_SEMICOLON", 51),
        "Quote": ("K_QUOTE", 52),
        "Backquote": ("K_BACKQUOTE", 53),
        "Comma": ("K_COMMA", 54),
        "Period": ("K_PERIOD", 55),
        "Slash": ("K_SLASH", 56),
        "CapsLock": ("K_CAPSLOCK", 57),
        "Insert": ("K_INSERT", 73),
        "Home": ("K_HOME", 74),
        "PageUp": ("K_PAGEUP", 75),
        "Delete": ("K_DELETE", 76),
        "End": ("K_END", 77),
        "PageDown": ("K_PAGEDOWN", 78),
        "ControlLeft": ("K_LCTRL", 224),
        "ShiftLeft": ("K_LSHIFT", 225),
        "AltLeft": ("K_LALT", 226),
        "MetaLeft": ("K_LMETA", 227),
        "ControlRight": ("K_RCTRL", 228),
        "ShiftRight": ("K_RSHIFT", 229),
        "AltRight": ("K_RALT", 230),
        "MetaRight": ("K_RMETA", 231),
        "NumpadAdd": ("K_KP_PLUS", 87),
        "NumpadSubtract": ("K_KP_MINUS", 86),
        "NumpadMultiply": ("K_KP_MULTIPLY", 85),
        "NumpadDivide": ("K_KP_DIVIDE", 84),
        "NumpadDecimal": ("K_KP_PERIOD", 99),
    }
    for i in range(1, 13):
        named[f"F{i}"] = (f"K_F{i}", 57 + i)
    for code, (name, scancode) in named.items():
        table[code] = (getattr(pg, name), scancode)
    return table


class LineFeed(io.TextIOBase):
    """``sys.stdin`` for the game: ``input()`` gets the lines typed into the player."""

    def __init__(self):
        self.lines = queue.Queue()
        self.partial = ""

    def readable(self):
        return True

    def readline(self, size=-1):
        line = self.lines.get()
        return line

    def read(self, size=-1):
        return self.readline()

    def feed_key(self, key):
        # Typing into the canvas also builds a line for input(): Enter sends it.
        if key == "Enter":
            self.lines.put(self.partial + "\n")
            self.partial = ""
        elif key == "Backspace":
            self.partial = self.partial[:-1]
        elif len(key) == 1:
            self.partial += key
