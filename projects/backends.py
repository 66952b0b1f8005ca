"""Signing in and, on every request, finding the signed-in user."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection

from .choices import Role
from .models import User


class RolesBackend(ModelBackend):
    """Django's model backend, except that the user of a request comes with their roles (see
    permissions.roles_of), both read by one plain SQL query: every page needs them, and
    building the ORM queries cost more than running them."""

    def get_user(self, user_id):
        users, memberships, groups = (
            User._meta.db_table,
            User.groups.through._meta.db_table,
            Group._meta.db_table,
        )
        rows = list(
            User.objects.raw(
                f"SELECT u.*, g.name AS role_name FROM {users} u "  # noqa: S608 (model tables)
                f"LEFT JOIN {memberships} m ON m.user_id = u.id "
                f"LEFT JOIN {groups} g ON g.id = m.group_id AND g.name IN ({_placeholders()}) "
                "WHERE u.id = %s",
                [*Role.values, user_id],
            )
        )
        if not rows:
            return None
        user = rows[0]
        user._role_names = {row.role_name for row in rows if row.role_name}
        return user if self.user_can_authenticate(user) else None


def _placeholders() -> str:
    return ", ".join(["%s"] * len(Role.values))


def role_names(user_id: int) -> set[str]:
    """The names of the user's groups that are roles."""
    memberships = User.groups.through._meta.db_table
    groups = Group._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.name FROM {groups} g JOIN {memberships} m ON m.group_id = g.id "  # noqa: S608 (model tables)
            f"WHERE m.user_id = %s AND g.name IN ({_placeholders()})",
            [user_id, *Role.values],
        )
        return {name for (name,) in cursor.fetchall()}
