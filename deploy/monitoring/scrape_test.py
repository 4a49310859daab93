"""Every metric alerts.yaml and dashboard.json use is exported by the real gateway.

Starts the real sandbox and gateway binaries (as scripts/run.sh does), makes the events that
create the labelled series (the payctl demo: one payout through each provider with its webhook;
a payout the caller's policy refuses; a Monato payout whose reply the sandbox loses, so that it
ends UNKNOWN and the resolver settles it; a rotated callers file), then a real Prometheus that
scrapes the gateway's admin /metrics and evaluates alerts.yaml. It asks Prometheus's HTTP API
for each metric name and fails naming the missing ones; it also fails if a rule does not
evaluate cleanly or an alert is active on this healthy gateway.

Usage: scrape_test.py GATEWAY SANDBOX PAYCTL ALERTS_YAML DASHBOARD_JSON
"""

import calendar
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
import urllib.request

# Not exported yet, with the labels they will have. The test reports them and fails if one
# appears while still listed. (Reconciliation's metrics are exported since issue 16: the events
# below end with a clean `payctl reconcile`.)
PENDING = {}
# Exported, but a series appears only once something happens that this test does not cause.
APPEARS_ONCE = {}
# Alerts that are active on a healthy gateway only because PENDING metrics are not exported.
ACTIVE_WHILE_PENDING = set()

DEADLINE = time.monotonic() + 240  # the test's own budget, under Bazel's medium timeout
METRIC = re.compile(r"\b(?:gateway|grpc_server)_[a-z0-9_]+\b")
TOKEN = "demo-caller-token-0123456789abcdef"


class Failure(Exception):
    pass


def log(*args):
    print("scrape_test:", *args, flush=True)


def remaining(cap):
    left = DEADLINE - time.monotonic()
    if left <= 0:
        raise Failure("the test's 240 s budget ran out")
    return min(cap, left)


def wait_for(what, condition, timeout, process=None):
    end = time.monotonic() + remaining(timeout)
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise Failure(f"{what}: the process exited with {process.returncode}")
        time.sleep(0.1)
    raise Failure(f"timed out waiting for {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.status, reply.read().decode()
    except (OSError, ValueError) as error:
        return None, str(error)


def read_nonempty(path):
    try:
        with open(path) as f:
            text = f.read()
        return text if text.strip() else None
    except OSError:
        return None


def write(path, text, mode=0o600):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def die_with_parent():
    """In the child: SIGKILL when this test dies, even by SIGKILL (Linux PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


class Processes:
    """Children in their own process groups, stopped in reverse order."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.children = []

    def start(self, name, argv, env=None):
        log_file = open(os.path.join(self.tmp, name + ".log"), "w")
        child = subprocess.Popen(argv, stdout=log_file, stderr=subprocess.STDOUT, env=env,
                                 start_new_session=True, preexec_fn=die_with_parent)
        self.children.append((name, child, log_file))
        return child

    def tail(self, name, lines=20):
        text = read_nonempty(os.path.join(self.tmp, name + ".log")) or ""
        return "\n".join(text.splitlines()[-lines:])

    def stop_all(self):
        for name, child, log_file in reversed(self.children):
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    log(f"{name} still running 10 s after SIGTERM: killed")
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
            log_file.close()


def metric_names(alerts_path, dashboard_path):
    """Metric names each file uses: in expressions, and in prose (descriptions name them too)."""
    names = {}
    for path in (alerts_path, dashboard_path):
        with open(path) as f:
            text = f.read()
        if path.endswith(".json"):
            json.loads(text)  # a broken dashboard fails here, not in Grafana
        for name in METRIC.findall(text):
            names.setdefault(name, set()).add(os.path.basename(path))
    return names


def start_sandbox_and_gateway(procs, tmp, gateway, sandbox):
    state = os.path.join(tmp, "sandbox")
    os.mkdir(state, 0o700)
    secrets = {
        "monato_api_key": "monato-sandbox-api-key",
        "monato_client_secret": "monato-sandbox-client-secret",
        "fintoc_secret_key": "sk_test_sandbox_" + os.urandom(12).hex(),
        "fintoc_webhook_secret": "whsec_" + os.urandom(16).hex(),
        "monato_webhook_token": "monato-webhook-" + os.urandom(16).hex(),
    }
    for name, value in secrets.items():
        write(os.path.join(state, name), value + "\n")
    jws = os.path.join(state, "fintoc_jws_private.pem")
    subprocess.run(["openssl", "genrsa", "-out", jws, "2048"], check=True,
                   capture_output=True, timeout=remaining(30))
    subprocess.run(["openssl", "rsa", "-in", jws, "-pubout", "-out",
                    os.path.join(state, "fintoc_jws_public.pem")], check=True,
                   capture_output=True, timeout=remaining(30))

    webhook_port = free_port()
    ports, ca = os.path.join(state, "ports"), os.path.join(state, "ca.pem")
    sandbox_process = procs.start("sandbox", [
        sandbox, "--monato_port=0", "--fintoc_port=0", "--ports_file=" + ports,
        "--ca_out=" + ca,
        "--monato_api_key_file=" + os.path.join(state, "monato_api_key"),
        "--monato_client_secret_file=" + os.path.join(state, "monato_client_secret"),
        "--fintoc_secret_key_file=" + os.path.join(state, "fintoc_secret_key"),
        "--fintoc_jws_public_key_file=" + os.path.join(state, "fintoc_jws_public.pem"),
        "--fintoc_webhook_secret_file=" + os.path.join(state, "fintoc_webhook_secret"),
        f"--fintoc_webhook_url=http://127.0.0.1:{webhook_port}/webhooks/fintoc"])
    ports_text = wait_for("the sandbox's ports file",
                          lambda: read_nonempty(ports) if read_nonempty(ca) else None, 30,
                          sandbox_process)
    port = dict(line.split("=", 1) for line in ports_text.split())

    callers = os.path.join(tmp, "callers")
    write(callers, f"demo: {TOKEN}\n")
    policies = os.path.join(tmp, "policies.yaml")
    write(policies, """policies:
  - caller: demo
    operations: [payouts, accounts, reconciliation]
    source_accounts: ["*"]
    max_per_payout_minor: 100000
    limits:
      - name: daily-total
        per: caller
        window: 24h
        max_amount_minor: 10000000
        max_count: 100
""")
    config = os.path.join(tmp, "gateway.yaml")
    write(config, f"""server:
  listen_address: 127.0.0.1:0
  admin_listen_address: 127.0.0.1:0
  drain_delay: 0s
  shutdown_grace: 5s
  callers: {{file: {callers}}}
  policies_file: {policies}
store:
  url: sqlite://{tmp}/gateway.db
  resolve_interval: 500ms
validation:
  extra_banks:
    - {{banxico_code: "90735", name: "Fintoc (test mode)"}}
webhooks:
  enabled: true
  listen_address: 127.0.0.1:{webhook_port}
  public_url: http://127.0.0.1:{webhook_port}
  fintoc_secrets:
    - {{file: {state}/fintoc_webhook_secret}}
  monato_tokens:
    - {{file: {state}/monato_webhook_token}}
providers:
  monato:
    enabled: true
    base_url: https://127.0.0.1:{port["monato"]}
    ca_file: {ca}
    timeout: 10s
    client_id: c2d1d1e3-3340-4170-980e-e9269bbbc551
    credentials:
      api_key: {{file: {state}/monato_api_key}}
      client_secret: {{file: {state}/monato_client_secret}}
  fintoc:
    enabled: true
    base_url: https://127.0.0.1:{port["fintoc"]}
    ca_file: {ca}
    timeout: 10s
    mode: test
    credentials:
      secret_key: {{file: {state}/fintoc_secret_key}}
      jws_private_key: {{file: {jws}}}
""")
    grpc_file, admin_file = os.path.join(tmp, "gateway.port"), os.path.join(tmp, "admin.port")
    gateway_process = procs.start("gateway", [
        gateway, "--config=" + config, "--port_file=" + grpc_file,
        "--admin_port_file=" + admin_file])
    grpc_port = wait_for("the gateway's port file", lambda: read_nonempty(grpc_file), 30,
                         gateway_process).strip()
    admin_port = wait_for("the gateway's admin port file", lambda: read_nonempty(admin_file),
                          30, gateway_process).strip()
    return grpc_port, admin_port, callers, (ca, port["monato"])


def sandbox_control(sandbox, path, body=None):
    """A sandbox control call on its Monato port (HTTPS, its own CA); the JSON reply."""
    ca, monato_port = sandbox
    request = urllib.request.Request(
        f"https://127.0.0.1:{monato_port}{path}", method="POST" if body else "GET",
        data=json.dumps(body).encode() if body else None,
        headers={"Content-Type": "application/json"})
    context = ssl.create_default_context(cafile=ca)
    with urllib.request.urlopen(request, timeout=remaining(10), context=context) as reply:
        return json.loads(reply.read().decode())


def make_events(procs, payctl, grpc_port, admin_port, callers, sandbox):
    env = dict(os.environ, GATEWAY_CALLER_TOKEN=TOKEN)
    addr = f"--addr=127.0.0.1:{grpc_port}"
    window_start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    demo = subprocess.run([payctl, addr, "demo"], env=env, capture_output=True, text=True,
                          timeout=remaining(120))
    if demo.returncode != 0:
        raise Failure(f"payctl demo failed:\n{demo.stdout}{demo.stderr}\n"
                      f"gateway log:\n{procs.tail('gateway')}")
    # Above the policy's maximum per payout: refused (gateway_policy_refusals_total).
    refused = subprocess.run(
        [payctl, addr, "create-payout", "--key=scrape-refused", "--source=monato.acct.any",
         "--clabe=014180655091438298", "--holder=Jon Snow", "--amount_minor=200000",
         "--description=Refused", "--reference=123456"],
        env=env, capture_output=True, text=True, timeout=remaining(30))
    if refused.returncode == 0:
        raise Failure("a payout above the policy's maximum was accepted")
    # A Monato payout whose replies are lost, more times than the client and the adapter try
    # (3 were not enough): it ends UNKNOWN. Then the faults are cleared and the resolver's
    # re-send (same key) settles it: gateway_resolver_attempts_total{result="resolved"}. Waiting
    # for that leaves the provider quiet, so the counters are flat while Prometheus watches.
    account = sandbox_control(sandbox, "/_sandbox/monato/state")["main_account_id"]
    sandbox_control(sandbox, "/_sandbox/send_faults", {"lose_reply_next": 10})
    lost = subprocess.run(
        [payctl, addr, "create-payout", "--key=scrape-lost-reply",
         "--source=monato.acct." + account, "--clabe=014180655091438298", "--holder=Jon Snow",
         "--amount_minor=195", "--description=Lost reply", "--reference=123456"],
        env=env, capture_output=True, text=True, timeout=remaining(60))
    sandbox_control(sandbox, "/_sandbox/send_faults", {"lose_reply_next": 0})
    if "UNKNOWN" not in lost.stdout + lost.stderr:
        raise Failure(f"a payout whose reply was lost is not UNKNOWN:\n{lost.stdout}{lost.stderr}")
    metrics_url = f"http://127.0.0.1:{admin_port}/metrics"
    wait_for("the resolver settling the UNKNOWN payout",
             lambda: 'gateway_resolver_attempts_total{provider="monato",result="resolved"}'
             in (http_get(metrics_url)[1] or ""), 60)
    # A rotated callers file (a second token for the same caller): a credential reload.
    write(callers, f"demo: {TOKEN}\ndemo: {TOKEN}-rotated\n")
    wait_for("the callers file's reload on /metrics",
             lambda: "gateway_credential_reloads_total{" in (http_get(metrics_url)[1] or ""), 20)
    # A reconciliation of everything above (gateway_reconciliation_*, gateway_payouts_stuck),
    # which must be clean, as on a healthy gateway. A settlement webhook still on its way makes a
    # run apply the provider's status and report it: the next run is clean.
    window_end = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
    for _ in range(5):
        reconcile = subprocess.run(
            [payctl, addr, "reconcile", "--from=" + window_start, "--to=" + window_end],
            env=env, capture_output=True, text=True, timeout=remaining(60))
        if reconcile.returncode == 0:
            break
        time.sleep(1)
    else:
        raise Failure(f"payctl reconcile is not clean:\n{reconcile.stdout}{reconcile.stderr}")


def prometheus_query(base, query):
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": query})
    status, body = http_get(url)
    if status != 200:
        raise Failure(f"Prometheus query {query!r} failed: {status} {body}")
    return json.loads(body)["data"]["result"]


def rfc3339(text):
    """Seconds since the epoch of Prometheus's "2026-12-03T18:21:44.612345678Z"; 0 if unset."""
    match = re.match(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?Z$", text)
    if not match or match.group(1) == "0001":
        return 0.0
    parts = [int(g) for g in match.groups()[:6]]
    return calendar.timegm(parts[:6] + [0, 0, 0]) + float(match.group(7) or 0)


def check_labels(alerts, dashboard, labels_of):
    """Label names the queries use that their metrics lack (a typo makes an alert silent).

    In `metric{a="x"}` each matcher's label must be the metric's; names in by/on/ignoring
    clauses and in {{ $labels.x }} templates must be a label of some metric used."""
    known = set().union(*labels_of.values()) | {"le", "job", "instance", "__name__"}
    problems = set()
    for path in (alerts, dashboard):
        with open(path) as f:
            text = f.read()
        for label in re.findall(r"\$labels\.(\w+)", text):
            if label not in known:
                problems.add(f"{os.path.basename(path)}: $labels.{label}")
        text = re.sub(r"\{\{.*?\}\}", "", text)  # templates out, so braces are matchers
        for clause in re.findall(r"\b(?:by|on|ignoring|without)\s*\(([^)]*)\)", text):
            for label in filter(None, (x.strip() for x in clause.split(","))):
                if label not in known:
                    problems.add(f"{os.path.basename(path)}: by/on ({label})")
        for metric, matchers in re.findall(r"\b((?:gateway|grpc_server)_[a-z0-9_]+)\{([^{}]*)\}",
                                           text):
            own = labels_of.get(metric.removesuffix("_bucket")) or labels_of.get(metric, set())
            for label in re.findall(r"(\w+)\s*(?:=~|!~|!=|=)", matchers):
                if label not in own:
                    problems.add(f"{os.path.basename(path)}: {metric}{{{label}}}")
    return sorted(problems)


def check_with_prometheus(procs, tmp, admin_port, alerts, dashboard, names):
    prom_port = free_port()
    config = os.path.join(tmp, "prometheus.yml")
    write(config, f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [{os.path.abspath(alerts)}]
scrape_configs:
  - job_name: payouts-gateway
    static_configs:
      - targets: ["127.0.0.1:{admin_port}"]
""", 0o644)
    prometheus = procs.start("prometheus", [
        shutil.which("prometheus") or "/usr/bin/prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + os.path.join(tmp, "prometheus-data"),
        f"--web.listen-address=127.0.0.1:{prom_port}", "--log.level=warn"])
    base = f"http://127.0.0.1:{prom_port}"
    wait_for("Prometheus to be ready", lambda: http_get(base + "/-/ready")[0] == 200, 60,
             prometheus)
    # Every event happened before Prometheus started: its first good scrape holds them all.
    wait_for("a successful scrape of the gateway",
             lambda: any(r["value"][1] == "1"
                         for r in prometheus_query(base, 'up{job="payouts-gateway"}')),
             30, prometheus)

    present = {name for name in names
               if prometheus_query(base, f'count({{__name__=~"{name}|{name}_bucket"}})')}
    missing = sorted(set(names) - present - set(PENDING) - set(APPEARS_ONCE))
    listed_but_present = sorted(present & set(PENDING))
    for name in sorted(set(PENDING) & set(names)):
        log(f"pending (not exported yet, not checked): {name}")
    for name in sorted(set(APPEARS_ONCE) & set(names)):
        state = "present" if name in present else "absent in this run"
        log(f"appears once {APPEARS_ONCE[name]}: {name} ({state})")
    unused = sorted((set(PENDING) | set(APPEARS_ONCE)) - set(names))

    # Label names: each metric's as Prometheus stores them (the pending ones as listed).
    labels_of = {name: set(labels) for name, labels in PENDING.items()}
    for name in present:
        match = urllib.parse.urlencode({"match[]": f'{{__name__=~"{name}|{name}_bucket"}}'})
        status, body = http_get(f"{base}/api/v1/series?{match}")
        if status != 200:
            raise Failure(f"series of {name}: {status} {body}")
        labels_of[name] = {label for series in json.loads(body)["data"] for label in series}
    wrong_labels = check_labels(alerts, dashboard, labels_of)

    # The rules as the real Prometheus evaluates them, once at least 3 scrapes are in (so rates
    # have points): all healthy, none active here.
    wait_for("3 scrapes of the gateway",
             lambda: any(float(r["value"][1]) >= 3 for r in prometheus_query(
                 base, 'count_over_time(up{job="payouts-gateway"}[1m])')), 30, prometheus)
    after = time.time()

    def evaluated_rules():
        status, body = http_get(base + "/api/v1/rules")
        if status != 200:
            return None
        rules = [r for g in json.loads(body)["data"]["groups"] for r in g["rules"]]
        done = rules and all(rfc3339(r.get("lastEvaluation", "")) > after for r in rules)
        return rules if done else None
    rules = wait_for("every rule to be evaluated after 3 scrapes", evaluated_rules, 30, prometheus)
    unhealthy = [f"{r['name']}: {r.get('lastError')}" for r in rules if r["health"] != "ok"]
    active = sorted({r["name"] for r in rules if r.get("state", "inactive") != "inactive"}
                    - ACTIVE_WHILE_PENDING)

    problems = []
    if missing:
        problems.append("not exported by the gateway under these names: " + ", ".join(missing))
    if listed_but_present:
        problems.append("exported now, remove from PENDING in scrape_test.py: "
                        + ", ".join(listed_but_present))
    if unused:
        problems.append("listed in scrape_test.py but used by no rule or panel: "
                        + ", ".join(unused))
    if wrong_labels:
        problems.append("label names the metrics do not have: " + "; ".join(wrong_labels))
    if unhealthy:
        problems.append("rules Prometheus could not evaluate: " + "; ".join(unhealthy))
    if active:
        problems.append("alerts active on a healthy gateway: " + ", ".join(active))
    if problems:
        raise Failure("\n".join(problems))
    log(f"{len(present)} metric names found in Prometheus: " + ", ".join(sorted(present)))
    log(f"{len(rules)} rules evaluated, healthy")


def main(argv):
    gateway, sandbox, payctl, alerts, dashboard = argv[1:6]
    names = metric_names(alerts, dashboard)
    tmp = os.environ.get("TEST_TMPDIR") or os.path.abspath("scrape_test.tmp")
    tmp = os.path.join(tmp, "scrape")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    procs = Processes(tmp)
    # Bazel's timeout sends SIGTERM: stop the children on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("scrape_test: terminated"))
    try:
        grpc_port, admin_port, callers, control = start_sandbox_and_gateway(
            procs, tmp, gateway, sandbox)
        make_events(procs, payctl, grpc_port, admin_port, callers, control)
        check_with_prometheus(procs, tmp, admin_port, alerts, dashboard, names)
    except (Failure, subprocess.SubprocessError, OSError, KeyError, ValueError) as error:
        print(f"FAIL: {error}", file=sys.stderr)
        for name in ("gateway", "prometheus"):
            print(f"--- {name} log (tail)\n{procs.tail(name)}", file=sys.stderr)
        outputs = os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR")
        if outputs:  # the whole logs, in bazel-testlogs/.../test.outputs
            for name in os.listdir(tmp):
                if name.endswith(".log"):
                    shutil.copy(os.path.join(tmp, name), outputs)
        return 1
    finally:
        procs.stop_all()
    log("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
