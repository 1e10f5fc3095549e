from django.contrib import admin
from django.urls import include, path

from theatre.views import films, home, media


theatre_patterns = [
    path("", home.home, name="home"),
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
    path("s/<str:token>/", films.shared, name="shared"),
    path("s/<str:token>/video", media.shared_video, name="shared_video"),
    path("s/<str:token>/poster", media.shared_poster, name="shared_poster"),
    path("s/<str:token>/download", media.shared_download, name="shared_download"),
    path("avatars/<int:avatar_id>/media/<str:kind>", media.avatar_file, name="avatar_file"),
    path("avatars/<int:avatar_id>/frames/<int:frame_id>", media.avatar_frame, name="avatar_frame"),
]

urlpatterns = [
    path("", include((theatre_patterns, "theatre"))),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/rq/", include("django_rq.urls")),
    path("admin/", admin.site.urls),
]
