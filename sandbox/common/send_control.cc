#include "sandbox/common/send_control.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/json_util.h"

namespace sandbox {
namespace {

// Rows [offset, offset + limit) of `rows` (?offset=&limit=; all when absent), so that long
// runs can be read in replies of bounded size.
boost::json::array Page(const boost::json::array& rows, const ServerRequest& request) {
  size_t offset = 0, limit = rows.size();
  if (!absl::SimpleAtoi(request.QueryParam("offset"), &offset)) offset = 0;
  if (!absl::SimpleAtoi(request.QueryParam("limit"), &limit)) limit = rows.size();
  boost::json::array page;
  for (size_t i = offset; i < rows.size() && i - offset < limit; ++i) page.push_back(rows[i]);
  return page;
}

}  // namespace

absl::optional<ServerReply> SendControlReply(const ServerRequest& request,
                                             IdempotencyStore& idempotency, SendLedger& sends,
                                             const std::function<boost::json::array()>& transfers) {
  if (request.path == "/_sandbox/dedup") {
    if (request.method == "POST") {
      const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
      const boost::json::value* dedup = body ? JsonMember(*body, "dedup") : nullptr;
      if (dedup == nullptr || !dedup->is_bool()) {
        return ServerReply::Json(400, R"({"error":"expected {\"dedup\":true|false}"})");
      }
      idempotency.set_dedup(dedup->as_bool());
    } else if (request.method != "GET") {
      return ServerReply::Json(405, R"({"error":"GET or POST"})");
    }
    return ServerReply::Json(200, ToJson(boost::json::object{{"dedup", idempotency.dedup()}}));
  }
  if (request.path == "/_sandbox/send_faults" && request.method == "POST") {
    const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
    if (!body) return ServerReply::Json(400, R"({"error":"expected a JSON object"})");
    SendFaults faults = sends.faults();
    for (auto [name, field] :
         {std::pair<const char*, int*>{"lose_reply_next", &faults.lose_reply_next},
          {"lose_reply_after_ms", &faults.lose_reply_after_ms}}) {
      const boost::json::value* value = JsonMember(*body, name);
      if (value == nullptr) continue;
      if (!value->is_int64() || value->as_int64() < 0 || value->as_int64() > 600000) {
        return ServerReply::Json(400, R"({"error":"counts and delays are integers 0-600000"})");
      }
      *field = static_cast<int>(value->as_int64());
    }
    sends.SetFaults(faults);
  }
  if (request.path == "/_sandbox/send_faults" &&
      (request.method == "POST" || request.method == "GET")) {
    const SendFaults faults = sends.faults();
    return ServerReply::Json(
        200, ToJson(boost::json::object{{"lose_reply_next", faults.lose_reply_next},
                                        {"lose_reply_after_ms", faults.lose_reply_after_ms}}));
  }
  if (request.path == "/_sandbox/epoch" && request.method == "POST") {
    const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
    const boost::json::value* epoch = body ? JsonMember(*body, "epoch") : nullptr;
    if (epoch == nullptr || !epoch->is_int64()) {
      return ServerReply::Json(400, R"({"error":"expected {\"epoch\":N}"})");
    }
    sends.set_epoch(epoch->as_int64());
    return ServerReply::Json(200, ToJson(boost::json::object{{"epoch", sends.epoch()}}));
  }
  if (request.method != "GET") return absl::nullopt;
  if (request.path == "/_sandbox/sends") {
    boost::json::object json = sends.ToJson();
    for (const char* list : {"keys", "bodies"}) {
      json[absl::StrCat(list, "_total")] = json[list].as_array().size();
      json[list] = Page(json[list].as_array(), request);
    }
    json["dedup"] = idempotency.dedup();
    return ServerReply::Json(200, ToJson(json));
  }
  if (request.path == "/_sandbox/transfers") {
    const boost::json::array all = transfers();
    return ServerReply::Json(200, ToJson(boost::json::object{{"transfers", Page(all, request)},
                                                             {"transfers_total", all.size()}}));
  }
  return absl::nullopt;
}

}  // namespace sandbox
