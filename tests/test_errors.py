"""One line for every message: one_line and shorten."""

from merge.errors import one_line, shorten


def test_shorten_joins_whitespace_and_cuts_with_an_ellipsis() -> None:
    assert shorten("a\n  b\tc", 10) == "a b c"
    assert shorten("x" * 12, 10) == "xxxxxxx..."
    assert shorten("x" * 10, 10) == "x" * 10


def test_one_line_gives_the_type_when_the_message_is_empty() -> None:
    assert one_line(ValueError()) == "ValueError"
    assert one_line(OSError("disk\nfull")) == "disk full"
    assert len(one_line(RuntimeError("y" * 500))) == 200
