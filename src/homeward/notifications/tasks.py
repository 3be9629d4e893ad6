"""Notifications on the task queue: e-mails are sent by a job, and follow-up reminders are a periodic job
(``jobs.schedule.PERIODIC``). Both are idempotent: a job run twice sends or tells nothing twice."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.utils import timezone, translation

from homeward import jobs

log = logging.getLogger("homeward.notifications")


@jobs.job()
def send_email(notification_id: int) -> bool:
    """E-mail one notification to its recipient, if it still wants it and was not e-mailed yet."""
    from homeward.notifications import services
    from homeward.notifications.models import Notification

    n = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.emailed_at is not None:
        return False
    user = n.recipient
    if not (user.is_active and user.email and services.channels([user], n.kind)[user.pk].email):
        return False
    with translation.override(services.email_language(user)):
        subject, body = services.subject(n), services.body(n)
    send_mail(subject, body, None, [user.email])
    Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    log.info("event=notification_emailed notification=%d kind=%s", n.pk, n.kind)
    return True


@jobs.job()
def remind_follow_ups() -> int:
    """The periodic follow-up reminder: tell of every visit that came due since the last run."""
    from homeward.notifications import services

    return services.remind_follow_ups()


@jobs.job()
def prune() -> int:
    """Daily: forget notifications read long ago."""
    from homeward.notifications import services

    return services.prune()
