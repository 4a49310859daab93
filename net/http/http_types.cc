#include "providers/http/http_types.h"

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"

namespace providers::http {
namespace {
constexpr absl::string_view kRequestSentPayload = "gateway.http/request-may-have-been-sent";
}  // namespace

std::string HttpResponse::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

bool RequestMayHaveBeenSent(const absl::Status& status) {
  return status.GetPayload(kRequestSentPayload).has_value();
}

absl::Status MarkRequestSent(absl::Status status) {
  if (!status.ok()) status.SetPayload(kRequestSentPayload, absl::Cord("1"));
  return status;
}

}  // namespace providers::http
