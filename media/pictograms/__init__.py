"""Pictograms on slides: which one fits a slide (`match`), and drawing it (`emoji_glyphs` for
OpenMoji colour emoji, `icons` for Lucide line icons, `render` for either)."""
