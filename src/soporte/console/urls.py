"""The agent console's routes, under ``/console/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from soporte.console import (
    chat_views,
    faq,
    postmortems,
    profile,
    recurrences,
    review,
    unidentified,
    views,
    whatsapp,
)

app_name = "console"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("queue/<str:tier>", views.tier_queue, name="queue"),
    path("mine", views.mine, name="mine"),
    path("participated", views.participated, name="participated"),
    path("all", views.all_queues, name="all"),
    path("unidentified", unidentified.queue, name="unidentified"),
    path("tickets/<int:pk>", views.ticket_page, name="ticket"),
    path("tickets/<int:pk>/link", unidentified.link, name="link"),
    path("tickets/<int:pk>/whatsapp", whatsapp.closed_window_route, name="whatsapp_route"),
    path("tickets/<int:pk>/sla", views.ticket_sla, name="ticket_sla"),
    path("tickets/<int:pk>/same-problem", recurrences.same_problem, name="same_problem"),
    path("recurrences", recurrences.open_list, name="recurrences"),
    path("recurrences/<int:pk>/disposition", recurrences.dispose, name="dispose"),
    path("tickets/<int:pk>/reply", views.reply, name="reply"),
    path("tickets/<int:pk>/cc/remove", views.remove_cc, name="cc_remove"),
    path("tickets/<int:pk>/severity", views.change_severity, name="severity"),
    path("tickets/<int:pk>/status", views.change_status, name="status"),
    path("tickets/<int:pk>/assign", views.assign, name="assign"),
    path("tickets/<int:pk>/escalate", views.escalate, name="escalate"),
    path("tickets/<int:pk>/page/acknowledge", views.acknowledge_page, name="page_acknowledge"),
    path("tickets/<int:pk>/postmortem", postmortems.editor, name="postmortem"),
    path("tickets/<int:pk>/postmortem/items", postmortems.add_item, name="postmortem_item_add"),
    path(
        "tickets/<int:pk>/postmortem/items/<int:item>/remove",
        postmortems.remove_item,
        name="postmortem_item_remove",
    ),
    path(
        "tickets/<int:pk>/postmortem/items/<int:item>/done",
        postmortems.mark_item,
        name="postmortem_item_done",
    ),
    path("postmortems", postmortems.listing, name="postmortems"),
    path("chat", chat_views.chats, name="chat"),
    path("chat/<int:pk>/wait", chat_views.chat_wait, name="chat_wait"),
    path("notifications", views.notifications, name="notifications"),
    path("notifications/badge", views.notifications_badge, name="notifications_badge"),
    path("notifications/read-all", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read", views.notification_read, name="notification_read"),
    path("profile", profile.profile, name="profile"),
    path("oncall/", views.oncall, name="oncall"),
    path("oncall/overrides", views.oncall_override_add, name="oncall_override_add"),
    path(
        "oncall/overrides/<int:pk>/delete",
        views.oncall_override_delete,
        name="oncall_override_delete",
    ),
    path("oncall/swap", views.oncall_swap, name="oncall_swap"),
    path("oncall/paging", views.oncall_paging, name="oncall_paging"),
    path("oncall/calendar", views.oncall_calendar, name="oncall_calendar"),
    path("kb/faq", faq.board, name="kb_faq"),
    path("kb/faq/proposals/<int:pk>/accept", faq.accept, name="kb_faq_accept"),
    path("kb/faq/proposals/<int:pk>/reject", faq.reject, name="kb_faq_reject"),
    path("kb/faq/pins/<int:pk>/unpin", faq.unpin, name="kb_faq_unpin"),
    path("kb/faq/pins/<int:pk>/move", faq.move, name="kb_faq_move"),
    path("review/", review.weeks, name="review"),
    path("review/<str:label>", review.week_page, name="review_week"),
    path("review/<str:label>/items/<int:pk>", review.dispose, name="review_dispose"),
    path("review/<str:label>/close", review.close, name="review_close"),
]
