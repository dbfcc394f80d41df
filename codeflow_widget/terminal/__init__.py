"""The terminal front end: ``codeflow run | doctor | init | lessons | stats | eval`` and the magics."""
