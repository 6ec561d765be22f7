"""Rows of the permission matrix, one module per feature (see tests/test_permission_matrix.py).

Each module defines PAGES and/or API: lists of (url name, object kind or None, method, kind).
Object kinds the matrix fixture provides (own = inside the unit leader's subtree, other = outside):
cadre, unit, post, appointment, career, training, rank_history, record (submitted), draft_record,
evidence (on the draft record), and the unit-less user, role, rank, tag, category, notification, job;
for assessment: result (the cadre's result in an open period) and published_result (in a published
period), and the unit-less tier, assess_category, scheme (a draft), published_scheme, period (open),
published_period, rater_group (of the open period).
Kinds: home, view, view_obj, create, write_obj, org_only_obj, struct, struct_obj, manage, audit,
verify, verify_obj, assess and api_assess (org staff only), staff_obj and api_staff_obj (org
staff and auditors; unit leaders 404: unpublished assessment objects),
own (the user's own things), own_obj and api_own_obj (org staff's own object: a notification, a job),
api_own (the user's own things, API),
api_list, api_obj, api_ref, api_create, api_write_obj, api_org_only_obj,
api_struct, api_struct_obj, api_verify_obj, public, api_docs,
withdraw_obj / api_withdraw_obj (withdrawing the record org staff submitted; see expected()).
"""
