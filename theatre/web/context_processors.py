def unread_notifications(request):
    """The count on the bell in the top bar, one cheap query for logged-in pages."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_notifications": user.notifications.filter(read=False).count()}
