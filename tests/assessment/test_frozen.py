"""A published period is frozen: no scores, no recomputation, no overrides, no set-up changes; and a
published scheme is frozen too. Unit leaders see a published period's results in their scope only."""
import pytest
from django.core.exceptions import ValidationError

from assessment import services as asvc
from assessment.models import AssessmentResult, Grade

from .conftest import all_raters, give

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_open_world")]  # built once (conftest.py)


@pytest.fixture
def published(org_staff, period, deputies):
    for i, d in enumerate(deputies):
        all_raters(org_staff, period, d, 80 + i, 80 + i, 80 + i)
    asvc.period_compute(by=org_staff, period=period)
    period.refresh_from_db()
    return asvc.period_publish(by=org_staff, period=period, confirm=True)


def test_publish_needs_confirmation(org_staff, period, deputies):
    for d in deputies:
        all_raters(org_staff, period, d, 80, 80, 80)
    asvc.period_compute(by=org_staff, period=period)
    period.refresh_from_db()
    with pytest.raises(ValidationError, match="请确认"):
        asvc.period_publish(by=org_staff, period=period)


def test_everything_is_refused_after_publication(org_staff, published, deputies, scheme):
    result = published.results.get(cadre=deputies[0])
    before = list(published.results.order_by("id").values_list("composite", "grade"))
    with pytest.raises(ValidationError, match="已发布|不能"):
        give(org_staff, published, "上级", deputies[0], {"政治品质": 10, "履职成效": 10, "担当作为": 10})
    with pytest.raises(ValidationError):
        asvc.period_compute(by=org_staff, period=published)
    with pytest.raises(ValidationError, match="已发布"):
        asvc.result_override(by=org_staff, result=result, grade=Grade.BASIC, reason="测试")
    with pytest.raises(ValidationError, match="已发布"):
        asvc.period_save(by=org_staff, period=published, excellent_share=30)
    with pytest.raises(ValidationError, match="已发布"):
        asvc.scheme_save(by=org_staff, scheme=scheme, indicators=[])
    assert list(published.results.order_by("id").values_list("composite", "grade")) == before


def test_override_needs_reason_keeps_across_recompute_and_is_audited(org_staff, period, deputies):
    for i, d in enumerate(deputies):
        all_raters(org_staff, period, d, 80 + i, 80 + i, 80 + i)
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.get(cadre=deputies[0])
    with pytest.raises(ValidationError, match="理由"):
        asvc.result_override(by=org_staff, result=r, grade=Grade.BASIC, reason=" ")
    assert r.grade == Grade.BASIC  # 80 × 0.8 with no 实绩 points = 64
    asvc.result_override(by=org_staff, result=r, grade=Grade.INCOMPETENT, reason="年度内发生安全生产事故")
    asvc.period_compute(by=org_staff, period=period)
    r.refresh_from_db()
    assert r.grade == Grade.INCOMPETENT and r.computed_grade == Grade.BASIC
    h = r.history.filter(override_reason="年度内发生安全生产事故").earliest("history_date")
    assert h.history_user == org_staff and h.grade == Grade.INCOMPETENT


def test_vetoed_cannot_be_overridden_upward(org_staff, period, deputies):
    all_raters(org_staff, period, deputies[0], 50, 90, 90)
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.get(cadre=deputies[0])
    with pytest.raises(ValidationError, match="一票否决"):
        asvc.result_override(by=org_staff, result=r, grade=Grade.COMPETENT, reason="复核")


def test_leader_sees_published_results_of_own_units_only(leader, org_staff, period, published, deputies):
    visible = AssessmentResult.objects.restrict(leader)
    assert set(visible.values_list("cadre__name", flat=True)) == {"甲一", "甲二", "甲三"}  # 宝丰县's town


def test_leader_sees_nothing_before_publication(leader, period, deputies):
    assert not AssessmentResult.objects.restrict(leader).exists()
