"""What can go wrong with accounts."""

from __future__ import annotations

from core.errors import NotAllowed


class LoginFailed(NotAllowed):
    code = "login_failed"
    message_zh = "用户名或密码错误"
    message_en = "Wrong username or password"
