"""Vietnam's administrative units as one tree, current and pre-reform.

A ``Region`` is a province, a district (pre-July-2025 only) or a commune-level unit
(xã, phường, thị trấn, đặc khu). Current units form province > commune; pre-reform
units form province > district > commune and stay in the table, marked not current,
each linked to the current unit(s) it became so that old records still roll up.

``path`` is a materialised path of official codes ("01", "01.00004", and for
pre-reform units "L01.001.00004"), so a unit's whole subtree is one prefix query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import fold


class RegionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def subtree(self, region: "Region", *, include_self: bool = True):
        """Return the units under region (and region itself unless told not to)."""
        below = self.filter(path__startswith=region.path + ".")
        if include_self:
            return below | self.filter(pk=region.pk)
        return below

    def search(self, query: str):
        """Return units whose name or parents' names have a word starting with each
        word of query, ignoring case and accents ("dong hung" finds "Xã Đông Hưng,
        Tỉnh Hưng Yên")."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_name__contains=" " + word)
        return qs


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        DISTRICT = 2, _("District")
        COMMUNE = 3, _("Commune")

    code = models.CharField(
        _("official code"),
        max_length=5,
        help_text=_("The code in the official list of administrative units."),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    # "xã", "phường", "tỉnh", "thành phố trung ương"... as published.
    division_type = models.CharField(_("type"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=40, unique=True, editable=False)
    is_current = models.BooleanField(
        _("current"),
        default=True,
        help_text=_("Whether the unit exists in the administrative map in force."),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The day the unit ceased to exist, for units that were merged."),
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_(
            "The current unit that records of this unit roll up into. A unit split "
            "between several current units rolls up into the first one listed in the "
            "official conversion table."
        ),
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("became"),
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text=_("Every current unit that took over part of this unit."),
    )
    # Name and parent names folded for accent-insensitive search (core.text).
    search_name = models.CharField(max_length=255, editable=False, db_index=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "is_current"], name="region_unique_code"
            ),
        ]
        indexes = [
            models.Index(
                fields=["path"],
                name="region_path_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        if self.parent_id and self.level == self.Level.COMMUNE:
            return f"{self.name}, {self.province_name}"
        return self.name

    @property
    def province_name(self) -> str:
        node = self
        while node.parent_id:
            node = node.parent
        return node.name

    def ancestors(self) -> list["Region"]:
        """Return the units above this one, province first."""
        codes = self.path.split(".")[:-1]
        prefix = ""
        paths = []
        for code in codes:
            prefix = f"{prefix}.{code}" if prefix else code
            paths.append(prefix)
        return list(Region.objects.filter(path__in=paths).order_by("level"))

    def rollup_target(self) -> "Region":
        """Return the current unit this unit's records count in."""
        return self if self.is_current else (self.replaced_by or self)
