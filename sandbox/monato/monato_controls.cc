// Records that disagree with the gateway's, for reconciliation tests
// (sandbox/common/transfer_controls.h): orphan, dropped, altered and duplicated money_outs. No
// STATUS_UPDATE is sent and no balance moves. Monato's transaction JSON names no destination
// account, so a changed counterparty CLABE shows only in GET /_sandbox/transfers
// (docs/providers/monato.md): the gateway cannot see it, as with the real Monato.
#include <utility>

#include "absl/strings/str_cat.h"
#include "sandbox/common/ids.h"
#include "sandbox/monato/monato_simulator.h"

namespace sandbox {
namespace {

// The transaction statuses Monato documents (docs/providers/monato.md#money-out).
bool IsMonatoStatus(const std::string& status) {
  return status == "INITIALIZED" || status == "LIQUIDATED" || status == "REJECTED" ||
         status == "REFUNDED";
}

}  // namespace

boost::json::object MonatoSimulator::TransactionRow(const MonatoTransaction& transaction) {
  return boost::json::object{
      {"id", transaction.id},
      {"operation", transaction.refund_of.empty() ? "money_out" : "refund"},
      {"idempotency_key", transaction.idempotency_key},
      {"amount", transaction.amount_cents},
      {"counterparty_clabe", transaction.destination_clabe},
      {"reference", transaction.external_reference},
      {"tracking_id", transaction.tracking_id},
      {"status", transaction.status},
      {"refund_of", transaction.refund_of},
  };
}

ControlOutcome MonatoSimulator::CreateOrphan(const OrphanOrder& order) {
  const std::string status = order.status.empty() ? "LIQUIDATED" : order.status;
  if (!IsMonatoStatus(status)) return ControlOutcome::Error(400, "not a Monato transaction status");
  absl::MutexLock lock(&mu_);
  auto account =
      accounts_.find(order.account_id.empty() ? seed_.main_account_id : order.account_id);
  if (account == accounts_.end()) return ControlOutcome::Error(404, "no such Monato account");
  MonatoTransaction transaction;
  transaction.id = NewUuid();
  transaction.client_id = account->second.client_id;
  transaction.bank_id = account->second.bank_id;
  transaction.account_id = account->second.id;
  transaction.external_reference = order.reference;
  transaction.tracking_id = NewTrackingIdLocked();
  transaction.description = order.description;
  transaction.amount_cents = order.amount;
  transaction.category = "DEBIT_TRANS";
  transaction.sub_category = "SPEI_DEBIT";
  transaction.status = status;
  transaction.source_instrument_id = account->second.instrument_id;
  transaction.destination_clabe = order.counterparty_clabe;
  transaction.created_at = transaction.updated_at = clock_->Now();
  transactions_[transaction.id] = transaction;
  ControlOutcome outcome;
  outcome.row = TransactionRow(transaction);
  return outcome;
}

ControlOutcome MonatoSimulator::DropTransaction(const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = transactions_.find(id);
  if (it == transactions_.end()) return ControlOutcome::Error(404, "no such Monato transaction");
  ControlOutcome outcome;
  outcome.row = TransactionRow(it->second);
  transactions_.erase(it);
  return outcome;
}

ControlOutcome MonatoSimulator::AlterTransaction(const std::string& id, const TransferEdit& edit) {
  if (edit.status && !IsMonatoStatus(*edit.status)) {
    return ControlOutcome::Error(400, "not a Monato transaction status");
  }
  absl::MutexLock lock(&mu_);
  auto it = transactions_.find(id);
  if (it == transactions_.end()) return ControlOutcome::Error(404, "no such Monato transaction");
  MonatoTransaction& transaction = it->second;
  if (edit.amount) transaction.amount_cents = *edit.amount;
  if (edit.counterparty_clabe) transaction.destination_clabe = *edit.counterparty_clabe;
  if (edit.reference) transaction.external_reference = *edit.reference;
  if (edit.status) {
    transaction.status = *edit.status;
    if (transaction.status != "REJECTED") transaction.reason.clear();
  }
  transaction.updated_at = clock_->Now();
  ControlOutcome outcome;
  outcome.row = TransactionRow(transaction);
  return outcome;
}

ControlOutcome MonatoSimulator::DuplicateTransaction(const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = transactions_.find(id);
  if (it == transactions_.end()) return ControlOutcome::Error(404, "no such Monato transaction");
  MonatoTransaction copy = it->second;  // same fields and tracking id: money sent twice
  copy.id = NewUuid();
  copy.created_at = copy.updated_at = clock_->Now();
  transactions_[copy.id] = copy;
  ControlOutcome outcome;
  outcome.row = TransactionRow(copy);
  return outcome;
}

TransferControls MonatoSimulator::Controls() {
  TransferControls controls;
  controls.orphan = [this](const OrphanOrder& order) { return CreateOrphan(order); };
  controls.drop = [this](const std::string& id) { return DropTransaction(id); };
  controls.alter = [this](const std::string& id, const TransferEdit& edit) {
    return AlterTransaction(id, edit);
  };
  controls.duplicate = [this](const std::string& id) { return DuplicateTransaction(id); };
  return controls;
}

}  // namespace sandbox
