"""Permission-matrix rows of the review pages (queue, bulk verify, one record's verify / return),
the categories and points rules, and the notifications; see tests/test_permission_matrix.py.

``own`` / ``own_obj`` are the user's own things (notifications): every signed-in user reaches
their own (``own``, also without a role, as the API's ``api_own``); the matrix's notification
belongs to org staff, so everyone else gets 404 (``own_obj``)."""
from cadres.models import TaskCategory
from pingdingshan.core.models import Notification
from pingdingshan.core.services import notify

from . import Ok, exists, now, unread_none

PAGES = [
    ("cadres:review_queue", None, "get", "verify"),
    ("cadres:review_export", None, "get", "verify"),
    ("cadres:review_bulk_verify", None, "post", "verify", Ok(data=lambda o: {"ids": [o["record"].pk]},
                                                             effect=now("record", status="verified"))),
    ("cadres:record_review", "record", "get", "verify_obj"),
    ("cadres:record_review", "draft_record", "get", "verify_obj"),
    ("cadres:record_verify", "record", "post", "verify_obj", Ok(effect=now("record", status="verified"))),
    ("cadres:record_verify", "draft_record", "post", "verify_obj", Ok(  # an illegal step, refused and nothing changed
        status=200, refusal="不能核实", effect=now("draft_record", status="draft"))),
    ("cadres:record_return", "record", "post", "verify_obj", Ok(data={"reason": "缺少佐证材料"},
                                                                effect=now("record", status="returned"))),
    ("cadres:category_list", None, "get", "audit"),
    ("cadres:category_create", None, "get", "verify"),
    ("cadres:category_create", None, "post", "verify", Ok(form=True, data={
        "name": "基层治理", "points_lead": 3, "points_main": 2, "points_participant": 1},
                                                          effect=exists(TaskCategory, name="基层治理"))),
    ("cadres:category_edit", "category", "get", "verify_obj"),
    ("cadres:category_edit", "category", "post", "verify_obj", Ok(form=True, data={"description": "说明已改"},
                                                                  effect=now("category", description="说明已改"))),
    ("core:notifications", None, "get", "own"),
    ("core:notifications_read_all", None, "post", "own", Ok(prepare=lambda o, u: u and notify(user=u, message="新通知"),
                                                            effect=unread_none)),
    ("core:notification_open", "notification", "get", "own_obj", Ok(
        status=302, effect=lambda o, r: Notification.objects.get(pk=o["notification"].pk).read_at is not None)),
]
