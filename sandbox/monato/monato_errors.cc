#include "sandbox/monato/monato_errors.h"

#include <utility>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"

namespace sandbox {
namespace {

MonatoError Make(int http_status, int code, std::string reason, std::string error_code,
                 std::string detail) {
  MonatoError error;
  error.http_status = http_status;
  error.code = code;
  error.reason = std::move(reason);
  error.error_code = std::move(error_code);
  error.detail = std::move(detail);
  return error;
}

}  // namespace

ServerReply MonatoErrorReply(const MonatoError& error) {
  boost::json::object metadata{{"error_detail", error.detail},
                               {"http_code", absl::StrCat(error.http_status)},
                               {"module", error.module},
                               {"error_code", error.error_code}};
  boost::json::object detail{
      {"reason", error.reason}, {"domain", "fincore"}, {"metadata", std::move(metadata)}};
  boost::json::object body{{"code", error.code},
                           {"message", absl::StrCat(error.reason, ": ", error.detail)},
                           {"details", boost::json::array{std::move(detail)}}};
  return ServerReply::Json(error.http_status, boost::json::serialize(body));
}

MonatoError DataError(std::string error_code, std::string detail) {
  return Make(400, 3, "DATA_ERROR", std::move(error_code), std::move(detail));
}

MonatoError PreconditionError(std::string error_code, std::string detail) {
  return Make(400, 9, "FAILED_PRECONDITION", std::move(error_code), std::move(detail));
}

MonatoError AuthError(std::string error_code, std::string detail) {
  return Make(401, 16, "UNAUTHENTICATED", std::move(error_code), std::move(detail));
}

MonatoError PermissionError(std::string detail) {
  return Make(403, 7, "PERMISSION_DENIED", "CLIENT_MISMATCH", std::move(detail));
}

MonatoError NotFoundError(std::string error_code, std::string detail) {
  return Make(404, 5, "NOT_FOUND", std::move(error_code), std::move(detail));
}

MonatoError MissingResourceError(std::string error_code, std::string detail) {
  return Make(500, 13, "INTERNAL", std::move(error_code), std::move(detail));
}

MonatoError IdempotencyMismatchError() {
  return Make(409, 6, "CONFLICT", "IDEMPOTENCY_KEY_REUSED",
              "Idempotency-Key was already used with a different payload.");
}

MonatoError OperationInProgressError() {
  return Make(409, 10, "operation_in_progress", "OPERATION_IN_PROGRESS",
              "A request with this Idempotency-Key is still being processed.");
}

}  // namespace sandbox
