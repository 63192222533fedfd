"""Demo content: four Vietnamese courses with their final quizzes, their
illustrations and demo people.

``content`` holds the courses and their quizzes as Python data, ``screens`` and
``covers`` draw the phone-screen mock-ups and cover pictures with Pillow,
``documents`` makes the PDF handouts, ``people`` names the demo accounts, and
``loader`` puts it all in the database, once: the quizzes' questions go to the
question bank under "Khóa học mẫu". ``manage.py load_demo`` and ``manage.py
demo_logins`` call them.
"""
