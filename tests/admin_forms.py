"""Drive a Django admin form the way a browser does: read the rendered form, send every field back.

``form_fields(html)`` returns what a browser would submit for the page's main form, without
pressing a button: every named, enabled ``input`` (checked boxes and radios only), every
``select`` (its selected options, or the first option of a single select), every ``textarea``,
including hidden inputs such as the inline management forms and the CSRF token.
``resubmit(client, url, **changes)`` GETs a change page, applies ``changes`` (a value of ``None``
unchecks a box or drops the field) and POSTs it back with the "Save" button's name.
"""

from html.parser import HTMLParser
from urllib.parse import urlencode

URLENCODED = "application/x-www-form-urlencoded"
# Inputs a browser does not submit as plain fields.
SKIPPED_TYPES = {"submit", "button", "reset", "image", "file"}


class _FormParser(HTMLParser):
    """Collects the fields of the form whose id is ``form_id`` (or of the first form with a POST method)."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.in_form and not self.done:
            wanted = attrs.get("id") == self.form_id if self.form_id else (attrs.get("method") or "").lower() == "post"
            self.in_form = wanted
            return
        if not self.in_form:
            return
        if tag == "input":
            self._input(attrs)
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
        if not name or kind in SKIPPED_TYPES or "disabled" in attrs:
            return
        if kind in {"checkbox", "radio"}:
            if "checked" in attrs:
                self.fields.append((name, attrs.get("value", "on")))
            return
        self.fields.append((name, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            self.in_form, self.done = False, True
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            # Browsers drop one newline right after <textarea>; Django writes one there.
            self.fields.append((self._textarea["name"], text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self._close_select(self._select)
            self._select = None

    def _close_select(self, select: dict) -> None:
        options = select["options"]
        chosen = [option for option in options if option["selected"]]
        if not chosen and options and not select["multiple"]:
            chosen = [options[0]]
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self.fields.append((select["name"], value))


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """Every (name, value) pair a browser would submit for the page's form, in page order."""
    parser = _FormParser(form_id)
    parser.feed(html)
    parser.close()
    if not parser.fields:
        raise AssertionError(f"No form {form_id or '(POST)'} with fields on the page")
    return parser.fields


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
