"""OpenAPI pieces shared by every app's endpoints: the one error shape and a schema class that
documents it on every operation, the read shape answered by writes, and the registry of named
choice sets (``register_choices``, called by each app in ``AppConfig.ready``)."""
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, build_choice_description_list
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.response import Response


class ErrorSerializer(serializers.Serializer):
    """``{"message": "...", "errors": {"field": ["...", ...]}}``: every error answer of the API."""

    message = serializers.CharField(help_text=_("给用户看的错误说明。"))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("按字段列出的错误；与字段无关的错误在 non_field_errors 下。嵌套的字段用点号连接路径，"
                    "列表项用从0起的序号，如 indicators.1.weight（第2个指标的权重）。"),
    )

    class Meta:
        ref_name = "Error"


def error_response(description):
    return OpenApiResponse(response=ErrorSerializer, description=description)


ERROR_RESPONSES = {
    "400": error_response(_("提交的数据或筛选条件有误，或业务规则不允许（如超出职数）。")),
    "401": error_response(_("未登录：请提供 Token 或会话。")),
    "403": error_response(_("没有执行此操作的权限。")),
    "404": error_response(_("对象不存在，或不在您的权限范围内。")),
}


class ApiAutoSchema(AutoSchema):
    """Adds the error answers to each operation, and lets a viewset name the serializer its writes
    answer with (``response_serializer_classes = {"create": ReadSerializer, ...}``)."""

    def get_response_serializers(self):
        mapping = getattr(self.view, "response_serializer_classes", None) or {}
        action = getattr(self.view, "action", None)
        if action in mapping:
            return mapping[action]
        return super().get_response_serializers()

    def get_description(self):
        # Only what ``@extend_schema(description=...)`` says: the classes' docstrings are notes for
        # developers (and the mixins' would leak into every operation).
        return ""

    def get_tags(self):
        parts = self.path.strip("/").split("/")
        if len(parts) >= 3 and parts[:2] == ["api", "v1"]:
            return [parts[2]]
        return super().get_tags()

    def error_codes(self):
        codes = getattr(self.view, "schema_error_codes", None)
        if codes is not None:
            return list(codes)
        codes = ["401", "403"]
        is_detail = "{" in self.path
        # A list under an object (a period's scores) is paginated: a bad page is a 400 there too.
        if not (self.method == "GET" and is_detail) or (self._is_list_view() and self._get_paginator()):
            codes.append("400")
        if is_detail:
            codes.append("404")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = self.error_codes()
        for code in sorted(codes):
            if code not in responses:
                responses[code] = self._get_response_for_code(ERROR_RESPONSES[code], code, direction=direction)
        return responses


class FilterExtension(DjangoFilterExtension):
    """The django-filter extension of drf-spectacular, with two fixes:

    - 0.29 reads ``field.null_label`` of every filter with choices, which ``TypedChoiceFilter``'s form
      field (``TypedChoiceField``) lacks: schema generation crashed on CadreFilter.post_level /
      education and PostFilter.level;
    - a filter that names its parameter's type (``schema_type = OpenApiTypes.INT`` on the filter
      class, e.g. ``cadres.filters.UnitSubtreeFilter``, which takes a unit id whatever path lookup it
      filters on) is documented as that type."""

    priority = 1

    def _get_schema_from_model_field(self, auto_schema, filter_field, model):
        schema_type = getattr(filter_field, "schema_type", None)
        if schema_type is not None:
            return build_basic_type(schema_type)
        return super()._get_schema_from_model_field(auto_schema, filter_field, model)

    def _get_explicit_filter_choices(self, filter_field):
        if "choices" not in filter_field.extra:
            return None
        if callable(filter_field.extra["choices"]):
            return []
        choices = [c for c, _label in filter_field.extra["choices"]]
        if getattr(filter_field.field, "null_label", None):
            choices.append(filter_field.field.null_value)
        return choices


# Choice sets, each one named enum component (``PostLevelEnum`` ...) wherever a field uses it: e.g.
# Post.level and Rank.equivalent_level share PostLevelEnum. (Without this, drf-spectacular names
# enums after the field and warns on every field name used for two choice sets, e.g. Unit.level /
# Post.level.) Each app registers its own in ``AppConfig.ready`` with ``register_choices``.
NAMED_CHOICES = []


def register_choices(*choices) -> None:
    """Name these choice classes' enums after the class (``GradeEnum``), once each."""
    for c in choices:
        if c not in NAMED_CHOICES:
            NAMED_CHOICES.append(c)


def _choices_key(values):
    return tuple(str(v) for v in values if v not in ("", None))


def _named_choices(field):
    key = _choices_key(field.choices)
    for choices in NAMED_CHOICES:
        if _choices_key(choices.values) == key:
            return choices
    return None


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "rest_framework.serializers.ChoiceField"
    match_subclasses = True

    @classmethod
    def _matches(cls, target):
        return (super()._matches(target) and not isinstance(target, serializers.MultipleChoiceField)
                and _named_choices(target) is not None)

    def get_name(self):
        return f"{_named_choices(self.target).__name__}Enum"

    def map_serializer_field(self, auto_schema, direction):
        choices = _named_choices(self.target)
        values = list(choices.values)
        return {
            "type": "integer" if all(isinstance(v, int) for v in values) else "string",
            "enum": values,
            "description": build_choice_description_list(choices.choices),
        }


class SchemaView(SpectacularAPIView):
    """``/api/schema/``: the OpenAPI schema, generated once per process, language and API version.
    Generating it walks every endpoint and serializer (2–5 s); the schema is the same for every
    reader (``SERVE_PUBLIC``: not filtered by the reader's permissions) and changes only with the
    code, that is with a new process."""

    _generated: dict = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version, self.urlconf, self.serve_public)
        data = self._generated.get(key)
        if data is None:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            data = self._generated[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(data=data, headers={
            "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'})
