// Found by the chaos run: when a read that runs BEFORE the
// Monato money_out (token, account, instruments) times out, the gateway stores
// DEADLINE_EXCEEDED as the key's final answer and replays it on every retry, so the caller's
// key is burned with a retryable-looking answer although no money moved. A retry with the
// same key once the provider is healthy must make the payout.
// It failed before lookups were kept apart from the money-moving call
// (providers/common/lookup_errors.h).
#include <stdlib.h>

#include <memory>
#include <string>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/chaos/environment.h"
#include "bench/gateway_load.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"

namespace chaos {
namespace {

TEST(LookupTimeoutTest, ATimedOutLookupBeforeTheMoneyOutDoesNotBurnTheKey) {
  std::string dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/lookup-XXXXXX");
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  EnvironmentOptions options;
  options.dir = dir;
  options.provider_dedup = true;
  options.provider_timeout = "1s";
  options.webhook_duplicate_percent = 0;
  options.webhook_max_delay_ms = 0;
  absl::StatusOr<std::unique_ptr<Environment>> env = Environment::Start(options);
  ASSERT_TRUE(env.ok()) << env.status();
  const std::vector<bench::PayoutTarget> targets =
      bench::ResolveTargets((*env)->grpc_address(), "", "monato:1");
  ASSERT_EQ(targets.size(), 1u);

  // Every Monato read under /v1/clients/ (token, account, instruments) now outlasts the
  // gateway's 1 s provider timeout; money_out itself is not slowed.
  ASSERT_TRUE((*env)
                  ->Control("monato", "POST", "/_sandbox/faults",
                            R"({"path_prefix":"/v1/clients/","latency_ms":2500})")
                  .ok());
  auto stub = payments::v1::PayoutService::NewStub(
      grpc::CreateChannel((*env)->grpc_address(), grpc::InsecureChannelCredentials()));
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key("lookup-timeout-1");
  request.set_source_account_id(targets[0].source_account_id);
  request.mutable_amount()->set_amount_minor(2500);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Prueba Caos");
  request.set_description("Pago tras lectura lenta");
  request.set_numeric_reference(77);
  auto create = [&](payments::v1::Payout* payout) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    return stub->CreatePayout(&context, request, payout);
  };
  payments::v1::Payout payout;
  const grpc::Status first = create(&payout);
  ASSERT_FALSE(first.ok()) << "the slow lookups should have failed the first attempt";
  const std::string sends = (*env)->Control("monato", "GET", "/_sandbox/sends").value_or("");
  EXPECT_NE(sends.find(R"("total":{"sends":0)"), std::string::npos)
      << "no money_out may have been sent: " << sends;

  // The provider is healthy again: the same key must now make the payout.
  ASSERT_TRUE((*env)->Control("monato", "POST", "/_sandbox/faults", "{}").ok());
  grpc::Status retry;
  for (int attempt = 0; attempt < 20; ++attempt) {
    retry = create(&payout);
    if (retry.ok()) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  EXPECT_TRUE(retry.ok()) << "first answer: " << first.error_code() << " " << first.error_message()
                          << "; still after 10 s: " << retry.error_code() << " "
                          << retry.error_message();
  EXPECT_FALSE(payout.provider_payout_id().empty());
  (*env)->Stop();
}

}  // namespace
}  // namespace chaos
