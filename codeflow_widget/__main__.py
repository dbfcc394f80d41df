"""``python -m codeflow_widget`` is the ``codeflow`` command."""

import sys

from codeflow_widget.terminal.cli import main

sys.exit(main())
