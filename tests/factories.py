"""Factories for records the tests need beyond the shipped plan."""

import factory
from django.contrib.auth.models import Group

from projects.choices import Role
from projects.models import Department, Project, User
from strategies.models import Task


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"시험부서{n}")
    code = factory.Sequence(lambda n: f"dept{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("demo1234!")

    @factory.post_generation
    def role(self, create, extracted: Role | None, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    task = factory.LazyFunction(lambda: Task.objects.order_by("number").first())
    code = factory.Sequence(lambda n: f"9-9-{n}")
    name = factory.Sequence(lambda n: f"시험 사업 {n}")
    lead_department = factory.SubFactory(DepartmentFactory)
    start_year = 2023
    end_year = 2027


def acknowledged_submit(*, user, filing, **kwargs):
    """services.filing_submit as a submitter who ticked every warning's box on the
    confirmation page (errors still refuse it)."""
    from projects import selectors, services

    keys = [check.key for check in selectors.submission_checks(filing) if not check.is_error]
    return services.filing_submit(user=user, filing=filing, acknowledged=keys, **kwargs)


# A yearly plan that passes the checks before submission (goal, every quarter, a budget).
COMPLETE_PLAN = {
    "goal": "목표",
    **{f"q{quarter}_plan": f"{quarter}분기 추진" for quarter in range(1, 5)},
    "budget_city": 10_000_000,
}
