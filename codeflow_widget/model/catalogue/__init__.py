"""The message catalogue's tables, one module per part of the package that speaks.

``model.messages`` merges them into its one ``CATALOGUE`` and owns the lookup
(``message(code, lang, **params)``); these modules only hold the sentences, each a
``code: (Chinese, English)`` pair, so that every learner-facing sentence of the kernel
lives under ``model/``.
"""
