#include "bench/chaos/faults.h"

#include "absl/strings/str_cat.h"

namespace chaos {
namespace {

// Where money moves, and reads of what moved.
const char* MoneyPath(const std::string& provider) {
  return provider == "monato" ? "/v1/transactions/money_out" : "/v2/transfers";
}
const char* ReadPath(const std::string& provider) {
  return provider == "monato" ? "/v1/clients/" : "/v2/transfers/";
}

}  // namespace

FaultInjector::FaultInjector(Environment* env, absl::Duration period, int timeout_ms, uint32_t seed,
                             int unseen_drops, bool slow_reads)
    : env_(env),
      period_(period),
      timeout_ms_(timeout_ms),
      unseen_drops_(unseen_drops),
      slow_reads_(slow_reads),
      state_(seed | 1) {}

FaultInjector::~FaultInjector() { Stop(); }

void FaultInjector::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void FaultInjector::Stop() {
  if (!thread_.joinable()) return;
  stop_.Notify();
  thread_.join();
  for (const char* provider : {"monato", "fintoc"}) {
    (void)env_->Control(provider, "POST", "/_sandbox/faults", "{}");
    (void)env_->Control(provider, "POST", "/_sandbox/send_faults", R"({"lose_reply_next":0})");
  }
}

std::map<std::string, int64_t> FaultInjector::counts() const {
  absl::MutexLock lock(&mu_);
  return counts_;
}

void FaultInjector::Loop() {
  while (!stop_.WaitForNotificationWithTimeout(period_)) {
    // xorshift32: repeatable for a seed.
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    InjectOne(state_);
  }
}

void FaultInjector::InjectOne(uint32_t roll) {
  const std::string provider = (roll >> 5) % 2 == 0 ? "monato" : "fintoc";
  const uint32_t spread = roll >> 8;
  std::string kind, path = "/_sandbox/faults", body;
  // The self-test's unseen drops come first, one per period, before any other fault can
  // replace their plan.
  switch (unseen_drops_ > 0 ? 2 : (roll >> 1) % 8) {
    case 0:
      kind = "503";
      body = absl::StrCat(R"({"path_prefix":")", MoneyPath(provider),
                          R"(","fail_next":2,"fail_status":503})");
      break;
    case 1:
      kind = "drop_before";
      body = absl::StrCat(R"({"path_prefix":")", MoneyPath(provider), R"(","drop_before_next":1})");
      break;
    case 2:
      if (unseen_drops_ > 0) {
        --unseen_drops_;
        kind = "unseen_reply_drop";
        body =
            absl::StrCat(R"({"path_prefix":")", MoneyPath(provider), R"(","drop_after_next":1})");
        break;
      }
      kind = "reply_lost";
      path = "/_sandbox/send_faults";
      body = R"({"lose_reply_next":1,"lose_reply_after_ms":0})";
      break;
    case 3:
      kind = "reply_timeout";
      path = "/_sandbox/send_faults";
      body = absl::StrCat(R"({"lose_reply_next":1,"lose_reply_after_ms":)",
                          timeout_ms_ + 500 + spread % 1000, "}");
      break;
    case 4:
      kind = "latency_money";
      body = absl::StrCat(R"({"path_prefix":")", MoneyPath(provider), R"(","latency_ms":)",
                          100 + spread % std::max(1, timeout_ms_ / 3), "}");
      break;
    case 5:
      kind = "latency_reads";
      body = absl::StrCat(R"({"path_prefix":")", ReadPath(provider), R"(","latency_ms":)",
                          slow_reads_ ? 500 + spread % (timeout_ms_ + 1000)
                                      : 100 + spread % std::max(1, timeout_ms_ / 3),
                          "}");
      break;
    case 6:
      kind = "read_dropped";
      body = absl::StrCat(R"({"path_prefix":")", ReadPath(provider), R"(","drop_after_next":1})");
      break;
    default:
      kind = "token_revoked";
      break;
  }
  absl::StatusOr<std::string> reply =
      kind == "token_revoked" ? env_->Control("monato", "POST", "/_sandbox/monato/expire_tokens")
                              : env_->Control(provider, "POST", path, body);
  absl::MutexLock lock(&mu_);
  ++counts_[reply.ok() ? kind : "control_errors"];
}

}  // namespace chaos
