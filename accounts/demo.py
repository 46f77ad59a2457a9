"""Named demo staff for development: one per role and hub, sharing a password and a TOTP secret.

Never for production: the password and secret are published in README.md.
"""

import base64

DEMO_PASSWORD = "early help demo password"  # noqa: S105 - published, development only
# Add this key to any authenticator app, or run `manage.py demo_code` for the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - published, development only
DEMO_TOTP_KEY_HEX = base64.b32decode(DEMO_TOTP_SECRET).hex()

DEMO_STAFF = [
    # email, first, last, role, agency, organisation, job title, managed hub slugs
    ("alice@school.example.org", "Alice", "Adams", "Practitioner", "school",
     "Hendon Primary School (demo)", "Designated safeguarding lead", []),
    ("bola@health.example.org", "Bola", "Bello", "Practitioner", "health_visiting",
     "Health visiting (demo)", "Health visitor", []),
    ("mo@barnet.example.org", "Mo", "Mensah", "Hub manager", "family_services",
     "Barnet Family Services (demo)", "West hub manager", ["west"]),
    ("nia@barnet.example.org", "Nia", "Njoku", "Hub manager", "family_services",
     "Barnet Family Services (demo)", "East/Central hub manager", ["east-central"]),
    ("sam@barnet.example.org", "Sam", "Shah", "Hub manager", "family_services",
     "Barnet Family Services (demo)", "South hub manager", ["south"]),
    ("ada@barnet.example.org", "Ada", "Akande", "Administrator", "family_services",
     "Barnet Family Services (demo)", "Early help systems administrator", []),
    ("pat@khulisa.example.org", "Pat", "Parker", "Provider editor", "voluntary",
     "Khulisa (demo)", "Programme coordinator", []),
    ("ravi@barnet.example.org", "Ravi", "Rao", "Performance analyst", "family_services",
     "Barnet Family Services (demo)", "Performance analyst", []),
]  # fmt: skip

# Another council's demo staff (#17): they sign in only at its address (hackney.localhost:8000).
DEMO_STAFF_OF = {
    "hackney": [
        ("hana@hackney.example.org", "Hana", "Hussain", "Practitioner", "school",
         "Hackney primary school (demo)", "Designated safeguarding lead", []),
        ("lev@hackney.example.org", "Lev", "Levy", "Hub manager", "family_services",
         "Hackney Children and Families (demo)", "North West hub manager", ["north-west"]),
        ("kemi@hackney.example.org", "Kemi", "Kolade", "Administrator", "family_services",
         "Hackney Children and Families (demo)", "Early help systems administrator", []),
    ],
}  # fmt: skip

# Provider editors edit their organisation's listings (by organisation key).
DEMO_PROVIDER_ORGANISATIONS = {"pat@khulisa.example.org": "khulisa"}
