"""saoreport: council-ready PDFs from the development plans of Thai local governments."""

__version__ = "0.1.0"
