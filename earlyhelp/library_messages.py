"""Messages the libraries' own templates show, for the translation catalogues (#16).

crispy-forms-gds draws GOV.UK's character count hint with an untrimmed {% blocktrans %}, so its
message is the text with the template's whitespace around it; listed here as it is (the
catalogues translate it like any other). tests/earlyhelp/test_translated_pages.py renders a page
with the hint in each language, so a library upgrade that changes the text is noticed.
Nothing imports this module; makemessages reads it.
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    # Translators: under a text box (crispy-forms-gds); keep %(max_characters)s.
    gettext_noop(
        "\n              You can enter up to %(max_characters)s characters\n              "
    ),
]
