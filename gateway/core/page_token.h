// Page tokens for lists that span providers: which provider the next page comes from, and that
// provider's own token. Opaque (web-safe base64) to callers.
#ifndef GATEWAY_CORE_PAGE_TOKEN_H_
#define GATEWAY_CORE_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/payments/v1/common.pb.h"

namespace gateway {

struct PagePosition {
  payments::v1::Provider provider = payments::v1::PROVIDER_UNSPECIFIED;
  std::string provider_token;  // the provider's own token; "" for its first page
};

std::string EncodePageToken(const PagePosition& position);
// INVALID_ARGUMENT naming page_token when the token was not made by EncodePageToken.
absl::StatusOr<PagePosition> DecodePageToken(absl::string_view token);

}  // namespace gateway

#endif  // GATEWAY_CORE_PAGE_TOKEN_H_
