#include "sandbox/fintoc/fintoc_json.h"

#include "sandbox/common/ids.h"

namespace sandbox {
namespace {

boost::json::value NullIfEmpty(const std::string& value) {
  if (value.empty()) return nullptr;
  return boost::json::string(value);
}

}  // namespace

std::string FintocTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

boost::json::object AccountJson(const FintocAccount& account) {
  return {{"id", account.id},
          {"object", "account"},
          {"mode", "test"},
          {"root_account_number", account.root_account_number},
          {"is_root", account.is_root},
          {"root_account_number_id", account.root_account_number_id},
          {"available_balance", account.available_balance},
          {"currency", account.currency},
          {"entity",
           {{"id", account.entity.id},
            {"holder_name", account.entity.holder_name},
            {"holder_id", account.entity.holder_id},
            {"is_root", account.entity.is_root}}},
          {"description", account.description},
          {"status", "active"}};
}

boost::json::object AccountNumberJson(const FintocAccountNumber& account_number) {
  return {{"id", account_number.id},
          {"object", "account_number"},
          {"account_id", account_number.account_id},
          {"number", account_number.number},
          {"description", account_number.description},
          {"metadata", account_number.metadata},
          {"mode", "test"},
          {"status", "enabled"},
          {"is_root", account_number.is_root},
          {"created_at", FintocTimestamp(account_number.created_at)}};
}

boost::json::object TransferJson(const FintocTransfer& transfer,
                                 const FintocAccountNumber& account_number) {
  const FintocCounterparty& counterparty = transfer.counterparty;
  boost::json::object institution{{"id", NullIfEmpty(counterparty.institution_id)},
                                  {"name", NullIfEmpty(counterparty.institution_name)},
                                  {"country", "mx"}};
  boost::json::value post_date = nullptr, receipt_url = nullptr;
  if (transfer.posted) {
    post_date = absl::FormatTime("%Y-%m-%dT00:00:00Z", transfer.updated_at, absl::UTCTimeZone());
    receipt_url =
        "https://www.banxico.org.mx/cep-beta/go?i=90735&s=sandbox&d=" + transfer.tracking_key;
  }
  return {{"object", "transfer"},
          {"id", transfer.id},
          {"amount", transfer.amount},
          {"currency", transfer.currency},
          {"direction", transfer.direction},
          {"status", transfer.status},
          {"transaction_date", FintocTimestamp(transfer.created_at)},
          {"post_date", post_date},
          {"comment", transfer.has_comment ? boost::json::value(transfer.comment) : nullptr},
          {"reference_id",
           transfer.has_reference_id ? boost::json::value(transfer.reference_id) : nullptr},
          {"tracking_key", transfer.tracking_key},
          {"receipt_url", receipt_url},
          {"mode", "test"},
          {"counterparty",
           {{"holder_id", NullIfEmpty(counterparty.holder_id)},
            {"holder_name", NullIfEmpty(counterparty.holder_name)},
            {"account_number", counterparty.account_number},
            {"account_type", counterparty.account_type},
            {"institution", std::move(institution)}}},
          {"account_number", AccountNumberJson(account_number)},
          {"metadata", transfer.metadata},
          {"return_reason", NullIfEmpty(transfer.return_reason)}};
}

boost::json::object EventJson(const std::string& type, boost::json::object data, absl::Time now) {
  return {{"id", NewPrefixedId("evt_")},
          {"type", type},
          {"mode", "test"},
          {"created_at", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", now, absl::UTCTimeZone())},
          {"data", std::move(data)},
          {"object", "event"}};
}

}  // namespace sandbox
