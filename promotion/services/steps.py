"""The step log of the promotion workflows (like ``assessment.services.conduct.log_step``)."""
from ..models import PromotionStep, StepSubject


def log_step(*, subject: StepSubject | str, obj, action: str, by, reason: str = "", from_status: str = "",
             to_status: str = "", unit=None) -> PromotionStep:
    """Keep one step of a workflow (shown on the detail pages, oldest first)."""
    return PromotionStep.objects.create(subject=subject, subject_id=obj.pk, action=action,
                                        from_status=from_status or "", to_status=to_status or "",
                                        reason=reason or "", unit=unit, by=by)


def steps_of(subject: StepSubject | str, obj) -> list[PromotionStep]:
    """The steps of ``obj``, oldest first (one query). The caller fetched ``obj`` through the gate."""
    return list(PromotionStep.objects.filter(subject=subject, subject_id=obj.pk).select_related("by")
                .order_by("at", "id"))
