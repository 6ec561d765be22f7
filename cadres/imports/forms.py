"""The upload form of the record import (the service checks size and type)."""
from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("导入文件"), help_text=_("用导入模板填写的 .xlsx 文件，或 UTF-8/GBK 编码的 .csv 文件，不超过10MB。"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
        error_messages={"required": _("请选择要上传的文件。")},
    )
