from django.contrib.auth.models import Group, Permission

from accounts.roles import ROLE_PERMISSIONS


def sync_roles(**kwargs) -> None:
    """Create each role's group and give it exactly the permissions ROLE_PERMISSIONS lists.

    Runs after every migrate (permissions exist only once their app has migrated).
    """
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                return  # that app has not migrated yet; a later post_migrate will finish
            permissions.append(permission)
        group.permissions.set(permissions)
