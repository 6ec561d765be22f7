"""Permission-matrix rows of the care records (关心关爱): the care list (with its reminder lists) and
export (``view``: unit leaders see their scope, auditors all), the add / edit / delete forms per
kind (``write_obj`` on the cadre / the record: unit leaders in scope, org staff; auditors 403;
other units 404), and the API per kind. See tests/test_permission_matrix.py. The world gets one
record of every kind (``care_<kind>``) for each variant's cadre."""
import datetime as dt

from cadres.models import AwaySupport, HealthCheck, LeaveYear, OvertimeRecord, Talk

from . import Ok, exists, gone, now, pk


def world(variant, o, by):
    from cadres import services

    c = o["cadre"]
    return {
        "care_talk": services.care_create(by=by, care_kind="talk", cadre=c, held_on=dt.date(2026, 1, 5),
                                          talked_by="王部长", topics="工作情况"),
        "care_leave": services.care_create(by=by, care_kind="leave", cadre=c, year=2025, entitled_days=10,
                                           taken_days=3),
        "care_health": services.care_create(by=by, care_kind="health", cadre=c, checked_on=dt.date(2025, 9, 1),
                                            conclusion="未见异常", details="无"),
        "care_overtime": services.care_create(by=by, care_kind="overtime", cadre=c, worked_on=dt.date(2025, 7, 1),
                                              hours=6, reason="防汛值守", time_off_days_granted=1),
        "care_away": services.care_create(by=by, care_kind="away", cadre=c, host="叶县县委",
                                          start_date=dt.date(2024, 3, 1), travel_home_per_year=12),
    }


# kind → (model, a new record's form / API data, an edit (field, value))
KINDS = {
    "talk": (Talk, {"held_on": "2026-02-01", "talked_by": "李书记", "kind": "heart", "topics": "家庭困难"},
             ("talked_by", "赵主任")),
    "leave": (LeaveYear, {"year": 2026, "entitled_days": 10, "taken_days": 1}, ("taken_days", 5)),
    "health": (HealthCheck, {"checked_on": "2026-03-01", "organiser": "市人民医院", "conclusion": "基本正常"},
               ("conclusion", "复查正常")),
    "overtime": (OvertimeRecord, {"worked_on": "2026-02-03", "hours": "4", "reason": "应急处置",
                                  "time_off_days_granted": "0.5"}, ("reason", "抗旱")),
    "away": (AwaySupport, {"host": "郏县", "start_date": "2025-06-01", "travel_home_per_year": 6}, ("host", "鲁山县")),
}
API_ROUTES = {"talk": "care-talk", "leave": "care-leave", "health": "care-health-check", "overtime": "care-overtime",
              "away": "care-away"}
_FIRST = {"talk": "talked_by", "leave": "year", "health": "conclusion", "overtime": "reason", "away": "host"}

PAGES = [
    ("cadres:care_list", None, "get", "view"),
    ("cadres:care_export", None, "get", "view", Ok(query={"kind": "health", "format": "csv"})),
]
API = []
for _kind, (_model, _data, (_field, _value)) in KINDS.items():
    _new = exists(_model, cadre=pk("cadre"), **{_FIRST[_kind]: _data[_FIRST[_kind]]})
    PAGES += [
        (f"cadres:care_{_kind}_create", "cadre", "get", "write_obj"),
        (f"cadres:care_{_kind}_create", "cadre", "post", "write_obj", Ok(data=_data, effect=_new)),
        (f"cadres:care_{_kind}_edit", f"care_{_kind}", "get", "write_obj"),
        (f"cadres:care_{_kind}_edit", f"care_{_kind}", "post", "write_obj", Ok(
            form=True, data={_field: _value}, effect=now(f"care_{_kind}", **{_field: _value}))),
        (f"cadres:care_{_kind}_delete", f"care_{_kind}", "post", "write_obj", Ok(effect=gone(f"care_{_kind}"))),
    ]
    _route = API_ROUTES[_kind]
    API += [
        (f"{_route}-list", None, "get", "api_list"),
        (f"{_route}-list", None, "post", "api_create", Ok(
            data=lambda o, d=_data: {"cadre": o["cadre"].pk, **d}, effect=_new)),
        (f"{_route}-detail", f"care_{_kind}", "get", "api_obj"),
        (f"{_route}-detail", f"care_{_kind}", "patch", "api_write_obj", Ok(
            data={_field: _value}, effect=now(f"care_{_kind}", **{_field: _value}))),
        (f"{_route}-detail", f"care_{_kind}", "delete", "api_write_obj", Ok(effect=gone(f"care_{_kind}"))),
    ]
