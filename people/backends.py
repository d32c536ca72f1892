from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from people import throttle


class RosterBackend(ModelBackend):
    """The standard backend, loading the user's roster entry in the same query
    (every page asks who the viewer is on the roster), with wrong passwords
    counted per username on every login path (people/throttle.py)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if name and throttle.locked_until(name):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if name and password:
            if user is None:
                throttle.login_failed(name)
            else:
                throttle.login_succeeded(name)
        return user

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("person").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
