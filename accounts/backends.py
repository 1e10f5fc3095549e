"""How a log-in becomes a user on each request."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

UserModel = get_user_model()


class ProfileBackend(ModelBackend):
    """Django's ModelBackend, loading the person's profile with the user: every logged-in page
    shows their handle in the top bar, so this is one query fewer on each of them."""

    def get_user(self, user_id):
        user = UserModel._default_manager.select_related("profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
