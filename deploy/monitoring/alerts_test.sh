#!/usr/bin/env bash
# The monitoring files as Prometheus and Grafana will read them:
#   - alerts.yaml passes `promtool check rules` and its unit tests (`promtool test rules
#     alerts_test.yaml reconciliation_alerts_test.yaml`: every alert fires on trouble and stays
#     silent on healthy series, and each has a test of both);
#   - dashboard.json is JSON, every panel has a unique id and targets, and every query parses
#     as PromQL (checked by promtool as recording rules, Grafana's $__rate_interval as 5m);
#   - every `runbook` annotation names a section that exists in docs/monitoring.md.
# Usage: alerts_test.sh ALERTS_YAML ALERTS_TEST_YAML RECONCILIATION_ALERTS_TEST_YAML
#                       DASHBOARD_JSON MONITORING_MD
set -euo pipefail
alerts=$1 alerts_test=$2 reconciliation_test=$3 dashboard=$4 doc=$5
tmp=${TEST_TMPDIR:-$(mktemp -d)}

command -v promtool >/dev/null || { echo "promtool missing: bash scripts/setup.sh" >&2; exit 1; }

# promtool reads rule_files relative to the test file: keep both side by side.
cp "$alerts" "$tmp/alerts.yaml"
cp "$alerts_test" "$tmp/alerts_test.yaml"
cp "$reconciliation_test" "$tmp/reconciliation_alerts_test.yaml"
promtool check rules "$tmp/alerts.yaml"
promtool test rules "$tmp/alerts_test.yaml" "$tmp/reconciliation_alerts_test.yaml"

# Every alert has a test where it fires and one where it stays silent (`exp_alerts: []`).
python3 - "$tmp/alerts.yaml" "$tmp/alerts_test.yaml" "$tmp/reconciliation_alerts_test.yaml" <<'PY'
import re, sys
alerts = re.findall(r"^\s*- alert: (\w+)", open(sys.argv[1]).read(), re.M)
tests = "".join(open(path).read() for path in sys.argv[2:])
fires = set(re.findall(r"alertname: (\w+)\n\s*exp_alerts:\n\s*- exp_labels", tests))
silent = set(re.findall(r"alertname: (\w+)\n\s*exp_alerts: \[\]", tests))
untested = [f"{a} ({'never fires' if a not in fires else 'never silent'})"
            for a in alerts if a not in fires or a not in silent]
if untested:
    sys.exit("alerts without both a firing and a silent test: " + ", ".join(untested))
print(f"alerts.yaml: {len(alerts)} alerts, each fires and stays silent in a test")
PY

python3 - "$dashboard" "$tmp/dashboard_rules.yaml" <<'PY'
import json, sys
dashboard = json.load(open(sys.argv[1]))
ids, rules, problems = set(), [], []
for panel in dashboard["panels"]:
    if panel["id"] in ids:
        problems.append(f"panel id {panel['id']} used twice")
    ids.add(panel["id"])
    if panel["type"] == "row":
        continue
    if not panel.get("targets"):
        problems.append(f"panel {panel['title']!r} has no query")
    for target in panel.get("targets", []):
        expr = target["expr"].replace("$__rate_interval", "5m")
        rules.append({"record": f"dashboard:panel_{panel['id']}_{target['refId']}", "expr": expr})
if problems:
    sys.exit("dashboard.json: " + "; ".join(problems))
json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, open(sys.argv[2], "w"))
print(f"dashboard.json: {len(rules)} queries in {len(ids)} panels and rows")
PY
promtool check rules "$tmp/dashboard_rules.yaml"

# Runbook sections: "docs/monitoring.md#name" must be a heading of docs/monitoring.md (GitHub's
# anchor: lower case, spaces to hyphens, other punctuation dropped).
missing=0
anchors=$(sed -n 's/^#\{1,6\} //p' "$doc" | tr 'A-Z' 'a-z' | sed 's/ /-/g; s/[^a-z0-9_-]//g')
for anchor in $(grep -o 'docs/monitoring\.md#[a-z0-9_-]*' "$alerts" | sed 's/.*#//' | sort -u); do
  if ! grep -qx -- "$anchor" <<<"$anchors"; then
    echo "alerts.yaml: runbook docs/monitoring.md#$anchor has no section in $doc" >&2
    missing=1
  fi
done
((missing == 0))
echo "alerts_test: PASS"
