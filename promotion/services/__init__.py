"""Writes and rules of the reserve pool, the postings and the ranking runs.

- ``steps.py``: the step log (``PromotionStep``) every workflow keeps;
- ``postings.py``: frontline postings (propose → approve / refuse → evaluate and close), a
  transitions table in the shape of ``assessment.services.conduct``;
- ``eligibility.py``: the entry criteria (one registry) and ``eligibility`` — the one function that
  says, set-based, which cadres meet a pool's criteria and why (``standing`` included);
- ``pools.py``: pools with their criteria and weights (saved whole), industries and categories;
- ``entries.py``: nominate, admit, remove entries; flag those no longer eligible;
- ``ranking.py``: the scores and ranks of every pool (set-based, pandas) and ``explain``;
- ``runs.py``: the nightly run (lock, one transaction, then current), its history.
"""
