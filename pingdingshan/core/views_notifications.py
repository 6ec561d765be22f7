"""In-app notifications (通知): the signed-in user's own list, "mark all as read", and opening one
(marks it read, then follows its link). Nobody reaches another user's notifications: every query
is filtered by ``user=request.user`` and another user's notification answers 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Notification
from .pages import paginate, query_without

PAGE_SIZE = 20
BELL_LATEST = 5


def notification_list(*, user, unread_only: bool = False):
    """The user's own notifications, newest first (the only way the pages read them)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def _safe_url(request, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure())


@login_required
def notifications(request):
    unread_only = request.GET.get("show") == "unread"
    page = paginate(request, notification_list(user=request.user, unread_only=unread_only), per_page=PAGE_SIZE)
    return render(request, "core/notifications.html", {"page": page, "page_obj": page, "unread_only": unread_only,
                                                       "page_query": query_without(request.GET, "page")})


@login_required
@require_POST
def notifications_read_all(request):
    n = services.notifications_mark_read(user=request.user)
    if n:
        messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": n})
    else:
        messages.info(request, _("没有未读通知。"))
    nxt = request.POST.get("next", "")
    return redirect(nxt if _safe_url(request, nxt) else "core:notifications")


@login_required
def notification_open(request, pk):
    """Mark the notification read and follow its link (the list when it has none)."""
    note = notification_list(user=request.user).filter(pk=pk).first()
    if note is None:
        raise Http404(_("未找到该通知。"))
    if note.read_at is None:
        services.notifications_mark_read(user=request.user, ids=[note.pk])
    return redirect(note.url if _safe_url(request, note.url) else "core:notifications")
