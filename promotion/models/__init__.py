"""The reserve pool (储备库), frontline postings (墩苗育苗) and the nightly ranking runs.

- ``postings.py``: ``Programme`` (实践练兵 programmes, an editable list) and ``FrontlinePosting``;
- ``reserve.py``: ``Industry`` and ``PoolCategory`` (editable lists), ``ReservePool`` with its
  weights and ``PoolCriterion`` rows, ``PoolEntry`` (nominated → admitted → removed), the runs
  (``RankingRun``) and what each run wrote per entry (``RankingEntry``), and ``PromotionStep``;
- ``ninebox.py``: ``NineBoxSettings``, the 9-box's cut-offs (one row, edited by org staff);
- ``schedule.py``: the audit history of the nightly run's schedule (django-celery-beat's models).
"""
from .ninebox import NineBoxSettings
from .postings import Evaluation, FrontlinePosting, PostingStatus, Programme
from .reserve import (
    CriterionKind,
    EntryStatus,
    Industry,
    PoolCategory,
    PoolCriterion,
    PoolEntry,
    PromotionStep,
    RankingEntry,
    RankingRun,
    ReservePool,
    RunStatus,
    RunTrigger,
    StepSubject,
)
from .rules import SelectionRules
from .schedule import CrontabSchedule, PeriodicTask  # noqa: F401 - registers their audit history
from .selection import (  # 选任纪实 (issue 13)
    Ballot,
    Decision,
    DecisionOutcome,
    DecisionVote,
    FileCheck,
    FileItem,
    Matters,
    ProbationOutcome,
    Recommendation,
    RecommendationMethod,
    Selection,
    SelectionCandidate,
    SelectionDocument,
    SelectionKind,
    SelectionPost,
    SelectionStatus,
)

__all__ = [
    "CriterionKind", "EntryStatus", "Evaluation", "FrontlinePosting", "Industry", "PoolCategory", "PoolCriterion",
    "PoolEntry", "PostingStatus", "Programme", "PromotionStep", "RankingEntry", "RankingRun", "ReservePool",
    "RunStatus", "RunTrigger", "StepSubject",
]
__all__ += ["NineBoxSettings"]
__all__ += [
    "Ballot", "Decision", "DecisionOutcome", "DecisionVote", "FileCheck", "FileItem", "Matters", "ProbationOutcome",
    "Recommendation", "RecommendationMethod", "Selection", "SelectionCandidate", "SelectionDocument",
    "SelectionKind", "SelectionPost", "SelectionStatus", "SelectionRules",
]
