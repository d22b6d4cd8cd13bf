"""Every word the workspace's pages show, through the message catalog (the templates name
them as `w.KEY`; `make messages` finds them here)."""

from __future__ import annotations

from saoreport.messages import _


def words() -> dict[str, str]:
    return {
        "app": _("saoreport: the planning office's workspace"),
        "home": _("SAOs"),
        "skip": _("Skip to the content"),
        "error": _("The request was refused"),
        "back": _("Back to the list of SAOs"),
        # the list of SAOs
        "saos": _("Local governments and their plans"),
        "sao": _("SAO"),
        "fiscal_year": _("Fiscal year"),
        "editions": _("Editions"),
        "last_build": _("Last build"),
        "versions": _("Archived versions"),
        "valid": _("Plan check"),
        "ok": _("valid"),
        "never": _("not built yet"),
        "no_saos": _("There is no plan yet: start one below."),
        "start": _("Start a plan"),
        # starting a plan
        "new_title": _("Start a new plan"),
        "slug": _("Folder name (Latin letters, digits and -, such as nong-bua)"),
        "from_page": _("From the SAO's saved web page (vision and missions)"),
        "page_file": _("The saved web page (.html or .txt)"),
        "from_workbook": _("From the office's workbook (ผ.01, ผ.02, ผ.03)"),
        "workbook_file": _("The workbook (.xlsx, .xls or .ods)"),
        "from_skeleton": _("From the official skeleton (every part's headings, ready to fill)"),
        "org_name": _("Legal name of the organisation"),
        "district": _("District"),
        "province": _("Province"),
        "first_year": _("First year of the plan (Buddhist era)"),
        "start_page": _("Start from the page"),
        "start_workbook": _("Start from the workbook"),
        "start_skeleton": _("Start from the skeleton"),
        "problems": _("Problems"),
        "not_saved": _("Not saved: correct the fields marked below, then save again."),
        "saved": _("Saved."),
        "saved_with_problems": _("Saved. The plan still has problems elsewhere:"),
        "stale": _(
            "Not saved: plan.yaml was changed since this page was opened (in another window"
            " or a text editor). Your changes are kept below: reload the page to see the file"
            " as it is now, then make them again."
        ),
    }
