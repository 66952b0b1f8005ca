"""The sign-in form, in the words of a Korean government service."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Django's, with its refusal reworded: Django's Korean one reads "올바른 사용자 이름와/과
    비밀번호를 입력하십시오.", a raw particle and a name the page does not use (아이디)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "아이디 또는 비밀번호가 올바르지 않습니다. 대문자와 소문자를 구별합니다."
        ),
    }
