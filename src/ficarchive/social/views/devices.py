"""Preferences: the keys a reader's e-readers log in with to keep their place in sync."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.social.actions import devices as actions
from ficarchive.social.models import ReadingDevice


class DeviceForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Device name"),
        max_length=actions.MAX_NAME,
        help_text=gettext_lazy("So that you know which key is which, e.g. “Kobo Clara”."),
    )


@login_required
def devices(request: AuthedRequest) -> HttpResponse:
    form = DeviceForm(request.POST if request.method == "POST" else None)
    key = None
    status = 200
    if form.is_valid():
        try:
            _device, key = actions.create_device(request.user, form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name", exc.message_dict.get("name", exc.messages))
        else:
            form = DeviceForm()
    if form.is_bound and form.errors:
        status = 400
    context = {
        "form": form,
        "key": key,
        "devices": ReadingDevice.objects.filter(user=request.user),
        "server": request.build_absolute_uri(reverse("social:kosync_root")).rstrip("/"),
    }
    return render(request, "social/devices.html", context, status=status)


@require_POST
@login_required
def remove_device(request: AuthedRequest, device_id: int) -> HttpResponse:
    device = get_object_or_404(ReadingDevice.objects.filter(user=request.user), pk=device_id)
    actions.remove_device(request.user, device)
    messages.success(request, _("The device's key no longer works."))
    return redirect("social:devices")
