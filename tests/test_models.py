"""The data model, rule by rule: CodeGenerationRequest, ProcessPhase, GeneratedProject."""

from __future__ import annotations

import itertools
import secrets
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from codeflow_widget.model import entities as models
from codeflow_widget.model.entities import (
    PHASE_ORDER,
    PROJECT_NAME,
    REQUEST_TRANSITIONS,
    CodeGenerationRequest,
    FileNode,
    GeneratedProject,
    PhaseStatus,
    ProcessPhase,
    RequestStatus,
    clean_user_input,
    new_project_name,
)
from codeflow_widget.model.errors import RequestInputError, TransitionError

MESSAGES = {
    "specify": "第一步：明确需求，把模糊的愿望变成清楚的说明。",
    "plan": "第二步：设计方案，先画图纸再盖房子。",
    "implement": "第三步：编写代码，然后检查并试运行。",
}
MIB = 1024 * 1024


# -- helpers ---------------------------------------------------------------------
def new_request(text: str = "帮我写个贪吃蛇") -> CodeGenerationRequest:
    return CodeGenerationRequest.create(text, MESSAGES)


def run_all_phases(request: CodeGenerationRequest) -> None:
    for phase in PHASE_ORDER:
        request.activate_phase(phase)
        request.finish_phase(phase)


def request_in(status: RequestStatus) -> CodeGenerationRequest:
    """A request brought to ``status`` through legal transitions only."""
    request = new_request()
    if status is RequestStatus.PENDING:
        return request
    request.start()
    if status is RequestStatus.PROCESSING:
        return request
    if status is RequestStatus.COMPLETED:
        run_all_phases(request)
        request.complete()
        return request
    request.fail("生成失败")
    if status is RequestStatus.FAILED:
        return request
    request.begin_retry()
    assert status is RequestStatus.RETRYING
    return request


def move(request: CodeGenerationRequest, target: RequestStatus) -> None:
    """Ask for ``target`` through the public method that leads there."""
    if target is RequestStatus.PROCESSING:
        request.start()
    elif target is RequestStatus.COMPLETED:
        # make "implement not completed" impossible as the reason for a refusal
        for phase in request.phases:
            phase.status = PhaseStatus.COMPLETED
        request.complete()
    elif target is RequestStatus.FAILED:
        request.fail("生成失败")
    elif target is RequestStatus.RETRYING:
        request.begin_retry()
    else:  # no public method leads back to pending
        request._move(target)


def phase(
    phase_type: str = "specify", sequence_order: int = 1, message: str = MESSAGES["specify"]
) -> ProcessPhase:
    return ProcessPhase(
        request_id=uuid.uuid4(),
        phase_type=phase_type,
        sequence_order=sequence_order,
        educational_message=message,
    )


def tree(*files: tuple[str, int]) -> FileNode:
    return FileNode(
        type="directory",
        name="snake",
        children=[
            FileNode(type="file", name=name, size=size, language="python") for name, size in files
        ],
    )


def project(**changes) -> GeneratedProject:
    fields = {
        "request_id": uuid.uuid4(),
        "project_name": "snake_20260101_120000_a1b2c3",
        "project_type": "snake",
        "path": "projects/snake_20260101_120000_a1b2c3",
        "main_file_path": "main.py",
        "file_structure": tree(("main.py", 2048)),
        "dependencies": ["pygame"],
        "total_files": 1,
        "total_size_bytes": 2048,
        "syntax_validated": True,
    }
    fields.update(changes)
    return GeneratedProject(**fields)


# -- user_input ------------------------------------------------------------------
def test_user_input_of_0_characters_is_rejected():
    with pytest.raises(RequestInputError) as info:
        clean_user_input("")
    assert info.value.code == "request.empty"


@pytest.mark.parametrize(
    "text", [" ", "   \t\n  ", "\u3000\u3000"], ids=["space", "mixed", "ideographic-space"]
)
def test_user_input_of_only_whitespace_is_rejected(text):
    with pytest.raises(RequestInputError) as info:
        clean_user_input(text)
    assert info.value.code == "request.empty"


def test_user_input_of_1_character_is_accepted():
    assert clean_user_input("a") == "a"


def test_user_input_of_1000_characters_is_accepted():
    assert clean_user_input("a" * 1000) == "a" * 1000


def test_user_input_of_1001_characters_is_rejected():
    with pytest.raises(RequestInputError) as info:
        clean_user_input("a" * 1001)
    assert info.value.code == "request.too_long"
    assert info.value.params["length"] == 1001


def test_user_input_is_measured_after_stripping():
    assert clean_user_input("   " + "a" * 1000 + "\n\t ") == "a" * 1000


def test_user_input_of_1000_chinese_characters_is_accepted():
    assert len(clean_user_input("蛇" * 1000)) == 1000


def test_user_input_of_1001_chinese_characters_is_rejected():
    with pytest.raises(RequestInputError) as info:
        clean_user_input("蛇" * 1001)
    assert info.value.params["length"] == 1001


@pytest.mark.parametrize(
    "control",
    ["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x9b"],
    ids=["NUL", "BEL", "BS", "ESC", "DEL", "C1-CSI"],
)
def test_user_input_with_a_control_character_is_rejected(control):
    with pytest.raises(RequestInputError) as info:
        clean_user_input(f"帮我写个{control}贪吃蛇")
    assert info.value.code == "request.control_chars"


def test_a_request_keeps_its_stripped_user_input():
    assert new_request("  帮我写个贪吃蛇  ").user_input == "帮我写个贪吃蛇"


@pytest.mark.parametrize(
    "text", ["", "   ", "a" * 1001, "贪吃\x00蛇"], ids=["empty", "blank", "1001", "control"]
)
def test_creating_a_request_with_bad_input_raises_request_input_error(text):
    # The CLI and the widget catch RequestInputError; a pydantic ValidationError would escape them.
    with pytest.raises(RequestInputError):
        new_request(text)


def test_a_new_request_is_pending_with_three_pending_phases_in_order():
    request = new_request()
    assert request.status is RequestStatus.PENDING
    assert request.retry_count == 0
    assert [(p.phase_type, p.sequence_order) for p in request.phases] == [
        ("specify", 1),
        ("plan", 2),
        ("implement", 3),
    ]
    assert all(
        p.status is PhaseStatus.PENDING and p.request_id == request.id for p in request.phases
    )


# -- request transitions -----------------------------------------------------------
def test_start_moves_pending_to_processing():
    request = request_in(RequestStatus.PENDING)
    request.start()
    assert request.status is RequestStatus.PROCESSING


def test_complete_moves_processing_to_completed_once_implement_has_completed():
    request = request_in(RequestStatus.PROCESSING)
    run_all_phases(request)
    request.complete()
    assert request.status is RequestStatus.COMPLETED
    assert request.error_message is None


def test_fail_moves_processing_to_failed_with_the_chinese_message():
    request = request_in(RequestStatus.PROCESSING)
    request.fail("模型没有回答")
    assert request.status is RequestStatus.FAILED
    assert request.error_message == "模型没有回答"


def test_begin_retry_moves_failed_to_retrying():
    request = request_in(RequestStatus.FAILED)
    request.begin_retry()
    assert request.status is RequestStatus.RETRYING


def test_start_moves_retrying_to_processing():
    request = request_in(RequestStatus.RETRYING)
    request.start()
    assert request.status is RequestStatus.PROCESSING


ILLEGAL_REQUEST_TRANSITIONS = [
    (source, target)
    for source, target in itertools.product(RequestStatus, RequestStatus)
    if target not in REQUEST_TRANSITIONS[source]
]


@pytest.mark.parametrize(
    ("source", "target"),
    ILLEGAL_REQUEST_TRANSITIONS,
    ids=[f"{s.value}->{t.value}" for s, t in ILLEGAL_REQUEST_TRANSITIONS],
)
def test_an_illegal_request_transition_raises_transition_error(source, target):
    request = request_in(source)
    before = request.updated_at
    with pytest.raises(TransitionError):
        move(request, target)
    assert request.status is source
    assert request.updated_at == before


def test_the_illegal_transition_error_names_both_statuses():
    request = request_in(RequestStatus.COMPLETED)
    with pytest.raises(TransitionError) as info:
        request.start()
    assert info.value.code == "transition.illegal"
    assert info.value.params == {"source": "completed", "target": "processing"}
    assert "completed" in info.value.message("zh") and "processing" in info.value.message("zh")


def test_completing_a_request_whose_implement_phase_has_not_completed_raises():
    request = request_in(RequestStatus.PROCESSING)
    request.activate_phase("specify")
    request.finish_phase("specify")
    request.activate_phase("plan")
    request.finish_phase("plan")
    request.activate_phase("implement")
    with pytest.raises(TransitionError) as info:
        request.complete()
    assert info.value.code == "request.incomplete"
    assert request.status is RequestStatus.PROCESSING


def test_completing_a_request_whose_implement_phase_failed_raises():
    request = request_in(RequestStatus.PROCESSING)
    for p in ("specify", "plan"):
        request.activate_phase(p)
        request.finish_phase(p)
    request.activate_phase("implement")
    request.finish_phase("implement", ok=False)
    with pytest.raises(TransitionError):
        request.complete()


# -- retries -----------------------------------------------------------------------
def test_a_retry_goes_failed_retrying_processing_and_counts_one():
    request = request_in(RequestStatus.PROCESSING)
    request.activate_phase("specify")
    request.finish_phase("specify")
    request.activate_phase("plan")
    request.finish_phase("plan", ok=False)
    request.fail("方案阶段失败")
    request.begin_retry()
    assert request.status is RequestStatus.RETRYING
    assert request.retry_count == 1
    request.start()
    assert request.status is RequestStatus.PROCESSING
    assert request.retry_count == 1


def test_a_retry_resets_every_phase_to_pending():
    request = request_in(RequestStatus.PROCESSING)
    request.activate_phase("specify")
    request.finish_phase("specify")
    request.activate_phase("plan")
    request.finish_phase("plan", ok=False)
    request.fail("方案阶段失败")
    request.begin_retry()
    assert [p.status for p in request.phases] == [PhaseStatus.PENDING] * 3
    assert all(p.started_at is None and p.completed_at is None for p in request.phases)
    request.start()
    request.activate_phase("specify")  # the phases can run again, from the first
    assert request.active_phase.phase_type == "specify"


@pytest.mark.parametrize(
    "status", [s for s in RequestStatus if s is not RequestStatus.FAILED], ids=lambda s: s.value
)
def test_a_retry_from_a_status_other_than_failed_is_refused(status):
    request = request_in(status)
    count = request.retry_count
    with pytest.raises(TransitionError) as info:
        request.begin_retry()
    assert info.value.code == "request.retry_not_failed"
    assert request.status is status
    assert request.retry_count == count


def test_three_retries_are_allowed():
    request = request_in(RequestStatus.FAILED)
    for expected in (1, 2, 3):
        request.begin_retry()
        request.start()
        assert request.retry_count == expected
        request.fail("又失败了")


def test_a_4th_retry_is_refused_with_retry_limit():
    request = request_in(RequestStatus.FAILED)
    for _ in range(3):
        assert request.can_retry
        request.begin_retry()
        request.start()
        request.fail("又失败了")
    assert not request.can_retry
    with pytest.raises(TransitionError) as info:
        request.begin_retry()
    assert info.value.code == "request.retry_limit"
    assert request.retry_count == 3
    assert request.status is RequestStatus.FAILED


def test_retry_count_above_3_is_rejected_by_the_model():
    with pytest.raises(ValidationError):
        CodeGenerationRequest(user_input="贪吃蛇", retry_count=4)


# -- phases ------------------------------------------------------------------------
def test_phases_run_in_order_specify_plan_implement():
    request = request_in(RequestStatus.PROCESSING)
    for p in PHASE_ORDER:
        active = request.activate_phase(p)
        assert active.status is PhaseStatus.ACTIVE and active.started_at is not None
        assert request.active_phase is active
        done = request.finish_phase(p)
        assert done.status is PhaseStatus.COMPLETED and done.completed_at >= done.started_at
    assert request.active_phase is None


def test_activating_plan_before_specify_completes_raises():
    request = request_in(RequestStatus.PROCESSING)
    with pytest.raises(TransitionError) as info:
        request.activate_phase("plan")
    assert info.value.code == "phase.out_of_order"
    assert request.phase("plan").status is PhaseStatus.PENDING


def test_activating_implement_before_plan_completes_raises():
    request = request_in(RequestStatus.PROCESSING)
    request.activate_phase("specify")
    request.finish_phase("specify")
    with pytest.raises(TransitionError) as info:
        request.activate_phase("implement")
    assert info.value.code == "phase.out_of_order"


def test_activating_plan_after_specify_failed_raises():
    request = request_in(RequestStatus.PROCESSING)
    request.activate_phase("specify")
    request.finish_phase("specify", ok=False)
    with pytest.raises(TransitionError):
        request.activate_phase("plan")


@pytest.mark.parametrize("second", PHASE_ORDER)
def test_two_active_phases_are_impossible(second):
    request = request_in(RequestStatus.PROCESSING)
    request.activate_phase("specify")
    with pytest.raises(TransitionError):
        request.activate_phase(second)
    assert [p.phase_type for p in request.phases if p.status is PhaseStatus.ACTIVE] == ["specify"]


def test_a_completed_phase_cannot_be_activated_again():
    request = request_in(RequestStatus.PROCESSING)
    request.activate_phase("specify")
    request.finish_phase("specify")
    with pytest.raises(TransitionError):
        request.activate_phase("specify")


def test_a_pending_phase_cannot_be_finished():
    request = request_in(RequestStatus.PROCESSING)
    with pytest.raises(TransitionError):
        request.finish_phase("specify")


@pytest.mark.parametrize(("phase_type", "order"), [("specify", 1), ("plan", 2), ("implement", 3)])
def test_sequence_order_matching_phase_type_is_accepted(phase_type, order):
    assert phase(phase_type, order).sequence_order == order


@pytest.mark.parametrize(
    ("phase_type", "order"),
    [("specify", 2), ("specify", 3), ("plan", 1), ("plan", 3), ("implement", 1), ("implement", 2)],
)
def test_sequence_order_not_matching_phase_type_is_rejected(phase_type, order):
    with pytest.raises(ValidationError):
        phase(phase_type, order)


@pytest.mark.parametrize("order", [0, 4, -1])
def test_sequence_order_outside_1_to_3_is_rejected(order):
    with pytest.raises(ValidationError):
        phase("specify", order)


def test_an_unknown_phase_type_is_rejected():
    with pytest.raises(ValidationError):
        phase("deploy", 1)


def test_educational_message_of_9_chinese_characters_is_rejected():
    with pytest.raises(ValidationError):
        phase(message="一" * 9)


def test_educational_message_of_10_chinese_characters_is_accepted():
    assert phase(message="一" * 10).educational_message == "一" * 10


def test_educational_message_of_200_chinese_characters_is_accepted():
    assert len(phase(message="一" * 200).educational_message) == 200


def test_educational_message_of_201_chinese_characters_is_rejected():
    with pytest.raises(ValidationError):
        phase(message="一" * 201)


def test_educational_message_in_english_only_is_rejected():
    with pytest.raises(ValidationError):
        phase(message="Step one: turn a vague wish into a clear spec.")


# -- updated_at --------------------------------------------------------------------
def every_transition(request: CodeGenerationRequest):
    """Walk through every kind of transition, yielding after each one."""
    steps = [
        request.start,
        lambda: request.activate_phase("specify"),
        lambda: request.finish_phase("specify", ok=False),
        lambda: request.fail("失败"),
        request.begin_retry,
        request.start,
        *[
            f
            for p in PHASE_ORDER
            for f in (lambda p=p: request.activate_phase(p), lambda p=p: request.finish_phase(p))
        ],
        request.complete,
    ]
    for step in steps:
        step()
        yield


def test_updated_at_moves_forward_on_every_transition():
    request = new_request()
    stamps = [request.updated_at]
    for _ in every_transition(request):
        stamps.append(request.updated_at)
    assert request.status is RequestStatus.COMPLETED
    assert all(later > earlier for earlier, later in itertools.pairwise(stamps)), stamps


def test_updated_at_moves_forward_even_when_the_clock_does_not_tick(monkeypatch):
    # A coarse clock (Windows ticks every ~15.6 ms) returns the same time for fast transitions.
    frozen = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(models, "now", lambda: frozen)
    request = new_request()
    stamps = [request.updated_at]
    for _ in every_transition(request):
        stamps.append(request.updated_at)
    assert all(later > earlier for earlier, later in itertools.pairwise(stamps)), stamps


def test_updated_at_never_moves_backwards_when_the_clock_does(monkeypatch):
    request = new_request()
    request.start()
    before = request.updated_at
    monkeypatch.setattr(models, "now", lambda: before - timedelta(hours=1))
    request.activate_phase("specify")
    assert request.updated_at >= before


# -- project_name --------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "snake_20260101_120000_a1b2c3",
        "guess_number_20261231_235959_0f9e8d",
        "pong_20260315_080910_000000",
    ],
)
def test_a_well_formed_project_name_is_accepted(name):
    assert project(project_name=name).project_name == name


@pytest.mark.parametrize(
    "name",
    [
        "snake_20260101_120000_A1B2C3",  # uppercase hex
        "snake_20260101_120000_a1b2c",  # 5 hex
        "snake_20260101_120000_a1b2c3d",  # 7 hex
        "snake_20260101_120000_g1b2c3",  # not hex
        "snake_a1b2c3",  # missing stamp
        "snake_20260101_a1b2c3",  # missing time
        "20260101_120000_a1b2c3",  # missing type
        "Snake_20260101_120000_a1b2c3",  # uppercase type
        "snake-20260101-120000-a1b2c3",  # wrong separators
        "snake_20261301_120000_a1b2c3",  # month 13 is not a date
        "../snake_20260101_120000_a1b2c3",  # a path, not a name
    ],
)
def test_a_malformed_project_name_is_rejected(name):
    with pytest.raises(ValidationError):
        project(project_name=name)


def test_new_project_name_produces_a_valid_name_with_the_given_stamp():
    name = new_project_name("snake", datetime(2026, 3, 4, 5, 6, 7))
    match = PROJECT_NAME.match(name)
    assert match and match["type"] == "snake" and match["stamp"] == "20260304_050607"
    assert project(project_name=name).project_name == name


def test_new_project_name_gives_1000_distinct_names_within_the_same_second():
    when = datetime(2026, 1, 1, 12, 0, 0)
    names = [new_project_name("snake", when) for _ in range(1000)]
    assert all(PROJECT_NAME.match(n) for n in names)
    assert len(set(names)) == 1000


def test_new_project_name_stays_distinct_when_the_random_source_repeats(monkeypatch):
    # 6 hex digits are 16.7 M values: 1000 names in one second collide ~3 % of the time.
    sequence = itertools.chain(["abcdef", "abcdef"], (f"{i:06x}" for i in itertools.count()))
    monkeypatch.setattr(secrets, "token_hex", lambda nbytes=None: next(sequence))
    when = datetime(2026, 1, 1, 12, 0, 0)
    first, second = new_project_name("snake", when), new_project_name("snake", when)
    assert first != second
    assert PROJECT_NAME.match(first) and PROJECT_NAME.match(second)


# -- GeneratedProject ---------------------------------------------------------------
def test_total_size_of_10_mib_is_accepted():
    assert project(total_size_bytes=10 * MIB).total_size_bytes == 10 * MIB


def test_total_size_of_10_mib_plus_1_is_rejected():
    with pytest.raises(ValidationError):
        project(total_size_bytes=10 * MIB + 1)


def test_a_file_of_1_mib_minus_1_byte_is_accepted():
    assert project(file_structure=tree(("main.py", MIB - 1)), total_size_bytes=MIB - 1)


def test_a_file_of_exactly_1_mib_is_rejected():
    with pytest.raises(ValidationError):
        project(file_structure=tree(("main.py", MIB)), total_size_bytes=MIB)


def test_a_file_of_1_mib_deep_in_a_subfolder_is_rejected():
    nested = FileNode(
        type="directory",
        name="snake",
        children=[
            FileNode(type="file", name="main.py", size=100, language="python"),
            FileNode(
                type="directory",
                name="assets",
                children=[FileNode(type="file", name="big.dat", size=MIB)],
            ),
        ],
    )
    with pytest.raises(ValidationError):
        project(file_structure=nested, total_files=2, total_size_bytes=MIB + 100)


def test_the_approved_dependency_pygame_is_accepted():
    assert project(dependencies=["pygame"]).dependencies == ["pygame"]


def test_no_dependencies_is_accepted():
    assert project(dependencies=[]).dependencies == []


@pytest.mark.parametrize("dependency", ["numpy", "requests", "PyGame"])
def test_an_unapproved_dependency_is_rejected(dependency):
    with pytest.raises(ValidationError):
        project(dependencies=["pygame", dependency])


def test_a_syntax_validated_project_is_downloadable():
    assert project(syntax_validated=True).downloadable


def test_a_project_that_failed_the_syntax_check_is_not_downloadable():
    assert not project(syntax_validated=False).downloadable


def test_a_project_round_trips_through_json():
    original = project()
    assert GeneratedProject.model_validate_json(original.model_dump_json()) == original
