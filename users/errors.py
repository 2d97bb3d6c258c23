"""What can go wrong with accounts."""

from __future__ import annotations

from core.errors import Conflict, NotAllowed


class LoginFailed(NotAllowed):
    code = "login_failed"
    message_zh = "用户名或密码错误"
    message_en = "Wrong username or password"


class CannotDeactivateYourself(Conflict):
    code = "cannot_deactivate_yourself"
    message_zh = "不能停用自己的账号"
    message_en = "You cannot deactivate your own account"
