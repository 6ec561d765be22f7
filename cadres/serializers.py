"""REST serializers of the roster.

Serializers only parse and render: business rules (scope, quotas, ID-number checks) live in
``cadres/services.py``, which the viewsets call with ``serializer.validated_data``. Write serializers
never ``save()`` to the model; their ``to_representation`` renders the matching read serializer so a
write answers with the same shape a read gives.

Related objects in write payloads are primary keys, looked up inside the requesting user's view scope
(``GatedPrimaryKeyRelatedField``): an id outside the scope is refused like an id that does not exist.
Tags are written and read as a list of tag *names* (``["优秀年轻干部", ...]``); the names must exist
(see ``GET /api/v1/tags/``).
"""
import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pingdingshan.core.dates import in_force, in_force_q

from .models import (
    Appointment,
    Cadre,
    CareerEntry,
    FamilyMember,
    Post,
    Rank,
    RankHistory,
    Tag,
    Training,
    Unit,
)


class GatedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key looked up among the objects the requesting user may ``view``."""

    default_error_messages = {
        "does_not_exist": _("编号为 {pk_value} 的对象不存在，或不在您的权限范围内。"),
    }

    def __init__(self, **kwargs):
        self.gate_action = kwargs.pop("gate_action", "view")
        super().__init__(**kwargs)

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return qs.none()
        return qs.restrict(request.user, self.gate_action)


def current_q(prefix: str = "", day: dt.date | None = None) -> Q:
    """Records in force on ``day`` (today by default)."""
    return in_force_q(day, prefix=prefix)


# --------------------------------------------------------------------------- small references
class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]


class PostRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "name", "level"]


class PostRefWithUnitSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Post
        fields = ["id", "name", "level", "is_chief", "unit"]


class RankRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rank
        fields = ["id", "name"]


class CadreRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cadre
        fields = ["id", "name"]


# --------------------------------------------------------------------------- units
class UnitSerializer(serializers.ModelSerializer):
    """A unit. ``parent`` is the id of the unit above (null for the root); ``has_children`` says
    whether units hang below it. Lists annotate ``parent_id`` so no query runs per row."""

    parent = serializers.SerializerMethodField()
    has_children = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name", "level", "kind", "establishment", "is_active", "depth",
                  "parent", "has_children"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent(self, obj):
        if hasattr(obj, "parent_id"):
            return obj.parent_id
        parent = Unit.objects.get_parent(obj)
        return parent.pk if parent else None

    @extend_schema_field(serializers.BooleanField())
    def get_has_children(self, obj) -> bool:
        return bool(obj.numchild)


class UnitWriteSerializer(serializers.ModelSerializer):
    """Create a unit under ``parent`` (required except for org staff creating a root); edits leave the
    place in the tree alone."""

    parent = GatedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                         label=_("上级单位"))

    class Meta:
        model = Unit
        fields = ["parent", "code", "name", "short_name", "level", "kind", "establishment", "is_active"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["parent"].read_only = True
        return fields

    def to_representation(self, instance):
        return UnitSerializer(instance, context=self.context).data


# --------------------------------------------------------------------------- posts, ranks, tags
class PostSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Post
        fields = ["id", "unit", "name", "kind", "level", "quota", "is_chief", "order"]
        read_only_fields = fields


class PostWriteSerializer(serializers.ModelSerializer):
    unit = GatedPrimaryKeyRelatedField(queryset=Unit.objects.all(), label=_("单位"))

    class Meta:
        model = Post
        fields = ["unit", "name", "kind", "level", "quota", "is_chief", "order"]
        # (unit, name) uniqueness is checked by the service's full_clean, inside its transaction.
        validators = []

    def to_representation(self, instance):
        return PostSerializer(instance, context=self.context).data


class RankSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rank
        fields = ["id", "name", "order", "equivalent_level", "min_years_from_below"]
        read_only_fields = fields


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]
        read_only_fields = fields


# --------------------------------------------------------------------------- cadres
class TagNamesField(serializers.SlugRelatedField):
    default_error_messages = {"does_not_exist": _("标签“{value}”不存在。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "name")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Tag.objects.all())
        super().__init__(**kwargs)


class CadreListSerializer(serializers.ModelSerializer):
    """The roster row: light, and fed by select_related/prefetch_related (constant query count)."""

    age = serializers.IntegerField(read_only=True)
    unit = UnitRefSerializer(read_only=True)
    current_post = PostRefSerializer(read_only=True, allow_null=True)
    current_rank = RankRefSerializer(read_only=True, allow_null=True)
    tags = TagNamesField(many=True, read_only=True)

    class Meta:
        model = Cadre
        fields = ["id", "name", "gender", "birth_date", "age", "unit", "current_post", "current_rank", "status",
                  "political_status", "highest_education", "tags"]
        read_only_fields = fields


class AppointmentInCadreSerializer(serializers.ModelSerializer):
    post = PostRefWithUnitSerializer(read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "post", "start_date", "end_date", "document_no", "note"]
        read_only_fields = fields


class CadreDetailSerializer(CadreListSerializer):
    """Every field of the cadre plus the appointments in force today."""

    current_appointments = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Cadre
        fields = [
            "id", "name", "name_initials", "gender", "ethnicity", "birth_date", "age", "native_place", "id_number",
            "political_status", "party_join_date", "work_start_date",
            "fulltime_education", "fulltime_degree", "fulltime_school", "fulltime_major",
            "inservice_education", "inservice_degree", "inservice_school", "inservice_major", "highest_education",
            "phone", "status", "tags", "unit", "current_post", "current_rank", "current_appointments", "has_photo",
            "birth_place", "health", "professional_title", "expertise", "rewards_sanctions", "annual_assessment",
            "proposed_post", "proposed_removal", "appointment_reason", "reporting_unit", "age_reference_date",
            "form_date", "form_filler",
            "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AppointmentInCadreSerializer(many=True))
    def get_current_appointments(self, obj):
        appointments = getattr(obj, "current_appointments", None)
        if appointments is None:
            appointments = (obj.appointments.filter(current_q()).select_related("post__unit")
                            .order_by("-post__level", "-start_date"))
        return AppointmentInCadreSerializer(appointments, many=True, context=self.context).data

    @extend_schema_field(serializers.BooleanField())
    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class CadreWriteSerializer(serializers.ModelSerializer):
    """Create or edit a cadre. ``unit`` is a unit id inside the user's scope; ``tags`` a list of tag
    names. ``name_initials``, ``highest_education``, ``current_post`` and ``current_rank`` are derived
    by the services. The photo is not written through the API."""

    unit = GatedPrimaryKeyRelatedField(queryset=Unit.objects.all(), label=_("所在单位"))
    tags = TagNamesField(many=True, required=False, label=_("标签"))

    class Meta:
        model = Cadre
        fields = [
            "name", "gender", "ethnicity", "birth_date", "native_place", "id_number", "political_status",
            "party_join_date", "work_start_date", "fulltime_education", "fulltime_degree", "fulltime_school",
            "fulltime_major", "inservice_education", "inservice_degree", "inservice_school", "inservice_major",
            "phone", "status", "unit", "tags",
            "birth_place", "health", "professional_title", "expertise", "rewards_sanctions", "annual_assessment",
            "proposed_post", "proposed_removal", "appointment_reason", "reporting_unit", "age_reference_date",
            "form_date", "form_filler",
        ]
        # Uniqueness of the ID number is checked by the service's full_clean (with the Chinese message).
        extra_kwargs = {"id_number": {"validators": []}}

    def to_representation(self, instance):
        return CadreDetailSerializer(instance, context=self.context).data


# --------------------------------------------------------------------------- appointments
class AppointmentSerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True)
    post = PostRefWithUnitSerializer(read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = ["id", "cadre", "post", "start_date", "end_date", "document_no", "note", "is_current"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_current(self, obj) -> bool:
        return in_force(obj)


class AppointmentCreateSerializer(serializers.ModelSerializer):
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))
    post = GatedPrimaryKeyRelatedField(queryset=Post.objects.select_related("unit"), label=_("职务"))

    class Meta:
        model = Appointment
        fields = ["cadre", "post", "start_date", "end_date", "document_no", "note"]

    def to_representation(self, instance):
        return AppointmentSerializer(instance, context=self.context).data


class AppointmentUpdateSerializer(AppointmentCreateSerializer):
    """Edits change the dates and the document; the cadre and the post stay."""

    class Meta:
        model = Appointment
        fields = ["start_date", "end_date", "document_no", "note"]


class AppointmentEndSerializer(serializers.Serializer):
    end_date = serializers.DateField(label=_("免职时间"))


# --------------------------------------------------------------------------- rank history, career, training
class RankHistorySerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True)
    rank = RankRefSerializer(read_only=True)

    class Meta:
        model = RankHistory
        fields = ["id", "cadre", "rank", "start_date", "end_date", "document_no"]
        read_only_fields = fields


class RankAssignSerializer(serializers.Serializer):
    rank = serializers.PrimaryKeyRelatedField(queryset=Rank.objects.all(), label=_("职级"))
    start_date = serializers.DateField(label=_("起始时间"))
    document_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="",
                                        label=_("文号"))


class CareerEntrySerializer(serializers.ModelSerializer):
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))

    class Meta:
        model = CareerEntry
        fields = ["id", "cadre", "start_date", "end_date", "description"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["cadre"].read_only = True
        return fields


class TrainingSerializer(serializers.ModelSerializer):
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))

    class Meta:
        model = Training
        fields = ["id", "cadre", "title", "organiser", "start_date", "end_date", "hours", "result"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["cadre"].read_only = True
        return fields


class FamilyMemberSerializer(serializers.ModelSerializer):
    """A family member (家庭成员及重要社会关系) of the 任免审批表; ``political_status`` is the GB/T 4762
    code (01 中共党员 … 13 群众). At most 10 per cadre."""

    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))

    class Meta:
        model = FamilyMember
        fields = ["id", "cadre", "order", "relation", "name", "birth_date", "political_status", "work_unit_post"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["cadre"].read_only = True
        return fields


# --------------------------------------------------------------------------- .lrmx import
class LrmxImportSerializer(serializers.Serializer):
    """The .lrmx upload of ``POST /api/v1/cadres/lrmx-import/`` (multipart): the files and where new
    cadres go."""

    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False), allow_empty=False, label=_("任免审批表文件"),
        help_text=_("一个或多个 .lrmx 文件（全国干部任免审批表 3.2 版，UTF-8），每个不超过5MB，一次最多100个。"),
        error_messages={"required": _("请选择要导入的 .lrmx 文件。"), "empty": _("请选择要导入的 .lrmx 文件。")})
    unit = GatedPrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True, label=_("新建干部的所在单位"),
        help_text=_("文件中的身份证号在名册中没有时新建干部，放在此单位（须在您的管理范围内）。"))


class LrmxApplySerializer(serializers.Serializer):
    """``POST /api/v1/cadres/lrmx-import/apply/``: the check job to confirm."""

    job = serializers.UUIDField(label=_("核对任务"), help_text=_("导入接口返回的核对任务编号（id）。"))
