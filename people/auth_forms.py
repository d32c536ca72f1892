"""Login and password-reset forms with the per-account throttle (people/throttle.py).

The backend (people/backends.py) counts wrong passwords and refuses a locked
username on every login path; these forms only say so clearly."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from people import throttle


class _LockMessage:
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        until = throttle.locked_until(username) if username else None
        if until:
            raise ValidationError(throttle.lock_message(until), code="locked")
        try:
            return super().clean()
        except ValidationError as error:
            until = throttle.locked_until(username) if username else None
            if until and error.code == "invalid_login":
                raise ValidationError(throttle.lock_message(until), code="locked") from None
            raise


class ThrottledAuthenticationForm(_LockMessage, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(_LockMessage, AdminAuthenticationForm):
    pass


class ThrottledPasswordResetForm(PasswordResetForm):
    def clean_email(self):
        email = self.cleaned_data["email"]
        if not throttle.reset_requested(email):
            raise ValidationError(throttle.RESET_MESSAGE, code="throttled")
        return email


class UnlockingSetPasswordForm(SetPasswordForm):
    """Setting a new password from a reset link (which proves the mailbox) ends a lock."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        throttle.login_succeeded(user.get_username())
        return user
