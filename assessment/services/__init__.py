"""Writes of the assessment app. ``from assessment import services`` gives every service:
``schemes.py`` (tiers, categories, indicator schemes), ``periods.py`` (set-up, enrolment, scores,
overrides, publication), ``compute.py`` (the composite of a whole period), ``grading.py`` (grades
within a group) and ``classify.py`` (a cadre's tier and category)."""
from .classify import Placement, SkipReason, classify_cadre, classify_cadres, skip_reason_text  # noqa: F401
from .compute import explain, period_compute  # noqa: F401
from .grading import TIE_RULE, Candidate, excellent_cap, grade_group  # noqa: F401
from .periods import (  # noqa: F401
    PERIOD_TRANSITIONS,
    default_previous,
    period_allowed_actions,
    period_enrol,
    period_open,
    period_problems,
    period_publish,
    period_save,
    period_set_schemes,
    publish_problems,
    rater_groups_save,
    rater_indicators,
    require_action,
    result_override,
    result_remove,
    scores_check,
    scores_save,
)
from .schemes import (  # noqa: F401
    category_save,
    scheme_copy,
    scheme_create,
    scheme_delete,
    scheme_new_version,
    scheme_problems,
    scheme_publish,
    scheme_save,
    tier_save,
    unit_category_set,
    weight_errors,
)
