from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from theatre.services.limits import rate_limited

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", rate_limited("login")(auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_done")),
        name="password_change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"), name="password_done"),
    path("profile/", views.edit_profile, name="edit_profile"),
    path("api-token/", views.api_token, name="api_token"),
    path("friends/", views.friend_list, name="friends"),
    path("friends/requests/<int:request_id>/accept/", views.accept, name="accept"),
    path("friends/requests/<int:request_id>/decline/", views.decline, name="decline"),
    path("friends/<str:handle>/remove/", views.remove, name="remove"),
    path("u/<str:handle>/", views.profile, name="profile"),
    path("u/<str:handle>/picture", views.picture, name="picture"),
]
