"""What is wrong with a configuration, in the learner's words (codes ``config.*``).

Shown by ``config/problems.py`` under "配置文件 … 有 N 个问题：", one line per field. The
``config.error.<type>`` sentences are pydantic's error types (``greater_than`` …) said
plainly; ``config.value.<field>`` are the fields with a validator of their own. ``{…}``
parameters come from pydantic's error context.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # headings for problems that did not come from the file ("config.invalid" names it)
    "config.invalid_cli": (
        "命令行参数有 {count} 个问题：",
        "The command-line options have {count} problem(s):",
    ),
    "config.invalid_args": (
        "传入的参数有 {count} 个问题：",
        "The arguments given have {count} problem(s):",
    ),
    "config.invalid_env": (
        "环境变量有 {count} 个问题：",
        "The environment variables have {count} problem(s):",
    ),
    "config.not_utf8": ("文件不是 UTF-8 编码", "the file is not UTF-8"),
    "config.not_object": (
        "最外层必须是一个 JSON 对象 {{…}}",
        "the top level must be a JSON object {{…}}",
    ),
    "config.custom_needs": (
        "provider 为 custom 时必须设置 {name}",
        "provider custom needs {name}",
    ),
    "config.locked": (
        "老师已锁定这个设置（{value}），不能改成 {wanted}",
        "locked by the teacher ({value}); cannot change it to {wanted}",
    ),
    "config.invalid_value": ("取值无效：{detail}", "invalid value: {detail}"),
    "config.error.extra_forbidden": ("未知的配置项（拼写错了吗？）", "unknown setting (a typo?)"),
    "config.error.literal_error": (
        "取值不在允许范围内：{expected}",
        "not one of the allowed values: {expected}",
    ),
    "config.error.greater_than": ("必须大于 {gt}", "must be greater than {gt}"),
    "config.error.greater_than_equal": ("必须大于或等于 {ge}", "must be at least {ge}"),
    "config.error.less_than_equal": ("必须小于或等于 {le}", "must be at most {le}"),
    "config.error.float_parsing": ("必须是数字", "must be a number"),
    "config.error.float_type": ("必须是数字", "must be a number"),
    "config.error.int_parsing": ("必须是整数", "must be a whole number"),
    "config.error.int_type": ("必须是整数", "must be a whole number"),
    "config.error.int_from_float": ("必须是整数", "must be a whole number"),
    "config.error.bool_parsing": ("必须是 true 或 false", "must be true or false"),
    "config.error.bool_type": ("必须是 true 或 false", "must be true or false"),
    "config.error.string_type": ("必须是文字（字符串）", "must be text (a string)"),
    "config.error.list_type": ("必须是列表 […]", "must be a list […]"),
    "config.error.path_type": ("必须是路径（字符串）", "must be a path (a string)"),
    "config.value.base_url": (
        "必须以 http:// 或 https:// 开头",
        "must start with http:// or https://",
    ),
    "config.value.allowed_imports": (
        "只能是 pygame 或 Python 标准库模块，不认识：{detail}",
        "only pygame or standard-library modules, not: {detail}",
    ),
    "config.value.lock": (
        "只能锁定这些设置：{lockable_zh}；不认识：{detail}",
        "only these can be locked: {lockable_en}; unknown: {detail}",
    ),
}
