"""HTML -> PDF: layout with WeasyPrint, Thai justification, the text-layer repair, joining."""
