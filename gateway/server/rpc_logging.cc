#include "gateway/server/rpc_logging.h"

#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gateway/logging/json_log.h"
#include "gateway/logging/masking.h"
#include "metrics/gateway_metrics.h"

namespace gateway {
namespace {

using grpc::experimental::InterceptionHookPoints;

// "UNAVAILABLE", "DEADLINE_EXCEEDED": gRPC and abseil share the codes and their spelling.
std::string CodeName(grpc::StatusCode code) {
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? "UNKNOWN" : name;
}

// Copies the "id" and "status" fields of a reply, when it has them.
void AddReplySummary(const google::protobuf::Message& reply, boost::json::object& line) {
  const auto* descriptor = reply.GetDescriptor();
  const auto* reflection = reply.GetReflection();
  if (const auto* id = descriptor->FindFieldByName("id");
      id != nullptr && id->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING &&
      !id->is_repeated()) {
    line["result_id"] = reflection->GetString(reply, id);
  }
  if (const auto* status = descriptor->FindFieldByName("status");
      status != nullptr && status->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM &&
      !status->is_repeated()) {
    line["result_status"] = reflection->GetEnum(reply, status)->name();
  }
}

class RpcLoggingInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit RpcLoggingInterceptor(grpc::experimental::ServerRpcInfo* info)
      : info_(info), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (void* message = methods->GetRecvMessage(); message != nullptr && request_ == nullptr) {
        request_ = static_cast<const google::protobuf::Message*>(message);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      if (const void* message = methods->GetSendMessage(); message != nullptr) {
        AddReplySummary(*static_cast<const google::protobuf::Message*>(message), reply_);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      boost::json::object line = std::move(reply_);
      line["method"] = info_->method();
      line["code"] = CodeName(status.error_code());
      line["duration_us"] = absl::ToInt64Microseconds(absl::Now() - start_);
      if (info_->server_context() != nullptr) line["peer"] = info_->server_context()->peer();
      if (request_ != nullptr) line["request"] = MaskedJson(*request_);
      if (!status.ok()) line["error"] = status.error_message();
      const bool server_fault = status.error_code() == grpc::StatusCode::INTERNAL ||
                                status.error_code() == grpc::StatusCode::UNKNOWN ||
                                status.error_code() == grpc::StatusCode::DATA_LOSS;
      Log(server_fault ? LogLevel::kError : LogLevel::kInfo, "rpc", std::move(line));
      RecordRpcMetrics(status.error_code());
    }
    methods->Proceed();
  }

 private:
  // grpc_server_handled_total and grpc_server_handling_seconds, with the label names
  // go-grpc-prometheus made conventional.
  void RecordRpcMetrics(grpc::StatusCode code) const {
    absl::string_view method = info_->method();  // "/payments.v1.PayoutService/CreatePayout"
    absl::ConsumePrefix(&method, "/");
    const size_t slash = method.find('/');
    const std::string service(method.substr(0, slash));
    const std::string name(slash == absl::string_view::npos ? "" : method.substr(slash + 1));
    const std::string type = TypeName(info_->type());
    metrics::GatewayMetrics& m = metrics::Metrics();
    m.grpc_server_handled->Increment({type, service, name, CodeName(code)});
    m.grpc_server_handling_seconds->Observe({type, service, name}, absl::Now() - start_);
  }

  static const char* TypeName(grpc::experimental::ServerRpcInfo::Type type) {
    switch (type) {
      case grpc::experimental::ServerRpcInfo::Type::UNARY:
        return "unary";
      case grpc::experimental::ServerRpcInfo::Type::CLIENT_STREAMING:
        return "client_stream";
      case grpc::experimental::ServerRpcInfo::Type::SERVER_STREAMING:
        return "server_stream";
      default:
        return "bidi_stream";
    }
  }

  grpc::experimental::ServerRpcInfo* info_;
  const absl::Time start_;
  // The request is rendered when the line is written, not when it arrives: gRPC keeps the
  // message until the call is done (after its status is sent), and a JSON tree held for each
  // call in flight was ~0.8 MiB with 1,000 payouts in flight (issue 15, scenario 5).
  const google::protobuf::Message* request_ = nullptr;
  boost::json::object reply_;
};

// Interceptors must not be created for these: probes and tooling, not business calls.
bool IsQuiet(const char* method) {
  return absl::StartsWith(method, "/grpc.health.v1.Health/") ||
         absl::StartsWith(method, "/grpc.reflection.");
}

}  // namespace

grpc::experimental::Interceptor* RpcLoggingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  if (IsQuiet(info->method())) return nullptr;
  return new RpcLoggingInterceptor(info);
}

}  // namespace gateway
