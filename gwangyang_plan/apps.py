from django.apps import AppConfig


class GwangyangPlanConfig(AppConfig):
    name = "gwangyang_plan"
    verbose_name = "광양시 4차산업혁명 추진관리"

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the sign-in signal receivers)
