"""Font families (fonts.toml): their files, their scale to official sizes, their page dash."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path

from saoreport.errors import SaoError
from saoreport.messages import _
from saoreport.resources import fonts_config, user_font_dirs


@dataclass(frozen=True)
class FontFamily:
    key: str
    name: str
    scale: float
    faces: dict[str, Path]  # regular, bold, italic, bold_italic -> file

    @property
    def files(self) -> list[Path]:
        return list(self.faces.values())

    def pt(self, official: float) -> float:
        """An official TH Sarabun PSK size in this family's points."""
        return round(official * self.scale, 3)


def _source_dir(source: str) -> list[Path]:
    if source.startswith("package:"):
        module, _, sub = source.removeprefix("package:").partition("/")
        base = Path(import_module(module).__file__ or "").parent
        return [base / sub]
    if source == "user":
        return user_font_dirs()
    return [Path(source)]


@cache
def font_families() -> dict[str, dict[str, object]]:
    with fonts_config().open("rb") as fh:
        config = tomllib.load(fh)
    families: dict[str, dict[str, object]] = config["families"]
    families["default"] = {"alias": config["default"]}
    return families


def family_names() -> list[str]:
    return [k for k in font_families() if k != "default"]


@cache
def font_family(key: str | None = None) -> FontFamily:
    """The family *key* (default: the configured default), with its files found."""
    families = font_families()
    key = key or str(families["default"]["alias"])
    if key not in families or key == "default":
        raise SaoError(
            _(
                "there is no font {font}: choose one of {known} (fonts/fonts.toml)",
                font=repr(key),
                known=", ".join(family_names()),
            )
        )
    spec = families[key]
    faces: dict[str, Path] = {}
    for face in ("regular", "bold", "italic", "bold_italic"):
        name = str(spec[face])
        for folder in _source_dir(str(spec["source"])):
            if (folder / name).is_file():
                faces[face] = folder / name
                break
        else:
            if face in ("regular", "bold"):
                where = ", ".join(str(d) for d in _source_dir(str(spec["source"])))
                raise SaoError(
                    _(
                        "font {font}: the file {file} is not in {where}; put it there, or"
                        " choose another font",
                        font=repr(key),
                        file=name,
                        where=where,
                    )
                )
            faces[face] = faces["regular" if face == "italic" else "bold"]
    return FontFamily(key, str(spec["name"]), float(str(spec["scale"])), faces)


# Page numbers read "- ๒ -". Drawn with the ASCII hyphen, poppler takes the number's line for a
# hyphenated word and joins the next line to it ("-๒สารบัญ"): a hyphen of its own, or a
# minus sign where the font has no such hyphen, looks the same and reads apart.
PAGE_DASHES = ("\u2010", "\u2212", "-")


def page_dash(family: FontFamily) -> str:
    """The dash either side of a page number that *family* draws."""
    return _page_dash(family.faces["regular"])


@cache
def _page_dash(font: Path) -> str:
    from fontTools.ttLib import TTFont

    cmap = TTFont(font, lazy=True).getBestCmap()
    return next(dash for dash in PAGE_DASHES if ord(dash) in cmap or dash == "-")
