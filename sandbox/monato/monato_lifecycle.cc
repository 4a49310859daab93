// What happens after a transaction is created: settlement (INITIALIZED -> LIQUIDATED or
// REJECTED), internal credits, refunds completing, received money, and the STATUS_UPDATE and
// MONEY_IN webhooks each change produces (docs/providers/monato.md#internal-transfers, #webhooks).
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/ids.h"
#include "sandbox/common/json_util.h"
#include "sandbox/common/money.h"
#include "sandbox/common/spei_banks.h"
#include "sandbox/monato/monato_json.h"
#include "sandbox/monato/monato_simulator.h"
#include "sandbox/monato/monato_time.h"

namespace sandbox {

std::string MonatoSimulator::NewTrackingIdLocked() {
  // YYYYMMDD + FINCH + 10 alphanumerics, as observed (docs/providers/monato.md#money-out).
  return absl::StrCat(MonatoDate(clock_->Now()), "FINCH", RandomUpperAlphanumeric(10));
}

void MonatoSimulator::ScheduleSettlement(const std::string& transaction_id, bool internal) {
  if (config_.settle_after < absl::ZeroDuration()) return;  // manual settlement only
  // Book-to-book transfers settle "near-real-time"; SPEI ones after the configured delay.
  const absl::Duration delay = internal ? absl::ZeroDuration() : config_.settle_after;
  scheduler_.RunAfter(delay, [this, transaction_id] { SettlePending(transaction_id, ""); });
}

int MonatoSimulator::SettlePending(const std::string& transaction_id, const std::string& outcome) {
  std::vector<WebhookDelivery> outbox;
  int settled = 0;
  {
    absl::MutexLock lock(&mu_);
    std::vector<MonatoTransaction*> due;
    if (!transaction_id.empty()) {
      // One transaction (the scheduled settlement of each money_out): a lookup, not a scan of
      // every transaction under the lock, which made the sandbox slow down as runs grew.
      auto it = transactions_.find(transaction_id);
      if (it != transactions_.end() && it->second.status == "INITIALIZED") {
        due.push_back(&it->second);
      }
    } else {
      for (auto& [id, transaction] : transactions_) {
        if (transaction.status == "INITIALIZED") due.push_back(&transaction);
      }
    }
    // Oldest first, so webhooks go out in creation order.
    std::sort(due.begin(), due.end(), [](const MonatoTransaction* a, const MonatoTransaction* b) {
      return a->created_at < b->created_at;
    });
    for (MonatoTransaction* transaction : due) {
      if (SettleLocked(*transaction, outcome, &outbox)) ++settled;
    }
  }
  SendAll(std::move(outbox));
  return settled;
}

bool MonatoSimulator::SettleLocked(MonatoTransaction& transaction, const std::string& outcome,
                                   std::vector<WebhookDelivery>* outbox) {
  if (transaction.status != "INITIALIZED") return false;
  const bool reject = outcome.empty() ? transaction.destination_clabe == kMonatoRejectedClabe
                                      : outcome == "REJECTED";
  const absl::Time now = clock_->Now();
  transaction.updated_at = now;
  MonatoAccount& source = accounts_.at(transaction.account_id);
  if (reject) {
    transaction.status = "REJECTED";
    transaction.reason = "CANCELLED_ACCOUNT";
    transaction.reason_description = "Cuenta cancelada";
    source.balance_cents += transaction.amount_cents;  // the money comes back
    source.updated_at = now;
    if (!transaction.refund_of.empty()) {
      transactions_.at(transaction.refund_of).refund_transaction_id.clear();  // may retry
    }
  } else {
    transaction.status = "LIQUIDATED";
    if (!transaction.refund_of.empty()) {
      MonatoTransaction& original = transactions_.at(transaction.refund_of);
      original.status = "REFUNDED";
      original.updated_at = now;
    }
    if (!transaction.destination_account_id.empty()) {
      MonatoAccount& destination = accounts_.at(transaction.destination_account_id);
      destination.balance_cents += transaction.amount_cents;
      destination.updated_at = now;
      MonatoTransaction credit;
      credit.id = NewUuid();
      credit.client_id = destination.client_id;
      credit.bank_id = destination.bank_id;
      credit.account_id = destination.id;
      credit.external_reference = transaction.external_reference;
      credit.tracking_id = transaction.tracking_id;
      credit.description = transaction.description;
      credit.amount_cents = transaction.amount_cents;
      credit.category = "CREDIT_TRANS";
      credit.sub_category = "INT_CREDIT";
      credit.status = "LIQUIDATED";
      credit.received = true;
      credit.payer_name = source.holder_name;
      credit.payer_account = source.clabe;
      credit.payer_institution = "90734";
      credit.numeric_reference = transaction.external_reference;
      credit.created_at = credit.updated_at = now;
      transactions_[credit.id] = credit;
      // Internal credits notify only when the owner differs from the initiator
      // (docs/providers/monato.md#internal-transfers).
      if (destination.owner_id != source.owner_id) {
        QueueWebhooksLocked(credit.client_id, "MONEY_IN",
                            ToJson(MoneyInEvent(credit, destination, now)), outbox);
      }
    }
  }
  QueueWebhooksLocked(transaction.client_id, "STATUS_UPDATE",
                      ToJson(StatusUpdateEvent(transaction, now)), outbox);
  return true;
}

ServerReply MonatoSimulator::ReceiveMoney(const std::string& body) {
  const absl::optional<boost::json::object> request = ParseJsonObject(body);
  if (!request) return ServerReply::Json(400, R"({"error":"expected a JSON object"})");
  auto text = [&request](const char* key, const char* fallback) {
    const boost::json::string* value = JsonString(*request, key);
    return value == nullptr ? std::string(fallback) : std::string(*value);
  };
  const absl::optional<int64_t> amount = ParseTwoDecimalAmount(text("amount", ""));
  if (!amount || *amount <= 0) {
    return ServerReply::Json(400, R"({"error":"amount must be a string like \"5.00\", > 0"})");
  }
  const std::string payer_account = text("payer_account", "012180026050783858");
  if (!IsValidClabe(payer_account)) {
    return ServerReply::Json(400, R"({"error":"payer_account must be a valid CLABE"})");
  }
  const SpeiBank* payer_bank = FindSpeiBankByClabePrefix(payer_account.substr(0, 3));
  MonatoTransaction transaction;
  std::vector<WebhookDelivery> outbox;
  {
    absl::MutexLock lock(&mu_);
    auto account = accounts_.find(text("account_id", seed_.main_account_id.c_str()));
    if (account == accounts_.end())
      return ServerReply::Json(404, R"({"error":"unknown account_id"})");
    const absl::Time now = clock_->Now();
    account->second.balance_cents += *amount;
    account->second.updated_at = now;
    transaction.id = NewUuid();
    transaction.client_id = account->second.client_id;
    transaction.bank_id = account->second.bank_id;
    transaction.account_id = account->second.id;
    // The payer's bank assigns inbound tracking keys; any <= 30 alphanumerics.
    transaction.tracking_id = absl::StrCat(MonatoDate(now), RandomUpperAlphanumeric(16));
    transaction.description = text("payment_concept", "Sandbox deposit");
    transaction.amount_cents = *amount;
    transaction.category = "CREDIT_TRANS";
    transaction.sub_category = "SPEI_CREDIT";
    transaction.status = "LIQUIDATED";
    transaction.received = true;
    transaction.payer_name = text("payer_name", "PAGADOR DE PRUEBA");
    transaction.payer_account = payer_account;
    transaction.payer_rfc = text("payer_rfc", "");
    transaction.payer_institution =
        text("payer_institution", payer_bank == nullptr ? "" : payer_bank->banxico_code.c_str());
    transaction.numeric_reference = text("numeric_reference", "1234567");
    transaction.external_reference = transaction.numeric_reference;
    transaction.created_at = transaction.updated_at = now;
    transactions_[transaction.id] = transaction;
    ++received_created_;
    QueueWebhooksLocked(transaction.client_id, "MONEY_IN",
                        ToJson(MoneyInEvent(transaction, account->second, now)), &outbox);
  }
  SendAll(std::move(outbox));
  return ServerReply::Json(201, ToJson(TransactionJson(transaction)));
}

void MonatoSimulator::QueueWebhooksLocked(const std::string& client_id, const std::string& type,
                                          const std::string& body,
                                          std::vector<WebhookDelivery>* outbox) const {
  for (const MonatoWebhook& webhook : webhooks_) {
    if (webhook.client_id != client_id || webhook.webhook_type != type) continue;
    WebhookDelivery delivery;
    delivery.url = webhook.url;
    delivery.body = body;
    delivery.kind = absl::StrCat("monato ", type);
    // Webhooks are documented as bearerAuth: the token registered with them
    // (docs/providers/monato.md#webhooks).
    if (webhook.auth_type == "AUTH") {
      delivery.headers.emplace_back("Authorization", absl::StrCat("Bearer ", webhook.token));
    }
    outbox->push_back(std::move(delivery));
  }
}

void MonatoSimulator::SendAll(std::vector<WebhookDelivery> outbox) {
  for (WebhookDelivery& delivery : outbox) webhook_sender_.Send(std::move(delivery));
}

}  // namespace sandbox
