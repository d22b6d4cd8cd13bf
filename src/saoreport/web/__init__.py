"""`saoreport serve`: the planning office's workspace in the browser, over the same plans/,
archive/ and build output the command line uses (the plan folders stay the source of truth).

How it is organised
-------------------
- `app.py` makes the ASGI application (Starlette): the configuration (`app_config.Config`,
  on `request.app.state.config`), the middleware and the routes of every area. An area is one
  module with one `router = Router([...])`; `app.AREAS` lists them and `create_app` adds
  each one's routes. To add an area (builds, archive), write `web/NAME.py` with its
  `router` and add it to AREAS: no other module changes.
- `security.py`: every POST needs the session's CSRF token (a form field `csrf`, or the
  header `X-CSRF-Token` for a script's fetch) and a body within `Config.max_body`; the
  session is a cookie signed with itsdangerous (Starlette's SessionMiddleware). Refusals are
  Thai pages with status 403 or 413.
- `paths.py`: the one way from a URL or an upload name to a file: `plan_folder(config, slug)`
  and `inside(folder, name)`, which refuse anything outside the folder (`..`, absolute
  names, links out, hidden files).
- `pages.py`: the Jinja2 templates (`templates/`, autoescaped, `base.html` in Thai), rendered
  by `page(request, "name.html", **values)`; every word a page shows comes from `words.py`
  (through the message catalog, so `make messages` finds it).
- `yamltext.py`: plan.yaml edited in place (one field, one line of `git diff`).
- Areas: `saos.py` (the list of SAOs, starting a plan), `edit.py` (the plan's forms and
  saves), `narrative.py` (the Markdown parts, their preview, images), `workbooks.py`
  (import with a preview of the change, export), `files.py` (the files of plans/, archive/
  and the build output, and nothing else).

Each request reads the files it shows (no cache of plan content): an edit made in a text
editor shows on the next reload.
"""
