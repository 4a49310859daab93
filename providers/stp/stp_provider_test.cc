#include "providers/stp/stp_provider.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "net/http/http_client.h"
#include "net/http/http_types.h"
#include "net/http/testing/fake_http_client.h"
#include "providers/common/json_fields.h"
#include "providers/stp/stp_original_string.h"
#include "providers/stp/stp_signer.h"

namespace providers::stp {
namespace {

using payments::v1::Payout;

constexpr char kKey[] = "providers/stp/testdata/test_only_stp_key.pem";
constexpr char kPassphrase[] = "stp-test-only";
constexpr char kSource[] = "646180110400000007";

PayoutOrder ClabeOrder() {
  PayoutOrder order;
  auto& request = order.request;
  request.set_idempotency_key("order-42");
  request.mutable_amount()->set_amount_minor(120);
  request.mutable_amount()->set_currency("MXN");
  auto* counterparty = request.mutable_counterparty();
  counterparty->set_clabe("072691004495711499");
  counterparty->set_institution_code("40072");
  counterparty->set_holder_name("Ricardo Sanchez");
  request.set_description("Prueba");
  request.set_numeric_reference(5273144);
  order.source_account_native_id = kSource;
  return order;
}

std::string FoundReply(const std::string& key, const std::string& estado) {
  return R"({"resultado":{"id":1,"ordenPago":{"claveRastreo":")" + key +
         R"(","conceptoPago":"Prueba","cuentaBeneficiario":"072691004495711499",)"
         R"("empresa":"TAMIZI","estado":")" +
         estado +
         R"(","fechaOperacion":20261203,"idEF":7838161,"institucionContraparte":40072,)"
         R"("monto":1.20,"referenciaNumerica":5273144}}})";
}

class StpProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StpSignerOptions signer;
    signer.private_key_path = kKey;
    signer.passphrase = kPassphrase;
    auto created = StpSigner::Create(std::move(signer));
    ASSERT_TRUE(created.ok()) << created.status();
    StpOptions options;
    options.base_url = "https://stp.test/speiws/rest";
    options.order.empresa = "TAMIZI";
    options.cuenta_ordenante = kSource;
    options.tracking_key_prefix = "GW";
    // Noon in Mexico City unless a test moves it: no re-send window reaches the previous
    // operating day.
    options.now = [this] { return now_; };
    provider_ = std::make_unique<StpProvider>(&http_, std::move(*created), options);
    context_.caller = "svc-a";
    context_.deadline = absl::Now() + absl::Seconds(5);
  }

  absl::StatusOr<Payout> Create(const PayoutOrder& order) {
    absl::StatusOr<Payout> result = absl::UnknownError("not called");
    provider_->CreatePayout(order, context_, [&](absl::StatusOr<Payout> r) { result = r; });
    return result;
  }

  std::string Key() { return *provider_->TrackingKey("svc-a", "order-42"); }

  static absl::Time MexicoCity(int day, int hour, int minute) {
    return absl::FromCivil(absl::CivilMinute(2026, 12, day, hour, minute),
                           absl::FixedTimeZone(-6 * 60 * 60));
  }

  net::http::FakeHttpClient http_;
  absl::Time now_ = MexicoCity(3, 12, 0);
  std::unique_ptr<StpProvider> provider_;
  CallContext context_;
};

TEST_F(StpProviderTest, RegistraSendsTheSignedOrderWithTheDerivedTrackingKey) {
  http_.AddResponse(200, R"({"resultado":{"id":9349827}})");
  auto payout = Create(ClabeOrder());
  ASSERT_TRUE(payout.ok()) << payout.status();
  ASSERT_EQ(http_.request_count(), 1);
  const auto request = http_.requests()[0];
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.url, "https://stp.test/speiws/rest/ordenPago/registra");
  auto body = ParseJsonObject(request.body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(OptionalString(*body, "claveRastreo").value_or(""), Key());
  EXPECT_EQ(Key().size(), 29u);
  EXPECT_TRUE(absl::StartsWith(Key(), "GW"));
  EXPECT_FALSE(OptionalString(*body, "firma").value_or("").empty());
  // The native id is the tracking key: readable even had the reply been lost.
  EXPECT_EQ(payout->id(), "stp.payout." + Key());
  EXPECT_EQ(payout->provider_payout_id(), Key());
  EXPECT_EQ(payout->tracking_key(), Key());
  EXPECT_EQ(payout->provider(), payments::v1::PROVIDER_STP);
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(payout->amount().amount_minor(), 120);
  EXPECT_EQ(payout->idempotency_key(), "order-42");
  // Another caller's same key is another order.
  EXPECT_NE(*provider_->TrackingKey("svc-b", "order-42"), Key());
}

TEST_F(StpProviderTest, ReusedTrackingKeyIsThisOrderSentBeforeAndIsReadBack) {
  http_.AddResponse(
      200,
      R"({"resultado":{"id":-1,"descripcionError":"La clave de rastreo X ya fue utilizada"}})");
  http_.AddResponse(200, FoundReply(Key(), "LQ"));
  auto payout = Create(ClabeOrder());
  ASSERT_TRUE(payout.ok()) << payout.status();
  ASSERT_EQ(http_.request_count(), 2);
  EXPECT_TRUE(absl::EndsWith(http_.requests()[1].url, "/ordenPago/consOrdEnvRastreo"));
  auto query = ParseJsonObject(http_.requests()[1].body);
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(OptionalString(*query, "claveRastreo").value_or(""), Key());
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(payout->id(), "stp.payout." + Key());
  EXPECT_EQ(payout->idempotency_key(), "order-42");
}

TEST_F(StpProviderTest, LostOrUnreadableRepliesAreUnknownNeverFailures) {
  http_.AddError(net::http::MarkRequestSent(absl::DeadlineExceededError("timeout")));
  auto lost = Create(ClabeOrder());
  ASSERT_TRUE(lost.ok()) << lost.status();
  EXPECT_EQ(lost->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  EXPECT_EQ(lost->id(), "stp.payout.key-" + Key());

  http_.AddResponse(502, "<html>bad gateway</html>");
  EXPECT_EQ(Create(ClabeOrder())->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  http_.AddResponse(200, "<html>oops</html>");
  EXPECT_EQ(Create(ClabeOrder())->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  http_.AddResponse(
      200, R"({"resultado":{"id":0,"descripcionError":"No se recibió respuesta del servicio"}})");
  EXPECT_EQ(Create(ClabeOrder())->status(), payments::v1::PAYOUT_STATUS_UNKNOWN);
  // A request that never left is its error: nothing happened.
  http_.AddError(absl::UnavailableError("connect refused"));
  EXPECT_FALSE(Create(ClabeOrder()).ok());
}

TEST_F(StpProviderTest, RefusalsAndRejections) {
  http_.AddResponse(
      200, R"({"resultado":{"id":-9,"descripcionError":"La Institucion 1 no es valida"}})");
  EXPECT_EQ(Create(ClabeOrder()).status().code(), absl::StatusCode::kInvalidArgument);
  http_.AddResponse(
      200,
      R"({"resultado":{"id":-200,"descripcionError":"Orden sin cuenta. Se rechaza por PLD"}})");
  auto rejected = Create(ClabeOrder());
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->status(), payments::v1::PAYOUT_STATUS_REJECTED);
  PayoutOrder other_source = ClabeOrder();
  other_source.source_account_native_id = "646180110400000099";
  EXPECT_EQ(Create(other_source).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(http_.request_count(), 2);
}

TEST_F(StpProviderTest, GetPayoutAndFindByReferenceReadByTrackingKey) {
  http_.AddResponse(200, FoundReply(Key(), "D"));
  absl::StatusOr<Payout> read = absl::UnknownError("not called");
  provider_->GetPayout(Key(), context_, [&](absl::StatusOr<Payout> r) { read = r; });
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->status(), payments::v1::PAYOUT_STATUS_RETURNED);
  EXPECT_EQ(read->provider_payout_id(), Key());

  http_.AddResponse(200, R"({"resultado":{"id":-100,"descripcionError":"No se encontró"}})");
  absl::StatusOr<Payout> found = absl::UnknownError("not called");
  provider_->FindPayoutByReference(ClabeOrder(), now_ - absl::Minutes(5), context_,
                                   [&](absl::StatusOr<Payout> r) { found = r; });
  EXPECT_EQ(found.status().code(), absl::StatusCode::kNotFound);
  auto query = ParseJsonObject(http_.requests()[1].body);
  EXPECT_EQ(OptionalString(*query, "claveRastreo").value_or(""), Key());

  absl::StatusOr<Payout> hostile = absl::UnknownError("not called");
  provider_->GetPayout("../x", context_, [&](absl::StatusOr<Payout> r) { hostile = r; });
  EXPECT_EQ(hostile.status().code(), absl::StatusCode::kInvalidArgument);
  provider_->GetPayout("key-abc", context_, [&](absl::StatusOr<Payout> r) { hostile = r; });
  EXPECT_EQ(hostile.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(http_.request_count(), 2);
}

// STP refuses a reused claveRastreo only within one operating day. At 00:30 the core may still
// re-send a payout first sent before midnight (half the 6 h key lifetime reaches back to 21:30),
// so yesterday is read first: the order found there is the answer, and nothing is registered.
TEST_F(StpProviderTest, ASendThatMayRepeatYesterdaysOrderReadsYesterdayFirst) {
  now_ = MexicoCity(4, 0, 30);
  http_.AddResponse(200, FoundReply(Key(), "LQ"));
  auto payout = Create(ClabeOrder());
  ASSERT_TRUE(payout.ok()) << payout.status();
  ASSERT_EQ(http_.request_count(), 1);
  EXPECT_TRUE(absl::EndsWith(http_.requests()[0].url, "/ordenPago/consOrdEnvRastreo"));
  EXPECT_TRUE(absl::StrContains(http_.requests()[0].body, "\"fechaOperacion\":\"20261203\""))
      << http_.requests()[0].body;
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
  EXPECT_EQ(payout->id(), "stp.payout." + Key());
  EXPECT_EQ(payout->idempotency_key(), "order-42");
}

TEST_F(StpProviderTest, NothingYesterdayThenRegistersToday) {
  now_ = MexicoCity(4, 0, 30);
  http_.AddResponse(200, R"({"resultado":{"id":-100,"descripcionError":"No se encontró"}})");
  http_.AddResponse(200, R"({"resultado":{"id":9349827}})");
  auto payout = Create(ClabeOrder());
  ASSERT_TRUE(payout.ok()) << payout.status();
  ASSERT_EQ(http_.request_count(), 2);
  EXPECT_EQ(http_.requests()[1].method, "PUT");
  EXPECT_TRUE(absl::EndsWith(http_.requests()[1].url, "/ordenPago/registra"));
  EXPECT_EQ(payout->status(), payments::v1::PAYOUT_STATUS_PENDING);
}

// A failed look at yesterday sends nothing, and says so: the caller may retry, and no
// "maybe sent" marker keeps the claim as an unknown outcome.
TEST_F(StpProviderTest, AFailedLookAtYesterdaySendsNothing) {
  now_ = MexicoCity(4, 2, 0);
  http_.AddError(absl::UnavailableError("connection refused"));
  auto payout = Create(ClabeOrder());
  EXPECT_EQ(payout.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(net::http::RequestMayHaveBeenSent(payout.status()));
  EXPECT_EQ(http_.request_count(), 1);
  // At 03:01 the re-send window (3 h) no longer reaches yesterday: straight to registra.
  now_ = MexicoCity(4, 3, 1);
  http_.AddResponse(200, R"({"resultado":{"id":9349828}})");
  ASSERT_TRUE(Create(ClabeOrder()).ok());
  ASSERT_EQ(http_.request_count(), 2);
  EXPECT_EQ(http_.requests()[1].method, "PUT");
}

// The resolver's search reads the first attempt's operating day, then today.
TEST_F(StpProviderTest, FindByReferenceReadsTheFirstAttemptsDayThenToday) {
  now_ = MexicoCity(4, 0, 30);
  http_.AddResponse(200, R"({"resultado":{"id":-100,"descripcionError":"No se encontró"}})");
  http_.AddResponse(200, FoundReply(Key(), "LQ"));
  absl::StatusOr<Payout> found = absl::UnknownError("not called");
  provider_->FindPayoutByReference(ClabeOrder(), MexicoCity(3, 23, 50), context_,
                                   [&](absl::StatusOr<Payout> r) { found = r; });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(http_.request_count(), 2);
  EXPECT_TRUE(absl::StrContains(http_.requests()[0].body, "\"fechaOperacion\":\"20261203\""));
  EXPECT_FALSE(absl::StrContains(http_.requests()[1].body, "fechaOperacion"));
  EXPECT_EQ(found->status(), payments::v1::PAYOUT_STATUS_SUCCEEDED);
}

TEST_F(StpProviderTest, CapabilitiesAccountsAndWhatStpDoesNotOffer) {
  const Capabilities& caps = provider_->capabilities();
  EXPECT_EQ(caps.currencies, std::vector<std::string>{"MXN"});
  EXPECT_GT(caps.idempotency_key_lifetime, absl::ZeroDuration());
  EXPECT_LT(caps.idempotency_key_lifetime, absl::Hours(24));
  absl::StatusOr<payments::v1::ListAccountsResponse> accounts = absl::UnknownError("");
  provider_->ListAccounts({}, context_, [&](auto r) { accounts = r; });
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->accounts_size(), 1);
  EXPECT_EQ(accounts->accounts(0).clabe(), kSource);
  EXPECT_EQ(accounts->accounts(0).id(), std::string("stp.acct.") + kSource);
  absl::StatusOr<payments::v1::ListPayoutsResponse> sent = absl::UnknownError("");
  provider_->ListSentPayouts({}, {}, context_, [&](auto r) { sent = r; });
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kUnimplemented);
  absl::StatusOr<payments::v1::Refund> refund = absl::UnknownError("");
  provider_->RefundTransaction({}, context_, [&](auto r) { refund = r; });
  EXPECT_EQ(refund.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(http_.request_count(), 0);
}

}  // namespace
}  // namespace providers::stp
