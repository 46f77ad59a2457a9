from django.contrib.auth import views as auth_views
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from accounts.forms import SignInForm
from earlyhelp.access import PUBLIC


@method_decorator(never_cache, name="dispatch")
class SignInView(auth_views.LoginView):
    audience = PUBLIC
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    audience = PUBLIC
