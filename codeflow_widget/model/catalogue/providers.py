"""What the learner reads when the model misbehaves: provider errors, retries, corrections.

``provider.*`` are the final failures (a rejected key, a service that stays down, an
answer with no code); ``retry.*`` the notes shown while the flow tries again by itself,
``correction.*`` the notes and the prompt of the one corrective retry, ``breaker.*`` the
paused provider. Parameters: ``provider``, ``status``, ``attempt``, ``model``, ``base_url``,
``env_var``, ``detail`` … as the error carries them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # providers
    "provider.missing_key": (
        "缺少 API 密钥：请先设置环境变量 {env_var}（不要写在笔记本单元格里），然后重新运行。",
        "Missing API key: set the environment variable {env_var} (never in a notebook cell), then run again.",
    ),
    "provider.auth": (
        "{provider} 拒绝了 API 密钥（{status}）：请检查环境变量 {env_var} 是否正确、是否过期。",
        "{provider} rejected the API key ({status}): check that {env_var} is correct and not expired.",
    ),
    "provider.forbidden": (
        "{provider} 拒绝访问（403）：这个密钥没有权限使用模型 {model}，或账户受限。",
        "{provider} refused access (403): this key may not use model {model}, or the account is restricted.",
    ),
    "provider.not_found": (
        "找不到（404）：请检查模型名 {model} 和接口地址 {base_url} 是否正确。",
        "Not found (404): check the model name {model} and the base URL {base_url}.",
    ),
    "provider.bad_request": (
        "{provider} 认为请求参数有误（{status}）：{detail}。请检查模型名 {model} 和配置。",
        "{provider} rejected the request parameters ({status}): {detail}. Check the model name {model} and the config.",
    ),
    "provider.balance": (
        "{provider} 账户余额不足（{status}）：请充值或换一个密钥。",
        "{provider} account balance is insufficient ({status}): top up or use another key.",
    ),
    "provider.rate_limited": (
        "{provider} 请求太频繁（429），共尝试 {attempt} 次仍失败，请稍后再试。",
        "{provider} is rate limiting (429); still failing after {attempt} attempts. Try again later.",
    ),
    "provider.unavailable": (
        "{provider} 服务暂时不可用（{status}），共尝试 {attempt} 次仍失败。",
        "{provider} is unavailable ({status}); still failing after {attempt} attempts.",
    ),
    "provider.connection": (
        "连接不上 {base_url}：请检查网络、代理或接口地址。共尝试 {attempt} 次。",
        "Cannot connect to {base_url}: check the network, proxy or base URL. Tried {attempt} times.",
    ),
    "provider.timeout": (
        "{provider} 在 {timeout} 秒内没有响应（共尝试 {attempt} 次）。网络慢时可在 codeflow.json 里调大 timeout_s。",
        "{provider} did not answer within {timeout} s (tried {attempt} times). On a slow network raise timeout_s in codeflow.json.",
    ),
    "provider.stream_dropped": (
        "和 {provider} 的连接在回答途中断开了，共尝试 {attempt} 次仍失败。",
        "The connection to {provider} dropped mid-answer; still failing after {attempt} attempts.",
    ),
    "provider.bad_chunk": (
        "{provider} 返回了无法解析的数据，共尝试 {attempt} 次仍失败。",
        "{provider} sent data that could not be parsed; still failing after {attempt} attempts.",
    ),
    "provider.stream_error": (
        "{provider} 在回答中报告了错误：{detail}",
        "{provider} reported an error mid-answer: {detail}",
    ),
    "provider.empty_answer": (
        "模型在「{phase}」阶段给出了空回答，纠正后仍然为空。",
        "The model gave an empty answer in the {phase} phase, even after a correction.",
    ),
    "provider.no_code": (
        "模型的回答里没有代码块，纠正后仍然没有。",
        "The model's answer has no code block, even after a correction.",
    ),
    "provider.too_large": (
        "模型在「{phase}」阶段的回答太长（{size} 字节，上限 1 MB）。",
        "The model's {phase} answer is too long ({size} bytes, limit 1 MB).",
    ),
    # retries and corrections (shown while the flow tries again — not final failures)
    "retry.transient": (
        # no attempt number here: the event carries it and each front end shows it once
        "{what}，{delay} 秒后自动重试……",
        "{what}; retrying automatically in {delay} s…",
    ),
    "retry.what.provider.rate_limited": (
        "服务器说请求太频繁（{status}）",
        "The server says we are sending too many requests ({status})",
    ),
    "retry.what.provider.unavailable": (
        "服务暂时不可用（{status}）",
        "The service is temporarily unavailable ({status})",
    ),
    "retry.what.provider.connection": ("暂时连不上服务器", "Could not reach the server"),
    "retry.what.provider.timeout": ("服务器在 {timeout} 秒内没有响应", "The server did not answer within {timeout} s"),
    "retry.what.provider.stream_dropped": (
        "回答到一半连接断开了，已清空这一阶段的内容",
        "The connection dropped mid-answer; this phase's text was cleared",
    ),
    "retry.what.provider.bad_chunk": (
        "收到了无法解析的数据",
        "Received data that could not be parsed",
    ),
    "retry.what.provider.stream_error": (
        "服务器在回答中报告了错误",
        "The server reported an error mid-answer",
    ),
    "correction.empty": (
        "模型给出了空回答，正在提醒它重新回答……",
        "The model gave an empty answer; asking it to answer again…",
    ),
    "correction.no_code": (
        "回答里没有代码块，正在请模型按格式重新回答……",
        "The answer has no code block; asking the model to answer in the required format…",
    ),
    "correction.too_large": (
        "回答太长了，正在请模型写得简洁一些……",
        "The answer is far too long; asking the model to be concise…",
    ),
    "correction.validation": (
        "代码没有通过检查（{detail}），正在请模型修正……",
        "The code failed the checks ({detail}); asking the model to fix it…",
    ),
    "correction.smoke": (
        "试运行出错（{detail}），正在请模型修正……",
        "The trial run crashed ({detail}); asking the model to fix it…",
    ),
    "correction.prompt": (
        "你上一次的回答有问题：{detail}\n请修正后重新完整回答，并遵守格式要求（代码放在信息行为 `python main.py` 的代码块里）。",
        "Your previous answer had a problem: {detail}\nPlease fix it and answer again in full, following the required format (code in a fenced block whose info line is `python main.py`).",
    ),
    "breaker.open": (
        "{provider} 最近连续失败 {failures} 次，已暂停调用，{remaining} 秒后会再试一次。",
        "{provider} failed {failures} times in a row; calls are paused for another {remaining} s.",
    ),
}
