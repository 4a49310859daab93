// A provider webhook, authenticated and translated by its adapter into what the gateway acts
// on. Adapters translate; the gateway's webhook service dedupes, applies and publishes.
#ifndef PROVIDERS_WEBHOOK_EVENT_H_
#define PROVIDERS_WEBHOOK_EVENT_H_

#include <cstdint>
#include <string>

#include "proto/payments/v1/common.pb.h"

namespace providers {

struct WebhookEvent {
  enum class Kind {
    kPayoutStatus,  // an outbound transfer changed status
    kMoneyIn,       // money was received
    kIgnored,       // a valid event the gateway does not act on
  };
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;
  Kind kind = Kind::kIgnored;
  std::string event_id;            // the provider's dedup key (Fintoc evt_..., Monato id_msg)
  std::string provider_payout_id;  // the transfer it is about, when the event says
  std::string tracking_key;        // SPEI clave de rastreo, when the event says
  payments::v1::PayoutStatus status = payments::v1::PAYOUT_STATUS_UNSPECIFIED;
  std::string provider_status;
  std::string reason;
  // Money in: what came, from whom (as the provider reported it).
  int64_t amount_minor = 0;
  std::string currency = "MXN";
  std::string payer_name;
  std::string payer_account;
  std::string description;
  // The provider's own id of the account the money came into (Fintoc: the transfer's
  // account_number.account_id, "acc_..."); empty when the event does not name one.
  std::string receiving_account_native_id;
  // The receiving account's number when the event names it only by number (Monato MONEY_IN:
  // beneficiary_account, its CLABE): the gateway finds the account by it.
  std::string receiving_account_number;
  // The provider signs nothing (Monato): re-read the transfer before believing the status.
  bool confirm_by_reading = false;
};

}  // namespace providers

#endif  // PROVIDERS_WEBHOOK_EVENT_H_
