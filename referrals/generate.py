"""Sample case data over the past two years, for development, demonstrations and reports:
``manage.py generate_caseload --families N --seed S``. Never made in production.

What is made
    N households, each with its adults and children, coming to the front door one to three times:
    an early help assessment, a parent's own request, a step-down from children's social care, a
    MASH step-across or a phone call. Each contact is recorded as a Family with its People (each
    child linked to their lasting Child record) at a real Barnet postcode, routed to the hub the
    coverage rules give. Front door decisions follow the service's rules (one per version of the
    request, 0-4 working days after it arrived, some late); an allocation opens an episode with
    its team, plan, meetings and reviews; an episode that has run its course is closed, with
    results, sustainment checks, Supporting Families claims and the family's feedback. A child seen
    again within RE_REFERRAL_MONTHS of an episode closing is a re-referral
    (SupportRequest.previous_episode), as ``records.previous_episode_for_contact`` would find.

Marked as sample
    Household, Child, SupportRequest and Episode have ``is_sample`` set; every other row made here
    hangs off one of them. Staff made for it have ``@sample.invalid`` emails and "Sample ..." job
    titles. Phone numbers are Ofcom's drama ranges and emails use example.com, so none reaches
    anyone.

Once per seed
    The first household's id is derived from the seed (``marker_id``). A second run with the same
    seed finds it and makes nothing (whatever --families says), and two runs at once cannot both
    write it: the second fails on the primary key and its transaction rolls back. Every other id
    and choice comes from ``random.Random(seed)``, so a seed always tells the same story, moved
    to end today.

Small runs have every kind
    The first households' first contacts go through every route, and the first closures through
    every closure reason (``_Deck``); the first six households' episodes are old enough to have
    closed, and the first two are re-referred, so 30 families show every case a report needs.

Fast
    Everything is built in memory and written with bulk_create in one transaction. Child and
    household numbers and references come from their sequences in one query each; references
    carry the year the contact arrived, as ``services.next_reference(on=...)`` makes them. The
    auto_now fields are switched off while writing so rows
    keep their dates in the past.
"""

import hashlib
import random
import unicodedata
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts import roles
from accounts.models import Agency, User
from hubs import councils
from hubs.models import CoverageRule, Hub, Postcode
from referrals.framework import framework
from referrals.identifiers import make_nhs_number, make_upn
from referrals.models import (
    Action,
    Assessment,
    AssessmentNeed,
    Child,
    Consent,
    Decision,
    Episode,
    EpisodeEvent,
    Family,
    FamilyFeedback,
    FamilyRequest,
    Household,
    Meeting,
    NeedArea,
    Outcome,
    OutcomeProgress,
    Person,
    RecordedContact,
    Source,
    SupportRequest,
    TeamMember,
)
from referrals.services import SECTIONS, SOURCE_BY_AGENCY
from referrals.workingdays import add_working_days, is_working_day

SAMPLE_DOMAIN = "sample.invalid"
# Fewer practitioners than this and the sample staff below are made to carry the caseload.
HANDFUL = 5
# The first households are scripted: old enough to be allocated, worked with and closed.
SCRIPTED = 6
RE_REFERRED = 2
BARNET_LA_NUMBER = 302  # the DfE's LA number, the first digits of a Barnet UPN
Kind = SupportRequest.Kind
Reason = Episode.ClosureReason


def marker_id(seed: int) -> uuid.UUID:
    """The id of the first household a seed makes: its presence means the seed has run."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://earlyhelp.invalid/sample-caseload/{seed}")


# --- Names and languages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a family's names and home language come from, and the DfE ethnicity codes their
    children are most often recorded with. Names come from the lists given, else from a Faker
    locale (Latin-script locales only: records are typed in English)."""

    weight: float
    codes: dict[str, float]
    languages: dict[str, float]
    girls: tuple[str, ...] = ()
    boys: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    locale: str = ""


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ENGLISH = {"English": 1.0}
# A rough picture of families in Barnet (the borough with the largest Jewish, Romanian and
# Greek Cypriot communities in London among others), not a census.
ORIGINS: dict[str, Origin] = {
    "british": Origin(22, {"WBRI": 1}, ENGLISH, _names(
        "Olivia Amelia Isla Ava Freya Lily Florence Grace Evie Poppy Sophia Ella Rosie Ivy "
        "Millie Daisy Harper Matilda Willow Phoebe Zoë Chloë Esmé Renée Maisie Ruby Emily "
        "Holly Megan Lucy Charlotte Amber Mia Leah Erin Katie Summer Skye"), _names(
        "Oliver Noah George Leo Arthur Harry Oscar Archie Jack Charlie Freddie Theo Alfie "
        "Jacob Thomas Finley Joshua Riley Louie Reggie Tommy Teddy Max Ethan Jayden Kai Mason "
        "Tyler Callum Lewis Dylan Ryan Connor Liam Jamie Kieran Zac"), locale="en_GB"),
    "jewish": Origin(5, {"WBRI": 0.6, "WOTH": 0.4},
                     {"English": 0.8, "Hebrew": 0.1, "Yiddish": 0.1}, _names(
        "Chaya Rivka Miriam Esther Leah Shira Tamar Yael Rachel Sarah Avigail Devorah Malka "
        "Chana Naomi Talia Noa Maya"), _names(
        "Moshe Yosef David Aaron Eli Noam Yehuda Shmuel Ariel Benjamin Daniel Menachem "
        "Yitzchak Nathan Jacob Asher Gabriel Reuben"), _names(
        "Cohen Levy Goldberg Friedman Rosenberg Klein Schwartz Katz Stern Shapiro Gold Jacobs "
        "Abrahams Myers Salomon Weiss Berger Grünfeld Rubin Freedman Lerner")),
    "irish": Origin(1.5, {"WIRI": 1}, ENGLISH, locale="en_IE"),
    "traveller": Origin(0.4, {"WIRT": 1}, ENGLISH, _names(
        "Bridget Margaret Kathleen Mary Shannon Chelsea Tiffany Bernadette Winnie"), _names(
        "Patrick Michael John Martin Thomas Jimmy Johnny Francis Edward"), _names(
        "Ward Connors McDonagh Joyce Doherty Maughan Quilligan Delaney Cash")),
    "polish": Origin(3, {"WOTH": 1}, {"Polish": 0.75, "English": 0.25}, locale="pl_PL"),
    "romanian": Origin(5, {"WOTH": 1}, {"Romanian": 0.85, "English": 0.15}, locale="ro_RO"),
    "roma": Origin(1.2, {"WROM": 1}, {"Romanian": 0.6, "Romani": 0.3, "English": 0.1},
                   locale="ro_RO"),
    "hungarian": Origin(0.7, {"WOTH": 1}, {"Hungarian": 0.8, "English": 0.2}, locale="hu_HU"),
    "italian": Origin(0.9, {"WOTH": 1}, {"Italian": 0.6, "English": 0.4}, locale="it_IT"),
    "portuguese": Origin(1.1, {"WOTH": 1}, {"Portuguese": 0.7, "English": 0.3}, locale="pt_PT"),
    "spanish": Origin(0.7, {"WOTH": 1}, {"Spanish": 0.6, "English": 0.4}, locale="es_ES"),
    "french": Origin(0.4, {"WOTH": 1}, {"French": 0.6, "English": 0.4}, locale="fr_FR"),
    "greek": Origin(2, {"WOTH": 1}, {"Greek": 0.35, "English": 0.65}, _names(
        "Eleni Maria Christina Sofia Georgia Katerina Androulla Despina Anastasia Zoe Irene"),
        _names("Andreas Nikos Christos Georgios Costas Michalis Panayiotis Stelios Yiannis "
               "Marios Alexandros"), _names(
        "Georgiou Christodoulou Constantinou Papadopoulos Ioannou Charalambous Nicolaou "
        "Demetriou Antoniou Hadjipanayi Kyriacou Savva")),
    "albanian": Origin(1.5, {"WOTH": 1}, {"Albanian": 0.8, "English": 0.2}, _names(
        "Arta Besa Drita Elira Jehona Lirie Teuta Era Rina Ajla Blerta"), _names(
        "Arben Besnik Dritan Endrit Erion Gëzim Ilir Luan Ardit Kujtim Dardan"), _names(
        "Hoxha Krasniqi Berisha Gashi Shehu Kelmendi Morina Dervishi Bajrami Rama Çela")),
    "turkish": Origin(2, {"WOTH": 0.5, "OOTH": 0.5}, {"Turkish": 0.75, "English": 0.25}, _names(
        "Elif Zeynep Ayşe Fatma Merve Büşra Ecrin Defne Nisa Şeyma Ela Asya"), _names(
        "Mehmet Mustafa Emir Yusuf Ömer Eren Burak Kerem Can Serhat Çağan Kaan"), _names(
        "Yılmaz Kaya Demir Çelik Şahin Yıldız Aydın Öztürk Arslan Doğan Kılıç Aslan")),
    "kurdish": Origin(1, {"OOTH": 0.7, "WOTH": 0.3},
                      {"Kurdish": 0.7, "Turkish": 0.1, "Arabic": 0.1, "English": 0.1}, _names(
        "Rojda Berfin Jiyan Hêvî Zozan Dilan Avesta Nazdar Rojin"), _names(
        "Baran Rojhat Azad Dilovan Hogir Serdar Karwan Shwan Rêbîn"), _names(
        "Amedi Barzani Kurdi Zebari Mahmoud Hawrami Rashid Doski Xelîl")),
    "indian": Origin(6, {"AIND": 1},
                     {"English": 0.5, "Gujarati": 0.2, "Punjabi": 0.12, "Hindi": 0.1,
                      "Tamil": 0.08}, _names(
        "Priya Ananya Diya Aanya Kavya Riya Simran Harleen Navneet Meera Anika Ishani "
        "Jaspreet Nisha Pooja Divya Saanvi"), _names(
        "Arjun Aarav Rohan Vikram Dev Ishaan Karan Rahul Harjit Gurpreet Amit Sanjay Nikhil "
        "Ravi Jai Krish Vihaan"), _names(
        "Patel Shah Sharma Singh Kaur Gill Mehta Desai Joshi Kumar Gupta Sandhu Chauhan "
        "Pillai Iyer Naidu Parmar Mistry")),
    "pakistani": Origin(2, {"APKN": 1}, {"English": 0.5, "Urdu": 0.35, "Punjabi": 0.15}, _names(
        "Aisha Maryam Zainab Hafsa Ayesha Sana Iqra Amna Hira Mahnoor Noor Anaya"), _names(
        "Muhammad Ali Hamza Ibrahim Bilal Usman Zain Hassan Ayaan Imran Omar Rayyan"), _names(
        "Khan Hussain Ahmed Akhtar Iqbal Malik Butt Raja Chaudhry Qureshi Mahmood Riaz")),
    "bangladeshi": Origin(1, {"ABAN": 1},
                          {"Bengali": 0.45, "Sylheti": 0.2, "English": 0.35}, _names(
        "Fatima Tasnim Sumaiya Nusrat Ruksana Jannat Sadia Farzana Ayesha Tahmina"), _names(
        "Abdul Mohammed Rahim Sabbir Tanvir Ismail Rayhan Arif Yusuf Shahid"), _names(
        "Begum Miah Uddin Rahman Islam Ali Hoque Chowdhury Ahmed Khatun")),
    "tamil": Origin(1.2, {"AOTH": 1}, {"Tamil": 0.7, "English": 0.3}, _names(
        "Tharshika Nila Kavitha Abirami Thulasi Janani Mathumitha Sangeetha"), _names(
        "Tharun Kajan Sivakumar Nirushan Kirushanth Thanushan Aravinth Pirasanth"), _names(
        "Sivakumar Tharmalingam Kanagaratnam Sivanathan Rajendran Yogarajah Balasingam")),
    "afghan": Origin(1.5, {"AOTH": 0.7, "OOTH": 0.3},
                     {"Dari": 0.5, "Pashto": 0.4, "English": 0.1}, _names(
        "Mariam Parwana Shabnam Zarghona Fereshta Madina Laila Hasina Nazia"), _names(
        "Ahmad Farid Mustafa Hamid Wahid Zabiullah Rahmatullah Sohail Jawid"), _names(
        "Ahmadzai Popal Hakimi Sultani Karimi Noori Stanikzai Safi Rahimi")),
    "nepali": Origin(0.4, {"AOTH": 1}, {"Nepali": 0.7, "English": 0.3}, _names(
        "Sita Anjali Srijana Pratima Sunita Asmita Binita"), _names(
        "Bikash Suman Prakash Rajesh Dipesh Sagar Anish"), _names(
        "Gurung Thapa Rai Limbu Magar Tamang Shrestha")),
    "filipino": Origin(0.6, {"AOTH": 1}, {"Tagalog": 0.5, "English": 0.5}, _names(
        "Maricel Angel Princess Joy Kristine Jasmine Rowena Mae"), _names(
        "Jomar Mark Jose Rommel Paolo Carlo Angelo Jericho"), _names(
        "Santos Reyes Cruz Bautista Garcia Mendoza Villanueva Ramos")),
    "chinese": Origin(1.5, {"CHNE": 1},
                      {"Cantonese": 0.35, "Mandarin": 0.4, "English": 0.25}, _names(
        "Mei Xin Yan Jia Ling Hui Ying Chloe Grace Yu"), _names(
        "Wei Jun Hao Ming Jian Kai Ethan Ryan Zhi Yi"), _names(
        "Wang Li Zhang Chen Liu Wong Chan Lam Cheung Ho Lin Huang")),
    "nigerian": Origin(4, {"BAFR": 1}, {"English": 0.8, "Yoruba": 0.12, "Igbo": 0.08}, _names(
        "Adaeze Chiamaka Ifeoma Temitope Folake Oluwaseun Ebunoluwa Precious Blessing Favour "
        "Tolu Ngozi Adenike"), _names(
        "Chinedu Emeka Oluwadamilare Tobi Ayomide David Daniel Samuel Femi Tunde Ikenna "
        "Joshua Chidi"), _names(
        "Okafor Adeyemi Okonkwo Oladipo Eze Balogun Adebayo Nwosu Ogunleye Chukwu Afolabi "
        "Okeke Adewale")),
    "ghanaian": Origin(1.5, {"BAFR": 1}, {"English": 0.8, "Twi": 0.2}, _names(
        "Abena Akosua Ama Efua Adwoa Esi Akua Afia"), _names(
        "Kwame Kofi Kwabena Yaw Kojo Kwesi Kwaku Nana"), _names(
        "Mensah Owusu Boateng Asante Osei Appiah Agyeman Darko Addo")),
    "somali": Origin(2.5, {"BAFR": 0.9, "BOTH": 0.1}, {"Somali": 0.85, "English": 0.15}, _names(
        "Hodan Ayaan Fadumo Hibo Ifrah Sagal Nimco Ladan Hamdi Sahra"), _names(
        "Abdirahman Mohamed Abdi Hassan Liban Mahad Yusuf Khalid Abdullahi Zakariye"), _names(
        "Mohamed Ahmed Hassan Ali Abdi Omar Warsame Farah Jama Osman Hussein Aden")),
    "eritrean": Origin(1, {"BAFR": 0.8, "BOTH": 0.2}, {"Tigrinya": 0.85, "English": 0.15},
                       _names("Selam Helen Senait Yohana Mebrat Luwam Saba Winta"), _names(
        "Yonas Dawit Samuel Filmon Robel Tesfay Eyob Henok"), _names(
        "Tesfamariam Gebremedhin Haile Tekle Berhane Kidane Mehari Ghebreyesus")),
    "congolese": Origin(0.8, {"BAFR": 1}, {"French": 0.6, "Lingala": 0.3, "English": 0.1},
                        _names("Grâce Merveille Divine Exaucée Bénie Esther Gloire Naomie"),
                        _names("Jérémie Christian Patrick Glody Héritier Benjamin Josué Exaucé"),
                        _names("Mbala Kabongo Tshibangu Lukusa Mputu Ilunga Kalonji Nsimba")),
    "caribbean": Origin(2.5, {"BCRB": 0.85, "BOTH": 0.15}, ENGLISH, _names(
        "Shanice Tia Jada Kiara Aaliyah Nia Imani Maya Tiana Keisha Renée"), _names(
        "Jaden Marcus Kai Jermaine Andre Malachi Isaiah Elijah Xavier Tyrone Levi"), _names(
        "Campbell Brown Williams Thompson Clarke Robinson Francis Gordon Grant Bailey Morgan "
        "Henry Reid")),
    "mixed": Origin(8, {"MWBC": 0.28, "MWBA": 0.25, "MWAS": 0.25, "MOTH": 0.22},
                    {"English": 0.9, "French": 0.03, "Portuguese": 0.03, "Arabic": 0.04}, _names(
        "Amelia Isla Aaliyah Nia Maya Layla Zara Imani Ava Sienna Zoë Amara Eva Naomi"), _names(
        "Noah Elijah Kai Malachi Zayn Isaac Leo Tobi Ezra Micah Jayden Reuben Omar"),
        locale="en_GB"),
    "arab": Origin(4, {"OOTH": 1}, {"Arabic": 0.8, "English": 0.2}, _names(
        "Fatima Noor Layla Maryam Rania Hana Amira Yasmin Salma Lina Zahra Jana"), _names(
        "Ahmed Omar Youssef Karim Ali Hussein Mustafa Adam Hamza Khalid Ibrahim Tariq"), _names(
        "Al-Sayed Hassan Abdullah Al-Amin Haddad Khalil Mansour Saleh Nasser Al-Jaber Said "
        "Darwish")),
    "iranian": Origin(2.5, {"OOTH": 0.6, "AOTH": 0.4}, {"Farsi": 0.8, "English": 0.2}, _names(
        "Parisa Shirin Nazanin Roya Setareh Yasaman Ava Darya Niloufar"), _names(
        "Arash Dariush Kian Reza Amir Babak Aryan Sina Kourosh"), _names(
        "Ahmadi Hosseini Karimi Rahimi Mohammadi Rezaei Tehrani Jafari Moradi")),
    "brazilian": Origin(1, {"OOTH": 0.5, "WOTH": 0.3, "MOTH": 0.2},
                        {"Portuguese": 0.8, "English": 0.2}, locale="pt_BR"),
    "latin_american": Origin(0.8, {"OOTH": 0.6, "WOTH": 0.4}, {"Spanish": 0.8, "English": 0.2},
                             locale="es_ES"),
}  # fmt: skip

# Fictional school names (a child's real school is not the point of sample data).
SCHOOL_NAMES = _names(
    "Oakwood Hazelbury Cedar Woodside Brookfield Hollybush Larkswood Fernhill Ashgrove "
    "Meadowbank Rowan Willowbrook Beechcroft Elmhurst Kingsmead Silverdale Thornfield Lindenfield"
)
STREET_ENDINGS = ("Road", "Avenue", "Close", "Gardens", "Way", "Court", "Lane", "Drive", "Crescent")


@cache
def _faker_names(locale: str) -> dict[str, tuple[str, ...]]:
    """Name lists from a Faker locale, drawn once with a fixed seed and sorted, so a run's names
    depend only on its own seed."""
    from faker import Faker  # a development dependency (factory_boy's)

    fake = Faker(locale)
    fake.seed_instance(2026)

    def draw(method: str, count: int) -> tuple[str, ...]:
        return tuple(sorted({getattr(fake, method)() for _ in range(count)}))

    return {
        "women": draw("first_name_female", 150),
        "men": draw("first_name_male", 150),
        "surnames": draw("last_name", 250),
        "streets": draw("street_name", 300),
    }


class Names:
    """Names for families from many origins, chosen with the caller's ``random.Random``."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.origins = list(ORIGINS)
        self.weights = [origin.weight for origin in ORIGINS.values()]

    def origin(self) -> str:
        return self.rng.choices(self.origins, self.weights)[0]

    def first(self, origin: str, sex: str, *, adult: bool = False) -> str:
        about = ORIGINS[origin]
        female = sex == "female" or (sex not in ("female", "male") and self.rng.random() < 0.5)
        listed = about.girls if female else about.boys
        if about.locale and (adult or not listed):
            return self.rng.choice(_faker_names(about.locale)["women" if female else "men"])
        return self.rng.choice(listed)

    def surname(self, origin: str) -> str:
        about = ORIGINS[origin]
        if about.surnames:
            return self.rng.choice(about.surnames)
        return self.rng.choice(_faker_names(about.locale)["surnames"])

    def street(self) -> str:
        street = self.rng.choice(_faker_names("en_GB")["streets"])
        if street.split()[-1] in STREET_ENDINGS or len(street.split()) > 1:
            return street
        return f"{street} {self.rng.choice(STREET_ENDINGS)}"


def pick(rng: random.Random, weights: dict):
    """One key of ``weights``, chosen with probability proportional to its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- What people write --------------------------------------------------------------------------

# What a practitioner writes for each Supporting Families descriptor (keys of the framework file).
NEED_TEXT = {
    "education_attendance": "{child} has missed about {pct}% of sessions this year; "
    "mornings are a struggle.",
    "education_suspensions": "{child} has had two suspensions this year and the school fears "
    "a permanent exclusion.",
    "education_missing": "{child} has had no school place since the family moved.",
    "education_send": "{child} is waiting for an SEN assessment and is struggling in class.",
    "education_neet": "{child} left college in the autumn and is not in education, "
    "employment or training.",
    "early_years_development": "{child}'s speech is behind for their age (flagged at the "
    "two-year review).",
    "early_years_parenting": "Mum is finding feeding and sleep hard with little support nearby.",
    "early_years_entitlement": "{child} is eligible for funded childcare but has no place.",
    "early_years_health": "{child} has missed immunisations and health visitor appointments.",
    "health_adult_mental": "Mum has low mood and anxiety and is waiting for talking therapy.",
    "health_child_mental": "{child} is anxious, not sleeping and has spoken about self-harm.",
    "health_adult_physical": "A parent's long-term condition limits what they can do at home.",
    "health_child_physical": "{child}'s asthma is poorly managed: two A&E visits this term.",
    "substance_use_adult": "There are worries about a parent's drinking in the evenings.",
    "substance_use_child": "{child} has been found with cannabis and spends time with older "
    "young people.",
    "substance_use_affecting_children": "A parent's drug use means routines at home break down.",
    "relationships_parental_conflict": "Parents argue in front of the children since separating.",
    "relationships_parenting": "Parents cannot manage {child}'s behaviour at home and want "
    "help with boundaries.",
    "relationships_child_to_parent_violence": "{child} has hit mum during arguments; she is "
    "frightened of the outbursts.",
    "relationships_young_carer": "{child} cares for a parent with a disability and misses out "
    "on time with friends.",
    "relationships_family_breakdown": "Relationships at home have broken down and {child} is "
    "staying with relatives.",
    "safe_from_abuse_exploitation": "{child} has a new phone and money nobody can explain.",
    "safe_from_abuse_missing": "{child} has been reported missing twice this term.",
    "safe_from_abuse_neglect": "The children have come to school hungry and in unwashed uniform.",
    "safe_from_abuse_online": "{child} has been sharing images with someone met online.",
    "safe_from_abuse_radicalisation": "School is worried about extremist material {child} has "
    "been watching.",
    "crime_child_offending": "{child} was arrested for shoplifting and has a youth justice "
    "outcome.",
    "crime_adult_offending": "Dad has been released from prison and is coming home.",
    "crime_antisocial_behaviour": "Neighbours have complained about antisocial behaviour "
    "involving {child}.",
    "crime_custody_or_community_sentence": "A parent is serving a community sentence.",
    "crime_serious_violence": "{child} was threatened with a knife and is scared to go out.",
    "domestic_abuse_adult_victim": "Mum has disclosed domestic abuse from her ex-partner; "
    "police were called last month.",
    "domestic_abuse_perpetrator": "Dad has agreed to a programme about his behaviour at home.",
    "domestic_abuse_child_affected": "School had an Operation Encompass notification after an "
    "incident at home.",
    "domestic_abuse_young_person": "{child} is in a controlling relationship with an older "
    "partner.",
    "housing_homeless": "The family has been served notice and may be homeless within weeks.",
    "housing_temporary_accommodation": "The family lives in one room in temporary "
    "accommodation, far from school.",
    "housing_unsuitable": "The flat is overcrowded, with damp and mould.",
    "housing_tenancy_at_risk": "Rent arrears have built up and the landlord has started "
    "possession proceedings.",
    "housing_young_person_homeless": "{child} has been asked to leave home and is sofa-surfing.",
    "finances_worklessness": "Neither parent is working; they want work that fits school hours.",
    "finances_problem_debt": "The family has council tax and energy debts and bailiff letters.",
    "finances_hardship": "The family relies on food banks and cannot afford school uniform.",
    "finances_entitlements": "The family may not be claiming all the benefits they are due.",
}
NEED_WEIGHTS = {
    NeedArea.EDUCATION: 18,
    NeedArea.EARLY_YEARS: 8,
    NeedArea.HEALTH: 18,
    NeedArea.SUBSTANCE_USE: 4,
    NeedArea.RELATIONSHIPS: 16,
    NeedArea.SAFE_FROM_ABUSE: 8,
    NeedArea.CRIME: 4,
    NeedArea.DOMESTIC_ABUSE: 10,
    NeedArea.HOUSING: 8,
    NeedArea.FINANCES: 10,
}
ACTIONS = {
    NeedArea.EDUCATION: ["Meet the school to agree an attendance plan",
                         "Referral to the educational psychologist",
                         "Apply for an in-year school place",
                         "Daily morning check-in with the learning mentor"],
    NeedArea.EARLY_YEARS: ["Refer to speech and language therapy",
                           "Take up the funded two-year-old place",
                           "Go to Stay and Play at the family hub",
                           "Health visitor home visit about sleep routines"],
    NeedArea.HEALTH: ["GP appointment about mum's mood", "Self-refer to NHS Talking Therapies",
                      "Referral to the mental health support team in school",
                      "Asthma plan agreed with the school nurse"],
    NeedArea.SUBSTANCE_USE: ["Referral to the young people's substance misuse service",
                             "Assessment at the drug and alcohol service",
                             "Safety plan for the children when a parent is using"],
    NeedArea.RELATIONSHIPS: ["Complete the Triple P parenting programme",
                             "Reducing parental conflict sessions for both parents",
                             "Young carers' assessment",
                             "Weekly sessions with the family support worker"],
    NeedArea.SAFE_FROM_ABUSE: ["Return home interview after each missing episode",
                               "Referral to the exploitation panel",
                               "Online safety session for the family",
                               "Home conditions plan with weekly visits"],
    NeedArea.CRIME: ["Referral to the youth justice prevention team",
                     "Mentoring with a youth worker",
                     "Meet the police schools officer about antisocial behaviour"],
    NeedArea.DOMESTIC_ABUSE: ["Referral to the domestic abuse advocacy service (IDVA)",
                              "Safety planning with mum", "Freedom Programme place",
                              "Children to attend a recovery group"],
    NeedArea.HOUSING: ["Housing options appointment",
                       "Apply for a discretionary housing payment",
                       "Environmental health inspection for damp and mould",
                       "Support to bid for a larger home"],
    NeedArea.FINANCES: ["Benefits check with the money advice service",
                        "Referral to the food bank and household support fund",
                        "Debt advice appointment", "Job centre work coach appointment"],
}  # fmt: skip
REASONS = {
    Decision.Kind.ALLOCATE: [
        "Needs in several areas and the family agree to early help: a team around the family.",
        "The family want help and the needs are at the early help level.",
        "Multi-agency needs and consent given: allocated to a family support practitioner.",
    ],
    Decision.Kind.SIGNPOST: [
        "A single need that universal services can meet: signposted to local support.",
        "The family asked for information only: signposted to the family hub's groups.",
        "The school is meeting the needs: signposted to parenting support.",
    ],
    Decision.Kind.STEP_UP: [
        "Risk of significant harm: referred to the MASH.",
        "A disclosure at school meets the threshold for children's social care.",
        "A domestic abuse incident with the children present: sent to the MASH.",
    ],
    Decision.Kind.MORE_INFORMATION: [
        "Please add the parents' views: the assessment does not say what they want help with.",
        "Consent to share with health is missing: please check with the family.",
        "Please add the other children in the household.",
    ],
    Decision.Kind.TRANSFER: [
        "The family has moved: the new address is in the {hub}'s area.",
        "The children go to school near the {hub}: better placed to work with them.",
    ],
}
CONTACT_OUTCOME_REASONS = {
    Decision.ContactOutcome.WANTS_HELP: "Spoke to the family: they want early help and agreed "
    "to a home visit.",
    Decision.ContactOutcome.NO_HELP: "Spoke to the family: they do not want support now and "
    "know how to ask again.",
    Decision.ContactOutcome.NOT_REACHED: "Three calls and a text with no answer; a letter sent.",
}
FIRST_MEETING_NOTES = [
    "First TAF meeting at home with the parents and the school. Plan agreed; everyone knows "
    "their actions.",
    "First TAF meeting at the family hub. The family said what they want to change.",
    "First TAF meeting at school; the child's views were shared by the learning mentor.",
]
REVIEW_NOTES = [
    "Review at the family hub: routines are better and attendance is improving.",
    "Review: some actions are late; the plan was updated with new dates.",
    "Review at home: things are calmer and the parents feel more confident.",
    "Review: the family feel nearly ready to move on.",
]
CLOSURE_SUMMARIES = {
    Reason.NEEDS_MET: "The family met the goals in their plan and feel able to carry on "
    "without early help.",
    Reason.SINGLE_AGENCY: "What is left is met by the school alone: no team needed now.",
    Reason.STEPPED_UP: "Concerns grew after a disclosure: stepped up to children's social "
    "care through the MASH.",
    Reason.CONSENT_WITHDRAWN: "The family withdrew consent and do not want more early help; "
    "the team was told.",
    Reason.MOVED_AWAY: "The family moved out of the borough; their new council's early help "
    "service was told, with consent.",
    Reason.OTHER: "The family are now supported by CAMHS; no further early help is needed.",
}
MOVING_ON_CONTACTS = [
    "The family hub, the school's family support worker and the health visitor.",
    "The SENCo at school and the family services duty line.",
    "Their GP, the children's centre and the housing officer.",
]
MOVING_ON_IF_WORSE = [
    "Phone the family hub or ask the school to send a new request; in an emergency call 999.",
    "Talk to the school's safeguarding lead or the health visitor, who can refer back.",
]
WHAT_CHANGED = [
    "Mornings are calmer and the children get to school on time.",
    "I know who to call if things get hard again.",
    "We argue less and the children are happier.",
    "Getting the housing sorted took a lot of stress away.",
    "Not much changed, but it helped to be listened to.",
]
ANYTHING_ELSE = [
    "",
    "",
    "Thank you to our worker, she really listened.",
    "It took a long time to get the first meeting.",
    "Evening appointments would have helped.",
]
SUSTAINED_EVIDENCE = [
    "School attendance data for three terms: above 90%.",
    "No police call-outs since closure (police check).",
    "The housing officer confirms the tenancy is secure.",
    "The health visitor confirms development is on track.",
    "The family and school confirm the plan's changes have lasted.",
]
DISABILITIES = [
    "Autism (diagnosed)",
    "ADHD",
    "Cerebral palsy",
    "Hearing impairment",
    "Type 1 diabetes",
    "Global developmental delay",
    "Epilepsy",
]

# How often each route brings a contact, and what the front door first decides for it.
FIRST_KINDS = {
    Kind.ASSESSMENT: 42,
    Kind.FAMILY_REQUEST: 18,
    Kind.PHONE: 20,
    Kind.MASH: 10,
    Kind.STEP_DOWN: 10,
}
LATER_KINDS = {
    Kind.ASSESSMENT: 35,
    Kind.PHONE: 25,
    Kind.MASH: 18,
    Kind.FAMILY_REQUEST: 12,
    Kind.STEP_DOWN: 10,
}
D = Decision.Kind
FIRST_DECISIONS = {
    Kind.ASSESSMENT: {D.ALLOCATE: 62, D.SIGNPOST: 14, D.STEP_UP: 7, D.MORE_INFORMATION: 9,
                      D.TRANSFER: 4, D.CONTACT_FAMILY: 4},
    Kind.FAMILY_REQUEST: {D.CONTACT_FAMILY: 45, D.ALLOCATE: 25, D.SIGNPOST: 22, D.STEP_UP: 3,
                          D.TRANSFER: 5},
    Kind.PHONE: {D.CONTACT_FAMILY: 30, D.ALLOCATE: 35, D.SIGNPOST: 28, D.STEP_UP: 4,
                 D.TRANSFER: 3},
    Kind.MASH: {D.ALLOCATE: 65, D.SIGNPOST: 20, D.CONTACT_FAMILY: 10, D.TRANSFER: 5},
}  # fmt: skip
AFTER_TRANSFER = {D.ALLOCATE: 70, D.SIGNPOST: 25, D.STEP_UP: 5}
AFTER_MORE_INFORMATION = {D.ALLOCATE: 75, D.SIGNPOST: 20, D.STEP_UP: 5}
# Working days from a request arriving to its decision (two is on time).
DECISION_DELAYS = {0: 30, 1: 34, 2: 22, 3: 9, 4: 5}
CLOSURE_REASONS = {
    Reason.NEEDS_MET: 50,
    Reason.SINGLE_AGENCY: 12,
    Reason.STEPPED_UP: 10,
    Reason.CONSENT_WITHDRAWN: 10,
    Reason.MOVED_AWAY: 8,
    Reason.OTHER: 10,
}
RESULTS = {
    Reason.NEEDS_MET: {"achieved": 70, "partly": 25, "not_achieved": 5},
    Reason.SINGLE_AGENCY: {"achieved": 40, "partly": 50, "not_achieved": 10},
    Reason.CONSENT_WITHDRAWN: {"achieved": 10, "partly": 35, "not_achieved": 55},
    Reason.MOVED_AWAY: {"achieved": 20, "partly": 45, "not_achieved": 35},
    Reason.OTHER: {"achieved": 30, "partly": 45, "not_achieved": 25},
}
# Agencies whose practitioners write assessments (and join teams), most often first.
AUTHOR_AGENCIES = {
    Agency.SCHOOL: 40,
    Agency.HEALTH_VISITING: 15,
    Agency.VOLUNTARY: 10,
    Agency.EARLY_YEARS: 8,
    Agency.GP: 6,
    Agency.POLICE: 6,
    Agency.HOUSING: 6,
    Agency.YOUTH: 5,
    Agency.HEALTH_OTHER: 4,
}
PHONE_SOURCES = {
    Source.SCHOOL: 25,
    Source.FAMILY: 25,
    Source.HEALTH_VISITOR: 10,
    Source.GP: 8,
    Source.POLICE: 8,
    Source.VOLUNTARY: 10,
    Source.HOUSING: 6,
    Source.EARLY_YEARS: 4,
    Source.OTHER: 4,
}
ETHNICITY_EXTRA = {"NOBT": 3.5, "REFU": 1.5}
HOUSEHOLD_SHAPES = {
    "two_parents": 45,
    "single_mum": 38,
    "mum_and_partner": 7,
    "single_dad": 5,
    "kinship": 5,
}


# --- Sample staff -------------------------------------------------------------------------------

SAMPLE_LEADS = [
    ("Ruth", "Adeyemi"),
    ("Tomasz", "Nowak"),
    ("Leila", "Haddad"),
    ("Ben", "Carter"),
    ("Anjali", "Mehta"),
    ("Kwame", "Boateng"),
    ("Sinéad", "Byrne"),
    ("Dimitri", "Georgiou"),
    ("Hannah", "Cohen"),
]
SAMPLE_PARTNERS = [
    ("Grace", "Okafor", Agency.SCHOOL, "Sample primary school"),
    ("Tom", "Fletcher", Agency.SCHOOL, "Sample secondary school"),
    ("Priya", "Nair", Agency.EARLY_YEARS, "Sample nursery"),
    ("Helen", "Levy", Agency.HEALTH_VISITING, "Sample health visiting team"),
    ("Samir", "Khalil", Agency.GP, "Sample GP practice"),
    ("Kerry", "Walsh", Agency.POLICE, "Sample safer schools police team"),
    ("Marcus", "Reid", Agency.HOUSING, "Sample housing options team"),
    ("Amara", "Mensah", Agency.VOLUNTARY, "Sample community charity"),
    ("José", "Ferreira", Agency.YOUTH, "Sample youth service"),
    ("Zoë", "Martin", Agency.HEALTH_OTHER, "Sample CAMHS team"),
]
SAMPLE_MANAGERS = [("Nadia", "Rahman"), ("Paul", "Osei"), ("Irene", "Christou")]


def _sample_user(first: str, last: str, *, role: str, **fields) -> User:
    email = f"{slugify(first)}.{slugify(last)}@{SAMPLE_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, **fields}
    )
    if created:
        user.set_unusable_password()  # sample staff never sign in
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
    return user


@dataclass
class Staff:
    """Who works the sample caseload: lead practitioners per hub, partners from other agencies
    (authors of assessments, members of teams) and each hub's managers."""

    leads: dict[int, list[User]]
    partners: list[User]
    managers: dict[int, list[User]]

    @classmethod
    def ensure(cls, hubs: list[Hub]) -> "Staff":
        """Use the practitioners there are; make sample ones if there are fewer than a handful,
        and a sample manager for any hub without one."""
        practitioners = User.objects.of_council().filter(
            groups__name=roles.PRACTITIONER, is_active=True
        )
        if practitioners.count() < HANDFUL:
            for index, (first, last) in enumerate(SAMPLE_LEADS):
                hub = hubs[index % len(hubs)]
                _sample_user(
                    first,
                    last,
                    role=roles.PRACTITIONER,
                    agency=Agency.FAMILY_SERVICES,
                    organisation_name=f"Family services, {hub.name} (sample)",
                    job_title="Sample practitioner",
                )
            for first, last, agency, organisation in SAMPLE_PARTNERS:
                _sample_user(
                    first,
                    last,
                    role=roles.PRACTITIONER,
                    agency=agency,
                    organisation_name=organisation,
                    job_title="Sample practitioner",
                )
        everyone = list(practitioners.distinct().order_by("email"))
        leads = [u for u in everyone if u.agency == Agency.FAMILY_SERVICES] or everyone
        partners = [u for u in everyone if u.agency != Agency.FAMILY_SERVICES] or everyone
        managers = {}
        for index, hub in enumerate(hubs):
            managers[hub.pk] = list(hub.managers.filter(is_active=True).order_by("email"))
            if not managers[hub.pk]:
                first, last = SAMPLE_MANAGERS[index % len(SAMPLE_MANAGERS)]
                manager = _sample_user(
                    first,
                    last,
                    role=roles.HUB_MANAGER,
                    agency=Agency.FAMILY_SERVICES,
                    organisation_name=f"Family services, {hub.name} (sample)",
                    job_title="Sample hub manager",
                )
                manager.managed_hubs.add(hub)
                managers[hub.pk] = [manager]
        by_hub = {
            hub.pk: [u for u in leads if hub.name in u.organisation_name]
            or leads[index :: len(hubs)]
            or leads
            for index, hub in enumerate(hubs)
        }
        return cls(leads=by_hub, partners=partners, managers=managers)


# --- Places -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    postcode: str
    hub: Hub
    routing: str


def council_places() -> list[Place]:
    """The council's live postcodes, each with the hub ``services.route`` would give it: the most
    specific coverage rule's, else the nearest hub's (worked out here, so that no coverage gap is
    recorded for sample data)."""
    hubs = list(Hub.objects.order_by("name"))
    rules = {rule.area: rule.hub for rule in CoverageRule.objects.select_related("hub")}
    rows = Postcode.objects.filter(local_authority_code=councils.current().ons_code).values_list(
        "postcode", "sector", "district", "latitude", "longitude"
    )
    places = []
    for postcode, sector, district, latitude, longitude in rows.order_by("postcode"):
        hub = rules.get(postcode) or rules.get(sector) or rules.get(district)
        routing = SupportRequest.Routing.COVERED
        if hub is None:
            if not hubs:
                break
            hub = min(hubs, key=lambda h: h.distance_km(latitude, longitude))
            routing = SupportRequest.Routing.NEAREST
        places.append(Place(postcode, hub, routing))
    if not places:
        raise ImproperlyConfigured(
            "No postcodes or hubs for the council: run `manage.py load_council_data` first."
        )
    return places


# --- The family as it is over time -------------------------------------------------------------


@dataclass
class _Kid:
    first_name: str
    last_name: str
    sex: str
    born: date
    due: date | None  # set for a baby the family was expecting when first seen
    known_from: date
    ethnicity: str
    disability: str
    disability_detail: str
    send: str
    young_carer: bool | None
    first_language: str
    has_upn: bool
    has_nhs: bool
    school: str
    child: Child | None = None
    people: list[Person] = field(default_factory=list)

    def age_on(self, day: date) -> int:
        return relativedelta(day, self.born).years

    def recorded_on(self, day: date) -> bool:
        return self.known_from <= day and (day < self.born or self.age_on(day) < 18)


@dataclass
class _Adult:
    first_name: str
    last_name: str
    born: date
    role: str
    relationship: str
    parental_responsibility: bool
    lives_in_household: bool


@dataclass
class _Home:
    household: Household
    place: Place
    address: str
    language: str
    interpreter: bool
    adults: list[_Adult]
    kids: list[_Kid]
    # Closed episodes, latest last: (closed_at, episode, the children's record ids).
    closed: list[tuple[datetime, Episode, set]] = field(default_factory=list)
    next_kind: str = ""


class _Deck:
    """Deals every value once, in order, before drawing by weight: a small caseload still
    has every kind."""

    def __init__(self, rng: random.Random, weights: dict):
        self.rng, self.weights, self.unseen = rng, weights, list(weights)

    def deal(self):
        return self.unseen.pop(0) if self.unseen else pick(self.rng, self.weights)


@contextmanager
def _keeping_dates(models):
    """bulk_create stamps auto_now(_add) fields with the current time; sample rows need their
    own dates in the past, so those fields are plain while they are written."""
    switched = [
        (f, f.auto_now, f.auto_now_add)
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for f, _, _ in switched:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in switched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def sequence_numbers(sequence: str, count: int) -> list[int]:
    """``count`` numbers from a sequence in one query, smallest first."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
        return sorted(number for (number,) in cursor.fetchall())


def _quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


# --- The caseload -------------------------------------------------------------------------------


@dataclass
class Summary:
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    already: bool = False

    def __str__(self) -> str:
        if self.already:
            return f"Sample caseload seed {self.seed} is already there: nothing made."
        c = self.counts
        return (
            f"Sample caseload seed {self.seed}: {c['households']} households, {c['children']} "
            f"children, {c['contacts']} contacts, {c['decisions']} decisions, {c['episodes']} "
            f"episodes ({c['closed']} closed), {c['meetings']} meetings, {c['outcomes']} "
            f"outcomes, {c['re_referrals']} re-referrals, {c['feedback']} feedback links."
        )


def generate_caseload(*, families: int, seed: int) -> Summary:
    """Make ``families`` sample households and their case histories, once per ``seed``."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Sample case data is never made in production.")
    if Household.objects.filter(pk=marker_id(seed)).exists():
        return Summary(seed=seed, already=True)
    with transaction.atomic():
        caseload = _Caseload(seed=seed)
        for index in range(families):
            caseload.household(index)
        caseload.save()
    caseload.analyse()
    return caseload.summary()


class _Caseload:
    def __init__(self, *, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - sample data, not security
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.zone = timezone.get_current_timezone()
        self.names = Names(self.rng)
        self.framework = framework()
        self.places = council_places()
        self.hubs = list(Hub.objects.order_by("name"))
        self.staff = Staff.ensure(self.hubs)
        self.services = self._signpost_services()
        keys = [level["key"] for level in councils.levels_of_need()]
        self.universal, self.specialist = keys[0], keys[-1]
        self.middle = keys[1:-1] or keys
        self.rows: dict[type, list] = defaultdict(list)
        self.first_kinds = _Deck(self.rng, FIRST_KINDS)
        self.closures = _Deck(self.rng, CLOSURE_REASONS)
        self.homes: list[_Home] = []
        self.needs_of: dict[uuid.UUID, list[AssessmentNeed]] = defaultdict(list)
        # Timeline entries that name a contact's reference, known only once numbers are taken.
        self.sent_events: list[tuple[EpisodeEvent, SupportRequest, User]] = []
        self.re_referrals = 0

    # Small helpers.

    def id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, obj, when: datetime | None = None):
        """Queue ``obj`` for writing, with its auto_now(_add) dates set to ``when``."""
        if when is not None:
            for f in obj._meta.concrete_fields:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    setattr(obj, f.attname, when)
        self.rows[type(obj)].append(obj)
        return obj

    def link(self, through, **ids) -> None:
        self.rows[through].append(through(**ids))

    def pick(self, weights: dict):
        return pick(self.rng, weights)

    def moment(self, day: date, after: datetime | None = None) -> datetime:
        """A time in office hours on ``day``, later than ``after``."""
        hour, minute = self.rng.randint(9, 16), self.rng.randint(0, 59)
        at = datetime.combine(day, time(hour, minute), tzinfo=self.zone)
        if after is not None and at <= after:
            at = after + timedelta(minutes=self.rng.randint(10, 150))
        return at

    def local(self, at: datetime) -> date:
        return timezone.localdate(at)

    def working_day(self, day: date) -> date:
        return day if is_working_day(day) else add_working_days(day, 1)

    def manager(self, hub: Hub) -> User:
        return self.rng.choice(self.staff.managers[hub.pk])

    def partner(self, *agencies) -> User:
        chosen = [u for u in self.staff.partners if u.agency in agencies]
        return self.rng.choice(chosen or self.staff.partners)

    def phone(self) -> str:
        return f"07700 900{self.rng.randint(0, 999):03d}"  # Ofcom's drama range

    def office_phone(self) -> str:
        return f"020 7946 0{self.rng.randint(0, 999):03d}"

    def person_name(self) -> str:
        origin = self.names.origin()
        sex = self.rng.choice(["female", "male"])
        return f"{self.names.first(origin, sex, adult=True)} {self.names.surname(origin)}"

    def _signpost_services(self) -> list:
        from directory.models import Service

        return list(
            Service.objects.filter(status=Service.Status.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)[:300]
        )

    # Households.

    def household(self, index: int) -> None:
        rng = self.rng
        scripted = index < SCRIPTED
        if scripted:
            days_ago = rng.randint(520, 700)
        else:  # a few in the last week, so the front door has a queue today
            days_ago = rng.randint(1, 6) if rng.random() < 0.03 else rng.randint(1, 730)
        first_day = self.today - timedelta(days=days_ago)
        home = self.new_home(index, first_day)
        kind, day = self.first_kinds.deal(), first_day
        for visit in range(3):
            ended = self.contact(home, kind, day, scripted=scripted and visit == 0)
            if ended is None:
                return
            forced = index < RE_REFERRED and visit == 0
            if not forced and rng.random() > 0.4:
                return
            soon = forced or rng.random() < 0.75
            gap = rng.randint(20, 150 if forced else 330) if soon else rng.randint(370, 600)
            day = ended + timedelta(days=gap)
            if day >= self.today:
                return
            if rng.random() < 0.08:  # moved within the borough
                home.place = rng.choice(self.places)
                home.address = f"{rng.randint(1, 180)} {self.names.street()}"
            kind = home.next_kind or self.pick(LATER_KINDS)
            home.next_kind = ""

    def new_home(self, index: int, first_day: date) -> _Home:
        rng, names = self.rng, self.names
        origin = names.origin()
        about = ORIGINS[origin]
        surname = names.surname(origin)
        mother_surname = surname if rng.random() < 0.7 else names.surname(origin)
        language = self.pick(about.languages)
        code = self.pick(about.codes)

        def years_before(years: float) -> date:
            return first_day - timedelta(days=int(years * 365.25) + rng.randint(0, 364))

        def kid(born: date, known_from: date, due: date | None = None) -> _Kid:
            return self.new_kid(
                origin=origin,
                code=code,
                surnames=(surname, mother_surname),
                language=language,
                born=born,
                due=due,
                known_from=known_from,
            )

        ages = [int(rng.triangular(0, 17.99, 8))]
        for _ in range(self.pick({1: 33, 2: 34, 3: 20, 4: 9, 5: 4}) - 1):
            younger = ages[-1] - rng.randint(1, 5)
            if younger < 0:
                break
            ages.append(younger)
        kids = [kid(years_before(age), first_day) for age in ages]
        shape = self.pick(HOUSEHOLD_SHAPES)
        parent_age = min(55, max(rng.randint(21, 45), ages[0] + rng.randint(18, 30)))
        adults = []
        if shape != "single_dad":
            kinship = shape == "kinship"
            adults.append(
                _Adult(
                    first_name=names.first(origin, "female", adult=True),
                    last_name=surname if kinship else mother_surname,
                    born=years_before(parent_age + (25 if kinship else 0)),
                    role=Person.Role.PARENT,
                    relationship="Grandmother" if kinship else "Mum",
                    parental_responsibility=True,
                    lives_in_household=True,
                )
            )
            if rng.random() < 0.07:  # expecting a baby when first seen
                due = first_day + timedelta(days=rng.randint(20, 180))
                kids.append(kid(due + timedelta(days=rng.randint(-14, 10)), first_day, due))
            if rng.random() < 0.08:  # a baby born later
                due = first_day + timedelta(days=rng.randint(200, 600))
                born = due + timedelta(days=rng.randint(-14, 10))
                kids.append(kid(born, due - timedelta(days=180), due))
        if shape in ("two_parents", "single_dad", "mum_and_partner"):
            dad = shape != "mum_and_partner"
            adults.append(
                _Adult(
                    first_name=names.first(origin, "male", adult=True),
                    last_name=surname if dad else names.surname(names.origin()),
                    born=years_before(parent_age + rng.randint(0, 6)),
                    role=Person.Role.PARENT if dad else Person.Role.OTHER_ADULT,
                    relationship="Dad" if dad else "Mum's partner",
                    parental_responsibility=dad,
                    lives_in_household=shape != "two_parents" or rng.random() < 0.85,
                )
            )
        place = rng.choice(self.places)
        household = Household(
            # The first household is scripted, so it always has a contact and is written.
            id=marker_id(self.seed) if index == 0 else self.id(),
            number=0,
            postcode=place.postcode,
            is_sample=True,
        )
        home = _Home(
            household=household,
            place=place,
            address=f"{rng.randint(1, 180)} {self.names.street()}",
            language=language,
            interpreter=language != "English" and rng.random() < 0.35,
            adults=adults,
            kids=kids,
        )
        self.homes.append(home)
        return home

    def new_kid(self, *, origin, code, surnames, language, born, due, known_from) -> _Kid:
        rng = self.rng
        sex = self.pick({"female": 49.3, "male": 49.3, "not_known": 0.7, "prefer_not": 0.7})
        ethnicity = code
        roll = rng.random() * 100
        if roll < ETHNICITY_EXTRA["NOBT"]:
            ethnicity = "NOBT"
        elif roll < sum(ETHNICITY_EXTRA.values()):
            ethnicity = "REFU"
        elif roll > 93:
            ethnicity = self.pick(ORIGINS[origin].codes)
        disability = self.pick({"yes": 7, "no": 78, "unknown": 13, "prefer_not": 2})
        send = self.pick(
            {"sen_support": 45, "ehc_plan": 40, "none": 15}
            if disability == "yes"
            else {"none": 72, "sen_support": 16, "ehc_plan": 6, "unknown": 6}
        )
        english_first = language == "English" or rng.random() < 0.35
        return _Kid(
            first_name=self.names.first(origin, sex),
            last_name=surnames[0] if rng.random() < 0.9 else surnames[1],
            sex=sex,
            born=born,
            due=due,
            known_from=known_from,
            ethnicity=ethnicity,
            disability=disability,
            disability_detail=rng.choice(DISABILITIES) if disability == "yes" else "",
            send=send,
            young_carer=self.pick({True: 6, False: 84, None: 10}),
            first_language="English" if english_first else language,
            has_upn=rng.random() < 0.8,
            has_nhs=rng.random() < 0.55,
            school=rng.choice(SCHOOL_NAMES),
        )

    # Contacts.

    def family_record(self, home: _Home, at: datetime) -> tuple[Family, list[Person]]:
        """The family as this contact recorded it, each child linked to their lasting record."""
        day = self.local(at)
        family = self.add(
            Family(
                id=self.id(),
                address_line_1=home.address,
                town="Barnet" if home.place.postcode.startswith("EN") else "London",
                postcode=home.place.postcode,
                home_language=home.language,
                interpreter_needed=home.interpreter,
                household=home.household,
            ),
            at,
        )
        people = []
        for kid in home.kids:
            if not kid.recorded_on(day):
                continue
            unborn = day < kid.born
            age = 0 if unborn else kid.age_on(day)
            school = ""
            if not unborn and 2 <= age < 4 and self.rng.random() < 0.6:
                school = f"{kid.school} Nursery"
            elif not unborn and 4 <= age < 11:
                school = f"{kid.school} Primary School"
            elif not unborn and 11 <= age < 16:
                school = f"{kid.school} Academy"
            elif not unborn and age >= 16:
                school = "Sample sixth form college" if self.rng.random() < 0.7 else ""
            person = Person(
                id=self.id(),
                family=family,
                first_name="Baby" if unborn and self.rng.random() < 0.5 else kid.first_name,
                last_name=kid.last_name,
                role=Person.Role.UNBORN if unborn else Person.Role.CHILD,
                date_of_birth=None if unborn else kid.born,
                expected_due_date=kid.due if unborn else None,
                sex="" if unborn else kid.sex,
                ethnicity_code="" if unborn else kid.ethnicity,
                disability="" if unborn else kid.disability,
                disability_detail="" if unborn else kid.disability_detail,
                send="" if unborn or age < 2 else kid.send,
                school=school,
                young_carer=None if unborn or age < 8 else kid.young_carer,
                first_language="" if unborn else kid.first_language,
            )
            if kid.child is None:
                kid.child = self.add(
                    Child(id=self.id(), number=0, household=home.household, is_sample=True), at
                )
            person.child = kid.child
            kid.people.append(person)
            people.append(self.add(person))
        for adult in home.adults:
            people.append(
                self.add(
                    Person(
                        id=self.id(),
                        family=family,
                        first_name=adult.first_name,
                        last_name=adult.last_name,
                        role=adult.role,
                        date_of_birth=adult.born,
                        relationship=adult.relationship,
                        parental_responsibility=adult.parental_responsibility,
                        lives_in_household=adult.lives_in_household,
                    )
                )
            )
        return family, people

    def received(self, kind: str, day: date) -> datetime:
        if kind == Kind.FAMILY_REQUEST:  # parents write at any time, any day
            hour = self.rng.choice([7, 8, 9, 12, 13, 19, 20, 21, 22])
            return datetime.combine(day, time(hour, self.rng.randint(0, 59)), tzinfo=self.zone)
        return self.moment(self.working_day(day))

    def contact(self, home: _Home, kind: str, day: date, *, scripted: bool) -> date | None:
        """One contact and what became of it. Returns the day its story ended (signposted,
        stepped up, an episode closed), or None if it is still going today."""
        received_at = self.received(kind, day)
        if received_at >= self.now:
            return None
        if not any(kid.recorded_on(self.local(received_at)) for kid in home.kids):
            return None  # the children have grown up
        family, people = self.family_record(home, received_at)
        kids = [p for p in people if p.role in (Person.Role.CHILD, Person.Role.UNBORN)]
        hub = home.place.hub
        home.household.postcode = home.place.postcode
        if home.household.created_at is None:
            home.household.created_at = received_at
        source, by = self.source(kind, hub)
        support_request = self.add(
            SupportRequest(
                id=self.id(),
                kind=kind,
                reference="",
                hub=hub,
                routing=home.place.routing,
                source=source,
                family=family,
                household=home.household,
                is_sample=True,
                submitted_by=by,
                received_at=received_at,
                decision_due=add_working_days(
                    self.local(received_at), settings.DECISION_DUE_WORKING_DAYS
                ),
                previous_episode=self.previous_episode(home, kids, received_at),
            ),
            received_at,
        )
        if support_request.previous_episode is not None:
            self.re_referrals += 1
        assessment = None
        if kind == Kind.ASSESSMENT:
            assessment = self.assessment(family, people, author=by, at=received_at)
            assessment.support_request = support_request
        elif kind == Kind.FAMILY_REQUEST:
            self.family_request(support_request, home, people)
        else:
            self.recorded_contact(support_request, home, people, by)
        if kind == Kind.STEP_DOWN:
            return self.step_down(support_request, home, family, people, scripted)
        return self.front_door(support_request, home, family, people, assessment, scripted)

    def source(self, kind: str, hub: Hub) -> tuple[str, User | None]:
        if kind == Kind.ASSESSMENT:
            author = self.partner(self.pick(AUTHOR_AGENCIES))
            return SOURCE_BY_AGENCY.get(author.agency, Source.OTHER), author
        if kind == Kind.FAMILY_REQUEST:
            return Source.FAMILY, None
        recorder = self.manager(hub)
        if kind == Kind.STEP_DOWN:
            return Source.SOCIAL_CARE, recorder
        if kind == Kind.MASH:
            return Source.MASH, recorder
        return self.pick(PHONE_SOURCES), recorder

    def previous_episode(self, home: _Home, kids: list[Person], at: datetime) -> Episode | None:
        """What ``records.previous_episode_for_contact`` finds: the latest episode for any of
        these children closed within RE_REFERRAL_MONTHS before the contact."""
        since = at - relativedelta(months=settings.RE_REFERRAL_MONTHS)
        children = {p.child.id for p in kids}
        for closed_at, episode, episode_children in reversed(home.closed):
            if since <= closed_at <= at and children & episode_children:
                return episode
        return None

    def needs(self, assessment: Assessment, people: list[Person], on: date) -> None:
        kids = [p for p in people if p.role == Person.Role.CHILD] or people
        ages = [relativedelta(on, p.date_of_birth).years for p in kids if p.date_of_birth]
        weights = dict(NEED_WEIGHTS)
        if not any(age < 5 for age in ages):
            weights.pop(NeedArea.EARLY_YEARS)
        if not any(age >= 5 for age in ages):
            for area in (NeedArea.EDUCATION, NeedArea.CRIME, NeedArea.SUBSTANCE_USE):
                weights.pop(area)
        count = min(len(weights), self.pick({1: 15, 2: 30, 3: 30, 4: 17, 5: 8}))
        areas = []
        while len(areas) < count:
            area = self.pick(weights)
            areas.append(area)
            weights.pop(area)
        for area in areas:
            headline = self.framework.headline(area)
            known = list(headline.descriptors) if headline else []
            chosen = self.rng.sample(known, k=min(len(known), self.rng.choice([1, 1, 2])))
            child = self.rng.choice(kids).first_name
            texts = [
                NEED_TEXT[d.key].format(child=child, pct=self.rng.randint(70, 88))
                if d.key in NEED_TEXT
                else d.text  # another council's own descriptor
                for d in chosen
            ] or [f"Needs support: {NeedArea(area).label.lower()}."]
            need = self.add(
                AssessmentNeed(
                    assessment=assessment,
                    area=area,
                    detail=" ".join(texts),
                    descriptors=[d.key for d in chosen],
                    evidence_source=chosen[0].evidence[0] if chosen and chosen[0].evidence else "",
                    evidence_on=on - timedelta(days=self.rng.randint(0, 60)),
                )
            )
            self.needs_of[assessment.id].append(need)

    def assessment(
        self, family: Family, people: list[Person], *, author: User, at: datetime, episode=None
    ) -> Assessment:
        """A completed assessment with its needs and everyone's consent."""
        rng = self.rng
        day = self.local(at)
        kids = [p for p in people if p.role in (Person.Role.CHILD, Person.Role.UNBORN)]
        adults = [p for p in people if p.role not in (Person.Role.CHILD, Person.Role.UNBORN)]
        assessment = self.add(
            Assessment(
                id=self.id(),
                author=author,
                family=family,
                episode=episode,
                assessor_phone=self.office_phone(),
                assessor_role=author.job_title,
                assessor_organisation=author.agency_label,
                reason="The family asked for help; see the needs below.",
                working_well="A loving home; the children are close to their grandparents.",
                worries="See the needs: things have become harder over the last months.",
                next_steps="A team around the family to agree a plan with the family.",
                scale_practitioner=rng.randint(2, 7),
                scale_parent=rng.randint(2, 8),
                scale_child=rng.randint(2, 9) if rng.random() < 0.6 else None,
                child_voice="I want things at home to be calmer.",
                parent_voice="We need some help to get back on track.",
                agencies_involved="School and GP.",
                analysis="Needs in more than one area; the family are willing to work with us.",
                support_recommended="Family support, with the school and health.",
                completed_sections=[key for key, _ in SECTIONS],
                submitted_at=at,
            ),
            at,
        )
        assessment.created_at = at - timedelta(days=rng.randint(2, 20))
        for kid in kids:
            self.link(Assessment.subjects.through, assessment_id=assessment.id, person_id=kid.id)
        givers = [p for p in adults if p.parental_responsibility] or adults
        for person in [*kids, *(a for a in adults if a.lives_in_household)]:
            own = person in adults or (
                person.date_of_birth is not None
                and relativedelta(day, person.date_of_birth).years >= 16
            )
            giver = person if own or not givers else givers[0]
            self.add(
                Consent(
                    id=self.id(),
                    assessment=assessment,
                    person=person,
                    given_by=giver,
                    given_on=day - timedelta(days=rng.randint(0, 14)),
                    method=self.pick({"in_person": 70, "phone": 25, "written": 5}),
                    to_assessment=True,
                    to_share=True,
                    share_with=rng.sample(["school", "health_visiting", "gp", "housing"], k=2),
                )
            )
        self.needs(assessment, people, day)
        return assessment

    def family_request(self, support_request, home: _Home, people: list[Person]) -> None:
        rng = self.rng
        day = self.local(support_request.received_at)
        adult = next((p for p in people if p.role == Person.Role.PARENT), None)
        name = f"{adult.first_name} {adult.last_name}" if adult else self.person_name()
        ages = [
            "expecting a baby" if p.role == Person.Role.UNBORN else str(p.age_on(day))
            for p in people
            if p.role in (Person.Role.CHILD, Person.Role.UNBORN)
        ]
        method = self.pick({"phone": 55, "text": 25, "email": 20})
        email = f"{_ascii(name.split()[0])}.{rng.randint(10, 999)}@example.com"
        worries = " ".join(
            NEED_TEXT[key].format(child="my child", pct=80)
            for key in rng.sample(sorted(NEED_TEXT), k=rng.randint(1, 2))
        )
        self.add(
            FamilyRequest(
                id=self.id(),
                support_request=support_request,
                name=name,
                relationship=self.pick({"parent": 85, "carer": 10, "other": 5}),
                contact_method=method,
                phone="" if method == "email" and rng.random() < 0.5 else self.phone(),
                email=email if method == "email" or rng.random() < 0.3 else "",
                best_time=rng.choice(["", "Mornings", "After 3pm", "Any time", "Weekday evenings"]),
                safe_to_leave_message=rng.random() < 0.8,
                postcode=home.place.postcode,
                children_ages=", ".join(ages),
                worries=f"We need some help. {worries}",
                language="" if home.language == "English" else home.language,
                interpreter_needed=home.interpreter,
                consent_to_contact=True,
                consent_to_share=True,
                submission_key=self.id(),
                sender_hash=hashlib.sha256(self.id().bytes).hexdigest(),
            ),
            support_request.received_at,
        )

    def recorded_contact(self, support_request, home: _Home, people, by: User) -> None:
        rng = self.rng
        kind, at = support_request.kind, support_request.received_at
        parent = next((p for p in people if p.role == Person.Role.PARENT), None)
        texts = rng.sample(sorted(NEED_TEXT), k=2)
        summary = " ".join(NEED_TEXT[key].format(child="The eldest", pct=80) for key in texts)
        contact = RecordedContact(
            id=self.id(),
            support_request=support_request,
            summary=summary,
            family_agreed=rng.random() < 0.92,  # record_contact's full_clean needs an answer
            recorded_by=by,
        )
        if kind == Kind.STEP_DOWN:
            worker = self.person_name()
            contact.contact_name, contact.contact_role = (
                worker,
                "Social worker, children's social care",
            )
            contact.contact_details = self.office_phone()
            contact.social_care_reference = f"CSC-{rng.randint(100000, 999999)}"
            contact.social_worker_name, contact.social_worker_contact = worker, self.office_phone()
            contact.transfer_meeting_on = self.local(at) + timedelta(days=rng.randint(0, 10))
        elif kind == Kind.MASH:
            contact.contact_name, contact.contact_role = self.person_name(), "MASH social worker"
            contact.contact_details = self.office_phone()
            contact.mash_reference = f"MASH-{at.year}-{rng.randint(1000, 99999):05d}"
        elif support_request.source == Source.FAMILY and parent is not None:
            contact.contact_name = f"{parent.first_name} {parent.last_name}"
            contact.contact_role, contact.contact_details = parent.relationship, self.phone()
        else:
            contact.contact_name = self.person_name()
            contact.contact_role = Source(support_request.source).label
            contact.contact_details = self.office_phone()
        self.add(contact, at)

    # The front door.

    def decision(self, support_request, kind, at: datetime, version: int, **fields) -> Decision:
        hub = support_request.hub
        reason = self.rng.choice(REASONS.get(kind, [""]))
        if kind == D.TRANSFER:
            reason = reason.format(hub=fields["to_hub"].name)
        if kind == D.CONTACT_FAMILY:
            reason = CONTACT_OUTCOME_REASONS[fields["contact_outcome"]]
        level = ""
        if kind == D.ALLOCATE:
            level = self.rng.choice(self.middle)
        elif kind == D.SIGNPOST:
            level = self.pick({self.universal: 60, self.middle[0]: 40})
        elif kind == D.STEP_UP:
            level = self.specialist
        return self.add(
            Decision(
                id=self.id(),
                support_request=support_request,
                kind=kind,
                reason=reason,
                level_of_need=level,
                decided_by=self.manager(hub),
                decided_at=at,
                from_hub=hub,
                on_version=version,
                **fields,
            )
        )

    def decided_at(self, start: datetime) -> datetime | None:
        """0-4 working days after ``start``, or None if that is still to come."""
        delay = self.pick(DECISION_DELAYS)
        day = self.working_day(self.local(start))
        day = add_working_days(day, delay) if delay else day
        at = self.moment(day, after=start)
        return at if at < self.now else None

    def front_door(self, support_request, home, family, people, assessment, scripted):
        rng = self.rng
        kind = D.ALLOCATE if scripted else self.pick(FIRST_DECISIONS[support_request.kind])
        start, version, earlier = support_request.received_at, 1, []
        while True:
            at = self.decided_at(start)
            if at is None:
                return None
            fields = {}
            others = [h for h in self.hubs if h != support_request.hub]
            if kind == D.TRANSFER and not others:
                kind = D.ALLOCATE
            if kind == D.TRANSFER:
                fields["to_hub"] = rng.choice(others)
            if kind == D.CONTACT_FAMILY:
                fields["contact_outcome"] = self.pick(
                    {"wants_help": 55, "no_help": 25, "not_reached": 20}
                )
            if kind == D.ALLOCATE:
                fields["lead_practitioner"] = rng.choice(self.staff.leads[support_request.hub.pk])
            decision = self.decision(support_request, kind, at, version, **fields)
            earlier.append(decision)
            version += 1
            support_request.version, support_request.updated_at = version, at
            if kind == D.MORE_INFORMATION:
                support_request.status = SupportRequest.Status.MORE_INFORMATION
                back = add_working_days(self.local(at), rng.randint(2, 10))
                if rng.random() < 0.2 or back >= self.today:
                    return None
                start = self.moment(back, after=at)
                version += 1  # sent again: a new version to decide on
                support_request.version = version
                support_request.status = SupportRequest.Status.AWAITING_DECISION
                support_request.decision_due = add_working_days(
                    back, settings.DECISION_DUE_WORKING_DAYS
                )
                if assessment is not None:
                    assessment.updated_at = start
                kind = self.pick(AFTER_MORE_INFORMATION)
                continue
            if kind == D.TRANSFER:
                support_request.hub = fields["to_hub"]
                support_request.routing = SupportRequest.Routing.TRANSFERRED
                support_request.decision_due = add_working_days(
                    self.local(at), settings.DECISION_DUE_WORKING_DAYS
                )
                start, kind = at, self.pick(AFTER_TRANSFER)
                continue
            if kind == D.CONTACT_FAMILY:
                start = at
                kind = (
                    self.pick({D.ALLOCATE: 85, D.SIGNPOST: 15})
                    if fields["contact_outcome"] == "wants_help"
                    else D.SIGNPOST
                )
                continue
            break
        if kind == D.SIGNPOST:
            support_request.status = SupportRequest.Status.SIGNPOSTED
            for service in rng.sample(self.services, k=min(len(self.services), rng.randint(1, 3))):
                self.link(Decision.services.through, decision_id=decision.id, service_id=service)
            return self.local(at)
        if kind == D.STEP_UP:
            support_request.status = SupportRequest.Status.STEPPED_UP
            if rng.random() < 0.3:
                home.next_kind = Kind.MASH  # returned by the MASH as a step-across
            return self.local(at)
        support_request.status = SupportRequest.Status.ALLOCATED
        return self.episode(
            support_request,
            home,
            family,
            people,
            assessment,
            decision,
            earlier=earlier[:-1],
            scripted=scripted,
        )

    def step_down(self, support_request, home, family, people, scripted) -> date | None:
        """A hub manager takes the family from children's social care: allocated at once."""
        at = support_request.received_at + timedelta(minutes=self.rng.randint(5, 90))
        if at >= self.now:
            return None
        lead = self.rng.choice(self.staff.leads[support_request.hub.pk])
        decision = self.decision(support_request, D.ALLOCATE, at, 1, lead_practitioner=lead)
        decision.reason = "Step-down agreed at the transfer meeting: early help continues the plan."
        decision.decided_by = support_request.submitted_by
        support_request.status, support_request.version = SupportRequest.Status.ALLOCATED, 2
        support_request.updated_at = at
        return self.episode(
            support_request, home, family, people, None, decision, earlier=[], scripted=scripted
        )

    # Episodes.

    def event(self, episode, kind: str, summary: str, at: datetime, by=None) -> EpisodeEvent:
        return self.add(
            EpisodeEvent(
                id=self.id(), episode=episode, at=at, actor=by, kind=kind, summary=summary[:300]
            )
        )

    def episode(
        self, support_request, home, family, people, assessment, decision, *, earlier, scripted
    ) -> date | None:
        rng = self.rng
        lead, manager = decision.lead_practitioner, decision.decided_by
        opened_at = decision.decided_at
        opened = self.local(opened_at)
        step_down = support_request.kind == Kind.STEP_DOWN
        episode = self.add(
            Episode(
                id=self.id(),
                support_request=support_request,
                family=family,
                household=home.household,
                hub=support_request.hub,
                lead_practitioner=lead,
                origin=Episode.Origin.STEP_DOWN if step_down else Episode.Origin.ALLOCATION,
                origin_reason=decision.reason if step_down else "",
                opened_at=opened_at,
                first_meeting_due=add_working_days(opened, settings.TAF_FIRST_MEETING_WORKING_DAYS),
                assessment_due=None
                if assessment is not None
                else add_working_days(opened, settings.ASSESSMENT_DUE_WORKING_DAYS),
                review_weeks=self.pick({6: 75, 8: 15, 12: 10}),
                level_of_need=decision.level_of_need,
                is_sample=True,
            )
        )
        if assessment is not None:
            sent = self.event(episode, "assessment", "", assessment.submitted_at, assessment.author)
            self.sent_events.append((sent, support_request, assessment.author))
        for earlier_decision in earlier:
            self.event(
                episode,
                "decision",
                f"Front door: {earlier_decision.get_kind_display().lower()}",
                earlier_decision.decided_at,
                earlier_decision.decided_by,
            )
        if step_down:
            self.event(
                episode,
                "stepped_down",
                f"Stepped down from children's social care; {lead} is lead practitioner",
                opened_at,
                manager,
            )
        else:
            self.event(
                episode,
                "allocated",
                f"Allocated at the front door; {lead} is lead practitioner",
                opened_at,
                manager,
            )

        # How long the family is worked with, and why it ends (if it has ended).
        length = int(rng.triangular(60, 300, 150) if scripted else rng.triangular(60, 380, 170))
        end = opened + timedelta(days=length)
        reason = None
        if end < self.today:
            reason = self.closures.deal()
            shorter = {
                Reason.CONSENT_WITHDRAWN: (14, 120),
                Reason.MOVED_AWAY: (30, 200),
                Reason.STEPPED_UP: (20, 220),
                Reason.SINGLE_AGENCY: (45, 200),
            }
            if reason in shorter:
                end = min(end, opened + timedelta(days=rng.randint(*shorter[reason])))
        last_day = end if reason else self.today

        members = [
            self.add(
                TeamMember(
                    id=self.id(),
                    episode=episode,
                    user=lead,
                    role_in_team="Lead practitioner",
                    added_by=manager,
                ),
                opened_at,
            )
        ]
        wanted = self.rng.sample(list(AUTHOR_AGENCIES), k=rng.randint(1, 3))
        if assessment is not None:
            wanted = [assessment.author.agency, *wanted]
        seen = {lead.pk}
        for agency in wanted:
            user = self.partner(agency)
            joined = opened + timedelta(days=rng.randint(1, 12))
            if user.pk in seen or joined > last_day:
                continue
            seen.add(user.pk)
            member = TeamMember(
                id=self.id(),
                episode=episode,
                user=user,
                role_in_team=user.organisation_name or user.get_agency_display(),
                added_by=lead,
            )
            members.append(self.add(member, self.moment(joined)))
            self.event(
                episode,
                "member_added",
                f"{user} ({user.agency_label}) joined the team",
                member.added_at,
                lead,
            )

        # The lead's own assessment, when the contact had none.
        outcomes = []
        if assessment is not None:
            outcomes = self.outcomes(episode, assessment, opened_at)
        else:
            done = add_working_days(opened, rng.randint(8, 22))
            if done <= last_day and rng.random() < 0.88:
                done_at = self.moment(done, after=opened_at)
                copy, copy_people = self.family_record(home, done_at)
                own = self.assessment(copy, copy_people, author=lead, at=done_at, episode=episode)
                episode.assessment_completed_at = done_at
                outcomes = self.outcomes(episode, own, done_at)
                self.event(episode, "assessment", "Early help assessment completed", done_at, lead)

        # Meetings: the first within TAF_FIRST_MEETING_WORKING_DAYS (some late), then reviews.
        meetings = []
        first = add_working_days(
            opened, rng.randint(6, 15) if rng.random() < 0.8 else rng.randint(16, 28)
        )
        held = first
        while held <= last_day and held < self.today + timedelta(days=1):
            meetings.append(self.meeting(episode, members, people, held, len(meetings)))
            held += timedelta(weeks=episode.review_weeks, days=rng.randint(-5, 12))
        if meetings:
            episode.status = Episode.Status.ACTIVE
        if not outcomes and meetings and rng.random() < 0.6:  # added by the lead at the first
            outcomes = self.manual_outcomes(episode, meetings[0])
        self.actions(episode, outcomes, members, people, meetings, last_day, closing=bool(reason))
        self.progress(outcomes, meetings, reason)
        if reason is None:
            return None
        children = {p.child.id for p in people if p.child is not None}
        return self.close(episode, home, children, reason, end, outcomes, meetings, manager)

    def outcomes(self, episode, assessment: Assessment, at: datetime) -> list[Outcome]:
        """The plan's outcomes from the assessment's needs (as ``episodes._outcomes_from``)."""
        needs = self.needs_of[assessment.id]
        return [
            self.add(
                Outcome(
                    id=self.id(),
                    episode=episode,
                    area=need.area,
                    goal=need.detail,
                    descriptors=need.descriptors,
                ),
                at,
            )
            for need in needs
        ]

    def manual_outcomes(self, episode, meeting: Meeting) -> list[Outcome]:
        at = self.moment(meeting.held_on)
        areas = self.rng.sample(list(NEED_WEIGHTS), k=self.rng.randint(1, 2))
        return [
            self.add(
                Outcome(
                    id=self.id(),
                    episode=episode,
                    area=area,
                    goal=f"{NeedArea(area).label} for the family",
                ),
                at,
            )
            for area in areas
        ]

    def meeting(self, episode, members, people, held: date, number: int) -> Meeting:
        rng = self.rng
        first = number == 0
        present = [m for m in members if self.local(m.added_at) <= held]
        adults = [p for p in people if p.role == Person.Role.PARENT]
        kids_over_8 = any(
            p.date_of_birth and relativedelta(held, p.date_of_birth).years >= 8 for p in people
        )
        meeting = self.add(
            Meeting(
                id=self.id(),
                episode=episode,
                kind=Meeting.Kind.FIRST if first else Meeting.Kind.REVIEW,
                held_on=held,
                note_taker=present[0] if present else None,
                notes=rng.choice(FIRST_MEETING_NOTES if first else REVIEW_NOTES),
                decisions="Plan agreed." if first else "Continue with the plan.",
                scale_practitioner=None if first else min(10, 3 + number + rng.randint(-1, 2)),
                scale_parent=None if first else min(10, 3 + number + rng.randint(-2, 2)),
                scale_child=None if first or not kids_over_8 else min(10, 4 + rng.randint(0, 5)),
                next_step="" if first else Meeting.Next.CONTINUE,
                level_of_need="" if first else episode.level_of_need,
                recorded_by=episode.lead_practitioner,
            ),
            min(self.now, self.moment(held) + timedelta(days=rng.randint(0, 3))),
        )
        for member in present:
            through = Meeting.apologies if rng.random() < 0.12 else Meeting.attendees
            self.link(through.through, meeting_id=meeting.id, teammember_id=member.id)
        for adult in adults[: rng.randint(1, 2)]:
            self.link(Meeting.family_attendees.through, meeting_id=meeting.id, person_id=adult.id)
        summary = f"{meeting.get_kind_display()} held on {held:%-d %B %Y}"
        self.event(episode, "meeting", summary, meeting.recorded_at, episode.lead_practitioner)
        return meeting

    def actions(self, episode, outcomes, members, people, meetings, last_day, *, closing):
        rng = self.rng
        parents = [p for p in people if p.role == Person.Role.PARENT]
        for outcome in outcomes:
            made = max(
                self.local(outcome.created_at), meetings[0].held_on if meetings else date.min
            )
            if made > last_day:
                continue
            area_actions = ACTIONS[NeedArea(outcome.area)]
            for what in rng.sample(area_actions, k=min(len(area_actions), rng.randint(1, 3))):
                due = made + timedelta(days=rng.randint(14, 84))
                if closing:
                    status = self.pick({"done": 70, "not_done": 20, "in_progress": 10})
                elif due < self.today:
                    status = self.pick(
                        {"done": 50, "in_progress": 25, "not_started": 15, "not_done": 10}
                    )
                else:
                    status = self.pick({"not_started": 50, "in_progress": 50})
                by_family = parents and rng.random() < 0.3
                at = self.moment(made)
                self.add(
                    Action(
                        id=self.id(),
                        outcome=outcome,
                        what=what,
                        owner_member=None if by_family else rng.choice(members),
                        owner_person=rng.choice(parents) if by_family else None,
                        due_on=due,
                        status=status,
                        meeting=meetings[0] if meetings and made == meetings[0].held_on else None,
                    ),
                    min(at, self.now),
                )

    def progress(self, outcomes, meetings, reason) -> None:
        reviews = [m for m in meetings if m.kind == Meeting.Kind.REVIEW]
        for outcome in outcomes:
            target = {Reason.NEEDS_MET: 5, Reason.SINGLE_AGENCY: 4}.get(reason, 3)
            start = self.rng.randint(1, 3)
            rated = [r for r in reviews if r.held_on >= self.local(outcome.created_at)]
            for number, review in enumerate(rated, start=1):
                step = (target - start) * number / len(rated)
                rating = max(1, min(5, round(start + step + self.rng.uniform(-0.6, 0.6))))
                self.add(OutcomeProgress(meeting=review, outcome=outcome, rating=rating))

    def close(self, episode, home, children, reason, end, outcomes, meetings, manager) -> date:
        rng = self.rng
        lead = episode.lead_practitioner
        since = max([episode.opened_at] + [self.moment(m.held_on) for m in meetings])
        closed_at = self.moment(end, after=since)
        if closed_at >= self.now:
            closed_at = self.now - timedelta(minutes=rng.randint(5, 60))
        end = self.local(closed_at)
        episode.status, episode.closed_at, episode.closure_reason = (
            Episode.Status.CLOSED,
            closed_at,
            reason,
        )
        episode.closure_summary = CLOSURE_SUMMARIES[reason]
        home.closed.append((closed_at, episode, children))
        reviews = [m for m in meetings if m.kind == Meeting.Kind.REVIEW]
        if reason == Reason.STEPPED_UP:  # closed at once, no sign-off (episodes.step_up)
            episode.step_up_reason = episode.closure_summary
            if reviews:
                reviews[-1].next_step = Meeting.Next.STEP_UP
                reviews[-1].level_of_need = self.specialist
            self.event(episode, "closed", f"Closed: {reason.label}", closed_at, lead)
            mash_on = add_working_days(end, rng.randint(1, 5))
            if mash_on <= self.today and rng.random() < 0.92:
                episode.mash_outcome = self.pick({"accepted": 55, "returned": 25, "nfa": 20})
                episode.mash_outcome_on = mash_on
                self.event(
                    episode,
                    "mash_outcome",
                    f"MASH outcome: {episode.get_mash_outcome_display()}",
                    self.moment(mash_on, after=closed_at),
                    lead,
                )
                if episode.mash_outcome != "accepted" and rng.random() < 0.5:
                    home.next_kind = Kind.MASH
            return end

        if reviews:
            reviews[-1].next_step = Meeting.Next.CLOSE
            reviews[-1].level_of_need = self.universal
        requested_at = max(since, closed_at - timedelta(days=rng.randint(1, 10)))
        episode.closure_requested_at, episode.closure_requested_by = requested_at, lead
        episode.closure_signed_off_by = manager
        episode.closure_level_of_need = self.pick({self.universal: 70, self.middle[0]: 30})
        episode.moving_on_contacts = rng.choice(MOVING_ON_CONTACTS)
        episode.moving_on_if_worse = rng.choice(MOVING_ON_IF_WORSE)
        results = {}
        for outcome in outcomes:
            outcome.result = self.pick(RESULTS[reason])
            results[str(outcome.id)] = outcome.result
            if outcome.result == Outcome.Result.ACHIEVED:
                self.sustainment(episode, outcome, end, manager)
        episode.closure_results = results
        self.event(
            episode,
            "closure_requested",
            "Closure asked for: waiting for a hub manager",
            requested_at,
            lead,
        )
        self.event(
            episode,
            "closed",
            f"Closed: {reason.label} (signed off by {manager})",
            closed_at,
            manager,
        )
        self.feedback(episode, closed_at)
        self.claim(episode, outcomes, manager)
        return end

    def sustainment(self, episode, outcome: Outcome, achieved_on: date, manager) -> None:
        rng = self.rng
        due = self.framework.sustain_check_due(achieved_on, outcome.descriptors)
        outcome.sustain_check_due = due
        if due > self.today:
            return
        checked = self.moment(due + timedelta(days=rng.randint(0, 40)))
        if checked >= self.now or rng.random() < 0.25:
            outcome.sustain_reminded_on = due  # asked by check_sustainment, not yet answered
            return
        sustained = rng.random() < 0.8
        outcome.sustained = "sustained" if sustained else "not_sustained"
        outcome.sustained_checked_at = checked
        outcome.sustained_checked_by = rng.choice([episode.lead_practitioner, manager])
        outcome.sustained_evidence = rng.choice(SUSTAINED_EVIDENCE)
        outcome.sustain_reminded_on = due
        self.event(
            episode,
            "sustainment",
            f"{outcome.get_area_display()}: {outcome.get_sustained_display().lower()}",
            checked,
            outcome.sustained_checked_by,
        )

    def claim(self, episode, outcomes, manager) -> None:
        """A Supporting Families claim, where an outcome held and there are enough headlines."""
        sustained = [o for o in outcomes if o.sustained == Outcome.Sustained.SUSTAINED]
        if not sustained or len({o.area for o in outcomes}) < self.framework.min_headlines:
            return
        status = self.pick({"claimed": 55, "ready": 30, "rejected": 15})
        latest = max(o.sustained_checked_at for o in sustained)
        on = min(self.today, self.local(latest) + timedelta(days=self.rng.randint(0, 75)))
        episode.claim_status = status
        episode.claim_quarter = "" if status == "ready" else _quarter(on)
        label = Episode.ClaimStatus(status).label
        self.event(episode, "claim", f"Claim: {label}", min(self.now, self.moment(on)), manager)

    def feedback(self, episode, closed_at: datetime) -> None:
        """The one-time feedback link made at sign-off; some families answer it."""
        rng = self.rng
        feedback = self.add(
            FamilyFeedback(
                id=self.id(),
                episode=episode,
                token_hash=hashlib.sha256(self.id().hex.encode()).hexdigest(),
                link_expires_at=closed_at + timedelta(days=settings.FEEDBACK_LINK_DAYS),
            )
        )
        given_at = closed_at + timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
        if given_at >= self.now or rng.random() > 0.45:
            return
        feedback.helpful = self.pick({4: 45, 3: 35, 2: 12, 1: 8})
        feedback.had_a_say = self.pick({"yes": 70, "not_sure": 20, "no": 10})
        feedback.what_changed = rng.choice(WHAT_CHANGED)
        feedback.anything_else = rng.choice(ANYTHING_ELSE)
        feedback.given_at = given_at
        feedback.recorded_by = episode.lead_practitioner if rng.random() < 0.3 else None
        # The link is spent once used (episodes.give_feedback): its hash is replaced.
        feedback.token_hash = hashlib.sha256(self.id().hex.encode()).hexdigest()
        self.event(episode, "feedback", "The family gave feedback", given_at, feedback.recorded_by)

    # Writing.

    def finish_records(self) -> None:
        """Numbers from the sequences, in the order things happened, and each child's record
        with the latest details recorded (as ``records`` keeps it)."""
        homes = sorted(
            (h for h in self.homes if h.household.created_at is not None),
            key=lambda h: h.household.created_at,
        )
        self.homes = homes
        for home, number in zip(
            homes, sequence_numbers("referrals_household_seq", len(homes)), strict=True
        ):
            home.household.number = number
        contacts = sorted(self.rows[SupportRequest], key=lambda c: c.received_at)
        for contact, number in zip(
            contacts, sequence_numbers("referrals_reference_seq", len(contacts)), strict=True
        ):
            contact.reference = f"EH-{self.local(contact.received_at).year}-{number:06d}"
        for sent, contact, author in self.sent_events:
            sent.summary = f"Assessment {contact.reference} sent by {author}"
        children = sorted(self.rows[Child], key=lambda c: c.created_at)
        for child, number in zip(
            children, sequence_numbers("referrals_child_seq", len(children)), strict=True
        ):
            child.number = number
        kids = [kid for home in homes for kid in home.kids if kid.child is not None]
        for kid in kids:
            child, latest = kid.child, kid.people[-1]
            child.first_name, child.last_name = latest.first_name, latest.last_name
            child.date_of_birth = latest.date_of_birth
            child.expected_due_date = latest.expected_due_date
            child.postcode = latest.family.postcode
            child.sex, child.send, child.ethnicity = latest.sex, latest.send, latest.ethnicity_code
            age = kid.age_on(latest.family.created_at.date())
            if kid.has_upn and latest.date_of_birth and age >= 4:
                # Unique by construction: the establishment and serial come from the child ID.
                child.upn = make_upn(
                    BARNET_LA_NUMBER,
                    1000 + child.number // 1000,
                    (kid.born.year + 5) % 100,
                    child.number % 1000,
                )
            if kid.has_nhs and latest.date_of_birth and child.number < 1_000_000:
                # 999 numbers are the NHS's range for test data.
                child.nhs_number = make_nhs_number(f"999{child.number:06d}") or ""
        taken_upn = set(
            Child.objects.filter(upn__in=[c.upn for c in children if c.upn]).values_list(
                "upn", flat=True
            )
        )
        taken_nhs = set(
            Child.objects.filter(
                nhs_number__in=[c.nhs_number for c in children if c.nhs_number]
            ).values_list("nhs_number", flat=True)
        )
        for kid in kids:
            child = kid.child
            child.upn = "" if child.upn in taken_upn else child.upn
            child.nhs_number = "" if child.nhs_number in taken_nhs else child.nhs_number
            for person in kid.people:
                if person.role == Person.Role.CHILD:
                    person.upn, person.nhs_number = child.upn, child.nhs_number

    ORDER = [
        Household,
        Child,
        Family,
        Person,
        SupportRequest,
        Assessment,
        AssessmentNeed,
        Consent,
        Assessment.subjects.through,
        FamilyRequest,
        RecordedContact,
        Episode,
        Decision,
        Decision.services.through,
        TeamMember,
        Outcome,
        Meeting,
        Meeting.attendees.through,
        Meeting.apologies.through,
        Meeting.family_attendees.through,
        Action,
        OutcomeProgress,
        EpisodeEvent,
        FamilyFeedback,
    ]

    def save(self) -> None:
        self.finish_records()
        self.rows[Household] = [home.household for home in self.homes]
        with _keeping_dates(self.ORDER):
            for model in self.ORDER:
                model.objects.bulk_create(self.rows.get(model, []), batch_size=2000)

    def analyse(self) -> None:
        """Fresh planner statistics after a bulk load, so matching and reports plan well."""
        with connection.cursor() as cursor:
            for model in (Household, Child, Family, Person, SupportRequest, Episode):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def summary(self) -> Summary:
        episodes = self.rows[Episode]
        return Summary(
            seed=self.seed,
            counts={
                "households": len(self.homes),
                "children": len(self.rows[Child]),
                "contacts": len(self.rows[SupportRequest]),
                "decisions": len(self.rows[Decision]),
                "episodes": len(episodes),
                "closed": sum(1 for e in episodes if e.status == Episode.Status.CLOSED),
                "meetings": len(self.rows[Meeting]),
                "outcomes": len(self.rows[Outcome]),
                "re_referrals": self.re_referrals,
                "feedback": len(self.rows[FamilyFeedback]),
            },
        )
