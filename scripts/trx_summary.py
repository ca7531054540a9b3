#!/usr/bin/env python3
"""Sums the .trx files of a test run and prints 'N passed, M failed' as the last line.

Exits non-zero when any test failed or when no test ran at all, so an empty run is visible.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def main(folder: str) -> int:
    passed = failed = skipped = 0
    files = sorted(glob.glob(os.path.join(folder, "*.trx")))
    for path in files:
        counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", NS)
        if counters is None:
            continue
        passed += int(counters.get("passed", 0))
        failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
        skipped += int(counters.get("notExecuted", 0))
        print(f"{os.path.basename(path)}: {counters.get('passed', 0)} passed, {counters.get('failed', 0)} failed")
    if not files:
        print("no test results were written")
        failed += 1
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "artifacts/test-results"))
