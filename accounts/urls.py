from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-in/two-factor/", views.two_factor, name="two_factor"),
    path("sign-in/two-factor/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("manage/staff/", views.staff_list, name="staff"),
    path("manage/staff/invite/", views.invite, name="invite"),
    path("manage/staff/<int:pk>/", views.person, name="person"),
    path("manage/staff/<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path("manage/staff/<int:pk>/approve/", views.approve_invitation, name="approve_invitation"),
    path("manage/staff/<int:pk>/refuse/", views.refuse_invitation, name="refuse_invitation"),
    path("manage/staff/<int:pk>/reset-password/", views.reset_password, name="reset_password"),
    path(
        "manage/staff/<int:pk>/reset-authenticator/",
        views.reset_authenticator,
        name="reset_authenticator",
    ),
]
