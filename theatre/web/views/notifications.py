"""What people are told: requests to use their avatar, answers, their avatar used in a film."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST


@login_required
def notification_list(request):
    notifications = request.user.notifications.all()[:50]
    return render(request, "theatre/notifications.html", {"notifications": notifications})


@require_POST
@login_required
def mark_read(request):
    request.user.notifications.filter(read=False).update(read=True)
    return redirect("theatre:notifications")
