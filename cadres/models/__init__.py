"""Models of the cadres app: the roster (``roster.py``), the performance archive (``records.py``) and the
care records (``care.py``)."""
from .care import AwaySupport, HealthCheck, LeaveYear, OvertimeRecord, Talk, TalkKind  # noqa: F401
from .records import (  # noqa: F401
    Evidence,
    PerformanceRecord,
    PointsRule,
    RecordRole,
    RecordStatus,
    TaskCategory,
    points_sentence,
)
from .roster import (  # noqa: F401
    Appointment,
    Cadre,
    CadreStatus,
    CareerEntry,
    Degree,
    EducationLevel,
    FamilyMember,
    FamilyPoliticalStatus,
    Gender,
    HealthStatus,
    PoliticalStatus,
    Post,
    PostKind,
    PostLevel,
    Rank,
    RankHistory,
    RankQuota,
    Tag,
    Training,
    Unit,
    UnitKind,
    UnitLevel,
    UnitManager,
    UnitQuerySet,
    phone_validator,
)
