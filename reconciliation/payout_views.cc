#include "reconciliation/payout_views.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "vocabulary/proto_time.h"

namespace reconciliation {
namespace {

const std::string& AccountNumber(const payments::v1::Counterparty& counterparty) {
  return counterparty.has_debit_card() ? counterparty.debit_card() : counterparty.clabe();
}

// 0 is "no reference" in the API (the field is a uint32).
std::string Reference(uint32_t reference) {
  return reference == 0 ? std::string() : absl::StrCat(reference);
}

absl::Time TimeOrPast(bool present, const google::protobuf::Timestamp& timestamp) {
  return present ? gateway::TimeOf(timestamp) : absl::InfinitePast();
}

}  // namespace

GatewayRecord GatewayRecordOf(const payments::v1::Payout& payout) {
  GatewayRecord record;
  record.payout_id = payout.id();
  record.provider = payout.provider();
  record.provider_payout_id = payout.provider_payout_id();
  record.tracking_key = payout.tracking_key();
  record.amount_minor = payout.amount().amount_minor();
  record.currency = absl::AsciiStrToUpper(payout.amount().currency());
  record.counterparty_clabe = AccountNumber(payout.counterparty());
  record.numeric_reference = Reference(payout.numeric_reference());
  record.status = payout.status();
  record.create_time = TimeOrPast(payout.has_create_time(), payout.create_time());
  record.status_time = TimeOrPast(payout.has_update_time(), payout.update_time());
  return record;
}

ProviderTransfer ProviderTransferOf(const payments::v1::Payout& payout) {
  ProviderTransfer transfer;
  transfer.provider_transfer_id = payout.provider_payout_id();
  transfer.tracking_key = payout.tracking_key();
  transfer.amount_minor = payout.amount().amount_minor();
  transfer.currency = absl::AsciiStrToUpper(payout.amount().currency());
  transfer.counterparty_clabe = AccountNumber(payout.counterparty());
  transfer.numeric_reference = Reference(payout.numeric_reference());
  transfer.status = payout.status();
  transfer.create_time = TimeOrPast(payout.has_create_time(), payout.create_time());
  return transfer;
}

}  // namespace reconciliation
