#include "vocabulary/outcome_unknown.h"

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

namespace net::http {
namespace {
constexpr absl::string_view kRequestSentPayload = "gateway.http/request-may-have-been-sent";
}  // namespace

bool RequestMayHaveBeenSent(const absl::Status& status) {
  return status.GetPayload(kRequestSentPayload).has_value();
}

absl::Status MarkRequestSent(absl::Status status) {
  if (!status.ok()) status.SetPayload(kRequestSentPayload, absl::Cord("1"));
  return status;
}

}  // namespace net::http
