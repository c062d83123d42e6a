"""Derived figures read from one report sentence (qa.answering.derive): a change between two states, the
level before an increment, a plan from its completion share, a part of a structure ratio, and the subjects of
a "分别" list paired with its figures in order; exact decimal arithmetic."""

from __future__ import annotations

import pytest

from qa.answering import derive, respectively

# --- sentences --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, start, end, change, word", [
    ("县城建成区面积由18.6平方公里扩大到24.3平方公里", 18.6, 24.3, 5.7, "扩大"),
    ("森林覆盖率由27.4%提高到31.2%", 27.4, 31.2, 3.8, "提高"),
    ("PM2.5年均浓度由2015年的61微克/立方米下降到38微克/立方米", 61, 38, -23, "下降"),
    ("地区生产总值由2015年的168.2亿元增加到2020年的236.8亿元", 168.2, 236.8, 68.6, "增加"),
    ("市政府工作部门由 35 个精简为 31 个", 35, 31, -4, "精简"),
    ("全市贫困发生率由上年的 2.35% 下降到 0.96%", 2.35, 0.96, -1.39, "下降"),
    ("一般公共预算收入由11.35亿元增至14.62亿元", 11.35, 14.62, 3.27, "增加"),
    ("乡镇数量由18个调整为15个", 18, 15, -3, "减少"),
])
def test_a_change_between_two_states(text, start, end, change, word):
    (t,) = derive.transitions(text)
    assert (t.start.value, t.end.value, t.change, t.word()) == (start, end, change, word)
    assert text[t.span[0]:t.span[1]].endswith(t.end.raw.strip())
    assert t.name and text.startswith(t.name)  # what changed: the words before 由


@pytest.mark.parametrize("text", [
    "地区生产总值达到412.7亿元，增长7.8%",  # a level and its rate: no second state
    "城镇居民收入30215元，农村居民收入15230元",  # two figures, no 由…到
    "由18.6平方公里扩大，到2025年达到30平方公里",  # the states are in different clauses
])
def test_no_change_without_two_states_of_one_clause(text):
    assert derive.transitions(text) == []


@pytest.mark.parametrize("text, level, added, before", [
    ("规上工业企业达到612家，净增54家", 612, 54, 558),
    ("全县规模以上工业企业达到186家，比上年净增21家", 186, 21, 165),
    ("新增高新技术企业118家，总数达到642家", 642, 118, 524),
    ("常住人口城镇化率达到 56.4%，提高 1.3 个百分点", 56.4, 1.3, 55.1),
    ("市场主体达到3.2万户，净减0.1万户", 3.2, 0.1, 3.3),
])
def test_the_level_before_an_increment(text, level, added, before):
    (inc,) = derive.increments(text)
    assert (inc.level.value, inc.added.value, derive.before(inc)) == (level, added, before)


@pytest.mark.parametrize("text", [
    "地区生产总值达到412.7亿元，增长7.8%",  # a rate is no increment of a level in 亿元
    "新增城镇就业3000人，城镇登记失业率3.2%",
    "城镇化率达到56.4%，提高1.3%",  # a % level moves in 个百分点: a % beside it is ambiguous
])
def test_no_increment_of_another_kind(text):
    assert derive.increments(text) == []


@pytest.mark.parametrize("text, figure, share, plan", [
    ("新增公共停车泊位5820个，完成年度计划的116.4%", 5820, 116.4, 5000),
    ("开展职业技能培训2.18万人次，完成年度计划的109%", 2.18, 109, 2),
    ("23 个省、市重点项目完成投资 46.5 亿元，占年度计划的 120%", 46.5, 120, 38.75),
])
def test_a_plan_from_its_completion_share(text, figure, share, plan):
    (done,) = derive.completions(text)
    assert (done.figure.value, done.share.value) == (figure, share)
    assert derive.of_share(figure, share) == plan


def test_two_completions_of_one_sentence_each_read_from_after_the_other():
    text = "全年安排的 55 个重点项目完成投资 56 亿元，占年度计划的 108%，其中 23 个省、市重点项目完成投资 46.5 亿元，占年度计划的 120%"
    first, second = derive.completions(text)
    assert (first.figure.value, second.figure.value) == (56, 46.5)
    assert "23 个省、市" in text[second.span[0]:second.span[1]] and "55" not in text[second.span[0]:second.span[1]]


def test_completion_shares_of_a_list_pair_in_order():
    text = "建成口袋公园15个、城市绿道21.5公里，分别完成年度计划的100%和107.5%"
    assert [(c.figure.value, c.share.value) for c in derive.completions(text)] == [(15, 100), (21.5, 107.5)]


def test_exact_decimal_arithmetic():
    assert derive.minus(24.3, 18.6) == 5.7  # not 5.699999999999999
    assert derive.minus(2.35, 0.96) == 1.39
    assert derive.plus(0.1, 0.2) == 0.3
    assert derive.of_share(46.5, 120) == 38.75
    assert derive.of_share(21.5, 107.5) == 20


@pytest.mark.parametrize("text, topics, figures", [
    ("城市、农村低保标准分别提高到每人每月680元和520元", ("城市低保标准", "农村低保标准"), (680, 520)),
    ("城市、农村低保标准分别提高到每人每月680元和520元", ("农村低保标准", "城市低保标准"), (520, 680)),
    ("组建城发集团和产投集团，资产总额分别达到486亿元和215亿元", ("产投集团资产", "城发集团"), (215, 486)),
    ("接待游客 5862 万人次，实现旅游总收入 612.5 亿元，分别增长 16.8% 和 18.2%", ("旅游收入", "游客人数"), (18.2, 16.8)),
])
def test_the_ith_subject_of_a_respectively_list_takes_the_ith_figure(text, topics, figures):
    (group,) = respectively.respectively(text)
    a, b = respectively.assign(topics, text, group.subjects_start)
    assert (a.value, b.value) == figures


def test_a_respectively_list_that_does_not_name_both_sides_pairs_nothing():
    text = "城市、农村低保标准分别提高到每人每月680元和520元"
    assert respectively.assign(("养老金", "农村低保标准"), text, 0) is None


@pytest.mark.parametrize("topic, text, change", [
    ("第二产业比重", "三次产业结构由18.6:44.2:37.2调整为14.8:40.3:44.9", -3.9),
    ("第一产业比重", "三次产业结构由上年的 9.2∶46.0∶44.8 调整为 8.6∶45.1∶46.3", -0.6),
    ("服务业比重", "三次产业结构由18.6:44.2:37.2调整为14.8:40.3:44.9", 7.7),
])
def test_a_part_of_a_structure_ratio(topic, text, change):
    assert derive.part_change(topic, text).change == change


def test_a_structure_ratio_names_only_its_parts():
    assert derive.part_change("城镇化率", "三次产业结构由18.6:44.2:37.2调整为14.8:40.3:44.9") is None
    assert derive.part_change("第二产业比重", "比例由1:2调整为1:3") is None  # not the structure's ratio


def test_a_second_respectively_list_has_the_first_ones_subjects():
    """"城镇居民和农村居民人均可支配收入分别达到72480元和41360元，分别增长4.6%和6.3%": the rates belong to the
    same two subjects, in the same order (the second list used to have no subjects, and 城镇居民收入增长多少
    was answered with the level)."""
    from qa.answering.respectively import respectively

    first, second = respectively("城镇居民和农村居民人均可支配收入分别达到72480元和41360元，分别增长4.6%和6.3%。")
    assert second.subjects == first.subjects == "城镇居民和农村居民人均可支配收入"
    assert [q.value for q in second.figures] == [4.6, 6.3]


def test_a_subject_naming_two_by_one_word_pairs_each_figure_with_its_own():
    """城乡居民人均可支配收入…年均分别增长7.0%和8.6%: 城乡 names 城镇 and 农村, in that order."""
    from qa.answering.respectively import list_subjects

    text = "城乡居民人均可支配收入分别由26010元、12753元增加到36480元、19260元，年均分别增长7.0%和8.6%；"
    assert list_subjects(text, text.index("8.6")) == (("城镇居民人均可支配收入", "农村居民人均可支配收入"), 1)
    assert list_subjects(text, text.index("7.0"))[1] == 0


def test_a_respectively_list_changes_each_subject_from_its_own_start():
    """"分别由26010元、12753元增加到36480元、19260元": 城镇 26010 → 36480 and 农村 12753 → 19260, never 12753 →
    36480 (the two figures that happen to stand beside the verb)."""
    text = "城乡居民人均可支配收入分别由26010元、12753元增加到36480元、19260元，年均分别增长7.0%和8.6%"
    got = [(t.start.value, t.end.value, t.name, t.change) for t in derive.transitions(text)]
    assert got == [(26010, 36480, "城镇居民人均可支配收入", 10470), (12753, 19260, "农村居民人均可支配收入", 6507)]
