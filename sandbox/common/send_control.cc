#include "sandbox/common/send_control.h"

#include "sandbox/common/json_util.h"

namespace sandbox {

absl::optional<Reply> SendControlReply(const Request& request, IdempotencyStore& idempotency,
                                       const SendLedger& sends,
                                       const std::function<boost::json::array()>& transfers) {
  if (request.path == "/_sandbox/dedup") {
    if (request.method == "POST") {
      const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
      const boost::json::value* dedup = body ? JsonMember(*body, "dedup") : nullptr;
      if (dedup == nullptr || !dedup->is_bool()) {
        return Reply::Json(400, R"({"error":"expected {\"dedup\":true|false}"})");
      }
      idempotency.set_dedup(dedup->as_bool());
    } else if (request.method != "GET") {
      return Reply::Json(405, R"({"error":"GET or POST"})");
    }
    return Reply::Json(200, ToJson(boost::json::object{{"dedup", idempotency.dedup()}}));
  }
  if (request.method != "GET") return absl::nullopt;
  if (request.path == "/_sandbox/sends") {
    boost::json::object json = sends.ToJson();
    json["dedup"] = idempotency.dedup();
    return Reply::Json(200, ToJson(json));
  }
  if (request.path == "/_sandbox/transfers") {
    return Reply::Json(200, ToJson(boost::json::object{{"transfers", transfers()}}));
  }
  return absl::nullopt;
}

}  // namespace sandbox
