// FindPayoutByReference for Fintoc: a bounded, filtered walk of GET /v2/transfers that matches
// the fields the gateway sent (docs/provider-idempotency.md). One match is the payout; none,
// read to the end, is NOT_FOUND; several are FAILED_PRECONDITION; a listing that could not be
// read to the end is never NOT_FOUND.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "providers/fintoc/fintoc_lookup.h"
#include "providers/fintoc/fintoc_messages.h"
#include "providers/fintoc/testing/provider_test_support.h"

namespace providers::fintoc {
namespace {

using provider_testing::FintocProviderTest;
using provider_testing::kCreatedTransfer;
using provider_testing::Order;

// kCreatedTransfer (the transfer Order() creates, dated 2025-09-02T15:58:51Z) with another id
// and `replace` applied.
std::string Transfer(const std::string& id, absl::string_view from = "",
                     absl::string_view to = "") {
  std::string json =
      absl::StrReplaceAll(kCreatedTransfer, {{"tr_329NGN1M4If6VvcMRALv4gjAQJx", id}});
  if (!from.empty()) json = absl::StrReplaceAll(json, {{from, to}});
  return json;
}

std::string Next(const std::string& cursor) {
  return absl::StrCat("<https://fintoc.test/v2/transfers?direction=outbound&starting_after=",
                      cursor, ">; rel=\"next\"");
}

const absl::Time kSent = absl::FromUnixSeconds(1756828731);  // 2025-09-02T15:58:51Z

class FintocLookupTest : public FintocProviderTest {
 protected:
  absl::StatusOr<payments::v1::Payout> Find(absl::Time sent_after = kSent) {
    return Run<payments::v1::Payout>([&](auto done) {
      provider_->FindPayoutByReference(Order(), sent_after, Context(), std::move(done));
    });
  }
};

TEST_F(FintocLookupTest, OneMatchAcrossPagesIsThePayoutAndOnlyTheOrdersFieldsMatch) {
  // Page 1: transfers that differ from the order in one field each.
  http_.AddResponse(
      200,
      absl::StrCat("[", Transfer("tr_amount", "\"amount\":59013", "\"amount\":59014"), ",",
                   Transfer("tr_ref", "\"150195\"", "\"150196\""), ",",
                   Transfer("tr_comment", "Pago de credito 10451", "Pago de credito 10452"), ",",
                   Transfer("tr_clabe", "014180655091438298", "014180655091438281"), ",",
                   Transfer("tr_source", "acc_M8sKf230BgHjD4", "acc_Other"), "]"),
      {{"Link", Next("tr_source")}});
  // Page 2: the one, and nothing after it.
  http_.AddResponse(200, absl::StrCat("[", Transfer("tr_theone"), "]"), {{"Link", ""}});
  auto found = Find();
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->provider_payout_id(), "tr_theone");
  EXPECT_EQ(found->id(), "fintoc.payout.tr_theone");
  EXPECT_EQ(found->status(), payments::v1::PAYOUT_STATUS_PENDING);
  EXPECT_EQ(found->idempotency_key(), "order-42");  // completed with the order
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(http_.requests()[0].method, "GET");
  // `since` is a date-time (docs/providers/fintoc.md#listing-transfers-for-reconciliation):
  // the send time less the clock margin, not a bare date.
  EXPECT_EQ(http_.requests()[0].url,
            "https://fintoc.test/v2/transfers?direction=outbound&account_id=acc_M8sKf230BgHjD4"
            "&since=2025-09-02T15:43:51Z&limit=100");
  EXPECT_EQ(http_.requests()[1].url,
            "https://fintoc.test/v2/transfers?direction=outbound&account_id=acc_M8sKf230BgHjD4"
            "&since=2025-09-02T15:43:51Z&limit=100&starting_after=tr_source");
}

TEST_F(FintocLookupTest, NoMatchReadToTheEndIsNotFound) {
  http_.AddResponse(
      200, absl::StrCat("[", Transfer("tr_other", "\"amount\":59013", "\"amount\":1"), "]"),
      {{"Link", ""}});
  auto found = Find();
  EXPECT_EQ(found.status().code(), absl::StatusCode::kNotFound) << found.status();
}

TEST_F(FintocLookupTest, TwoMatchesAreAmbiguousAndNamed) {
  http_.AddResponse(200, absl::StrCat("[", Transfer("tr_a"), ",", Transfer("tr_b"), "]"),
                    {{"Link", ""}});
  auto found = Find();
  EXPECT_EQ(found.status().code(), absl::StatusCode::kFailedPrecondition) << found.status();
  EXPECT_TRUE(absl::StrContains(found.status().message(), "tr_a, tr_b")) << found.status();
}

TEST_F(FintocLookupTest, TransfersBeforeTheSendAreNotCandidatesAndEndTheWalk) {
  // Dated a day before the send (beyond the clock margin), with a next page that is not read.
  http_.AddResponse(
      200,
      absl::StrCat("[", Transfer("tr_old", "2025-09-02T15:58:51Z", "2025-09-01T15:58:51Z"), "]"),
      {{"Link", Next("tr_old")}});
  auto found = Find();
  EXPECT_EQ(found.status().code(), absl::StatusCode::kNotFound) << found.status();
  EXPECT_EQ(http_.requests().size(), 1u);
  // Within the margin it still counts (the gateway dates a payout just before sending it).
  http_.AddResponse(
      200,
      absl::StrCat("[", Transfer("tr_close", "2025-09-02T15:58:51Z", "2025-09-02T15:50:00Z"), "]"),
      {{"Link", ""}});
  found = Find();
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->provider_payout_id(), "tr_close");
}

TEST_F(FintocLookupTest, AListingNotReadToTheEndIsNeverNotFound) {
  for (int page = 0; page < kLookupMaxPages; ++page) {
    http_.AddResponse(200, "[]", {{"Link", Next(absl::StrCat("tr_p", page))}});
  }
  auto found = Find();
  EXPECT_EQ(found.status().code(), absl::StatusCode::kUnavailable) << found.status();
  EXPECT_EQ(http_.requests().size(), static_cast<size_t>(kLookupMaxPages));
  // A 404 from the list itself is not "no such transfer" either.
  http_.AddResponse(404, R"({"error":{"type":"invalid_request_error","code":"not_found"}})");
  found = Find();
  EXPECT_EQ(found.status().code(), absl::StatusCode::kUnavailable) << found.status();
}

// Fintoc keeps a key at least 24 h (docs/provider-idempotency.md): the adapter says so, so the
// resolver may re-send during the first 12 h.
TEST_F(FintocLookupTest, TheAdapterDeclaresItsKeyLifetime) {
  EXPECT_EQ(provider_->capabilities().idempotency_key_lifetime, absl::Hours(24));
}

TEST_F(FintocLookupTest, MatchingIgnoresCaseOfTheCurrencyButNotMissingNumbers) {
  auto parsed = ParseList(absl::StrCat("[", Transfer("tr_x"), "]"));
  ASSERT_TRUE(parsed.ok());
  auto transfer = ParseTransfer((*parsed)[0]);
  ASSERT_TRUE(transfer.ok());
  PayoutOrder order = Order();
  order.request.mutable_amount()->set_currency("mxn");
  EXPECT_TRUE(MatchesOrder(*transfer, order, kSent));
  order.request.mutable_counterparty()->set_clabe("");
  transfer->mutable_counterparty()->set_clabe("");
  EXPECT_FALSE(MatchesOrder(*transfer, order, kSent));
}

}  // namespace
}  // namespace providers::fintoc
