"""Lesson content: blocks made for step-by-step guides to real procedures."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from core.blocks import (
    CalloutBlock,
    CaptionedImageBlock,
    DocumentBlock,
    HeadingBlock,
    LinkButtonBlock,
    ParagraphBlock,
    VideoBlock,
)


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Step"), help_text=_("What to do, in a few words.")
    )
    text = ParagraphBlock(label=_("Explanation"), required=False)
    screenshot = ImageChooserBlock(label=_("Screenshot"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/steps_block.html"
        label = _("Numbered steps")


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    video = VideoBlock()
    steps = StepsBlock()
    callout = CalloutBlock()
    document = DocumentBlock()
    link_button = LinkButtonBlock()


class OutcomeStreamBlock(blocks.StreamBlock):
    outcome = blocks.CharBlock(
        label=_("Outcome"), help_text=_("One thing the learner can do afterwards.")
    )
