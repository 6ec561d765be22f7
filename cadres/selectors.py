"""Reads of the roster, always restricted by the permission gate."""
from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from pingdingshan.core.dates import in_force_q

from .models import Appointment, Cadre, CadreStatus, Post, Unit


def cadre_list(*, user, action="view"):
    return (Cadre.objects.restrict(user, action)
            .select_related("unit", "current_post", "current_rank")
            .prefetch_related("tags"))


def cadre_get(*, user, pk, action="view"):
    from pingdingshan.core.permissions import get_or_404

    return get_or_404(Cadre.objects.select_related("unit", "current_post", "current_rank"), user, action, pk=pk)


def unit_list(*, user, action="view"):
    return Unit.objects.restrict(user, action)


def post_list(*, user, action="view"):
    return Post.objects.restrict(user, action).select_related("unit")


def post_limit(post: Post) -> int:
    """How many may hold ``post`` at once: its quota (职数), and 1 for a chief post, which
    ``services.roster.check_post_capacity`` never lets two hold (the one rule; ``POST_LIMIT`` is the
    same in SQL)."""
    return 1 if post.is_chief else post.quota


POST_LIMIT = Case(When(is_chief=True, then=Value(1)), default=F("quota"), output_field=IntegerField())


def posts_with_usage(*, user, unit: Unit | None = None, posts=None, on=None):
    """Posts (the unit's, or ``posts``: a queryset of posts the user sees) with how many hold them on
    ``on`` (today by default): ``used`` (appointments in force), ``limit`` (``post_limit``) and
    ``free`` = limit − used (negative when over). One query."""
    qs = post_list(user=user) if posts is None else posts
    if unit is not None:
        qs = qs.filter(unit=unit)
    return (qs.annotate(used=Count("appointments", filter=in_force_q(on, prefix="appointments__")), limit=POST_LIMIT)
            .annotate(free=F("limit") - F("used")))


def rank_usage(*, unit: Unit, exclude: Cadre | None = None) -> dict[int, int]:
    """{rank id: active cadres of ``unit`` holding that rank now}: the one count of how much of a
    unit's rank quotas (职级职数) is used, for the unit page, the quota form and the services that
    refuse a quota below it or a rank beyond it (``rank_usage_by_unit`` for one unit). The key None
    counts the active cadres without a rank (so the values add up to the unit's active cadres).
    ``exclude``: a cadre not to count (the one being given a rank)."""
    return rank_usage_by_unit(units=[unit.pk], exclude=exclude).get(unit.pk, {})


def rank_usage_by_unit(*, units, exclude: Cadre | None = None) -> dict[int, dict[int | None, int]]:
    """{unit id: {rank id: active cadres of the unit holding that rank now}} for every unit of
    ``units`` (ids or a queryset of units) in one GROUP BY unit × rank: the definition ``rank_usage``
    reads for one unit (a unit with no active cadre is absent)."""
    qs = Cadre.objects.filter(unit__in=units, status=CadreStatus.ACTIVE)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    out: dict[int, dict[int | None, int]] = {}
    for unit_id, rank_id, n in qs.order_by().values_list("unit_id", "current_rank_id").annotate(n=Count("id")):
        out.setdefault(unit_id, {})[rank_id] = n
    return out


def appointment_list(*, user, action="view"):
    return Appointment.objects.restrict(user, action).select_related("cadre", "post", "post__unit")


# --------------------------------------------------------------------------- performance archive
def records_in_sight(*, user, action="view"):
    """Records the user may see, with what list pages show (constant query count)."""
    from .models import PerformanceRecord

    return (PerformanceRecord.objects.restrict(user, action)
            .select_related("cadre", "unit", "category", "submitted_by", "created_by"))


def with_evidence_count(qs):
    """Each record's number of evidence files, as a subquery (no per-row query, no GROUP BY over
    the whole list: PostgreSQL computes it for the page's rows only)."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from .models import Evidence

    count = (Evidence.objects.filter(record=OuterRef("pk")).order_by().values("record")
             .annotate(n=Count("id")).values("n"))
    return qs.annotate(evidence_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)))


def record_list(*, user, filters=None, queue: bool = False, request=None, evidence_count: bool = False):
    """The one record list of the page, its export, the API and the review queue: the records the
    user sees (``queue``: the submitted ones waiting for verification) filtered and ordered by the
    one ``RecordFilter`` with ``filters`` (a QueryDict or dict). Returns the bound FilterSet:
    ``.qs`` the rows, ``.is_valid()`` / ``.form.errors`` what was wrong with the filters,
    ``.without_status`` the rows before the status filter. ``evidence_count``: each row gets its
    number of evidence files."""
    from .filters_records import RecordFilter, with_status_rank

    rows = review_queue(user=user) if queue else records_in_sight(user=user)
    rows = with_status_rank(rows)
    if evidence_count:
        rows = with_evidence_count(rows)
    return RecordFilter(filters if filters is not None else {}, queryset=rows, request=request, user=user,
                        queue=queue)


def record_get(*, user, pk, action="view"):
    from pingdingshan.core.permissions import get_or_404

    from .models import PerformanceRecord

    return get_or_404(
        PerformanceRecord.objects.select_related("cadre", "cadre__unit", "unit", "category", "amends",
                                                 "superseded_by", "submitted_by", "created_by", "reviewed_by"),
        user, action, pk=pk)


def review_queue(*, user):
    """Submitted records waiting for verification, oldest first."""
    from .models import RecordStatus

    return records_in_sight(user=user).filter(status=RecordStatus.SUBMITTED).order_by("submitted_at", "id")


def waiting_count(*, user) -> int | None:
    """How many submitted records wait for this user's verification (None if they do not verify)."""
    from pingdingshan.core import permissions as gate

    from .models import PerformanceRecord, RecordStatus

    if not gate.can(user, "verify"):
        return None
    return PerformanceRecord.objects.restrict(user).filter(status=RecordStatus.SUBMITTED).count()


def record_counts_by_status(records) -> dict[str, int]:
    """{status: number of rows} of a queryset of records: exact, one query, answered from an index
    holding the status (``COUNT(status)``, not ``COUNT(id)``).

    Filtered rows (a unit leader's scope, a unit, a category...) are grouped by status. All the
    records (a city-wide reader without a filter) are counted one status at a time instead
    (``UNION ALL`` of ``COUNT(*) ... WHERE status = ...``: a range of ``record_status`` each):
    grouping 2,000,000 rows costs about half as much again as counting them."""
    from django.db.models import CharField, Value

    from .models import RecordStatus

    records = records.order_by()
    if records.query.has_filters():
        return dict(records.values("status").annotate(n=Count("status")).values_list("status", "n"))
    parts = [records.filter(status=s).annotate(k=Value(s, output_field=CharField())).values("k")
             .annotate(n=Count("*")).values_list("k", "n") for s in RecordStatus.values]
    return dict(parts[0].union(*parts[1:], all=True))


DUPLICATE_WINDOW_DAYS = 30
DUPLICATE_TITLE_SIMILARITY = 0.6


def possible_duplicates(*, user, records) -> dict[int, list]:
    """{record id: [other records the user sees]} for records that look like another record of the
    same cadre: same category, start dates within DUPLICATE_WINDOW_DAYS and a similar title. One
    query for the whole list; flagged for the verifier, never blocked."""
    import datetime as dt
    from difflib import SequenceMatcher

    from .models import PerformanceRecord, RecordStatus

    records = list(records)
    if not records:
        return {}
    window = dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    q = Q()
    for r in records:
        q |= Q(cadre_id=r.cadre_id, category_id=r.category_id,
               start_date__gte=r.start_date - window, start_date__lte=r.start_date + window)
    candidates = list(PerformanceRecord.objects.restrict(user).filter(q).exclude(status=RecordStatus.DRAFT)
                      .exclude(superseded_by__isnull=False).only("id", "cadre_id", "category_id", "title",
                                                                  "start_date", "status", "amends_id"))
    by_key = {}
    for c in candidates:
        by_key.setdefault((c.cadre_id, c.category_id), []).append(c)
    found = {}
    for r in records:
        for c in by_key.get((r.cadre_id, r.category_id), ()):
            if c.pk == r.pk or c.pk == r.amends_id or c.amends_id == r.pk:
                continue
            if abs((c.start_date - r.start_date).days) > DUPLICATE_WINDOW_DAYS:
                continue
            if SequenceMatcher(None, c.title, r.title).ratio() >= DUPLICATE_TITLE_SIMILARITY:
                found.setdefault(r.pk, []).append(c)
    return found


def record_summary(*, user, cadre):
    """A cadre's verified, current records the user sees, summed by category and year (实绩档案
    summary)."""
    from django.db.models import Count, Sum
    from django.db.models.functions import ExtractYear

    from .models import RecordStatus

    return (records_in_sight(user=user).filter(cadre=cadre, status=RecordStatus.VERIFIED, superseded_by__isnull=True)
            .annotate(year=ExtractYear("start_date"))
            .values("year", "category__name")
            .annotate(count=Count("id"), points=Sum("points"))
            .order_by("-year", "category__name"))
