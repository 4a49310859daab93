// The sandbox's side of HttpsServer: the fault plan (injected failures, drops, latency) and
// the /_sandbox/stats and /_sandbox/faults control endpoints. Split from http_server.cc.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "providers/http/http_server.h"

namespace providers::http {
namespace {

std::string FaultsToJson(const FaultPlan& plan) {
  boost::json::object object{{"path_prefix", plan.path_prefix},
                             {"latency_ms", plan.latency_ms},
                             {"fail_next", plan.fail_next},
                             {"fail_status", plan.fail_status},
                             {"retry_after_s", plan.retry_after_s},
                             {"drop_before_next", plan.drop_before_next},
                             {"drop_after_next", plan.drop_after_next},
                             {"close_after_reply_next", plan.close_after_reply_next}};
  return boost::json::serialize(object);
}

bool FaultsFromJson(const std::string& text, FaultPlan* plan) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return false;
  const auto& object = value.as_object();
  auto read_int = [&](const char* key, int* out) {
    if (const auto* field = object.if_contains(key)) {
      if (!field->is_int64()) return false;
      *out = static_cast<int>(field->as_int64());
    }
    return true;
  };
  if (const auto* prefix = object.if_contains("path_prefix")) {
    if (!prefix->is_string()) return false;
    plan->path_prefix = std::string(prefix->as_string());
  }
  return read_int("latency_ms", &plan->latency_ms) && read_int("fail_next", &plan->fail_next) &&
         read_int("fail_status", &plan->fail_status) &&
         read_int("retry_after_s", &plan->retry_after_s) &&
         read_int("drop_before_next", &plan->drop_before_next) &&
         read_int("drop_after_next", &plan->drop_after_next) &&
         read_int("close_after_reply_next", &plan->close_after_reply_next);
}

}  // namespace

void HttpsServer::SetFaults(FaultPlan plan) {
  absl::MutexLock lock(&mu_);
  faults_ = std::move(plan);
}

FaultPlan HttpsServer::faults() const {
  absl::MutexLock lock(&mu_);
  return faults_;
}

HttpsServer::FaultAction HttpsServer::TakeFault(const std::string& path, int* latency_ms,
                                                int* fail_status, int* retry_after_s) {
  absl::MutexLock lock(&mu_);
  if (path.compare(0, faults_.path_prefix.size(), faults_.path_prefix) != 0) {
    return FaultAction::kNone;
  }
  *latency_ms = faults_.latency_ms;
  *fail_status = faults_.fail_status;
  *retry_after_s = faults_.retry_after_s;
  if (faults_.drop_before_next > 0) {
    --faults_.drop_before_next;
    return FaultAction::kDropBefore;
  }
  if (faults_.fail_next > 0) {
    --faults_.fail_next;
    return FaultAction::kFail;
  }
  if (faults_.drop_after_next > 0) {
    --faults_.drop_after_next;
    return FaultAction::kDropAfter;
  }
  if (faults_.close_after_reply_next > 0) {
    --faults_.close_after_reply_next;
    return FaultAction::kCloseAfterReply;
  }
  return FaultAction::kNone;
}

bool HttpsServer::HandleControl(const Request& request, Responder responder) {
  if (!options_.control_endpoints) return false;
  if (request.path == "/_sandbox/stats") {
    responder.Send(Reply::Json(200, absl::StrCat(R"({"connections":)", connections_.load(),
                                                 R"(,"requests":)", requests_.load(), "}")));
    return true;
  }
  if (request.path == "/_sandbox/faults") {
    if (request.method == "POST") {
      FaultPlan plan;
      if (!FaultsFromJson(request.body, &plan)) {
        responder.Send(Reply::Json(400, R"({"error":"expected a FaultPlan JSON object"})"));
        return true;
      }
      SetFaults(plan);
    }
    responder.Send(Reply::Json(200, FaultsToJson(faults())));
    return true;
  }
  return false;
}

}  // namespace providers::http
