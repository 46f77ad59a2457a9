import factory
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Agency, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    agency = Agency.SCHOOL
    job_title = "Designated safeguarding lead"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def practitioner(**kwargs) -> User:
    return UserFactory(roles=[roles.PRACTITIONER], **kwargs)


def hub_manager(**kwargs) -> User:
    return UserFactory(roles=[roles.HUB_MANAGER], agency=Agency.FAMILY_SERVICES, **kwargs)
