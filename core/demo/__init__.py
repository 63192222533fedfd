"""Demo content: four Vietnamese courses, their illustrations and demo people.

``content`` holds the courses as Python data, ``screens`` and ``covers`` draw the
phone-screen mock-ups and cover pictures with Pillow, ``documents`` makes the PDF
handouts, ``people`` names the demo accounts, and ``loader`` puts it all in the
database, once. ``manage.py load_demo`` and ``manage.py demo_logins`` call them.
"""
