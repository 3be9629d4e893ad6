"""Django's ``ModelBackend``, but the signed-in user of a page session comes with their party.

Every page shows the user's party (the header, the nav's rules, the access policy's scope), and Django's own
backend loads the user alone, so each page made one more query for the party (profiled:
benchmarks/load/profile_routes.py). Sign-in, permissions and everything else are Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from homeward.accounts.models import User

        try:
            user = User._default_manager.select_related("party").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
