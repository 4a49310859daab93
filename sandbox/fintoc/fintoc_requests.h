// Parsing and validation of Fintoc request bodies with the 400 codes of
// docs/providers/fintoc.md#errors: POST /v2/transfers (#transfers), /v2/transfers/return,
// /v2/simulate/receive_transfer, /v2/account_numbers and /v2/accounts. State checks (account
// exists, balance) are the simulator's.
#ifndef SANDBOX_FINTOC_FINTOC_REQUESTS_H_
#define SANDBOX_FINTOC_FINTOC_REQUESTS_H_

#include <cstdint>
#include <string>

#include <boost/json.hpp>

#include "absl/strings/string_view.h"
#include "sandbox/fintoc/fintoc_errors.h"
#include "sandbox/fintoc/fintoc_model.h"

namespace sandbox {

struct TransferRequest {
  std::string account_id;
  int64_t amount = 0;
  std::string currency;  // upper case
  FintocCounterparty counterparty;
  bool has_comment = false;
  std::string comment;
  bool has_reference_id = false;
  std::string reference_id;
  boost::json::object metadata;
};
// amount an integer >= 1; currency MXN or CLP in either case; counterparty.account_number a
// CLABE with a valid check digit and a known bank (or, with account_type debit_card /
// mobile_phone, 16 / 10 digits and a known institution_id); comment <= 40 characters;
// reference_id 1-7 digits without a leading zero; metadata an object.
bool ParseTransfer(absl::string_view body, TransferRequest* out, FintocError* error);

bool ParseReturn(absl::string_view body, std::string* transfer_id, FintocError* error);

struct ReceiveRequest {
  std::string account_number_id;  // "" when absent (the control call defaults it)
  int64_t amount = 0;
  std::string currency;  // "" when absent
};
bool ParseReceive(absl::string_view body, bool account_number_required, ReceiveRequest* out,
                  FintocError* error);

struct AccountNumberRequest {
  std::string account_id;
  std::string description;
  boost::json::object metadata;
};
bool ParseAccountNumber(absl::string_view body, AccountNumberRequest* out, FintocError* error);

struct AccountRequest {
  std::string entity_id;
  std::string description;
};
bool ParseAccount(absl::string_view body, AccountRequest* out, FintocError* error);

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_FINTOC_REQUESTS_H_
