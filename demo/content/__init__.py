"""The demo courses, in catalogue order."""

from . import dossier, portal, safety, vneid

COURSES = [vneid.COURSE, portal.COURSE, dossier.COURSE, safety.COURSE]
