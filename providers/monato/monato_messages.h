// Translation between the gateway's payments.v1 types and Monato's Fincore JSON
// (docs/providers/monato.md#messages): request bodies in snake_case, replies in camelCase, "None"
// for null, amounts as exact 2-decimal strings. Pure functions: no I/O, testable from recorded
// JSON.
#ifndef PROVIDERS_MONATO_MONATO_MESSAGES_H_
#define PROVIDERS_MONATO_MONATO_MESSAGES_H_

#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/payments/v1/account_service.pb.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/provider.h"

namespace providers::monato {

// --- Requests -------------------------------------------------------------------------------

std::string MoneyOutBody(absl::string_view client_id, absl::string_view source_instrument_id,
                         absl::string_view destination_instrument_id, const PayoutOrder& order);

// A destination instrument for a CLABE or a debit card (RECEIVER), owned by the client.
std::string InstrumentBody(absl::string_view client_id, absl::string_view source_bank_id,
                           absl::string_view destination_bank_id,
                           const payments::v1::Counterparty& counterparty, absl::string_view alias);

std::string RefundBody(int64_t amount_minor, absl::string_view description);

// --- Replies --------------------------------------------------------------------------------

// INITIALIZED/PENDING/DELAYED -> PENDING, LIQUIDATED/COMPLETED -> SUCCEEDED,
// REJECTED -> REJECTED, REFUNDED -> RETURNED, FAILED/CANCELLED -> FAILED; anything else
// UNKNOWN (kept raw in provider_status), never guessed.
payments::v1::PayoutStatus MapTransactionStatus(absl::string_view monato_status);

// A money_out / transaction reply into a Payout (id "monato.payout.<transaction id>").
// INVALID_ARGUMENT when the id, status or amount is missing or not exact.
absl::StatusOr<payments::v1::Payout> ParseTransaction(const boost::json::object& transaction);

// A refund reply (a new outbound transaction) into a Refund.
absl::StatusOr<payments::v1::Refund> ParseRefund(const boost::json::object& transaction,
                                                 const std::string& original_transaction_id);

// An account (list item or single) into an Account (id "monato.acct.<id>").
absl::StatusOr<payments::v1::Account> ParseAccount(const boost::json::object& account);

struct MonatoBank {
  std::string id;            // Monato's bank UUID
  std::string banxico_code;  // 5 digits, when given
  std::string name;
};
// One bank catalogue item; the Banxico code is read from whichever field carries it.
absl::StatusOr<MonatoBank> ParseBank(const boost::json::object& bank);

struct MonatoInstrument {
  std::string id;
  std::string account_number;  // CLABE or card number from instrumentDetail
  std::string holder_name;
};
absl::StatusOr<MonatoInstrument> ParseInstrument(const boost::json::object& instrument);

// The items and the page count of any of Monato's three list envelopes
// (docs/providers/monato.md#pagination): {banks,total_banks,page,page_size} /
// {data,currentPage,perPage,totalItem(s)}.
struct MonatoPage {
  std::vector<boost::json::object> items;
  int64_t page = 1;
  int64_t per_page = 0;
  int64_t total_items = -1;  // -1 when the envelope does not say
  bool HasNext() const;
};
absl::StatusOr<MonatoPage> ParsePage(absl::string_view body, absl::string_view items_key);

// --- Errors ---------------------------------------------------------------------------------

// A non-2xx reply into a status (message without secrets or full account numbers):
//   400 -> INVALID_ARGUMENT, 401 -> UNAUTHENTICATED, 403 -> PERMISSION_DENIED,
//   404 -> NOT_FOUND, 409 operation_in_progress -> ABORTED, other 409 / 422 /
//   FAILED_PRECONDITION class -> FAILED_PRECONDITION, 429 -> RESOURCE_EXHAUSTED,
//   5xx -> UNAVAILABLE. Non-JSON bodies (HTML error pages) are described, not echoed.
absl::Status ErrorFromReply(int http_status, absl::string_view body);

// Monato does not serve `endpoint` ("GET /v1/clients/{clientId}/accounts"), answering
// `http_status` (404/405) to it: FAILED_PRECONDITION naming the endpoint, so an outage of the
// gateway's assumptions is never reported as the caller's mistake.
absl::Status MissingEndpoint(absl::string_view endpoint, int http_status);

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_MONATO_MESSAGES_H_
