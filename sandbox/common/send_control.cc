#include "sandbox/common/send_control.h"

#include <utility>

#include "sandbox/common/json_util.h"

namespace sandbox {

absl::optional<Reply> SendControlReply(const Request& request, IdempotencyStore& idempotency,
                                       SendLedger& sends,
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
  if (request.path == "/_sandbox/send_faults" && request.method == "POST") {
    const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
    if (!body) return Reply::Json(400, R"({"error":"expected a JSON object"})");
    SendFaults faults = sends.faults();
    for (auto [name, field] :
         {std::pair<const char*, int*>{"lose_reply_next", &faults.lose_reply_next},
          {"lose_reply_after_ms", &faults.lose_reply_after_ms}}) {
      const boost::json::value* value = JsonMember(*body, name);
      if (value == nullptr) continue;
      if (!value->is_int64() || value->as_int64() < 0 || value->as_int64() > 600000) {
        return Reply::Json(400, R"({"error":"counts and delays are integers 0-600000"})");
      }
      *field = static_cast<int>(value->as_int64());
    }
    sends.SetFaults(faults);
  }
  if (request.path == "/_sandbox/send_faults" &&
      (request.method == "POST" || request.method == "GET")) {
    const SendFaults faults = sends.faults();
    return Reply::Json(
        200, ToJson(boost::json::object{{"lose_reply_next", faults.lose_reply_next},
                                        {"lose_reply_after_ms", faults.lose_reply_after_ms}}));
  }
  if (request.path == "/_sandbox/epoch" && request.method == "POST") {
    const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
    const boost::json::value* epoch = body ? JsonMember(*body, "epoch") : nullptr;
    if (epoch == nullptr || !epoch->is_int64()) {
      return Reply::Json(400, R"({"error":"expected {\"epoch\":N}"})");
    }
    sends.set_epoch(epoch->as_int64());
    return Reply::Json(200, ToJson(boost::json::object{{"epoch", sends.epoch()}}));
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
