"""Pages of the 9-box (九宫格): the grid (filters: a reserve pool, or an assessment tier × category;
a unit's subtree), each box with its count and its cadres (expand the box), the cadres not placed and
why, the xlsx/csv export of the grid's cadres with their box, the cut-offs' settings page, and the
two actions from a box's cadre: nominate to a pool, put forward for a post with a free place (a new
selection record with the cadre as candidate).

The placement is ``services.ninebox.place`` (one pure function); these views parse input, call one
service and render. Everyone with ``view`` reads the grid of the cadres the gate shows them (unit
leaders: their units' subtree, read-only, no action buttons); auditors read all; org staff act
(gate action ``reserve``: 403 for everyone else).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cadres.models import Cadre
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column, export_response
from pingdingshan.core.forms import apply_errors
from pingdingshan.core.pages import paginate, query_without, requires, settings_page, style_filter_form

from ..filters_ninebox import filtered, grid_of
from ..forms_ninebox import CutoffsForm, NominateForm, PutForwardForm
from ..services import ninebox as svc

WHAT = "九宫格"
SHOWN = 20  # names listed per box and of the unplaced on the grid (the counts are whole; ``box=`` lists one whole)
BOX_PAGE = 50  # names per page of one box's whole list
UNPLACED = "unplaced"  # ``box=unplaced``: the whole list of the cadres not placed


def _filtered(request):
    f, default = filtered(request, request.GET)
    style_filter_form(f.form)
    valid = f.is_valid() if f.is_bound else True
    return f, valid, default


def _box_asked(request):
    """(asked, number or None, error): ``box=1..9`` one box's whole list, ``box=unplaced`` the cadres
    not placed; another value is an error naming the field."""
    raw = request.GET.get("box", "").strip()
    if not raw:
        return False, None, ""
    if raw == UNPLACED:
        return True, None, ""
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 9:
        return True, int(raw), ""
    return False, None, _("格位（box）须为 1 到 9 的整数或 unplaced。")


@requires("view")
def ninebox(request):
    f, valid, default = _filtered(request)
    g = grid_of(f, request.user) if valid else svc.grid(request.user, cadres=Cadre.objects.none())
    query = query_without(f.data, "box", "page", "format") if f.is_bound else ""  # the default pool named
    asked, number, box_error = _box_asked(request)
    context = {
        "form": f.form, "filters_valid": valid, "has_filters": bool(request.GET), "default_pool": default,
        "grid": g, "cutoffs": svc.settings_get(), "can_act": svc.can_act(request.user),
        "can_export": gate.can(request.user, "export"), "query": query, "here": request.get_full_path(),
        "shown": SHOWN, "shown_slice": f":{SHOWN}", "box_error": box_error,
        "mode": "pool" if valid and f.is_bound and f.form.cleaned_data.get("pool") else "tier",
    }
    if asked:
        rows = g.numbered(number)
        label = svc.BOX_LABELS[next(k for k, n in svc.BOX_NUMBER.items() if n == number)] if number else _("未定位")
        page = paginate(request, rows, per_page=BOX_PAGE)
        context.update({"box_number": number or UNPLACED, "box_label": label, "box_count": len(rows),
                        "page_obj": page, "rows": list(page.object_list),
                        "page_query": query_without(f.data, "page")})
        return render(request, "promotion/ninebox/box.html", context)
    context.update({"matrix": g.matrix(), "unplaced": g.unplaced})
    return render(request, "promotion/ninebox/grid.html", context)


def export_columns() -> list[Column]:
    return [
        Column(_("九宫格"), lambda r: r.placement.number or "", 8, "number"),
        Column(_("格位"), lambda r: r.box_label, 16),
        Column(_("姓名"), lambda r: r.cadre.name, 10),
        Column(_("单位"), lambda r: r.cadre.unit.name, 20),
        Column(_("现任职务"), lambda r: str(r.cadre.current_post or ""), 20),
        Column(_("考核综合得分"), lambda r: r.composite, 12, "number"),
        Column(_("考核"), lambda r: r.period_name, 16),
        Column(_("储备库得分"), lambda r: r.score, 12, "number"),
        Column(_("储备库"), lambda r: r.pool.name if r.pool else "", 20),
        Column(_("定位依据"), lambda r: r.placement.explanation, 60),
    ]


@requires("export")
def ninebox_export(request):
    f, valid, _default = _filtered(request)
    if not valid:
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        return redirect(f"{reverse('promotion:ninebox')}?{request.GET.urlencode()}")
    g = grid_of(f, request.user)  # every cadre of the grid (the page lists the first of each box)
    return export_response(user=request.user, rows=g.rows, columns=export_columns(), what=WHAT,
                           file_format=request.GET.get("format", "xlsx"), filters=f if f.is_bound else None,
                           filename=_("九宫格"))


# --------------------------------------------------------------------------- settings
@requires("reserve")
def ninebox_settings(request):
    row = svc.settings_get()
    initial = {name: getattr(row, name) for name in svc.FIELDS}
    return settings_page(request, CutoffsForm(request.POST or None, initial=initial), save=svc.settings_save,
                         saved=_("已保存九宫格分档线。"), then="promotion:ninebox_settings",
                         template="promotion/ninebox/settings.html",
                         context=lambda: {"changes": svc.settings_changes(limit=10)})


# --------------------------------------------------------------------------- acting from a box
def _back(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return reverse("promotion:ninebox")


def _cadre(request, pk) -> Cadre:
    return gate.get_or_404(Cadre.objects.select_related("unit"), request.user, "view", pk=pk)


def _action_page(request, cadre, form, *, title, call, done, then=None):
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e, {"cadres": "__all__", "unit": "post", "target": "__all__", "cadre": "__all__"})
        except (PermissionDenied, Http404) as e:
            form.add_error(None, " ".join(getattr(e, "messages", None) or [str(e)]))
        else:
            messages.success(request, done(result))
            return redirect(then(result) if then else _back(request))
    return render(request, "promotion/ninebox/action.html", {
        "cadre": cadre, "form": form, "title": title, "next": _back(request)},
        status=400 if request.method == "POST" else 200)


@requires("reserve")
def ninebox_nominate(request, pk):
    cadre = _cadre(request, pk)
    form = NominateForm(request.POST or None, user=request.user)
    return _action_page(
        request, cadre, form, title=_("提名入库"),
        call=lambda d: svc.nominate(by=request.user, cadre=cadre, pool=d["pool"], note=d.get("note") or ""),
        done=lambda entry: _("已提名 %(n)s 进入“%(p)s”。") % {"n": cadre.name, "p": entry.pool.name})


@requires("reserve")
def ninebox_put_forward(request, pk):
    cadre = _cadre(request, pk)
    form = PutForwardForm(request.POST or None, user=request.user)
    return _action_page(
        request, cadre, form, title=_("推荐任职（空缺职务）"),
        call=lambda d: svc.put_forward(by=request.user, cadre=cadre, post=d["post"], title=d.get("title") or ""),
        done=lambda sel: _("已创建选任纪实“%(t)s”，%(n)s 为人选。") % {"t": sel.title, "n": cadre.name},
        then=lambda sel: reverse("promotion:selection_detail", args=[sel.pk]))
