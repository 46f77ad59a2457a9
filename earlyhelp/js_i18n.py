"""The words GOV.UK Frontend's JavaScript writes on the page (the character count as you type,
"Exit this page"), in the page's language (#16). base.html puts them in a JSON block that
static/js/app.mjs passes to initAll().

GOV.UK Frontend picks a plural form by the page's lang with Intl.PluralRules (CLDR categories);
each category is filled from the catalogue with a number in it (Arabic: 0, 1, 2, 3, 11, 100), so
the translators' gettext plural forms serve both.
"""

from functools import cache

from django.utils.html import json_script
from django.utils.translation import gettext, ngettext, override

# A number in each CLDR plural category, for the languages here.
SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


def _by_category(message) -> dict[str, str]:
    """`message(n)` for a number in each plural category, with GOV.UK Frontend's placeholder
    for the number in place of gettext's."""
    return {
        category: message(number).replace("%(count)s", "%{count}")
        for category, number in SAMPLES.items()
    }


@cache
def messages(language: str) -> dict:
    with override(language):
        return {
            "characterCount": {
                "charactersUnderLimit": _by_category(
                    lambda n: ngettext(
                        "You have %(count)s character remaining",
                        "You have %(count)s characters remaining",
                        n,
                    )
                ),
                "charactersAtLimit": gettext("You have 0 characters remaining"),
                "charactersOverLimit": _by_category(
                    lambda n: ngettext(
                        "You have %(count)s character too many",
                        "You have %(count)s characters too many",
                        n,
                    )
                ),
                "textareaDescription": _by_category(
                    lambda n: ngettext(
                        "You can enter up to %(count)s character",
                        "You can enter up to %(count)s characters",
                        n,
                    )
                ),
            },
            "exitThisPage": {
                "activated": gettext("Loading."),
                "timedOut": gettext("Exit this page expired."),
                "pressTwoMoreTimes": gettext("Shift, press 2 more times to exit."),
                "pressOneMoreTime": gettext("Shift, press 1 more time to exit."),
            },
        }


@cache
def script(language: str) -> str:
    """The messages as base.html's JSON block, serialised once per language."""
    return json_script(messages(language), "app-i18n")
