#include "net/http/http_types.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace net::http {

std::string HttpResponse::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

}  // namespace net::http
