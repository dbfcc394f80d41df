"""validate.py: extracting files from a model answer and checking them before they touch disk."""

from __future__ import annotations

import re
import string

import pytest

from codeflow_widget.checks.validate import (
    MESSAGES,
    STDLIB,
    SourceFile,
    ValidationResult,
    extract_files,
    validate_answer,
    validate_files,
)
from codeflow_widget.model.entities import MAX_FILE_BYTES, MAX_PROJECT_BYTES

F = "```"
GAME = 'import pygame\n\npygame.init()\nprint("hi")\n'
CJK = re.compile(r"[\u4e00-\u9fff]")


def check(code: str, path: str = "main.py", **kwargs) -> ValidationResult:
    return validate_files([SourceFile(path, code)], **kwargs)


def codes(result: ValidationResult) -> list[str]:
    return [f.code for f in result.findings]


def only(result: ValidationResult, code: str):
    found = [f for f in result.findings if f.code == code]
    assert len(found) == 1, result.findings
    return found[0]


def paths(files) -> list[str]:
    return [f.path for f in files]


# -- extract_files ------------------------------------------------------------------------


def test_single_unnamed_block_becomes_main_py():
    files = extract_files(f"Here you go:\n\n{F}python\n{GAME}{F}\n\nHave fun!")
    assert files == [SourceFile("main.py", GAME)]


@pytest.mark.parametrize(
    "info",
    ["python main.py", "main.py", 'py title="main.py"', "python:main.py", "python filename=main.py",
     "python3 main.py", "Python  main.py  ", "python {main.py}", 'python "main.py"'],
)  # fmt: skip
def test_file_name_from_fence_info(info):
    assert extract_files(f"{F}{info}\n{GAME}{F}\n") == [SourceFile("main.py", GAME)]


def test_file_name_from_fence_info_keeps_folders():
    files = extract_files(f"{F}python utils/helpers.py\nX = 1\n{F}\n{F}python main.py\n{GAME}{F}\n")
    assert paths(files) == ["utils/helpers.py", "main.py"]


@pytest.mark.parametrize(
    "comment, name",
    [("# main.py", "main.py"), ("# 文件: main.py", "main.py"), ("# 文件名：game.py", "game.py"),
     ("# File: utils/helpers.py", "utils/helpers.py"), ("# snake.py — 游戏入口", "snake.py"),
     ("#main.py", "main.py")],
)  # fmt: skip
def test_file_name_from_first_line_comment(comment, name):
    files = extract_files(f"{F}python\n{comment}\nX = 1\n{F}\n")
    assert files == [SourceFile(name, f"{comment}\nX = 1\n")]  # the comment line stays


def test_first_line_comment_after_shebang_and_coding_line():
    code = "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# game.py\nX = 1\n"
    assert paths(extract_files(f"{F}python\n{code}{F}\n")) == ["game.py"]


def test_first_line_comment_that_is_just_prose_is_not_a_name():
    files = extract_files(f"{F}python\n# 调用 pygame.init() 初始化\nX = 1\n{F}\n")
    assert paths(files) == ["main.py"]


def test_comment_naming_a_non_python_file_is_removed_from_it():
    files = extract_files(f'{F}json\n// config.json\n{{"speed": 10}}\n{F}\n')
    assert files == [SourceFile("config.json", '{"speed": 10}\n')]


@pytest.mark.parametrize(
    "heading",
    ["**main.py**", "### main.py", "## 文件：`main.py`", "Save this as `main.py`:", "### 2. 主程序（main.py）",
     "**`main.py`**", "main.py："],
)  # fmt: skip
def test_file_name_from_heading_or_bold_line_before_fence(heading):
    answer = (
        f"Intro\n\n{heading}\n\n{F}python\n{GAME}{F}\n\n**settings.py**\n{F}python\nS = 1\n{F}\n"
    )
    assert paths(extract_files(answer)) == ["main.py", "settings.py"]


def test_heading_naming_two_files_is_not_used():
    answer = f"### Update main.py to use utils.py:\n{F}python\nX = 1\n{F}\n"
    assert paths(extract_files(answer)) == ["main.py"]  # the unnamed-block rule, not the heading


def test_heading_name_ignored_when_block_language_disagrees():
    answer = f"**config.json**\n{F}python\nX = 1\n{F}\n"
    assert paths(extract_files(answer)) == ["main.py"]


def test_heading_far_above_or_before_another_block_is_not_used():
    answer = f"**utils.py**\n{F}python\nU = 1\n{F}\n{F}python\nX = 1\n{F}\n"
    assert paths(extract_files(answer)) == ["main.py", "utils.py"]


@pytest.mark.parametrize(
    "lang", ["bash", "sh", "shell", "console", "powershell", "cmd", "bat", "ps1", "zsh"]
)
def test_shell_blocks_are_not_files(lang):
    answer = (
        f"{F}python\n{GAME}{F}\n\nRun it:\n\n{F}{lang}\npip install pygame\npython main.py\n{F}\n"
    )
    assert paths(extract_files(answer)) == ["main.py"]


def test_shell_block_is_skipped_even_under_a_file_name_heading():
    answer = f"{F}python main.py\n{GAME}{F}\n### 运行 main.py\n{F}bash\npython main.py\n{F}\n"
    assert extract_files(answer) == [SourceFile("main.py", GAME)]


@pytest.mark.parametrize("lang", ["text", "", "txt", "plaintext"])
def test_text_blocks_with_pip_commands_are_not_files(lang):
    answer = (
        f"{F}python\n{GAME}{F}\n## 运行 main.py\n{F}{lang}\n先安装：\npip install pygame\n{F}\n"
    )
    assert extract_files(answer) == [SourceFile("main.py", GAME)]


def test_unnamed_plain_block_of_commands_is_not_a_file():
    answer = f"{F}python\n{GAME}{F}\n{F}\n$ python main.py\n{F}\n"
    assert paths(extract_files(answer)) == ["main.py"]


@pytest.mark.parametrize("lang", ["json", "text", "markdown", "csv", "javascript", "toml"])
def test_unnamed_non_python_blocks_are_skipped(lang):
    answer = f"{F}python\n{GAME}{F}\n{F}{lang}\nsomething\n{F}\n"
    assert paths(extract_files(answer)) == ["main.py"]


def test_named_text_files_are_kept():
    answer = f"{F}python main.py\n{GAME}{F}\n**assets/level.txt**\n{F}text\n#####\n#..#\n{F}\n"
    assert extract_files(answer)[1] == SourceFile("assets/level.txt", "#####\n#..#\n")


def test_unlabelled_block_that_looks_like_python_becomes_main_py():
    assert paths(extract_files(f"{F}\n{GAME}{F}\n")) == ["main.py"]


def test_several_unnamed_python_blocks_first_is_main_others_warned():
    answer = f"{F}python\n{GAME}{F}\nAlso:\n{F}python\nSPEED = 5\n{F}\n{F}py\nX = 1\n{F}\n"
    result = validate_answer(answer)
    assert paths(result.files) == ["main.py"] and result.files[0].content == GAME
    warned = [f for f in result.findings if f.code == "unnamed_block"]
    assert [f.severity for f in warned] == ["warning", "warning"]
    assert "第 2 个" in warned[0].message and "#3" in warned[1].message_en


def test_unnamed_python_block_ignored_when_main_py_is_named():
    answer = f"{F}python main.py\n{GAME}{F}\nChange the speed:\n{F}python\nSPEED = 5\n{F}\n"
    result = validate_answer(answer)
    assert result.files == (SourceFile("main.py", GAME),)
    assert only(result, "unnamed_block").severity == "warning"


def test_unnamed_python_block_is_main_beside_named_helpers():
    answer = f"{F}python utils.py\nU = 1\n{F}\n{F}python\nimport utils\n{F}\n"
    assert paths(extract_files(answer)) == ["main.py", "utils.py"]


def test_duplicate_names_last_wins_with_warning():
    answer = f"{F}python main.py\nOLD = 1\n{F}\nFixed:\n{F}python main.py\n{GAME}{F}\n"
    result = validate_answer(answer)
    assert result.files == (SourceFile("main.py", GAME),)
    warning = only(result, "duplicate_file")
    assert warning.severity == "warning" and warning.file == "main.py" and "2" in warning.message


def test_tilde_fences():
    assert extract_files(f"~~~python main.py\n{GAME}~~~\n") == [SourceFile("main.py", GAME)]


def test_closing_fence_must_match_opening_character_and_length():
    code = f"X = '''\n{F}\n'''\n~~~\n"
    answer = f"~~~~python main.py\n{code}~~~~\n"
    assert extract_files(answer) == [SourceFile("main.py", code)]


def test_unterminated_final_fence_is_taken_to_the_end():
    answer = f"{F}python utils.py\nU = 1\n{F}\n{F}python main.py\n{GAME}"
    assert extract_files(answer)[1] == SourceFile("main.py", GAME)


def test_line_endings_are_normalised():
    answer = f"{F}python main.py\r\nA = 1\r\nB = 2\rC = 3\r\n{F}\r\n"
    assert extract_files(answer) == [SourceFile("main.py", "A = 1\nB = 2\nC = 3\n")]


def test_inner_fences_of_a_markdown_file_do_not_close_it():
    readme = f"# 贪吃蛇\n\n运行：\n\n{F}bash\npython main.py\n{F}\n\n祝你玩得开心\n"
    answer = f"{F}python main.py\n{GAME}{F}\n{F}markdown README.md\n{readme}{F}\n"
    assert extract_files(answer)[1] == SourceFile("README.md", readme)


def test_indented_fence_is_dedented():
    answer = f"1. 主程序：\n\n   {F}python main.py\n   A = 1\n   if A:\n       B = 2\n   {F}\n"
    assert extract_files(answer) == [SourceFile("main.py", "A = 1\nif A:\n    B = 2\n")]


def test_inline_triple_backticks_are_not_fences():
    answer = f"Use {F}python main.py{F} to run it.\n{F}python main.py\n{GAME}{F}\n"
    assert extract_files(answer) == [SourceFile("main.py", GAME)]


def test_no_code_block_gives_no_code_error():
    result = validate_answer("抱歉，我不能帮你写这个程序。")
    assert codes(result) == ["no_code"] and not result.ok and result.files == ()
    assert result.main_file is None and not result.safe_to_keep


def test_only_shell_blocks_gives_no_code_error():
    assert codes(validate_answer(f"{F}bash\npip install pygame\n{F}\n")) == ["no_code"]


def test_validate_answer_passes_a_clean_answer():
    result = validate_answer(f"**main.py**\n{F}python\n{GAME}{F}\n")
    assert result.ok and result.findings == () and result.dependencies == ("pygame",)


# -- SourceFile -----------------------------------------------------------------------------


def test_source_file_size_counts_utf8_bytes():
    assert SourceFile("main.py", "中a").size == 4
    assert SourceFile("main.py", "\udcff").size == 3  # surrogates are counted, not an error


@pytest.mark.parametrize(
    "path, language",
    [("main.py", "python"), ("README.md", "markdown"), ("a/level.TXT", "text"), ("c.json", "json"),
     ("d.csv", "csv"), ("noext", "text")],
)  # fmt: skip
def test_language_from_suffix(path, language):
    assert SourceFile(path, "").language == language


# -- paths ----------------------------------------------------------------------------------


def bad_path(path: str, code: str = "unsafe_path") -> ValidationResult:
    result = validate_files([SourceFile("main.py", GAME), SourceFile(path, "X = 1\n")])
    finding = only(result, code)
    assert finding.severity == "error" and finding.file == path
    assert paths(result.files) == ["main.py"]  # the bad file is dropped, the good one kept
    assert not result.ok and not result.safe_to_keep
    return result


@pytest.mark.parametrize(
    "path", ["../evil.py", "a/../../evil.py", "..\\evil.py", "a/..", "assets/../../x.txt"]
)
def test_parent_dir_escape_rejected(path):
    bad_path(path)


@pytest.mark.parametrize(
    "path",
    ["/etc/evil.py", "\\evil.py", "\\\\server\\share\\x.py", "C:/x.py", "c:x.py", "D:\\x.py"],
)
def test_absolute_and_drive_paths_rejected(path):
    bad_path(path)


@pytest.mark.parametrize("path", ["a//b.py", "a/./b.py", "dir/", ""])
def test_empty_or_dot_segments_rejected(path):
    bad_path(path)


@pytest.mark.parametrize("path", ["~/x.py", "a/~b.py", "~x.py"])
def test_tilde_names_rejected(path):
    bad_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "CON",
        "nul.py",
        "Com1.txt",
        "LPT9",
        "aux/x.py",
        "prn.md",
        "con.tar.txt",
        "lpt1.py",
        "sub/NUL.json",
        "COM¹.py",
    ],
)
def test_reserved_windows_names_rejected(path):
    result = bad_path(path)
    assert "Windows" in result.findings[0].message


@pytest.mark.parametrize(
    "path", ["console.py", "com10.py", "nullable.py", "auxiliary.txt", "contest/a.py", "lpt.py"]
)
def test_names_that_merely_resemble_reserved_ones_are_fine(path):
    assert validate_files([SourceFile("main.py", GAME), SourceFile(path, "X = 1\n")]).ok


@pytest.mark.parametrize(
    "path",
    ["a<b.py", "a>b.py", 'a"b.py', "a|b.py", "a?.py", "a*.py", "a:b.py", "a\tb.py", "a\x01.py"],
)
def test_characters_illegal_on_windows_rejected(path):
    bad_path(path)


@pytest.mark.parametrize("path", ["main2.py.", "dir./x.py", "dir /x.py", "x.py "])
def test_trailing_dot_or_space_rejected(path):
    bad_path(path)


def test_path_length_limit_is_100_characters():
    ok_path = "d/" + "a" * 95 + ".py"
    assert len(ok_path) == 100 and validate_files([SourceFile(ok_path, "X = 1\n")]).ok
    bad_path("d/" + "a" * 96 + ".py")


def test_at_most_four_levels_deep():
    assert validate_files([SourceFile("main.py", GAME), SourceFile("a/b/c/d.py", "X = 1\n")]).ok
    bad_path("a/b/c/d/e.py")


def test_backslashes_become_slashes_and_leading_dot_slash_is_dropped():
    result = validate_files(
        [SourceFile(".\\main.py", GAME), SourceFile("utils\\helpers.py", "X = 1\n")]
    )
    assert result.ok and paths(result.files) == ["main.py", "utils/helpers.py"]


@pytest.mark.parametrize("other", ["MAIN.py", "Main.PY", "main.py/x.py"])
def test_names_colliding_case_insensitively_rejected(other):
    result = validate_files([SourceFile("main.py", GAME), SourceFile(other, "X = 1\n")])
    finding = only(result, "unsafe_path")
    assert finding.file == other and "main.py" in finding.message
    assert paths(result.files) == ["main.py"]


def test_same_folder_in_different_case_is_not_a_collision():
    result = validate_files(
        [SourceFile("main.py", GAME), SourceFile("lib/a.py", ""), SourceFile("Lib/b.py", "")]
    )
    assert result.ok


def test_exact_duplicate_paths_last_wins_with_warning():
    result = validate_files(
        [
            SourceFile("main.py", "A = 1\n"),
            SourceFile("./main.py", "B = 1\n"),
            SourceFile("main.py", GAME),
        ]
    )
    assert result.files == (SourceFile("main.py", GAME),) and codes(result) == ["duplicate_file"]
    assert "3" in result.findings[0].message


def test_at_most_50_files():
    many = [SourceFile("main.py", GAME)] + [SourceFile(f"level{i}.txt", "x") for i in range(49)]
    assert validate_files(many).ok
    result = validate_files([*many, SourceFile("one_more.txt", "x")])
    finding = only(result, "too_many_files")
    assert finding.severity == "error" and "51" in finding.message
    assert not result.ok and not result.safe_to_keep


@pytest.mark.parametrize(
    "path", ["virus.exe", "run.sh", "sprite.png", "Makefile", "index.html", "setup.cfg", "main.pyw"]
)
def test_only_py_md_txt_json_csv_allowed(path):
    bad_path(path, "file_type")


@pytest.mark.parametrize(
    "path", ["README.md", "notes.txt", "data/config.json", "scores.csv", "GAME.PY"]
)
def test_allowed_file_types_pass(path):
    assert validate_files([SourceFile("main.py", GAME), SourceFile(path, "")]).ok


# -- content safety -------------------------------------------------------------------------


def test_nul_bytes_rejected():
    result = validate_files(
        [SourceFile("main.py", GAME), SourceFile("data.txt", "ok\nbad\x00here\n")]
    )
    finding = only(result, "binary_content")
    assert (finding.file, finding.line) == ("data.txt", 2) and "\\x00" in finding.message
    assert paths(result.files) == ["main.py"] and not result.safe_to_keep


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x08", "\x0b", "\x1b", "\x1f", "\x7f"])
def test_binary_control_characters_rejected(char):
    assert "binary_content" in codes(check(f"X = 1  # {char}\n"))


def test_tab_newline_carriage_return_and_form_feed_are_fine():
    assert check("def f():\n\treturn 1\r\n\f\nX = f()\n").ok


def test_lone_surrogates_rejected():
    broken = b"caf\xe9 = 1\n".decode("utf-8", errors="surrogateescape")
    result = validate_files([SourceFile("main.py", GAME), SourceFile("data.txt", "ok\n" + broken)])
    finding = only(result, "invalid_utf8")
    assert (finding.file, finding.line) == ("data.txt", 2)
    assert paths(result.files) == ["main.py"] and not result.safe_to_keep


def test_file_over_1mb_rejected():
    at_limit = SourceFile("big.txt", "x" * (MAX_FILE_BYTES - 1))
    assert validate_files([SourceFile("main.py", GAME), at_limit]).ok
    result = validate_files(
        [SourceFile("main.py", GAME), SourceFile("big.txt", "x" * MAX_FILE_BYTES)]
    )
    finding = only(result, "file_too_large")
    assert finding.file == "big.txt" and str(MAX_FILE_BYTES) in finding.message
    assert paths(result.files) == ["main.py"] and not result.safe_to_keep


def test_file_size_limit_counts_bytes_not_characters():
    chinese = "中" * (MAX_FILE_BYTES // 3 + 1)  # fewer than 1 Mi characters, more than 1 MiB
    assert "file_too_large" in codes(
        validate_files([SourceFile("main.py", GAME), SourceFile("a.txt", chinese)])
    )


def test_project_over_10mb_rejected():
    chunk = MAX_FILE_BYTES - 1
    files = [SourceFile(f"data{i}.txt", "x" * chunk) for i in range(9)]
    rest = MAX_PROJECT_BYTES - 9 * chunk - len(GAME)
    assert 0 < rest < MAX_FILE_BYTES
    exactly = [SourceFile("main.py", GAME), *files, SourceFile("pad.txt", "x" * rest)]
    assert sum(f.size for f in exactly) == MAX_PROJECT_BYTES
    assert validate_files(exactly).ok
    over = [*exactly[:-1], SourceFile("pad.txt", "x" * (rest + 1))]
    result = validate_files(over)
    finding = only(result, "project_too_large")
    assert finding.severity == "error" and not result.ok and not result.safe_to_keep


# -- syntax ---------------------------------------------------------------------------------


def test_syntax_error_reports_line():
    result = check("import pygame\n\n\ndef f(:\n    pass\n")
    finding = only(result, "syntax_error")
    assert finding.file == "main.py" and finding.line == 4 and finding.severity == "error"
    assert finding.message.startswith("语法错误：")
    assert not result.ok and not result.syntax_ok and result.safe_to_keep


def test_syntax_error_line_and_message_from_python():
    finding = only(check("x = 1\nif x\n    pass\n"), "syntax_error")
    assert finding.line == 2 and "expected ':'" in finding.message


def test_syntax_ok_needs_every_python_file_to_parse():
    good = validate_files([SourceFile("main.py", GAME), SourceFile("b.py", "X = 1\n")])
    assert good.syntax_ok
    bad = validate_files([SourceFile("main.py", GAME), SourceFile("b.py", "def (:\n")])
    assert not bad.syntax_ok and only(bad, "syntax_error").file == "b.py"


def test_syntax_ok_false_without_python_files():
    assert not validate_files([SourceFile("a.txt", "x")]).syntax_ok


def test_non_python_files_are_not_parsed():
    assert validate_files([SourceFile("main.py", GAME), SourceFile("notes.txt", "def (:")]).ok


def test_syntax_warnings_are_not_errors(capsys):
    assert check('import re\nP = re.compile("\\d+")\n').ok
    assert capsys.readouterr().err == ""


# -- imports and dangerous calls ------------------------------------------------------------


@pytest.mark.parametrize(
    "line, module",
    [("import requests", "requests"), ("from numpy import array", "numpy"), ("import flask.app", "flask.app"),
     ("import socket", "socket"), ("import subprocess", "subprocess"), ("import shutil", "shutil"),
     ("from urllib.request import urlopen", "urllib.request"), ("import http.server", "http.server"),
     ("import ctypes", "ctypes"), ("import webbrowser", "webbrowser"), ("import multiprocessing", "multiprocessing"),
     ("import winreg", "winreg"), ("import pty", "pty"), ("import smtplib", "smtplib")],
)  # fmt: skip
def test_disallowed_import_names_module_and_line(line, module):
    result = check(f"import pygame\n\n{line}\n")
    finding = only(result, "disallowed_import")
    assert finding.line == 3 and module in finding.message and module in finding.message_en
    assert finding.severity == "error" and not result.ok and result.safe_to_keep


def test_disallowed_third_party_import_suggests_the_approved_ones():
    finding = only(
        check("import requests\n", allowed_imports=("pygame", "numpy")), "disallowed_import"
    )
    assert "numpy, pygame" in finding.message and "标准库" in finding.message


@pytest.mark.parametrize(
    "code, name",
    [("import os\nos.system('dir')", "os.system"), ("import os\nos.popen('ls')", "os.popen"),
     ("import os\nos.remove('x')", "os.remove"), ("import os\nos.unlink('x')", "os.unlink"),
     ("import os\nos.rmdir('x')", "os.rmdir"), ("import os\nos.removedirs('x')", "os.removedirs"),
     ("import os\nos.kill(1, 9)", "os.kill"), ("import os\nos.execv('x', [])", "os.execv"),
     ("import os\nos.spawnl(0, 'x')", "os.spawnl"), ("import os\nos.startfile('x')", "os.startfile"),
     ("eval('1 + 1')", "eval"), ("exec('x = 1')", "exec"), ("compile('1', 'f', 'eval')", "compile"),
     ("__import__('os')", "__import__"), ("import importlib\nimportlib.import_module('os')", "importlib.import_module"),
     ("from pathlib import Path\nPath('x').unlink()", ".unlink"), ("import pathlib\np = pathlib.Path('d')\np.rmdir()", ".rmdir"),
     ("import os as o\no.system('x')", "os.system"), ("from os import system as run\nrun('x')", "os.system"),
     ("from os import remove\nremove('x')", "os.remove"), ("from os import *\nsystem('x')", "os.system"),
     ("import builtins\nbuiltins.eval('1')", "eval"), ("import os\nf = os.system", "os.system")],
)  # fmt: skip
def test_dangerous_calls_rejected(code, name):
    result = check(code + "\n")
    finding = only(result, "dangerous_call")
    assert (
        finding.line == code.count("\n") + 1
        and name in finding.message
        and finding.severity == "error"
    )
    assert not result.ok and result.safe_to_keep


def test_shutil_rmtree_is_both_a_disallowed_import_and_a_dangerous_call():
    result = check("import shutil\nshutil.rmtree('saves')\n")
    assert codes(result) == ["disallowed_import", "dangerous_call"]


@pytest.mark.parametrize(
    "code",
    ["import re\nP = re.compile('a+')", "def compile(x):\n    return x\ncompile(1)", "items = [1]\nitems.remove(1)",
     "class A:\n    def eval(self):\n        return 1\nA().eval()", "import os\nos.path.join('a', 'b')",
     "import os\nos.makedirs('saves', exist_ok=True)", "import os\nos.replace('a.tmp', 'a.json')"],
)  # fmt: skip
def test_look_alikes_of_dangerous_calls_are_fine(code):
    assert check(code + "\n").ok, check(code + "\n").findings


@pytest.mark.parametrize(
    "code",
    [
        "import random, math, json, time, sys, os\nfrom pathlib import Path\nfrom dataclasses import dataclass",
        "from __future__ import annotations\nimport collections.abc\nimport tkinter as tk\nimport turtle",
    ],
)
def test_stdlib_imports_allowed(code):
    assert check(code + "\n").ok


def test_own_modules_and_relative_imports_allowed():
    files = [
        SourceFile(
            "main.py", "import settings\nfrom utils.helpers import clamp\nfrom game import snake\n"
        ),
        SourceFile("settings.py", "from . import colors\nfrom .colors import RED\n"),
        SourceFile("utils/helpers.py", "def clamp(x):\n    return x\n"),
        SourceFile("game/snake.py", "import helpers\n"),
    ]
    result = validate_files(files)
    assert result.ok and result.dependencies == ()


def test_pygame_allowed_and_listed_as_dependency():
    result = validate_files(
        [
            SourceFile("main.py", "import pygame\nimport pygame.mixer\nimport random\n"),
            SourceFile("b.py", "from pygame import Rect\n"),
        ]
    )
    assert result.ok and result.dependencies == ("pygame",)


def test_pygame_not_listed_when_unused():
    assert check("import random\n").dependencies == ()


def test_allow_list_is_configurable():
    code = "import pygame\nimport numpy as np\n"
    assert codes(check(code)) == ["disallowed_import"]
    result = check(code, allowed_imports=["pygame", "numpy"])
    assert result.ok and result.dependencies == ("numpy", "pygame")
    stdlib_only = check(code, allowed_imports=())
    assert [(f.code, f.line) for f in stdlib_only.findings] == [
        ("disallowed_import", 1),
        ("disallowed_import", 2),
    ]
    assert "只能用 Python 标准库。" in stdlib_only.findings[0].message


def test_allow_list_may_be_a_single_string():
    assert check("import numpy\n", allowed_imports="numpy").dependencies == ("numpy",)


def test_teacher_may_allow_a_dangerous_stdlib_module_explicitly():
    result = check("import socket\n", allowed_imports=("pygame", "socket"))
    assert result.ok and result.dependencies == ()  # stdlib modules are never dependencies


def test_stdlib_is_the_running_pythons_module_list():
    assert {"os", "json", "tkinter", "__future__"} <= STDLIB and "pygame" not in STDLIB


# -- Windows compatibility ------------------------------------------------------------------


@pytest.mark.parametrize("call", ["os.fork()", "os.forkpty()", "os.getuid()", "os.uname()"])
def test_posix_only_calls_rejected(call):
    finding = only(check(f"import os\npid = {call}\n"), "posix_only")
    assert finding.line == 2 and "Windows" in finding.message and finding.severity == "error"


@pytest.mark.parametrize("module", ["fcntl", "termios", "tty", "pwd", "grp", "resource", "curses"])
def test_posix_only_modules_rejected(module):
    finding = only(check(f"import sys\nimport {module}\n"), "posix_only")
    assert finding.line == 2 and module in finding.message


@pytest.mark.parametrize(
    "code",
    ["import signal\nsignal.signal(signal.SIGALRM, print)", "import signal\nsignal.alarm(5)",
     "import signal\nsignal.pause()", "from signal import SIGKILL\nx = SIGKILL",
     "import signal as s\nx = s.SIGUSR1", "import signal\nx = signal.SIGHUP"],
)  # fmt: skip
def test_posix_signals_rejected(code):
    assert only(check(code + "\n"), "posix_signal").line == 2


def test_portable_signals_are_fine():
    assert check(
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_DFL)\nx = signal.SIGTERM\n"
    ).ok


@pytest.mark.parametrize(
    "literal",
    [
        "'/tmp/score.txt'",
        "'/tmp'",
        "'/dev/null'",
        "'/home/me/x.json'",
        "'/Users/me/x'",
        "f'/tmp/{n}.txt'",
    ],
)
def test_posix_paths_rejected(literal):
    finding = only(check(f"n = 1\nP = {literal}\n"), "posix_path")
    assert finding.line == 2 and "macOS/Linux" in finding.message


@pytest.mark.parametrize(
    "code",
    ["P = 'data/tmp.txt'", "P = 'a/tmp'", "n = 1\nP = f'{n}/tmp/x'", "def f():\n    '''Writes to /tmp/x on Linux.'''",
     "P = '/temp.txt'.lstrip('/')"],
)  # fmt: skip
def test_paths_that_are_not_posix_absolute_are_fine(code):
    assert check(code + "\n").ok


def test_shebang_is_fine():
    assert check("#!/usr/bin/env python3\n" + GAME).ok


@pytest.mark.parametrize(
    "code",
    ["f = open('score.txt')", "f = open('score.txt', 'w')", "f = open('s.txt', mode='a')", "f = open('s.txt', 'r', 1)",
     "import io\nf = io.open('s.txt')", "from pathlib import Path\nf = Path('s.txt').open()",
     "from pathlib import Path\nf = Path('s.txt').open('w')", "from pathlib import Path\nt = Path('s.txt').read_text()",
     "from pathlib import Path\nPath('s.txt').write_text('1')", "def load(p):\n    return p.read_text()",
     "from pathlib import Path\nBASE = Path(__file__).parent\nwith (BASE / 'h.txt').open('r') as fh:\n    pass"],
)  # fmt: skip
def test_open_without_encoding_flagged(code):
    result = check(code + "\n")
    finding = only(result, "missing_encoding")
    assert 'encoding="utf-8"' in finding.message and finding.severity == "error"
    assert finding.line == next(
        i for i, ln in enumerate(code.split("\n"), 1) if "open" in ln or "_text" in ln
    )


@pytest.mark.parametrize(
    "code",
    ["f = open('a.bin', 'rb')", "f = open('a.bin', mode='wb')", "f = open('a.bin', 'ab+')", "f = open('a', 'r+b')",
     "from pathlib import Path\nf = Path('a').open('rb')", "from pathlib import Path\nb = Path('a').read_bytes()",
     "from pathlib import Path\nPath('a').write_bytes(b'1')"],
)  # fmt: skip
def test_binary_open_not_flagged(code):
    assert check(code + "\n").ok


@pytest.mark.parametrize(
    "code",
    ["f = open('s.txt', encoding='utf-8')", "f = open('s.txt', 'w', encoding='utf-8')", "f = open('s', 'r', -1, 'utf-8')",
     "from pathlib import Path\nt = Path('s').read_text('utf-8')", "from pathlib import Path\nPath('s').write_text('1', 'utf-8')",
     "from pathlib import Path\nf = Path('s').open('w', encoding='utf-8')", "import gzip\nf = gzip.open('a.gz')",
     "import wave\nw = wave.open('a.wav')", "def f(mode):\n    return open('s', mode)", "def f(**kw):\n    return open('s', **kw)"],
)  # fmt: skip
def test_open_with_encoding_or_not_a_text_open_is_fine(code):
    assert check(code + "\n").ok, check(code + "\n").findings


@pytest.mark.parametrize(
    "code",
    ["import os\nos.system('cls')", "import os\nos.system('clear')",
     "import os\nos.system('cls' if os.name == 'nt' else 'clear')", "from os import system\nsystem('clear')"],
)  # fmt: skip
def test_clearing_the_screen_gets_its_own_message(code):
    result = check(code + "\n")
    finding = only(result, "clear_screen")
    assert finding.severity == "error" and finding.line == 2 and "清屏" in finding.message
    assert "dangerous_call" not in codes(result)


def test_ansi_escape_in_print_is_a_warning():
    result = check('print("\\033[31m红色\\033[0m")\nRED = "\\x1b[31m"\n')
    warnings = [f for f in result.findings if f.code == "ansi_escape"]
    assert [(w.severity, w.line) for w in warnings] == [("warning", 1), ("warning", 2)]
    assert result.ok


# -- the result -----------------------------------------------------------------------------


def test_main_file_prefers_main_py():
    files = [
        SourceFile("game.py", "if __name__ == '__main__':\n    pass\n"),
        SourceFile("main.py", GAME),
    ]
    assert validate_files(files).main_file == "main.py"


def test_main_file_is_the_only_python_file():
    result = validate_files([SourceFile("README.md", "# hi\n"), SourceFile("snake.py", GAME)])
    assert result.main_file == "snake.py" and result.ok


def test_main_file_is_the_first_with_a_main_guard():
    files = [
        SourceFile("utils.py", "X = 1\n"),
        SourceFile("game.py", "import utils\nif '__main__' == __name__:\n    pass\n"),
        SourceFile("other.py", "if __name__ == '__main__':\n    pass\n"),
    ]
    assert validate_files(files).main_file == "game.py"


def test_no_python_file_error():
    result = validate_files([SourceFile("README.md", "# hi\n")])
    assert codes(result) == ["no_python_file"] and not result.ok and result.safe_to_keep


def test_no_main_file_error():
    result = validate_files([SourceFile("a.py", "X = 1\n"), SourceFile("b.py", "Y = 2\n")])
    assert codes(result) == ["no_main"] and result.main_file is None and not result.ok


def test_empty_file_list():
    result = validate_files([])
    assert codes(result) == ["no_python_file"] and not result.ok and not result.safe_to_keep


def test_ok_with_only_warnings():
    result = check('print("\\033[1mhi")\n')
    assert result.findings and result.ok


def test_safe_to_keep_allows_only_code_quality_errors():
    quality = check("import os\nimport requests\nos.system('x')\nf = open('a')\nif True\n")
    assert not quality.ok and quality.safe_to_keep
    unsafe = validate_files([SourceFile("main.py", GAME), SourceFile("../x.py", "")])
    assert not unsafe.safe_to_keep


def test_shadowing_a_module_is_a_warning():
    result = validate_files(
        [SourceFile("main.py", "import random\n"), SourceFile("random.py", "X = 1\n")]
    )
    warning = only(result, "shadowed_module")
    assert warning.severity == "warning" and warning.file == "random.py" and result.ok


def test_shadowing_only_matters_for_top_level_files():
    result = validate_files(
        [SourceFile("main.py", "import random\n"), SourceFile("lib/random.py", "X = 1\n")]
    )
    assert result.findings == ()


def test_absurdly_nested_code_is_a_syntax_error_not_a_crash():
    result = check("x = " + "(" * 500 + "1" + ")" * 500 + "\ny = " + "1+" * 100_000 + "1\n")
    assert codes(result) == ["syntax_error"] and result.safe_to_keep


def test_many_files_are_checked_quickly():
    files = [SourceFile(f"d{i}/f{i}.txt", "x") for i in range(20_000)]
    result = validate_files([SourceFile("main.py", GAME), *files])
    assert codes(result) == ["too_many_files"]


def test_summary_names_the_first_error_with_file_and_line():
    result = validate_files(
        [SourceFile("main.py", GAME), SourceFile("b.py", "import requests\nx = (\n")]
    )
    assert result.summary() == "b.py 第 2 行：语法错误：'(' was never closed"
    assert result.summary("en") == "b.py line 2: Syntax error: '(' was never closed"


def test_summary_counts_the_other_errors_and_handles_lineless_findings():
    result = validate_files(
        [SourceFile("a.py", "import requests\nimport socket\n"), SourceFile("b.py", "")]
    )
    assert result.summary().startswith(
        "a.py 第 1 行：不能导入 requests"
    ) and result.summary().endswith("（另有 2 个问题）")
    assert validate_files([SourceFile("a.txt", "x")]).summary() == "项目里没有 .py 文件"
    assert check("x" * MAX_FILE_BYTES, "big.txt").summary().startswith("big.txt：文件太大")


def test_summary_when_passing():
    assert check(GAME).summary() == "检查通过：1 个文件"
    assert check('print("\\033[1m")\n').summary("en") == "Passed: 1 file(s), 1 warning(s)"


def test_summary_is_one_line():
    assert "\n" not in check("x = (\n").summary()


BAD_PROJECT = [
    SourceFile("main.py", "import os, requests, fcntl, signal\nos.system('cls')\nos.fork()\nsignal.alarm(1)\n"
               "f = open('/tmp/x')\nprint('\\033[31m')\neval('1')\ng = open('../up.txt', encoding='utf-8')\n"),  # fmt: skip
    SourceFile("b.py", "def (:\n"),
    SourceFile("random.py", "X = 1\n"),
    SourceFile("../x.py", ""), SourceFile("CON.txt", ""), SourceFile("x.exe", ""), SourceFile("Main.py", ""),
    SourceFile("bin.txt", "\x00"), SourceFile("s.txt", "\udcff"), SourceFile("big.txt", "x" * MAX_FILE_BYTES),
    *[SourceFile(f"f{i}.txt", "x" * (MAX_FILE_BYTES - 1)) for i in range(11)],
]  # fmt: skip


def test_every_finding_has_chinese_message():
    result = validate_files(BAD_PROJECT * 1)
    other = validate_answer(
        f"{F}python\nA = 1\n{F}\n{F}python\nB = 1\n{F}\n{F}python a.py\n{F}\n{F}python a.py\n{F}\n"
    )
    findings = [*result.findings, *other.findings, *validate_answer("nothing").findings,
                *validate_files([SourceFile("a.py", ""), SourceFile("b.py", "")]).findings,
                *validate_files([SourceFile("a.txt", "")] * 51).findings]  # fmt: skip
    seen = {f.code for f in findings}
    assert seen == {key.split(".")[0] for key in MESSAGES}, seen ^ {
        key.split(".")[0] for key in MESSAGES
    }
    for finding in findings:
        assert CJK.search(finding.message), finding
        assert finding.message_en and not CJK.search(
            finding.message_en.replace(finding.file, "")
        ), finding
        assert "{" not in finding.message.replace("{n}", "") and finding.line >= 0
        assert finding.severity in ("error", "warning")


def test_every_message_renders_in_both_languages():
    fields = {
        name
        for key in MESSAGES
        for text in MESSAGES[key]
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }
    params = dict.fromkeys(fields, "X")
    for zh, zh_fix, en, en_fix in MESSAGES.values():
        assert CJK.search(zh + zh_fix) and not CJK.search(en + en_fix)
        zh.format(**params), en.format(**params)
        assert "{" not in zh_fix + en_fix  # the "how to fix" halves take no parameters


def test_findings_point_at_file_and_line():
    result = validate_files(BAD_PROJECT)
    lines = {(f.code, f.file, f.line) for f in result.findings}
    assert ("clear_screen", "main.py", 2) in lines and ("posix_only", "main.py", 3) in lines
    assert ("posix_signal", "main.py", 4) in lines and ("posix_path", "main.py", 5) in lines
    assert ("missing_encoding", "main.py", 5) in lines and ("dangerous_call", "main.py", 7) in lines
    assert ("syntax_error", "b.py", 1) in lines and ("project_too_large", "", 0) in lines


def test_validate_answer_keeps_extraction_warnings_before_validation_findings():
    answer = f"{F}python main.py\nA = 1\n{F}\n{F}python main.py\nimport requests\n{F}\n"
    assert codes(validate_answer(answer)) == ["duplicate_file", "disallowed_import"]


@pytest.mark.parametrize(
    "path",
    [
        "../save.txt",
        "..\\\\save.txt",
        "data/../../x",
        "C:\\\\Users\\\\x.txt",
        "~/x.txt",
        "\\\\\\\\server\\\\share",
    ],
)
def test_path_literals_that_leave_the_project_are_refused(path):
    result = check(f"open({path!r}, 'w', encoding='utf-8')\n")
    assert "path_escape" in codes(result) and not result.ok


@pytest.mark.parametrize("text", ["save.txt", "assets/img.png", "..", "a..b", "1..10"])
def test_ordinary_strings_are_not_path_escapes(text):
    assert "path_escape" not in codes(check(f"x = {text!r}\n"))
