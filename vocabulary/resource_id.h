// Gateway resource ids carry their provider, so a request is routed with no lookup:
//   "<provider>.<kind>.<provider's own id>", e.g. "monato.acct.5f0c...", "fintoc.payout.tr_2x...".
// Callers treat them as opaque strings; only the gateway parses them.
#ifndef VOCABULARY_RESOURCE_ID_H_
#define VOCABULARY_RESOURCE_ID_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/payments/v1/common.pb.h"

namespace gateway {

// The kinds of resource an id can name.
namespace kind {
inline constexpr absl::string_view kAccount = "acct";
inline constexpr absl::string_view kPayout = "payout";
inline constexpr absl::string_view kTransaction = "txn";
inline constexpr absl::string_view kRefund = "refund";
inline constexpr absl::string_view kCounterparty = "cpty";
}  // namespace kind

// A provider's name: its enum value's name after "PROVIDER_", in lower case (PROVIDER_MONATO:
// "monato"); "" for PROVIDER_UNSPECIFIED or an unknown value. The name is the id prefix, the
// config section, the metrics label and the webhook path; a provider's registration
// (providers/registration/) must use it. Derived from the enum, not from the linked
// registrations, so ids parse the same in every binary and test.
absl::string_view ProviderName(payments::v1::Provider provider);
// Inverse of ProviderName; PROVIDER_UNSPECIFIED when the name is not a provider.
payments::v1::Provider ProviderFromName(absl::string_view name);

struct ResourceId {
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;
  std::string kind;
  std::string native_id;  // the provider's own id: letters, digits, '-', '.', '_', '~'
                          // (not only dots); adapters check their own grammar before a URL

  std::string ToString() const;
  // INVALID_ARGUMENT unless `text` is "<known provider>.<expected_kind>.<non-empty id>" and
  // the id is of RFC 3986 unreserved characters and not only dots.
  static absl::StatusOr<ResourceId> Parse(absl::string_view text, absl::string_view expected_kind);
};

}  // namespace gateway

#endif  // VOCABULARY_RESOURCE_ID_H_
