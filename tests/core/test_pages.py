"""ListPage: one list page and its export (FilterSet + restricted choices + sort + paginate + export)."""
import django_filters as df
import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from pingdingshan.core.exports import Column
from pingdingshan.core.models import ExportLog
from pingdingshan.core.pages import ListPage, sort_headers

User = get_user_model()


class UserFilter(df.FilterSet):
    q = df.CharFilter(field_name="username", lookup_expr="icontains", label="用户名")
    same = df.ModelChoiceFilter(field_name="pk", queryset=User.objects.all(), label="用户")
    active = df.BooleanFilter(field_name="is_active", label="启用")
    joined = df.DateFilter(field_name="date_joined", lookup_expr="date__gte", label="加入")
    state = df.ChoiceFilter(field_name="first_name", choices=[("a", "甲"), ("b", "乙")], label="状态")
    ordering = df.OrderingFilter(fields=(("username", "name"),))

    class Meta:
        model = User
        fields = []


COLUMNS = [("用户名", "name"), ("姓名", None)]


def _request(user, **params):
    request = RequestFactory().get("/users/", params)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _page(request, **kwargs):
    return ListPage(request, UserFilter, User.objects.order_by("username"), columns=COLUMNS,
                    placeholders={"q": "用户名"}, **kwargs)


@pytest.fixture
def users(org_staff, auditor, no_role_user):
    return org_staff, auditor, no_role_user


def test_the_filter_bar_is_styled_once_for_every_list(users):
    lp = _page(_request(users[0]))
    form = lp.form
    assert list(form.fields["state"].choices)[0] == ("", "全部")
    assert form.fields["same"].empty_label == "全部"
    assert [c[1] for c in form.fields["active"].widget.choices] == ["全部", "是", "否"]
    assert form.fields["joined"].widget.input_type == "date"
    assert form.fields["q"].widget.attrs == {"class": "form-control form-control-sm", "placeholder": "用户名"}
    assert form.fields["active"].widget.attrs["class"] == "form-select form-select-sm"
    assert "class" not in form.fields["ordering"].widget.attrs


def test_choices_are_restricted_and_an_id_out_of_them_answers_like_a_missing_one(users):
    org_staff, auditor, other = users
    allowed = User.objects.filter(pk__in=[org_staff.pk, auditor.pk])
    out_of_scope = _page(_request(org_staff, same=other.pk), choices={"same": allowed}, labels={"same": lambda u: u.username})
    missing = _page(_request(org_staff, same=999999), choices={"same": allowed})
    assert out_of_scope.valid is False and missing.valid is False
    assert out_of_scope.form.errors["same"] == missing.form.errors["same"]
    assert "is-invalid" in out_of_scope.form.fields["same"].widget.attrs["class"]
    labels = [label for _v, label in out_of_scope.form.fields["same"].choices]
    assert labels[0] == "全部" and sorted(labels[1:]) == ["auditor", "orgstaff"]


def test_the_context_every_list_template_reads(users):
    request = _request(users[0], q="org", page="1", ordering="-name")
    lp = _page(request)
    page = lp.paginate()
    context = lp.context(page, extra=1)
    assert [u.username for u in page.object_list] == ["orgstaff"]
    assert context["filters_valid"] is True and context["has_filters"] is True
    assert context["headers"] == sort_headers(request, COLUMNS)
    assert context["ordering"] == "-name"
    assert context["page_query"] == "q=org&ordering=-name"
    assert context["export_query"] == "q=org&ordering=-name"
    assert context["can_export"] is True and context["extra"] == 1
    assert _page(_request(users[0], page="2", ordering="name")).has_filters is False


def test_a_known_count_runs_no_count_query(users):
    lp = _page(_request(users[0]))
    lp.valid  # noqa: B018
    with CaptureQueriesContext(connection) as queries:
        page = lp.paginate(count=3)
        rows = list(page.object_list)
    assert len(rows) == 3 and page.paginator.count == 3
    assert len(queries) == 1 and "COUNT" not in queries[0]["sql"].upper()


def test_export_writes_exactly_the_filtered_rows_and_logs_the_filters(users):
    request = _request(users[0], q="a", format="csv", page="3")
    response = _page(request).export(columns=[Column("用户名", lambda u: u.username, 10)], what="用户",
                                     filename="用户", list_url="/users/", filters={"extra": 1})
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "auditor" in body and "norole" not in body  # 'a' is in auditor, orgstaff; not in norole
    log = ExportLog.objects.get()
    assert log.filters == {"q": "a", "extra": 1} and log.row_count == 2 and log.file_format == "csv"


def test_invalid_filters_refuse_the_export_and_go_back_to_the_list(users):
    request = _request(users[0], joined="not-a-date", format="xlsx", q="x")
    response = _page(request).export(columns=[], what="用户", filename="用户", list_url="/users/")
    assert response.status_code == 302
    assert response["Location"] == "/users/?joined=not-a-date&q=x"
    assert [str(m) for m in request._messages] == ["筛选条件有误，请修改后再导出。"]
    assert not ExportLog.objects.exists()


def test_a_filterset_built_by_a_selector_is_taken_as_it_is(users):
    request = _request(users[0], q="aud", page="2", format="csv")
    params = ListPage.filter_params(request)
    assert "page" not in params and "format" not in params and params["q"] == "aud"
    lp = ListPage(request, filterset=UserFilter(params, queryset=User.objects.order_by("username")), columns=COLUMNS)
    assert [u.username for u in lp.qs] == ["auditor"]
    assert list(lp.form.fields["state"].choices)[0] == ("", "全部")
