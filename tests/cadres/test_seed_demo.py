"""``manage.py seed_demo``: the demo city, its rules (quotas, ID numbers), accounts, history, idempotence."""
import datetime as dt
import io
import random
from collections import Counter, defaultdict

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings

from cadres import idcard, services
from cadres.demo import data as D
from cadres.demo.builder import DemoBuilder, add_years, allocate, plan_units
from cadres.models import (
    Appointment,
    Cadre,
    CadreStatus,
    CareerEntry,
    Post,
    Rank,
    RankHistory,
    RankQuota,
    Tag,
    Training,
    Unit,
    UnitLevel,
)
from pingdingshan.core import permissions as gate

N = 300
COUNTY_LEVEL = {
    "410402": "新华区", "410403": "卫东区", "410404": "石龙区", "410411": "湛河区", "410421": "宝丰县",
    "410422": "叶县", "410423": "鲁山县", "410425": "郏县", "410481": "舞钢市", "410482": "汝州市",
}
ZONES = {"平顶山国家高新技术产业开发区", "平顶山市城乡一体化示范区"}


def seed(n=N):
    out = io.StringIO()
    call_command("seed_demo", cadres=n, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """The demo's evidence files go to a folder of this module's own (MEDIA_ROOT for all its tests)."""
    from django.conf import settings

    folder = tmp_path_factory.mktemp("demo-media")
    # (override_settings would hide SETTINGS_MODULE, which seed_demo reads to refuse production)
    with override_settings(MEDIA_ROOT=folder, SETTINGS_MODULE=settings.SETTINGS_MODULE):
        yield folder


@pytest.fixture(scope="module")
def seeded_city(django_db_setup, django_db_blocker, demo_media):
    """Seed once for the module inside a transaction that is rolled back at the end; each test runs in
    its own savepoint within it (pytest-django's ``db``), so tests still cannot see each other's writes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_city, db):
    return seeded_city


def all_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models(include_auto_created=True)}


def test_builds_the_real_city(seeded):
    root = Unit.objects.get(code=D.ROOT_CODE)
    assert root.name == "平顶山市" and root.is_root()
    children = {u.code: u for u in Unit.objects.get_children(root)}
    for code, name in COUNTY_LEVEL.items():
        assert children[code].name == name
        assert children[code].level == UnitLevel.COUNTY
    assert {u.name for u in children.values() if u.kind == "zone"} == ZONES
    assert children["410471"].name == "平顶山国家高新技术产业开发区" and children["410472"].name == "平顶山市城乡一体化示范区"
    assert Unit.objects.get_children(root).filter(level=UnitLevel.CITY, kind__in=["party_dept", "gov_dept"]).count() >= 35
    baofeng = children["410421"]
    towns = set(Unit.objects.get_descendants(baofeng).filter(level=UnitLevel.TOWNSHIP).values_list("name", flat=True))
    assert {"城关镇", "周庄镇", "闹店镇", "石桥镇", "商酒务镇", "大营镇", "张八桥镇", "杨庄镇", "赵庄镇", "前营乡",
            "李庄乡", "肖旗乡", "观音堂林业生态旅游示范区"} <= towns
    assert Unit.objects.get_descendants(baofeng).filter(name="宝丰县委组织部").exists()
    # the high-tech zone manages 叶县's 遵化店镇
    assert Unit.objects.get_parent(Unit.objects.get(name="遵化店镇")).name == "平顶山国家高新技术产业开发区"
    assert Unit.objects.filter(code__startswith="410422", level=UnitLevel.TOWNSHIP).count() == 19
    assert 300 <= Unit.objects.count() <= 500
    assert Cadre.objects.count() == N
    assert "baofeng_leader" in seeded and "Pds-Baofeng-2026!" in seeded


def test_id_numbers_valid_consistent_and_unique(seeded):
    rows = list(Cadre.objects.values_list("id_number", "birth_date", "gender", "unit__code"))
    numbers = [r[0] for r in rows]
    assert len(set(numbers)) == len(numbers) == N
    known_areas = set(COUNTY_LEVEL)
    for number, birth, gender, _unit in rows:
        assert idcard.validate_id_number(number) == number
        assert idcard.consistency_errors(number, birth, gender) == {}
        assert number[:6] in known_areas
    # cadres of a county, its departments and townships carry the county's area code
    for number, _birth, _gender, unit_code in rows:
        if unit_code[:6] in known_areas:
            assert number[:6] == unit_code[:6]


def test_refuses_production_settings(db, settings):
    before = all_counts()
    settings.SETTINGS_MODULE = "pingdingshan.settings.production"
    with pytest.raises(CommandError):
        seed(10)
    assert all_counts() == before


def _max_in_office(intervals):
    events = []
    for start, end in intervals:
        events.append((start, 1))
        if end is not None:
            events.append((end + dt.timedelta(days=1), -1))
    events.sort(key=lambda e: (e[0], e[1]))
    best = current = 0
    for _day, delta in events:
        current += delta
        best = max(best, current)
    return best


def test_post_quotas_and_single_chiefs(seeded):
    posts = {p.pk: p for p in Post.objects.all()}
    by_post = defaultdict(list)
    for post_id, start, end in Appointment.objects.values_list("post_id", "start_date", "end_date"):
        assert end is None or end >= start
        by_post[post_id].append((start, end))
    assert sum(len(v) for v in by_post.values()) > N // 2
    for post_id, intervals in by_post.items():
        post = posts[post_id]
        assert _max_in_office(intervals) <= post.quota, post
        assert sum(1 for _s, e in intervals if e is None) <= post.quota, post
        if post.is_chief:
            assert _max_in_office(intervals) == 1, post
    # and the service's own rule accepts every appointment as it stands
    for appointment in Appointment.objects.select_related("post", "cadre"):
        services.check_post_capacity(appointment)


def test_rank_quotas_and_roster_columns_match_the_records(seeded):
    quotas = {(q.unit_id, q.rank_id): q.quota for q in RankQuota.objects.all()}
    held = (Cadre.objects.filter(status=CadreStatus.ACTIVE, current_rank__order__lte=10)
            .values("unit_id", "current_rank_id").annotate(n=Count("id")))
    assert held
    for row in held:
        assert row["n"] <= quotas.get((row["unit_id"], row["current_rank_id"]), 0), row
    open_posts = defaultdict(list)
    for cadre_id, post_id, level in Appointment.objects.filter(end_date__isnull=True).values_list(
            "cadre_id", "post_id", "post__level"):
        open_posts[cadre_id].append((level, post_id))
    open_ranks = defaultdict(list)
    for cadre_id, rank_id in RankHistory.objects.filter(end_date__isnull=True).values_list("cadre_id", "rank_id"):
        open_ranks[cadre_id].append(rank_id)
    for c in Cadre.objects.all():
        expected_post = max(open_posts[c.pk])[1] if open_posts[c.pk] else None
        assert c.current_post_id == expected_post
        assert len(open_ranks[c.pk]) <= 1
        assert c.current_rank_id == (open_ranks[c.pk][0] if open_ranks[c.pk] else None)
        assert c.name_initials == services.name_initials(c.name)
        assert c.highest_education == services.highest_education(c.fulltime_education, c.inservice_education)
        if c.status != CadreStatus.ACTIVE:
            assert c.current_post_id is None and c.current_rank_id is None
        if c.current_post_id:
            assert posts_unit(c.current_post_id) == c.unit_id
    # ranks exist from the 2019 reform on, rise one step at a time after the minimum years, never overlap
    min_years = dict(Rank.objects.values_list("order", "min_years_from_below"))
    work_start = dict(Cadre.objects.values_list("id", "work_start_date"))
    for cadre_id, records in _grouped(RankHistory.objects.order_by("cadre_id", "start_date").values_list(
            "cadre_id", "rank__order", "start_date", "end_date")).items():
        first_order, first_start, _end = records[0]
        assert first_start >= max(D.RANK_REFORM, work_start[cadre_id])
        if work_start[cadre_id] > D.RANK_REFORM:
            assert first_order == 12, cadre_id  # hired after the reform: starts as 二级科员
        for (o1, s1, e1), (o2, s2, _e2) in zip(records, records[1:], strict=False):
            assert o2 == o1 - 1 and e1 is not None and e1 < s2, cadre_id
            assert s2 >= add_years(s1, min_years[o2]), cadre_id


def posts_unit(post_id):
    return Post.objects.values_list("unit_id", flat=True).get(pk=post_id)


def _grouped(rows):
    out = defaultdict(list)
    for cadre_id, *rest in rows:
        out[cadre_id].append(tuple(rest))
    return out


def test_people_look_real(seeded):
    statuses = Counter(Cadre.objects.values_list("status", flat=True))
    assert statuses[CadreStatus.ACTIVE] > N * 0.75 and statuses[CadreStatus.RETIRED] + statuses[CadreStatus.TRANSFERRED]
    assert Cadre.objects.filter(political_status="cpc").count() > N * 0.7
    assert not Cadre.objects.filter(political_status="cpc", party_join_date__isnull=True).exists()
    assert not Cadre.objects.exclude(political_status__in=["cpc", "cpc_probationary"]).filter(
        party_join_date__isnull=False).exists()
    assert len(set(Cadre.objects.values_list("highest_education", flat=True))) >= 4
    assert Cadre.objects.values("gender").distinct().count() == 2
    lines = Counter(CareerEntry.objects.values_list("cadre_id", flat=True))
    assert len(lines) == N and min(lines.values()) >= 2 and max(lines.values()) <= 5
    assert Training.objects.exists()
    assert Cadre.tags.through.objects.exists()
    assert set(D.TAG_NAMES) <= set(Tag.objects.values_list("name", flat=True))
    for c in Cadre.objects.all():
        c.full_clean()  # model-level validation, ID number consistency included


def test_accounts_and_roles(seeded):
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("Pds-Admin-2026!")
    expected = {"orgstaff": ({"org_staff"}, None), "auditor": ({"auditor"}, None),
                "baofeng_leader": ({"unit_leader"}, "410421")}
    for username, password, _role, _unit, _display in D.DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password(password)
        validate_password(password, user)
        if username in expected:
            roles, unit_code = expected[username]
            assert gate.user_roles(user) == roles
            assert list(user.role_assignments.values_list("unit__code", flat=True)) == [unit_code]
        assert password in seeded
    leader = User.objects.get(username="baofeng_leader")
    visible = Cadre.objects.restrict(leader, "view")
    assert visible.exists()
    assert not visible.exclude(unit__path__startswith=Unit.objects.get(code="410421").path).exists()


def test_history_rows_carry_the_acting_user(seeded):
    admin = get_user_model().objects.get(username="admin")
    for model in (Unit, Post, RankQuota, Cadre, Appointment, RankHistory, CareerEntry, Training):
        history = model.history.all()
        # one creation row per object (the conduct demo's adjustments change a few appointments after)
        assert history.filter(history_type="+").count() == model.objects.count() > 0, model
        assert not history.filter(~Q(history_user=admin) | Q(request_id="")).exists(), model
    assert Cadre.history.filter(history_type="+").count() == N


def test_second_run_changes_nothing(seeded):
    before = all_counts()
    out = seed()
    assert all_counts() == before
    assert "已存在" in out and "Pds-Org-2026!" in out
    out = seed(N * 2)
    assert all_counts() == before
    assert "不会补充" in out


def generate_in_memory(n, specs=None):
    """Run the generator for every unit without writing anything (posts get unsaved stand-ins)."""
    specs = specs or plan_units()
    allocate(specs, n)
    builder = DemoBuilder(cadres=n, by=None)
    builder.prepare(specs, Rank.objects.all())
    builder.tag_ids = {name: i for i, name in enumerate(D.TAG_NAMES)}
    for spec in specs:
        for post in spec.posts:
            post.obj = Post(name=post.name, quota=post.quota, is_chief=post.is_chief, level=post.level)
        builder._generate_unit(spec)
    return builder.buffer


def test_deterministic(seeded):
    def snapshot(people):
        return [(p.cadre.name, p.cadre.id_number, p.status, [(a.post.name, a.start_date, a.end_date)
                for a in p.appointments], [(r.rank.order, r.start_date) for r in p.ranks],
                 [c.description for c in p.career], sorted(p.tags)) for p in people]

    first = snapshot(generate_in_memory(N))
    assert snapshot(generate_in_memory(N)) == first
    # and the command wrote exactly that data
    assert sorted(Cadre.objects.values_list("name", "id_number", "status")) == sorted(row[:3] for row in first)


def test_generator_keeps_quotas_under_pressure(db):
    """At full scale units hold hundreds of people: the generator must still keep post and rank quotas
    (checked in memory on a few busy units, without writing 100,000 rows)."""
    specs = plan_units()
    allocate(specs, 100_000)
    builder = DemoBuilder(cadres=100_000, by=None)
    builder.prepare(specs, Rank.objects.all())
    builder.tag_ids = {name: i for i, name in enumerate(D.TAG_NAMES)}
    busy = [s for s in specs if s.code in ("410400", "410400D02", "410421", "410421D02", "410421100")]
    assert len(busy) == 5
    people = []
    for spec in busy:
        for post in spec.posts:
            post.obj = Post(name=post.name, quota=post.quota, is_chief=post.is_chief, level=post.level)
        builder._generate_unit(spec)
        mine, builder.buffer = builder.buffer, []
        assert len(mine) == spec.headcount
        held = Counter(p.ranks[-1].rank.order for p in mine if p.status == CadreStatus.ACTIVE and p.ranks)
        quota_held = 0
        for order, n in held.items():
            if order <= 10:
                assert n <= spec.rank_room.get(order, 0), (spec.name, order)
                quota_held += n
        assert quota_held >= 0.8 * sum(spec.rank_room.values()), spec.name  # the quotas were under pressure
        people += mine
    assert len(people) > 1000
    by_post = defaultdict(list)
    for p in people:
        for a in p.appointments:
            by_post[id(a.post)].append((a.post, a.start_date, a.end_date))
    for rows in by_post.values():
        post = rows[0][0]
        assert _max_in_office([(s, e) for _p, s, e in rows]) <= post.quota, post.name
    numbers = [p.cadre.id_number for p in people]
    assert len(set(numbers)) == len(numbers)


def test_id_numbers_stay_unique_when_a_day_is_full():
    builder = DemoBuilder(cadres=0, by=None)
    rng = random.Random(1)
    day = dt.date(1980, 5, 17)
    issued = [builder._id_number(rng, "410421", day, "F") for _ in range(600)]
    numbers = [n for n, _d in issued]
    assert len(set(numbers)) == 600
    assert [d for _n, d in issued].count(day) == 499  # 499 even sequence numbers on one day, then the next day
    for number, born in issued:
        assert idcard.validate_id_number(number) == number
        assert idcard.consistency_errors(number, born, "F") == {}


def test_demo_records_follow_the_archive_rules(seeded):
    """Demo records: every state present, verified ones scored by the configured rule, dates and
    units of measure as the services require, the unit at the time taken from the current post."""
    from cadres.models import PerformanceRecord, RecordStatus
    from cadres.services import points_for

    records = list(PerformanceRecord.objects.select_related("category", "cadre__current_post"))
    assert {r.status for r in records} == set(RecordStatus.values)
    for r in records:
        assert r.end_date is None or r.end_date >= r.start_date
        assert (r.quantity is None) == (r.quantity_unit == "")
        assert r.unit_id == (r.cadre.current_post.unit_id if r.cadre.current_post_id else r.cadre.unit_id)
        if r.status == RecordStatus.VERIFIED:
            assert (r.points, r.points_explanation) == points_for(r)
    assert PerformanceRecord.history.model.objects.filter(history_user__username="admin").count() == len(records)


def _pdf_is_well_formed(content: bytes) -> None:
    """Header, trailer, and a cross-reference table whose offsets point at the objects."""
    import re

    assert content.startswith(b"%PDF-1.4\n") and content.endswith(b"%%EOF\n")
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF", content).group(1))
    assert content[startxref:].startswith(b"xref\n0 6\n")
    entries = content[startxref:].split(b"\n")[2:8]
    assert entries[0] == b"0000000000 65535 f "
    for number, entry in enumerate(entries[1:], start=1):
        offset = int(entry[:10])
        assert content[offset:].startswith(f"{number} 0 obj\n".encode()), number
    length = int(re.search(rb"/Length (\d+) >>\nstream\n", content).group(1))
    body = content.split(b"stream\n", 1)[1]
    assert body[length:].startswith(b"\nendstream")


def test_demo_evidence_goes_through_the_evidence_checks(seeded, demo_media):
    """Some records carry a generated PDF (and every other one a PNG), stored, sniffed and hashed as
    uploads are, with their audit history; spread over the records' states and over the units."""
    import hashlib

    from PIL import Image

    from cadres.demo.evidence import DEMO_NAMES, RECORDS_WITH_EVIDENCE
    from cadres.models import Evidence, PerformanceRecord, RecordStatus

    evidence = list(Evidence.objects.select_related("record", "uploaded_by"))
    records = {e.record_id for e in evidence}
    assert len(records) == min(RECORDS_WITH_EVIDENCE, PerformanceRecord.objects.count())
    assert len(evidence) == len(records) + (len(records) + 1) // 2
    assert f"佐证材料 {len(evidence):,} 份" in seeded
    kinds = Counter(e.content_type for e in evidence)
    assert set(kinds) == {"application/pdf", "image/png"}
    assert {e.original_name for e in evidence} == set(DEMO_NAMES)
    for e in evidence:
        path = demo_media / e.file.name
        assert e.file.name.startswith(f"evidence/{e.record_id}/") and path.is_file()
        content = path.read_bytes()
        assert services.sniff_evidence_type(content[:8192]) == {"application/pdf": "pdf", "image/png": "png"}[
            e.content_type]
        assert (e.size, e.sha256) == (len(content), hashlib.sha256(content).hexdigest())
        assert e.uploaded_by.username == "admin"
        if e.content_type == "image/png":
            with Image.open(path) as image:
                image.verify()
        else:
            _pdf_is_well_formed(content)
    assert {e.record.status for e in evidence} >= {RecordStatus.SUBMITTED, RecordStatus.VERIFIED}
    assert Evidence.history.filter(history_type="+", history_user__username="admin").count() == len(evidence)
    leader = get_user_model().objects.get(username="baofeng_leader")
    assert Evidence.objects.restrict(leader, "view").exists()  # a unit leader finds some in their county


def test_a_city_seeded_before_gets_its_demo_evidence_once(seeded):
    from cadres.models import Evidence

    n = Evidence.objects.count()
    Evidence.objects.all().delete()  # as loaded before the demo had evidence
    out = seed()
    assert Evidence.objects.count() == n
    assert f"已为现有演示数据补充佐证材料 {n:,} 份" in out
    before = all_counts()
    out = seed()
    assert all_counts() == before and "佐证材料" not in out


def test_a_city_seeded_before_gets_its_conduct_demo_once(seeded):
    """Awards, cards and protection (issue 11) come to a city loaded before they existed, once."""
    from assessment import models as am

    made = {m: m.objects.count() for m in (am.WarningCard, am.Award, am.Campaign, am.ToleranceRuling, am.Sanction,
                                           am.Reminder, am.CardProposal)}
    assert all(made.values()), made  # the first seed made every kind
    for model in (am.Nomination, am.AwardEvidence, am.Award, am.CampaignQuota, am.Campaign, am.Adjustment,
                  am.RulingEvidence, am.ToleranceRuling, am.Clarification, am.Reminder, am.CardProposal,
                  am.CardEvidence, am.WarningCard, am.Sanction, am.RiskFiling, am.ConductStep):
        model.objects.all().delete()  # as loaded before the conduct demo existed
    out = seed()
    assert "已为现有演示数据补充表彰、红黄牌和容错纠错记录" in out
    assert all(m.objects.exists() for m in made), {m: m.objects.count() for m in made}
    before = all_counts()
    out = seed()
    assert all_counts() == before and "红黄牌" not in out


def test_the_demo_reserve_has_pools_entries_and_two_runs_that_show_movement_and_a_flag(seeded):
    """seed_demo's reserve step (promotion/demo_reserve.py): pools with criteria, entries in each
    state, yesterday's and today's runs (today's current), so the ranking pages show ↑, ↓, 新进 and
    an entry flagged by a yellow card (not ranked)."""
    from django.db.models import F

    from promotion.models import EntryStatus, PoolEntry, RankingEntry, RankingRun, ReservePool, RunStatus

    assert ReservePool.objects.count() >= 4 and ReservePool.objects.filter(criteria__isnull=False).exists()
    assert set(PoolEntry.objects.values_list("status", flat=True)) == set(EntryStatus.values)
    runs = list(RankingRun.objects.order_by("run_date"))
    assert [r.status for r in runs] == [RunStatus.DONE, RunStatus.DONE]
    assert [r.is_current for r in runs] == [False, True]
    assert runs[1].run_date == runs[0].run_date + dt.timedelta(days=1)
    now = RankingEntry.objects.filter(run=runs[1])
    assert now.filter(previous_rank__isnull=True, rank__isnull=False).exists()  # 新进
    assert now.filter(rank__lt=F("previous_rank")).exists() and now.filter(rank__gt=F("previous_rank")).exists()
    flagged = PoolEntry.objects.filter(status=EntryStatus.ADMITTED).exclude(flagged_on=None)
    assert len({e.cadre_id for e in flagged}) == 1  # the carded cadre, in each of their pools
    assert all("黄牌" in e.flag_reasons[0] for e in flagged)
    assert not now.filter(entry__in=flagged, rank__isnull=False).exists()


def test_demo_cadres_have_family_members_and_their_rewards_text(seeded):
    """The 任免审批表's family table (cadres.demo.family) and 奖惩情况 (assessment's rewards_text step):
    2–4 family members each for some hundreds of cadres, with every column; the text for every cadre
    with an award or a sanction in force."""
    from assessment.models import Award, Sanction
    from cadres.demo.family import FAMILY_CADRES
    from cadres.models import FamilyMember, FamilyPoliticalStatus

    per_cadre = Counter(FamilyMember.objects.values_list("cadre_id", flat=True))
    assert len(per_cadre) == min(FAMILY_CADRES, Cadre.objects.exclude(status=CadreStatus.DECEASED).count())
    assert set(per_cadre.values()) <= {2, 3, 4} and len(set(per_cadre.values())) > 1
    members = list(FamilyMember.objects.all())
    assert {m.relation for m in members} >= {"妻子", "丈夫", "儿子", "女儿", "父亲", "母亲"}
    assert all(m.name and m.birth_date and m.political_status in FamilyPoliticalStatus.values for m in members)
    assert sum(bool(m.work_unit_post) for m in members) > 0.9 * len(members)
    assert FamilyMember.history.filter(history_type="+", history_user__username="admin").count() == len(members)
    holders = set(Award.objects.filter(cadre__isnull=False, revoked_on__isnull=True).values_list("cadre_id", flat=True))
    holders |= set(Sanction.objects.filter(revoked_on__isnull=True).values_list("cadre_id", flat=True))
    assert holders and not Cadre.objects.filter(pk__in=holders, rewards_sanctions="").exists()
    assert any("处分" in t for t in Cadre.objects.filter(pk__in=holders).values_list("rewards_sanctions", flat=True))


def test_a_city_seeded_before_gets_its_family_members_and_rewards_text_once(seeded):
    from cadres.models import FamilyMember

    n = FamilyMember.objects.count()
    texts = dict(Cadre.objects.exclude(rewards_sanctions="").values_list("pk", "rewards_sanctions"))
    FamilyMember.objects.all().delete()  # as loaded before the demo had them
    Cadre.objects.filter(pk__in=texts).update(rewards_sanctions="")
    out = seed()
    assert f"已为现有演示数据补充家庭成员 {n:,} 人" in out and "补充奖惩情况" in out
    assert FamilyMember.objects.count() == n
    assert dict(Cadre.objects.exclude(rewards_sanctions="").values_list("pk", "rewards_sanctions")) == texts
    before = all_counts()
    out = seed()
    assert all_counts() == before and "家庭成员" not in out and "奖惩情况" not in out


def test_the_demo_9box_default_pool_has_cadres_in_several_boxes(seeded):
    """seed_demo's 9-box step (promotion/demo_ninebox.py): cut-offs set at the thirds of the current
    run's placed cadres (audited, once), so that the grid shown without a filter is spread out."""
    from promotion.models import NineBoxSettings
    from promotion.services import ninebox as svc

    org = get_user_model().objects.get(username="orgstaff")
    pool = svc.default_pool(org)
    assert pool is not None
    g = svc.grid(org, pool=pool)
    boxes = Counter(r.placement.number for r in g.rows if r.placement.number)
    assert len(boxes) >= 3 and max(boxes.values()) < sum(boxes.values()), boxes
    row = NineBoxSettings.objects.get(pk=1)
    assert row.updated_by.username == "admin" and row.potential_high < 85
    assert NineBoxSettings.history.filter(history_user__username="admin").count() == 1


def test_demo_care_records_cover_every_kind_for_some_hundreds_of_serving_cadres(seeded):
    """cadres.demo.care: talks, the year's leave, check-ups (some with health details), overtime and
    away-from-home support, valid by the services' rules, audited as the demo admin; some cadres
    without a talk or a check-up this year, so the reminders show."""
    from cadres.demo.care import CARE_CADRES
    from cadres.models import AwaySupport, HealthCheck, LeaveYear, OvertimeRecord, Talk
    from cadres.services.care import care_validate, leave_behind_cadres, no_checkup_cadres, no_talk_cadres

    leave = list(LeaveYear.objects.select_related("cadre"))
    serving = Cadre.objects.filter(status=CadreStatus.ACTIVE)
    assert len(leave) == min(CARE_CADRES, serving.count())
    assert {r.year for r in leave} == {D.AS_OF.year} and all(r.taken_days <= r.entitled_days for r in leave)
    for model in (Talk, HealthCheck, OvertimeRecord, AwaySupport):
        rows = list(model.objects.select_related("cadre")[:200])
        assert rows, model
        assert all(not care_validate(r) for r in rows[:50]), model
        assert model.history.filter(history_type="+", history_user__username="admin").count() == model.objects.count()
    assert HealthCheck.objects.exclude(details="").exists() and HealthCheck.objects.filter(details="").exists()
    cared = serving.filter(leave_years__isnull=False)
    assert no_talk_cadres(cared, D.AS_OF).exists() and no_checkup_cadres(cared, D.AS_OF).exists()
    assert leave_behind_cadres(cared, dt.date(D.AS_OF.year, 10, 1)).exists()


def test_a_city_seeded_before_gets_its_care_records_once(seeded):
    import time

    from cadres.demo import care
    from cadres.models import AwaySupport, HealthCheck, LeaveYear, OvertimeRecord, Talk

    models = (Talk, LeaveYear, HealthCheck, OvertimeRecord, AwaySupport)
    counts = [m.objects.count() for m in models]
    for m in models:
        m.objects.all().delete()  # as loaded before the demo had them
    started = time.perf_counter()
    written = care.build(by=get_user_model().objects.get(username="admin"))
    print(f"cadres.demo.care.build: {written} rows in {time.perf_counter() - started:.2f} s")
    assert written == sum(counts) and [m.objects.count() for m in models] == counts
    for m in models:
        m.objects.all().delete()
    out = seed()
    assert f"已为现有演示数据补充关心关爱记录 {sum(counts):,} 条" in out
    assert [m.objects.count() for m in models] == counts
    before = all_counts()
    assert "关心关爱" not in seed() and all_counts() == before


def test_the_demo_has_a_red_team_a_bureau_without_its_director(seeded):
    """analysis.demo: one city bureau's only chief post left vacant 30 days ago (audited, once), so
    班子研判 shows a red (无正职) team and the post is on the vacancy list."""
    from analysis.demo import present
    from analysis.services import teams as svc
    from cadres.models import Appointment

    org = get_user_model().objects.get(username="orgstaff")
    red = [t for t in svc.teams(org) if svc.RED in t.colours]
    assert any(w.code == "no_chief" for t in red for w in t.warnings), [t.unit_name for t in red]
    assert present()
    ended = Appointment.history.filter(history_type="~", history_user__username="admin", end_date__isnull=False)
    assert ended.exists()


def test_some_township_level_holders_moved_laterally_and_some_chiefs_may_be_promoted_now(seeded):
    """The builder's lateral moves (交流任职): part of the serving 乡科级正职 (and 副职) held another post
    at their level before the current one, so they pass the selection rules' 下一级职位任职经历 (two
    posts at the level below) — and some 乡科级正职 pass every hard rule for a 县处级副职 post. The
    stints keep the roster's rules: no cadre holds two posts at once, each lasts at least two years,
    and the résumé has a line for it (the post's title, the same dates)."""
    from promotion.services import post_eligibility
    from promotion.services.matching import candidates

    for level in (2, 1):
        serving = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, current_post__level=level)
                       .values_list("id", flat=True))
        two = set(Appointment.objects.filter(cadre_id__in=serving, post__level=level).values("cadre_id")
                  .annotate(n=Count("post_id", distinct=True)).filter(n__gte=2).values_list("cadre_id", flat=True))
        if level == 1 and len(serving) < 20:
            continue  # a city of 300 fills chief posts first: hardly any deputies
        assert len(serving) >= 20 and 0.15 * len(serving) <= len(two) <= 0.5 * len(serving), (level, len(two))
    lines = _grouped(CareerEntry.objects.values_list("cadre_id", "start_date", "end_date", "description"))
    for cadre_id, rows in _grouped(Appointment.objects.order_by("cadre_id", "start_date").values_list(
            "cadre_id", "start_date", "end_date", "post__level", "post__name", "post__unit__name")).items():
        for (_s1, e1, *_rest), (s2, *_more) in zip(rows, rows[1:], strict=False):
            assert e1 is not None and e1 < s2, cadre_id  # one post at a time
        if cadre_id in two and len(rows) >= 2:
            (s1, e1, l1, *_r), (s2, _e2, l2, *_r2) = rows[-2], rows[-1]
            if l1 == l2:  # the lateral stint: two years or more, right before the current post, in the résumé
                assert add_years(s1, 2) <= s2 and e1 == s2 - dt.timedelta(days=1), cadre_id
                assert any(s == s1 and e == e1 for s, e, _d in lines[cadre_id]), cadre_id
    chiefs = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, current_post__level=2).values_list("id", flat=True))
    posts = Post.objects.filter(level=3, kind="deputy", unit__level=UnitLevel.COUNTY).select_related("unit")
    post = max(posts, key=lambda p: (len(post_eligibility.check(chiefs, p).eligible_ids), -p.pk))
    ready = post_eligibility.check(chiefs, post).eligible_ids
    assert ready, "no 乡科级正职 may be promoted to a 县处级副职 post now"
    org = get_user_model().objects.get(username="orgstaff")
    shown = candidates(post, user=org, limit=500)
    assert ready <= {c.cadre.pk for c in shown.eligible}  # on the vacancy's candidates page, ranked
    for c in shown.eligible:
        if c.cadre.pk in ready:
            assert c.eligibility.readiness == "now" and not c.eligibility.failed
