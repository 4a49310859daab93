#include "sandbox/fintoc/fintoc_errors.h"

#include <utility>

#include <boost/json.hpp>

namespace sandbox {
namespace {

FintocError Make(int status, const char* type, std::string code, std::string message,
                 std::string param) {
  FintocError error;
  error.status = status;
  error.type = type;
  error.code = std::move(code);
  error.message = std::move(message);
  error.param = std::move(param);
  return error;
}

}  // namespace

ServerReply FintocErrorReply(const FintocError& error) {
  boost::json::object detail{{"type", error.type},
                             {"code", error.code},
                             {"message", error.message},
                             {"param", nullptr},
                             {"doc_url", "https://docs.fintoc.com/reference/errors"}};
  if (!error.param.empty()) detail["param"] = error.param;
  return ServerReply::Json(
      error.status, boost::json::serialize(boost::json::object{{"error", std::move(detail)}}));
}

FintocError InvalidRequest(std::string code, std::string message, std::string param) {
  return Make(400, "invalid_request_error", std::move(code), std::move(message), std::move(param));
}

FintocError AuthenticationError(std::string code, std::string message) {
  return Make(401, "authentication_error", std::move(code), std::move(message), "");
}

FintocError MissingResource(std::string message, std::string param) {
  return Make(404, "invalid_request_error", "missing_resource", std::move(message),
              std::move(param));
}

FintocError Conflict(std::string code, std::string message, std::string param) {
  return Make(409, "invalid_request_error", std::move(code), std::move(message), std::move(param));
}

}  // namespace sandbox
