#include "bench/load_report.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "net/http/beast_http_client.h"

namespace bench {
namespace {

// "UNAVAILABLE", "DEADLINE_EXCEEDED": gRPC and abseil share codes and spelling.
std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// The q-quantile of sorted, non-empty latencies.
int64_t Quantile(const std::vector<int64_t>& sorted_us, double q) {
  return sorted_us[std::min(sorted_us.size() - 1,
                            static_cast<size_t>(q * static_cast<double>(sorted_us.size())))];
}

std::string Percentiles(std::vector<int64_t> us) {
  if (us.empty()) return "no successful calls";
  std::sort(us.begin(), us.end());
  return absl::StrFormat("p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms",
                         Quantile(us, 0.5) / 1e3, Quantile(us, 0.9) / 1e3, Quantile(us, 0.99) / 1e3,
                         us.back() / 1e3);
}

std::string Scrape(const std::string& admin) {
  net::http::BeastHttpClientOptions options;
  options.allow_plain_http = true;  // the admin port is plain HTTP on loopback
  auto client = net::http::BeastHttpClient::Create(options);
  if (!client.ok()) return "";
  net::http::HttpRequest request;
  request.method = "GET";
  request.url = absl::StrCat("http://", admin, "/metrics");
  request.deadline = absl::Now() + absl::Seconds(10);
  auto reply = net::http::SendAndWait(**client, std::move(request));
  return reply.ok() && reply->status == 200 ? reply->body : "";
}

}  // namespace

void LoadReport::Record(const std::string& provider, grpc::StatusCode code,
                        absl::Duration latency) {
  absl::MutexLock lock(&mu_);
  if (code == grpc::StatusCode::OK) {
    latencies_us_[provider].push_back(absl::ToInt64Microseconds(latency));
  } else {
    ++errors_[absl::StrCat(provider, " ", CodeName(code))];
  }
}

int64_t LoadReport::ok() const {
  absl::MutexLock lock(&mu_);
  int64_t total = 0;
  for (const auto& [provider, us] : latencies_us_) total += static_cast<int64_t>(us.size());
  return total;
}

int64_t LoadReport::ok(const std::string& provider) const {
  absl::MutexLock lock(&mu_);
  auto it = latencies_us_.find(provider);
  return it == latencies_us_.end() ? 0 : static_cast<int64_t>(it->second.size());
}

int64_t LoadReport::errors() const {
  absl::MutexLock lock(&mu_);
  int64_t total = 0;
  for (const auto& [key, count] : errors_) total += count;
  return total;
}

absl::Duration LoadReport::Percentile(const std::string& provider, double q) const {
  std::vector<int64_t> us;
  {
    absl::MutexLock lock(&mu_);
    auto it = latencies_us_.find(provider);
    if (it == latencies_us_.end() || it->second.empty()) return absl::ZeroDuration();
    us = it->second;
  }
  std::sort(us.begin(), us.end());
  return absl::Microseconds(Quantile(us, q));
}

std::string LoadReport::Summary(absl::Duration elapsed) const {
  absl::MutexLock lock(&mu_);
  std::string out;
  std::vector<int64_t> all;
  const double seconds = absl::ToDoubleSeconds(elapsed);
  for (const auto& [provider, us] : latencies_us_) {
    absl::StrAppend(
        &out,
        absl::StrFormat("%-8s %8d ok  %9.1f payouts/s  ", provider, us.size(), us.size() / seconds),
        Percentiles(us), "\n");
    all.insert(all.end(), us.begin(), us.end());
  }
  absl::StrAppend(
      &out,
      absl::StrFormat("%-8s %8d ok  %9.1f payouts/s  ", "all", all.size(), all.size() / seconds),
      Percentiles(all), "\n");
  int64_t errors = 0;
  for (const auto& [key, count] : errors_) {
    absl::StrAppend(&out, "  error ", key, ": ", count, "\n");
    errors += count;
  }
  absl::StrAppend(&out, "errors ", errors, "\n");
  return out;
}

GatewaySample SampleGateway(const std::string& admin, int pid) {
  GatewaySample sample;
  if (!admin.empty()) {
    for (absl::string_view line : absl::StrSplit(Scrape(admin), '\n')) {
      if (line.empty() || line[0] == '#' || absl::StrContains(line, "_bucket{")) continue;
      const size_t space = line.rfind(' ');
      double value = 0;
      if (space != absl::string_view::npos && absl::SimpleAtod(line.substr(space + 1), &value)) {
        sample.series[std::string(line.substr(0, space))] = value;
      }
    }
  }
  if (pid > 0) {
    std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
    for (std::string line; std::getline(status, line);) {
      absl::string_view view(line);
      if (absl::ConsumePrefix(&view, "VmHWM:")) {
        (void)absl::SimpleAtoi(
            absl::StripAsciiWhitespace(absl::StripSuffix(absl::StripAsciiWhitespace(view), "kB")),
            &sample.peak_rss_kib);
      }
    }
    std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Fields after the parenthesised command: state is field 3, utime 14, stime 15.
    const size_t close = text.rfind(')');
    if (close != std::string::npos) {
      std::vector<std::string> fields = absl::StrSplit(text.substr(close + 2), ' ');
      int64_t utime = 0;
      int64_t stime = 0;
      if (fields.size() > 12 && absl::SimpleAtoi(fields[11], &utime) &&
          absl::SimpleAtoi(fields[12], &stime)) {
        sample.cpu_seconds = static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
      }
    }
    sample.processes = 1;
  }
  return sample;
}

GatewaySample SampleGateways(const std::vector<std::string>& admins, const std::vector<int>& pids) {
  GatewaySample total;
  const size_t n = std::max(admins.size(), pids.size());
  for (size_t i = 0; i < n; ++i) {
    GatewaySample one =
        SampleGateway(i < admins.size() ? admins[i] : "", i < pids.size() ? pids[i] : 0);
    for (const auto& [series, value] : one.series) total.series[series] += value;
    if (one.peak_rss_kib >= 0)
      total.peak_rss_kib = std::max<int64_t>(total.peak_rss_kib, 0) + one.peak_rss_kib;
    if (one.cpu_seconds >= 0)
      total.cpu_seconds = std::max(total.cpu_seconds, 0.0) + one.cpu_seconds;
    total.processes += one.processes;
  }
  return total;
}

namespace {

// How much one series moved (a series missing from a sample counts as zero there).
double Moved(const GatewaySample& before, const GatewaySample& after, const std::string& series) {
  auto now = after.series.find(series);
  auto then = before.series.find(series);
  return (now == after.series.end() ? 0 : now->second) -
         (then == before.series.end() ? 0 : then->second);
}

}  // namespace

double SeriesDelta(const GatewaySample& before, const GatewaySample& after,
                   const std::string& prefix) {
  double total = 0;
  for (const auto& [series, value] : after.series) {
    if (absl::StartsWith(series, prefix)) total += Moved(before, after, series);
  }
  return total;
}

std::string GatewayDelta(const GatewaySample& before, const GatewaySample& after, int64_t payouts) {
  std::string out;
  static const char* const kFamilies[] = {"gateway_provider_tls_handshakes_total",
                                          "gateway_provider_token_refreshes_total",
                                          "gateway_jws_signatures_total",
                                          "gateway_idempotency_claims_total",
                                          "gateway_payouts_total",
                                          "gateway_provider_requests_total",
                                          "gateway_webhook_events_total",
                                          "gateway_store_operations_total"};
  for (const auto& [series, value] : after.series) {
    bool wanted = false;
    for (const char* family : kFamilies) wanted = wanted || absl::StartsWith(series, family);
    if (!wanted) continue;
    const double delta = Moved(before, after, series);
    if (delta != 0) absl::StrAppend(&out, "  gateway ", series, " +", delta, "\n");
  }
  // Mean times inside the gateway (histogram _sum / _count over the run): where a payout's
  // latency goes.
  for (const char* histogram : {"grpc_server_handling_seconds", "gateway_provider_request_seconds",
                                "gateway_store_operation_seconds"}) {
    const std::string sum_prefix = absl::StrCat(histogram, "_sum");
    for (const auto& [series, sum] : after.series) {
      if (!absl::StartsWith(series, sum_prefix)) continue;
      const std::string labels = series.substr(sum_prefix.size());
      const double count = Moved(before, after, absl::StrCat(histogram, "_count", labels));
      const double seconds = Moved(before, after, series);
      if (count <= 0) continue;
      absl::StrAppend(&out, absl::StrFormat("  mean %s%s %.3f ms over %.0f\n", histogram, labels,
                                            seconds * 1e3 / count, count));
    }
  }
  const double store_operations = SeriesDelta(before, after, "gateway_store_operations_total{");
  if (store_operations > 0 && payouts > 0) {
    absl::StrAppend(&out,
                    absl::StrFormat("store operations %.0f, %.2f per payout\n", store_operations,
                                    store_operations / static_cast<double>(payouts)));
  }
  // Time inside store operations (every operation's histogram sum) per payout: what the store
  // costs a payout, whichever engine it is.
  const double store_seconds = SeriesDelta(before, after, "gateway_store_operation_seconds_sum");
  if (store_seconds > 0 && payouts > 0) {
    absl::StrAppend(&out, absl::StrFormat("store time %.3f ms per payout\n",
                                          store_seconds * 1e3 / static_cast<double>(payouts)));
  }
  const std::string replicas =
      after.processes > 1 ? absl::StrCat(" (", after.processes, " gateways, summed)") : "";
  if (after.peak_rss_kib >= 0) {
    absl::StrAppend(&out, absl::StrFormat("gateway peak RSS %.1f MiB%s\n",
                                          after.peak_rss_kib / 1024.0, replicas));
  }
  if (after.cpu_seconds >= 0 && before.cpu_seconds >= 0 && payouts > 0) {
    const double cpu = after.cpu_seconds - before.cpu_seconds;
    absl::StrAppend(&out, absl::StrFormat("gateway CPU %.2f s, %.1f us per payout%s\n", cpu,
                                          cpu * 1e6 / static_cast<double>(payouts), replicas));
  }
  return out;
}

}  // namespace bench
