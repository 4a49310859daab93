#include "gateway/validation/request_validation.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gateway/validation/clabe.h"
#include "gateway/validation/spei_text.h"
#include "vocabulary/error_details.h"
#include "vocabulary/money.h"

namespace gateway {
namespace {

using payments::v1::Counterparty;

void CheckIdempotencyKey(const std::string& key, FieldViolations& violations) {
  if (key.empty()) {
    violations.Add("idempotency_key", "is required: reuse one key on every retry of a call");
    return;
  }
  if (key.size() > kMaxIdempotencyKeyLength) {
    violations.Add("idempotency_key",
                   absl::StrCat("is longer than ", kMaxIdempotencyKeyLength, " characters"));
  }
  for (unsigned char c : key) {
    if (c < 0x20 || c > 0x7e) {
      violations.Add("idempotency_key", "must be printable ASCII");
      return;
    }
  }
}

// Folds `value` into SPEI text of 1..max_length characters; returns the folded text.
std::string CheckSpeiText(absl::string_view field, const std::string& value, size_t max_length,
                          absl::string_view extra_allowed, bool required,
                          FieldViolations& violations) {
  if (value.empty()) {
    if (required) violations.Add(field, "is required");
    return "";
  }
  auto folded = FoldSpeiText(value, extra_allowed);
  if (!folded.ok()) {
    violations.Add(
        field, absl::StrCat(folded.status().message(), " (allowed: letters, digits, ",
                            extra_allowed.empty() ? "spaces" : "spaces and ", extra_allowed, ")"));
    return "";
  }
  if (folded->size() > max_length) {
    violations.Add(field, absl::StrCat("is ", folded->size(), " characters; at most ", max_length));
  }
  if (folded->find_first_not_of(' ') == std::string::npos) {
    violations.Add(field, "must not be blank");
  }
  return *std::move(folded);
}

void CheckMoney(absl::string_view field, bool present, const payments::v1::Money& money,
                const providers::Capabilities* capabilities, FieldViolations& violations) {
  if (!present) {
    violations.Add(field, "is required");
    return;
  }
  const std::string currency_field = absl::StrCat(field, ".currency");
  if (money.currency().empty()) {
    violations.Add(currency_field, "is required (ISO 4217, e.g. \"MXN\")");
  } else if (!CurrencyExponent(money.currency()).ok()) {
    violations.Add(currency_field, "is not a currency the gateway handles (ISO 4217, upper case)");
  } else if (capabilities != nullptr &&
             std::find(capabilities->currencies.begin(), capabilities->currencies.end(),
                       money.currency()) == capabilities->currencies.end()) {
    violations.Add(currency_field, "is not supported by the provider");
  }
  const std::string amount_field = absl::StrCat(field, ".amount_minor");
  if (money.amount_minor() <= 0) {
    violations.Add(amount_field, "must be at least 1 (minor units: 1 = 0.01 MXN)");
  } else if (capabilities != nullptr && money.amount_minor() > capabilities->max_payout_minor) {
    violations.Add(amount_field, absl::StrCat("exceeds the provider's limit of ",
                                              capabilities->max_payout_minor, " minor units"));
  }
}

void CheckMetadata(const google::protobuf::Map<std::string, std::string>& metadata,
                   FieldViolations& violations) {
  if (metadata.size() > kMaxMetadataEntries) {
    violations.Add("metadata", absl::StrCat("has ", metadata.size(), " entries; at most ",
                                            kMaxMetadataEntries));
  }
  for (const auto& [key, value] : metadata) {
    const std::string field = absl::StrCat("metadata[", key.substr(0, kMaxMetadataKeyLength), "]");
    bool key_ok = !key.empty() && key.size() <= kMaxMetadataKeyLength;
    for (unsigned char c : key) {
      if (!absl::ascii_isalnum(c) && c != '_' && c != '.' && c != '-') key_ok = false;
    }
    if (!key_ok) violations.Add(field, "key must be 1-40 characters of [A-Za-z0-9_.-]");
    if (value.size() > kMaxMetadataValueLength) {
      violations.Add(field,
                     absl::StrCat("value is longer than ", kMaxMetadataValueLength, " characters"));
    }
  }
}

// Checks and normalizes a counterparty in place.
void CheckCounterparty(bool present, Counterparty& counterparty, const BankCatalog& banks,
                       const providers::Capabilities* capabilities, FieldViolations& violations) {
  if (!present) {
    violations.Add("counterparty", "is required");
    return;
  }
  const std::string& institution = counterparty.institution_code();
  const BankInfo* institution_bank = nullptr;
  if (!institution.empty()) {
    institution_bank = banks.FindByBanxicoCode(institution);
    if (institution_bank == nullptr) {
      violations.Add("counterparty.institution_code",
                     "is not a known 5-digit Banxico participant code");
    }
  }
  switch (counterparty.destination_case()) {
    case Counterparty::kClabe: {
      ClabeCheck check = CheckClabe(counterparty.clabe(), banks);
      if (!check.valid) {
        violations.Add("counterparty.clabe", check.reason);
      } else if (institution_bank != nullptr && institution_bank != check.bank) {
        violations.Add(
            "counterparty.institution_code",
            absl::StrCat("does not match the CLABE's bank (", check.bank->banxico_code, ")"));
      } else {
        counterparty.set_institution_code(check.bank->banxico_code);
      }
      break;
    }
    case Counterparty::kDebitCard:
      if (!IsValidDebitCard(counterparty.debit_card())) {
        violations.Add("counterparty.debit_card", "must be 15 or 16 digits passing the Luhn check");
      }
      if (institution.empty()) {
        violations.Add("counterparty.institution_code", "is required for a debit card");
      }
      if (capabilities != nullptr && !capabilities->debit_card_payouts) {
        violations.Add("counterparty.debit_card", "the provider does not pay to debit cards");
      }
      break;
    case Counterparty::DESTINATION_NOT_SET:
      violations.Add("counterparty", "needs a clabe or a debit_card");
      break;
  }
  counterparty.set_holder_name(CheckSpeiText("counterparty.holder_name", counterparty.holder_name(),
                                             kMaxHolderNameLength, ".,-", /*required=*/true,
                                             violations));
  std::string rfc = absl::AsciiStrToUpper(counterparty.rfc());
  if (rfc.empty()) rfc = "ND";
  if (!IsValidRfc(rfc)) {
    violations.Add("counterparty.rfc",
                   "must be 12 or 13 characters (3-4 letters, YYMMDD, 3 characters) or \"ND\"");
  }
  counterparty.set_rfc(rfc);
}

void CheckProviderEnum(absl::string_view field, int value, bool required,
                       FieldViolations& violations) {
  if (!payments::v1::Provider_IsValid(value)) {
    violations.Add(field, "is not a Provider value");
  } else if (required && value == payments::v1::PROVIDER_UNSPECIFIED) {
    violations.Add(field, "is required (a PROVIDER_* value other than PROVIDER_UNSPECIFIED)");
  }
}

}  // namespace

absl::StatusOr<ResourceId> ValidateId(absl::string_view field, absl::string_view value,
                                      absl::string_view kind) {
  auto id = ResourceId::Parse(value, kind);
  if (!id.ok()) return InvalidField(field, id.status().message());
  return id;
}

absl::StatusOr<providers::PayoutOrder> ValidateCreatePayout(
    const payments::v1::CreatePayoutRequest& request, const BankCatalog& banks,
    const providers::Capabilities* capabilities) {
  FieldViolations violations;
  providers::PayoutOrder order;
  order.request = request;
  payments::v1::CreatePayoutRequest& normalized = order.request;

  CheckIdempotencyKey(request.idempotency_key(), violations);
  auto source = ResourceId::Parse(request.source_account_id(), kind::kAccount);
  if (!source.ok()) {
    violations.Add("source_account_id", source.status().message());
  } else {
    order.source_account_native_id = source->native_id;
  }
  CheckProviderEnum("provider", request.provider(), /*required=*/false, violations);
  if (source.ok() && payments::v1::Provider_IsValid(request.provider()) &&
      request.provider() != payments::v1::PROVIDER_UNSPECIFIED &&
      request.provider() != source->provider) {
    violations.Add("provider", "does not match the provider of source_account_id");
  }
  if (source.ok()) normalized.set_provider(source->provider);
  CheckMoney("amount", request.has_amount(), request.amount(), capabilities, violations);
  CheckCounterparty(request.has_counterparty(), *normalized.mutable_counterparty(), banks,
                    capabilities, violations);
  normalized.set_description(CheckSpeiText("description", request.description(),
                                           kMaxDescriptionLength, "", /*required=*/true,
                                           violations));
  if (request.numeric_reference() == 0 || request.numeric_reference() > kMaxNumericReference) {
    violations.Add("numeric_reference", "must be 1 to 9999999 (up to 7 digits)");
  }
  CheckMetadata(request.metadata(), violations);
  if (!violations.empty()) return violations.ToStatus();
  return order;
}

absl::StatusOr<providers::RefundOrder> ValidateRefund(
    const payments::v1::RefundTransactionRequest& request) {
  FieldViolations violations;
  providers::RefundOrder order;
  order.request = request;
  CheckIdempotencyKey(request.idempotency_key(), violations);
  auto transaction = ResourceId::Parse(request.transaction_id(), kind::kTransaction);
  if (!transaction.ok()) {
    violations.Add("transaction_id", transaction.status().message());
  } else {
    order.transaction_native_id = transaction->native_id;
  }
  CheckMoney("amount", request.has_amount(), request.amount(), nullptr, violations);
  order.request.set_description(CheckSpeiText("description", request.description(),
                                              kMaxDescriptionLength, "", /*required=*/true,
                                              violations));
  if (!violations.empty()) return violations.ToStatus();
  return order;
}

absl::StatusOr<payments::v1::RegisterCounterpartyRequest> ValidateRegisterCounterparty(
    const payments::v1::RegisterCounterpartyRequest& request, const BankCatalog& banks,
    const providers::Capabilities* capabilities) {
  FieldViolations violations;
  payments::v1::RegisterCounterpartyRequest normalized = request;
  CheckProviderEnum("provider", request.provider(), /*required=*/true, violations);
  CheckCounterparty(request.has_counterparty(), *normalized.mutable_counterparty(), banks,
                    capabilities, violations);
  normalized.set_alias(CheckSpeiText("alias", request.alias(), kMaxAliasLength, ".,-",
                                     /*required=*/false, violations));
  if (!violations.empty()) return violations.ToStatus();
  return normalized;
}

absl::StatusOr<ResourceId> ValidateCreateAccount(
    const payments::v1::CreateAccountRequest& request) {
  FieldViolations violations;
  CheckIdempotencyKey(request.idempotency_key(), violations);
  CheckProviderEnum("provider", request.provider(), /*required=*/true, violations);
  ResourceId parent;
  if (!request.parent_account_id().empty()) {
    auto parsed = ResourceId::Parse(request.parent_account_id(), kind::kAccount);
    if (!parsed.ok()) {
      violations.Add("parent_account_id", parsed.status().message());
    } else if (parsed->provider != request.provider()) {
      violations.Add("parent_account_id", "belongs to another provider");
    } else {
      parent = *std::move(parsed);
    }
  }
  if (request.description().size() > kMaxAccountDescriptionLength) {
    violations.Add("description",
                   absl::StrCat("is longer than ", kMaxAccountDescriptionLength, " characters"));
  }
  CheckMetadata(request.metadata(), violations);
  if (!violations.empty()) return violations.ToStatus();
  return parent;
}

absl::StatusOr<int> ValidatePageSize(int page_size, int default_size, int max_size) {
  if (page_size == 0) return default_size;
  if (page_size < 0 || page_size > max_size) {
    return InvalidField("page_size",
                        absl::StrCat("must be 1 to ", max_size, " (0: ", default_size, ")"));
  }
  return page_size;
}

absl::Status ValidateListPayouts(const payments::v1::ListPayoutsRequest& request) {
  FieldViolations violations;
  if (!request.source_account_id().empty()) {
    auto source = ResourceId::Parse(request.source_account_id(), kind::kAccount);
    if (!source.ok()) violations.Add("source_account_id", source.status().message());
  }
  CheckProviderEnum("provider", request.provider(), /*required=*/false, violations);
  if (!payments::v1::PayoutStatus_IsValid(request.status())) {
    violations.Add("status", "is not a PayoutStatus value");
  }
  return violations.ToStatus();
}

}  // namespace gateway
