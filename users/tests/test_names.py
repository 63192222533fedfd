"""Names in class-roll order."""

from users.names import roll_order_key


def test_a_roll_is_ordered_by_given_name_with_d_and_dj_together():
    """A roll sorts by given name, then the whole name, and Đ sits with D."""
    names = [
        "Hoàng Thị Bình",
        "Đặng Văn An",
        "Nguyễn Thị Thu",
        "Trần Văn Dũng",
        "Lê Thị Đào",
        "Phạm Minh An",
    ]
    assert sorted(names, key=roll_order_key) == [
        "Đặng Văn An",
        "Phạm Minh An",
        "Hoàng Thị Bình",
        "Lê Thị Đào",
        "Trần Văn Dũng",
        "Nguyễn Thị Thu",
    ]
