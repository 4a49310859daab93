// Fintoc's error body (providers.md §2.8), the only error shape the Fintoc simulator answers:
//   {"error":{"type":"invalid_request_error","code":"missing_parameter","message":"...",
//             "param":"account_id","doc_url":"https://docs.fintoc.com/reference/errors"}}
#ifndef SANDBOX_FINTOC_FINTOC_ERRORS_H_
#define SANDBOX_FINTOC_FINTOC_ERRORS_H_

#include <string>

#include "sandbox/http/http_server.h"

namespace sandbox {

struct FintocError {
  int status = 400;
  std::string type = "invalid_request_error";
  std::string code;
  std::string message;
  std::string param;  // "" is sent as null
};

ServerReply FintocErrorReply(const FintocError& error);

// 400 invalid_request_error with `code` about `param`.
FintocError InvalidRequest(std::string code, std::string message, std::string param = "");
// 401 authentication_error (bad API key, every JWS failure).
FintocError AuthenticationError(std::string code, std::string message);
// 404 invalid_request_error missing_resource.
FintocError MissingResource(std::string message, std::string param = "");
// 409 invalid_request_error (balance, transfer state, idempotency).
FintocError Conflict(std::string code, std::string message, std::string param = "");

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_FINTOC_ERRORS_H_
