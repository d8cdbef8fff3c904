"""The README and docs/ stay true to the code: commands in their ```sh blocks exist, relative links resolve."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SH_BLOCK = re.compile(r"^ *```sh\n(.*?)^ *```", re.M | re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)|\b(?:src|href)=\"([^\"]+)\"")


def sh_lines() -> list[tuple[str, str]]:
    """Every line of every ```sh block, with the file it is in."""
    return [(path.name, line) for path in DOCS for block in SH_BLOCK.findall(path.read_text()) for line in block.splitlines()]


def makefile_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z0-9_-]*):", (ROOT / "Makefile").read_text(), re.M))


def link_targets(path: Path) -> list[str]:
    """Targets of Markdown links and HTML src/href in one file, except absolute URLs (http:, mailto:)."""
    return [a or b for a, b in LINK.findall(path.read_text()) if not re.match(r"[a-z]+:", a or b)]


def relative_links(path: Path) -> list[str]:
    """Relative targets of links in one file, without their #anchor."""
    return [target.split("#")[0] for target in link_targets(path) if target.split("#")[0]]


def heading_anchors(path: Path) -> set[str]:
    """GitHub's anchors for a Markdown file's headings: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"^ *```.*?^ *```", "", path.read_text(), flags=re.M | re.S)
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_docs_have_sh_blocks_naming_make_and_manage_commands():
    text = "\n".join(line for _, line in sh_lines())

    assert "make run" in text and "make test" in text and "manage.py catalogue" in text


def test_every_make_target_in_the_docs_exists():
    targets = makefile_targets()
    named = {(name, target) for name, line in sh_lines() for target in re.findall(r"\bmake (\w[\w-]*)", line)}

    assert named and sorted((name, target) for name, target in named if target not in targets) == []


def test_every_management_command_in_the_docs_exists():
    commands = set(get_commands())
    named = {(name, command) for name, line in sh_lines() for command in re.findall(r"(?:manage\.py|manage\.sh) ([a-z_]+)", line)}

    assert named and sorted((name, command) for name, command in named if command not in commands) == []


def test_every_management_command_in_inline_code_and_cron_blocks_exists():
    commands = set(get_commands())
    cron = re.compile(r"^```cron\n(.*?)^```", re.M | re.S)
    named = {
        (path.name, command)
        for path in DOCS
        for snippet in re.findall(r"`([^`\n]+)`", path.read_text()) + cron.findall(path.read_text())
        for command in re.findall(r"manage\.(?:py|sh) ([a-z_]+)", snippet)
    }

    assert {command for _, command in named} >= {"expire_offers", "purge_personal_data", "backup_database"}
    assert sorted((name, command) for name, command in named if command not in commands) == []


def test_every_relative_link_in_the_docs_points_at_a_file():
    broken = [(path.name, target) for path in DOCS for target in relative_links(path) if not (path.parent / target).exists()]

    assert broken == []


def test_every_anchor_in_the_docs_names_a_heading():
    broken = []
    for path in DOCS:
        for target in link_targets(path):
            if "#" in target:
                page, anchor = target.split("#", 1)
                linked = (path.parent / page) if page else path
                if linked.suffix == ".md" and anchor not in heading_anchors(linked):
                    broken.append((path.name, target))

    assert broken == []


def test_the_readme_links_to_every_doc():
    linked = set(relative_links(ROOT / "README.md"))

    assert sorted(f"docs/{path.name}" for path in DOCS[1:] if f"docs/{path.name}" not in linked) == []
