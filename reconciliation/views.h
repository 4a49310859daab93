// The two views a reconciliation compares (docs/reconciliation.md): a payout as the gateway
// recorded it, and a transfer as the provider reports it. Both are plain values built by the
// caller (the gateway's store on one side, a provider adapter's listing or by-id read on the
// other), so the classifier depends on neither.
#ifndef RECONCILIATION_VIEWS_H_
#define RECONCILIATION_VIEWS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "proto/payments/v1/common.pb.h"

namespace reconciliation {

// A payout as the gateway recorded it.
struct GatewayRecord {
  std::string payout_id;  // the gateway's id
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;
  // The provider's id for it; empty while the provider's reply is unknown (an UNKNOWN payout
  // whose reply was lost, or one refused before the provider created anything).
  std::string provider_payout_id;
  std::string tracking_key;  // the SPEI tracking key, when known
  int64_t amount_minor = 0;
  std::string currency;            // ISO 4217, upper case
  std::string counterparty_clabe;  // the destination account number (a CLABE or a card)
  std::string numeric_reference;   // decimal text; empty when there is none
  payments::v1::PayoutStatus status = payments::v1::PAYOUT_STATUS_UNSPECIFIED;
  absl::Time create_time = absl::InfinitePast();
  absl::Time status_time = absl::InfinitePast();  // the last status change
};

// A transfer as the provider reports it, its status already mapped by the adapter.
struct ProviderTransfer {
  std::string provider_transfer_id;
  std::string tracking_key;
  int64_t amount_minor = 0;
  std::string currency;
  // Empty text fields are what the provider does not report; they are not compared.
  std::string counterparty_clabe;
  std::string numeric_reference;  // decimal text
  payments::v1::PayoutStatus status = payments::v1::PAYOUT_STATUS_UNSPECIFIED;
  // InfinitePast when the provider gave no date: such a transfer is treated as inside the window.
  absl::Time create_time = absl::InfinitePast();
};

}  // namespace reconciliation

#endif  // RECONCILIATION_VIEWS_H_
