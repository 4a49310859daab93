#include "sandbox/common/webhook_faults_control.h"

#include <boost/json.hpp>

#include "sandbox/common/json_util.h"

namespace sandbox {
namespace {

ServerReply FaultsReply(const WebhookSender& sender) {
  const WebhookFaults faults = sender.faults();
  return ServerReply::Json(200, ToJson(boost::json::object{
                                    {"duplicate_percent", faults.duplicate_percent},
                                    {"max_delay_ms", absl::ToInt64Milliseconds(faults.max_delay)},
                                    {"duplicated", sender.stats().duplicated},
                                }));
}

}  // namespace

absl::optional<ServerReply> WebhookFaultsControlReply(const ServerRequest& request,
                                                      WebhookSender& sender) {
  if (request.path != "/_sandbox/webhook_faults") return absl::nullopt;
  if (request.method == "GET") return FaultsReply(sender);
  if (request.method != "POST") return ServerReply::Json(405, R"({"error":"GET or POST"})");
  const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
  if (!body) return ServerReply::Json(400, R"({"error":"expected a JSON object"})");
  WebhookFaults faults = sender.faults();
  if (const boost::json::value* percent = JsonMember(*body, "duplicate_percent")) {
    if (!percent->is_int64() || percent->as_int64() < 0 || percent->as_int64() > 100) {
      return ServerReply::Json(400, R"({"error":"duplicate_percent must be 0-100"})");
    }
    faults.duplicate_percent = static_cast<int>(percent->as_int64());
  }
  if (const boost::json::value* delay = JsonMember(*body, "max_delay_ms")) {
    if (!delay->is_int64() || delay->as_int64() < 0) {
      return ServerReply::Json(400, R"({"error":"max_delay_ms must be >= 0"})");
    }
    faults.max_delay = absl::Milliseconds(delay->as_int64());
  }
  sender.SetFaults(faults);
  return FaultsReply(sender);
}

}  // namespace sandbox
