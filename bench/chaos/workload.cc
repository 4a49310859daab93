#include "bench/chaos/workload.h"

#include <thread>
#include <utility>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/load_driver.h"

namespace chaos {
namespace {

constexpr char kPaidClabe[] = "014180655091438298";  // Santander: settles as paid
// The sandbox's rejection triggers (sandbox/README.md "Simulated outcomes").
constexpr char kMonatoRejectedClabe[] = "012180000000000031";
constexpr char kFintocRejectedClabe[] = "012969100000000013";

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "OTHER";
  }
}

// "Ask again with the same key": the gateway is down, busy with the key elsewhere, or could
// not tell.
bool Retryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

// A stable spread of job numbers over 0..99, so a run is repeatable.
int Bucket(int64_t n, int64_t salt) {
  return static_cast<int>(((n + 1) * 2654435761LL + salt * 40503LL) % 100);
}

}  // namespace

Workload::Workload(const std::string& address, std::map<std::string, std::string> accounts,
                   WorkloadOptions options)
    : accounts_(std::move(accounts)), options_(std::move(options)) {
  for (int i = 0; i < 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("chaos.channel", i);  // distinct arguments: distinct connections
    // Reconnect quickly after each SIGKILL and restart of the gateway.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
    stubs_.push_back(payments::v1::PayoutService::NewStub(
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args)));
  }
  absl::MutexLock lock(&mu_);
  jobs_.resize(options_.payouts);
}

payments::v1::CreatePayoutRequest Workload::RequestFor(int64_t n, Job* job) const {
  job->key = absl::StrCat("chaos-", options_.run_id, "-", n);
  job->provider = n % 2 == 0 ? "monato" : "fintoc";
  job->amount = 100 + (n * 7919) % 50000;
  const bool rejected = Bucket(n, 3) < options_.rejected_percent;
  job->clabe = !rejected                   ? kPaidClabe
               : job->provider == "monato" ? kMonatoRejectedClabe
                                           : kFintocRejectedClabe;
  // Unique per job: the sandbox's per-body count then also catches one payout sent twice
  // under two provider keys.
  job->reference = absl::StrCat(n % 9'999'999 + 1);
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(job->key);
  request.set_source_account_id(accounts_.at(job->provider));
  request.mutable_amount()->set_amount_minor(job->amount);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe(job->clabe);
  request.mutable_counterparty()->set_holder_name("Prueba Caos");
  request.set_description(absl::StrCat("Pago caos ", n % 100000));
  request.set_numeric_reference(static_cast<uint32_t>(n % 9'999'999 + 1));
  return request;
}

Workload::Answer Workload::SendUntilAnswered(const payments::v1::CreatePayoutRequest& request,
                                             int64_t n, absl::Time give_up) {
  Answer answer;
  absl::Duration backoff = absl::Milliseconds(50);
  for (int attempt = 0; absl::Now() < give_up; ++attempt) {
    grpc::ClientContext context;
    // Longer than the gateway's whole provider chain: a gateway that gives up reading a reply
    // because the caller's deadline passed makes a re-send the send ledger cannot justify.
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    payments::v1::Payout payout;
    const grpc::Status status =
        stubs_[(n + attempt) % stubs_.size()]->CreatePayout(&context, request, &payout);
    {
      absl::MutexLock lock(&mu_);
      ++jobs_[n].sends;
    }
    answer.code = CodeName(status.error_code());
    if (!Retryable(status.error_code())) {
      answer.definite = true;
      answer.payout_id = payout.id();
      return answer;
    }
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(1));
  }
  return answer;
}

void Workload::RunJob(int64_t n) {
  Job spec;
  const payments::v1::CreatePayoutRequest request = RequestFor(n, &spec);
  const bool resend = Bucket(n, 1) < options_.resend_percent;
  const bool concurrent = resend && Bucket(n, 2) < options_.concurrent_resend_percent;
  {
    absl::MutexLock lock(&mu_);
    const int sends = jobs_[n].sends;
    jobs_[n] = spec;
    jobs_[n].sends = sends;
    jobs_[n].resent = resend;
  }
  const absl::Time give_up = absl::Now() + options_.give_up;
  Answer first, second;
  if (concurrent) {
    std::thread twin([&] { second = SendUntilAnswered(request, n, give_up); });
    first = SendUntilAnswered(request, n, give_up);
    twin.join();
  } else {
    first = SendUntilAnswered(request, n, give_up);
    if (resend && first.definite) second = SendUntilAnswered(request, n, give_up);
  }
  absl::MutexLock lock(&mu_);
  Job& job = jobs_[n];
  job.answered = first.definite && (!resend || second.definite);
  job.code = first.code;
  job.payout_id = first.payout_id;
  if (resend && second.definite && first.definite &&
      (second.code != first.code || second.payout_id != first.payout_id)) {
    job.inconsistent = absl::StrCat(first.code, " ", first.payout_id, " then ", second.code, " ",
                                    second.payout_id);
  }
}

void Workload::Run(const std::function<void(int64_t)>& on_done) {
  bench::LoadPlan plan;
  plan.duration = absl::Hours(24);  // the number of payouts decides
  plan.max_calls = options_.payouts;
  plan.concurrency = options_.concurrency;
  const bench::StartCall start = [this, &on_done](int64_t n, bench::CallFinished finished) {
    std::thread([this, n, &on_done, finished = std::move(finished)] {
      RunJob(n);
      std::string code, provider;
      {
        absl::MutexLock lock(&mu_);
        code = jobs_[n].answered ? jobs_[n].code : "NONE";
        provider = jobs_[n].provider;
      }
      on_done(++done_);  // before finished(): DriveLoad may return right after it
      finished(provider, code == "OK" ? grpc::StatusCode::OK : grpc::StatusCode::UNKNOWN);
    }).detach();
  };
  elapsed_ = bench::DriveLoad(plan, start, &report_).elapsed;
}

std::vector<Job> Workload::jobs() const {
  absl::MutexLock lock(&mu_);
  return jobs_;
}

}  // namespace chaos
