"""The documents of one valid plan, each made as PDF bytes: render HTML -> lay out -> fix text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from saoreport import thai
from saoreport.document import poster, render
from saoreport.fonts.family import font_family
from saoreport.messages import n_, prose_digits
from saoreport.pdf import appendices, textlayer
from saoreport.pdf.layout import Layout
from saoreport.pipeline import parts
from saoreport.plan import editions
from saoreport.plan.appendix import MIME_TYPES as APPENDIX_TYPES
from saoreport.plan.models import Appendix, Edition, Plan
from saoreport.plan.narrative import IMAGE_TYPES
from saoreport.plan.validate import Checked
from saoreport.resources import templates_dir


def document_date(plan: Plan) -> dt.date:
    """The date the documents carry: announcement, else approval, else fiscal-year start."""
    info = plan.plan
    chosen = info.announced or (info.approval.date if info.approval else None)
    return thai.from_be(chosen) if chosen else thai.fiscal_year_span(info.fiscal_year)[0]


def edition_date(edition: Edition) -> dt.date:
    """The date an edition's documents carry: its announcement, else its approval."""
    chosen = edition.announced or edition.approved
    if chosen is None:  # validation refuses an edition without approval
        raise ValueError(f"{edition.name} has no approval")
    return thai.from_be(chosen)


def document_names(plan: Plan) -> list[str]:
    """The documents a plan gets: the announcement only once the council has approved."""
    names = ["strategy.pdf", "poster-a3.pdf", "poster-a4.pdf"]
    return names + ["announcement.pdf"] if plan.plan.approval is not None else names


ARCHIVAL = "pdf/a-3u"  # PDF/A-3: archival, and may carry the plan file; u: Unicode text


# Of the files embedded in the archive.
MIME_TYPES = {".md": "text/markdown", **IMAGE_TYPES, **APPENDIX_TYPES}


def _pdf_string(text: str) -> bytes:
    """*text* as PDF writes it in a string (pydyf's choice of encoding)."""
    return text.encode("ascii") if text.isascii() else b"\xfe\xff" + text.encode("utf-16-be")


class Documents:
    """The documents of one valid plan, each made as PDF bytes.

    *archival*: PDF/A-3u, with the plan file embedded in the strategy document.
    """

    def __init__(
        self,
        checked: Checked,
        archival: bool = False,
        jobs: int = 1,
        edition: Edition | None = None,
        base: Plan | None = None,
    ) -> None:
        """*edition*: make that edition's documents (its book and its ประกาศ) instead of the
        plan's; *base*: the plan it amends (the archived version: the caller reads it), which
        gives the เดิม side of its changes."""
        self.checked = checked
        self.edition = edition
        self.found = editions.items(checked.plan, edition, base) if edition else None
        self.archival = archival
        self.jobs = jobs  # processes for the parts of a long strategy document
        self.pool: Executor | None = None  # theirs, when the build has one already
        self.parts = parts.Store(None)  # where laid-out parts are kept between builds
        pdf_options = {"pdf_variant": ARCHIVAL} if archival else {}
        plan, folder = checked.plan, checked.folder
        self.family = font_family(plan.settings.font)
        self.day = document_date(plan) if edition is None else edition_date(edition)
        self.moment = dt.datetime(*self.day.timetuple()[:3], tzinfo=dt.UTC)  # its midnight UTC
        epoch = int(self.moment.timestamp())
        allowed = [folder, templates_dir(), *{p.parent for p in self.family.files}]
        self.layout = Layout(folder, allowed, epoch, **pdf_options)
        self.notes: list[str] = []
        self.fits: dict[str, poster.Fit] = {}  # each poster's size, fill and trials, by paper
        self._appendix_pages: list[dict[str, Any]] | None = None

    def _file_uri(self, name: str | None) -> str | None:
        """The URL of the plan folder's file *name*, the same wherever the folder is."""
        return self.layout.url(self.checked.folder / name) if name else None

    def html(self, template: str, **extra: Any) -> str:
        org = self.checked.plan.organization
        plan = self.checked.plan
        if self.edition is not None:
            extra = {"edition": self.edition, "found": self.found, **extra}
            if template == "strategy.html.j2" and self.found is not None:
                plan = editions.edition_plan(plan, self.found)  # the forms of its items
        return render.render(
            template,
            plan,
            logo=self._file_uri(org.logo),
            emblem=self._file_uri(org.emblem),
            day=self.day,
            created=self.day.isoformat(),
            narrative=self.checked.narrative,
            measured_before=self.parts.measured,
            appendices=self.appendix_pages,
            **extra,
        )

    @property
    def appendix_pages(self) -> list[dict[str, Any]]:
        """The ภาคผนวก as the book lays it out: each appendix's title and pages (counted once)."""
        if self._appendix_pages is None:
            files = self.checked.appendix_files(self.edition)
            self._appendix_pages = [
                {"title": a.title, "pages": appendices.pages(files[a.file])}
                for a in self._appendices()
            ]
        return self._appendix_pages

    def _appendices(self) -> list[Appendix]:
        """The book's ภาคผนวก: the edition's in its book, else the plan's."""
        return self.checked.plan.appendices if self.edition is None else self.edition.appendices

    def with_appendices(self, book: bytes) -> bytes:
        """*book* (laid out with an empty page for each page of its appendices) with its
        appendices' pages put in (pdf/appendices.py)."""
        files = self.checked.appendix_files(self.edition)
        return appendices.attach(book, [files[a.file] for a in self._appendices()])

    def _overlong(self, name: str) -> None:
        """Note the words of the last layout that were wider than their line or cell."""
        words = sorted(self.layout.overlong)
        if words:
            self.notes.append(
                n_(
                    "{document}: {count} word wider than its line or cell, broken where the"
                    " dictionary allows; shorten or reword it: {words}",
                    "{document}: {count} words wider than their line or cell, broken where the"
                    " dictionary allows; shorten or reword them: {words}",
                    len(words),
                    document=name,
                    count=len(words),
                    words=", ".join(words[:5]) + (" …" if len(words) > 5 else ""),
                )
            )

    def fix_text(self, pdf: bytes, shared: bool = False) -> bytes:
        """*pdf* with an exact text layer; *shared*: a part, whose fonts the join makes one
        program per face (fontsharing.share_programs)."""
        return textlayer.fix_text_layer(pdf, self.family.files, shared)

    def strategy(self) -> bytes:
        if not self.archival and parts.worth_it(self.checked):
            return self.with_appendices(parts.strategy(self, self.jobs))
        extra = {"attachments": self._sources()} if self.archival else {}
        pdf = self.layout.write_pdf(self.html("strategy.html.j2"), **extra)
        self._overlong("strategy")
        return self.with_appendices(self.fix_text(pdf))

    def _sources(self) -> list[Any]:
        """Every file the document was made from, to embed in the archival strategy
        document (PDF/A-3, relationship Source): plan.yaml, then the logo and emblem, the
        narrative Markdown files and their images, under their names in the plan folder, so
        that the PDF alone gives the plan folder back."""
        import base64
        import io

        from weasyprint import Attachment

        moment = self.moment

        def source(name: str, description: str, **content: Any) -> Any:
            return Attachment(
                **content,
                name=name,
                description=description,
                created=moment,
                modified=moment,
                relationship="Source",
            )

        checked = self.checked
        plan_file = io.BytesIO(checked.file.read_bytes())
        out = [
            source(
                "plan.yaml", "saoreport plan file: the source of this document", file_obj=plan_file
            )
        ]
        org = checked.plan.organization
        files = {name: checked.folder / name for name in (org.logo, org.emblem) if name}
        files.update(checked.narrative.inputs(checked.folder))
        files.update(checked.all_appendix_files())  # the plan's ภาคผนวก and its editions'
        for name, path in sorted(files.items()):
            # A data: URL carries its MIME type: the same bytes on every machine, whatever
            # its MIME database says of the file's suffix.
            kind = MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")
            data = base64.b64encode(path.read_bytes()).decode()
            out.append(source(name, "a file of the plan folder", url=f"data:{kind};base64,{data}"))
        # The catalog's name tree lists them by name, and must be sorted as PDF strings are
        # compared: bytes (ASCII names as they are, others in UTF-16BE after FE FF).
        return sorted(out, key=lambda a: _pdf_string(a.name))

    def amendment(self) -> bytes:
        """The edition's book: cover, ประกาศ, คำนำ, contents, ส่วนที่ ๑ (reasons, process, its
        items), ส่วนที่ ๒ (the forms of its items only; its changes, เดิม / ใหม่), ภาคผนวก (the
        edition's own appendices)."""
        pdf = self.layout.write_pdf(self.html("strategy.html.j2"))
        self._overlong("amendment")
        return self.with_appendices(self.fix_text(pdf))

    def announcement(self) -> bytes:
        pdf = self.layout.write_pdf(self.html("announcement.html.j2"))
        self._overlong("announcement")
        return self.fix_text(pdf)

    def poster_html(self, key: str) -> poster.Html:
        """The *key* poster's HTML at a size, gap, number of columns, on a tall page or not."""
        paper = poster.PAPERS[key]
        plan = self.checked.plan
        url = plan.settings.poster_url or plan.organization.website
        qr = poster.qr_code(url) if url else None

        def html_at(size: float, gap: float, columns: int, tall: bool) -> str:
            return self.html(
                "poster.html.j2",
                s=size,
                gap=gap,
                columns=columns,
                tall=tall,
                paper=paper,
                qr=qr,
                url=url,
            )

        return html_at

    def poster(self, key: str) -> bytes:
        paper = poster.PAPERS[key]
        html_at = self.poster_html(key)

        overlong: dict[int, set[str]] = {}  # a trial's document (its id) -> its long words

        def lay_out(html: str) -> Any:
            document = self.layout.render(html)
            overlong[id(document)] = self.layout.overlong
            return document

        hint = poster.longest(self.checked)
        document, fit = poster.fit(html_at, lay_out, paper, hint)
        self.fits[key] = fit
        self.layout.overlong = overlong[id(document)]  # the poster may be any of the trials
        self._overlong(f"poster-{key}")
        self.notes.append(
            n_(
                "poster {paper}: text {size} pt (official size), in {columns} column, filling"
                " {fill} of the sheet",
                "poster {paper}: text {size} pt (official size), in {columns} columns, filling"
                " {fill} of the sheet",
                fit.columns,
                paper=key.upper(),
                size=prose_digits(f"{fit.size:.1f}".removesuffix(".0")),
                columns=prose_digits(fit.columns),
                fill=prose_digits(f"{fit.fill:.0%}"),
            )
        )
        return self.fix_text(self.layout.pdf(document))

    def all(self) -> dict[str, Callable[[], bytes]]:
        if self.edition is not None:
            return {
                f"amendment-{self.edition.code}.pdf": self.amendment,
                f"announcement-{self.edition.code}.pdf": self.announcement,
            }
        makers: dict[str, Callable[[], bytes]] = {
            "strategy.pdf": self.strategy,
            "poster-a3.pdf": lambda: self.poster("a3"),
            "poster-a4.pdf": lambda: self.poster("a4"),
            "announcement.pdf": self.announcement,
        }
        return {name: makers[name] for name in document_names(self.checked.plan)}
