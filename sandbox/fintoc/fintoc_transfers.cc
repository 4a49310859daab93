// Transfers: create (outbound, JWS-signed), list with filters and Link pagination, read,
// return an inbound transfer, and test-mode simulated inbound transfers
// (docs/providers/fintoc.md#endpoints).
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/spei_banks.h"
#include "sandbox/fintoc/fintoc_json.h"
#include "sandbox/fintoc/fintoc_simulator.h"
#include "sandbox/fintoc/link_pagination.h"

namespace sandbox {

std::string FintocSimulator::NewTrackingKeyLocked(const char* institution) {
  // YYYYMMDD (Mexico City) + 5-digit institution + 17-digit sequence: 30 characters, like
  // the recorded "202509029073500000000000000006".
  return absl::StrCat(absl::FormatTime("%Y%m%d", clock_->Now(), absl::FixedTimeZone(-6 * 3600)),
                      institution, absl::StrFormat("%017u", next_tracking_sequence_++));
}

boost::json::object FintocSimulator::TransferJsonLocked(const FintocTransfer& transfer) const {
  return TransferJson(transfer, account_numbers_.at(transfer.account_number_id));
}

ServerReply FintocSimulator::CreateTransfer(const ServerRequest& request,
                                            const std::vector<std::string>&) {
  TransferRequest create;
  FintocError error;
  if (!ParseTransfer(request.body, &create, &error)) return FintocErrorReply(error);
  FintocTransfer transfer;
  boost::json::object json;
  {
    absl::MutexLock lock(&mu_);
    auto account = accounts_.find(create.account_id);
    if (account == accounts_.end()) {
      return FintocErrorReply(MissingResource("No such account.", "account_id"));
    }
    if (create.currency != account->second.currency) {
      return FintocErrorReply(InvalidRequest(
          "currency_mismatch", "currency does not match the account's currency.", "currency"));
    }
    if (account->second.available_balance < create.amount) {
      return FintocErrorReply(Conflict("insufficient_balance",
                                       "The account balance is not enough for this transfer.",
                                       "amount"));
    }
    account->second.available_balance -= create.amount;  // held while pending
    transfer.id = NewPrefixedId("tr_");
    transfer.account_id = account->second.id;
    transfer.account_number_id = account->second.root_account_number_id;
    transfer.amount = create.amount;
    transfer.currency = create.currency;
    transfer.direction = "outbound";
    transfer.status = "pending";
    transfer.has_comment = create.has_comment;
    transfer.comment = create.comment;
    transfer.has_reference_id = create.has_reference_id;
    transfer.reference_id = create.reference_id;
    transfer.tracking_key = NewTrackingKeyLocked("90735");
    transfer.counterparty = create.counterparty;
    transfer.metadata = create.metadata;
    transfer.idempotency_key = request.Header("idempotency-key");
    transfer.created_at = transfer.updated_at = clock_->Now();
    transfers_[transfer.id] = transfer;
    transfer_order_.push_back(transfer.id);
    ++outbound_created_;
    json = TransferJsonLocked(transfer);
  }
  ScheduleSettlement(transfer.id);
  return ServerReply::Json(201, ToJson(json));
}

ServerReply FintocSimulator::ListTransfers(const ServerRequest& request,
                                           const std::vector<std::string>&) {
  const std::string direction = request.QueryParam("direction");
  const std::string status = request.QueryParam("status");
  const std::string account_id = request.QueryParam("account_id");
  if (!direction.empty() && direction != "inbound" && direction != "outbound") {
    return FintocErrorReply(
        InvalidRequest("invalid_parameter", "direction must be inbound or outbound.", "direction"));
  }
  // since/until: inclusive ISO 8601 date-times on transaction_date (here the creation time),
  // as Fintoc's list reference types them
  // (docs/providers/fintoc.md#listing-transfers-for-reconciliation). A bare date is refused:
  // that Fintoc takes one is unconfirmed, so a client must not rely on it.
  absl::Time since = absl::InfinitePast(), until = absl::InfiniteFuture();
  for (auto [name, bound] : {std::make_pair("since", &since), std::make_pair("until", &until)}) {
    const std::string value = request.QueryParam(name);
    if (value.empty()) continue;
    std::string error;
    if (value.find('T') == std::string::npos ||
        !absl::ParseTime(absl::RFC3339_full, value, bound, &error)) {
      return FintocErrorReply(InvalidRequest(
          "invalid_parameter",
          absl::StrCat(name, " must be an ISO 8601 date-time (2025-09-02T15:43:51Z)."), name));
    }
  }
  absl::MutexLock lock(&mu_);
  std::vector<std::string> ids;
  for (auto it = transfer_order_.rbegin(); it != transfer_order_.rend(); ++it) {
    const FintocTransfer& transfer = transfers_.at(*it);
    if (!direction.empty() && transfer.direction != direction) continue;
    if (!status.empty() && transfer.status != status) continue;
    if (!account_id.empty() && transfer.account_id != account_id) continue;
    if (transfer.created_at < since || transfer.created_at > until) continue;
    ids.push_back(*it);
  }
  return ListReply(request, config_.link_scheme, ids,
                   [this](const std::string& id) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                     return TransferJsonLocked(transfers_.at(id));  // mu_ is held
                   });
}

ServerReply FintocSimulator::GetTransfer(const ServerRequest&,
                                         const std::vector<std::string>& params) {
  absl::MutexLock lock(&mu_);
  auto it = transfers_.find(params[0]);
  if (it == transfers_.end()) return FintocErrorReply(MissingResource("No such transfer.", "id"));
  return ServerReply::Json(200, ToJson(TransferJsonLocked(it->second)));
}

ServerReply FintocSimulator::ReturnTransfer(const ServerRequest& request,
                                            const std::vector<std::string>&) {
  std::string transfer_id;
  FintocError error;
  if (!ParseReturn(request.body, &transfer_id, &error)) return FintocErrorReply(error);
  boost::json::object json;
  {
    absl::MutexLock lock(&mu_);
    auto it = transfers_.find(transfer_id);
    if (it == transfers_.end()) {
      return FintocErrorReply(MissingResource("No such transfer.", "transfer_id"));
    }
    FintocTransfer& transfer = it->second;
    // Mexico: only inbound transfers can be returned by the receiver
    // (docs/providers/fintoc.md#statuses).
    if (transfer.direction != "inbound") {
      return FintocErrorReply(Conflict("invalid_transfer_direction",
                                       "Only inbound transfers can be returned.", "transfer_id"));
    }
    if (transfer.status != "succeeded") {
      return FintocErrorReply(Conflict("invalid_transfer_status",
                                       "Only succeeded transfers can be returned.", "transfer_id"));
    }
    FintocAccount& account = accounts_.at(transfer.account_id);
    if (account.available_balance < transfer.amount) {
      return FintocErrorReply(
          Conflict("insufficient_balance", "The account balance is not enough for this return."));
    }
    account.available_balance -= transfer.amount;
    transfer.status = "return_pending";
    transfer.return_idempotency_key = request.Header("idempotency-key");
    transfer.updated_at = clock_->Now();
    ++returns_requested_;
    json = TransferJsonLocked(transfer);
  }
  ScheduleSettlement(transfer_id);
  return ServerReply::Json(200, ToJson(json));
}

ServerReply FintocSimulator::SimulateReceive(const ServerRequest& request,
                                             const std::vector<std::string>&) {
  ReceiveRequest receive;
  FintocError error;
  if (!ParseReceive(request.body, true, &receive, &error)) return FintocErrorReply(error);
  return ReceiveTransfer(receive);
}

ServerReply FintocSimulator::ReceiveTransfer(const ReceiveRequest& receive) {
  FintocTransfer transfer;
  boost::json::object json;
  {
    absl::MutexLock lock(&mu_);
    auto number = account_numbers_.find(receive.account_number_id);
    if (number == account_numbers_.end()) {
      return FintocErrorReply(MissingResource("No such account number.", "account_number_id"));
    }
    const FintocAccount& account = accounts_.at(number->second.account_id);
    if (!receive.currency.empty() && receive.currency != account.currency) {
      return FintocErrorReply(InvalidRequest(
          "currency_mismatch", "currency does not match the account's currency.", "currency"));
    }
    const SpeiBank* sender_bank = FindSpeiBankByClabePrefix("631");
    transfer.id = NewPrefixedId("tr_");
    transfer.account_id = account.id;
    transfer.account_number_id = number->second.id;
    transfer.amount = receive.amount;
    transfer.currency = account.currency;
    transfer.direction = "inbound";
    transfer.status = "pending";
    transfer.tracking_key = NewTrackingKeyLocked("90631");
    transfer.has_comment = true;
    transfer.comment = "Simulated transfer";
    transfer.counterparty.holder_id = "ND";
    transfer.counterparty.holder_name = "Simulated Sender";
    transfer.counterparty.account_number = kFintocSimulatedSenderClabe;
    transfer.counterparty.institution_id = sender_bank->banxico_code;
    transfer.counterparty.institution_name = sender_bank->name;
    transfer.created_at = transfer.updated_at = clock_->Now();
    transfers_[transfer.id] = transfer;
    transfer_order_.push_back(transfer.id);
    ++inbound_created_;
    json = TransferJsonLocked(transfer);
  }
  ScheduleSettlement(transfer.id);
  return ServerReply::Json(201, ToJson(json));
}

boost::json::array FintocSimulator::TransfersJson() const {
  boost::json::array rows;
  absl::MutexLock lock(&mu_);
  for (const std::string& id : transfer_order_) rows.push_back(TransferRow(transfers_.at(id)));
  return rows;
}

}  // namespace sandbox
