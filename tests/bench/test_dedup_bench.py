"""The dedup bench's labels: two halves of a page are "different" only if they are."""

from cleaner.bench.dedup import halves, repeats_itself


def _menu(plan: str) -> list[str]:
    return [
        f"Meal plan {plan}",
        "Eat 60 to 90 minutes before your workout",
        "Asparagus and eggs with a slice of whole-grain toast",
        "Drink during your workout",
        "Eat every two to three hours",
    ]


def test_a_page_printing_the_same_menu_twice_is_not_two_stories():
    text = "\n\n".join(_menu("A") + _menu("B"))
    assert repeats_itself(*halves(text))


def test_a_long_article_whose_halves_differ_keeps_its_label():
    paragraphs = [f"Paragraph {number} tells a different part of the story." for number in range(8)]
    assert not repeats_itself(*halves("\n\n".join(paragraphs)))


def test_one_repeated_line_does_not_relabel_a_page():
    first = [f"Council item {number} was debated for an hour." for number in range(4)]
    second = [f"Budget line {number} was cut by a tenth." for number in range(3)] + [first[0]]
    assert not repeats_itself("\n\n".join(first), "\n\n".join(second))
