"""People for tests: a user with a profile, made the way sign-up makes them."""

def make_user(handle, display_name=None, password="a-Long-pass-4-tests"):
    from django.contrib.auth import get_user_model

    from accounts.models import Profile

    user = get_user_model().objects.create_user(username=handle, password=password)
    Profile.objects.create(user=user, handle=handle, display_name=display_name or handle.title())
    return user
