"""Signing in and, on every request, finding the signed-in user."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection

from .choices import Role
from .models import User


class RolesBackend(ModelBackend):
    """Django's model backend, except that the user of a request comes with their roles (see
    permissions.roles_of), read with one plain SQL query: every page needs them, and building
    the ORM query cost more than running it."""

    def get_user(self, user_id):
        user = super().get_user(user_id)
        if user is not None:
            user._role_names = role_names(user.pk)
        return user


def role_names(user_id: int) -> set[str]:
    """The names of the user's groups that are roles."""
    memberships = User.groups.through._meta.db_table
    groups = Group._meta.db_table
    placeholders = ", ".join(["%s"] * len(Role.values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.name FROM {groups} g JOIN {memberships} m ON m.group_id = g.id "  # noqa: S608 (table names from models)
            f"WHERE m.user_id = %s AND g.name IN ({placeholders})",
            [user_id, *Role.values],
        )
        return {name for (name,) in cursor.fetchall()}
