"""Plans from what offices already have: the SAO's web page (web)."""
