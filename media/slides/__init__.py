"""Slide images: one PNG per slide, or one per revealed bullet, drawn with Pillow.

`layout_slide` is the pure part: it measures the text with the real fonts (raqm shapes Indic
conjuncts and joined Arabic, so what is measured is what is drawn), wraps it to the safe area and
shrinks the type until title and body fit, returning every line's box. `render_slide` paints a
layout on a theme; `render_slide_images` writes the PNG frames the compose stage consumes;
`draw_caption` burns a subtitle into a frame. Nothing here is random or time-dependent: the same
input gives the same PNG bytes.

The modules, in the order a slide passes through them:

- `themes`: the colour schemes;
- `geometry`: boxes, lines, dots, shapes and the layout they make up;
- `body`: a slide's body as bullet and paragraph items;
- `measure`, `wrap`, `fit`: text measured with the real fonts, broken into lines, and fitted
  into the room given by shrinking the type;
- `place`, `layout`: the blocks placed on the canvas, for title and content slides;
- `picture`: room for a slide's pictogram (`media.pictograms`) beside or above its body;
- `layouts`: a content slide's body drawn as its diagram (process or cycle, timeline, bar
  chart, big number, comparison, quote) from `Slide.visuals`, one module each;
- `paint`: a layout drawn on a theme, as an image or as reveal frames;
- `captions`: burned-in subtitles.

This package re-exports what other code uses, so `from media.slides import render_slide` holds.
"""

from __future__ import annotations

from videogen.media.slides.body import BodyItem, body_items
from videogen.media.slides.captions import draw_caption
from videogen.media.slides.geometry import Box, Marker, SlideLayout, TextLine
from videogen.media.slides.layout import layout_slide
from videogen.media.slides.paint import SlideImages, paint_layout, render_slide, render_slide_images
from videogen.media.slides.themes import THEME_STYLES, Theme, theme_for

__all__ = [
    "THEME_STYLES",
    "BodyItem",
    "Box",
    "Marker",
    "SlideImages",
    "SlideLayout",
    "TextLine",
    "Theme",
    "body_items",
    "draw_caption",
    "layout_slide",
    "paint_layout",
    "render_slide",
    "render_slide_images",
    "theme_for",
]
