"""Django's ``ModelBackend``, but the signed-in user of a page session comes with their party.

Every page shows the user's party (the header, the nav's rules, the access policy's scope), and Django's own
backend loads the user alone, so each page made one more query for the party (profiled:
benchmarks/load/profile_routes.py); the statement is written once per connection (``accounts.reads``), not
built as a queryset on every page. Sign-in, permissions and everything else are Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from homeward.accounts import reads

        user = reads.user_by_id(user_id)  # select_related("party").get(pk=…), in one statement written once
        return user if user is not None and self.user_can_authenticate(user) else None
