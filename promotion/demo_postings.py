"""Demo frontline postings for ``seed_demo`` (a ``registry.demo_steps`` step, registered in
``promotion/hooks.py``): about forty postings of active cadres in every state — proposed (some by
the 宝丰县 leader), in progress, past their end and waiting for the evaluation, closed with each
evaluation, rejected lately, withdrawn — written through ``promotion/services/postings.py``
(validated, audited, steps logged, leaders told), deterministic (``cadres.demo.data.SEED``)."""
import datetime as dt
import random

from django.contrib.auth import get_user_model

from cadres.demo import data as D
from cadres.models import Cadre, CadreStatus, Unit
from pingdingshan.core.dates import today

HOSTS = {
    "千名优秀年轻干部实践练兵计划": ["市重点项目建设指挥部", "市信访局接访中心", "市营商环境服务中心", "高新区招商一线"],
    "乡村振兴驻村": ["宝丰县大营镇白石坡村", "叶县龙泉乡草厂街村", "鲁山县赵村镇中汤村", "郏县堂街镇临沣寨村"],
    "万人助万企": ["平煤神马集团帮扶专班", "中国平煤神马尼龙科技", "宝丰县先进制造业开发区", "舞钢市钢铁企业服务组"],
    "重大项目攻坚": ["白龟山水库除险加固工程", "平漯周高铁建设协调组", "中心城区老旧小区改造", "燕山水库灌区工程"],
    "信访维稳": ["市信访联席办", "新华区矛盾纠纷调解中心", "卫东区社会治理中心"],
    "应急处置": ["市防汛抗旱指挥部", "市应急管理局救援协调科", "汝州市森林防火前线指挥部"],
}
TASKS = "协调推进重点任务，建立问题台账，按月报告进展；参与群众工作和应急值守。"
REMARKS = {"excellent": "任务完成突出，群众认可度高。", "good": "较好完成各项任务。", "fair": "基本完成任务，主动性有待加强。",
           "poor": "未完成主要任务。"}
# (state, start days before today, length in days)
PLAN = [
    ("proposed", -30, 365), ("proposed", -15, 180), ("proposed", -45, 270), ("proposed", -20, 90),
    ("approved", 120, 365), ("approved", 200, 540), ("approved", 60, 180), ("approved", 30, 365), ("approved", 90, 270),
    ("approved", 300, 365), ("overdue", 220, 180), ("overdue", 400, 365),
    ("excellent", 700, 365), ("excellent", 500, 180), ("good", 800, 365), ("good", 450, 270), ("good", 600, 180),
    ("fair", 900, 365), ("fair", 420, 120), ("poor", 650, 180),
    ("rejected", -60, 180), ("withdrawn", -90, 90),
]
# The 宝丰县 cadres (the demo unit leader's scope, proposed by that leader): one of each kind.
LOCAL_PLAN = [
    ("proposed", -30, 365), ("approved", 120, 365), ("overdue", 220, 180), ("excellent", 700, 365),
    ("good", 450, 270), ("fair", 420, 120), ("rejected", -60, 180), ("withdrawn", -90, 90), ("proposed", -20, 90),
    ("approved", 60, 180), ("poor", 650, 180), ("good", 800, 365),
]


def present() -> bool:
    from .models import FrontlinePosting

    return FrontlinePosting.objects.exists()


def _cadres(rng, code: str, n: int):
    """``n`` active cadres (of the subtree of the unit with ``code``, when given), shuffled."""
    qs = Cadre.objects.filter(status=CadreStatus.ACTIVE).select_related("unit").order_by("pk")
    if code:
        top = Unit.objects.filter(code=code).first()
        if top is None:
            return []
        qs = qs.filter(unit__path__startswith=top.path)
    ids = list(qs.values_list("pk", flat=True)[:400])
    rng.shuffle(ids)
    return list(Cadre.objects.filter(pk__in=ids[:n]).select_related("unit").order_by("pk"))


def build(*, by) -> int:
    from .models import Programme
    from .services import postings as svc

    if present():
        return 0
    rng = random.Random(D.SEED + 12)
    day = today()
    programmes = {p.name: p for p in Programme.objects.filter(is_active=True)}
    if not programmes:
        return 0
    leader = get_user_model().objects.filter(username="baofeng_leader").first()
    local = _cadres(rng, "410421", 12)
    baofeng = {c.pk for c in local}
    cadres = local + _cadres(rng, "", 40)
    cadres = list({c.pk: c for c in cadres}.values())
    n = 0
    for cadre, (state, days_ago, length) in zip(cadres, LOCAL_PLAN[:len(local)] + PLAN * 2, strict=False):
        name = rng.choice(sorted(programmes))
        start = day - dt.timedelta(days=days_ago)
        proposer = leader if leader is not None and cadre.pk in baofeng else by
        p = svc.posting_propose(by=proposer, fields={
            "cadre": cadre, "programme": programmes[name], "host": rng.choice(HOSTS.get(name, ["基层一线"])),
            "tasks": TASKS, "start_date": start, "end_date": start + dt.timedelta(days=length - 1)})
        n += 1
        if state == "rejected":
            svc.posting_reject(by=by, posting=p, reason="该同志近期另有任用安排，暂不派驻。")
        elif state == "withdrawn":
            svc.posting_withdraw(by=proposer, posting=p, reason="工作调整，改派其他同志。")
        elif state != "proposed":
            p = svc.posting_approve(by=by, posting=p, reason="同意派驻。")
            if state in REMARKS:
                end = min(p.end_date, day)
                svc.posting_close(by=by, posting=p, evaluation=state, remarks=REMARKS[state], evaluated_on=end)
    return n
