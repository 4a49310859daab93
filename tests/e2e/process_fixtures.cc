#include "tests/e2e/process_fixtures.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

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

namespace {

// A fresh RSA key pair for Fintoc's JWS: the private half to `private_path` (the gateway signs
// with it), the public half to `public_path` (the sandbox checks with it).
void WriteJwsKeyPair(const std::string& private_path, const std::string& public_path) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  ASSERT_NE(key, nullptr);
  FILE* private_file = std::fopen(private_path.c_str(), "w");
  FILE* public_file = std::fopen(public_path.c_str(), "w");
  ASSERT_NE(private_file, nullptr);
  ASSERT_NE(public_file, nullptr);
  PEM_write_PrivateKey(private_file, key, nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_PUBKEY(public_file, key);
  std::fclose(private_file);
  std::fclose(public_file);
  EVP_PKEY_free(key);
}

std::string Origin(int port) { return absl::StrCat("https://127.0.0.1:", port); }

}  // namespace

Sandbox::Sandbox(const SandboxProcessOptions& options) {
  static std::atomic<int> instances{0};
  const std::string name = absl::StrCat("sandbox-", ++instances);
  ca_path_ = TempPath(name + "-ca.pem");
  jws_private_key_path_ = TempPath(name + "-jws.pem");
  const std::string jws_public = TempPath(name + "-jws-public.pem");
  WriteJwsKeyPair(jws_private_key_path_, jws_public);
  const std::string ports = TempPath(name + ".ports");
  std::vector<std::string> args{"--ports_file=" + ports, "--ca_out=" + ca_path_,
                                "--settle_after_ms=-1",
                                "--fintoc_jws_public_key_file=" + jws_public};
  if (options.no_dedup) args.push_back("--no_dedup");
  if (options.stp) {
    stp_private_key_path_ = TempPath(name + "-stp.pem");
    const std::string stp_public = TempPath(name + "-stp-public.pem");
    WriteJwsKeyPair(stp_private_key_path_, stp_public);
    args.push_back("--stp_public_key_file=" + stp_public);
    if (options.stp_webhook_port > 0) {
      const std::string url = absl::StrCat("http://127.0.0.1:", options.stp_webhook_port,
                                           "/webhooks/stp?token=", kStpProcessWebhookToken);
      args.push_back("--stp_state_webhook_url=" + url);
      args.push_back("--stp_deposit_webhook_url=" + url);
    }
  }
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  process_ = std::make_unique<ChildProcess>("sandbox/sandbox", args, TempPath(name + ".log"));
  EXPECT_TRUE(process_->WaitForFile(ports)) << process_->Log();
  EXPECT_TRUE(process_->WaitForFile(ca_path_)) << process_->Log();
  for (absl::string_view line : absl::StrSplit(ReadFile(ports), '\n')) {
    if (absl::ConsumePrefix(&line, "monato=")) {
      EXPECT_TRUE(absl::SimpleAtoi(line, &monato_port_));
    }
    if (absl::ConsumePrefix(&line, "fintoc=")) {
      EXPECT_TRUE(absl::SimpleAtoi(line, &fintoc_port_));
    }
    if (options.stp && absl::ConsumePrefix(&line, "stp=")) {
      EXPECT_TRUE(absl::SimpleAtoi(line, &stp_port_));
    }
  }
  net::http::BeastHttpClientOptions client_options;
  client_options.ca_file = ca_path_;
  client_ = *net::http::BeastHttpClient::Create(client_options);
}

std::string Sandbox::MonatoUrl() const { return Origin(monato_port_); }
std::string Sandbox::FintocUrl() const { return Origin(fintoc_port_); }
std::string Sandbox::StpUrl() const { return Origin(stp_port_); }

namespace {

std::string ProviderUrl(const Sandbox& sandbox, payments::v1::Provider provider) {
  if (provider == PROVIDER_FINTOC) return sandbox.FintocUrl();
  if (provider == PROVIDER_STP) return sandbox.StpUrl();
  return sandbox.MonatoUrl();
}

std::string StatePath(payments::v1::Provider provider) {
  if (provider == PROVIDER_FINTOC) return "/_sandbox/fintoc/state";
  if (provider == PROVIDER_STP) return "/_sandbox/stp/state";
  return "/_sandbox/monato/state";
}

}  // namespace

std::string Sandbox::Control(const std::string& method, const std::string& path,
                             const std::string& body, payments::v1::Provider provider) {
  net::http::HttpRequest request;
  request.method = method;
  request.url = ProviderUrl(*this, provider) + path;
  request.body = body;
  request.headers = {{"Content-Type", "application/json"}};
  request.deadline = absl::Now() + absl::Seconds(10);
  auto response = net::http::SendAndWait(*client_, std::move(request));
  return response.ok() ? response->body : "";
}

void Sandbox::Faults(payments::v1::Provider provider, const std::string& plan_json) {
  const std::string reply = Control("POST", "/_sandbox/faults", plan_json, provider);
  EXPECT_FALSE(reply.empty()) << "fault plan refused: " << plan_json;
}

int64_t Sandbox::StateField(payments::v1::Provider provider, const std::string& field) {
  auto state = providers::ParseJsonObject(Control("GET", StatePath(provider), "", provider));
  return state.ok() ? providers::OptionalInt(*state, field).value_or(-1) : -1;
}

int64_t Sandbox::MoneyOutsCreated() { return StateField(PROVIDER_MONATO, "money_outs_created"); }

int64_t Sandbox::TransfersCreated(payments::v1::Provider provider) {
  if (provider == PROVIDER_STP) return StateField(PROVIDER_STP, "orders_created");
  return provider == PROVIDER_FINTOC ? StateField(PROVIDER_FINTOC, "outbound_created")
                                     : MoneyOutsCreated();
}

int64_t Sandbox::Sends(payments::v1::Provider provider) { return Tally(provider).sends; }

SendTally Sandbox::Tally(payments::v1::Provider provider) {
  SendTally tally;
  auto engine = providers::ParseJsonObject(Control("GET", "/_sandbox/sends", "", provider));
  if (!engine.ok()) return tally;
  const boost::json::value* total = engine->if_contains("total");
  if (total == nullptr || !total->is_object()) return tally;
  tally.sends = providers::OptionalInt(total->as_object(), "sends").value_or(-1);
  tally.created = providers::OptionalInt(total->as_object(), "created").value_or(-1);
  tally.replays = providers::OptionalInt(total->as_object(), "replays").value_or(-1);
  tally.refused = providers::OptionalInt(total->as_object(), "refused").value_or(-1);
  tally.max_created_per_key = providers::OptionalInt(*engine, "max_created_per_key").value_or(-1);
  tally.max_created_per_body = providers::OptionalInt(*engine, "max_created_per_body").value_or(-1);
  if (const boost::json::value* keys = engine->if_contains("keys"); keys && keys->is_array()) {
    for (const boost::json::value& key : keys->as_array()) {
      if (!key.is_object()) continue;
      ++tally.keys_by_sends[providers::OptionalInt(key.as_object(), "sends").value_or(-1)];
    }
  }
  return tally;
}

std::map<std::string, ProviderTransfer> Sandbox::Transfers(payments::v1::Provider provider) {
  std::map<std::string, ProviderTransfer> transfers;
  auto reply = providers::ParseJsonObject(Control("GET", "/_sandbox/transfers", "", provider));
  const boost::json::value* rows = reply.ok() ? reply->if_contains("transfers") : nullptr;
  if (rows == nullptr || !rows->is_array()) return transfers;
  for (const boost::json::value& row : rows->as_array()) {
    if (!row.is_object()) continue;
    const boost::json::object& fields = row.as_object();
    bool payout = false;
    if (provider == PROVIDER_MONATO)
      payout = providers::StringOr(fields, "operation") == "money_out";
    if (provider == PROVIDER_FINTOC)
      payout = providers::StringOr(fields, "direction") == "outbound";
    if (provider == PROVIDER_STP) payout = providers::StringOr(fields, "tipo") == "E";
    if (!payout) continue;
    transfers[providers::StringOr(fields, "id")] = {
        providers::OptionalInt(fields, "amount").value_or(-1),
        providers::StringOr(fields, "counterparty_clabe")};
  }
  return transfers;
}

std::string Sandbox::MainAccount() {
  auto state = providers::ParseJsonObject(Control("GET", "/_sandbox/monato/state"));
  return state.ok() ? providers::StringOr(*state, "main_account_id") : "";
}

std::string Sandbox::SourceAccount(payments::v1::Provider provider) {
  if (provider == PROVIDER_MONATO) return "monato.acct." + MainAccount();
  if (provider == PROVIDER_STP) {
    auto state = providers::ParseJsonObject(Control("GET", StatePath(provider), "", provider));
    return state.ok() ? "stp.acct." + providers::StringOr(*state, "cuenta_ordenante") : "";
  }
  auto state =
      providers::ParseJsonObject(Control("GET", "/_sandbox/fintoc/state", "", PROVIDER_FINTOC));
  return state.ok() ? "fintoc.acct." + providers::StringOr(*state, "account_id") : "";
}

Gateway::Gateway(const std::string& name, const std::string& store_url, const Sandbox& sandbox,
                 const GatewayProcessOptions& options) {
  WriteFile(TempPath("monato_api_key"), "monato-sandbox-api-key\n");
  WriteFile(TempPath("monato_client_secret"), "monato-sandbox-client-secret\n");
  WriteFile(TempPath("fintoc_secret_key"), "sk_test_sandbox_fintoc_secret_key\n");
  std::string config = absl::StrCat(
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
    max_connections: 32  # room for every call the crash test keeps open at the provider
    client_id: c2d1d1e3-3340-4170-980e-e9269bbbc551
    credentials:
      api_key: {file: )yaml",
      TempPath("monato_api_key"), R"yaml(}
      client_secret: {file: )yaml",
      TempPath("monato_client_secret"), R"yaml(}
  fintoc:
    enabled: true
    base_url: )yaml",
      sandbox.FintocUrl(), R"yaml(
    ca_file: )yaml",
      sandbox.ca_path(), R"yaml(
    timeout: 10s
    max_connections: 32  # room for every call the crash test keeps open at the provider
    mode: test
    credentials:
      secret_key: {file: )yaml",
      TempPath("fintoc_secret_key"), R"yaml(}
      jws_private_key: {file: )yaml",
      sandbox.jws_private_key_path(), "}\n");
  if (sandbox.stp()) {
    config += absl::StrCat(R"yaml(  stp:
    enabled: true
    base_url: )yaml",
                           sandbox.StpUrl(), R"yaml(/speiws/rest
    ca_file: )yaml",
                           sandbox.ca_path(), R"yaml(
    timeout: 10s
    empresa: SANDBOX
    cuenta_ordenante: "646180000000000012"
    credentials:
      private_key: {file: )yaml",
                           sandbox.stp_private_key_path(), "}\n");
  }
  if (options.webhook_port > 0) {
    WriteFile(TempPath(name + "-stp-webhook-token"), absl::StrCat(kStpProcessWebhookToken, "\n"));
    config += absl::StrCat(
        "webhooks:\n  enabled: true\n  listen_address: 127.0.0.1:", options.webhook_port,
        "\n  public_url: http://127.0.0.1:", options.webhook_port,
        "\n  stp_tokens:\n    - {file: ", TempPath(name + "-stp-webhook-token"), "}\n");
  }
  WriteFile(TempPath(name + ".yaml"), config);
  std::remove(TempPath(name + ".port").c_str());
  std::remove(TempPath(name + ".admin_port").c_str());
  process_ = std::make_unique<ChildProcess>(
      "gateway/gateway",
      std::vector<std::string>{"--config=" + TempPath(name + ".yaml"),
                               "--port_file=" + TempPath(name + ".port"),
                               "--admin_port_file=" + TempPath(name + ".admin_port")},
      TempPath(name + ".log"), ChildOptions{options.env});
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

int FreeWebhookPort() {
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  std::random_device random;  // not the pid: Bazel's sandbox gives every test the same one
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int port = 20000 + static_cast<int>(random() % std::max(1, ephemeral_low - 20000));
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    close(fd);
    if (free) return port;
  }
  return 0;
}

std::string HttpGet(int port, const std::string& path, int* status) {
  net::http::BeastHttpClientOptions options;
  options.allow_plain_http = true;  // the admin port is plain HTTP
  auto client = net::http::BeastHttpClient::Create(options);
  if (!client.ok()) {
    ADD_FAILURE() << client.status();
    return "";
  }
  net::http::HttpRequest request;
  request.method = "GET";
  request.url = absl::StrCat("http://127.0.0.1:", port, path);
  request.deadline = absl::Now() + absl::Seconds(10);
  auto response = net::http::SendAndWait(**client, std::move(request));
  if (!response.ok()) {
    ADD_FAILURE() << "GET " << path << ": " << response.status();
    return "";
  }
  if (status != nullptr) *status = response->status;
  return response->body;
}

payments::v1::CreatePayoutRequest PayoutRequest(const std::string& account,
                                                const std::string& key) {
  return PayoutFrom("monato.acct." + account, key);
}

payments::v1::CreatePayoutRequest PayoutFrom(const std::string& source_account,
                                             const std::string& key, int64_t amount_minor) {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(key);
  request.set_source_account_id(source_account);
  request.mutable_amount()->set_amount_minor(amount_minor);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_description("Pago tras caida");
  request.set_numeric_reference(99);
  return request;
}

void AsyncCreates::Send(const payments::v1::CreatePayoutRequest& request) {
  calls_.push_back(std::make_unique<Call>());
  Call& call = *calls_.back();
  call.request = request;
  call.context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  stub_.async()->CreatePayout(&call.context, &call.request, &call.payout, [this](grpc::Status) {
    absl::MutexLock lock(&mu_);
    ++answered_;
  });
}

void AsyncCreates::CancelAndWait() {
  for (auto& call : calls_) call->context.TryCancel();
  const int sent = static_cast<int>(calls_.size());
  absl::MutexLock lock(&mu_);
  auto all_answered = [this, sent]()
                          ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return answered_ == sent; };
  mu_.Await(absl::Condition(&all_answered));
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

int Occurrences(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

void OpensslPki::MakeCa(const std::string& ca) const {
  const std::string command = absl::StrCat(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "
      "/CN=",
      ca, " -keyout ", Path(ca + ".key"), " -out ", Path(ca + ".pem"), " 2>/dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

void OpensslPki::MakeCert(const std::string& ca, const std::string& cn,
                          const std::string& name) const {
  WriteFile(Path("ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  const std::string command = absl::StrCat(
      "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=", cn,
      " -keyout ", Path(name + ".key"), " -out ", Path(name + ".csr"), " 2>/dev/null && ",
      "openssl x509 -req -days 1 -in ", Path(name + ".csr"), " -CA ", Path(ca + ".pem"), " -CAkey ",
      Path(ca + ".key"), " -CAcreateserial -extfile ", Path("ext"), " -out ", Path(name + ".pem"),
      " 2>/dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

}  // namespace e2e
