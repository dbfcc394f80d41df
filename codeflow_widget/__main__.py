"""``python -m codeflow_widget`` is the ``codeflow`` command."""

import sys

from .cli import main

sys.exit(main())
