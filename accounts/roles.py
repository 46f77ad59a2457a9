"""Roles are Django groups with model permissions; code checks permissions, never group names."""

PRACTITIONER = "Practitioner"
HUB_MANAGER = "Hub manager"
ADMINISTRATOR = "Administrator"

# Permissions each role holds, as "app_label.codename".
ROLE_PERMISSIONS = {
    PRACTITIONER: ["referrals.add_assessment"],
    HUB_MANAGER: [
        "hubs.view_coveragegap",
        "hubs.view_coveragerule",
        "referrals.add_assessment",
        "referrals.triage_supportrequest",
    ],
    ADMINISTRATOR: [
        "accounts.invite_user",
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
