// Load generator for the gateway: CreatePayout over async gRPC (the callback API),
// closed loop (--concurrency calls always in flight) or paced (--rate calls per second, at most
// --concurrency in flight), for --duration or --payouts, spread over providers by --mix. Prints
// throughput, latency percentiles, errors by code and, given the admin port and the gateway's
// pid, the gateway's own counters, its peak RSS and CPU per payout. --scenario=1..5 runs one of
// the five measured scenarios (bench/scenarios.h). Several replicas on one store: comma-separated
// --addr (calls round-robin over them), --admin and --gateway_pid (their counters summed).
//
// scripts/run.sh --bench [FLAGS] starts the sandbox and the gateway and passes the connection
// flags itself; BENCHMARKS.md has one command per scenario.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "bench/scenarios.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:50051",
          "The gateway's gRPC address, or several replicas' comma-separated.");
ABSL_FLAG(std::string, token, "",
          "Caller token (authorization: Bearer), if the gateway needs one.");
ABSL_FLAG(int, scenario, 0,
          "0: a plain run; 1: gateway vs direct Monato; 2: Fintoc vs the RS256 signing rate; 3: "
          "token expiry under a burst; 4: TLS handshakes over --payouts; 5: RSS with "
          "--concurrency in flight at 200 ms provider latency.");
ABSL_FLAG(int, concurrency, 16, "Calls in flight at most (closed loop: always).");
ABSL_FLAG(std::string, rate, "",
          "Calls started per second (empty or 0: as fast as --concurrency allows). Scenario 1: "
          "comma-separated rates and/or half-peak, each a paced phase on both paths (default "
          "half-peak); a plain run: one rate, or half-peak (the peak, then half of it).");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "How long to send (per phase).");
ABSL_FLAG(int64_t, payouts, 0, "Stop after starting this many calls (0: --duration decides).");
ABSL_FLAG(std::string, mix, "monato:1,fintoc:1", "Providers and weights, e.g. monato:3,fintoc:1.");
ABSL_FLAG(int, channels, 4, "gRPC channels (connections) per gateway to spread calls over.");
ABSL_FLAG(std::string, admin, "",
          "The gateway's admin address (host:port) for its counters; comma-separated for "
          "replicas.");
ABSL_FLAG(std::string, gateway_pid, "",
          "The gateway's pid, for its peak RSS and CPU seconds; comma-separated for replicas.");
ABSL_FLAG(int, pool_size, 8, "The gateway's max_connections per provider (scenarios 1 and 4).");
ABSL_FLAG(std::string, monato_url, "", "The sandbox's Monato base URL (scenarios 1, 3, 5).");
ABSL_FLAG(std::string, fintoc_url, "", "The sandbox's Fintoc base URL (scenario 5).");
ABSL_FLAG(std::string, sandbox_ca, "", "The sandbox's CA certificate (PEM).");
ABSL_FLAG(std::string, monato_client_id, "c2d1d1e3-3340-4170-980e-e9269bbbc551",
          "Monato client id (scenario 1's direct client).");
ABSL_FLAG(std::string, monato_api_key_file, "", "Monato API key file (scenario 1).");
ABSL_FLAG(std::string, monato_client_secret_file, "", "Monato client secret file (scenario 1).");
ABSL_FLAG(std::string, fintoc_jws_key, "", "The Fintoc JWS private key, PEM (scenario 2).");
ABSL_FLAG(int, sign_threads, 2, "Threads of scenario 2's sign-only loop (the machine's cores).");

namespace {

std::string ReadTrimmed(const std::string& path) {
  if (path.empty()) return "";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

std::vector<std::string> List(const std::string& flag) {
  return absl::StrSplit(flag, ',', absl::SkipWhitespace());
}

// --rate: numbers and "half-peak". False on anything else.
bool ParseRates(const std::string& flag, bench::BenchSetup* setup) {
  for (const std::string& entry : List(flag)) {
    double rate = 0;
    if (entry == "half-peak") {
      setup->half_peak = true;
    } else if (absl::SimpleAtod(entry, &rate) && rate >= 0) {
      if (rate > 0) setup->fixed_rates.push_back(rate);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  bench::BenchSetup setup;
  setup.addrs = List(absl::GetFlag(FLAGS_addr));
  setup.token = absl::GetFlag(FLAGS_token);
  setup.admins = List(absl::GetFlag(FLAGS_admin));
  for (const std::string& pid : List(absl::GetFlag(FLAGS_gateway_pid))) {
    int value = 0;
    if (!absl::SimpleAtoi(pid, &value)) {
      std::cerr << "loadgen: --gateway_pid must be pids separated by commas\n";
      return 2;
    }
    setup.gateway_pids.push_back(value);
  }
  if (setup.addrs.empty()) {
    std::cerr << "loadgen: --addr is empty\n";
    return 2;
  }
  if (!ParseRates(absl::GetFlag(FLAGS_rate), &setup)) {
    std::cerr << "loadgen: --rate must be calls per second, comma-separated, or half-peak\n";
    return 2;
  }
  const int scenario = absl::GetFlag(FLAGS_scenario);
  if (scenario != 1 && setup.fixed_rates.size() + (setup.half_peak ? 1 : 0) > 1) {
    std::cerr << "loadgen: several --rate values are for --scenario=1 only\n";
    return 2;
  }
  if (scenario == 1 && setup.fixed_rates.empty()) setup.half_peak = true;  // as before
  if (scenario != 0 && scenario != 1 && setup.half_peak) {
    std::cerr << "loadgen: --rate=half-peak is for a plain run or --scenario=1\n";
    return 2;
  }
  setup.channels = absl::GetFlag(FLAGS_channels);
  setup.plan.concurrency = absl::GetFlag(FLAGS_concurrency);
  setup.plan.rate = setup.fixed_rates.empty() ? 0 : setup.fixed_rates[0];
  setup.plan.duration = absl::GetFlag(FLAGS_duration);
  setup.plan.max_calls = absl::GetFlag(FLAGS_payouts);
  setup.mix = absl::GetFlag(FLAGS_mix);
  setup.pool_size = absl::GetFlag(FLAGS_pool_size);
  setup.monato_url = absl::GetFlag(FLAGS_monato_url);
  setup.fintoc_url = absl::GetFlag(FLAGS_fintoc_url);
  setup.sandbox_ca = absl::GetFlag(FLAGS_sandbox_ca);
  setup.monato_client_id = absl::GetFlag(FLAGS_monato_client_id);
  setup.monato_api_key = ReadTrimmed(absl::GetFlag(FLAGS_monato_api_key_file));
  setup.monato_client_secret = ReadTrimmed(absl::GetFlag(FLAGS_monato_client_secret_file));
  setup.fintoc_jws_key = absl::GetFlag(FLAGS_fintoc_jws_key);
  setup.sign_threads = absl::GetFlag(FLAGS_sign_threads);
  switch (scenario) {
    case 0:
      return bench::RunPlain(setup);
    case 1:
      return bench::RunDirectComparison(setup);
    case 2:
      return bench::RunSigningCeiling(setup);
    case 3:
      return bench::RunTokenExpiryBurst(setup);
    case 4:
      return bench::RunHandshakeCount(setup);
    case 5:
      return bench::RunMemoryUnderLatency(setup);
    default:
      std::cerr << "loadgen: --scenario must be 0 to 5\n";
      return 2;
  }
}
