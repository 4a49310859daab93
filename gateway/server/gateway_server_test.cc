// In-process gRPC round trips through a real server and a real gRPC client, with test-double
// providers behind the core.
#include "gateway/server/gateway_server.h"

#include <memory>
#include <thread>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/synchronization/notification.h"
#include "gateway/cli/reflection_client.h"
#include "gateway/core/payout_event_tailer.h"
#include "gateway/logging/json_log.h"
#include "gateway/server/caller_auth.h"
#include "gateway/server/status_conversion.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "idempotency/memory_store.h"
#include "idempotency/store_executor.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "proto/payments/v1/account_service.grpc.pb.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "providers/testing/fake_provider.h"
#include "vocabulary/error_details.h"

namespace gateway {
namespace {

using grpc::health::v1::HealthCheckResponse;
using providers::FakeProvider;
using testing::ElementsAre;
using testing::UnorderedElementsAre;

payments::v1::CreatePayoutRequest GoodPayout(const std::string& key) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(key);
  request.set_source_account_id("fintoc.acct.acc_31yYL7h9LVPg121AgFtCyJPDsgM");
  request.mutable_amount()->set_amount_minor(50000);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.mutable_counterparty()->set_rfc("LFHU290523OG0");
  request.set_description("Test payment");
  request.set_numeric_reference(123456);
  return request;
}

std::unique_ptr<grpc::ClientContext> ContextWithin(absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

class GatewayServerTest : public testing::Test {
 protected:
  void SetUp() override {
    tailer_.Start();
    auto fintoc = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC);
    fintoc_ = fintoc.get();
    registry_.Add(std::move(fintoc));
    auto server = GatewayServer::Start("127.0.0.1:0", &core_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    payouts_ = payments::v1::PayoutService::NewStub(channel_);
    accounts_ = payments::v1::AccountService::NewStub(channel_);
    health_ = grpc::health::v1::Health::NewStub(channel_);
  }

  HealthCheckResponse::ServingStatus Health(const std::string& service = "") {
    HealthCheckResponse response;
    auto context = ContextWithin(absl::Seconds(2));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::Status status = health_->Check(context.get(), request, &response);
    return status.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
  }

  providers::ProviderRegistry registry_;
  FakeProvider* fintoc_;
  const BankCatalog banks_ = BankCatalog::Builtin();
  PayoutEventHub events_;
  idempotency::MemoryStore store_;
  idempotency::StoreExecutor executor_{&store_, 1};
  PayoutEngine engine_{&executor_, &registry_, &banks_, &events_, EngineOptions{"test-instance"}};
  GatewayCore core_{&registry_, &banks_, &events_, &engine_};
  PayoutEventTailer tailer_{&executor_, &events_, absl::Milliseconds(10)};
  std::unique_ptr<GatewayServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<payments::v1::PayoutService::Stub> payouts_;
  std::unique_ptr<payments::v1::AccountService::Stub> accounts_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

TEST_F(GatewayServerTest, CreatePayoutRoundTrip) {
  payments::v1::Payout payout;
  auto context = ContextWithin(absl::Seconds(5));
  grpc::Status status = payouts_->CreatePayout(context.get(), GoodPayout("k-1"), &payout);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(payout.provider(), payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(payout.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout.amount().amount_minor(), 50000);
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 1);
  // The caller's deadline reaches the provider. gRPC sends it as a grpc-timeout header
  // rounded up to a coarse unit (hundreds of milliseconds for a few seconds, gRPC's
  // timeout_encoding), so the server's deadline can sit up to one unit past the client's;
  // CI saw 5.005 s.
  const absl::Duration left = fintoc_->last_deadline() - absl::Now();
  EXPECT_GT(left, absl::Seconds(3));
  EXPECT_LE(left, absl::Seconds(5) + absl::Milliseconds(100));

  payments::v1::GetPayoutRequest get;
  get.set_payout_id(payout.id());
  payments::v1::Payout read;
  auto get_context = ContextWithin(absl::Seconds(5));
  ASSERT_TRUE(payouts_->GetPayout(get_context.get(), get, &read).ok());
  EXPECT_EQ(read.id(), payout.id());
}

absl::Mutex log_mu;
std::string* log_lines ABSL_GUARDED_BY(log_mu) = nullptr;

// The call's log line renders the request when it is written, at the end of the call (the
// interceptor keeps only gRPC's message, not a JSON copy per call in flight): it is there, and
// masked.
TEST_F(GatewayServerTest, RpcLogLineCarriesTheMaskedRequest) {
  std::string lines;
  {
    absl::MutexLock lock(&log_mu);
    log_lines = &lines;
  }
  SetLogSinkForTesting([](absl::string_view line) {
    absl::MutexLock lock(&log_mu);
    if (log_lines != nullptr) log_lines->append(line.data(), line.size());
  });
  payments::v1::Payout payout;
  auto context = ContextWithin(absl::Seconds(5));
  const grpc::Status status =
      payouts_->CreatePayout(context.get(), GoodPayout("k-logged"), &payout);
  SetLogSinkForTesting(nullptr);
  ASSERT_TRUE(status.ok()) << status.error_message();
  absl::MutexLock lock(&log_mu);
  log_lines = nullptr;
  // Written before the status is sent, so before the client has its answer.
  const size_t rpc = lines.find("\"event\":\"rpc\"");
  ASSERT_NE(rpc, std::string::npos) << lines;
  const std::string line = lines.substr(rpc, lines.find('\n', rpc) - rpc);
  EXPECT_NE(line.find("\"request\":{"), std::string::npos) << line;
  EXPECT_NE(line.find("k-logged"), std::string::npos) << line;
  EXPECT_NE(line.find(payout.id()), std::string::npos) << line;
  EXPECT_EQ(line.find("014180655091438298"), std::string::npos) << line;
  EXPECT_NE(line.find("8298"), std::string::npos) << line;
}

TEST_F(GatewayServerTest, BadFieldsComeBackAsBadRequestDetailsAndNothingIsSent) {
  auto request = GoodPayout("k-2");
  request.mutable_counterparty()->set_clabe("738969123456789120");
  request.set_numeric_reference(0);
  payments::v1::Payout payout;
  auto context = ContextWithin(absl::Seconds(5));
  grpc::Status status = payouts_->CreatePayout(context.get(), request, &payout);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolationsOf(FromGrpcStatus(status))) {
    fields.push_back(violation.field());
  }
  EXPECT_THAT(fields, ElementsAre("counterparty.clabe", "numeric_reference"));
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 0);
}

TEST_F(GatewayServerTest, UnconfiguredProviderIsFailedPrecondition) {
  auto request = GoodPayout("k-3");
  request.set_source_account_id("monato.acct.m1");
  payments::v1::Payout payout;
  auto context = ContextWithin(absl::Seconds(5));
  grpc::Status status = payouts_->CreatePayout(context.get(), request, &payout);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(GatewayServerTest, ProviderErrorsKeepTheirCode) {
  fintoc_->FailNextCall(absl::UnavailableError("fintoc answered 503"));
  payments::v1::Payout payout;
  auto context = ContextWithin(absl::Seconds(5));
  grpc::Status status = payouts_->CreatePayout(context.get(), GoodPayout("k-4"), &payout);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(GatewayServerTest, ValidateClabeOverTheWire) {
  payments::v1::ValidateClabeRequest request;
  request.set_clabe("646180000000000009");
  payments::v1::ValidateClabeResponse response;
  auto context = ContextWithin(absl::Seconds(5));
  ASSERT_TRUE(accounts_->ValidateClabe(context.get(), request, &response).ok());
  EXPECT_TRUE(response.valid());
  EXPECT_EQ(response.bank_name(), "STP");
}

TEST_F(GatewayServerTest, ReflectionListsTheServicesAndHealth) {
  auto services = ListServicesByReflection(channel_);
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, UnorderedElementsAre(
                             "payments.v1.PayoutService", "payments.v1.AccountService",
                             "payments.v1.LimitsService", "payments.v1.ReconciliationService",
                             "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"));
}

TEST_F(GatewayServerTest, WatchPayoutsStreamsCreatedPayouts) {
  grpc::ClientContext watch_context;
  payments::v1::WatchPayoutsRequest watch;
  watch.set_provider(payments::v1::PROVIDER_FINTOC);
  auto reader = payouts_->WatchPayouts(&watch_context, watch);
  // Subscriptions are registered asynchronously: create payouts until one is seen.
  absl::Notification seen;
  payments::v1::PayoutEvent event;
  std::thread read([&] {
    if (reader->Read(&event)) seen.Notify();
  });
  for (int i = 0; i < 50 && !seen.HasBeenNotified(); ++i) {
    payments::v1::Payout payout;
    auto context = ContextWithin(absl::Seconds(5));
    ASSERT_TRUE(
        payouts_->CreatePayout(context.get(), GoodPayout("w-" + std::to_string(i)), &payout).ok());
    seen.WaitForNotificationWithTimeout(absl::Milliseconds(100));
  }
  ASSERT_TRUE(seen.HasBeenNotified());
  read.join();
  EXPECT_EQ(event.payout().status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(event.previous_status(), payments::v1::PAYOUT_STATUS_UNSPECIFIED);
  EXPECT_FALSE(event.cursor().empty());
  watch_context.TryCancel();
  reader->Finish();
}

// A client can know it is subscribed (initial metadata arrives once it is), so an event right
// after that is never missed: no sleep, no retry loop.
TEST_F(GatewayServerTest, WatchPayoutsSendsInitialMetadataOnceSubscribed) {
  auto watch_context = ContextWithin(absl::Seconds(5));
  auto reader = payouts_->WatchPayouts(watch_context.get(), {});
  reader->WaitForInitialMetadata();
  payments::v1::Payout payout;
  auto context = ContextWithin(absl::Seconds(5));
  ASSERT_TRUE(payouts_->CreatePayout(context.get(), GoodPayout("subscribed"), &payout).ok());
  payments::v1::PayoutEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.payout().id(), payout.id());
  watch_context->TryCancel();
  reader->Finish();
}

TEST_F(GatewayServerTest, ShutdownFlipsHealthAndLetsInFlightCallsFinish) {
  ASSERT_EQ(Health(), HealthCheckResponse::SERVING);
  ASSERT_EQ(Health(kReadinessService), HealthCheckResponse::SERVING);
  ASSERT_EQ(Health(kLivenessService), HealthCheckResponse::SERVING);
  fintoc_->SetReplyDelay(absl::Milliseconds(600));

  // A payout in flight when SIGTERM's shutdown begins.
  grpc::Status in_flight_status;
  payments::v1::Payout in_flight;
  std::thread caller([&] {
    auto context = ContextWithin(absl::Seconds(10));
    in_flight_status = payouts_->CreatePayout(context.get(), GoodPayout("drain-1"), &in_flight);
  });
  // A watcher, which shutdown must end rather than wait on.
  grpc::ClientContext watch_context;
  auto watcher = payouts_->WatchPayouts(&watch_context, {});
  while (fintoc_->CallCount("CreatePayout") == 0) absl::SleepFor(absl::Milliseconds(5));

  std::thread stopper([&] { server_->Shutdown(absl::Milliseconds(300), absl::Seconds(5)); });
  absl::SleepFor(absl::Milliseconds(100));
  // During the drain delay the server still answers, and says NOT_SERVING (not ready) but
  // stays alive, so Kubernetes stops routing to it without restarting it.
  EXPECT_EQ(Health(), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(kReadinessService), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(kLivenessService), HealthCheckResponse::SERVING);
  const absl::Time stop_started = absl::Now();
  stopper.join();
  caller.join();
  EXPECT_TRUE(in_flight_status.ok()) << in_flight_status.error_message();
  EXPECT_EQ(in_flight.status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_LT(absl::Now() - stop_started, absl::Seconds(5));  // did not wait for the grace

  payments::v1::PayoutEvent event;
  while (watcher->Read(&event)) {
  }
  EXPECT_EQ(watcher->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  // Stopped: new calls are refused.
  payments::v1::Payout payout;
  auto context = ContextWithin(absl::Seconds(1));
  EXPECT_FALSE(payouts_->CreatePayout(context.get(), GoodPayout("after"), &payout).ok());
}

// Two internal callers, each with its own token.
class AuthenticatedServerTest : public GatewayServerTest {
 protected:
  void SetUp() override {
    tailer_.Start();
    auto fintoc = std::make_unique<FakeProvider>(payments::v1::PROVIDER_FINTOC);
    fintoc_ = fintoc.get();
    registry_.Add(std::move(fintoc));
    auth_ = *CallerAuthenticator::FromText(
        "billing: billing-token-0123456789\npayroll: payroll-token-0123456789\n");
    auto server = GatewayServer::Start("127.0.0.1:0", &core_, auth_.get());
    ASSERT_TRUE(server.ok());
    server_ = *std::move(server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    payouts_ = payments::v1::PayoutService::NewStub(channel_);
    health_ = grpc::health::v1::Health::NewStub(channel_);
  }
  grpc::Status CreateAs(const std::string& token, payments::v1::Payout* payout) {
    auto context = ContextWithin(absl::Seconds(5));
    if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
    return payouts_->CreatePayout(context.get(), GoodPayout("shared-key"), payout);
  }
  std::unique_ptr<CallerAuthenticator> auth_;
};

TEST_F(AuthenticatedServerTest, NoOrWrongCredentialsAreUnauthenticatedAndSendNothing) {
  payments::v1::Payout payout;
  EXPECT_EQ(CreateAs("", &payout).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CreateAs("billing-token-0123456780", &payout).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 0);
  EXPECT_EQ(Health(), HealthCheckResponse::SERVING);  // probes need no token
  EXPECT_TRUE(ListServicesByReflection(channel_).ok());
}

TEST_F(AuthenticatedServerTest, EachCallersKeysAndPayoutsAreItsOwn) {
  payments::v1::Payout billing, payroll;
  ASSERT_TRUE(CreateAs("billing-token-0123456789", &billing).ok());
  // The same key from another caller is another payout, not a replay or a conflict.
  ASSERT_TRUE(CreateAs("payroll-token-0123456789", &payroll).ok());
  EXPECT_NE(billing.id(), payroll.id());
  EXPECT_EQ(fintoc_->CallCount("CreatePayout"), 2);
  payments::v1::GetPayoutRequest get;
  get.set_payout_id(billing.id());
  payments::v1::Payout read;
  auto context = ContextWithin(absl::Seconds(5));
  context->AddMetadata("authorization", "Bearer payroll-token-0123456789");
  EXPECT_EQ(payouts_->GetPayout(context.get(), get, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace gateway
