"""Signing in and, on every request, finding the signed-in user."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection

from .choices import Role
from .models import User


class RolesBackend(ModelBackend):
    """Django's model backend, except that the user of a request comes with their roles (see
    permissions.roles_of), both read with plain SQL: every page needs them, and building the
    ORM queries cost more than running them."""

    def get_user(self, user_id):
        query = f"SELECT * FROM {User._meta.db_table} WHERE id = %s"  # noqa: S608 (model table)
        user = next(iter(User.objects.raw(query, [user_id])), None)
        if user is None:
            return None
        user._role_names = role_names(user.pk)
        return user if self.user_can_authenticate(user) else None


def role_names(user_id: int) -> set[str]:
    """The names of the user's groups that are roles (other groups grant nothing)."""
    memberships = User.groups.through._meta.db_table
    groups = Group._meta.db_table
    placeholders = ", ".join(["%s"] * len(Role.values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.name FROM {groups} g JOIN {memberships} m ON m.group_id = g.id "  # noqa: S608 (model tables)
            f"WHERE m.user_id = %s AND g.name IN ({placeholders})",
            [user_id, *Role.values],
        )
        return {name for (name,) in cursor.fetchall()}
