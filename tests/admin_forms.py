"""Drive a Django admin form the way a browser does: read the rendered form, send every field back.

``form_fields(html)`` returns what a browser would submit for the page's main form, without
pressing a button: every named, enabled ``input`` (checked boxes and radios only), every
``select`` (its selected options, or the first option of a single select), every ``textarea``,
including hidden inputs such as the inline management forms and the CSRF token.
``resubmit(client, url, **changes)`` GETs a change page, applies ``changes`` (a value of ``None``
unchecks a box or drops the field) and POSTs it back with the "Save" button's name.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

URLENCODED = "application/x-www-form-urlencoded"
# Inputs a browser does not submit as plain fields.
SKIPPED_TYPES = {"submit", "button", "reset", "image", "file"}


@dataclass
class Form:
    """One form of a page: where it posts, its attributes, the fields a browser sends and its submit buttons."""

    action: str
    attrs: dict
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def data(self, button: tuple[str, str] | None = None, **changes) -> dict:
        """The fields as a POST dict (lists for repeated names), with ``changes`` applied and ``button`` pressed."""
        data = as_post_data(self.fields, changes)
        if button:
            data[button[0]] = [button[1]]
        return data


class _FormParser(HTMLParser):
    """Collects every form of a page with what a browser would submit from it (no button pressed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self._form = Form(action=attrs.get("action", ""), attrs=attrs)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input":
            self._input(attrs)
        elif tag == "button" and attrs.get("name") and attrs.get("type", "submit") == "submit" and "disabled" not in attrs:
            self._form.buttons.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select" and attrs.get("name") and "disabled" not in attrs:
            self._select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and attrs.get("name") and "disabled" not in attrs:
            self._textarea = {"name": attrs["name"], "text": ""}

    def _input(self, attrs: dict) -> None:
        kind = (attrs.get("type") or "text").lower()
        name = attrs.get("name")
        if not name or "disabled" in attrs:
            return
        if kind in {"submit", "image"}:
            self._form.buttons.append((name, attrs.get("value", "")))
        elif kind in {"checkbox", "radio"}:
            if "checked" in attrs:
                self._form.fields.append((name, attrs.get("value") or "on"))
        elif kind not in SKIPPED_TYPES:
            self._form.fields.append((name, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            if self._form is not None:  # browsers drop one newline right after <textarea>; Django writes one there
                self._form.fields.append((self._textarea["name"], text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if self._form is not None:
                self._close_select(self._select)
            self._select = None

    def _close_select(self, select: dict) -> None:
        options = select["options"]
        chosen = [option for option in options if option["selected"]]
        if not chosen and options and not select["multiple"]:
            chosen = [options[0]]
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self._form.fields.append((select["name"], value))


def forms_of(html: str) -> list[Form]:
    """Every form of the page, in page order."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with(html: str, *, action: str | None = None, form_id: str | None = None) -> Form:
    """The first form of the page posting to ``action`` (and/or with the id ``form_id``)."""
    found = [form for form in forms_of(html) if (action is None or form.action == action) and (form_id is None or form.attrs.get("id") == form_id)]
    assert found, f"no form with action={action!r} id={form_id!r}"
    return found[0]


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """Every (name, value) pair a browser would submit for the form ``form_id`` (or the first POST form), in page order."""
    forms = [form for form in forms_of(html) if (form.attrs.get("id") == form_id if form_id else form.attrs.get("method", "").lower() == "post")]
    if not forms or not forms[0].fields:
        raise AssertionError(f"No form {form_id or '(POST)'} with fields on the page")
    return forms[0].fields


def rendered_form(html: str, form_id: str, **overrides) -> dict:
    """The form ``form_id`` as a plain dict (one value per name), with ``overrides``: for public forms."""
    return {**dict(form_fields(html, form_id)), **overrides}


def as_post_data(fields: list[tuple[str, str]], changes: dict | None = None) -> dict[str, list[str]]:
    """The pairs as a dict of lists for the test client, with ``changes`` applied (None removes a field)."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = [str(value)]
    return data


def change_form_id(html: str) -> str | None:
    """The id Django admin gives the main form of a change/add page ("delegation_form"), if present."""
    marker = 'id="'
    for chunk in html.split("<form")[1:]:
        head = chunk.split(">", 1)[0]
        if 'method="post"' in head and marker in head and "_form" in head:
            return head.split(marker, 1)[1].split('"', 1)[0]
    return None


def resubmit(client, url: str, changes: dict | None = None, *, button: str = "_save", follow: bool = False):
    """GET ``url``, read its whole form, apply ``changes`` and POST everything back as the browser would."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    html = page.content.decode()
    data = as_post_data(form_fields(html, change_form_id(html)), changes)
    if button:
        data[button] = ["Save"]
    return post_like_a_browser(client, url, data, follow=follow)


def post_like_a_browser(client, url: str, data: dict[str, list[str]], *, follow: bool = False):
    """POST URL-encoded, as a browser sends a form without file inputs (the test client would send multipart)."""
    return client.post(url, urlencode(data, doseq=True), content_type=URLENCODED, follow=follow)
