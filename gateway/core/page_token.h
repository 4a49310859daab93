// Page tokens for lists that span providers: which provider the next page comes from, and that
// provider's own cursor. Opaque (web-safe base64) to callers, who may still forge one: the
// cursor is only letters, digits, '_' and '-' (at most 128), and the provider checks it again
// and builds its URL itself.
#ifndef GATEWAY_CORE_PAGE_TOKEN_H_
#define GATEWAY_CORE_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/payments/v1/common.pb.h"

namespace gateway {

struct PagePosition {
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;
  std::string provider_token;  // the provider's own cursor; "" for its first page
};

std::string EncodePageToken(const PagePosition& position);
// INVALID_ARGUMENT naming page_token when the token was not made by EncodePageToken or its
// provider cursor is not a cursor (a URL, CR/LF, spaces, other bytes).
absl::StatusOr<PagePosition> DecodePageToken(absl::string_view token);

}  // namespace gateway

#endif  // GATEWAY_CORE_PAGE_TOKEN_H_
