from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import InviteForm, SetPasswordForm, SignInForm, TwoFactorForm
from accounts.models import User
from earlyhelp import audit
from earlyhelp.access import PUBLIC, permission, posted, signing_in


@method_decorator(never_cache, name="dispatch")
class SignInView(auth_views.LoginView):
    audience = PUBLIC
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = False

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_verified():
            return redirect(self.get_redirect_url() or reverse("home"))
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        """Every sign-in goes on to the two-factor step, keeping where the person was going."""
        url = reverse("accounts:two_factor")
        if next_url := self.get_redirect_url():
            url += "?" + urlencode({"next": next_url})
        return url


class SignOutView(auth_views.LogoutView):
    audience = PUBLIC


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("staff_home")  # staff land on their own work, not the parents' home page


ENROLMENT_KEY = "may_set_up_authenticator"


def _may_enrol(request: HttpRequest) -> bool:
    """Only in the session that came through the emailed set-password link."""
    return request.session.get(ENROLMENT_KEY) == request.user.pk


def _device_for(user: User) -> TOTPDevice:
    """The person's authenticator: their confirmed one, or a new one waiting to be set up."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@signing_in
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in; the first time, setting up an authenticator app."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    enrolled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if not enrolled and not _may_enrol(request):
        return render(request, "accounts/two_factor_needs_link.html")
    device = _device_for(request.user)
    form = TwoFactorForm(posted(request), device=device)
    if request.method == "POST" and form.is_valid():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.pop(ENROLMENT_KEY, None)
            audit.record(request, "user.two_factor_set_up", request.user)
        otp_login(request, device)
        return redirect(_safe_next(request))
    secret = "" if device.confirmed else b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "setting_up": not device.confirmed,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": _safe_next(request),
        },
    )


@signing_in
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of a new authenticator's secret (only before it is confirmed)."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.user.is_verified() or not _may_enrol(request):
        return HttpResponse(status=404)
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)
    return HttpResponse(svg, content_type="image/svg+xml")


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link in an invitation: choose a password, then sign in and set up two-factor."""

    audience = PUBLIC
    template_name = "accounts/set_password.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:sign_in")
    post_reset_login = False

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "invitation_days": settings.INVITATION_VALID_DAYS,
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        # Setting up an authenticator needs this link as well as the password: whoever learns
        # a password alone never sees the secret (signing in keeps this session's data).
        self.request.session[ENROLMENT_KEY] = form.user.pk
        audit.record(self.request, "user.password_set", form.user, user=form.user)
        messages.success(self.request, "Your password is set. Sign in to continue.")
        return response


@permission("accounts.invite_user")
def staff_list(request: HttpRequest) -> HttpResponse:
    people = (
        _staff_of(request)
        .select_related("invited_by")
        .prefetch_related("groups", "managed_hubs")
        .order_by("first_name", "last_name")
    )
    waiting = [person for person in people if person.awaiting_approval and person.is_active]
    return render(request, "accounts/staff_list.html", {"people": people, "waiting": waiting})


@permission("accounts.invite_user")
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name] for name in form.Meta.fields if name != "managed_hubs"
        }
        user = services.invite_user(
            data=data,
            role=form.cleaned_data["role"],
            managed_hubs=form.cleaned_data["managed_hubs"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"Invitation sent to {user.email}")
        return redirect("accounts:staff")
    return render(request, "accounts/invite.html", {"form": form})


@permission("accounts.invite_user")
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One member of staff: approve or refuse a waiting invitation, reset their password or
    authenticator app."""
    user = get_object_or_404(
        _staff_of(request).select_related("invited_by").prefetch_related("groups", "managed_hubs"),
        pk=pk,
    )
    audit.record(request, "user.viewed", user)
    return render(
        request,
        "accounts/person.html",
        {
            "person": user,
            "has_authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        },
    )


def _act_on(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    user = get_object_or_404(_staff_of(request), pk=pk, is_active=True)
    if user == request.user:
        messages.error(request, "Ask another administrator to reset your own sign-in")
    else:
        action(user, by=request.user, request=request)
        messages.success(request, done.format(email=user.email))
    return redirect("accounts:person", user.pk)


@permission("accounts.invite_user")
@require_POST
def approve_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(_staff_of(request), pk=pk, is_active=True, awaiting_approval=True)
    return _act_on(request, user.pk, services.approve_invitation, "Invitation sent to {email}")


@permission("accounts.invite_user")
@require_POST
def refuse_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(_staff_of(request), pk=pk, is_active=True, awaiting_approval=True)
    return _act_on(
        request, user.pk, services.refuse_invitation, "The account for {email} is switched off"
    )


@permission("accounts.invite_user")
@require_POST
def reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    return _act_on(
        request,
        pk,
        services.reset_password,
        "Password reset: {email} has been emailed a link to choose a new one",
    )


@permission("accounts.invite_user")
@require_POST
def reset_authenticator(request: HttpRequest, pk: int) -> HttpResponse:
    return _act_on(
        request,
        pk,
        services.reset_authenticator,
        "Authenticator reset: {email} has been emailed a link to choose a new password, then "
        "set up their authenticator app again",
    )


@permission("accounts.invite_user")
@require_POST
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(_staff_of(request), pk=pk, is_active=True)
    if user.has_usable_password():
        messages.error(request, f"{user.email} has already set a password")
    elif user.awaiting_approval:
        messages.error(request, f"Approve the account for {user.email} first")
    else:
        services.send_invitation(user, request=request)
        messages.success(request, f"Invitation sent again to {user.email}")
    return redirect("accounts:staff")


def _staff_of(request):
    """The staff of the request's council: an administrator administers one council (#17)."""
    return User.objects.filter(council=request.council)
