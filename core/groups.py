"""The names of Wagtail's two editorial groups, in Vietnamese.

Wagtail's migrations create them as "Editors" and "Moderators" (data that no
catalogue translates); ``core`` migration 0007 renames them, keeping their
permissions. Code that looks a group up names it through these constants.
"""

EDITORS = "Biên tập viên"
MODERATORS = "Kiểm duyệt viên"
