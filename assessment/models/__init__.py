"""Models of the assessment app: indicator schemes (``schemes.py``) and periods, scores and
results (``periods.py``)."""
from .periods import (  # noqa: F401
    INSTITUTION_UNIT_KINDS,
    AssessmentPeriod,
    AssessmentResult,
    Grade,
    PeriodKind,
    PeriodStatus,
    RaterGroup,
    RaterWeight,
    Score,
    grade_label,
)
from .schemes import (  # noqa: F401
    MIDDLE_POST_KINDS,
    Category,
    Dimension,
    Indicator,
    IndicatorScheme,
    PostClass,
    SchemeStatus,
    Tier,
    UnitCategory,
)
