"""The DfE family hubs taxonomy's names, for the translation catalogues (#16).

Written by `manage.py taxonomy_messages` (`make messages`) from data/*/directory.json: do not
edit by hand. Nothing imports this module; makemessages reads it.
"""

from django.utils.translation import gettext_noop

NAMES = [
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Activities"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Activities, clubs and groups"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Autistic Spectrum Disorder (ASD)"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Before and after school clubs"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Birth registration"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Breaks and respite"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Bullying and cyber bullying"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Community transport"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Debt and welfare advice"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Domestic abuse"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Early years language and learning"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Early years support"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Family support"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Groups for parents and carers of children with SEND"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Health"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Health visiting"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Hearing and sight"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Hearing impairment"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Holiday clubs and schemes"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Infant feeding support (including breastfeeding)"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Intensive targeted family support"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Learning difficulties and disabilities"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Mental health, social and emotional support"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Midwife and maternity"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Money, benefits and housing"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Multi-sensory impairment"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Music, arts and dance"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Nutrition and weight management"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Oral health"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Other difficulties or disabilities"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Parent, baby and toddler groups"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Parenting support"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Perinatal mental health support (pregnancy to one year post birth)"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Physical disabilities"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Pre-school playgroup"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Pregnancy, birth and early years"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Public health services"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Reducing parental conflict"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Separating and separated parent support"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Social, emotional and mental health support"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Special educational needs and disabilities (SEND) support"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Speech, language and communication needs"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Sports and recreation"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Stopping smoking"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Substance misuse (including alcohol and drug)"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Targeted youth support"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Transport"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Visual impairment"),
    # Translators: a category of support (DfE family hubs taxonomy).
    gettext_noop("Youth justice services"),
]
