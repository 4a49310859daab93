// Validation tables: every field of docs/design.md#validation, each violation named by its field
// path.
#include "gateway/validation/request_validation.h"

#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vocabulary/error_details.h"

namespace gateway {
namespace {

using payments::v1::CreatePayoutRequest;
using testing::HasSubstr;

providers::Capabilities MonatoLike() {
  return providers::Capabilities{{"MXN"}, 99'999'999'999, /*debit_card_payouts=*/true};
}

CreatePayoutRequest GoodPayout() {
  CreatePayoutRequest request;
  request.set_idempotency_key("order-42");
  request.set_source_account_id("monato.acct.5f0c2b1e");
  request.mutable_amount()->set_amount_minor(195);
  request.mutable_amount()->set_currency("MXN");
  auto* counterparty = request.mutable_counterparty();
  counterparty->set_clabe("012180026050783858");
  counterparty->set_holder_name("José Pérez");
  counterparty->set_rfc("xaxx010101000");
  request.set_description("Pago de nómina");
  request.set_numeric_reference(1234567);
  (*request.mutable_metadata())["order_id"] = "42";
  return request;
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolationsOf(status)) fields.push_back(violation.field());
  return fields;
}

TEST(ValidateCreatePayoutTest, AcceptsAndNormalizesAGoodRequest) {
  const auto caps = MonatoLike();
  auto order = ValidateCreatePayout(GoodPayout(), BankCatalog::Builtin(), &caps);
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->source_account_native_id, "5f0c2b1e");
  EXPECT_EQ(order->request.provider(), payments::v1::PROVIDER_MONATO);
  EXPECT_EQ(order->request.description(), "Pago de nomina");
  EXPECT_EQ(order->request.counterparty().holder_name(), "Jose Perez");
  EXPECT_EQ(order->request.counterparty().rfc(), "XAXX010101000");
  EXPECT_EQ(order->request.counterparty().institution_code(), "40012");
}

TEST(ValidateCreatePayoutTest, EmptyRfcBecomesNd) {
  auto request = GoodPayout();
  request.mutable_counterparty()->clear_rfc();
  auto order = ValidateCreatePayout(request, BankCatalog::Builtin(), nullptr);
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->request.counterparty().rfc(), "ND");
}

struct BadCase {
  const char* name;
  std::function<void(CreatePayoutRequest&)> mutate;
  const char* field;
  const char* description_contains;
};

class BadPayoutTest : public testing::TestWithParam<BadCase> {};

TEST_P(BadPayoutTest, NamesTheField) {
  auto request = GoodPayout();
  GetParam().mutate(request);
  const auto caps = MonatoLike();
  auto order = ValidateCreatePayout(request, BankCatalog::Builtin(), &caps);
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.status().code(), absl::StatusCode::kInvalidArgument);
  auto violations = FieldViolationsOf(order.status());
  ASSERT_EQ(violations.size(), 1u) << order.status();
  EXPECT_EQ(violations[0].field(), GetParam().field);
  EXPECT_THAT(violations[0].description(), HasSubstr(GetParam().description_contains));
  EXPECT_THAT(std::string(order.status().message()), HasSubstr(GetParam().field));
}

INSTANTIATE_TEST_SUITE_P(
    Fields, BadPayoutTest,
    testing::Values(
        BadCase{"NoKey", [](auto& r) { r.clear_idempotency_key(); }, "idempotency_key", "required"},
        BadCase{"LongKey", [](auto& r) { r.set_idempotency_key(std::string(256, 'k')); },
                "idempotency_key", "longer than 255"},
        BadCase{"KeyWithNewline", [](auto& r) { r.set_idempotency_key("a\nb"); }, "idempotency_key",
                "printable ASCII"},
        BadCase{"NoSource", [](auto& r) { r.clear_source_account_id(); }, "source_account_id",
                "required"},
        BadCase{"SourceNotAnAccount", [](auto& r) { r.set_source_account_id("monato.payout.x"); },
                "source_account_id", "not a \"acct\" id"},
        BadCase{"ProviderMismatch", [](auto& r) { r.set_provider(payments::v1::PROVIDER_FINTOC); },
                "provider", "does not match"},
        BadCase{"ProviderOutOfRange",
                [](auto& r) { r.set_provider(static_cast<payments::v1::Provider>(9)); }, "provider",
                "not a Provider"},
        BadCase{"NoAmount", [](auto& r) { r.clear_amount(); }, "amount", "required"},
        BadCase{"ZeroAmount", [](auto& r) { r.mutable_amount()->set_amount_minor(0); },
                "amount.amount_minor", "at least 1"},
        BadCase{"NegativeAmount", [](auto& r) { r.mutable_amount()->set_amount_minor(-195); },
                "amount.amount_minor", "at least 1"},
        BadCase{"OverLimit", [](auto& r) { r.mutable_amount()->set_amount_minor(100'000'000'000); },
                "amount.amount_minor", "limit of 99999999999"},
        BadCase{"NoCurrency", [](auto& r) { r.mutable_amount()->clear_currency(); },
                "amount.currency", "required"},
        BadCase{"LowerCaseCurrency", [](auto& r) { r.mutable_amount()->set_currency("mxn"); },
                "amount.currency", "ISO 4217"},
        BadCase{"UnsupportedCurrency", [](auto& r) { r.mutable_amount()->set_currency("CLP"); },
                "amount.currency", "not supported by the provider"},
        BadCase{"NoCounterparty", [](auto& r) { r.clear_counterparty(); }, "counterparty",
                "required"},
        BadCase{"NoDestination", [](auto& r) { r.mutable_counterparty()->clear_clabe(); },
                "counterparty", "clabe or a debit_card"},
        BadCase{"DocExampleClabe",
                [](auto& r) { r.mutable_counterparty()->set_clabe("738969123456789120"); },
                "counterparty.clabe", "check digit"},
        BadCase{"UnknownBank",
                [](auto& r) { r.mutable_counterparty()->set_clabe("000000000000000000"); },
                "counterparty.clabe", "bank code 000"},
        BadCase{"InstitutionMismatch",
                [](auto& r) { r.mutable_counterparty()->set_institution_code("40014"); },
                "counterparty.institution_code", "does not match"},
        BadCase{"BadCard",
                [](auto& r) {
                  r.mutable_counterparty()->set_debit_card("4111111111111112");
                  r.mutable_counterparty()->set_institution_code("40012");
                },
                "counterparty.debit_card", "Luhn"},
        BadCase{"CardWithoutInstitution",
                [](auto& r) { r.mutable_counterparty()->set_debit_card("4111111111111111"); },
                "counterparty.institution_code", "required for a debit card"},
        BadCase{"NoHolder", [](auto& r) { r.mutable_counterparty()->clear_holder_name(); },
                "counterparty.holder_name", "required"},
        BadCase{"LongHolder",
                [](auto& r) { r.mutable_counterparty()->set_holder_name(std::string(40, 'a')); },
                "counterparty.holder_name", "at most 39"},
        BadCase{"BadRfc", [](auto& r) { r.mutable_counterparty()->set_rfc("XAXX019901000"); },
                "counterparty.rfc", "12 or 13"},
        BadCase{"NoDescription", [](auto& r) { r.clear_description(); }, "description", "required"},
        BadCase{"LongDescription", [](auto& r) { r.set_description(std::string(40, 'd')); },
                "description", "40 characters; at most 39"},
        BadCase{"BlankDescription", [](auto& r) { r.set_description("   "); }, "description",
                "blank"},
        BadCase{"DescriptionSymbols", [](auto& r) { r.set_description("pago #42"); }, "description",
                "position 6"},
        BadCase{"NoReference", [](auto& r) { r.clear_numeric_reference(); }, "numeric_reference",
                "1 to 9999999"},
        BadCase{"EightDigitReference", [](auto& r) { r.set_numeric_reference(10'000'000); },
                "numeric_reference", "up to 7 digits"},
        BadCase{"BadMetadataKey", [](auto& r) { (*r.mutable_metadata())["a b"] = "x"; },
                "metadata[a b]", "key must be"},
        BadCase{"LongMetadataValue",
                [](auto& r) { (*r.mutable_metadata())["k"] = std::string(501, 'v'); },
                "metadata[k]", "longer than 500"}),
    [](const testing::TestParamInfo<BadCase>& info) { return info.param.name; });

TEST(ValidateCreatePayoutTest, ExactBoundariesAreAccepted) {
  const auto caps = MonatoLike();
  auto request = GoodPayout();
  request.mutable_amount()->set_amount_minor(99'999'999'999);
  request.set_description(std::string(39, 'd'));
  request.mutable_counterparty()->set_holder_name(std::string(39, 'h'));
  request.set_numeric_reference(9'999'999);
  request.set_idempotency_key(std::string(255, 'k'));
  EXPECT_TRUE(ValidateCreatePayout(request, BankCatalog::Builtin(), &caps).ok());
  request.mutable_amount()->set_amount_minor(1);
  request.set_numeric_reference(1);
  EXPECT_TRUE(ValidateCreatePayout(request, BankCatalog::Builtin(), &caps).ok());
}

TEST(ValidateCreatePayoutTest, ReportsEveryViolationAtOnce) {
  CreatePayoutRequest empty;
  auto order = ValidateCreatePayout(empty, BankCatalog::Builtin(), nullptr);
  ASSERT_FALSE(order.ok());
  EXPECT_THAT(ViolatedFields(order.status()),
              testing::IsSupersetOf({"idempotency_key", "source_account_id", "amount",
                                     "counterparty", "description", "numeric_reference"}));
}

TEST(ValidateCreatePayoutTest, DebitCardNeedsAProviderThatPaysCards) {
  auto request = GoodPayout();
  request.mutable_counterparty()->set_debit_card("4111111111111111");
  request.mutable_counterparty()->set_institution_code("40012");
  auto caps = MonatoLike();
  EXPECT_TRUE(ValidateCreatePayout(request, BankCatalog::Builtin(), &caps).ok());
  caps.debit_card_payouts = false;
  auto order = ValidateCreatePayout(request, BankCatalog::Builtin(), &caps);
  EXPECT_THAT(ViolatedFields(order.status()), testing::ElementsAre("counterparty.debit_card"));
}

TEST(ValidateRefundTest, NamesEachBadField) {
  payments::v1::RefundTransactionRequest request;
  request.set_transaction_id("monato.payout.1");
  request.mutable_amount()->set_amount_minor(-1);
  request.mutable_amount()->set_currency("MXN");
  auto order = ValidateRefund(request);
  EXPECT_THAT(ViolatedFields(order.status()),
              testing::ElementsAre("idempotency_key", "transaction_id", "amount.amount_minor",
                                   "description"));
  request.set_idempotency_key("r-1");
  request.set_transaction_id("monato.txn.abc");
  request.mutable_amount()->set_amount_minor(500);
  request.set_description("Invalid Amount");
  auto good = ValidateRefund(request);
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->transaction_native_id, "abc");
}

TEST(ValidateCreateAccountTest, ParentMustBeOfTheSameProvider) {
  payments::v1::CreateAccountRequest request;
  request.set_idempotency_key("acct-1");
  request.set_provider(payments::v1::PROVIDER_FINTOC);
  request.set_parent_account_id("monato.acct.1");
  EXPECT_THAT(ViolatedFields(ValidateCreateAccount(request).status()),
              testing::ElementsAre("parent_account_id"));
  request.set_parent_account_id("fintoc.acct.acc_1");
  auto parent = ValidateCreateAccount(request);
  ASSERT_TRUE(parent.ok()) << parent.status();
  EXPECT_EQ(parent->native_id, "acc_1");
  request.clear_provider();
  EXPECT_THAT(ViolatedFields(ValidateCreateAccount(request).status()),
              testing::Contains("provider"));
}

TEST(ValidatePageSizeTest, DefaultsAndBounds) {
  EXPECT_EQ(*ValidatePageSize(0, 50, 100), 50);
  EXPECT_EQ(*ValidatePageSize(100, 50, 100), 100);
  EXPECT_FALSE(ValidatePageSize(101, 50, 100).ok());
  EXPECT_FALSE(ValidatePageSize(-1, 50, 100).ok());
}

}  // namespace
}  // namespace gateway
