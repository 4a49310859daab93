// Hand-built views for the reconciliation tests: a record and its exact transfer, which a test
// then changes field by field.
#ifndef RECONCILIATION_TESTING_VIEWS_H_
#define RECONCILIATION_TESTING_VIEWS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "reconciliation/classifier.h"
#include "reconciliation/views.h"

namespace reconciliation::testing {

// The window of every test: one day.
inline absl::Time WindowStart() { return absl::FromUnixSeconds(1764720000); }  // 2025-12-03
inline absl::Time WindowEnd() { return WindowStart() + absl::Hours(24); }

inline ClassifierOptions Options() {
  ClassifierOptions options;
  options.window_start = WindowStart();
  options.window_end = WindowEnd();
  options.grace = absl::Minutes(15);
  options.stuck_after = absl::Hours(1);
  options.now = WindowEnd() + absl::Minutes(30);
  return options;
}

// Payout `n` of the window, PENDING at Fintoc, created n seconds after the window opens.
inline GatewayRecord Record(int n) {
  GatewayRecord record;
  record.payout_id = absl::StrCat("po_", n);
  record.provider = payments::v1::PROVIDER_FINTOC;
  record.provider_payout_id = absl::StrCat("tr_", n);
  record.tracking_key = absl::StrCat("TK", 100000 + n);
  record.amount_minor = 10000 + n;
  record.currency = "MXN";
  record.counterparty_clabe = "002010077777777771";
  record.numeric_reference = absl::StrCat(1000 + n % 9000);
  record.status = payments::v1::PAYOUT_STATUS_SUCCEEDED;
  record.create_time = WindowStart() + absl::Seconds(n);
  record.status_time = record.create_time + absl::Seconds(5);
  return record;
}

// The transfer the provider reports for Record(n), identical in every compared field.
inline ProviderTransfer TransferOf(const GatewayRecord& record) {
  ProviderTransfer transfer;
  transfer.provider_transfer_id = record.provider_payout_id;
  transfer.tracking_key = record.tracking_key;
  transfer.amount_minor = record.amount_minor;
  transfer.currency = record.currency;
  transfer.counterparty_clabe = record.counterparty_clabe;
  transfer.numeric_reference = record.numeric_reference;
  transfer.status = record.status;
  transfer.create_time = record.create_time + absl::Seconds(1);
  return transfer;
}

}  // namespace reconciliation::testing

#endif  // RECONCILIATION_TESTING_VIEWS_H_
