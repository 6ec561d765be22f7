"""Forms of the 9-box (九宫格): its cut-offs (the settings page) and the two actions taken from a
box's cadre (nominate to a pool, put forward for a post with a free place). They parse input only;
the services (``services/ninebox.py``, ``entries.py``, ``selection.py``) check again and save."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import Post
from pingdingshan.core.forms import BootstrapMixin

from .models import NineBoxSettings, ReservePool
from .services import ninebox as svc


class CutoffsForm(BootstrapMixin, forms.Form):
    performance_low = forms.DecimalField(max_digits=5, decimal_places=2)
    performance_high = forms.DecimalField(max_digits=5, decimal_places=2)
    potential_low = forms.DecimalField(max_digits=5, decimal_places=2)
    potential_high = forms.DecimalField(max_digits=5, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            model_field = NineBoxSettings._meta.get_field(name)
            field.label, field.help_text = model_field.verbose_name, model_field.help_text
            field.error_messages.update({
                "required": _("请填写%(l)s。") % {"l": model_field.verbose_name},
                "invalid": _("%(l)s须为数字。") % {"l": model_field.verbose_name},
                "max_digits": _("%(l)s须在 0 到 100 之间，最多两位小数。") % {"l": model_field.verbose_name},
                "max_decimal_places": _("%(l)s须在 0 到 100 之间，最多两位小数。") % {"l": model_field.verbose_name},
                "max_whole_digits": _("%(l)s须在 0 到 100 之间，最多两位小数。") % {"l": model_field.verbose_name},
            })


class NominateForm(BootstrapMixin, forms.Form):
    pool = forms.ModelChoiceField(queryset=ReservePool.objects.none(), label=_("储备库"),
                                  error_messages={"required": _("请选择储备库。"),
                                                  "invalid_choice": _("请选择储备库。")})
    note = forms.CharField(label=_("提名理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = ReservePool.objects.restrict(user, "view").filter(is_active=True).order_by(
            "name")


class PutForwardForm(BootstrapMixin, forms.Form):
    post = forms.ChoiceField(label=_("拟任职务（有空缺职数）"), error_messages={
        "required": _("请选择拟任职务。"), "invalid_choice": _("请选择有空缺职数的职务。")})
    title = forms.CharField(label=_("选任纪实名称"), required=False, max_length=100,
                            help_text=_("不填则按“职务＋人选”命名。"))

    def __init__(self, *args, user, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.posts = {v.post_id: v for v in svc.free_posts(user, unit=unit)}
        self.fields["post"].choices = [("", "---------")] + [
            (v.post_id, _("%(u)s · %(p)s（空缺 %(n)d）") % {"u": v.unit_name, "p": v.post_name, "n": v.places})
            for v in self.posts.values()]

    def clean_post(self):
        return Post.objects.select_related("unit").get(pk=int(self.cleaned_data["post"]))
