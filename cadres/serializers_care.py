"""Serializers of the care records (关心关爱) API. A check-up's ``details`` (personal health
details) is a field only for users with ``services.may_see_health`` (org staff): for everyone
else it is neither shown nor written. The services validate (``care_validate``)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import AwaySupport, Cadre, HealthCheck, LeaveYear, OvertimeRecord, Talk
from .serializers import GatedPrimaryKeyRelatedField
from .services.care import KINDS, may_see_health


class CareSerializer(serializers.ModelSerializer):
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))
    cadre_name = serializers.CharField(source="cadre.name", read_only=True, label=_("干部姓名"))

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["cadre"].read_only = True
        return fields

    def get_validators(self):
        """None of DRF's unique-together validators: the service checks the one leave year per
        cadre and year with every other problem, in Chinese."""
        return []


def _meta(model, kind):
    return type("Meta", (), {"model": model, "fields": ["id", "cadre", "cadre_name", *sorted(KINDS[kind][1])]})


class TalkSerializer(CareSerializer):
    Meta = _meta(Talk, "talk")


class LeaveYearSerializer(CareSerializer):
    Meta = _meta(LeaveYear, "leave")


class HealthCheckSerializer(CareSerializer):
    """``details`` only for org staff (documented in the schema; absent from others' answers)."""

    Meta = _meta(HealthCheck, "health")

    def get_fields(self):
        fields = super().get_fields()
        view = self.context.get("view")
        if getattr(view, "swagger_fake_view", False):  # the schema documents the field
            fields["details"].help_text = _("个人健康信息，仅组织部可见：其他用户的响应中没有此字段，提交也不会保存。")
            return fields
        request = self.context.get("request")
        if request is None or not may_see_health(request.user):
            fields.pop("details", None)
        return fields


class OvertimeRecordSerializer(CareSerializer):
    Meta = _meta(OvertimeRecord, "overtime")


class AwaySupportSerializer(CareSerializer):
    Meta = _meta(AwaySupport, "away")


SERIALIZERS = {"talk": TalkSerializer, "leave": LeaveYearSerializer, "health": HealthCheckSerializer,
               "overtime": OvertimeRecordSerializer, "away": AwaySupportSerializer}
