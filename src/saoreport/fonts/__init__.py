"""Font families and what their glyphs mean: used by validation and by the PDF layer alike."""
