"""Submitting admin forms as a browser does: every field of the rendered form, plus the pressed button."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    attrs: dict
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def data(self, button: tuple[str, str] | None = None, **changes) -> dict:
        """The fields as a POST dict (lists for repeated names), with ``changes`` applied and ``button`` pressed."""
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        for name, value in changes.items():
            data[name] = [str(value)]
        if button:
            data[button[0]] = [button[1]]
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), attrs=a)
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
            elif kind in ("submit", "image"):
                self._form.buttons.append((name, a.get("value", "")))
            elif kind not in ("button", "reset", "file"):
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            self._form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._form.fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if not self._select_chosen and not self._multiple and self._select_first is not None and self._form:
                self._form.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form:
                self._form.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with(html: str, *, action: str | None = None, form_id: str | None = None) -> Form:
    """The one form of the page posting to ``action`` (or with ``id``)."""
    found = [f for f in forms_of(html) if (action is None or f.action == action) and (form_id is None or f.attrs.get("id") == form_id)]
    assert len(found) >= 1, f"no form with action={action!r} id={form_id!r}"
    return found[0]
