#include "tests/e2e/process_fixtures.h"

#include <cstdio>
#include <cstdlib>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "providers/common/json_fields.h"

namespace e2e {

Sandbox::Sandbox() {
  static std::atomic<int> instances{0};
  const std::string name = absl::StrCat("sandbox-", ++instances);
  ca_path_ = TempPath(name + "-ca.pem");
  const std::string ports = TempPath(name + ".ports");
  process_ = std::make_unique<ChildProcess>(
      "sandbox/sandbox",
      std::vector<std::string>{"--ports_file=" + ports, "--ca_out=" + ca_path_,
                               "--settle_after_ms=-1"},
      TempPath(name + ".log"));
  EXPECT_TRUE(process_->WaitForFile(ports)) << process_->Log();
  EXPECT_TRUE(process_->WaitForFile(ca_path_)) << process_->Log();
  for (absl::string_view line : absl::StrSplit(ReadFile(ports), '\n')) {
    if (absl::ConsumePrefix(&line, "monato=")) {
      EXPECT_TRUE(absl::SimpleAtoi(line, &monato_port_));
    }
  }
  providers::http::HttpsClientOptions options;
  options.ca_file = ca_path_;
  client_ = *providers::http::HttpsClient::Create(options);
}

std::string Sandbox::MonatoUrl() const { return absl::StrCat("https://127.0.0.1:", monato_port_); }

std::string Sandbox::Control(const std::string& method, const std::string& path,
                             const std::string& body) {
  providers::http::HttpRequest request;
  request.method = method;
  request.url = MonatoUrl() + path;
  request.body = body;
  request.headers = {{"Content-Type", "application/json"}};
  request.deadline = absl::Now() + absl::Seconds(10);
  auto response = providers::http::SendAndWait(*client_, std::move(request));
  return response.ok() ? response->body : "";
}

int64_t Sandbox::MoneyOutsCreated() {
  auto state = providers::ParseJsonObject(Control("GET", "/_sandbox/monato/state"));
  return state.ok() ? providers::OptionalInt(*state, "money_outs_created").value_or(-1) : -1;
}

std::string Sandbox::MainAccount() {
  auto state = providers::ParseJsonObject(Control("GET", "/_sandbox/monato/state"));
  return state.ok() ? providers::StringOr(*state, "main_account_id") : "";
}

Gateway::Gateway(const std::string& name, const std::string& store_url, const Sandbox& sandbox,
                 const GatewayProcessOptions& options) {
  WriteFile(TempPath("monato_api_key"), "monato-sandbox-api-key\n");
  WriteFile(TempPath("monato_client_secret"), "monato-sandbox-client-secret\n");
  const std::string config = absl::StrCat(
      R"yaml(
server:
  listen_address: "127.0.0.1:)yaml",
      options.port, R"yaml("
  drain_delay: )yaml",
      options.drain_delay, R"yaml(
  shutdown_grace: )yaml",
      options.shutdown_grace, options.admin ? "\n  admin_listen_address: 127.0.0.1:0" : "",
      options.callers_file.empty()
          ? ""
          : absl::StrCat("\n  callers: {file: ", options.callers_file, "}"),
      options.extra_server_yaml.empty() ? "" : "\n", options.extra_server_yaml,
      R"yaml(
store:
  url: )yaml",
      store_url, R"yaml(
  lease: 2s
  resolve_interval: 500ms
providers:
  monato:
    enabled: true
    base_url: )yaml",
      sandbox.MonatoUrl(), R"yaml(
    ca_file: )yaml",
      sandbox.ca_path(), R"yaml(
    timeout: 10s
    client_id: c2d1d1e3-3340-4170-980e-e9269bbbc551
    credentials:
      api_key: {file: )yaml",
      TempPath("monato_api_key"), R"yaml(}
      client_secret: {file: )yaml",
      TempPath("monato_client_secret"), "}\n");
  WriteFile(TempPath(name + ".yaml"), config);
  std::remove(TempPath(name + ".port").c_str());
  std::remove(TempPath(name + ".admin_port").c_str());
  process_ = std::make_unique<ChildProcess>(
      "gateway/gateway",
      std::vector<std::string>{"--config=" + TempPath(name + ".yaml"),
                               "--port_file=" + TempPath(name + ".port"),
                               "--admin_port_file=" + TempPath(name + ".admin_port")},
      TempPath(name + ".log"));
  EXPECT_TRUE(process_->WaitForFile(TempPath(name + ".port"))) << process_->Log();
  EXPECT_TRUE(
      absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(TempPath(name + ".port"))), &port_));
  if (options.admin) {
    // Written before the gRPC port file, so it is there by now.
    EXPECT_TRUE(absl::SimpleAtoi(
        absl::StripAsciiWhitespace(ReadFile(TempPath(name + ".admin_port"))), &admin_port_));
  }
  channel_ =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials());
  stub_ = payments::v1::PayoutService::NewStub(channel_);
}

std::string HttpGet(int port, const std::string& path, int* status) {
  providers::http::HttpsClientOptions options;
  options.allow_plain_http = true;  // the admin port is plain HTTP
  auto client = providers::http::HttpsClient::Create(options);
  if (!client.ok()) {
    ADD_FAILURE() << client.status();
    return "";
  }
  providers::http::HttpRequest request;
  request.method = "GET";
  request.url = absl::StrCat("http://127.0.0.1:", port, path);
  request.deadline = absl::Now() + absl::Seconds(10);
  auto response = providers::http::SendAndWait(**client, std::move(request));
  if (!response.ok()) {
    ADD_FAILURE() << "GET " << path << ": " << response.status();
    return "";
  }
  if (status != nullptr) *status = response->status;
  return response->body;
}

payments::v1::CreatePayoutRequest PayoutRequest(const std::string& account,
                                                const std::string& key) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(key);
  request.set_source_account_id("monato.acct." + account);
  request.mutable_amount()->set_amount_minor(2500);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_description("Pago tras caida");
  request.set_numeric_reference(99);
  return request;
}

grpc::Status CreateUntilAnswered(payments::v1::PayoutService::Stub& stub,
                                 const payments::v1::CreatePayoutRequest& request,
                                 payments::v1::Payout* out) {
  grpc::Status status;
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (absl::Now() < give_up) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    status = stub.CreatePayout(&context, request, out);
    if (status.error_code() != grpc::StatusCode::ABORTED &&
        status.error_code() != grpc::StatusCode::UNAVAILABLE) {
      return status;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return status;
}

std::string FreshPostgresUrl(const std::string& schema_prefix) {
  const char* url = std::getenv("GATEWAY_TEST_POSTGRES_URL");
  if (url == nullptr) return "";
  const std::string schema = absl::StrCat(schema_prefix, "_", absl::ToUnixMicros(absl::Now()));
  return absl::StrCat(url, absl::StrContains(url, "?") ? "&" : "?", "pool_size=4&schema=", schema);
}

}  // namespace e2e
