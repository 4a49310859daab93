#include "sandbox/monato/monato_json.h"

#include "sandbox/common/ids.h"
#include "sandbox/common/money.h"
#include "sandbox/monato/monato_time.h"

namespace sandbox {
namespace {

constexpr char kNone[] = "None";

boost::json::string NoneIfEmpty(const std::string& value) {
  return boost::json::string(value.empty() ? kNone : value);
}

boost::json::object Audit(absl::Time created, absl::Time updated) {
  return {{"createdAt", MonatoTimestamp(created)},
          {"updatedAt", MonatoTimestamp(updated)},
          {"deletedAt", kNone},
          {"blockedAt", kNone}};
}

boost::json::object Envelope(const char* name, absl::Time now, boost::json::object body) {
  return {{"id_msg", NewUuid()},
          {"msg_name", name},
          {"msg_date", IsoUtcSeconds(now)},
          {"body", std::move(body)}};
}

}  // namespace

boost::json::object BankJson(const MonatoBank& bank) {
  return {{"id", bank.id}, {"code", bank.code}, {"name", bank.name}};
}

boost::json::object AccountJson(const MonatoAccount& account) {
  boost::json::object audit = Audit(account.created_at, account.updated_at);
  audit["activatedAt"] = MonatoTimestamp(account.created_at);
  audit["suspendedAt"] = kNone;
  return {{"id", account.id},
          {"bankId", account.bank_id},
          {"clientId", account.client_id},
          {"clientBankAdapterId", account.client_bank_adapter_id},
          {"accountId", account.parent_account_id},
          {"instrumentId", account.instrument_id},
          {"ownerId", account.owner_id},
          {"ownerType", "CLIENT"},
          {"accountNumber", account.account_number},
          {"clabeNumber", account.clabe},
          {"availableBalance", FormatTwoDecimalAmount(account.balance_cents)},
          {"accountType", "PRIVATE_ACCOUNT"},
          {"accountStatus", account.status},
          {"audit", std::move(audit)},
          {"bankAdapter", "SIES"}};
}

boost::json::object InstrumentJson(const MonatoInstrument& instrument) {
  boost::json::object detail;
  if (instrument.kind == InstrumentKind::kDebitCard) {
    detail = {{"cardNumber", instrument.card_number},
              {"expirationDate", kNone},
              {"holderName", instrument.holder_name}};
  } else {
    detail = {{"clabeNumber", instrument.clabe},
              {"accountNumber", NoneIfEmpty(instrument.account_number)},
              {"holderName", instrument.holder_name}};
  }
  return {{"id", instrument.id},
          {"bankId", instrument.bank_id},
          {"clientId", instrument.client_id},
          {"ownerId", instrument.owner_id},
          {"alias", instrument.alias},
          {"type", instrument.type},
          {"instrumentDetail", std::move(detail)},
          {"audit", Audit(instrument.created_at, instrument.updated_at)},
          {"rfc", instrument.rfc},
          {"customerId", NoneIfEmpty(instrument.customer_id)}};
}

boost::json::object TransactionJson(const MonatoTransaction& transaction) {
  return {{"id", transaction.id},
          {"bankId", transaction.bank_id},
          {"clientId", transaction.client_id},
          {"externalReference", NoneIfEmpty(transaction.external_reference)},
          {"trackingId", transaction.tracking_id},
          {"description", transaction.description},
          {"amount", FormatTwoDecimalAmount(transaction.amount_cents)},
          {"currency", transaction.currency},
          {"category", transaction.category},
          {"subCategory", transaction.sub_category},
          {"transactionStatus", transaction.status},
          {"audit", Audit(transaction.created_at, transaction.updated_at)}};
}

boost::json::object WebhookJson(const MonatoWebhook& webhook) {
  return {{"id", webhook.id},
          {"clientId", webhook.client_id},
          {"url", webhook.url},
          {"token", webhook.token},
          {"webhookType", webhook.webhook_type},
          {"authType", webhook.auth_type},
          {"webhookStatus", "ACTIVE"},
          {"audit", Audit(webhook.created_at, webhook.created_at)}};
}

boost::json::object TokenJson(const MonatoToken& token, const std::string& credential_id) {
  return {{"id", token.id},
          {"client_id", token.client_id},
          {"client_credential_id", credential_id},
          {"token", token.token},
          {"status", "ACTIVE"},
          {"expires_at", MonatoNaiveTimestamp(token.expires_at)},
          {"created_at", MonatoTimestamp(token.created_at)},
          {"updated_at", MonatoTimestamp(token.created_at)},
          {"deleted_at", kNone}};
}

boost::json::object StatusUpdateEvent(const MonatoTransaction& transaction, absl::Time now) {
  boost::json::object body{{"id", transaction.id},
                           {"tracking_key", transaction.tracking_id},
                           {"message_type", "SPEI"},
                           {"reason", NoneIfEmpty(transaction.reason)},
                           {"reason_description", NoneIfEmpty(transaction.reason_description)},
                           {"status", transaction.status},
                           {"update_at", MonatoTimestamp(transaction.updated_at)}};
  return Envelope("STATUS_UPDATE", now, std::move(body));
}

boost::json::object MoneyInEvent(const MonatoTransaction& transaction,
                                 const MonatoAccount& beneficiary, absl::Time now) {
  boost::json::object body{{"id", transaction.id},
                           {"beneficiary_account", beneficiary.clabe},
                           {"beneficiary_name", beneficiary.holder_name},
                           {"beneficiary_rfc", kNone},
                           {"payer_account", transaction.payer_account},
                           {"payer_name", transaction.payer_name},
                           {"payer_rfc", NoneIfEmpty(transaction.payer_rfc)},
                           {"payer_institution", transaction.payer_institution},
                           {"amount", FormatTwoDecimalAmount(transaction.amount_cents)},
                           {"transaction_date", MonatoSecondsTimestamp(transaction.created_at)},
                           {"tracking_key", transaction.tracking_id},
                           {"payment_concept", transaction.description},
                           {"numeric_reference", transaction.numeric_reference},
                           {"sub_category", transaction.sub_category}};
  return Envelope("MONEY_IN", now, std::move(body));
}

}  // namespace sandbox
