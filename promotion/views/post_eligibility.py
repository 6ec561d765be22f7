"""Pages of the eligibility against a target post (under /reserve/): one cadre checked against one
post, every rule with its sentence (``post_eligibility_check``), and the thresholds
(``selection_rules``: everyone who may read sees them, org staff change them)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Post
from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import apply_errors
from pingdingshan.core.pages import requires

from ..models import SelectionRules
from ..services import post_eligibility as pe


class CheckForm(forms.Form):
    cadre = forms.IntegerField(label=gettext_lazy("干部编号"), min_value=1, max_value=10**12)
    post = forms.ModelChoiceField(label=gettext_lazy("拟任职务"), queryset=Post.objects.none())
    exceptional = forms.BooleanField(label=gettext_lazy("按破格提拔审查"), required=False)
    on = forms.DateField(label=gettext_lazy("审查日期"), required=False, widget=forms.DateInput,
                         help_text=gettext_lazy("默认今天。"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.select_related("unit").order_by("unit__path", "-level", "id")


@requires("view")
def post_eligibility_check(request):
    data = request.GET if request.GET else None
    form = CheckForm(data, user=request.user)
    result = cadre = post = None
    if data is not None and form.is_valid():
        parsed, errors = pe.parse_request({**request.GET.dict(), "post": form.cleaned_data["post"].pk}, request.user)
        if errors:
            apply_errors(form, ValidationError(errors))
        else:
            cadre, post, exceptional, on = parsed
            result = pe.check_one(cadre, post, on=on, exceptional=exceptional)
    return render(request, "promotion/post_eligibility/check.html", {
        "form": form, "result": result, "cadre": cadre, "post": post,
        "path_label": pe.PATHS[result.path].label if result is not None and result.path else "",
        "title": _("任职资格审查")})


class RulesForm(forms.ModelForm):
    class Meta:
        model = SelectionRules
        fields = list(pe.RULE_FIELDS)


@requires("view")
def selection_rules(request):
    row = SelectionRules.current()
    can_change = gate.allows(request.user, "reserve")
    if request.method == "POST":
        gate.require(request.user, "reserve")
        form = RulesForm(request.POST, instance=SelectionRules.current())
        if form.is_valid():
            try:
                pe.rules_update(by=request.user, **{f: form.cleaned_data[f] for f in pe.RULE_FIELDS})
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("已保存选拔任用资格条件。"))
                return redirect("promotion:selection_rules")
        status = 400
    else:
        form, status = RulesForm(instance=row), 200
    if not can_change:
        for f in form.fields.values():
            f.disabled = True
    return render(request, "promotion/post_eligibility/rules.html", {
        "form": form, "can_change": can_change, "title": _("选拔任用资格条件")}, status=status)
