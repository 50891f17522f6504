"""The rubric YAML reader: exact numbers, located problems, no object construction, no bombs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from helpers import BRANCH_ONLY, HEAD, errors, parse_rubric, rubric_from_yaml, rubric_text

from generator.data import yamlcompose, yamlread
from generator.data.check import check_rubric
from generator.data.problems import Problems
from generator.engine.results import Notice
from generator.engine.rules.fixed import FixedRule
from generator.engine.rules.per_occurrence import PerOccurrenceRule
from generator.engine.rules.range import RangeRule
from generator.engine.rules.rate import RateRule
from generator.engine.rules.shortfall import ShortfallRule

# HEAD is 4 lines and BRANCH_ONLY 2, so a rubric body starts on line 7.
ONE_ITEM = """\
indicators:
  - id: c1
    title: 基础工作
    points: 100
    rules:
      - {kind: range}
"""


def test_a_small_rubric_reads_into_typed_models() -> None:
    rubric = rubric_from_yaml(HEAD + BRANCH_ONLY + ONE_ITEM)
    assert rubric.id == "t"
    assert rubric.year == 2017
    assert rubric.unit_types[0].full_marks == Decimal(100)
    node = rubric.indicators[0]
    assert node.points == Decimal(100)
    assert isinstance(node.rules[0], RangeRule)
    assert (node.loc.file, node.loc.line, node.loc.column) == ("rubrics/t.yml", 8, 5)


def test_tab_indentation_is_named() -> None:
    text = HEAD + BRANCH_ONLY + "indicators:\n  - id: c1\n\ttitle: 基础工作\n"
    rubric, problems = parse_rubric(text)
    assert rubric is None
    assert errors(problems) == [
        "rubrics/t.yml:9:1: 错误：缩进里有制表符（Tab）；YAML 只能用空格缩进\n    处理办法："
        "把这一行开头的 Tab 换成空格。"
    ]


def test_duplicated_key_is_an_error_not_silently_the_last() -> None:
    text = (
        HEAD
        + BRANCH_ONLY
        + "indicators:\n  - id: c1\n    title: 甲\n    points: 100\n    points: 50\n    rules: [{kind: range}]\n"
    )
    rubric, problems = parse_rubric(text)
    assert rubric is None
    [message] = errors(problems)
    assert message.startswith("rubrics/t.yml:11:5: 错误：`indicators[1]` 中的键 `points` 重复（第一次出现在第 10 行）")


def test_duplicated_top_level_key() -> None:
    rubric, problems = parse_rubric(HEAD + "year: 2018\n" + BRANCH_ONLY + ONE_ITEM)
    assert rubric is None
    [message] = errors(problems)
    assert message.startswith("rubrics/t.yml:5:1: 错误：细则最上层中的键 `year` 重复（第一次出现在第 3 行）")


def test_wrong_type_is_located() -> None:
    text = HEAD + BRANCH_ONLY + "indicators:\n  - id: c1\n    title: 甲\n    points: 三分\n    rules: [{kind: range}]\n"
    rubric, problems = parse_rubric(text)
    assert rubric is None
    [message] = errors(problems)
    assert message.startswith("rubrics/t.yml:10:13: 错误：`indicators[1].points` 应为数字：「三分」不是数字")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    points: 1.5分\n", "`indicators[1].points` 写作「1.5分」（已去掉单位「分」）"),
        ("    points: yes\n", "`indicators[1].points` 应为数字，这里是「yes」"),
        ("    points: [1, 2]\n", "`indicators[1].points` 应为数字，这里是一个列表"),
    ],
)
def test_numbers_in_yaml_must_be_plain(line: str, expected: str) -> None:
    text = HEAD + BRANCH_ONLY + "indicators:\n  - id: c1\n    title: 甲\n" + line + "    rules: [{kind: range}]\n"
    rubric, problems = parse_rubric(text)
    assert rubric is None
    [message] = errors(problems)
    assert expected in message
    assert message.startswith("rubrics/t.yml:10:")


def test_year_must_be_an_integer() -> None:
    rubric, problems = parse_rubric("id: t\ntitle: 测试\nyear: 二〇一七\nissuer: 机关\n" + BRANCH_ONLY + ONE_ITEM)
    assert rubric is None
    assert errors(problems)[0].startswith("rubrics/t.yml:3:7: 错误：`year` 应为整数，这里是「二〇一七」")


def test_unknown_key_with_a_suggestion() -> None:
    text = (
        HEAD
        + BRANCH_ONLY
        + "indicators:\n  - id: c1\n    title: 甲\n    pionts: 100\n    points: 100\n    rules: [{kind: range}]\n"
    )
    rubric, problems = parse_rubric(text)
    assert rubric is None
    assert errors(problems) == [
        "rubrics/t.yml:10:5: 错误：`indicators[1]` 中没有 `pionts` 这个键\n    处理办法：是不是 `points`？"
    ]


def test_unknown_key_in_a_rule_suggests_from_that_rule_kind() -> None:
    text = (
        HEAD
        + BRANCH_ONLY
        + "indicators:\n  - id: c1\n    title: 甲\n    points: 100\n    rules: [{kind: fixed, dedcut: 2}]\n"
    )
    rubric, problems = parse_rubric(text)
    assert rubric is None
    messages = errors(problems)
    assert any("中没有 `dedcut` 这个键\n    处理办法：是不是 `deduct`？" in m for m in messages)
    assert any("缺少 `deduct`" in m for m in messages)


def test_unknown_rule_kind_lists_the_kinds() -> None:
    text = (
        HEAD
        + BRANCH_ONLY
        + "indicators:\n  - id: c1\n    title: 甲\n    points: 100\n    rules: [{kind: shortfal, target: 2}]\n"
    )
    rubric, problems = parse_rubric(text)
    assert rubric is None
    [message] = errors(problems)
    assert "的规则种类「shortfal」不存在" in message
    assert message.endswith("处理办法：是不是 `shortfall`？")


def test_a_rule_kind_nothing_like_any_lists_them_all() -> None:
    text = (
        HEAD + BRANCH_ONLY + "indicators:\n  - id: c1\n    title: 甲\n    points: 100\n    rules: [{kind: 按次扣分}]\n"
    )
    [message] = errors(parse_rubric(text)[1])
    assert "的规则种类「按次扣分」不存在" in message and "可选种类：`" in message and "`per_occurrence`" in message


def test_missing_required_field_names_the_field() -> None:
    text = HEAD + BRANCH_ONLY + "indicators:\n  - id: c1\n    points: 100\n    rules: [{kind: range}]\n"
    rubric, problems = parse_rubric(text)
    assert rubric is None
    [message] = errors(problems)
    assert message.startswith("rubrics/t.yml:8:5: 错误：`indicators[1]` 缺少 `title`（指标名称（项目）。）")


def test_every_problem_of_a_file_in_one_read() -> None:
    text = (
        HEAD
        + BRANCH_ONLY
        + "indicators:\n"
        + "  - id: c1\n    points: 三\n    rules: [{kind: range}]\n"
        + "  - id: c2\n    title: 乙\n    points: 1\n    colour: red\n"
    )
    rubric, problems = parse_rubric(text)
    assert rubric is None
    assert [m.split(" 错误：")[0] for m in errors(problems)] == [
        "rubrics/t.yml:8:5:",
        "rubrics/t.yml:9:13:",
        "rubrics/t.yml:14:5:",
    ]


@pytest.mark.parametrize(
    "tagged",
    [
        "title: !!python/object/apply:os.system ['echo hacked']\n",
        "title: !!python/object:generator.engine.models.Rubric {}\n",
        "title: !custom 甲\n",
        "title: !!binary aGk=\n",
    ],
)
def test_tags_are_refused_never_constructed(tagged: str) -> None:
    text = "id: t\n" + tagged + "year: 2017\nissuer: 机关\n" + BRANCH_ONLY + ONE_ITEM
    rubric, problems = parse_rubric(text)
    assert rubric is None
    [message] = errors(problems)
    assert message.startswith("rubrics/t.yml:2:8: 错误：不允许的 YAML 标签")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "rubrics/t.yml:1:1: 错误：文件是空的"),
        ("  \n\n", "rubrics/t.yml:1:1: 错误：文件是空的"),
        ("# 只有注释\n", "rubrics/t.yml:1:1: 错误：文件里没有内容（只有注释）"),
    ],
)
def test_empty_file(text: str, expected: str) -> None:
    rubric, problems = parse_rubric(text)
    assert rubric is None
    [message] = errors(problems)
    assert message.startswith(expected)


def test_a_list_where_a_mapping_belongs() -> None:
    rubric, problems = parse_rubric("- 1\n- 2\n")
    assert rubric is None
    assert errors(problems)[0].startswith("rubrics/t.yml:1:1: 错误：细则最上层应为“键: 值”的映射，这里是一个列表")


class Counted:
    """Counts the calls of a function it stands in for (work measured by counting, not by a clock)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> None:
        self.calls = 0
        original = getattr(owner, name)

        def counting(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counting)


BOMB_REFUSED = (
    "rubrics/t.yml:1:1: 错误：文件展开后超过 500000 个节点（锚点与别名层层引用）\n    处理办法："
    "去掉多层嵌套的 & 锚点和 * 别名。"
)


def test_billion_laughs_in_the_indicator_tree_is_refused_before_it_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nine levels of ten aliases each: 10^9 indicators once expanded, about a hundred nodes as written.
    text = HEAD + BRANCH_ONLY + "indicators:\n  - &n0 {id: a, title: t, points: 1}\n"
    for level in range(1, 10):
        aliases = ", ".join([f"*n{level - 1}"] * 10)
        text += f"  - &n{level} {{id: b{level}, title: t, points: 10, children: [{aliases}]}}\n"
    measured = Counted(monkeypatch, yamlcompose, "_children")
    converted = Counted(monkeypatch, yamlread.Reader, "convert")
    rubric, problems = parse_rubric(text)
    assert rubric is None
    assert errors(problems) == [BOMB_REFUSED]
    assert converted.calls == 0, "refused before a single node is converted"
    # Each node as written is looked at a few times, never once per expanded node.
    assert 0 < measured.calls < 1_000, measured.calls


def test_billion_laughs_of_plain_lists_is_refused_before_it_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + BRANCH_ONLY + ONE_ITEM + "notes:\n  - &l0 哈\n"
    for level in range(1, 10):
        aliases = ", ".join([f"*l{level - 1}"] * 10)
        text += f"  - &l{level} [{aliases}]\n"
    measured = Counted(monkeypatch, yamlcompose, "_children")
    converted = Counted(monkeypatch, yamlread.Reader, "convert")
    rubric, problems = parse_rubric(text)
    assert rubric is None
    assert errors(problems) == [BOMB_REFUSED]
    assert converted.calls == 0
    assert 0 < measured.calls < 1_000, measured.calls


def test_decimals_are_read_from_their_text() -> None:
    rubric = rubric_from_yaml(
        rubric_text(
            """
            indicators:
              - id: c1
                title: 甲
                points: 0.3
                children:
                  - {id: "1", title: 乙, points: 0.1, rules: [{kind: per_occurrence, per: 0.1}]}
                  - {id: "2", title: 丙, points: 0.2, rules: [{kind: per_occurrence, per: 0.2}]}
              - {id: c2, title: 丁, points: 99.7, rules: [{kind: range}]}
            """
        )
    )
    c1 = rubric.indicators[0]
    assert c1.children[0].points + c1.children[1].points == Decimal("0.3")
    assert str(c1.children[0].points) == "0.1"
    rule = c1.children[1].rules[0]
    assert isinstance(rule, PerOccurrenceRule)
    assert rule.per == Decimal("0.2")
    problems = Problems()
    check_rubric(rubric, problems)
    # 0.1 + 0.2 == 0.3 and 0.3 + 99.7 == 100 exactly: nothing to report.
    assert [str(p) for p in problems] == []


def test_percent_fields_and_per_type_targets() -> None:
    rubric = rubric_from_yaml(
        rubric_text(
            """
            indicators:
              - id: c1
                title: 甲
                points: 100
                rules:
                  - {id: a, kind: shortfall, target: {branch: 6}, per: 0.5}
                  - {id: b, kind: rate, threshold: 80%, deduct: 1}
                  - {id: c, kind: rate, threshold: 0.9, deduct: 1}
                  - {id: d, kind: fixed, deduct: 2}
            parts:
              - {id: year_end, name: 年终考核, weight: 70%, source: rubric}
              - {id: routine, name: 平时考核, weight: 0.3, source: entered, full: 100}
            """
        )
    )
    rules = rubric.indicators[0].rules
    assert isinstance(rules[0], ShortfallRule)
    assert rules[0].target == {"branch": Decimal(6)}
    assert isinstance(rules[1], RateRule) and isinstance(rules[2], RateRule)
    assert rules[1].threshold == Decimal("0.8")
    assert rules[2].threshold == Decimal("0.9")
    assert isinstance(rules[3], FixedRule)
    assert [p.weight for p in rubric.parts] == [Decimal("0.7"), Decimal("0.3")]


def test_percent_is_refused_where_points_belong() -> None:
    text = HEAD + BRANCH_ONLY + "indicators:\n  - id: c1\n    title: 甲\n    points: 80%\n    rules: [{kind: range}]\n"
    rubric, problems = parse_rubric(text)
    assert rubric is None
    assert "带百分号" in errors(problems)[0]


def test_literal_choices_are_listed() -> None:
    text = rubric_text(ONE_ITEM + "grading:\n  method: score\n")
    rubric, problems = parse_rubric(text)
    assert rubric is None
    [message] = errors(problems)
    assert "`grading.method` 不能是「score」" in message
    assert "`threshold`、`rank`" in message


def test_merge_keys_are_refused() -> None:
    text = HEAD + BRANCH_ONLY + "base: &b {title: 甲, points: 100}\nindicators:\n  - <<: *b\n    id: c1\n"
    rubric, problems = parse_rubric(text)
    assert rubric is None
    assert any("不支持合并键" in m for m in errors(problems))


@pytest.mark.parametrize(
    ("body", "message", "hint"),
    [
        ("indicators: 3\n", "`indicators` 应为列表", "每项另起一行，以“- ”开头"),
        ("indicators:\n  - 3\n", "`indicators[1]` 应为“键: 值”的映射", "每项另起一行，写作“键: 值”"),
        ("indicators:\n  - {id: c1, title: [甲], points: 1}\n", "`indicators[1].title` 应为", "在冒号后直接写一个值"),
        ("rounding: {decimals: 1.5}\nindicators: []\n", "`rounding.decimals` 应为整数", "写不带小数点的阿拉伯数字"),
        (
            "bonus: {self_declared: 是}\nindicators: []\n",
            "`bonus.self_declared` 应为 true 或 false",
            "写 true（是）或 false（否）",
        ),
        ("indicators:\n  - {id: c1, title: 甲, points: yes}\n", "`indicators[1].points` 应为数字", "写阿拉伯数字"),
        ("indicators:\n  - {<<: {id: c1}, title: 甲, points: 1}\n", "的键必须是普通文字", "把要复用的内容照写一遍"),
    ],
)
def test_every_shape_error_says_what_to_write(body: str, message: str, hint: str) -> None:
    rubric, problems = parse_rubric(rubric_text(body))
    texts = [str(p) for p in problems.errors]
    assert any(message in t and f"处理办法：{hint}" in t for t in texts), texts


def _tree(node: Any) -> Any:
    """A composed node's tree: tags, values and where each node starts."""
    where = (node.start_mark.line, node.start_mark.column)
    if isinstance(node.value, str):
        return (node.tag, node.value, where)
    if node.tag.endswith(":map"):
        return (node.tag, where, [(_tree(k), _tree(v)) for k, v in node.value])
    return (node.tag, where, [_tree(c) for c in node.value])


def test_libyaml_composes_every_bundled_rubric_as_pyyaml_does() -> None:
    """Rubrics are composed by libyaml (C) where PyYAML has it; the tree, and each node's line and column,
    must be PyYAML's own."""
    import yaml
    from sandbox import ROOT

    assert yamlcompose._FAST is not None, "PyYAML 没有 libyaml（PyPI 的 PyYAML 安装包自带它）"
    files = sorted((ROOT / "rubrics").glob("*.yml")) + sorted((ROOT / "tests").rglob("*.yml"))
    assert len(files) > 10
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a test's file in another encoding
        try:
            slow = yaml.compose(text, Loader=yamlcompose._Loader)
        except yaml.YAMLError:
            continue  # a test's broken file
        fast = yamlcompose._composed(text)
        assert (fast is None) == (slow is None), path  # None: nothing but comments
        # (the alias bomb's tree has a billion nodes, the alias cycle's no end)
        if slow is not None and not path.parent.parent.name.startswith("yaml-alias"):
            assert _tree(fast) == _tree(slow), path


def test_a_tab_between_a_key_and_its_value_is_read_and_one_that_indents_is_refused() -> None:
    problems = Problems()
    node = yamlcompose.compose("a:\t1\nb: 2\t\n", "rubrics/t.yml", problems)
    assert node is not None and _tree(node)[2][0][1][1] == "1" and not problems.has_errors()
    problems = Problems()
    assert yamlcompose.compose("a:\n\tb: 1\n", "rubrics/t.yml", problems) is None
    assert "制表符" in str(problems.items[0].message), problems.items


def test_nesting_is_limited_at_the_same_level_with_a_scalar_at_the_bottom() -> None:
    problems = Problems()
    assert yamlcompose.compose("[" * 99 + "1" + "]" * 99 + "\n", "rubrics/t.yml", problems) is not None
    assert not problems.has_errors()
    for text, where in (
        ("[" * 100 + "1" + "]" * 100 + "\n", (1, 101)),
        ("".join(" " * n + "- " + "\n" for n in range(0, 198, 2)) + " " * 198 + "- 1\n", (100, 201)),
    ):
        problems = Problems()
        assert yamlcompose.compose(text, "rubrics/t.yml", problems) is None
        [problem] = problems.items
        assert "嵌套超过 100 层" in problem.message and "别名" not in problem.message, problem.message
        assert (problem.loc.line, problem.loc.column) == where


def test_the_bare_tag_and_an_escape_beyond_unicode_read_as_pyyaml_reads_them() -> None:
    import yaml

    for text in ("a: !\n", "a: [!, 1]\n", "a: !\nb: 2\n"):
        assert _tree(yamlcompose._composed(text)) == _tree(yaml.compose(text, Loader=yamlcompose._Loader)), text
    problems = Problems()
    assert yamlcompose.compose('a: "\\U00110000"\n', "rubrics/t.yml", problems) is None
    assert "YAML 格式错误" in problems.items[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "issuer: 甲\ntitle: 乙\nrecipients: 丙\ndate: 2014-01-10\nsigner: 丁\n",
            "5:1: 错误：通报最上层中没有 `signer` 这个键",
        ),
        (
            "issuer: 甲\ntitle: 乙\nrecipients: 丙\ndate: 2014-01-10\ncopy_to: [一, [二]]\n",
            "5:14: 错误：`copy_to[2]` 应为文字，这里是一个列表",
        ),
        ("issuer: 甲\ntitle: 乙\nrecipients: 丙\n", "1:1: 错误：通报最上层缺少 `date`（成文日期。）"),
    ],
)
def test_a_notice_message_names_the_place_by_the_keys_written(text: str, expected: str) -> None:
    """A place in the notice is named by the keys its writer wrote, or as the file's top level: not by the
    program's name for what it reads ("Notice.copy_to[2]")."""
    problems = Problems()
    node = yamlcompose.compose(text, "results/t/notice.yml", problems)
    assert node is not None
    assert yamlread.Reader("results/t/notice.yml", problems).read(Notice, node) is None
    assert errors(problems)[0].startswith(f"results/t/notice.yml:{expected}")
