from django.contrib import admin
from django.urls import include, path

from theatre.web import api
from theatre.web.views import avatars, films, health, home, media, notifications, studio, verify


theatre_patterns = [
    # First: a share link gone viral is the busiest page, and Django tries the routes in order
    # (each one tried costs a match and an entry in the resolver's list of tried routes).
    path("s/<str:token>/", films.shared, name="shared"),
    path("s/<str:token>/video", media.shared_video, name="shared_video"),
    path("s/<str:token>/poster", media.shared_poster, name="shared_poster"),
    path("s/<str:token>/download", media.shared_download, name="shared_download"),
    path("", home.home, name="home"),
    path("avatars/", avatars.avatar_list, name="avatars"),
    path("avatars/new/", avatars.avatar_new, name="avatar_new"),
    path("avatars/<int:pk>/", avatars.avatar_detail, name="avatar"),
    path("avatars/<int:pk>/status/", avatars.avatar_status_json, name="avatar_status"),
    path("avatars/<int:pk>/settings/", avatars.avatar_settings, name="avatar_settings"),
    path("avatars/<int:pk>/voice-preview.wav", avatars.avatar_voice_preview, name="avatar_voice_preview"),
    path("avatars/<int:pk>/retry/", avatars.avatar_retry, name="avatar_retry"),
    path("avatars/<int:pk>/frames/<int:frame_id>/choose/", avatars.avatar_choose_frame, name="avatar_choose_frame"),
    path("avatars/<int:pk>/crop/", avatars.avatar_crop, name="avatar_crop"),
    path("avatars/<int:pk>/delete/", avatars.avatar_delete, name="avatar_delete"),
    path("avatars/<int:pk>/ask/", avatars.avatar_ask, name="avatar_ask"),
    path("templates/", studio.template_gallery, name="templates"),
    path("templates/<int:pk>/poster/", studio.template_poster, name="template_poster"),
    path("templates/<int:pk>/start/", studio.film_from_template, name="film_from_template"),
    path("films/new/", studio.film_from_prompt, name="film_from_prompt"),
    path("films/<int:pk>/edit/", studio.film_edit, name="film_edit"),
    path("films/<int:pk>/cast/<slug:role_key>/", studio.film_cast, name="film_cast"),
    path("films/<int:pk>/render/", studio.film_render, name="film_render"),
    path("films/<int:pk>/status/", studio.film_status_json, name="film_status"),
    path("films/<int:pk>/swap/", studio.swap, name="swap"),
    path("films/", films.my_films, name="films"),
    path("films/featuring-me/", films.featuring, name="featuring"),
    path("films/<int:film_id>/", films.film, name="film"),
    path("films/<int:film_id>/video", media.film_video, name="film_video"),
    path("films/<int:film_id>/poster", media.film_poster, name="film_poster"),
    path("films/<int:film_id>/download", media.film_download, name="film_download"),
    path("films/<int:film_id>/share/", films.create_share_link, name="share_create"),
    path("films/<int:film_id>/share/<int:link_id>/revoke/", films.revoke_share_link, name="share_revoke"),
    path("films/<int:film_id>/take-down/", films.take_down, name="take_down"),
    path("films/<int:film_id>/restore/", films.restore, name="restore"),
    path("avatars/<int:avatar_id>/media/<str:kind>", media.avatar_file, name="avatar_file"),
    path("avatars/<int:avatar_id>/frames/<int:frame_id>", media.avatar_frame, name="avatar_frame"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.mark_read, name="notifications_read"),
    path("use-requests/<int:request_id>/<str:answer>/", avatars.use_request_answer, name="use_request"),
    path("verify/", verify.verify, name="verify"),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/", api.urls()),
    path("", include((theatre_patterns, "theatre"))),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Django's own request limits (too many fields, too big a body) answer 400 through this.
handler400 = "theatre.web.views.errors.bad_request"
