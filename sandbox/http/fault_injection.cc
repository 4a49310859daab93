#include "sandbox/http/fault_injection.h"

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace sandbox {
namespace {

std::string FaultsToJson(const FaultPlan& plan) {
  boost::json::object object{{"path_prefix", plan.path_prefix},
                             {"latency_ms", plan.latency_ms},
                             {"fail_next", plan.fail_next},
                             {"fail_status", plan.fail_status},
                             {"fail_html", plan.fail_html},
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
  if (const auto* html = object.if_contains("fail_html")) {
    if (!html->is_bool()) return false;
    plan->fail_html = html->as_bool();
  }
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

void FaultInjector::SetFaults(FaultPlan plan) {
  absl::MutexLock lock(&mu_);
  faults_ = std::move(plan);
}

FaultPlan FaultInjector::faults() const {
  absl::MutexLock lock(&mu_);
  return faults_;
}

net::http::FilterDecision FaultInjector::Decide(const net::http::ServerRequest& request) {
  net::http::FilterDecision decision;
  net::http::ServerReply control;
  if (HandleControl(request, &control)) {
    decision.reply = std::move(control);
    return decision;
  }
  absl::MutexLock lock(&mu_);
  if (request.path.compare(0, faults_.path_prefix.size(), faults_.path_prefix) != 0) {
    return decision;
  }
  decision.delay_ms = faults_.latency_ms;
  if (faults_.drop_before_next > 0) {
    --faults_.drop_before_next;
    decision.drop_now = true;
  } else if (faults_.fail_next > 0) {
    --faults_.fail_next;
    net::http::ServerReply reply = net::http::ServerReply::Json(
        faults_.fail_status, absl::StrCat(R"({"error":{"type":"api_error","code":"sandbox_fault",)",
                                          R"("message":"injected failure"}})"));
    if (faults_.fail_html) {
      reply.content_type = "text/html";
      reply.body = absl::StrCat("<html><head><title>", faults_.fail_status,
                                " Error</title></head><body><h1>Error ", faults_.fail_status,
                                "</h1><p>injected failure</p></body></html>");
    }
    if (faults_.retry_after_s >= 0) {
      reply.headers.emplace_back("Retry-After", absl::StrCat(faults_.retry_after_s));
    }
    decision.reply = std::move(reply);
  } else if (faults_.drop_after_next > 0) {
    --faults_.drop_after_next;
    decision.drop_instead_of_reply = true;
  } else if (faults_.close_after_reply_next > 0) {
    --faults_.close_after_reply_next;
    decision.close_after_reply = true;
  }
  return decision;
}

bool FaultInjector::HandleControl(const net::http::ServerRequest& request,
                                  net::http::ServerReply* reply) {
  if (!control_endpoints_) return false;
  if (request.path == "/_sandbox/stats") {
    const net::http::HttpServer* server = server_.load();
    *reply = net::http::ServerReply::Json(
        200, absl::StrCat(R"({"connections":)", server ? server->connections_accepted() : 0,
                          R"(,"requests":)", server ? server->requests_served() : 0, "}"));
    return true;
  }
  if (request.path == "/_sandbox/faults") {
    if (request.method == "POST") {
      FaultPlan plan;
      if (!FaultsFromJson(request.body, &plan)) {
        *reply =
            net::http::ServerReply::Json(400, R"({"error":"expected a FaultPlan JSON object"})");
        return true;
      }
      SetFaults(plan);
    }
    *reply = net::http::ServerReply::Json(200, FaultsToJson(faults()));
    return true;
  }
  return false;
}

}  // namespace sandbox
