"""Print, as JSON, what AT-SPI (the accessibility bus Orca reads on Linux) exposes of a web page.

Run by Debian's own python3 (python3-pyatspi brings the GObject bindings), not by the tests'
virtual environment; the tests start it as a subprocess with the bus and display of the browser:

    /usr/bin/python3 tests/atspi_tree.py URL

It finds the browser's document whose URI is URL and prints every node below it, in order,
as {"depth", "role", "name", "description", "states"}; a missing document prints null.
"""
import json
import sys
import warnings

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402


def children(node):
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            yield child


def find_document(node, uri, depth=0):
    """The document whose URI is ``uri``, searched through the applications' windows."""
    if node.get_role() == Atspi.Role.DOCUMENT_WEB:
        # Marked deprecated for get_attribute_value, which Debian 12's bindings (2.46) do not have.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            found = node.get_document_attribute_value("URI")
        return node if found == uri else None
    if depth > 30:
        return None
    for child in children(node):
        found = find_document(child, uri, depth + 1)
        if found is not None:
            return found
    return None


def describe(node, depth, out):
    states = node.get_state_set().get_states()
    out.append({"depth": depth, "role": node.get_role_name(), "name": node.get_name(),
                "description": node.get_description(),
                "states": sorted(Atspi.StateType(state).value_nick for state in states)})
    for child in children(node):
        describe(child, depth + 1, out)
    return out


def main(uri):
    desktop = Atspi.get_desktop(0)
    for app in children(desktop):
        document = find_document(app, uri)
        if document is not None:
            return describe(document, 0, [])
    return None


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), ensure_ascii=False))
