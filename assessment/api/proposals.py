"""The card proposals API (红黄牌提示, ``/api/v1/card-proposals/``).

- list / retrieve: org staff and auditors (a unit leader's list is refused with 403; one proposal
  answers 404, as the gate hides them), with the list page's filters and ordering; each proposal
  says which trigger fired on which facts (``sentence``, in the reader's language).
- ``POST card-proposals/{id}/confirm/``: a card suggestion becomes a proposed card (拟发) through
  the cards service, with the card's fields as given or prefilled from the proposal; ``dismiss``:
  with a reason. Org staff only (gate action ``discipline``).
- ``POST card-proposals/run/``: the daily check now, as a background job (202 and the job).
"""
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.api_jobs import JobSerializer
from pingdingshan.core.viewsets import ApiViewSetMixin

from .. import jobs as assessment_jobs
from ..filters_proposals import ProposalFilter
from ..models import CardColor, CardProposal, CardReason
from ..services import proposals
from ..services.triggers import proposal_sentence, trigger_label


class ProposalSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit = serializers.IntegerField(source="cadre.unit_id", read_only=True)
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True)
    trigger_label = serializers.SerializerMethodField(help_text=_("触发规则的名称。"))
    sentence = serializers.SerializerMethodField(help_text=_("触发规则依据哪些事实提出（按读者的语言）。"))
    card = serializers.SerializerMethodField(help_text=_("确认后拟发的红黄牌编号；没有时为 null。"))
    allowed_actions = serializers.SerializerMethodField(help_text=_(
        "您现在可以执行的操作：confirm（确认红黄牌建议）、remind（登记担当提醒以确认）、dismiss（驳回）。"))

    class Meta:
        model = CardProposal
        fields = ["id", "trigger", "trigger_label", "cadre", "cadre_name", "unit", "unit_name", "suggestion", "facts",
                  "sentence", "key", "detected_on", "status", "decided_by", "decided_at", "decide_reason", "card",
                  "allowed_actions", "created_at"]
        read_only_fields = fields

    def get_trigger_label(self, obj) -> str:
        return trigger_label(obj.trigger)

    def get_sentence(self, obj) -> str:
        return proposal_sentence(obj)

    def get_card(self, obj) -> int | None:
        card = getattr(obj, "card", None)
        return card.pk if card is not None else None

    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(proposals.allowed_actions(obj, self.context["request"].user))


class ProposalConfirmSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text=_("确认意见。"))
    color = serializers.ChoiceField(choices=CardColor.choices, required=False, help_text=_("不填时按建议的颜色。"))
    card_reason = serializers.PrimaryKeyRelatedField(queryset=CardReason.objects.filter(is_active=True), required=False,
                                                     help_text=_("事由类别编号；不填时按触发规则（如考核结果较差）。"))
    facts = serializers.CharField(max_length=5000, required=False, help_text=_("主要事实；不填时取提示的触发事实。"))
    basis = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    issuing_body = serializers.CharField(max_length=100, required=False)
    start_date = serializers.DateField(required=False, help_text=_("发牌日期；不填时为今天。"))
    end_date = serializers.DateField(required=False, allow_null=True, help_text=_("期满日期；不填时按事由类别的期限。"))


class ProposalDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text=_("驳回理由。"))


class CityWideReaders(permissions.BasePermission):
    """The list is for org staff and auditors: a unit leader (who sees no proposal) is refused."""

    message = _("只有组织部和审计人员可以查看红黄牌提示。")

    def has_permission(self, request, view):
        if getattr(view, "detail", False) or view.action == "run":
            return True
        return gate.city_wide(request.user, "view", CardProposal)


ANSWER = {200: ProposalSerializer}


@extend_schema_view(
    list=extend_schema(summary=_("红黄牌提示列表"), description=_(
        "触发规则提出的红黄牌或担当提醒建议（仅组织部和审计人员）。筛选：status、trigger、suggestion、unit（含下级）、"
        "date_from/date_to（发现日期）、q（干部姓名/拼音首字母/身份证号）；排序 ordering=date|name|unit|trigger|"
        "suggestion|status|decided，前加“-”为倒序。")),
    retrieve=extend_schema(summary=_("红黄牌提示详情")),
)
class CardProposalViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = CardProposal.objects.select_related("cadre", "cadre__unit", "card").order_by("-detected_on", "-id")
    serializer_class = ProposalSerializer
    serializer_classes = {"confirm": ProposalConfirmSerializer, "dismiss": ProposalDismissSerializer,
                          "run": serializers.Serializer}
    filterset_class = ProposalFilter
    filter_backends = [df.DjangoFilterBackend]  # ProposalFilter holds its own ordering
    permission_classes = [*ApiViewSetMixin.permission_classes, CityWideReaders]
    write_action = "discipline"

    def _answer(self, proposal):
        proposal = self.get_queryset().model.objects.select_related("cadre", "cadre__unit", "card").get(pk=proposal.pk)
        return Response(ProposalSerializer(proposal, context=self.get_serializer_context()).data)

    def _valid(self):
        serializer = self.get_serializer_class()(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(summary=_("确认红黄牌建议（拟发红黄牌，仅组织部）"), request=ProposalConfirmSerializer,
                   responses=ANSWER, description=_(
                       "按建议拟发红黄牌（状态为拟发，须在红黄牌处办理发牌）；未填的字段取自提示。"
                       "担当提醒建议不能在此确认，请登记担当提醒（reminders，带 proposal）。"))
    @action(detail=True, methods=["post"], write_action="discipline")
    def confirm(self, request, pk=None):
        proposal = self.get_object()
        data = self._valid()
        reason = data.pop("reason")
        return self._answer(proposals.proposal_confirm(by=request.user, proposal=proposal, reason=reason, **data))

    @extend_schema(summary=_("驳回提示（仅组织部，须填写理由）"), request=ProposalDismissSerializer, responses=ANSWER)
    @action(detail=True, methods=["post"], write_action="discipline")
    def dismiss(self, request, pk=None):
        proposal = self.get_object()
        data = self._valid()
        return self._answer(proposals.proposal_dismiss(by=request.user, proposal=proposal, reason=data["reason"]))

    @extend_schema(summary=_("立即运行每日检查（仅组织部）"), request=None, responses={202: JobSerializer},
                   description=_("作为后台任务运行：红黄牌到期、组织调整逾期和回访提醒、触发规则提出新的提示。"
                                 "立即返回 202 和任务（用 /api/v1/jobs/{id}/ 查询进度和结果）。"))
    @action(detail=False, methods=["post"], write_action="discipline")
    def run(self, request):
        job = jobs.job_under_way(user=request.user, kind=assessment_jobs.CONDUCT_DAILY)
        if job is None:  # a second call while it runs answers with the same job
            job = jobs.start(by=request.user, kind=assessment_jobs.CONDUCT_DAILY)
        return Response(JobSerializer(job, context=self.get_serializer_context()).data,
                        status=status.HTTP_202_ACCEPTED)


def register(router):
    router.register("card-proposals", CardProposalViewSet, basename="card-proposal")
