from django.urls import path

from .consumers import ProgressConsumer

websocket_urlpatterns = [
    path("ws/<str:kind>/<int:pk>/", ProgressConsumer.as_asgi()),
]
