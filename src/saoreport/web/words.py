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
        # a plan
        "plan_valid": _("The plan is valid: every document can be made."),
        "plan_has_problems": _("The plan has problems (listed below): correct them."),
        "forms": _("The plan's parts"),
        "s_organization": _("Organisation"),
        "s_plan": _("Plan and approvals"),
        "s_vision": _("Vision, missions and goals"),
        "s_settings": _("Settings"),
        "parts": _("Narrative parts"),
        "part_preface": _("Preface (คำนำ)"),
        "part_general": _("Part 1: general conditions"),
        "part_results": _("Part 2: results of the last plan"),
        "part_analysis": _("Part 3: analysis"),
        "part_monitoring": _("Part 5: monitoring"),
        "part_missing": _("not written yet"),
        "images": _("Images"),
        "workbooks": _("Workbooks"),
        "workbook_import": _("Import a workbook into this plan"),
        "workbook_export": _("Download the plan as a workbook (.xlsx)"),
        # forms
        "save": _("Save"),
        "other_problems": _("Problems elsewhere in the plan"),
        "fields_have_problems": _("Some fields on this page have problems: they are marked below."),
        "number": _("No."),
        "name": _("Name"),
        "total_budget": _("Budget, all years (baht)"),
        "actions": _("Actions"),
        "move_up": _("Move up"),
        "move_down": _("Move down"),
        "delete": _("Delete"),
        "add_here": _("Add a row here"),
        "add_new": _("Add"),
        "add": _("Add"),
        "strategy": _("Strategy"),
        "programme": _("Programme (แผนงาน)"),
        # narrative parts, images
        "markdown_text": _("Text (Markdown: # heading, - list item, **bold**, | table |)"),
        "markdown_help": _(
            "A line starting with # is a heading of this part, ## a sub-heading. An image:"
            " ![caption](images/file.png) after sending it on the Images page."
        ),
        "preview": _("Preview"),
        "line": _("line"),
        "image_file": _("Image (PNG, JPEG, GIF, WebP or SVG; at most 5 MB)"),
        "replace": _("replace a file of the same name"),
        "upload": _("Send"),
        "in_folder": _("Images in the plan folder"),
        "file": _("File"),
        "in_preface": _("In the preface"),
        "in_parts": _("In parts 1-5"),
        "image": _("Image"),
        # workbooks
        "remove_missing": _(
            "Also remove the projects that the workbook's sheets do not list (without this,"
            " they are kept)"
        ),
        "show_changes": _("Show what would change"),
        "would_change": _("What importing the workbook would change"),
        "nothing": _("nothing"),
        "notes": _("Notes on the workbook"),
        "import_now": _("Import these changes"),
        "cancel": _("Cancel"),
        "changed": _("What the import changed"),
        "backup_kept": _("The previous plan.yaml is kept beside it as"),
        "back_to_plan": _("Back to the plan"),
    }
