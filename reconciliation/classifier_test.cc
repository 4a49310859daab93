// Every class of the classifier on hand-built views: matched, missing, orphan, duplicate, each
// field mismatch, status actions, stuck, not checkable, window edges and the item cap.
#include "reconciliation/classifier.h"

#include <limits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reconciliation/testing_views.h"

namespace reconciliation {
namespace {

using ::payments::v1::PAYOUT_STATUS_FAILED;
using ::payments::v1::PAYOUT_STATUS_PENDING;
using ::payments::v1::PAYOUT_STATUS_REJECTED;
using ::payments::v1::PAYOUT_STATUS_RETURNED;
using ::payments::v1::PAYOUT_STATUS_SUCCEEDED;
using ::payments::v1::PAYOUT_STATUS_UNKNOWN;
using ::payments::v1::PROVIDER_FINTOC;
using ::payments::v1::PROVIDER_MONATO;
using ::testing::HasSubstr;
using testing::Options;
using testing::Record;
using ::testing::SizeIs;
using testing::TransferOf;
using testing::WindowEnd;
using testing::WindowStart;

Report Reconcile(const std::vector<GatewayRecord>& records,
                 const std::vector<ProviderTransfer>& transfers,
                 ClassifierOptions options = Options()) {
  Classifier classifier(PROVIDER_FINTOC, std::move(options));
  EXPECT_TRUE(classifier.AddGatewayRecords(records).ok());
  EXPECT_TRUE(classifier.AddProviderTransfers(transfers).ok());
  return classifier.Finish();
}

// A record whose reply was lost: UNKNOWN, no provider id, no tracking key.
GatewayRecord Lost(int n) {
  GatewayRecord record = Record(n);
  record.provider_payout_id.clear();
  record.tracking_key.clear();
  record.status = PAYOUT_STATUS_UNKNOWN;
  record.status_time = absl::InfinitePast();  // UNKNOWN since its creation
  return record;
}

TEST(ClassifierTest, ACleanWindowIsAllMatched) {
  const std::vector<GatewayRecord> records = {Record(1), Record(2), Record(3)};
  const Report report =
      Reconcile(records, {TransferOf(records[2]), TransferOf(records[0]), TransferOf(records[1])});
  EXPECT_TRUE(report.Clean());
  EXPECT_EQ(report.Count(ItemClass::kMatched), 3);
  EXPECT_EQ(report.Totals(ItemClass::kMatched).amount_minor_by_currency.at("MXN"),
            10001 + 10002 + 10003);
  EXPECT_THAT(report.items, SizeIs(0));
  EXPECT_EQ(report.gateway_records, 3);
  EXPECT_EQ(report.provider_transfers, 3);
}

TEST(ClassifierTest, AnAcknowledgedPayoutTheProviderDoesNotReportIsMissing) {
  const Report report = Reconcile({Record(1), Record(2)}, {TransferOf(Record(2))});
  EXPECT_EQ(report.Count(ItemClass::kMissingAtProvider), 1);
  ASSERT_THAT(report.items, SizeIs(1));
  const Item& item = report.items[0];
  EXPECT_EQ(item.item_class, ItemClass::kMissingAtProvider);
  EXPECT_EQ(item.gateway->payout_id, "po_1");
  EXPECT_FALSE(item.provider.has_value());
  EXPECT_THAT(item.note, HasSubstr("tr_1"));
  EXPECT_FALSE(report.Clean());
}

TEST(ClassifierTest, AnUnknownPayoutWithNothingAtTheProviderIsMissing) {
  const Report report = Reconcile({Lost(1)}, {});
  ASSERT_EQ(report.Count(ItemClass::kMissingAtProvider), 1);
  EXPECT_THAT(report.items[0].note, HasSubstr("never left"));
}

TEST(ClassifierTest, APayoutRefusedBeforeTheProviderCreatedAnythingIsMatchedByItsAbsence) {
  GatewayRecord failed = Lost(1);
  failed.status = PAYOUT_STATUS_FAILED;
  GatewayRecord rejected = Lost(2);
  rejected.status = PAYOUT_STATUS_REJECTED;
  const Report report = Reconcile({failed, rejected}, {});
  EXPECT_TRUE(report.Clean());
  EXPECT_EQ(report.Count(ItemClass::kMatched), 2);
}

TEST(ClassifierTest, ATransferWithNoGatewayRecordIsAnOrphanReportedAsItIsFound) {
  ClassifierOptions options = Options();
  std::vector<Item> seen;
  options.on_item = [&seen](const Item& item) { seen.push_back(item); };
  Classifier classifier(PROVIDER_FINTOC, options);
  ASSERT_TRUE(classifier.AddGatewayRecords({Record(1)}).ok());
  ProviderTransfer stranger = TransferOf(Record(2));
  ASSERT_TRUE(classifier.AddProviderTransfers({stranger, TransferOf(Record(1))}).ok());
  ASSERT_THAT(seen, SizeIs(1));  // before Finish
  EXPECT_EQ(seen[0].item_class, ItemClass::kOrphanAtProvider);
  EXPECT_EQ(seen[0].provider->provider_transfer_id, "tr_2");
  EXPECT_FALSE(seen[0].gateway.has_value());
  const Report report = classifier.Finish();
  EXPECT_EQ(report.Count(ItemClass::kOrphanAtProvider), 1);
  EXPECT_EQ(report.Totals(ItemClass::kOrphanAtProvider).amount_minor_by_currency.at("MXN"), 10002);
  EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
}

TEST(ClassifierTest, UnpairedTransfersOutsideTheWindowBelongToTheNextOrPreviousWindow) {
  ProviderTransfer just_before = TransferOf(Record(1));
  just_before.create_time = WindowStart() - absl::Minutes(5);  // within the grace
  ProviderTransfer long_before = TransferOf(Record(2));
  long_before.create_time = WindowStart() - absl::Hours(2);
  ProviderTransfer just_after = TransferOf(Record(3));
  just_after.create_time = WindowEnd();  // the end is excluded
  const Report report = Reconcile({}, {just_before, long_before, just_after});
  EXPECT_TRUE(report.Clean());
  EXPECT_EQ(report.provider_outside_window, 3);
  EXPECT_EQ(report.provider_transfers, 3);
}

TEST(ClassifierTest, GatewayRecordsOutsideTheWindowAreLeftOut) {
  GatewayRecord early = Record(1);
  early.create_time = WindowStart() - absl::Seconds(1);
  GatewayRecord late = Record(2);
  late.create_time = WindowEnd();
  const Report report = Reconcile({early, late, Record(3)}, {TransferOf(Record(3))});
  EXPECT_TRUE(report.Clean());
  EXPECT_EQ(report.gateway_outside_window, 2);
  EXPECT_EQ(report.gateway_records, 1);
}

TEST(ClassifierTest, ATransferDatedWithinTheGraceOfTheWindowPairsWithItsRecord) {
  GatewayRecord first = Record(0);  // created as the window opens
  ProviderTransfer skewed = TransferOf(first);
  skewed.create_time = WindowStart() - absl::Minutes(10);  // the provider's clock is behind
  GatewayRecord last = Lost(1);
  last.create_time = WindowEnd() - absl::Seconds(1);
  ProviderTransfer after = TransferOf(Record(1));
  after.provider_transfer_id = "tr_late";
  after.tracking_key = "TKLATE";
  after.create_time = WindowEnd() + absl::Minutes(10);
  const Report report = Reconcile({first, last}, {skewed, after});
  EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
  ASSERT_EQ(report.Count(ItemClass::kStatusMismatch), 1);  // the lost one, now known
  EXPECT_EQ(report.items[0].matched_by, MatchedBy::kFingerprint);
  EXPECT_EQ(report.provider_outside_window, 0);
}

TEST(ClassifierTest, BeyondTheGraceATransferDoesNotPairByFingerprint) {
  GatewayRecord last = Lost(1);
  last.create_time = WindowEnd() - absl::Seconds(1);
  ProviderTransfer after = TransferOf(Record(1));
  after.provider_transfer_id = "tr_next_day";
  after.tracking_key.clear();
  after.create_time = WindowEnd() + absl::Minutes(20);
  const Report report = Reconcile({last}, {after});
  EXPECT_EQ(report.Count(ItemClass::kMissingAtProvider), 1);
  EXPECT_EQ(report.provider_outside_window, 1);
}

struct MismatchCase {
  const char* name;
  void (*change)(ProviderTransfer&);
  ItemClass expected;
  Field field;
};

class FieldMismatchTest : public ::testing::TestWithParam<MismatchCase> {};

TEST_P(FieldMismatchTest, IsClassifiedByTheFieldThatDiffers) {
  ProviderTransfer transfer = TransferOf(Record(1));
  GetParam().change(transfer);
  const Report report = Reconcile({Record(1)}, {transfer});
  EXPECT_EQ(report.Count(GetParam().expected), 1);
  ASSERT_THAT(report.items, SizeIs(1));
  const Item& item = report.items[0];
  EXPECT_EQ(item.item_class, GetParam().expected);
  ASSERT_THAT(item.differences, SizeIs(1));
  EXPECT_EQ(item.differences[0].field, GetParam().field);
  EXPECT_EQ(item.gateway->payout_id, "po_1");
  EXPECT_EQ(item.provider->provider_transfer_id, "tr_1");
  EXPECT_EQ(item.matched_by, MatchedBy::kProviderId);
}

INSTANTIATE_TEST_SUITE_P(
    EachField, FieldMismatchTest,
    ::testing::Values(
        MismatchCase{"Amount", [](ProviderTransfer& t) { t.amount_minor += 1; },
                     ItemClass::kAmountMismatch, Field::kAmount},
        MismatchCase{"Currency", [](ProviderTransfer& t) { t.currency = "CLP"; },
                     ItemClass::kCurrencyMismatch, Field::kCurrency},
        MismatchCase{"Counterparty",
                     [](ProviderTransfer& t) { t.counterparty_clabe = "012180000000000008"; },
                     ItemClass::kCounterpartyMismatch, Field::kCounterparty},
        MismatchCase{"Reference", [](ProviderTransfer& t) { t.numeric_reference = "7654321"; },
                     ItemClass::kReferenceMismatch, Field::kReference},
        MismatchCase{"TrackingKey", [](ProviderTransfer& t) { t.tracking_key = "OTHER"; },
                     ItemClass::kReferenceMismatch, Field::kTrackingKey},
        MismatchCase{"Status", [](ProviderTransfer& t) { t.status = PAYOUT_STATUS_RETURNED; },
                     ItemClass::kStatusMismatch, Field::kStatus}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ClassifierTest, AFieldTheProviderDoesNotReportIsNotCompared) {
  ProviderTransfer transfer = TransferOf(Record(1));
  transfer.counterparty_clabe.clear();  // Monato's read names no account
  transfer.numeric_reference.clear();
  transfer.tracking_key.clear();
  EXPECT_TRUE(Reconcile({Record(1)}, {transfer}).Clean());
}

TEST(ClassifierTest, SeveralDifferencesAreAllListedUnderTheFirstClass) {
  ProviderTransfer transfer = TransferOf(Record(1));
  transfer.amount_minor = 1;
  transfer.counterparty_clabe = "012180000000000008";
  transfer.status = PAYOUT_STATUS_RETURNED;
  const Report report = Reconcile({Record(1)}, {transfer});
  EXPECT_EQ(report.Count(ItemClass::kAmountMismatch), 1);
  EXPECT_EQ(report.Count(ItemClass::kStatusMismatch), 0);  // one class per item for the counts
  ASSERT_THAT(report.items, SizeIs(1));
  const Item& item = report.items[0];
  ASSERT_THAT(item.differences, SizeIs(3));
  EXPECT_EQ(item.differences[0].field, Field::kAmount);
  EXPECT_EQ(item.differences[0].gateway_value, "10001");
  EXPECT_EQ(item.differences[0].provider_value, "1");
  EXPECT_EQ(item.status_action, StatusAction::kApply);  // still says what to do with the status
  EXPECT_EQ(item.status_to_apply, PAYOUT_STATUS_RETURNED);
  EXPECT_THAT(item.note, HasSubstr("investigate"));
}

TEST(ClassifierTest, TheProvidersFinalStatusIsAppliedWhereTheMonotonicPathAcceptsIt) {
  GatewayRecord pending = Record(1);
  pending.status = PAYOUT_STATUS_PENDING;
  ProviderTransfer settled = TransferOf(pending);
  settled.status = PAYOUT_STATUS_SUCCEEDED;
  const Report report = Reconcile({pending}, {settled});
  ASSERT_EQ(report.Count(ItemClass::kStatusMismatch), 1);
  EXPECT_EQ(report.items[0].status_action, StatusAction::kApply);
  EXPECT_EQ(report.items[0].status_to_apply, PAYOUT_STATUS_SUCCEEDED);
  EXPECT_THAT(report.items[0].note, HasSubstr("monotonic status path"));
}

TEST(ClassifierTest, AFinalStatusTheProviderContradictsNeedsAnOperator) {
  ProviderTransfer failed = TransferOf(Record(1));  // the gateway says SUCCEEDED
  failed.status = PAYOUT_STATUS_FAILED;
  const Report report = Reconcile({Record(1)}, {failed});
  ASSERT_EQ(report.Count(ItemClass::kStatusMismatch), 1);
  const Item& item = report.items[0];
  EXPECT_EQ(item.status_action, StatusAction::kNeedsOperator);
  EXPECT_EQ(item.status_to_apply, payments::v1::PAYOUT_STATUS_UNSPECIFIED);
  EXPECT_THAT(item.note, HasSubstr("operator"));
  EXPECT_EQ(item.differences[0].gateway_value, "PAYOUT_STATUS_SUCCEEDED");
  EXPECT_EQ(item.differences[0].provider_value, "PAYOUT_STATUS_FAILED");
}

TEST(ClassifierTest, PendingOnBothSidesPastTheAgeIsStuckAndYoungerIsMatched) {
  ClassifierOptions options = Options();
  options.now = WindowStart() + absl::Hours(2);
  GatewayRecord old_one = Record(1);  // created 2 h before `now`
  old_one.status = PAYOUT_STATUS_PENDING;
  GatewayRecord young = Record(2);
  young.status = PAYOUT_STATUS_PENDING;
  young.create_time = options.now - absl::Minutes(10);
  young.status_time = young.create_time;
  const Report report =
      Reconcile({old_one, young}, {TransferOf(old_one), TransferOf(young)}, options);
  EXPECT_EQ(report.Count(ItemClass::kStuck), 1);
  EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
  ASSERT_THAT(report.items, SizeIs(1));
  EXPECT_EQ(report.items[0].gateway->payout_id, "po_1");
}

TEST(ClassifierTest, TheStuckAgeCountsFromTheLastStatusChange) {
  ClassifierOptions options = Options();
  options.now = WindowStart() + absl::Hours(2);
  GatewayRecord recently_pending = Record(1);  // created 2 h ago, PENDING for 10 minutes
  recently_pending.status = PAYOUT_STATUS_PENDING;
  recently_pending.status_time = options.now - absl::Minutes(10);
  GatewayRecord never_changed = Record(2);  // no status change recorded: its creation counts
  never_changed.status = PAYOUT_STATUS_PENDING;
  never_changed.status_time = absl::InfinitePast();
  const Report report =
      Reconcile({recently_pending, never_changed},
                {TransferOf(recently_pending), TransferOf(never_changed)}, options);
  EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
  ASSERT_EQ(report.Count(ItemClass::kStuck), 1);
  EXPECT_EQ(report.items[0].gateway->payout_id, "po_2");
}

TEST(ClassifierTest, ARecordWithoutProviderIdPairsByTrackingKeyAndLearnsItsId) {
  GatewayRecord unknown = Record(1);
  unknown.provider_payout_id.clear();
  unknown.status = PAYOUT_STATUS_UNKNOWN;
  const Report report = Reconcile({unknown}, {TransferOf(Record(1))});
  ASSERT_EQ(report.Count(ItemClass::kStatusMismatch), 1);
  const Item& item = report.items[0];
  EXPECT_EQ(item.matched_by, MatchedBy::kTrackingKey);
  EXPECT_EQ(item.status_to_apply, PAYOUT_STATUS_SUCCEEDED);
  EXPECT_THAT(item.note, HasSubstr("record the provider's id"));
}

TEST(ClassifierTest, TwoTransfersForOnePayoutReportTheSecondAsADuplicateInEitherOrder) {
  for (bool original_first : {true, false}) {
    SCOPED_TRACE(original_first);
    ProviderTransfer original = TransferOf(Record(1));
    ProviderTransfer second = original;  // same money to the same account, another transfer
    second.provider_transfer_id = "tr_again";
    second.tracking_key = "TKAGAIN";
    const Report report =
        Reconcile({Record(1)}, original_first ? std::vector<ProviderTransfer>{original, second}
                                              : std::vector<ProviderTransfer>{second, original});
    EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
    EXPECT_EQ(report.Count(ItemClass::kDuplicateAtProvider), 1);
    EXPECT_EQ(report.Count(ItemClass::kOrphanAtProvider), 0);
    ASSERT_THAT(report.items, SizeIs(1));
    EXPECT_EQ(report.items[0].duplicate_of, "po_1");
    EXPECT_EQ(report.items[0].provider->provider_transfer_id, "tr_again");
    EXPECT_THAT(report.items[0].note, HasSubstr("paid twice"));
  }
}

TEST(ClassifierTest, ALostReplyResentTwiceShowsOnePairedTransferAndOneDuplicate) {
  ProviderTransfer first = TransferOf(Record(1));
  first.tracking_key = "TKA";
  ProviderTransfer second = TransferOf(Record(1));
  second.provider_transfer_id = "tr_b";
  second.tracking_key = "TKB";
  const Report report = Reconcile({Lost(1)}, {first, second});
  EXPECT_EQ(report.Count(ItemClass::kStatusMismatch), 1);  // UNKNOWN -> SUCCEEDED
  EXPECT_EQ(report.Count(ItemClass::kDuplicateAtProvider), 1);
  EXPECT_EQ(report.items[0].matched_by, MatchedBy::kFingerprint);
  EXPECT_EQ(report.items[0].provider->provider_transfer_id, "tr_1");
  EXPECT_EQ(report.items[1].duplicate_of, "po_1");
}

TEST(ClassifierTest, ATransferWithThePayoutsTrackingKeyButAnotherIdIsADuplicate) {
  ProviderTransfer other = TransferOf(Record(1));
  other.provider_transfer_id = "tr_other";
  other.amount_minor = 5;  // whatever else it says
  const Report report = Reconcile({Record(1)}, {TransferOf(Record(1)), other});
  EXPECT_EQ(report.Count(ItemClass::kDuplicateAtProvider), 1);
  EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
}

TEST(ClassifierTest, ATransferSeenAgainOnALaterPageIsCountedOnce) {
  ProviderTransfer orphan = TransferOf(Record(9));
  GatewayRecord lost = Lost(1);
  ProviderTransfer by_fingerprint = TransferOf(Record(1));
  by_fingerprint.tracking_key.clear();
  Classifier classifier(PROVIDER_FINTOC, Options());
  ASSERT_TRUE(classifier.AddGatewayRecords({Record(2), lost}).ok());
  for (int page = 0; page < 2; ++page) {
    ASSERT_TRUE(
        classifier.AddProviderTransfers({TransferOf(Record(2)), orphan, by_fingerprint}).ok());
  }
  const Report report = classifier.Finish();
  EXPECT_EQ(report.provider_repeats, 3);
  EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
  EXPECT_EQ(report.Count(ItemClass::kOrphanAtProvider), 1);
  EXPECT_EQ(report.Count(ItemClass::kStatusMismatch), 1);
  EXPECT_EQ(report.Count(ItemClass::kDuplicateAtProvider), 0);
}

TEST(ClassifierTest, WithoutAListingRecordsWithoutIdCannotBeCheckedAndOrphansAreUndetectable) {
  ClassifierOptions options = Options();
  options.provider_lists = false;  // Monato: each record read by its id
  options.now = WindowStart() + absl::Hours(2);
  GatewayRecord lost = Lost(1);  // 5 minutes old: not checkable
  lost.provider = PROVIDER_MONATO;
  lost.create_time = options.now - absl::Minutes(5);
  GatewayRecord old_lost = Lost(2);  // 2 hours old: stuck
  old_lost.provider = PROVIDER_MONATO;
  old_lost.create_time = WindowStart();
  GatewayRecord read = Record(3);
  read.provider = PROVIDER_MONATO;
  GatewayRecord gone = Record(4);
  gone.provider = PROVIDER_MONATO;
  GatewayRecord unreadable = Record(5);
  unreadable.provider = PROVIDER_MONATO;
  Classifier classifier(PROVIDER_MONATO, options);
  ASSERT_TRUE(classifier.AddGatewayRecords({lost, old_lost, read, gone, unreadable}).ok());
  ASSERT_TRUE(classifier.AddProviderTransfers({TransferOf(read)}).ok());  // gone: NOT_FOUND
  ASSERT_TRUE(classifier.MarkNotCheckable("po_5", "the read failed: UNAVAILABLE").ok());
  const Report report = classifier.Finish();
  EXPECT_FALSE(report.orphans_detectable);
  EXPECT_EQ(report.Count(ItemClass::kMatched), 1);
  EXPECT_EQ(report.Count(ItemClass::kMissingAtProvider), 1);
  EXPECT_EQ(report.Count(ItemClass::kNotCheckable), 2);  // lost (young) and unreadable
  EXPECT_EQ(report.Count(ItemClass::kStuck), 1);         // old_lost
  bool saw_reason = false;
  for (const Item& item : report.items) {
    if (item.gateway->payout_id == "po_5") {
      EXPECT_THAT(item.note, HasSubstr("UNAVAILABLE"));
      saw_reason = true;
    }
  }
  EXPECT_TRUE(saw_reason);
}

TEST(ClassifierTest, MisuseIsRefused) {
  Classifier classifier(PROVIDER_FINTOC, Options());
  GatewayRecord monato = Record(1);
  monato.provider = PROVIDER_MONATO;
  EXPECT_EQ(classifier.AddGatewayRecords({monato}).code(), absl::StatusCode::kInvalidArgument);
  GatewayRecord nameless = Record(2);
  nameless.payout_id.clear();
  EXPECT_EQ(classifier.AddGatewayRecords({nameless}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(classifier.MarkNotCheckable("po_404", "x").code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(classifier.AddProviderTransfers({}).ok());
  EXPECT_EQ(classifier.AddGatewayRecords({Record(3)}).code(),
            absl::StatusCode::kFailedPrecondition);
  classifier.Finish();
  EXPECT_EQ(classifier.AddProviderTransfers({}).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ClassifierTest, TheItemListIsCappedButTheCountsAndTheCallbackSeeEverything) {
  ClassifierOptions options = Options();
  options.max_items = 2;
  int called = 0;
  options.on_item = [&called](const Item&) { ++called; };
  std::vector<ProviderTransfer> orphans;
  for (int i = 0; i < 5; ++i) orphans.push_back(TransferOf(Record(i)));
  const Report report = Reconcile({}, orphans, options);
  EXPECT_EQ(report.Count(ItemClass::kOrphanAtProvider), 5);
  EXPECT_THAT(report.items, SizeIs(2));
  EXPECT_EQ(report.items_dropped, 3);
  EXPECT_EQ(called, 5);
  EXPECT_EQ(report.Unmatched(), 5);
}

TEST(ClassifierTest, AmountSumsSaturateInsteadOfOverflowing) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  GatewayRecord big = Record(1);
  big.amount_minor = kMax;
  GatewayRecord bigger = Record(2);
  bigger.amount_minor = kMax - 1;
  const Report report = Reconcile({big, bigger, Record(3)}, {TransferOf(Record(3))});
  const ClassTotals& missing = report.Totals(ItemClass::kMissingAtProvider);
  EXPECT_EQ(missing.count, 2);
  EXPECT_TRUE(missing.amount_overflow);
  EXPECT_EQ(missing.amount_minor_by_currency.at("MXN"), kMax);
  EXPECT_FALSE(report.Totals(ItemClass::kMatched).amount_overflow);
}

TEST(ClassifierTest, AddToTotalsKeepsCurrenciesApartAndSaturatesDownwardsToo) {
  ClassTotals totals;
  AddToTotals(totals, "MXN", 5);
  AddToTotals(totals, "CLP", 7);
  AddToTotals(totals, "CLP", std::numeric_limits<int64_t>::min());
  AddToTotals(totals, "CLP", -8);
  EXPECT_EQ(totals.count, 4);
  EXPECT_EQ(totals.amount_minor_by_currency.at("MXN"), 5);
  EXPECT_EQ(totals.amount_minor_by_currency.at("CLP"), std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(totals.amount_overflow);
}

}  // namespace
}  // namespace reconciliation
