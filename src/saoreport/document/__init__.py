"""Plan -> HTML: the templates' context (render) and the posters' fitting (poster, stretch)."""
