"""Signing in and, on every request, finding the signed-in user."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group

from .choices import Role
from .models import User


class RolesBackend(ModelBackend):
    """Django's model backend, except that the user of a request comes with their roles (see
    permissions.roles_of), read together in one plain SQL query: every page needs them, and
    building the ORM queries cost more than running them."""

    def get_user(self, user_id):
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def user_with_roles(user_id: int) -> User | None:
    """The user, with `_role_names`: the names of their groups that are roles (other groups
    grant nothing)."""
    users, groups = User._meta.db_table, Group._meta.db_table
    memberships = User.groups.through._meta.db_table
    placeholders = ", ".join(["%s"] * len(Role.values))
    rows = list(
        User.objects.raw(
            f"SELECT u.*, g.name AS role_name FROM {users} u "  # noqa: S608 (model tables)
            f"LEFT JOIN {memberships} m ON m.user_id = u.id "
            f"LEFT JOIN {groups} g ON g.id = m.group_id AND g.name IN ({placeholders}) "
            "WHERE u.id = %s",
            [*Role.values, user_id],
        )
    )
    if not rows:
        return None
    user = rows[0]
    user._role_names = {row.role_name for row in rows if row.role_name}
    return user


def role_names(user_id: int) -> set[str]:
    """The names of the user's groups that are roles."""
    user = user_with_roles(user_id)
    return user._role_names if user is not None else set()
