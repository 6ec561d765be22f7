"""Permission-matrix rows of the assessment results pages and API (results, calibration, override,
publication, leaderboards); see tests/test_permission_matrix.py.

Calibration is for city-wide readers (org staff and auditors): unit leaders get 403 whatever the
period, which is what the ``audit`` kind expects. Results and leaderboards of the open period are
not visible to unit leaders (404, ``staff_obj``); of the published period they see their own
cadres' results (``view_obj``: other unit 404)."""
from . import Ok, now


def _override(kind, grade="3"):
    return lambda o: {f"r{o[kind].pk}-grade": grade, f"r{o[kind].pk}-reason": "民主测评反映较差", "from": "detail"}


PAGES = [
    ("assessment:results_index", None, "get", "view"),
    ("assessment:result_list", "period", "get", "staff_obj"),
    ("assessment:result_list", "published_period", "get", "view"),
    ("assessment:result_export", "period", "get", "staff_obj"),
    ("assessment:result_export", "published_period", "get", "view"),
    ("assessment:result_detail", "result", "get", "staff_obj"),
    ("assessment:result_detail", "published_result", "get", "view_obj"),
    ("assessment:result_override", "result", "post", "assess", Ok(data=_override("result"),
                                                                  effect=now("result", grade="3"))),
    ("assessment:result_override", "published_result", "post", "assess", Ok(  # locked once published
        data=_override("published_result"), status=400, refusal="已发布", effect=now("published_result", grade="2"))),
    ("assessment:calibration", "period", "get", "audit"),
    ("assessment:calibration", "published_period", "get", "audit"),
    ("assessment:period_publish", "period", "post", "assess", Ok(data={"confirm": "on"},
                                                                 effect=now("period", status="published"))),
    ("assessment:leaderboard", "period", "get", "staff_obj"),
    ("assessment:leaderboard", "published_period", "get", "view"),
    ("assessment:leaderboard_export", "period", "get", "staff_obj"),
    ("assessment:leaderboard_export", "published_period", "get", "view"),
]
API = [
    ("assessment-result-list", None, "get", "api_list"),
    ("assessment-result-detail", "result", "get", "api_staff_obj"),
    ("assessment-result-detail", "published_result", "get", "api_obj"),
    ("assessment-result-override", "result", "post", "api_assess", Ok(
        data={"grade": "3", "reason": "民主测评反映较差"}, effect=now("result", grade="3"))),
    ("leaderboard-list", None, "get", "api_list"),
]
