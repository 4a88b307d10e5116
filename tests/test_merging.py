"""Three-way merges of story text, paragraph by paragraph, and word differences on the text (no database)."""

from articles.desk import diffing, merging

BASE = "<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>\n<p>Four.</p>"


def test_changes_to_different_paragraphs_are_both_kept():
    mine = BASE.replace("Two.", "Two, as Anna has it.")
    theirs = BASE.replace("Four.", "Four, as Ben has it.")
    merge = merging.merge_text(BASE, mine, theirs)
    assert merge.conflicts == 0
    assert merge.text() == "<p>One.</p>\n<p>Two, as Anna has it.</p>\n<p>Three.</p>\n<p>Four, as Ben has it.</p>"


def test_both_changing_one_paragraph_is_a_conflict_marked_with_both_versions():
    mine = BASE.replace("Two.", "Two, as Anna has it.")
    theirs = BASE.replace("Two.", "Two, as Ben has it.").replace("Four.", "Four!")
    merge = merging.merge_text(BASE, mine, theirs)
    assert merge.conflicts == 1
    assert merge.text() == "\n".join(
        [
            "<p>One.</p>",
            f"<p>{merging.YOURS_MARK}</p>",
            "<p>Two, as Anna has it.</p>",
            f"<p>{merging.THEIRS_MARK}</p>",
            "<p>Two, as Ben has it.</p>",
            f"<p>{merging.CONFLICT_END_MARK}</p>",
            "<p>Three.</p>",
            "<p>Four!</p>",
        ]
    )
    assert merging.has_marks(merge.text()) and not merging.has_marks(BASE)


def test_paragraphs_added_and_removed_on_either_side_merge():
    mine = "<p>Zero.</p>\n" + BASE.replace("<p>Three.</p>\n", "")
    theirs = BASE + "\n<h2>Five</h2>"
    merge = merging.merge_text(BASE, mine, theirs)
    assert merge.conflicts == 0
    assert merge.text() == "<p>Zero.</p>\n<p>One.</p>\n<p>Two.</p>\n<p>Four.</p>\n<h2>Five</h2>"


def test_the_same_change_on_both_sides_is_taken_once():
    changed = BASE.replace("Three.", "Three, agreed.")
    merge = merging.merge_text(BASE, changed, changed)
    assert merge.conflicts == 0 and merge.text() == changed


def test_paragraphs_both_added_at_one_place_are_both_kept_hers_first():
    merge = merging.merge_text("<p>One.</p>", "<p>One.</p><p>Anna's.</p>", "<p>One.</p><p>Ben's.</p>")
    assert merge.conflicts == 0 and merge.both_added == 1
    assert merge.text() == "<p>One.</p>\n<p>Anna's.</p>\n<p>Ben's.</p>"


def test_one_side_deleting_a_paragraph_the_other_changed_is_a_conflict():
    merge = merging.merge_text(BASE, BASE.replace("<p>Two.</p>\n", ""), BASE.replace("Two.", "Two!"))
    assert merge.conflicts == 1 and "<p>Two!</p>" in merge.text()


def test_markup_is_compared_as_the_sanitizer_writes_it():
    # The box sends raw HTML; the saved story is sanitized. Only real changes count.
    merge = merging.merge_text(BASE, BASE.replace("<p>One.</p>", "<p >One.</p>\r\n"), BASE.replace("Four", "4"))
    assert merge.conflicts == 0 and merge.text() == BASE.replace("Four", "4")


def test_plain_text_merges_line_by_line_and_values_whole():
    assert merging.merge_text("A\nB", "A!\nB", "A\nB!").text() == "A!\nB!"
    assert merging.merge_value("Talks", "Talks resume", "Talks").text() == "Talks resume"
    assert merging.merge_value("Talks", "Talks resume", "Talks end").conflicts == 1


def test_word_differences_are_on_the_text_not_the_tags():
    old = "<p>Ships wait <b>offshore</b>.</p>\n<p>Same.</p>"
    new = "<p>Ships wait <i>far</i> offshore.</p>\n<p>Same.</p>\n<p>New one.</p>"
    changed = diffing.word_diff(old, new)
    assert [(p.number, p.kind) for p in changed] == [(1, "changed"), (3, "added")]
    assert [(w.kind, w.text) for w in changed[0].words] == [
        ("same", "Ships wait"),
        ("added", "far"),
        ("same", "offshore."),
    ]
    assert diffing.word_diff(old, old.replace("<b>", "<em>").replace("</b>", "</em>")) == []
