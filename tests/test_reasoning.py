"""The reasoning splitter: every format seen in the wild → thinking vs content."""

from __future__ import annotations

import itertools

import pytest

from codeflow_widget.providers.base import ContentChunk, ThinkingChunk
from codeflow_widget.providers.reasoning import ReasoningSplitter, split_text

from .fakes.server import reasoning_detail


def run(deltas, **kwargs) -> tuple[str, str]:
    splitter = ReasoningSplitter(**kwargs)
    chunks = []
    for delta in deltas:
        chunks += splitter.feed(delta)
    chunks += splitter.finish()
    assert all(c.text for c in chunks), "no empty chunks are emitted"
    thinking = "".join(c.text for c in chunks if isinstance(c, ThinkingChunk))
    content = "".join(c.text for c in chunks if isinstance(c, ContentChunk))
    return thinking, content


THOUGHT = "用户想要一个贪吃蛇游戏。I should keep it small < 200 lines & use pygame."
ANSWER = "## 目标\n做一个贪吃蛇。\n\n```python main.py\nprint('hi')\n```\n"


# -- structured formats ----------------------------------------------------------
def test_reasoning_details_incremental():
    pieces = ["用户想要", "一个贪吃蛇", "游戏。"]
    deltas = [
        {"role": "assistant", "content": "", "reasoning_details": [reasoning_detail(p)]}
        for p in pieces
    ]
    deltas += [{"content": "答案"}, {"content": "。"}]
    assert run(deltas) == ("用户想要一个贪吃蛇游戏。", "答案。")


def test_reasoning_details_cumulative_emits_only_new_suffix():
    full = "The user wants a snake game with a score counter."
    prefixes = [full[:3], full[:8], full[:20], full[:35], full]
    deltas = [{"reasoning_details": [reasoning_detail(p)], "content": None} for p in prefixes]
    deltas += [
        {"reasoning_details": [reasoning_detail(full)], "content": "OK"}
    ]  # a repeat adds nothing
    assert run(deltas) == (full, "OK")


def test_reasoning_details_incremental_that_repeats_a_short_prefix_is_not_swallowed():
    pieces = ["The user wants a snake game. ", "Then ", "a score. The user wants it fast."]
    deltas = [{"reasoning_details": [reasoning_detail(p)]} for p in pieces]
    assert run(deltas)[0] == "".join(pieces)


def test_reasoning_details_ignores_non_text_items():
    deltas = [
        {
            "reasoning_details": [
                {"type": "reasoning.encrypted", "data": "xyz"},
                reasoning_detail("plan it"),
            ]
        },
        {"reasoning_details": [{"type": "reasoning.summary", "summary": "sum"}]},
        {"content": "done"},
    ]
    assert run(deltas) == ("plan it", "done")


def test_deepseek_reasoning_content_with_null_content():
    deltas = [
        {"role": "assistant", "content": None, "reasoning_content": "先想"},
        {"content": None, "reasoning_content": "一想。"},
        {"content": "答案", "reasoning_content": None},
    ]
    assert run(deltas) == ("先想一想。", "答案")


@pytest.mark.parametrize("server", ["vllm", "ollama"])
def test_reasoning_field(server):
    deltas = [{"reasoning": "think "}, {"reasoning": "more", "content": ""}, {"content": "answer"}]
    assert run(deltas) == ("think more", "answer")


def test_openrouter_reasoning_and_details_are_not_double_counted():
    deltas = [
        {
            "reasoning": p,
            "reasoning_details": [{"type": "reasoning.text", "text": p, "format": "unknown"}],
        }
        for p in ["a", "b", "c"]
    ]
    deltas.append({"content": "answer"})
    assert run(deltas) == ("abc", "answer")


def test_minimax_details_with_reasoning_content_beside_them_counted_once():
    deltas = [
        {"reasoning_details": [reasoning_detail(p)], "reasoning_content": p}
        for p in ["one ", "two"]
    ]
    deltas.append({"content": "answer"})
    assert run(deltas) == ("one two", "answer")


def test_unknown_fields_and_null_content_are_ignored():
    deltas = [
        {
            "role": "assistant",
            "name": "MiniMax AI",
            "audio_content": "",
            "tool_calls": None,
            "content": None,
        },
        {
            "name": "MiniMax AI",
            "audio_content": "",
            "reasoning_content": "hm",
            "function_call": None,
        },
        {"content": "answer", "refusal": None},
        {},
        None,
    ]
    assert run(deltas) == ("hm", "answer")


def test_a_whole_chunk_dict_is_accepted():
    chunk = {
        "id": "x",
        "choices": [{"index": 0, "delta": {"reasoning_content": "r", "content": None}}],
        "base_resp": {"status_code": 0},
    }
    chunk2 = {
        "id": "x",
        "choices": [{"index": 0, "delta": {"content": "c"}, "finish_reason": "stop"}],
    }
    empty = {"id": "x", "choices": []}
    assert run([chunk, empty, chunk2]) == ("r", "c")


def test_non_streamed_message():
    splitter = ReasoningSplitter()
    chunks = splitter.feed_message({"role": "assistant", "content": "<think>r</think>\n\nanswer"})
    assert [type(c) for c in chunks] == [ThinkingChunk, ContentChunk]
    assert [c.text for c in chunks] == ["r", "answer"]


# -- inline <think> ----------------------------------------------------------------
TAGGED = "<think>\n" + THOUGHT + "\n</think>\n\n" + ANSWER
UNTAGGED = THOUGHT + "\n</think>\n\n" + ANSWER
WITH_LEADING_SPACE = "\n\n  <think>" + THOUGHT + "</think>   \n" + ANSWER
THINK_ONLY = "<think>" + THOUGHT  # the model never closed its reasoning
TRICKY = "<think>a <b> </thin </th </think x</think>\n\n<think> is literal here </think>"
EXPECTED = {
    "tagged": (THOUGHT + "\n", ANSWER),
    "untagged": (THOUGHT + "\n", ANSWER),
    "leading_space": (THOUGHT, ANSWER),
    "think_only": (THOUGHT, ""),
    # a second, stray </think> in the answer is dropped (issue 16: some models close twice)
    "tricky": ("a <b> </thin </th </think x", "<think> is literal here "),
    "plain": ("", ANSWER),
    "plain_prose": ("", "Sure! " + ANSWER),
}
TEXTS = {
    "tagged": TAGGED,
    "untagged": UNTAGGED,
    "leading_space": WITH_LEADING_SPACE,
    "think_only": THINK_ONLY,
    "tricky": TRICKY,
    "plain": ANSWER,
    "plain_prose": "Sure! " + ANSWER,
}


@pytest.mark.parametrize("case", sorted(TEXTS))
def test_inline_whole(case):
    assert split_text(TEXTS[case]) == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(TEXTS))
def test_inline_split_at_every_position(case):
    text = TEXTS[case]
    for cut in range(len(text) + 1):
        deltas = [{"content": text[:cut]}, {"content": text[cut:]}]
        assert run(deltas) == EXPECTED[case], f"split at {cut}: {text[:cut]!r} | {text[cut:]!r}"


@pytest.mark.parametrize("case", ["tagged", "untagged", "tricky"])
def test_inline_three_way_split_everywhere(case):
    text = TEXTS[case]
    for a, b in itertools.combinations(range(len(text) + 1), 2):
        deltas = [{"content": text[:a]}, {"content": text[a:b]}, {"content": text[b:]}]
        assert run(deltas) == EXPECTED[case], f"split at {a},{b}"


@pytest.mark.parametrize("case", ["tagged", "untagged", "tricky", "plain"])
def test_inline_one_character_per_chunk(case):
    assert run([{"content": ch} for ch in TEXTS[case]]) == EXPECTED[case]


def test_leading_newlines_after_close_tag_are_stripped():
    assert run(
        [
            {"content": "<think>x</think>"},
            {"content": "\n"},
            {"content": "\n \n"},
            {"content": "A\n\nB"},
        ]
    ) == ("x", "A\n\nB")


def test_thinking_is_streamed_while_the_think_block_is_open():
    splitter = ReasoningSplitter()
    first = splitter.feed({"content": "<think>step one, "})
    assert first == [ThinkingChunk("step one, ")]
    assert splitter.feed({"content": "step two</th"}) == [ThinkingChunk("step two")]
    assert splitter.feed({"content": "ink>done"}) == [ContentChunk("done")]


def test_untagged_reasoning_is_held_until_close_tag():
    splitter = ReasoningSplitter()
    assert splitter.feed({"content": "I think the user wants "}) == []
    assert splitter.feed({"content": "snake.</think>\n## Spec"}) == [
        ThinkingChunk("I think the user wants snake."),
        ContentChunk("## Spec"),
    ]


def test_untagged_answer_starting_with_a_heading_is_released_at_once():
    splitter = ReasoningSplitter()
    assert splitter.feed({"content": "## 目标\n"}) == [ContentChunk("## 目标\n")]
    assert splitter.feed({"content": "more"}) == [ContentChunk("more")]


def test_untagged_answer_with_a_heading_after_a_sentence_is_released_at_the_heading():
    splitter = ReasoningSplitter()
    assert splitter.feed({"content": "好的，下面是需求说明。\n"}) == []
    assert splitter.feed({"content": "## 目标"}) == [
        ContentChunk("好的，下面是需求说明。\n## 目标")
    ]


def test_untagged_code_fence_first_is_an_answer():
    assert ReasoningSplitter().feed({"content": "```python main.py\n"}) == [
        ContentChunk("```python main.py\n")
    ]


def test_untagged_text_released_after_hold_limit():
    splitter = ReasoningSplitter(hold_limit=20)
    assert splitter.feed({"content": "Sure, here is a calm answer"}) == [
        ContentChunk("Sure, here is a calm answer")
    ]


LIMIT_CASES = {
    # </think> starts inside the window → reasoning
    "inside": ("x" * 10 + "</think>answer", ("x" * 10, "answer")),
    # </think> starts after the window → everything is content (the stray tag is dropped)
    "outside": ("x" * 30 + "</think>answer", ("", "x" * 30 + "answer")),
    # a heading before </think> → an answer (the stray tag is dropped)
    "heading_first": ("ok\n# Title\n</think>rest", ("", "ok\n# Title\nrest")),
}


@pytest.mark.parametrize("case", sorted(LIMIT_CASES))
def test_hold_limit_decision_does_not_depend_on_chunk_boundaries(case):
    text, expected = LIMIT_CASES[case]
    for cut in range(len(text) + 1):
        assert run([{"content": text[:cut]}, {"content": text[cut:]}], hold_limit=20) == expected, (
            cut
        )


def test_structured_copy_wins_over_inline_copy():
    deltas = [
        {"reasoning_content": "structured "},
        {"reasoning_content": "reasoning"},
        {"content": "<think>structured reasoning</think>\n\n答案"},
    ]
    assert run(deltas) == ("structured reasoning", "答案")


@pytest.mark.parametrize("cut", range(len(TAGGED) + 1))
def test_structured_copy_wins_at_every_split(cut):
    deltas = [
        {"reasoning_details": [reasoning_detail(THOUGHT)]},
        {"content": TAGGED[:cut]},
        {"content": TAGGED[cut:]},
    ]
    assert run(deltas) == (THOUGHT, ANSWER)


def test_content_after_structured_reasoning_is_not_held_back():
    splitter = ReasoningSplitter()
    splitter.feed({"reasoning": "think"})
    assert splitter.feed({"content": "Sure, the answer"}) == [ContentChunk("Sure, the answer")]


def test_inline_reasoning_first_then_structured_is_not_doubled():
    deltas = [{"content": "<think>r</think>answer"}, {"reasoning_content": "r"}]
    assert run(deltas) == ("r", "answer")


# --- issue 16 A8: streams seen in peer tests and recorded real streams -------------------


def details_delta(text):
    return {"reasoning_details": [reasoning_detail(text)]}


def test_incremental_details_where_a_piece_is_a_prefix_of_the_next_lose_nothing():
    assert run([details_delta("a"), details_delta("and"), {"content": "# Spec"}]) == (
        "aand",
        "# Spec",
    )


def test_incremental_details_that_never_prove_cumulative_are_kept_whole_at_finish():
    assert run([details_delta("\n"), details_delta("\n\n"), details_delta("x")]) == ("\n\n\nx", "")


def test_cumulative_details_snapshots_give_the_text_once():
    snapshots = [
        "The user wants a snake game",
        "The user wants a snake game on a grid",
        "The user wants a snake game on a grid. Plan it.",
    ]
    assert run([details_delta(s) for s in snapshots] + [{"content": "# P"}]) == (
        snapshots[-1],
        "# P",
    )


def test_cumulative_snapshots_in_reasoning_content_are_not_repeated():
    snapshots = [
        "Let me think about this problem",
        "Let me think about this problem carefully",
        "Let me think about this problem carefully now",
    ]
    deltas = [{"reasoning_content": s} for s in snapshots] + [{"content": "# A"}]
    assert run(deltas) == (snapshots[-1], "# A")


def test_deepseek_incremental_reasoning_content_is_unchanged():
    pieces = ["用户想要", "一个贪吃蛇", "游戏。"]
    assert run([{"reasoning_content": p, "content": None} for p in pieces]) == ("".join(pieces), "")


def test_code_fence_inside_untagged_reasoning_stays_reasoning():
    reasoning = "I could write\n```python\n# a comment, not a heading\nx = 1\n```\nthen check it"
    assert split_text(reasoning + "</think># Spec\nhi") == (reasoning, "# Spec\nhi")


def test_reasoning_that_opens_with_a_plain_fence_waits_for_its_close_tag():
    reasoning = "```python\nx = 1\n```\nthat is the idea"
    assert split_text(reasoning + "</think># Spec") == (reasoning, "# Spec")


def test_a_file_fence_first_is_an_answer_at_once():
    answer = "```python main.py\nprint('hi')\n```\n"
    splitter = ReasoningSplitter()
    first = splitter.feed({"content": answer})
    assert "".join(c.text for c in first) == answer  # released without waiting for the end


def test_a_second_stray_close_tag_is_dropped_even_when_split_across_chunks():
    text = "<think>r</think># A\n</think>b"
    for cut in range(len(text) + 1):
        assert run([{"content": text[:cut]}, {"content": text[cut:]}]) == ("r", "# A\nb"), cut


def test_untagged_reasoning_longer_than_4096_characters_is_still_reasoning():
    reasoning = "thinking about the grid. " * 400  # 10,000 characters, as R1 and GLM often send
    assert split_text(reasoning + "</think># Spec") == (reasoning, "# Spec")
