"""Permission-matrix rows of reminders (担当提醒) and sanctions (处分); see tests/test_permission_matrix.py.

Everyone with ``view`` reads the lists and (in scope) the details; only org staff record, edit,
follow up and revoke (``struct`` / ``struct_obj``: unit leaders 403 in their scope, 404 outside it;
auditors 403). The suggestions read pending card proposals, which only org staff and auditors see
(``audit`` / ``api_audit``). ``world`` adds a reminder and a sanction of each variant's cadre."""
import datetime as dt

from assessment.models import Reminder, Sanction

from . import Ok, exists, now, pk

HELD = dt.date(2026, 11, 10)


def world(variant, o, by):
    from assessment.services import reminders, sanctions

    reminder = reminders.reminder_create(by=by, cadre=o["cadre"], kind="talk", held_on=HELD, content="谈话提醒",
                                         follow_up_on=dt.date(2026, 12, 10))
    sanction = sanctions.sanction_create(by=by, cadre=o["cadre"], kind="warning", decided_on=dt.date(2026, 3, 1),
                                         body="市纪委监委")
    return {"reminder": reminder, "sanction": sanction}


def _reminder(o):
    return {"cadre": o["cadre"].pk, "kind": "inquiry", "held_on": "2026-11-20", "follow_up_on": "2026-12-20",
            "content": "矩阵函询"}


def _sanction(o):
    return {"cadre": o["cadre"].pk, "kind": "demerit", "decided_on": "2026-02-01", "body": "矩阵纪委"}


FOLLOW_UP = {"on": "2026-11-20", "result": "矩阵回访"}
REVOKE = {"reason": "矩阵撤销"}

PAGES = [
    ("assessment:reminder_list", None, "get", "view"),
    ("assessment:reminder_export", None, "get", "view"),
    ("assessment:reminder_suggestions", None, "get", "audit"),
    ("assessment:reminder_create", None, "get", "struct"),
    ("assessment:reminder_create", None, "post", "struct", Ok(
        data=_reminder, effect=exists(Reminder, cadre=pk("cadre"), content="矩阵函询"))),
    ("assessment:reminder_detail", "reminder", "get", "view_obj"),
    ("assessment:reminder_edit", "reminder", "get", "struct_obj"),
    ("assessment:reminder_edit", "reminder", "post", "struct_obj", Ok(
        form=True, data={"content": "矩阵改后"}, effect=now("reminder", content="矩阵改后"))),
    ("assessment:reminder_follow_up", "reminder", "post", "struct_obj", Ok(
        data=FOLLOW_UP, effect=now("reminder", follow_up_result="矩阵回访"))),
    ("assessment:sanction_list", None, "get", "view"),
    ("assessment:sanction_export", None, "get", "view"),
    ("assessment:sanction_create", None, "get", "struct"),
    ("assessment:sanction_create", None, "post", "struct", Ok(
        data=_sanction, effect=exists(Sanction, cadre=pk("cadre"), body="矩阵纪委"))),
    ("assessment:sanction_detail", "sanction", "get", "view_obj"),
    ("assessment:sanction_revoke", "sanction", "post", "struct_obj", Ok(
        data=REVOKE, effect=now("sanction", revoke_reason="矩阵撤销"))),
]

API = [
    ("reminder-list", None, "get", "api_list"),
    ("reminder-list", None, "post", "api_struct", Ok(
        data=_reminder, effect=exists(Reminder, cadre=pk("cadre"), content="矩阵函询"))),
    ("reminder-detail", "reminder", "get", "api_obj"),
    ("reminder-follow-up", "reminder", "post", "api_struct_obj", Ok(
        data=FOLLOW_UP, effect=now("reminder", follow_up_result="矩阵回访"))),
    ("reminder-suggestion-list", None, "get", "api_audit"),
    ("sanction-list", None, "get", "api_list"),
    ("sanction-list", None, "post", "api_struct", Ok(
        data=_sanction, effect=exists(Sanction, cadre=pk("cadre"), body="矩阵纪委"))),
    ("sanction-detail", "sanction", "get", "api_obj"),
    ("sanction-revoke", "sanction", "post", "api_struct_obj", Ok(
        data=REVOKE, effect=now("sanction", revoke_reason="矩阵撤销"))),
]

# List filters pointing at another unit's unit or cadre answer like a missing id.
FILTERS = [
    (name, None, param, ("own", kind), ("other", kind))
    for name in ("assessment:reminder_list", "assessment:reminder_export", "assessment:sanction_list",
                 "assessment:sanction_export", "reminder-list", "sanction-list")
    for param, kind in (("unit", "unit"), ("cadre", "cadre"))
]
