"""Permission-matrix rows for filter parameters that point at another unit's objects; see
``test_filter_out_of_scope_answers_like_missing`` in tests/test_permission_matrix.py.

Each row: (url name, object kind of the URL or None, filter parameter, the object the unit leader
may filter by, the object out of the leader's scope). The leader (宝丰县) asks the list with the
parameter pointing at the out-of-scope object and then at an id that does not exist: the two answers
must be the same (status, JSON body; on pages whether the filters were valid and how many rows were
listed), so a list never tells an existing object out of scope from a missing one. Filtering by the
object in scope must work (200, valid filters)."""
OWN, OTHER = ("own", "unit"), ("other", "unit")

FILTERS = [
    # pages and exports
    ("cadres:cadre_list", None, "unit", OWN, OTHER),
    ("cadres:cadre_export", None, "unit", OWN, OTHER),
    ("cadres:record_list", None, "unit", OWN, OTHER),
    ("cadres:record_list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("cadres:record_export", None, "unit", OWN, OTHER),
    ("cadres:record_export", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("assessment:result_list", "published_period", "unit", OWN, OTHER),
    ("assessment:result_export", "published_period", "unit", OWN, OTHER),
    # API lists
    ("unit-list", None, "parent", OWN, OTHER),
    ("post-list", None, "unit", OWN, OTHER),
    ("cadre-list", None, "unit", OWN, OTHER),
    ("appointment-list", None, "unit", OWN, OTHER),
    ("appointment-list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("appointment-list", None, "post", ("own", "post"), ("other", "post")),
    ("rank-history-list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("career-list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("training-list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("record-list", None, "unit", OWN, OTHER),
    ("record-list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("assessment-result-list", None, "unit", OWN, OTHER),
    ("assessment-result-list", None, "period", ("own", "published_period"), ("own", "period")),
    ("leaderboard-list", None, "period", ("own", "published_period"), ("own", "period")),
]
