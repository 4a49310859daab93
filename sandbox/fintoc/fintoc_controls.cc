// Records that disagree with the gateway's, for reconciliation tests
// (sandbox/common/transfer_controls.h): orphan, dropped, altered and duplicated transfers. No
// webhook is sent and no balance moves: the point is a provider record the gateway was never
// told about.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/spei_banks.h"
#include "sandbox/fintoc/fintoc_simulator.h"

namespace sandbox {
namespace {

// The transfer statuses Fintoc's list reference names (docs/providers/fintoc.md).
bool IsFintocStatus(const std::string& status) {
  for (const char* known : {"pending", "succeeded", "rejected", "failed", "returned",
                            "return_pending", "reject_failed"}) {
    if (status == known) return true;
  }
  return false;
}

// Sets the destination from a CLABE; false when its bank prefix is no SPEI participant.
bool SetCounterparty(const std::string& clabe, FintocCounterparty* counterparty) {
  const SpeiBank* bank = FindSpeiBankByClabePrefix(clabe.substr(0, 3));
  if (bank == nullptr) return false;
  counterparty->account_number = clabe;
  counterparty->account_type = "clabe";
  counterparty->institution_id = bank->banxico_code;
  counterparty->institution_name = bank->name;
  return true;
}

}  // namespace

boost::json::object FintocSimulator::TransferRow(const FintocTransfer& transfer) {
  return boost::json::object{
      {"id", transfer.id},
      {"direction", transfer.direction},
      {"idempotency_key", transfer.idempotency_key},
      {"return_idempotency_key", transfer.return_idempotency_key},
      {"amount", transfer.amount},
      {"counterparty_clabe", transfer.counterparty.account_number},
      {"reference", transfer.has_reference_id ? transfer.reference_id : ""},
      {"tracking_key", transfer.tracking_key},
      {"status", transfer.status},
  };
}

ControlOutcome FintocSimulator::CreateOrphan(const OrphanOrder& order) {
  const std::string status = order.status.empty() ? "succeeded" : order.status;
  if (!IsFintocStatus(status)) return ControlOutcome::Error(400, "not a Fintoc transfer status");
  if (order.reference[0] == '0') {
    return ControlOutcome::Error(400, "a Fintoc reference_id has no leading zero");
  }
  FintocTransfer transfer;
  if (!SetCounterparty(order.counterparty_clabe, &transfer.counterparty)) {
    return ControlOutcome::Error(400, "counterparty_clabe's bank is no SPEI participant");
  }
  absl::MutexLock lock(&mu_);
  auto account = accounts_.find(order.account_id.empty() ? config_.account_id : order.account_id);
  if (account == accounts_.end()) return ControlOutcome::Error(404, "no such Fintoc account");
  transfer.id = NewPrefixedId("tr_");
  transfer.account_id = account->second.id;
  transfer.account_number_id = account->second.root_account_number_id;
  transfer.amount = order.amount;
  transfer.currency = account->second.currency;
  transfer.direction = "outbound";
  transfer.status = status;
  transfer.posted = status == "succeeded";
  transfer.has_comment = !order.description.empty();
  transfer.comment = order.description;
  transfer.has_reference_id = true;
  transfer.reference_id = order.reference;
  transfer.tracking_key = NewTrackingKeyLocked("90735");
  transfer.created_at = transfer.updated_at = clock_->Now();
  transfers_[transfer.id] = transfer;
  transfer_order_.push_back(transfer.id);
  ControlOutcome outcome;
  outcome.row = TransferRow(transfer);
  return outcome;
}

ControlOutcome FintocSimulator::DropTransfer(const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = transfers_.find(id);
  if (it == transfers_.end()) return ControlOutcome::Error(404, "no such Fintoc transfer");
  ControlOutcome outcome;
  outcome.row = TransferRow(it->second);
  transfers_.erase(it);
  transfer_order_.erase(std::remove(transfer_order_.begin(), transfer_order_.end(), id),
                        transfer_order_.end());
  return outcome;
}

ControlOutcome FintocSimulator::AlterTransfer(const std::string& id, const TransferEdit& edit) {
  if (edit.status && !IsFintocStatus(*edit.status)) {
    return ControlOutcome::Error(400, "not a Fintoc transfer status");
  }
  if (edit.reference && (*edit.reference)[0] == '0') {
    return ControlOutcome::Error(400, "a Fintoc reference_id has no leading zero");
  }
  FintocCounterparty counterparty;
  if (edit.counterparty_clabe && !SetCounterparty(*edit.counterparty_clabe, &counterparty)) {
    return ControlOutcome::Error(400, "counterparty_clabe's bank is no SPEI participant");
  }
  absl::MutexLock lock(&mu_);
  auto it = transfers_.find(id);
  if (it == transfers_.end()) return ControlOutcome::Error(404, "no such Fintoc transfer");
  FintocTransfer& transfer = it->second;
  if (edit.amount) transfer.amount = *edit.amount;
  if (edit.counterparty_clabe) transfer.counterparty = counterparty;
  if (edit.reference) {
    transfer.has_reference_id = true;
    transfer.reference_id = *edit.reference;
  }
  if (edit.status) {
    transfer.status = *edit.status;
    transfer.posted = transfer.status == "succeeded" || transfer.status == "returned";
  }
  transfer.updated_at = clock_->Now();
  ControlOutcome outcome;
  outcome.row = TransferRow(transfer);
  return outcome;
}

ControlOutcome FintocSimulator::DuplicateTransfer(const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = transfers_.find(id);
  if (it == transfers_.end()) return ControlOutcome::Error(404, "no such Fintoc transfer");
  FintocTransfer copy = it->second;  // same fields and tracking key: money sent twice
  copy.id = NewPrefixedId("tr_");
  copy.created_at = copy.updated_at = clock_->Now();
  transfers_[copy.id] = copy;
  transfer_order_.push_back(copy.id);
  ControlOutcome outcome;
  outcome.row = TransferRow(copy);
  return outcome;
}

TransferControls FintocSimulator::Controls() {
  TransferControls controls;
  controls.orphan = [this](const OrphanOrder& order) { return CreateOrphan(order); };
  controls.drop = [this](const std::string& id) { return DropTransfer(id); };
  controls.alter = [this](const std::string& id, const TransferEdit& edit) {
    return AlterTransfer(id, edit);
  };
  controls.duplicate = [this](const std::string& id) { return DuplicateTransfer(id); };
  return controls;
}

}  // namespace sandbox
