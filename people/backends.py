from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class RosterBackend(ModelBackend):
    """The standard backend, loading the user's roster entry in the same query
    (every page asks who the viewer is on the roster)."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("person").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
