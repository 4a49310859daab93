// Calls for the load driver that go through the gateway: CreatePayout over async gRPC (the
// callback API) on a few channels, round-robin over the providers of a mix.
#ifndef BENCH_GATEWAY_LOAD_H_
#define BENCH_GATEWAY_LOAD_H_

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
  GatewayLoad(const std::string& addr, std::string token, int channels,
              std::vector<PayoutTarget> targets);

  // A StartCall for DriveLoad. Idempotency keys are unique per GatewayLoad and call number.
  StartCall Starter();

 private:
  void Start(int64_t n, CallFinished finished);

  const std::string token_;
  const std::vector<PayoutTarget> targets_;
  std::vector<const PayoutTarget*> wheel_;
  std::vector<std::unique_ptr<payments::v1::PayoutService::Stub>> stubs_;
  const std::string run_id_;
};

}  // namespace bench

#endif  // BENCH_GATEWAY_LOAD_H_
