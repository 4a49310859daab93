#!/usr/bin/env python3
"""Print 'N passed, N failed' for a `bazel test` run.

Bazel prints no such line. Test cases are counted from each target's JUnit XML (gtest writes
it through $XML_OUTPUT_FILE); which targets ran, and how they ended, comes from the run's
build event protocol file, so a target that failed to build (and may have a stale test.xml
from an earlier run) counts as one failure instead of its old results.

Usage: junit_summary.py --bep FILE --testlogs DIR [--extra NAME=passed|failed ...] LABEL...
(LABEL: every test target that should have run, from `bazel query 'tests(//...)'`.)
"""
import argparse
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET


def label_to_dir(label):
    package, _, name = label.lstrip("@").lstrip("/").partition(":")
    return os.path.join(package, name)


def test_xmls(directory):
    """The JUnit files of one test: test.xml, or one per shard (shard_K_of_N/test.xml)."""
    single = os.path.join(directory, "test.xml")
    if os.path.exists(single):
        return [single]
    return sorted(glob.glob(os.path.join(directory, "shard_*_of_*", "test.xml")))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bep", required=True)
    parser.add_argument("--testlogs", required=True)
    parser.add_argument("--extra", action="append", default=[])
    parser.add_argument("labels", nargs="*")
    args = parser.parse_args()

    summaries = {}  # label -> overall status
    expected = set(args.labels)
    with open(args.bep) as bep:
        for line in bep:
            event = json.loads(line)
            event_id = event.get("id", {})
            if "testSummary" in event_id:
                label = event_id["testSummary"]["label"]
                summaries[label] = event.get("testSummary", {}).get("overallStatus", "NO_STATUS")

    passed = failed = skipped = 0
    for label in sorted(expected | set(summaries)):
        status = summaries.get(label, "NO_STATUS")
        xmls = test_xmls(os.path.join(args.testlogs, label_to_dir(label)))
        if status not in ("PASSED", "FLAKY", "FAILED") or not xmls:
            print(f"not run ({status}): {label}", file=sys.stderr)
            failed += 1
            continue
        cases = 0
        for case in (c for xml in xmls for c in ET.parse(xml).getroot().iter("testcase")):
            cases += 1
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.get("status") == "notrun" or case.get("result") == "skipped" \
                    or case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
        if cases == 0 and status == "FAILED":
            failed += 1  # crashed before gtest wrote any case

    for extra in args.extra:
        name, _, result = extra.partition("=")
        if result == "passed":
            passed += 1
        else:
            print(f"failed: {name}", file=sys.stderr)
            failed += 1

    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
