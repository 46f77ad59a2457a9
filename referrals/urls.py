from django.urls import path

from referrals import episode_views as taf
from referrals import record_views as record
from referrals import views

app_name = "referrals"

A = "assessments/<uuid:pk>/"
E = "episodes/<uuid:pk>/"
urlpatterns = [
    # Practitioners
    path("assessments/", views.my_assessments, name="my_assessments"),
    path("assessments/check-family/", views.family_lookup, name="family_lookup"),
    path("assessments/new/", views.safeguarding_screen, name="new"),
    path("assessments/new/child-at-risk/", views.urgent, name="urgent"),
    path(A, views.task_list, name="task_list"),
    path(A + "about-you/", views.about_you, name="about_you"),
    path(A + "family/", views.family, name="family"),
    path(A + "family/people/", views.people, name="people"),
    path(A + "family/people/add/", views.person, name="add_person"),
    path(A + "family/people/<uuid:person_pk>/", views.person, name="change_person"),
    path(A + "family/people/<uuid:person_pk>/remove/", views.remove_person, name="remove_person"),
    path(A + "children/", views.children, name="children"),
    path(A + "children/details/", views.children_details, name="children_details"),
    path(A + "children/<uuid:person_pk>/details/", views.child_details, name="child_details"),
    path(A + "professionals/", views.professionals, name="professionals"),
    path(A + "professionals/add/", views.add_professional, name="add_professional"),
    path(
        A + "professionals/<uuid:professional_pk>/remove/",
        views.remove_professional,
        name="remove_professional",
    ),
    path(A + "consent/", views.consent, name="consent"),
    path(A + "consent/<uuid:person_pk>/", views.consent_for, name="consent_for"),
    path(A + "needs/", views.needs, name="needs"),
    path(A + "signs-of-safety/", views.signs_of_safety, name="signs_of_safety"),
    path(A + "voices/", views.voices, name="voices"),
    path(A + "check/", views.check_answers, name="check"),
    path(A + "sent/", views.sent, name="sent"),
    path("requests/<uuid:pk>/", views.summary, name="summary"),
    # Hub managers
    path("front-door/", views.front_door, name="front_door"),
    path("front-door/needs-a-hub/", views.unrouted, name="unrouted"),
    path("front-door/<uuid:pk>/", views.triage, name="triage"),
    path("hub/<slug:slug>/queue/", views.queue, name="queue"),
    # Parents and carers
    path("ask-for-help/", views.ask_for_help, name="ask_for_help"),
    path("ask-for-help/check/", views.ask_for_help_check, name="ask_for_help_check"),
    path("ask-for-help/sent/", views.ask_for_help_sent, name="ask_for_help_sent"),
    path("ask-for-help/<slug:step>/", views.ask_for_help, name="ask_for_help_step"),
    # Team Around the Family
    path("episodes/", taf.caseload, name="caseload"),
    path(E, taf.episode_detail, name="episode"),
    path(E + "team/", taf.team, name="team"),
    path(E + "team/<uuid:member_pk>/remove/", taf.remove_member, name="remove_member"),
    path(E + "lead/", taf.hand_over, name="hand_over"),
    path(E + "plan/outcomes/add/", taf.add_outcome, name="add_outcome"),
    path(E + "plan/actions/add/", taf.add_action, name="add_action"),
    path(E + "plan/actions/<uuid:action_pk>/", taf.action_detail, name="action"),
    path(E + "plan/actions/<uuid:action_pk>/connect/", taf.connect, name="connect"),
    path(E + "plan/print/", taf.plan_print, name="plan_print"),
    path(E + "meetings/add/", taf.add_meeting, name="add_meeting"),
    path(E + "meetings/<uuid:meeting_pk>/", taf.meeting_detail, name="meeting"),
    path(E + "close/", taf.close_episode, name="close_episode"),
    path(E + "close/sign-off/", taf.sign_off, name="sign_off"),
    path(E + "mash-outcome/", taf.mash_outcome, name="mash_outcome"),
    path(E + "feedback/", taf.feedback, name="feedback"),
    path(E + "outcomes/<uuid:outcome_pk>/sustained/", taf.sustained, name="sustained"),
    path(E + "claim/", taf.claim, name="claim"),
    path(E + "assessment/start/", taf.start_assessment, name="start_episode_assessment"),
    path(E + "assessments/<uuid:assessment_pk>/", taf.episode_assessment, name="episode_eha"),
    path("feedback/<str:token>/", taf.family_feedback, name="family_feedback"),
    path(E + "step-up/", taf.step_up, name="step_up"),
    path("hub/<slug:slug>/episodes/", taf.hub_episodes, name="hub_episodes"),
    path("hub/<slug:slug>/step-down/", record.step_down, name="step_down"),
    # The family record
    path("hub/<slug:slug>/contacts/new/", record.record_contact, name="record_contact"),
    path("front-door/<uuid:pk>/children/", record.contact_children, name="contact_children"),
    path("children/<uuid:pk>/", record.child_record, name="child"),
    path("children/<uuid:pk>/merge/", record.merge_child, name="merge_child"),
    path("children/<uuid:pk>/legal-hold/", record.legal_hold, name="legal_hold"),
    path("children/merges/<uuid:pk>/undo/", record.undo_merge, name="undo_merge"),
    path("connections/", taf.connection_list, name="connections"),
    path("connections/<uuid:pk>/", taf.connection_detail, name="connection"),
]
