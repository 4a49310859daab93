// Translation between the gateway's payments.v1 types and Fintoc's Transfers API v2 JSON
// (docs/providers/fintoc.md): integer minor-unit amounts, bare-array lists paged by the Link
// header, {"error":{type,code,message,param}} errors. Pure functions: no I/O, testable from
// recorded JSON.
#ifndef PROVIDERS_FINTOC_FINTOC_MESSAGES_H_
#define PROVIDERS_FINTOC_FINTOC_MESSAGES_H_

#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/payments/v1/account_service.pb.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/provider.h"

namespace providers::fintoc {

// --- Requests (exact bytes: these are what the JWS signs) ------------------------------------

// POST /v2/transfers, members in this order: amount (integer minor units), currency (upper
// case), account_id, comment (the description), reference_id (the numeric reference without
// leading zeros), counterparty {account_number; for a debit card also institution_id (5-digit
// Banxico code) and account_type "debit_card"}, metadata (keys sorted). Empty optional members
// are left out. The same order always gives the same bytes, which Fintoc's idempotency
// comparison relies on across retries and restarts.
std::string TransferBody(const PayoutOrder& order, absl::string_view source_account_id);

// POST /v2/transfers/return.
std::string ReturnBody(absl::string_view transfer_id);

// POST /v2/account_numbers: {account_id, description, metadata} (metadata keys sorted).
std::string AccountNumberBody(absl::string_view account_id, absl::string_view description,
                              const google::protobuf::Map<std::string, std::string>& metadata);

// --- Replies --------------------------------------------------------------------------------

// pending/return_pending -> PENDING, succeeded -> SUCCEEDED, failed -> FAILED,
// rejected -> REJECTED, returned -> RETURNED; anything else UNKNOWN (the raw status is kept in
// provider_status), never guessed.
payments::v1::PayoutStatus MapTransferStatus(absl::string_view fintoc_status);

// A transfer (create reply, single read or list item) into a Payout with id
// "fintoc.payout.<tr_...>". INVALID_ARGUMENT when the id, status or an exact integer amount is
// missing (a float or a string amount is refused).
absl::StatusOr<payments::v1::Payout> ParseTransfer(const boost::json::object& transfer);

// Whether `transfer` can be returned for `requested`: it must be inbound (Fintoc returns only
// received transfers) and the amount must be the whole transfer. Errors name the field.
absl::Status CheckReturnable(const boost::json::object& transfer,
                             const payments::v1::Money& requested);

// The reply of POST /v2/transfers/return (the transfer, now return_pending) into a Refund
// "fintoc.refund.<tr_...>" for gateway transaction `transaction_id`.
absl::StatusOr<payments::v1::Refund> ParseReturn(const boost::json::object& transfer,
                                                 const std::string& transaction_id);

// An account into an Account "fintoc.acct.<acc_...>" (kind MAIN, CLABE = root account number).
absl::StatusOr<payments::v1::Account> ParseAccount(const boost::json::object& account);

// An account number into an Account "fintoc.acct.<acno_...>" (kind ACCOUNT_NUMBER), whose
// parent is the account it receives into.
absl::StatusOr<payments::v1::Account> ParseAccountNumber(const boost::json::object& account_number);

// A list reply: a bare JSON array of objects.
absl::StatusOr<std::vector<boost::json::object>> ParseList(absl::string_view body);

// The URL of rel="next" in a Link header (RFC 8288), or "" when there is none (an empty header
// means the last page). Tolerates a missing '>' (one of Fintoc's doc examples), spaces, upper
// case and an unquoted rel. No regular expressions.
std::string ParseLinkNext(absl::string_view link_header);

// --- Errors ---------------------------------------------------------------------------------

// A non-2xx reply into a status whose ErrorInfo reason is "FINTOC_<CODE>" (e.g.
// FINTOC_JWS_NONCE_ALREADY_USED), or "FINTOC_HTTP_<status>" without a code:
//   400 -> INVALID_ARGUMENT (with a field violation when Fintoc's param or code maps to a
//   request field), 401 -> UNAUTHENTICATED, 403 -> PERMISSION_DENIED, 404 -> NOT_FOUND,
//   409 / 422 -> FAILED_PRECONDITION, 429 -> RESOURCE_EXHAUSTED, 5xx -> UNAVAILABLE.
// Non-JSON bodies (HTML error pages) are described, never echoed; secret keys are redacted.
absl::Status ErrorFromReply(int http_status, absl::string_view body);

}  // namespace providers::fintoc

#endif  // PROVIDERS_FINTOC_FINTOC_MESSAGES_H_
