"""Roles are Django groups with model permissions; code checks permissions, never group names."""

PRACTITIONER = "Practitioner"
HUB_MANAGER = "Hub manager"
ADMINISTRATOR = "Administrator"
PROVIDER_EDITOR = "Provider editor"
PERFORMANCE_ANALYST = "Performance analyst"

# Keeping directory listings right: hub managers for their hubs' services and places.
LISTING_MANAGER = [
    "directory.view_service",
    "directory.add_service",
    "directory.change_service",
    "directory.publish_service",
    "directory.review_proposal",
    "directory.view_location",
    "directory.add_location",
    "directory.change_location",
    "directory.view_registration",
    "directory.change_registration",
    "directory.view_feedback",
    "directory.change_feedback",
]

# Permissions each role holds, as "app_label.codename".
ROLE_PERMISSIONS = {
    PRACTITIONER: ["referrals.add_assessment", "referrals.view_episode"],
    HUB_MANAGER: [
        "hubs.view_coveragegap",
        "hubs.view_coveragerule",
        "referrals.add_assessment",
        "referrals.triage_supportrequest",
        "referrals.view_episode",
        "referrals.add_episode",
        "referrals.merge_child",
        "reports.view_reports",
        *LISTING_MANAGER,
    ],
    # A voluntary or community organisation's editor: proposes changes to its own services.
    PROVIDER_EDITOR: [
        "directory.view_service",
        "directory.add_service",
        "directory.propose_change_service",
        "referrals.respond_connectionrequest",
    ],
    # Figures for every hub, returns and exports; no case pages at all.
    PERFORMANCE_ANALYST: [
        "reports.view_reports",
        "reports.view_every_hub_report",
        "reports.export_returns",
    ],
    ADMINISTRATOR: [
        *LISTING_MANAGER,
        "directory.manage_every_service",
        "referrals.view_episode",
        "referrals.add_episode",
        "referrals.view_every_episode",
        "referrals.merge_child",
        "reports.view_reports",
        "reports.view_every_hub_report",
        "reports.export_returns",
        "accounts.invite_user",
        "privacy.view_rightsrequest",
        "privacy.add_rightsrequest",
        "privacy.change_rightsrequest",
        "referrals.add_assessment",
        "referrals.triage_supportrequest",
        "referrals.view_every_supportrequest",
        "hubs.view_coveragegap",
        "hubs.view_coveragerule",
        "hubs.add_coveragerule",
        "hubs.change_coveragerule",
        "hubs.delete_coveragerule",
        "hubs.view_hub",
        "hubs.change_hub",
    ],
}
