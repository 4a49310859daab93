// Page tokens for lists that span providers: which provider the next page comes from, that
// provider's own cursor, the page size that cursor was read with and how many items of that
// provider page were already shown. Opaque (web-safe base64) to callers, who may still forge
// one: the cursor is only letters, digits, '_' and '-' (at most 128), the numbers are small,
// and the provider checks the cursor again and builds its URL itself.
#ifndef GATEWAY_CORE_PAGE_TOKEN_H_
#define GATEWAY_CORE_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/payments/v1/common.pb.h"

namespace gateway {

// The largest page a provider is asked for (the largest page_size a list takes).
inline constexpr int kMaxProviderPageSize = 100;

struct PagePosition {
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;
  std::string provider_token;  // the provider's own cursor; "" for its first page
  // The page size `provider_token` belongs to (a Monato cursor is a page number, so the
  // provider must be asked with the same size again); 0: not fixed yet, use the call's.
  int read_size = 0;
  // Items of that provider page already shown (a page filled part-way through it).
  int skip = 0;
};

std::string EncodePageToken(const PagePosition& position);
// INVALID_ARGUMENT naming page_token when the token was not made by EncodePageToken or its
// provider cursor is not a cursor (a URL, CR/LF, spaces, other bytes), or its sizes are out of
// range (0..kMaxProviderPageSize). Tokens of the previous format ("p1": no sizes) still decode.
absl::StatusOr<PagePosition> DecodePageToken(absl::string_view token);

}  // namespace gateway

#endif  // GATEWAY_CORE_PAGE_TOKEN_H_
