"""The CSS cascade, without the work whose result nobody asks for: WeasyPrint 70's
``StyleFor.__init__`` (css/__init__.py), with two things put off until they are needed.

WeasyPrint matches every element against the stylesheets, gathers the matching declarations
into a "cascaded" dict per element and per pseudo-element, and then makes the computed style.
An element whose parent's style, style attribute and matching rules are those of an element
before it shares that element's computed style (WeasyPrint's own ``computed_cache``): its
cascaded dict is built and thrown away. And the user-agent stylesheet gives every element six
pseudo-elements (``::marker``, ``::footnote-call``, ``::footnote-marker``, ``::note-call``,
``::note-marker``, ``::note-callback``), each with its computed style made at once, though only a
list item asks for its marker and a footnote for its call: about 3,600 styles made for the
600 cells of a piece of a ผ.02 table, never read (a tenth of a build's CPU is this cascade).

Here, an element whose computed style is shared gets no cascaded dict; and a pseudo-element's
matching rules are kept, and its cascaded and computed style made the first time the layout
asks for it (``StyleFor.__call__``), in the same order of rules, from the same parent style.
Making a computed style has one side effect (an ``anchor`` property registers its anchor): a
pseudo-element whose rules set ``anchor`` is made at once, in WeasyPrint's order. Everything
else is WeasyPrint's code as it is, so the styles are the same (tests/test_cascade.py compares
every style of several documents, and the bytes).

Pages too: WeasyPrint makes a page's style and the styles of its margin boxes (sixteen, from
the user-agent stylesheet's rules, and ours) anew for every page, for its page type holds the
page's index, though most pages match the same @page rules. Here a page whose type matches
the very @page selectors an earlier page's matched (side, blank, first, name, nth, groups:
WeasyPrint's own test of each) takes that page's styles: they are made from the same
declarations in the same order, from the same root style, and a page's style does not know
its page (in a 149-page book, 2,700 styles and their properties, each computed again and
again). A page style made before the first page's size is known (its viewport units would
differ) is never shared.
"""

from __future__ import annotations

from math import inf
from typing import Any

NAME = "cascade"
CHECKED = ("70.0",)  # the WeasyPrint versions this was checked against (its tests pass)
STAGE = "layout"
TESTS = "tests/test_cascade.py"

_state: dict[str, Any] = {"installed": False, "original": None}

Rule = tuple[str, Any, float, Any]  # origin, specificity, layer order, declarations


def _cascade(style: dict[str, Any], rules: list[Rule]) -> None:
    """WeasyPrint's gathering of the *rules*' declarations into a cascaded *style*."""
    from weasyprint.css import declaration_precedence

    for origin, specificity, layer_order, declarations in rules:
        for name, values, importance in declarations:
            precedence = declaration_precedence(origin, importance)
            weight = (precedence, layer_order, specificity)
            old_weight = style.get(name, (None, None))[1]
            if old_weight is None or old_weight <= weight:
                style[name] = values, weight


def _init(
    self: Any,
    html: Any,
    sheets: Any,
    presentational_hints: Any,
    font_config: Any,
    target_collector: Any,
) -> None:
    """WeasyPrint 70's StyleFor.__init__, its two changes marked."""
    from weasyprint.css import (
        INHERITED,
        PROGRESS_LOGGER,
        find_style_attributes,
        preprocess_declarations,
    )

    cascaded_styles: dict[tuple[Any, str | None], dict[str, Any]] = {}
    computed_styles: dict[tuple[Any, str | None], Any] = {}
    self._cascaded_styles, self._computed_styles = cascaded_styles, computed_styles
    self.initial_page_sizes = {"box": None, "area": None}
    self._sheets = sheets
    self.font_config = font_config
    # Change 2: the rules of each pseudo-element, until it is asked for (_call).
    later: dict[tuple[Any, str], list[Rule]] = {}
    self._sao_later = later
    self._sao_context = (html.etree_element, html.base_url, target_collector)

    PROGRESS_LOGGER.info("Step 3 - Applying CSS")
    layer_order: float = inf
    elements_declarations: dict[Any, tuple[Any, ...]] = {}
    for specificity, element, declarations, base_url in find_style_attributes(
        html.etree_element, presentational_hints, html.base_url
    ):
        elements_declarations[element] = tuple(declarations)
        attribute = (
            "author",
            specificity,
            layer_order,
            preprocess_declarations(base_url, declarations),
        )
        _cascade(cascaded_styles.setdefault((element, None), {}), [attribute])

    computed_cache: dict[Any, Any] = {}
    for element in html.wrapper_element.iter_subtree():
        etree_element = element.etree_element
        parent = element.parent.etree_element if element.parent else None
        parent_id = id(computed_styles[parent, None]) if element.parent else None
        element_declarations = elements_declarations.get(etree_element)
        selectors_keys = []
        own: list[Rule] = []
        pseudo: dict[str, list[Rule]] = {}
        for sheet, origin, sheet_specificity in sheets:
            for selector in sheet.matcher.match(element):
                specificity, _order, pseudo_type, (declarations, layer) = selector
                layer_order = inf if layer is None else sheet.layers.index(layer)
                selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                specificity = sheet_specificity or specificity
                rule = (origin, specificity, layer_order, declarations)
                if pseudo_type is None:
                    own.append(rule)
                else:
                    pseudo.setdefault(pseudo_type, []).append(rule)

        key = (parent_id, element_declarations, tuple(selectors_keys))
        if key in computed_cache:
            # Change 1: a shared computed style needs no cascaded dict.
            computed_styles[etree_element, None] = computed_cache[key]
        else:
            if own or (etree_element, None) in cascaded_styles:
                _cascade(cascaded_styles.setdefault((etree_element, None), {}), own)
            self.set_computed_styles(
                etree_element,
                root=html.etree_element,
                parent=parent,
                base_url=html.base_url,
                target_collector=target_collector,
            )
            computed_cache[key] = computed_styles[etree_element, None]
        for pseudo_type, rules in pseudo.items():
            later[etree_element, pseudo_type] = rules

    # Pseudo-elements that register an anchor when their style is made: made now, in
    # WeasyPrint's order (tree order, then the order of their first rule).
    for (element, pseudo_type), rules in list(later.items()):
        sets_anchor = "anchor" in INHERITED or any(
            name == "anchor" for _, _, _, declarations in rules for name, _, _ in declarations
        )
        if sets_anchor:
            _make(self, element, pseudo_type)

    self._cascaded_styles.clear()


def _make(self: Any, element: Any, pseudo_type: str) -> None:
    """The computed style of a pseudo-element, from its rules, as WeasyPrint makes it."""
    rules = self._sao_later.pop((element, pseudo_type))
    root, base_url, target_collector = self._sao_context
    cascaded: dict[str, Any] = {}
    _cascade(cascaded, rules)
    key = (element, pseudo_type)
    self._cascaded_styles[key] = cascaded
    try:
        self.set_computed_styles(
            element,
            pseudo_type=pseudo_type,
            root=root,
            parent=element,
            base_url=base_url,
            target_collector=target_collector,
        )
    finally:
        del self._cascaded_styles[key]


def _call(real: Any) -> Any:
    def call(self: Any, element: Any, pseudo_type: str | None = None) -> Any:
        if pseudo_type is not None and (element, pseudo_type) in getattr(self, "_sao_later", ()):
            _make(self, element, pseudo_type)
        return real(self, element, pseudo_type)

    return call


def _page_styles(real: Any) -> Any:
    def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
        """WeasyPrint's layout.page.set_page_type_computed_styles, sharing the styles of an
        earlier page that matched the same @page selectors."""
        pages = style_for.__dict__.get("_sao_pages")
        if pages is None:  # the document's @page selectors, and the pages made so far
            selectors = [
                selector[1:]  # pseudo-type (a margin box, or None), page selector
                for sheet, _, _ in style_for._sheets
                for _, selector_list, _ in sheet.page_rules
                for selector in selector_list
            ]
            pages = style_for._sao_pages = (selectors, {})
        selectors, made = pages
        matched = tuple(style_for._page_type_match(kind, page_type) for _, kind in selectors)
        earlier = made.get(matched)
        if earlier is None:
            real(page_type, html, style_for)
            if style_for.initial_page_sizes["box"] is not None:  # viewport units known
                made[matched] = page_type
            return
        computed = style_for.get_computed_styles()
        for pseudo in {None} | {p for (p, _), m in zip(selectors, matched, strict=True) if m}:
            computed[page_type, pseudo] = computed[earlier, pseudo]

    return set_page_type_computed_styles


def install() -> None:
    """Put the cascade in place of WeasyPrint's (once per process)."""
    if _state["installed"]:
        return
    import weasyprint.layout.page as page
    from weasyprint.css import StyleFor

    # (tests)
    _state["original"] = (StyleFor.__init__, StyleFor.__call__)
    _state["original_pages"] = page.set_page_type_computed_styles
    StyleFor.__init__ = _init
    StyleFor.__call__ = _call(StyleFor.__call__)
    page.set_page_type_computed_styles = _page_styles(page.set_page_type_computed_styles)
    _state["installed"] = True


def uninstall() -> None:
    """WeasyPrint's cascade again, as before install."""
    if not _state["installed"]:
        return
    import weasyprint.layout.page as page
    from weasyprint.css import StyleFor

    StyleFor.__init__, StyleFor.__call__ = _state["original"]
    page.set_page_type_computed_styles = _state["original_pages"]
    _state["installed"] = False
