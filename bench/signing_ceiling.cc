#include "bench/signing_ceiling.h"

#include <time.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "providers/fintoc/jws_signer.h"
#include "vocabulary/status_macros.h"

namespace bench {

absl::StatusOr<SigningCeiling> SignaturesPerSecond(const std::string& key_path, int threads,
                                                   absl::Duration duration) {
  providers::fintoc::JwsSignerOptions options;
  options.private_key_path = key_path;
  ASSIGN_OR_RETURN(auto signer, providers::fintoc::JwsSigner::Create(options));
  // The shape and size of a transfer body the adapter signs.
  const std::string body =
      R"({"amount":2500,"currency":"MXN","account_id":"acc_2vF18OHZdXXxPJTLJ5qghpo1pdU",)"
      R"("counterparty":{"account_number":"014180655091438298","holder_name":"Jon Snow"},)"
      R"("comment":"Pago de carga","reference_id":"1234567","metadata":{"gateway_payout_id":)"
      R"("fintoc.payout.7238466d-9940-52ed-a8e7-bbdcc7d279bc"}})";
  std::atomic<int64_t> signatures{0};
  std::atomic<bool> failed{false};
  std::atomic<int64_t> cpu_ns{0};
  const absl::Time until = absl::Now() + duration;
  const absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (absl::Now() < until) {
        if (!signer->Sign(body).ok()) failed = true;
        ++signatures;
      }
      timespec used{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &used);
      cpu_ns += int64_t{used.tv_sec} * 1'000'000'000 + used.tv_nsec;
    });
  }
  for (auto& worker : workers) worker.join();
  if (failed) return absl::InternalError("a signature failed");
  const int64_t count = signatures.load();
  if (count == 0) return absl::InternalError("no signature finished");
  SigningCeiling ceiling;
  ceiling.per_second = static_cast<double>(count) / absl::ToDoubleSeconds(absl::Now() - start);
  ceiling.cpu_per_signature = absl::Nanoseconds(cpu_ns.load() / count);
  return ceiling;
}

}  // namespace bench
