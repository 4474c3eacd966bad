"""Guard against a Qt binding that leaks references to None on void calls.

PySide6-Essentials 6.12.0 on CPython 3.11 drops one reference to None per Qt call that
returns nothing; after a few thousand calls the interpreter aborts with
`Fatal Python error: none_dealloc`. The check runs in a child process so such an abort
fails this test instead of killing the test session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

CALLS = 100_000

CHILD = f"""
import json, sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen

app = QGuiApplication([])
image = QImage(8, 8, QImage.Format.Format_ARGB32)
painter = QPainter(image)
pen = QPen(QColor(10, 20, 30))
before = sys.getrefcount(None)
for _ in range({CALLS}):
    painter.setPen(pen)  # a void call: returns None
after = sys.getrefcount(None)
painter.end()
print(json.dumps({{"before": before, "after": after}}))
"""


def test_void_qt_calls_do_not_leak_none() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, (
        f"the Qt binding crashed after void calls (exit {done.returncode}); check the "
        f"PySide6 pin in constraints.txt.\n{done.stderr[-2000:]}"
    )
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    # A healthy binding leaves None's count where it was (immortal on 3.12+); the broken
    # one loses one reference per call, i.e. ~100k here.
    assert counts["before"] - counts["after"] < 1000, counts
