"""Run Orca, the Linux screen reader, and print each thing it says, one JSON string a line.

Run by Debian's own python3 (the orca package is Python for it), not by the tests' virtual
environment; the tests start it as a subprocess with the bus and display of the browser:

    /usr/bin/python3 tests/orca_speech.py PREFS_DIR [DEBUG_FILE]

What Orca would say is what its speech module logs ("SPEECH OUTPUT: 'Listen push button.'"),
whether or not a voice is there to say it: the tests give it none (no speech-dispatcher).
It starts with its default settings (no setup wizard runs unless asked), stored in PREFS_DIR,
except that it neither reads a page aloud nor summarises it on load: what it says is then only
the answer to what the test did. DEBUG_FILE, if given, gets Orca's whole debug log, line by line.

Not /usr/bin/orca: that refuses to start while any other Orca of the same user runs (another
test run, a person's own), and its debug log is written in blocks, late.
"""
import json
import logging
import re
import sys

from orca import debug, orca

SPOKEN = re.compile(r"SPEECH OUTPUT: '(.*)'(?: voice=\w+)?$", re.DOTALL)


class Say(logging.Handler):
    def emit(self, record):
        found = SPOKEN.match(record.getMessage())
        if found:
            print(json.dumps(found.group(1), ensure_ascii=False), flush=True)


def main(prefs, debug_file=None):
    sys.argv[0] = "orca"
    if debug_file:
        debug.debugLevel = debug.LEVEL_ALL
        debug.debugFile = open(debug_file, "w", buffering=1, encoding="utf-8")
    logging.getLogger("speech").addHandler(Say())
    manager = orca.getSettingsManager()
    manager.activate(prefs, {"sayAllOnLoad": False, "pageSummaryOnLoad": False})
    sys.path.insert(0, manager.getPrefsDir())
    return orca.main()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
