"""Entries of a pool: nominate (refused for an ineligible cadre with the failing sentence, for one
already nominated or admitted; several at once all or nothing), admit (eligibility checked again
today), remove (a reason is required; the row stays), each step logged; org staff only."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from cadres.models import Cadre, CadreStatus
from promotion.models import EntryStatus, Industry, PoolCategory, PoolEntry, PromotionStep, ReservePool
from promotion.services import entries as svc
from promotion.services import pools
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory

U = get_user_model()


def _build():
    tree = make_tree()
    people = make_people(tree)
    org = people.org_staff
    young = CadreFactory(unit=tree.town_a, name="青年甲", birth_date=dt.date(1992, 3, 1))
    young2 = CadreFactory(unit=tree.town_b, name="青年乙", birth_date=dt.date(1993, 5, 1))
    old = CadreFactory(unit=tree.town_a, name="年长丙", birth_date=dt.date(1962, 3, 1))
    retired = CadreFactory(unit=tree.town_a, name="退休丁", birth_date=dt.date(1991, 3, 1), status=CadreStatus.RETIRED)
    pool = pools.pool_save(by=org, fields={"name": "经济发展·优秀年轻干部", "industry": Industry.objects.get(name="经济发展"),
                                           "category": PoolCategory.objects.get(name="优秀年轻干部")},
                           criteria=[{"kind": "age", "params": {"max": 45}}])
    return dict(org=org.pk, auditor=people.auditor.pk, leader=people.leader.pk, young=young.pk, young2=young2.pk,
                old=old.pk, retired=retired.pk, pool=pool.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    out = dict(world)
    users = U.objects.in_bulk([world["org"], world["auditor"], world["leader"]])
    for k in ("org", "auditor", "leader"):
        out[k] = users[world[k]]
    cadres = Cadre.objects.in_bulk([world[k] for k in ("young", "young2", "old", "retired")])
    for k in ("young", "young2", "old", "retired"):
        out[k] = cadres[world[k]]
    out["pool"] = ReservePool.objects.get(pk=world["pool"])
    return out


def _nothing_changed(call):
    before = (list(PoolEntry.objects.values()), PromotionStep.objects.count())
    with pytest.raises(ValidationError) as e:
        call()
    assert (list(PoolEntry.objects.values()), PromotionStep.objects.count()) == before
    return e.value


def test_nominating_an_eligible_cadre_logs_the_step(w):
    [entry] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]], note="实绩突出")
    assert entry.status == EntryStatus.NOMINATED and entry.note == "实绩突出" and entry.nominated_by == w["org"]
    step = PromotionStep.objects.get(subject="entry", subject_id=entry.pk)
    assert (step.action, step.to_status, step.reason) == ("nominate", "nominated", "实绩突出")


def test_nominating_an_ineligible_cadre_is_refused_with_the_sentence(w):
    e = _nothing_changed(lambda: svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["old"]]))
    [message] = e.message_dict["cadres"]
    assert message.startswith("年长丙不符合入库条件：") and "岁 > 45 岁 ✘" in message


def test_several_at_once_all_or_nothing(w):
    e = _nothing_changed(lambda: svc.entry_nominate(by=w["org"], pool=w["pool"],
                                                    cadres=[w["young"], w["old"], w["retired"]]))
    messages = e.message_dict["cadres"]
    assert len(messages) == 2 and any("退休丁" in m for m in messages) and any("年长丙" in m for m in messages)
    done = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"].pk, str(w["young2"].pk)])
    assert [e.cadre_id for e in done] == [w["young"].pk, w["young2"].pk]


def test_duplicate_nomination_is_refused(w):
    svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    e = _nothing_changed(lambda: svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]]))
    assert e.message_dict["cadres"] == ["青年甲已在此储备库中（已提名）。"]


def test_admitted_cadre_cannot_be_nominated_again_but_a_removed_one_can(w):
    [entry] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    svc.entry_admit(by=w["org"], entry=entry)
    e = _nothing_changed(lambda: svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]]))
    assert e.message_dict["cadres"] == ["青年甲已在此储备库中（已入库）。"]
    svc.entry_remove(by=w["org"], entry=entry, reason="调任其他岗位")
    [again] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    assert again.pk != entry.pk and PoolEntry.objects.filter(cadre=w["young"]).count() == 2


def test_nominating_nobody_or_an_unknown_id_is_refused(w):
    assert _nothing_changed(lambda: svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[])).message_dict["cadres"]
    e = _nothing_changed(lambda: svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[2_000_000_000, "x"]))
    assert len(e.message_dict["cadres"]) >= 1


def test_admit_checks_eligibility_again_today(w):
    [entry] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    pools.pool_save(by=w["org"], pool=w["pool"], fields={}, criteria=[{"kind": "age", "params": {"max": 30}}])
    e = _nothing_changed(lambda: svc.entry_admit(by=w["org"], entry=entry, reason="同意"))
    assert e.messages[0].startswith("青年甲不符合入库条件：") and "> 30 岁 ✘" in e.messages[0]
    assert PoolEntry.objects.get(pk=entry.pk).status == EntryStatus.NOMINATED


def test_admit_sets_who_and_when_and_clears_a_flag(w):
    [entry] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    PoolEntry.objects.filter(pk=entry.pk).update(flagged_on=dt.date(2026, 1, 1), flag_reasons=["旧的理由"])
    done = svc.entry_admit(by=w["org"], entry=entry, reason="经研究同意入库")
    assert done.status == EntryStatus.ADMITTED and done.admitted_by == w["org"] and done.admitted_at
    assert done.flagged_on is None and done.flag_reasons == []
    assert PromotionStep.objects.filter(subject="entry", subject_id=entry.pk, action="admit",
                                        reason="经研究同意入库").exists()


def test_admitting_twice_is_refused_by_the_table(w):
    [entry] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    svc.entry_admit(by=w["org"], entry=entry)
    e = _nothing_changed(lambda: svc.entry_admit(by=w["org"], entry=entry))
    assert "当前状态为“已入库”" in e.messages[0]


def test_remove_without_reason_is_refused(w):
    [entry] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    e = _nothing_changed(lambda: svc.entry_remove(by=w["org"], entry=entry, reason="  "))
    assert e.message_dict["reason"] == ["请填写理由。"]


def test_remove_keeps_the_row_with_the_reason(w):
    [entry] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    svc.entry_admit(by=w["org"], entry=entry)
    done = svc.entry_remove(by=w["org"], entry=entry, reason="受到党纪处分")
    row = PoolEntry.objects.get(pk=entry.pk)
    assert (row.status, row.removal_reason, row.removed_by_id) == ("removed", "受到党纪处分", w["org"].pk)
    assert done.removed_at is not None
    assert svc.entry_allowed_actions(row, w["org"]) == frozenset()


def test_allowed_actions_follow_the_table_and_the_role(w):
    [entry] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    assert svc.entry_allowed_actions(entry, w["org"]) == {"admit", "remove"}
    assert svc.entry_allowed_actions(entry, w["auditor"]) == frozenset()
    assert svc.entry_allowed_actions(entry, w["leader"]) == frozenset()


def test_only_org_staff_take_the_steps(w):
    [entry] = svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]])
    for user in (w["auditor"], w["leader"]):
        with pytest.raises(PermissionDenied):
            svc.entry_nominate(by=user, pool=w["pool"], cadres=[w["young2"]])
        with pytest.raises(PermissionDenied):
            svc.entry_admit(by=user, entry=entry)
        with pytest.raises(PermissionDenied):
            svc.entry_remove(by=user, entry=entry, reason="x")


def test_an_inactive_pool_takes_no_nomination(w):
    ReservePool.objects.filter(pk=w["pool"].pk).update(is_active=False)
    e = _nothing_changed(lambda: svc.entry_nominate(by=w["org"], pool=w["pool"], cadres=[w["young"]]))
    assert "已停用" in e.message_dict["pool"][0]
