// The Fintoc simulator's records. Amounts are integer minor units, as Fintoc's API has them.
#ifndef SANDBOX_FINTOC_FINTOC_MODEL_H_
#define SANDBOX_FINTOC_FINTOC_MODEL_H_

#include <cstdint>
#include <string>

#include <boost/json.hpp>

#include "absl/time/time.h"

namespace sandbox {

struct FintocEntity {
  std::string id;
  std::string holder_name = "Fintoc";
  std::string holder_id = "ND";
  bool is_root = true;
};

struct FintocAccount {
  std::string id;
  std::string description;
  std::string currency = "MXN";
  int64_t available_balance = 0;  // centavos
  std::string root_account_number_id;
  std::string root_account_number;
  FintocEntity entity;
  bool is_root = false;
  absl::Time created_at;
};

struct FintocAccountNumber {
  std::string id;
  std::string account_id;
  std::string number;  // CLABE 735969...
  std::string description;
  boost::json::object metadata;
  bool is_root = false;
  absl::Time created_at;
};

struct FintocCounterparty {
  std::string holder_id;    // "" -> null
  std::string holder_name;  // "" -> null
  std::string account_number;
  std::string account_type = "clabe";
  std::string institution_id;  // Banxico code, "40012"
  std::string institution_name;
};

struct FintocTransfer {
  std::string id;
  std::string account_id;
  std::string account_number_id;  // the account number money left from or arrived at
  int64_t amount = 0;
  std::string currency;
  std::string direction;  // outbound / inbound
  std::string status;     // pending, succeeded, rejected, failed, return_pending, returned
  bool has_comment = false;
  std::string comment;
  bool has_reference_id = false;
  std::string reference_id;
  std::string tracking_key;
  bool posted = false;  // post_date and receipt_url once settled
  FintocCounterparty counterparty;
  boost::json::object metadata;
  std::string return_reason;           // "" -> null
  std::string idempotency_key;         // of the POST that created it (outbound), as sent
  std::string return_idempotency_key;  // of the return request (inbound), as sent
  absl::Time created_at;
  absl::Time updated_at;
};

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_FINTOC_MODEL_H_
