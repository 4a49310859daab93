// Calls for the load driver that go through the gateway: CreatePayout over async gRPC (the
// callback API) on a few channels per gateway, round-robin over the providers of a mix and,
// independently, over the gateways (replicas sharing one store).
#ifndef BENCH_GATEWAY_LOAD_H_
#define BENCH_GATEWAY_LOAD_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/load_driver.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"

namespace bench {

struct PayoutTarget {
  std::string provider;           // "monato" | "fintoc": the report's label
  std::string source_account_id;  // the gateway's id of the provider's first account
  int weight = 1;
};

// The first account of each provider in `mix` ("monato:1,fintoc:1"), asked of the gateway.
std::vector<PayoutTarget> ResolveTargets(const std::string& addr, const std::string& token,
                                         const std::string& mix);

class GatewayLoad {
 public:
  // `addrs`: one gateway or several replicas; `channels` connections to each.
  GatewayLoad(const std::vector<std::string>& addrs, std::string token, int channels,
              std::vector<PayoutTarget> targets);

  // A StartCall for DriveLoad. Idempotency keys are unique per GatewayLoad and call number.
  StartCall Starter();

 private:
  void Start(int64_t n, CallFinished finished);

  const std::string token_;
  const std::vector<PayoutTarget> targets_;
  std::vector<const PayoutTarget*> wheel_;
  // Interleaved by gateway (a0 b0 a1 b1 ...): consecutive calls go to different replicas.
  std::vector<std::unique_ptr<payments::v1::PayoutService::Stub>> stubs_;
  std::atomic<uint64_t> next_stub_{0};
  const std::string run_id_;
};

}  // namespace bench

#endif  // BENCH_GATEWAY_LOAD_H_
