// The Monato simulator's records. Amounts are int64 centavos; JSON shapes live in
// monato_json.h.
#ifndef SANDBOX_MONATO_MONATO_MODEL_H_
#define SANDBOX_MONATO_MONATO_MODEL_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace sandbox {

struct MonatoBank {
  std::string id;    // UUID, what requests name (destination_bank_id, bank_id)
  std::string code;  // Banxico code, "40012"
  std::string name;
};

struct MonatoAccount {
  std::string id;
  std::string bank_id;
  std::string client_id;
  std::string client_bank_adapter_id;
  std::string parent_account_id;  // "accountId" of a private account
  std::string instrument_id;      // the account as a money_out source (or destination)
  std::string owner_id;
  std::string holder_name;
  std::string account_number;  // last 12 digits of the CLABE
  std::string clabe;
  int64_t balance_cents = 0;
  std::string status = "ACTIVE";
  absl::Time created_at;
  absl::Time updated_at;
};

enum class InstrumentKind { kDebitCard, kClabe, kAccount };

struct MonatoInstrument {
  std::string id;
  std::string client_id;
  std::string owner_id;
  std::string customer_id;  // "" when the owner is the client itself
  std::string bank_id;      // destination bank
  std::string alias;
  std::string type;  // RECEIVER / SENDER
  std::string rfc;
  InstrumentKind kind = InstrumentKind::kClabe;
  std::string card_number;     // kDebitCard
  std::string clabe;           // kClabe, kAccount
  std::string account_number;  // kClabe, kAccount
  std::string holder_name;
  std::string account_id;  // kAccount: the sandbox account behind it
  absl::Time created_at;
  absl::Time updated_at;
};

struct MonatoTransaction {
  std::string id;
  std::string client_id;
  std::string bank_id;
  std::string account_id;  // the sandbox account debited or credited
  std::string external_reference;
  std::string tracking_id;
  std::string description;
  int64_t amount_cents = 0;
  std::string currency = "MXN";
  std::string category;      // DEBIT_TRANS / CREDIT_TRANS
  std::string sub_category;  // SPEI_DEBIT / INT_DEBIT / SPEI_CREDIT / INT_CREDIT
  std::string status;        // INITIALIZED / LIQUIDATED / REJECTED / REFUNDED
  std::string reason;        // with REJECTED
  std::string reason_description;
  std::string source_instrument_id;
  std::string destination_instrument_id;
  std::string destination_clabe;       // decides the simulated outcome
  std::string destination_account_id;  // internal (INT_DEBIT) transfers: the credited account
  std::string idempotency_key;         // of the money_out or refund that created it, as sent

  // Received money (MONEY_IN).
  bool received = false;
  std::string payer_name;
  std::string payer_account;
  std::string payer_rfc;
  std::string payer_institution;  // 5-digit Banxico code
  std::string numeric_reference;
  std::string refund_transaction_id;  // the refund of this received transaction, once asked
  std::string refund_of;              // on a refund: the received transaction it returns

  absl::Time created_at;
  absl::Time updated_at;
};

struct MonatoToken {
  std::string id;
  std::string token;
  std::string client_id;
  absl::Time created_at;
  absl::Time expires_at;
  bool revoked = false;  // by POST /_sandbox/monato/expire_tokens
};

struct MonatoWebhook {
  std::string id;
  std::string client_id;
  std::string url;
  std::string token;
  std::string webhook_type;  // MONEY_IN / STATUS_UPDATE / CEP
  std::string auth_type;     // AUTH: deliveries carry "Authorization: Bearer <token>"
  absl::Time created_at;
};

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_MODEL_H_
