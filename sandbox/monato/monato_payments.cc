// Money out (with Monato's Idempotency-Key rules, docs/providers/monato.md#idempotency),
// transaction reads and refunds of received transactions (docs/providers/monato.md#refunds).
#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/json_util.h"
#include "sandbox/monato/monato_json.h"
#include "sandbox/monato/monato_requests.h"
#include "sandbox/monato/monato_simulator.h"

namespace sandbox {

absl::optional<ServerReply> MonatoSimulator::MoneyOut(Call& call) {
  // UUIDs compare case-insensitively: the ledger and the transaction keep the lower case.
  const std::string key = absl::AsciiStrToLower(call.request->Header("idempotency-key"));
  const std::string fingerprint = BodyFingerprint("money_out", call.request->body);
  // Every send is counted, whatever the answer (send_ledger.h).
  const SendTicket ticket = sends_.Arrive();
  auto answer = [this, &key, &fingerprint, &ticket, &call](ServerReply reply, bool replayed) {
    sends_.Record("money_out", key, fingerprint, reply, replayed, ticket);
    return Answer(ticket, call.responder, std::move(reply));
  };
  std::string scoped_key;
  if (!key.empty()) {
    if (!IsUuid(key)) {
      return answer(MonatoErrorReply(DataError("INVALID_IDEMPOTENCY_KEY",
                                               "Idempotency-Key must be a valid UUID.")),
                    false);
    }
    // Keys live in the client's namespace.
    scoped_key = absl::StrCat(call.client_id, "/", key);
    const IdempotencyStore::Claim claim = idempotency_.Begin(scoped_key, fingerprint);
    switch (claim.outcome) {
      case IdempotencyStore::Outcome::kReplay:
        return answer(claim.reply, true);
      case IdempotencyStore::Outcome::kMismatch:
        return answer(MonatoErrorReply(IdempotencyMismatchError()), false);
      case IdempotencyStore::Outcome::kInProgress:
        return answer(MonatoErrorReply(OperationInProgressError()), false);
      case IdempotencyStore::Outcome::kProceed:
        break;
    }
  }
  // Validation and the debit happen after the processing delay, as on a slow backend; the
  // first reply, success or error, is what the key keeps.
  auto finish = [this, client_id = call.client_id, body = call.request->body, scoped_key, key,
                 fingerprint, ticket, responder = call.responder] {
    ServerReply reply = CreateMoneyOut(client_id, body, key);
    if (!scoped_key.empty()) idempotency_.Complete(scoped_key, reply);
    sends_.Record("money_out", key, fingerprint, reply, false, ticket);
    absl::optional<ServerReply> answer = Answer(ticket, responder, std::move(reply));
    if (answer) responder.Send(*std::move(answer));
  };
  if (config_.money_out_processing > absl::ZeroDuration()) {
    scheduler_.RunAfter(config_.money_out_processing, std::move(finish));
  } else {
    finish();
  }
  return absl::nullopt;
}

ServerReply MonatoSimulator::CreateMoneyOut(const std::string& client_id, const std::string& body,
                                            const std::string& idempotency_key) {
  MoneyOutRequest request;
  MonatoError error;
  if (!ParseMoneyOut(body, &request, &error)) return MonatoErrorReply(error);
  if (request.client_id != client_id) {
    return MonatoErrorReply(PermissionError("client_id is not the token's client."));
  }
  MonatoTransaction transaction;
  {
    absl::MutexLock lock(&mu_);
    auto source = instruments_.find(request.source_instrument_id);
    if (source == instruments_.end() || source->second.client_id != client_id) {
      return MonatoErrorReply(
          MissingResourceError("INSTRUMENT_NOT_FOUND", "Source instrument not found."));
    }
    auto destination = instruments_.find(request.destination_instrument_id);
    if (destination == instruments_.end() || destination->second.client_id != client_id) {
      return MonatoErrorReply(
          MissingResourceError("INSTRUMENT_NOT_FOUND", "Destination instrument not found."));
    }
    if (source->second.kind != InstrumentKind::kAccount) {
      return MonatoErrorReply(PreconditionError("INVALID_SOURCE_INSTRUMENT",
                                                "Source instrument is not an account with funds."));
    }
    MonatoAccount& account = accounts_.at(source->second.account_id);
    if (account.status != "ACTIVE") {
      return MonatoErrorReply(
          PreconditionError("ACCOUNT_NOT_ACTIVE", "Source account is not active."));
    }
    // Since 2026-05-07 a destination that is a Finco Pay account settles book-to-book.
    std::string internal_account_id;
    if (destination->second.kind == InstrumentKind::kAccount) {
      internal_account_id = destination->second.account_id;
    } else if (destination->second.kind == InstrumentKind::kClabe) {
      for (const auto& [id, candidate] : accounts_) {
        if (candidate.clabe == destination->second.clabe) internal_account_id = id;
      }
    }
    if (internal_account_id == account.id) {
      return MonatoErrorReply(
          PreconditionError("SAME_ACCOUNT", "Source and destination are the same account."));
    }
    if (account.balance_cents < request.amount_cents) {
      return MonatoErrorReply(
          PreconditionError("INSUFFICIENT_FUNDS", "Insufficient funds in the source account."));
    }
    account.balance_cents -= request.amount_cents;
    account.updated_at = clock_->Now();

    transaction.id = NewUuid();
    transaction.client_id = client_id;
    transaction.bank_id = account.bank_id;
    transaction.account_id = account.id;
    transaction.external_reference = request.external_reference;
    transaction.tracking_id = NewTrackingIdLocked();
    transaction.description = request.description;
    transaction.amount_cents = request.amount_cents;
    transaction.currency = request.currency;
    transaction.category = "DEBIT_TRANS";
    transaction.sub_category = internal_account_id.empty() ? "SPEI_DEBIT" : "INT_DEBIT";
    transaction.status = "INITIALIZED";
    transaction.source_instrument_id = request.source_instrument_id;
    transaction.destination_instrument_id = request.destination_instrument_id;
    transaction.destination_clabe = destination->second.clabe;
    transaction.destination_account_id = internal_account_id;
    transaction.idempotency_key = idempotency_key;
    transaction.created_at = transaction.updated_at = account.updated_at;
    transactions_[transaction.id] = transaction;
    ++money_outs_created_;
  }
  ScheduleSettlement(transaction.id, !transaction.destination_account_id.empty());
  return ServerReply::Json(201, ToJson(TransactionJson(transaction)));
}

absl::optional<ServerReply> MonatoSimulator::GetTransaction(Call& call) {
  absl::MutexLock lock(&mu_);
  auto it = transactions_.find(call.params[1]);
  if (it == transactions_.end() || it->second.client_id != call.client_id) {
    return MonatoErrorReply(NotFoundError("TRANSACTION_NOT_FOUND", "Transaction not found."));
  }
  return ServerReply::Json(200, ToJson(TransactionJson(it->second)));
}

absl::optional<ServerReply> MonatoSimulator::Refund(Call& call) {
  // The key is recorded, not enforced: Monato does not say it honours it here
  // (docs/providers/monato.md#idempotency).
  const std::string key = absl::AsciiStrToLower(call.request->Header("idempotency-key"));
  const SendTicket ticket = sends_.Arrive();
  ServerReply reply = CreateRefund(call, key);
  sends_.Record("refund", key, BodyFingerprint(call.request->path, call.request->body), reply,
                false, ticket);
  return Answer(ticket, call.responder, std::move(reply));
}

absl::optional<ServerReply> MonatoSimulator::Answer(const SendTicket& ticket,
                                                    const Responder& responder, ServerReply reply) {
  if (!ticket.lose_reply) return reply;
  // Processed, but the caller never hears of it: the connection closes without a reply.
  scheduler_.RunAfter(absl::Milliseconds(ticket.lose_reply_after_ms),
                      [responder] { responder.Drop(); });
  return absl::nullopt;
}

ServerReply MonatoSimulator::CreateRefund(Call& call, const std::string& idempotency_key) {
  RefundRequest request;
  MonatoError error;
  if (!ParseRefund(call.request->body, &request, &error)) return MonatoErrorReply(error);
  MonatoTransaction refund;
  {
    absl::MutexLock lock(&mu_);
    auto it = transactions_.find(call.params[1]);
    if (it == transactions_.end() || it->second.client_id != call.client_id) {
      return MonatoErrorReply(NotFoundError("TRANSACTION_NOT_FOUND", "Transaction not found."));
    }
    MonatoTransaction& original = it->second;
    if (!original.received) {
      return MonatoErrorReply(
          PreconditionError("NOT_REFUNDABLE", "Only received transactions can be refunded."));
    }
    if (!original.refund_transaction_id.empty()) {
      return MonatoErrorReply(
          PreconditionError("ALREADY_REFUNDED", "The transaction was already refunded."));
    }
    // Full refunds only (docs/providers/monato.md#refunds).
    if (request.amount_cents != original.amount_cents) {
      return MonatoErrorReply(DataError("INVALID_REFUND_AMOUNT",
                                        "Refund amount must be equal to the transaction amount."));
    }
    MonatoAccount& account = accounts_.at(original.account_id);
    if (account.balance_cents < request.amount_cents) {
      return MonatoErrorReply(
          PreconditionError("INSUFFICIENT_FUNDS", "Insufficient funds in the account."));
    }
    account.balance_cents -= request.amount_cents;
    account.updated_at = clock_->Now();

    refund.id = NewUuid();
    refund.client_id = original.client_id;
    refund.bank_id = account.bank_id;
    refund.account_id = account.id;
    refund.tracking_id = NewTrackingIdLocked();
    refund.description = request.description;
    refund.amount_cents = request.amount_cents;
    refund.category = "DEBIT_TRANS";
    refund.sub_category = "SPEI_DEBIT";
    refund.status = "INITIALIZED";
    refund.destination_clabe = original.payer_account;
    refund.refund_of = original.id;
    refund.idempotency_key = idempotency_key;
    refund.created_at = refund.updated_at = account.updated_at;
    original.refund_transaction_id = refund.id;
    transactions_[refund.id] = refund;
    ++refunds_created_;
  }
  ScheduleSettlement(refund.id, false);
  return ServerReply::Json(201, ToJson(TransactionJson(refund)));
}

boost::json::array MonatoSimulator::TransfersJson() const {
  absl::MutexLock lock(&mu_);
  // Oldest first (then by id), so that pages read while transfers are made stay consistent.
  std::vector<const MonatoTransaction*> made;
  for (const auto& [id, transaction] : transactions_) {
    if (!transaction.received) made.push_back(&transaction);  // money in is no transfer
  }
  std::sort(made.begin(), made.end(), [](const MonatoTransaction* a, const MonatoTransaction* b) {
    return std::tie(a->created_at, a->id) < std::tie(b->created_at, b->id);
  });
  boost::json::array rows;
  for (const MonatoTransaction* transaction : made) rows.push_back(TransactionRow(*transaction));
  return rows;
}

}  // namespace sandbox
