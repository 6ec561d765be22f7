"""``manage.py seed_demo [--cadres N]``: load the demo city of Pingdingshan.

Builds the real counties, districts and zones of the city with their townships, ~37 city departments,
county departments, a few public institutions and state enterprises, posts with quotas, rank quotas,
and N cadres (default 3,000) with careers, appointments, rank history, training and tags, their
performance records and, on some records, generated evidence files; creates the demo accounts (admin,
orgstaff, auditor, baofeng_leader) and prints them with their passwords.

Idempotent: when the city's root unit (code 410400) already exists, nothing is written (except, once,
the performance records or the demo evidence of a city loaded before they existed); the command
only says so and prints the accounts. It does not top up an existing city to a larger ``--cadres``:
load into an empty database for another size. Deterministic: the same N gives the same data.
"""
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.demo import data as D
from cadres.demo.builder import DemoBuilder
from cadres.demo.evidence import attach_demo_evidence
from cadres.demo.records import build_demo_records
from cadres.models import Cadre, PerformanceRecord, Unit
from pingdingshan.core.audit import acting_as
from pingdingshan.core.models import Role, RoleAssignment
from pingdingshan.core.registry import demo_steps

ROLE_LABELS = {None: gettext_lazy("超级管理员"), Role.ORG_STAFF: Role.ORG_STAFF.label, Role.AUDITOR: Role.AUDITOR.label,
               Role.UNIT_LEADER: Role.UNIT_LEADER.label}


class Command(BaseCommand):
    help = _("载入平顶山演示数据（单位、职务、干部及演示账号）；已有数据时不做任何修改（也不补充干部），只显示演示账号。")

    def add_arguments(self, parser):
        parser.add_argument("--cadres", type=int, default=3000, help=_("干部人数（默认 3000）"))
        parser.add_argument("--batch-size", type=int, default=5000, help=_("每批写入的干部人数（默认 5000）"))
        parser.add_argument("--allow-production", action="store_true",
                            help=_("允许在生产配置下运行（演示账号的密码是公开的，请勿在正式系统使用）"))

    def handle(self, *args, cadres, batch_size, allow_production, **options):
        if cadres < 0:
            raise CommandError(_("干部人数不能为负数。"))
        if settings.SETTINGS_MODULE.endswith(".production") and not allow_production:
            raise CommandError(_("生产配置下不载入演示数据（演示账号的密码是公开的）。如确需载入，请加 --allow-production。"))
        verbose = options.get("verbosity", 1) >= 1
        log = (lambda msg: self.stdout.write(msg)) if verbose else (lambda msg: None)

        root = Unit.objects.filter(code=D.ROOT_CODE).first()
        if root is not None:
            # A city loaded before the performance archive (or its demo evidence) existed: add them once.
            admin = get_user_model().objects.filter(username=D.DEMO_USERS[0][0]).first()
            with transaction.atomic(), acting_as(admin):
                if not PerformanceRecord.objects.exists():
                    n = build_demo_records(by=admin, batch_size=batch_size)
                    self.stdout.write(_("已为现有演示数据补充实绩记录 %(n)s 条。") % {"n": f"{n:,}"})
                n = attach_demo_evidence(by=admin)
            if n:
                self.stdout.write(_("已为现有演示数据补充佐证材料 %(n)s 份。") % {"n": f"{n:,}"})
            for step in demo_steps:
                if not step.is_present():
                    # A city loaded before this step existed (e.g. assessments): add its demo data once.
                    with transaction.atomic(), acting_as(admin):
                        n = step.run(by=admin)
                    self.stdout.write(step.fill_message % {"n": f"{n:,}"})
            present = Cadre.objects.filter(unit__path__startswith=root.path).count()
            self.stdout.write(_("演示数据已存在（单位“%(unit)s”，代码 %(code)s，干部 %(n)s 人），未做任何修改。") % {
                "unit": root.name, "code": root.code, "n": f"{present:,}"})
            if present < cadres:
                self.stdout.write(_("要求 %(want)s 人多于现有人数；本命令不会补充干部，如需其他规模请使用空数据库重新载入。") % {
                    "want": f"{cadres:,}"})
        else:
            started = time.perf_counter()
            log(_("开始载入演示数据：%(n)s 名干部……") % {"n": f"{cadres:,}"})
            with transaction.atomic():
                admin = self._create_users()
                with acting_as(admin):
                    counts = DemoBuilder(cadres=cadres, by=admin, log=log, batch_size=batch_size).build()
                    counts["records"] = build_demo_records(by=admin, batch_size=batch_size)
                    counts["evidence"] = attach_demo_evidence(by=admin)
                    self._grant_roles()
                    for step in demo_steps:  # the apps' demo data (assessment: results)
                        counts[step.key] = step.run(by=admin)
            log(_("完成：单位 %(units)s 个，职务岗位 %(posts)s 个，干部 %(cadres)s 人，任职 %(appointments)s 条，"
                  "职级记录 %(ranks)s 条，简历 %(career)s 条，培训 %(trainings)s 条，标签 %(tag_links)s 个，"
                  "实绩记录 %(records)s 条，佐证材料 %(evidence)s 份，考核结果 %(results)s 条；"
                  "用时 %(s).1f 秒。") % {**{k: f"{counts.get(k, 0):,}" for k in (
                      "units", "posts", "cadres", "appointments", "ranks", "career", "trainings", "tag_links",
                      "records", "evidence", "results")},
                      "s": time.perf_counter() - started})
            for step in demo_steps:  # the apps' own lines (awards and cards, postings, pools …)
                if step.summary and counts.get(step.key):
                    log(step.summary % {"n": f"{counts[step.key]:,}"})
        self._print_accounts()

    # ------------------------------------------------------------------ accounts
    def _create_users(self):
        """Create the demo accounts that do not exist yet; return the superuser (the acting user)."""
        User = get_user_model()
        admin = None
        for username, password, role, _unit, display in D.DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=display, is_staff=role is None, is_superuser=role is None)
                try:
                    validate_password(password, user)
                except ValidationError as e:
                    raise CommandError(f"{username}: {' '.join(e.messages)}") from e
                user.set_password(password)
                user.save()
            if role is None:
                admin = user
        return admin

    def _grant_roles(self):
        User = get_user_model()
        for username, _password, role, unit_code, _display in D.DEMO_USERS:
            if role is None:
                continue
            user = User.objects.get(username=username)
            unit = Unit.objects.get(code=unit_code) if unit_code else None
            if not RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
                RoleAssignment.objects.create(user=user, role=role, unit=unit)

    def _print_accounts(self):
        User = get_user_model()
        users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in D.DEMO_USERS])}
        self.stdout.write("")
        self.stdout.write(_("演示账号（密码公开，仅供演示）："))
        self.stdout.write(f"  {_('用户名'):<14}\t{_('密码'):<18}\t{_('角色')}")
        for username, password, role, unit_code, _display in D.DEMO_USERS:
            label = str(ROLE_LABELS[role])
            if unit_code:
                unit = Unit.objects.filter(code=unit_code).first()
                label += f"（{unit.name if unit else unit_code}）"
            user = users.get(username)
            if user is None:
                note = _("（账号不存在）")
            elif not user.check_password(password):
                note = _("（密码已被修改）")
            else:
                note = ""
            self.stdout.write(f"  {username:<14}\t{password:<18}\t{label}{note}")
