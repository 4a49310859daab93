// Monato's error body (providers.md §1.9): a google.rpc.Status-like object
//   {"code":3,"message":"DATA_ERROR: ...","details":[{"reason":"DATA_ERROR","domain":"fincore",
//    "metadata":{"error_detail":"...","http_code":"400","module":"...","error_code":"..."}}]}
// `reason` carries the textual class the docs name (DATA_ERROR, FAILED_PRECONDITION,
// operation_in_progress, UNAUTHENTICATED, ...); `error_code` a specific machine code.
#ifndef SANDBOX_MONATO_MONATO_ERRORS_H_
#define SANDBOX_MONATO_MONATO_ERRORS_H_

#include <string>

#include "sandbox/http/http_server.h"

namespace sandbox {

struct MonatoError {
  int http_status = 500;
  int code = 13;  // google.rpc.Code
  std::string reason;
  std::string error_code;
  std::string detail;
  std::string module = "fincore";
};

ServerReply MonatoErrorReply(const MonatoError& error);

// 400, INVALID_ARGUMENT: a field is malformed ("DATA_ERROR: Transaction currency unsupported.").
MonatoError DataError(std::string error_code, std::string detail);
// 400, FAILED_PRECONDITION: well-formed but not allowed now (funds, state).
MonatoError PreconditionError(std::string error_code, std::string detail);
// 401, UNAUTHENTICATED: API key or bearer token missing, wrong or expired.
MonatoError AuthError(std::string error_code, std::string detail);
// 403, PERMISSION_DENIED: the token's client is not the one in the path or body.
MonatoError PermissionError(std::string detail);
// 404, NOT_FOUND: the resource in the URL does not exist.
MonatoError NotFoundError(std::string error_code, std::string detail);
// 500, as Monato answers (and caches) a money_out naming a missing instrument (§1.8).
MonatoError MissingResourceError(std::string error_code, std::string detail);
// 409: same Idempotency-Key with a different body.
MonatoError IdempotencyMismatchError();
// 409 operation_in_progress: same key while the first request is still processing.
MonatoError OperationInProgressError();

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_ERRORS_H_
