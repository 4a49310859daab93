#include "bench/scenarios.h"

#include <algorithm>
#include <iostream>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "bench/direct_monato.h"
#include "bench/gateway_load.h"
#include "bench/load_report.h"
#include "bench/sandbox_control.h"
#include "bench/signing_ceiling.h"

namespace bench {
namespace {

// One measured phase: its report, how long it took, and the gateway before and after.
struct Phase {
  LoadReport report;
  LoadResult result;
  GatewaySample before;
  GatewaySample after;

  // Successful calls per second with `label`, or of every label when it is empty.
  double PerSecond(const std::string& label) const {
    const int64_t ok = label.empty() ? report.ok() : report.ok(label);
    return static_cast<double>(ok) / absl::ToDoubleSeconds(result.elapsed);
  }
};

std::unique_ptr<Phase> RunPhase(const BenchSetup& setup, const std::string& title,
                                const LoadPlan& plan, const StartCall& start, bool print = true) {
  auto phase = std::make_unique<Phase>();
  phase->before = SampleGateways(setup.admins, setup.gateway_pids);
  phase->result = DriveLoad(plan, start, &phase->report);
  phase->after = SampleGateways(setup.admins, setup.gateway_pids);
  if (print) {
    std::cout << "== " << title << "\n" << phase->report.Summary(phase->result.elapsed);
    if (phase->result.missed_slots > 0) {
      std::cout << "missed slots (concurrency limit reached): " << phase->result.missed_slots
                << "\n";
    }
  }
  return phase;
}

void PrintGateway(const Phase& phase) {
  std::cout << GatewayDelta(phase.before, phase.after, phase.report.ok());
}

const char* Verdict(bool met) { return met ? "met" : "NOT met"; }

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

std::string Gateways(const BenchSetup& setup) {
  return setup.addrs.size() > 1 ? absl::StrCat(" (", setup.addrs.size(), " replicas)") : "";
}

std::unique_ptr<GatewayLoad> LoadFor(const BenchSetup& setup, const std::string& mix) {
  std::vector<PayoutTarget> targets = ResolveTargets(setup.addrs.at(0), setup.token, mix);
  if (targets.empty()) return nullptr;
  return std::make_unique<GatewayLoad>(setup.addrs, setup.token, setup.channels, targets);
}

// A paced plan at `rate`: enough room in flight that the pace, not the limit, decides.
LoadPlan Paced(const BenchSetup& setup, double rate) {
  LoadPlan plan = setup.plan;
  plan.rate = rate;
  plan.max_calls = 0;
  plan.concurrency = std::max(setup.plan.concurrency * 4, 64);
  return plan;
}

// The direct path and the gateway paced at the same rate, one after the other: the latency the
// gateway adds at that load (gateway minus direct, per percentile).
struct AddedLatency {
  double rate = 0;
  absl::Duration p50, p90, p99;
  int64_t errors = 0;
};

AddedLatency CompareAtRate(const BenchSetup& setup, const std::string& what, double rate,
                           const StartCall& direct, const StartCall& gateway) {
  const LoadPlan plan = Paced(setup, rate);
  auto d = RunPhase(setup, absl::StrFormat("%s (%.0f/s), direct", what, rate), plan, direct);
  auto g = RunPhase(
      setup, absl::StrFormat("%s (%.0f/s), through the gateway%s", what, rate, Gateways(setup)),
      plan, gateway);
  PrintGateway(*g);
  AddedLatency added;
  added.rate = rate;
  added.errors = d->report.errors() + g->report.errors();
  absl::Duration* out[] = {&added.p50, &added.p90, &added.p99};
  const double qs[] = {0.5, 0.9, 0.99};
  std::cout << absl::StrFormat("-- at %.0f/s        %9s %9s %9s\n", rate, "p50", "p90", "p99");
  std::string direct_row, gateway_row, added_row;
  for (int i = 0; i < 3; ++i) {
    const absl::Duration dq = d->report.Percentile("monato-direct", qs[i]);
    const absl::Duration gq = g->report.Percentile("monato", qs[i]);
    *out[i] = gq - dq;
    absl::StrAppend(&direct_row, absl::StrFormat(" %6.2f ms", Ms(dq)));
    absl::StrAppend(&gateway_row, absl::StrFormat(" %6.2f ms", Ms(gq)));
    absl::StrAppend(&added_row, absl::StrFormat(" %+6.2f ms", Ms(gq - dq)));
  }
  std::cout << "   direct         " << direct_row << "\n   gateway        " << gateway_row
            << "\n   added          " << added_row << "\n";
  return added;
}

}  // namespace

int RunPlain(const BenchSetup& setup) {
  auto gateway = LoadFor(setup, setup.mix);
  if (gateway == nullptr) return 2;
  const std::string title = absl::StrCat("gateway", Gateways(setup), ", mix ", setup.mix);
  if (!setup.half_peak) {
    auto phase = RunPhase(setup, title, setup.plan, gateway->Starter());
    PrintGateway(*phase);
    return phase->report.errors() == 0 ? 0 : 1;
  }
  LoadPlan peak = setup.plan;
  peak.rate = 0;
  auto p = RunPhase(setup, absl::StrCat(title, ", peak"), peak, gateway->Starter());
  PrintGateway(*p);
  const double rate =
      static_cast<double>(p->report.ok()) / absl::ToDoubleSeconds(p->result.elapsed);
  auto h = RunPhase(setup, absl::StrFormat("%s, half of the peak (%.0f/s)", title, rate / 2),
                    Paced(setup, rate / 2), gateway->Starter());
  PrintGateway(*h);
  return p->report.errors() + h->report.errors() == 0 ? 0 : 1;
}

int RunDirectComparison(const BenchSetup& setup) {
  std::vector<PayoutTarget> targets = ResolveTargets(setup.addrs.at(0), setup.token, "monato:1");
  if (targets.empty()) return 2;
  GatewayLoad gateway(setup.addrs, setup.token, setup.channels, targets);
  DirectMonatoOptions options;
  options.base_url = setup.monato_url;
  options.ca_file = setup.sandbox_ca;
  options.client_id = setup.monato_client_id;
  options.api_key = setup.monato_api_key;
  options.client_secret = setup.monato_client_secret;
  options.account_id = std::string(absl::StripPrefix(targets[0].source_account_id, "monato.acct."));
  options.max_connections = setup.pool_size;
  auto direct = DirectMonato::Connect(options);
  if (!direct.ok()) {
    std::cerr << "loadgen: direct Monato client: " << direct.status() << "\n";
    return 2;
  }
  // Warm both paths (connections, token, instruments) before measuring.
  LoadPlan warm = setup.plan;
  warm.duration = absl::Seconds(1);
  warm.max_calls = 0;
  warm.rate = 0;
  RunPhase(setup, "warm-up", warm, (*direct)->Starter(), false);
  RunPhase(setup, "warm-up", warm, gateway.Starter(), false);
  int64_t errors = 0;

  // Fixed rates first (they need no peak), then the peak if asked for (by --rate=half-peak, or
  // by giving no rate at all).
  std::vector<AddedLatency> fixed;
  for (double rate : setup.fixed_rates) {
    fixed.push_back(
        CompareAtRate(setup, "fixed rate", rate, (*direct)->Starter(), gateway.Starter()));
    errors += fixed.back().errors;
  }
  for (const AddedLatency& added : fixed) {
    std::cout << absl::StrFormat(
        "scenario 1: at %.0f/s the gateway%s adds p50 %+.2f ms, p90 %+.2f ms, p99 %+.2f ms "
        "(target p50 <= 0.5 ms at 200/s: %s)\n",
        added.rate, Gateways(setup), Ms(added.p50), Ms(added.p90), Ms(added.p99),
        Verdict(added.p50 <= absl::Microseconds(500)));
  }
  if (!setup.half_peak && !setup.fixed_rates.empty()) return errors == 0 ? 0 : 1;

  // Peak: closed loops of the same concurrency, alternated twice to even out the machine's
  // drift, each side's throughput summed over its two phases.
  LoadPlan peak = setup.plan;
  peak.rate = 0;
  double direct_calls = 0, direct_seconds = 0, gateway_calls = 0, gateway_seconds = 0;
  double gateway_cpu_seconds = 0;  // the gateways' own CPU during the two peak rounds
  for (int round = 1; round <= 2; ++round) {
    auto d = RunPhase(setup, absl::StrCat("peak, direct to the sandbox, round ", round), peak,
                      (*direct)->Starter());
    direct_calls += static_cast<double>(d->report.ok("monato-direct"));
    direct_seconds += absl::ToDoubleSeconds(d->result.elapsed);
    auto g = RunPhase(setup,
                      absl::StrCat("peak, through the gateway", Gateways(setup), ", round ", round),
                      peak, gateway.Starter());
    gateway_calls += static_cast<double>(g->report.ok("monato"));
    gateway_seconds += absl::ToDoubleSeconds(g->result.elapsed);
    gateway_cpu_seconds += std::max(0.0, g->after.cpu_seconds - g->before.cpu_seconds);
    PrintGateway(*g);
    errors += g->report.errors();
  }
  const double direct_peak = direct_calls / direct_seconds;
  const double gateway_peak = gateway_calls / gateway_seconds;
  const double ratio = gateway_peak / direct_peak;

  // Half of the gateway's peak, paced, the same rate on both paths.
  const AddedLatency half = CompareAtRate(setup, "half of the gateway's peak", gateway_peak / 2,
                                          (*direct)->Starter(), gateway.Starter());
  errors += half.errors;
  std::cout << absl::StrFormat(
      "scenario 1: peak %.1f/s through the gateway%s, %.1f/s direct: ratio %.2f (target >= 0.5: "
      "%s)\nscenario 1: at half peak (%.0f/s) the gateway adds p50 %+.2f ms, p90 %+.2f ms, p99 "
      "%+.2f ms (target p99 <= 3 ms: %s)\n",
      gateway_peak, Gateways(setup), direct_peak, ratio, Verdict(ratio >= 0.5), half.rate,
      Ms(half.p50), Ms(half.p90), Ms(half.p99), Verdict(half.p99 <= absl::Milliseconds(3)));
  if (gateway_calls > 0 && gateway_cpu_seconds > 0) {
    const double cpu_us = gateway_cpu_seconds * 1e6 / gateway_calls;
    std::cout << absl::StrFormat(
        "scenario 1: gateway CPU %.0f us per Monato payout at peak (target <= 150 us: %s)\n",
        cpu_us, Verdict(cpu_us <= 150));
  }
  return errors == 0 ? 0 : 1;
}

int RunSigningCeiling(const BenchSetup& setup) {
  auto gateway = LoadFor(setup, "fintoc:1");
  if (gateway == nullptr) return 2;
  auto phase = RunPhase(setup, "Fintoc through the gateway", setup.plan, gateway->Starter());
  PrintGateway(*phase);
  auto ceiling = SignaturesPerSecond(setup.fintoc_jws_key, setup.sign_threads, setup.plan.duration);
  if (!ceiling.ok()) {
    std::cerr << "loadgen: signing ceiling: " << ceiling.status() << "\n";
    return 2;
  }
  const double fintoc = phase->PerSecond("fintoc");
  const double ratio = fintoc / ceiling->per_second;
  std::cout << absl::StrFormat(
      "scenario 2: Fintoc %.1f payouts/s, sign-only %.1f signatures/s on %d threads: ratio %.2f "
      "(target >= 0.5: %s)\n",
      fintoc, ceiling->per_second, setup.sign_threads, ratio, Verdict(ratio >= 0.5));
  // Issue 15's CPU target for a Fintoc payout: the signature's own CPU plus at most 150 us.
  const int64_t payouts = phase->report.ok("fintoc");
  if (payouts > 0 && phase->before.cpu_seconds >= 0 && phase->after.cpu_seconds >= 0) {
    const double per_payout_us =
        (phase->after.cpu_seconds - phase->before.cpu_seconds) * 1e6 / static_cast<double>(payouts);
    const double signature_us = absl::ToDoubleMicroseconds(ceiling->cpu_per_signature);
    std::cout << absl::StrFormat(
        "scenario 2: gateway CPU %.0f us per Fintoc payout, a signature %.0f us: %+.0f us besides "
        "the signature (target <= 150 us: %s)\n",
        per_payout_us, signature_us, per_payout_us - signature_us,
        Verdict(per_payout_us - signature_us <= 150));
  }
  return phase->report.errors() == 0 ? 0 : 1;
}

int RunTokenExpiryBurst(const BenchSetup& setup) {
  auto gateway = LoadFor(setup, "monato:1");
  if (gateway == nullptr) return 2;
  LoadPlan one;
  one.max_calls = 1;
  one.concurrency = 1;
  RunPhase(setup, "warm-up", one, gateway->Starter(), false);  // the gateway holds a token now
  auto state = SandboxControl(setup.monato_url, setup.sandbox_ca, "GET", "/_sandbox/monato/state");
  auto expired = SandboxControl(setup.monato_url, setup.sandbox_ca, "POST",
                                "/_sandbox/monato/expire_tokens", "{}");
  if (!state.ok() || !expired.ok()) {
    std::cerr << "loadgen: sandbox control: " << state.status() << " " << expired.status() << "\n";
    return 2;
  }
  const int64_t issued_before = JsonInteger(*state, "tokens_issued").value_or(-1);
  LoadPlan burst;
  burst.max_calls = setup.plan.concurrency;
  burst.concurrency = setup.plan.concurrency;
  burst.duration = absl::Seconds(60);
  auto phase = RunPhase(
      setup, absl::StrCat(burst.concurrency, " Monato payouts at once, every token revoked"), burst,
      gateway->Starter());
  PrintGateway(*phase);
  state = SandboxControl(setup.monato_url, setup.sandbox_ca, "GET", "/_sandbox/monato/state");
  const int64_t issued_after = state.ok() ? JsonInteger(*state, "tokens_issued").value_or(-1) : -1;
  const double fetches = SeriesDelta(phase->before, phase->after,
                                     "gateway_provider_token_refreshes_total{provider=\"monato\"");
  const bool met = fetches == 1 && issued_after - issued_before == 1 &&
                   phase->report.errors() == 0 && phase->report.ok() == burst.max_calls;
  std::cout << absl::StrFormat(
      "scenario 3: %d payouts, %d failed; token fetches %.0f by the gateway's count, %d by the "
      "sandbox's (target exactly 1 and no failure: %s)\n",
      phase->report.ok() + phase->report.errors(), phase->report.errors(), fetches,
      issued_after - issued_before, Verdict(met));
  return met ? 0 : 1;
}

int RunHandshakeCount(const BenchSetup& setup) {
  auto gateway = LoadFor(setup, setup.mix);
  if (gateway == nullptr) return 2;
  auto phase = RunPhase(setup, absl::StrCat(setup.plan.max_calls, " payouts"), setup.plan,
                        gateway->Starter());
  PrintGateway(*phase);
  bool met = phase->report.errors() == 0;
  std::string counts;
  for (const char* provider : {"monato", "fintoc"}) {
    const double handshakes =
        SeriesDelta(phase->before, phase->after,
                    absl::StrCat("gateway_provider_tls_handshakes_total{provider=\"", provider));
    if (phase->report.ok(provider) == 0) continue;
    // Each replica has a pool of its own.
    met = met && handshakes <= setup.pool_size * static_cast<double>(setup.addrs.size());
    absl::StrAppend(&counts, counts.empty() ? "" : ", ", provider, " ", handshakes);
  }
  std::cout << absl::StrFormat(
      "scenario 4: %d payouts, %d errors, %.1f payouts/s%s; TLS handshakes %s (target <= pool "
      "size %d per gateway: %s)\n",
      phase->report.ok(), phase->report.errors(), phase->PerSecond(""), Gateways(setup), counts,
      setup.pool_size, Verdict(met));
  return met ? 0 : 1;
}

int RunMemoryUnderLatency(const BenchSetup& setup) {
  auto gateway = LoadFor(setup, setup.mix);
  if (gateway == nullptr) return 2;
  const std::string slow = R"({"latency_ms":200})";
  for (const std::string& url : {setup.monato_url, setup.fintoc_url}) {
    auto set = SandboxControl(url, setup.sandbox_ca, "POST", "/_sandbox/faults", slow);
    if (!set.ok()) {
      std::cerr << "loadgen: sandbox latency: " << set.status() << "\n";
      return 2;
    }
  }
  LoadPlan plan = setup.plan;
  plan.rate = 0;
  auto phase = RunPhase(
      setup, absl::StrCat(plan.concurrency, " payouts in flight, providers answering in 200 ms"),
      plan, gateway->Starter());
  PrintGateway(*phase);
  for (const std::string& url : {setup.monato_url, setup.fintoc_url}) {
    (void)SandboxControl(url, setup.sandbox_ca, "POST", "/_sandbox/faults", R"({"latency_ms":0})");
  }
  const double rss_mib = static_cast<double>(phase->after.peak_rss_kib) / 1024.0;
  // Little's law: what was in flight on average, from throughput and mean-ish latency.
  const double in_flight =
      (static_cast<double>(phase->report.ok()) / absl::ToDoubleSeconds(phase->result.elapsed)) *
      absl::ToDoubleSeconds(phase->report.Percentile("monato", 0.5));
  std::cout << absl::StrFormat(
      "scenario 5: %d in flight (about %.0f by Little's law at the p50), gateway peak RSS %.1f "
      "MiB (target <= 64 MiB: %s), %d errors\n",
      plan.concurrency, in_flight, rss_mib, Verdict(rss_mib > 0 && rss_mib <= 64),
      phase->report.errors());
  return phase->report.errors() == 0 ? 0 : 1;
}

}  // namespace bench
