"""Demo reminders (担当提醒): each kind (提醒谈话 / 函询 / 诫勉), with the signs the system finds for
the cadre when there are any (else a note), some followed up, some due for follow-up now, some due
later. Written through the services, deterministic (``ctx.rng``)."""
import datetime as dt

from cadres.models import Cadre, CadreStatus

from ..services import reminders as rsvc

NOTES = ["群众反映推进城镇老旧小区改造工作进度缓慢。", "年度重点任务督查中排名靠后，整改不及时。",
         "信访事项办理超期，群众满意度偏低。", "招商引资项目落地推进迟缓，多次督办未见成效。",
         "在防汛值班中存在脱岗现象。", "乡村振兴项目资金拨付滞后。"]
CONTENT = {
    "talk": "由组织部干部监督科负责同志与其谈话，指出存在的问题，提出限期整改要求。",
    "inquiry": "以书面形式函询，要求本人在10个工作日内就反映的问题作出说明。",
    "admonish": "对其进行诫勉，责令作出书面检查，并将诫勉情况记入干部档案。",
}
RESULTS = ["已按要求整改，工作进度明显加快。", "本人作出书面说明，反映问题基本属实，已整改到位。",
           "整改仍不到位，建议继续跟踪。"]


def build(ctx) -> int:
    taken = {s.cadre_id for s in ctx.made.get("sanctions", [])}
    ids = [c for c in Cadre.objects.filter(status=CadreStatus.ACTIVE).order_by("id").values_list("pk", flat=True)[:600]
           if c not in taken]
    if not ids:
        return 0
    chosen = ctx.rng.sample(ids, min(9, len(ids)))
    cadres = Cadre.objects.in_bulk(chosen)
    signs = rsvc.reminder_signs(user=ctx.by, on=ctx.today, cadre_ids=chosen)
    kinds = ["talk", "inquiry", "admonish"]
    made = []
    for i, cadre_id in enumerate(chosen):
        kind = kinds[i % 3]
        # three followed up, three due now (follow-up date passed or within days), three later
        phase = i // 3
        held = ctx.today - dt.timedelta(days=(75, 30, 10)[phase] + ctx.rng.randint(0, 5))
        follow_up = {0: held + dt.timedelta(days=30), 1: ctx.today - dt.timedelta(days=ctx.rng.randint(0, 3)),
                     2: ctx.today + dt.timedelta(days=45)}[phase]
        reminder = rsvc.reminder_create(
            by=ctx.by, cadre=cadres[cadre_id], kind=kind, held_on=held, content=CONTENT[kind],
            follow_up_on=max(follow_up, held), signs=signs.get(cadre_id, []),
            signs_note="" if signs.get(cadre_id) else NOTES[ctx.rng.randrange(len(NOTES))])
        if phase == 0:
            rsvc.reminder_follow_up(by=ctx.by, reminder=reminder, on=min(reminder.follow_up_on, ctx.today),
                                    result=RESULTS[i % len(RESULTS)])
        made.append(reminder)
    ctx.made["reminders"] = made
    return len(made)
