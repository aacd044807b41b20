"""Claims: claim files (TOML) and their verdicts.

- :mod:`~geo.claims.model`: the claim model and the claim-file loader;
- :mod:`~geo.claims.verdicts`: verdicts with margins, critical values, robustness, coverage.

Internal: the supported names are those exported by :mod:`geo` and :mod:`geo.testing`.
"""
