// Parsing and field validation of Monato request bodies, with the errors Monato answers
// (docs/providers/monato.md: endpoints, money out, refunds, webhooks). Checks that need the
// simulator's state (does the instrument exist, are there funds) are the simulator's.
#ifndef SANDBOX_MONATO_MONATO_REQUESTS_H_
#define SANDBOX_MONATO_MONATO_REQUESTS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "sandbox/monato/monato_errors.h"
#include "sandbox/monato/monato_model.h"

namespace sandbox {

struct MoneyOutRequest {
  std::string client_id;
  std::string source_instrument_id;
  std::string destination_instrument_id;
  std::string external_reference;  // "" when absent
  std::string description;         // "" when absent
  int64_t amount_cents = 0;
  std::string currency;
};
// amount: a JSON string with exactly 2 decimals, > 0; currency MXN; description shorter
// than 40 characters; external_reference numeric, at most 7 digits; ids UUIDs.
bool ParseMoneyOut(absl::string_view body, MoneyOutRequest* out, MonatoError* error);

struct InstrumentRequest {
  std::string client_id;
  std::string customer_id;
  std::string source_bank_id;
  std::string type;
  std::string rfc;
  std::string alias;
  InstrumentKind kind = InstrumentKind::kClabe;
  std::string destination_bank_id;
  std::string card_number;
  std::string clabe;
  std::string account_number;
  std::string holder_name;
};
// Either "debit_card" {destination_bank_id, card_number (15/16 digits), holder_name <= 40}
// with type RECEIVER, or "virtual_clabe" {destination_bank_id, account_number, clabe_number
// (18 digits, valid check digit), holder_name <= 40}.
bool ParseInstrument(absl::string_view body, InstrumentRequest* out, MonatoError* error);

struct PrivateAccountRequest {
  std::string bank_id;
  std::string owner_id;
  std::string client_bank_adapter_id;
  std::string client_id;
  std::string account_id;
};
bool ParsePrivateAccount(absl::string_view body, PrivateAccountRequest* out, MonatoError* error);

struct RefundRequest {
  int64_t amount_cents = 0;
  std::string description;
};
bool ParseRefund(absl::string_view body, RefundRequest* out, MonatoError* error);

struct WebhookRequest {
  std::string client_id;
  std::string url;
  std::string token;
  std::string webhook_type;
  std::string auth_type;
};
bool ParseWebhookRegistration(absl::string_view body, WebhookRequest* out, MonatoError* error);

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_REQUESTS_H_
