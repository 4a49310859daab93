// The chaos checker on hand-made records: a clean run passes, and each kind of money error
// (a key or a body that moved money twice, an orphan transfer, a mismatched amount, a caller
// told "failed" while money moved) is reported; unsettled states are told apart.
#include "bench/chaos/checker.h"

#include "gtest/gtest.h"

namespace chaos {
namespace {

CheckInput CleanRun() {
  CheckInput input;
  input.transfers = {
      {"monato", "m-1", "pk-1", 250, "014180655091438298", "1", "LIQUIDATED"},
      {"fintoc", "tr_2", "pk-2", 300, "012969100000000013", "2", "rejected"},
  };
  input.key_sends = {{"monato", "money_out", "pk-1", 2, 1, 1, 0, 0},
                     {"fintoc", "transfer", "pk-2", 1, 1, 0, 0, 0}};
  input.body_sends = {{"monato", "money_out", "b-1", 2, 1, 1},
                      {"fintoc", "transfer", "b-2", 1, 1, 0}};
  input.payouts = {
      {"monato.payout.1", "monato", "k1", 250, "014180655091438298", "1", "SUCCEEDED", "m-1", ""},
      {"fintoc.payout.2", "fintoc", "k2", 300, "012969100000000013", "2", "REJECTED", "tr_2", ""},
      {"monato.payout.3", "monato", "k3", 400, "014180655091438298", "3", "FAILED", "", "x"},
  };
  input.jobs = {
      {"k1", "monato", 250, "014180655091438298", "1", true, "OK", "monato.payout.1", 2, true},
      {"k2", "fintoc", 300, "012969100000000013", "2", true, "OK", "fintoc.payout.2", 1, false},
      {"k3", "monato", 400, "014180655091438298", "3", true, "FAILED_PRECONDITION", "", 1, false},
  };
  return input;
}

bool Has(const std::vector<std::string>& list, const std::string& prefix) {
  for (const std::string& line : list) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST(ChaosCheckerTest, ACleanRunPasses) {
  const CheckResult result = Check(CleanRun());
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.violations.empty()) << result.violations[0];
  EXPECT_TRUE(result.unsettled.empty()) << result.unsettled[0];
  EXPECT_EQ(result.counts.at("statuses_agree"), 2);
  EXPECT_EQ(result.counts.at("monato_replays"), 1);
  EXPECT_EQ(result.counts.at("jobs_resent"), 1);
}

TEST(ChaosCheckerTest, AnUnjustifiedSecondTransferIsAViolation) {
  CheckInput input = CleanRun();
  input.key_sends[0].created = 2;
  input.key_sends[0].unjustified = 1;
  input.transfers.push_back(
      {"monato", "m-1b", "pk-1", 250, "014180655091438298", "1", "LIQUIDATED"});
  const CheckResult result = Check(input);
  EXPECT_TRUE(Has(result.violations,
                  "key moved money again although its reply had been delivered: monato "
                  "money_out key pk-1"));
}

TEST(ChaosCheckerTest, ASecondTransferAfterALostReplyIsExcusedAndCounted) {
  CheckInput input = CleanRun();
  input.key_sends[0].created = 2;
  input.key_sends[0].replies_lost = 1;
  input.transfers.insert(input.transfers.begin(),
                         {"monato", "m-1a", "pk-1", 250, "014180655091438298", "1", "LIQUIDATED"});
  const CheckResult result = Check(input);
  EXPECT_TRUE(result.violations.empty()) << result.violations[0];
  EXPECT_TRUE(result.unsettled.empty()) << result.unsettled[0];
  EXPECT_EQ(result.counts.at("transfers_after_lost_replies"), 1);
  EXPECT_EQ(result.counts.at("excused_duplicate_transfers"), 1);
}

TEST(ChaosCheckerTest, APayoutNamingAnEarlierTransferOfARepeatedKeyIsAViolation) {
  CheckInput input = CleanRun();
  input.key_sends[0].created = 2;
  input.key_sends[0].replies_lost = 1;  // the ledger would excuse it
  input.transfers.push_back(
      {"monato", "m-1b", "pk-1", 250, "014180655091438298", "1", "LIQUIDATED"});
  CheckResult result = Check(input);
  EXPECT_TRUE(Has(result.violations,
                  "sent again after the reply naming this transfer was read: monato.payout.1"));
  // Naming the key's last transfer is what a re-send after an unread reply leaves.
  input.payouts[0].provider_payout_id = "m-1b";
  result = Check(input);
  EXPECT_TRUE(result.violations.empty()) << result.violations[0];
}

TEST(ChaosCheckerTest, OnePayoutUnderTwoProviderKeysIsAViolation) {
  CheckInput input = CleanRun();
  input.transfers.push_back(
      {"monato", "m-1c", "pk-other", 250, "014180655091438298", "1", "LIQUIDATED"});
  const CheckResult result = Check(input);
  EXPECT_TRUE(
      Has(result.violations, "one payout sent under two provider keys: monato reference 1"));
}

TEST(ChaosCheckerTest, AnOrphanTransferIsUnsettledAndAPhantomOneAViolation) {
  CheckInput input = CleanRun();
  input.transfers.push_back({"monato", "m-9", "pk-9", 1, "014180655091438298", "9", "LIQUIDATED"});
  input.payouts[1].provider_payout_id = "tr_missing";
  const CheckResult result = Check(input);
  EXPECT_TRUE(Has(result.unsettled, "provider transfer with no gateway payout: monato m-9"));
  EXPECT_TRUE(Has(result.violations, "payout names a transfer the provider never made"));
  EXPECT_FALSE(result.ok());
}

TEST(ChaosCheckerTest, DifferentAmountReferenceOrStatusIsCaught) {
  CheckInput input = CleanRun();
  input.transfers[0].amount = 251;
  input.payouts[1].status = "PENDING";
  const CheckResult result = Check(input);
  EXPECT_TRUE(Has(result.violations, "payout and provider transfer differ: monato.payout.1"));
  EXPECT_TRUE(Has(result.unsettled, "status disagrees with the provider: fintoc.payout.2"));
}

TEST(ChaosCheckerTest, UnknownPayoutsAndPendingTransfersAreUnsettled) {
  CheckInput input = CleanRun();
  input.payouts[2].status = "UNKNOWN";
  input.transfers[0].status = "INITIALIZED";
  const CheckResult result = Check(input);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_TRUE(Has(result.unsettled, "payout left UNKNOWN: monato.payout.3"));
  EXPECT_TRUE(Has(result.unsettled, "provider transfer not final yet: m-1"));
}

TEST(ChaosCheckerTest, WhatTheCallerWasToldMustBeWhatHappened) {
  CheckInput input = CleanRun();
  input.jobs[0].payout_id = "monato.payout.other";
  input.jobs[1].code = "FAILED_PRECONDITION";
  input.jobs[2].answered = false;
  input.jobs[0].inconsistent = "OK monato.payout.1 then ABORTED";
  input.payouts.push_back(
      {"monato.payout.4", "monato", "stranger", 1, "014180655091438298", "4", "FAILED", "", ""});
  input.payouts.push_back(
      {"monato.payout.5", "monato", "k1", 250, "014180655091438298", "1", "FAILED", "", ""});
  const CheckResult result = Check(input);
  EXPECT_TRUE(Has(result.violations, "listed payout differs from the one the caller asked"));
  EXPECT_TRUE(Has(result.violations, "caller told the payout failed but money moved: k2"));
  EXPECT_TRUE(Has(result.violations, "caller never got a definite answer: k3"));
  EXPECT_TRUE(Has(result.violations, "one key got two different answers: k1"));
  EXPECT_TRUE(Has(result.violations, "payout for a key no caller sent: monato.payout.4"));
  EXPECT_TRUE(Has(result.violations, "two payouts for one caller key: k1"));
}

TEST(ChaosCheckerTest, ExpectedStatuses) {
  EXPECT_EQ(ExpectedGatewayStatus("monato", "LIQUIDATED"), "SUCCEEDED");
  EXPECT_EQ(ExpectedGatewayStatus("monato", "INITIALIZED"), "");
  EXPECT_EQ(ExpectedGatewayStatus("fintoc", "failed"), "FAILED");
  EXPECT_EQ(ExpectedGatewayStatus("fintoc", "pending"), "");
}

}  // namespace
}  // namespace chaos
