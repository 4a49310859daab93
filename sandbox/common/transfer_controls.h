// Control calls that make a provider's records disagree with the gateway's, so that every
// reconciliation class can be tested (docs/reconciliation.md): a transfer made outside the
// gateway (an orphan), one the gateway made dropped (missing), one changed (amount,
// counterparty CLABE, reference, status) without a webhook, and a second transfer copying one
// (the signature of a double payout). Served on each provider's port for its own records:
//
//   POST /_sandbox/transfers/orphan     {"amount","counterparty_clabe","reference"
//                                        [,"account_id","description","status"]}  -> 201 row
//   POST /_sandbox/transfers/drop       {"id"}                                     -> 200 row
//   POST /_sandbox/transfers/alter      {"id"[,"amount","counterparty_clabe","reference",
//                                        "status"]}                                -> 200 row
//   POST /_sandbox/transfers/duplicate  {"id"}                                     -> 201 row
//
// A row is what GET /_sandbox/transfers lists. None of them sends a webhook (a webhook would
// put the gateway right; reconciliation must find the difference) or touches a balance.
// Errors: 400 (a bad body), 404 (no such transfer or account), {"error":"..."}.
#ifndef SANDBOX_COMMON_TRANSFER_CONTROLS_H_
#define SANDBOX_COMMON_TRANSFER_CONTROLS_H_

#include <cstdint>
#include <functional>
#include <string>

#include <boost/json.hpp>

#include "absl/types/optional.h"
#include "sandbox/http/http_server.h"

namespace sandbox {

struct OrphanOrder {
  std::string account_id;  // the source; "" = the provider's main account
  int64_t amount = 0;      // centavos, >= 1
  std::string counterparty_clabe;
  std::string reference;    // the provider's numeric reference, 1-7 digits
  std::string description;  // optional
  std::string status;       // the provider's name; "" = its settled-successfully status
};

struct TransferEdit {
  absl::optional<int64_t> amount;
  absl::optional<std::string> counterparty_clabe;
  absl::optional<std::string> reference;
  absl::optional<std::string> status;  // the provider's own name
};

// The outcome of one control: the transfer's row, or an HTTP status and why not.
struct ControlOutcome {
  int http_status = 200;
  boost::json::object row;
  std::string error;

  static ControlOutcome Error(int status, std::string why) {
    ControlOutcome outcome;
    outcome.http_status = status;
    outcome.error = std::move(why);
    return outcome;
  }
};

// What a simulator does for each call (its own statuses and fields).
struct TransferControls {
  std::function<ControlOutcome(const OrphanOrder&)> orphan;
  std::function<ControlOutcome(const std::string& id)> drop;
  std::function<ControlOutcome(const std::string& id, const TransferEdit&)> alter;
  std::function<ControlOutcome(const std::string& id)> duplicate;
};

// The reply to `request` when it is one of the calls above (the body checked: amounts are JSON
// integers >= 1, CLABEs 18 digits with a valid check digit, references 1-7 digits); nullopt
// for any other path.
absl::optional<ServerReply> TransferControlReply(const ServerRequest& request,
                                                 const TransferControls& controls);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_TRANSFER_CONTROLS_H_
