"""The words of validation: every finding's message and fix, in Chinese and English.

``make_finding("syntax_error", "main.py", 12, detail=…)`` turns a message key into a
``Finding`` with a code, a severity, a line and a beginner-friendly sentence saying
what is wrong and how to fix it. Keys may carry a variant after a dot
(``dangerous_call.delete``); the code is the part before it.
"""

from __future__ import annotations

from codeflow_widget.model.events import Finding

WARNING_CODES = frozenset({"unnamed_block", "duplicate_file", "ansi_escape", "shadowed_module"})

MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "no_code": ("回答里没有找到代码文件", "请让模型把每个文件放进代码块，并写上文件名，例如 ```python main.py。",
                "No code file was found in the answer", "Ask for every file in a fenced block with its name, e.g. ```python main.py."),
    "unnamed_block": ("第 {index} 个没有文件名的 Python 代码块（回答第 {at} 行）被忽略了", "如果它是单独的文件，请在代码块第一行写上文件名，例如 # utils.py。",
                      "Unnamed Python block #{index} (answer line {at}) was ignored", "If it is a separate file, put its name on its first line, e.g. # utils.py."),
    "duplicate_file": ("文件 {path} 在回答里出现了 {count} 次，只保留了最后一次的内容", "请确认最后那一版是完整的代码。",
                       "File {path} appears {count} times in the answer; only the last one was kept", "Check that the last version is the complete one."),
    "unsafe_path.empty": ("文件名是空的", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                          "The file name is empty", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.parent": ("路径 {path} 含有 ..，会写到项目文件夹外面", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                           "The path {path} contains .., which escapes the project folder", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.absolute": ("路径 {path} 是绝对路径（以 / 或 \\ 开头，或带盘符）", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                             "The path {path} is absolute (starts with / or \\, or has a drive letter)", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.segment": ("路径 {path} 里有空的或只有一个点的部分", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                            "The path {path} has an empty or '.' part", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.tilde": ("路径 {path} 以 ~ 开头，会被当成用户主目录", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                          "The path {path} starts with ~, which means a home folder", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.reserved": ("{name} 是 Windows 的保留设备名，不能用作文件或文件夹名", "请换一个名字，例如 config.txt 或 game_data.json。",
                             "{name} is a reserved device name on Windows and cannot name a file or folder", "Pick another name, e.g. config.txt or game_data.json."),
    "unsafe_path.chars": ("路径 {path} 含有 Windows 不允许的字符 {chars}", "文件名只用字母、数字、下划线、短横线和点。",
                          "The path {path} contains characters Windows forbids: {chars}", "Use only letters, digits, underscores, hyphens and dots in file names."),
    "unsafe_path.trailing": ("路径 {path} 有以点或空格结尾的部分，Windows 会出错", "请去掉末尾的点或空格。",
                             "The path {path} has a part ending in a dot or space, which breaks on Windows", "Remove the trailing dot or space."),
    "unsafe_path.too_long": ("路径 {path} 太长（{length} 个字符，最多 100 个）", "请用更短的文件名和更少的文件夹。",
                             "The path {path} is too long ({length} characters, at most 100)", "Use shorter names and fewer folders."),
    "unsafe_path.too_deep": ("路径 {path} 的文件夹层级太深（{depth} 层，最多 4 层）", "请用更短的文件名和更少的文件夹。",
                             "The path {path} is nested too deeply ({depth} levels, at most 4)", "Use shorter names and fewer folders."),
    "unsafe_path.collision": ("{path} 和 {other} 只有大小写不同，在 Windows 上是同一个文件", "请给两个文件起明显不同的名字。",
                              "{path} and {other} differ only in letter case, which is the same file on Windows", "Give the two files clearly different names."),
    "too_many_files": ("文件太多：{count} 个，最多 50 个", "小项目用几个文件就够了；请把代码合并到更少的文件里。",
                       "Too many files: {count}, at most 50", "A small project needs only a few files; merge the code into fewer files."),
    "file_type": ("不支持的文件类型 {suffix}", "只能生成 .py、.md、.txt、.json、.csv 文件；图片和声音请用代码画出来或生成。",
                  "Unsupported file type {suffix}", "Only .py, .md, .txt, .json and .csv files are allowed; draw or synthesise images and sounds in code."),
    "binary_content": ("含有不可见的二进制控制字符 {char}", "代码文件只能包含普通文本；请重新生成，或删掉这个字符。",
                       "Contains an invisible binary control character {char}", "Code files may only hold plain text; regenerate or delete that character."),
    "invalid_utf8": ("内容不是合法的 UTF-8 文本（有无法编码的字符）", "请重新生成这个文件。",
                     "The content is not valid UTF-8 text (it has unencodable characters)", "Regenerate this file."),
    "file_too_large": ("文件太大：{size} 字节，每个文件必须小于 1 MB", "请把代码拆小，或删掉嵌在代码里的大段数据。",
                       "File too large: {size} bytes; each file must be under 1 MB", "Split the code or remove large embedded data."),
    "project_too_large": ("项目太大：共 {size} 字节，整个项目最多 10 MB", "请减少文件或删掉嵌在代码里的大段数据。",
                          "Project too large: {size} bytes in all, at most 10 MB", "Use fewer files or remove large embedded data."),
    "syntax_error": ("语法错误：{detail}", "请检查这一行和上一行的括号、引号、冒号和缩进是否配对。",
                     "Syntax error: {detail}", "Check the brackets, quotes, colons and indentation on this line and the one before."),
    "disallowed_import": ("不能导入 {module}：只能用 Python 标准库和 {allowed}", "这个模块需要额外安装，学习环境里可能没有；请改用标准库或已批准的库实现。",
                          "Cannot import {module}: only the standard library and {allowed} are allowed", "That module needs an extra install the learning environment may lack; use the standard library or an approved package."),
    "disallowed_import.stdlib_only": ("不能导入 {module}：只能用 Python 标准库", "这个模块需要额外安装，学习环境里可能没有；请改用标准库实现。",
                                      "Cannot import {module}: only the standard library is allowed", "That module needs an extra install the learning environment may lack; use the standard library."),
    "disallowed_import.dangerous": ("不能导入 {module}：它能运行系统命令、联网或删除文件，小游戏用不到", "请删掉这个导入，用普通的 Python 代码或 pygame 实现同样的功能。",
                                    "Cannot import {module}: it can run commands, use the network or delete files, which a small game does not need", "Remove the import and do the same with plain Python or pygame."),
    "dangerous_call.command": ("不能调用 {name}()：它会运行系统命令或结束其他程序", "小游戏用不到它；请删掉这一行，用普通的 Python 代码实现。",
                               "Cannot call {name}(): it runs system commands or kills programs", "A small game does not need it; remove the line and use plain Python."),
    "dangerous_call.delete": ("不能调用 {name}()：它会删除电脑上的文件或文件夹", "游戏只需要读写自己的存档文件；请删掉这一行。",
                              "Cannot call {name}(): it deletes files or folders", "A game only needs to read and write its own save file; remove the line."),
    "dangerous_call.dynamic": ("不能调用 {name}()：它会把文字当作代码执行，既危险又难以调试", "请直接写出要执行的代码；要把文字变成数字，用 int() 或 float()。",
                               "Cannot call {name}(): it runs text as code, which is unsafe and hard to debug", "Write the code out directly; to turn text into numbers use int() or float()."),
    "clear_screen": ("用 {name}(\"cls\"/\"clear\") 清屏不可移植：cls 只在 Windows、clear 只在 macOS/Linux 有效，而且它会运行系统命令", "终端程序可以用 print(\"\\n\" * 40) 代替；pygame 游戏用 screen.fill() 清屏。",
                     "Clearing the screen with {name}(\"cls\"/\"clear\") is not portable: cls works only on Windows, clear only on macOS/Linux, and it runs a system command", "In a terminal program use print(\"\\n\" * 40); in pygame use screen.fill()."),
    "posix_only": ("{name}() 在 Windows 上不存在", "请删掉它，换成在所有系统上都能用的写法。",
                   "{name}() does not exist on Windows", "Remove it and use something that works on every system."),
    "posix_only.module": ("模块 {module} 在 Windows 上不存在", "键盘输入请用 input() 或 pygame 的事件；请删掉这个导入。",
                          "The module {module} does not exist on Windows", "Read keys with input() or pygame events; remove the import."),
    "posix_signal": ("{name} 在 Windows 上不存在", "计时请用 time 模块或 pygame.time；请删掉这个信号。",
                     "{name} does not exist on Windows", "Use the time module or pygame.time for timing; remove the signal."),
    "posix_path": ("路径 {name} 只存在于 macOS/Linux", "请用项目文件夹里的相对路径，例如 Path(__file__).parent / \"data.txt\"。",
                   "The path {name} exists only on macOS/Linux", "Use a path inside the project folder, e.g. Path(__file__).parent / \"data.txt\"."),
    "path_escape": ("路径 {name} 指向项目文件夹以外", "程序只能读写自己文件夹里的文件；请用 Path(__file__).parent / \"文件名\" 这样的路径。",
                    "The path {name} points outside the project folder", "A program may only use files in its own folder; use a path like Path(__file__).parent / \"name\"."),
    "missing_encoding": ("{name} 读写文本时没有写 encoding=\"utf-8\"", "Windows 默认用 GBK 等编码，中文会乱码或报错；请加上 encoding=\"utf-8\"。",
                         "{name} reads or writes text without encoding=\"utf-8\"", "Windows defaults to a legacy encoding such as GBK, so Chinese text breaks; add encoding=\"utf-8\"."),
    "ansi_escape": ("使用了 ANSI 颜色转义码 \\033[", "在 Windows 的命令提示符里可能显示成乱码；可以去掉颜色，或把文字画在 pygame 窗口里。",
                    "Uses an ANSI colour escape \\033[", "It may show as garbage in the Windows command prompt; drop the colours or draw the text in a pygame window."),
    "shadowed_module": ("文件 {path} 和模块 {module} 同名，import {module} 会导入这个文件而不是真正的模块", "请给这个文件换一个不重名的名字。",
                        "The file {path} has the same name as the module {module}, so import {module} loads this file instead", "Rename the file to something unique."),
    "no_python_file": ("项目里没有 .py 文件", "请让模型至少生成一个 Python 文件，例如 main.py。",
                       "The project has no .py file", "Ask for at least one Python file, e.g. main.py."),
    "no_main": ("找不到主程序文件", "请把入口文件命名为 main.py，或在入口文件末尾加上 if __name__ == \"__main__\":。",
                "Cannot tell which file is the main program", "Name the entry file main.py, or end it with if __name__ == \"__main__\":."),
}  # fmt: skip


def make_finding(key: str, file: str = "", line: int = 0, **params: object) -> Finding:
    zh, zh_fix, en, en_fix = MESSAGES[key]
    code = key.split(".", 1)[0]
    return Finding(
        code=code,
        severity="warning" if code in WARNING_CODES else "error",
        file=file,
        line=line,
        message=f"{zh.format(**params)}。{zh_fix}",
        message_en=f"{en.format(**params)}. {en_fix}",
    )


def fix_text(key: str, en: bool) -> str:
    return MESSAGES[key][3 if en else 1]
