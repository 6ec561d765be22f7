"""Pool entries: nominate, admit, remove; flag those no longer eligible. To be written (issue 12).

INTERFACE (keyword-only, ``by=``, gate action ``reserve``, atomic, a transitions table in the shape
of ``assessment.services.conduct``):

    entry_nominate(*, by, pool, cadres, note="") -> list[PoolEntry]   refused for an ineligible cadre
                                                                        with the failing sentences
    entry_admit(*, by, entry, reason="") -> PoolEntry                  refused when not eligible now
    entry_remove(*, by, entry, reason) -> PoolEntry                    the reason is required
    entries_flag(*, pools=None, on=None) -> int                        set/clear flagged_on and
                                                                        flag_reasons (the run calls it)
"""

# The flags are set by the nightly run with the eligibility it computed once (``ranking.py``).
from .ranking import entries_flag  # noqa: E402, F401
