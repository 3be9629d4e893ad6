"""Notifications: in-app (the bell) and e-mail, per recipient and scoped, never carrying personal data.

A notification is a kind, a count and a link to the object (ids only). The domains call
:mod:`homeward.notifications.services` from their own writes, inside their transaction, so a notification
exists if and only if the change it reports was committed. E-mail goes out as a job on the task queue
(``homeward.jobs``); follow-up reminders are a periodic job. See docs/ui.md, "Notifications".
"""
