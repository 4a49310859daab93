// Validation of every API request before any provider is called. Each function checks all
// fields, collects every violation (google.rpc.BadRequest, field paths as in the .proto), and
// returns either INVALID_ARGUMENT or the request normalized for the providers.
#ifndef GATEWAY_VALIDATION_REQUEST_VALIDATION_H_
#define GATEWAY_VALIDATION_REQUEST_VALIDATION_H_

#include <string>

#include "absl/status/statusor.h"
#include "gateway/validation/bank_catalog.h"
#include "proto/payments/v1/account_service.pb.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/provider.h"
#include "vocabulary/resource_id.h"

namespace gateway {

// Field limits (docs/providers/spei.md#field-limits): the strictest of the providers and SPEI.
inline constexpr size_t kMaxIdempotencyKeyLength = 255;
inline constexpr size_t kMaxDescriptionLength = 39;
inline constexpr size_t kMaxHolderNameLength = 39;
inline constexpr uint32_t kMaxNumericReference = 9'999'999;
inline constexpr size_t kMaxMetadataEntries = 20;
inline constexpr size_t kMaxMetadataKeyLength = 40;
inline constexpr size_t kMaxMetadataValueLength = 500;
inline constexpr size_t kMaxAccountDescriptionLength = 100;
inline constexpr size_t kMaxAliasLength = 40;

// `capabilities` are those of the provider the source account names, or null when that
// provider is unknown or not configured (then only provider-independent checks run).
absl::StatusOr<providers::PayoutOrder> ValidateCreatePayout(
    const payments::v1::CreatePayoutRequest& request, const BankCatalog& banks,
    const providers::Capabilities* capabilities);

absl::StatusOr<providers::RefundOrder> ValidateRefund(
    const payments::v1::RefundTransactionRequest& request);

absl::StatusOr<payments::v1::RegisterCounterpartyRequest> ValidateRegisterCounterparty(
    const payments::v1::RegisterCounterpartyRequest& request, const BankCatalog& banks,
    const providers::Capabilities* capabilities);

// Returns the parsed parent account id (provider UNSPECIFIED when none was given).
absl::StatusOr<ResourceId> ValidateCreateAccount(const payments::v1::CreateAccountRequest& request);

// A required gateway id of `kind` in `field`.
absl::StatusOr<ResourceId> ValidateId(absl::string_view field, absl::string_view value,
                                      absl::string_view kind);

// page_size: 0 means `default_size`; otherwise 1..max_size.
absl::StatusOr<int> ValidatePageSize(int page_size, int default_size, int max_size);

// Enum fields must hold a value the .proto defines (a caller may send any number).
absl::Status ValidateListPayouts(const payments::v1::ListPayoutsRequest& request);

}  // namespace gateway

#endif  // GATEWAY_VALIDATION_REQUEST_VALIDATION_H_
