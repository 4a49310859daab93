#include "bench/chaos/environment.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <utility>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bench/sandbox_control.h"
#include "vocabulary/status_macros.h"

namespace chaos {
namespace {

using e2e::ChildOptions;
using e2e::ChildProcess;
using e2e::ReadFile;
using e2e::WriteFile;

// Logs accumulate over restarts. The gateway is restarted from the killer thread, which ends
// before the run does: no death signal tied to it.
ChildOptions LongLived() {
  ChildOptions options;
  options.append_log = true;
  options.die_with_parent = false;
  return options;
}

// A port nobody listens on now, kept for the gateway's restarts.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

// A fresh RSA-2048 pair for Fintoc's JWS: the private half for the gateway, the public half
// for the sandbox.
absl::Status WriteJwsKeyPair(const std::string& private_path, const std::string& public_path) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  if (key == nullptr) return absl::InternalError("EVP_RSA_gen failed");
  std::unique_ptr<FILE, decltype(&fclose)> out(fopen(private_path.c_str(), "w"), &fclose);
  if (out == nullptr ||
      !PEM_write_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)) {
    return absl::InternalError(absl::StrCat("cannot write ", private_path));
  }
  out.reset(fopen(public_path.c_str(), "w"));
  if (out == nullptr || !PEM_write_PUBKEY(out.get(), key.get())) {
    return absl::InternalError(absl::StrCat("cannot write ", public_path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Environment>> Environment::Start(EnvironmentOptions options) {
  std::unique_ptr<Environment> env(new Environment(std::move(options)));
  RETURN_IF_ERROR(env->WriteSecrets());
  RETURN_IF_ERROR(env->StartSandbox());
  env->grpc_port_ = FreePort();
  RETURN_IF_ERROR(env->StartGateway());
  return env;
}

Environment::~Environment() {
  gateway_.reset();  // SIGKILL whatever still runs
  sandbox_.reset();
}

absl::Status Environment::WriteSecrets() {
  const std::string& d = options_.dir;
  const bool written =
      WriteFile(d + "/monato_api_key", "monato-sandbox-api-key\n") &&
      WriteFile(d + "/monato_client_secret", "monato-sandbox-client-secret\n") &&
      WriteFile(d + "/fintoc_secret_key", "sk_test_chaos_fintoc_secret_key\n") &&
      WriteFile(d + "/fintoc_webhook_secret", "whsec_chaos_fintoc_webhook_secret\n") &&
      WriteFile(d + "/monato_webhook_token", "monato-chaos-webhook-token-0123456789\n");
  if (!written) return absl::InternalError(absl::StrCat("cannot write secrets in ", d));
  return WriteJwsKeyPair(d + "/jws_private.pem", d + "/jws_public.pem");
}

absl::Status Environment::StartSandbox() {
  const std::string& d = options_.dir;
  webhook_port_ = webhook_port_ == 0 ? FreePort() : webhook_port_;
  std::vector<std::string> args = {
      "--ports_file=" + d + "/sandbox.ports",
      "--ca_out=" + d + "/sandbox-ca.pem",
      "--monato_api_key_file=" + d + "/monato_api_key",
      "--monato_client_secret_file=" + d + "/monato_client_secret",
      "--fintoc_secret_key_file=" + d + "/fintoc_secret_key",
      "--fintoc_jws_public_key_file=" + d + "/jws_public.pem",
      "--fintoc_webhook_secret_file=" + d + "/fintoc_webhook_secret",
      absl::StrCat("--fintoc_webhook_url=http://127.0.0.1:", webhook_port_, "/webhooks/fintoc"),
      absl::StrCat("--settle_after_ms=", options_.settle_after_ms),
      absl::StrCat("--webhook_duplicate_percent=", options_.webhook_duplicate_percent),
      absl::StrCat("--webhook_max_delay_ms=", options_.webhook_max_delay_ms),
      "--threads=2",
  };
  if (!options_.provider_dedup) args.push_back("--no_dedup");
  std::remove((d + "/sandbox.ports").c_str());
  sandbox_ = std::make_unique<ChildProcess>(options_.sandbox_binary, args, d + "/sandbox.log",
                                            LongLived());
  if (!sandbox_->WaitForFile(d + "/sandbox.ports") ||
      !sandbox_->WaitForFile(d + "/sandbox-ca.pem")) {
    return absl::UnavailableError(
        absl::StrCat("the sandbox did not start; see ", d, "/sandbox.log"));
  }
  for (absl::string_view line : absl::StrSplit(ReadFile(d + "/sandbox.ports"), '\n')) {
    if (absl::ConsumePrefix(&line, "monato=")) (void)absl::SimpleAtoi(line, &monato_port_);
    if (absl::ConsumePrefix(&line, "fintoc=")) (void)absl::SimpleAtoi(line, &fintoc_port_);
  }
  if (monato_port_ == 0 || fintoc_port_ == 0) return absl::InternalError("bad sandbox.ports");
  return absl::OkStatus();
}

std::string Environment::GatewayConfig() const {
  const std::string& d = options_.dir;
  const std::string ca = d + "/sandbox-ca.pem";
  return absl::StrCat(R"yaml(server:
  listen_address: 127.0.0.1:)yaml",
                      grpc_port_, R"yaml(
  drain_delay: 0s
  shutdown_grace: 2s
log:
  level: warning
store:
  url: sqlite://)yaml",
                      d, R"yaml(/gateway.db
  lease: )yaml",
                      options_.lease, R"yaml(
  resolve_interval: )yaml",
                      options_.resolve_interval, R"yaml(
  pending_recheck: )yaml",
                      options_.pending_recheck, R"yaml(
validation:
  extra_banks:
    - {banxico_code: "90735", name: "Fintoc (test mode)"}
webhooks:
  enabled: true
  listen_address: 127.0.0.1:)yaml",
                      webhook_port_, R"yaml(
  public_url: http://127.0.0.1:)yaml",
                      webhook_port_, R"yaml(
  fintoc_secrets:
    - {file: )yaml",
                      d, R"yaml(/fintoc_webhook_secret}
  monato_tokens:
    - {file: )yaml",
                      d, R"yaml(/monato_webhook_token}
providers:
  monato:
    enabled: true
    base_url: https://127.0.0.1:)yaml",
                      monato_port_, R"yaml(
    ca_file: )yaml",
                      ca, R"yaml(
    timeout: )yaml",
                      options_.provider_timeout, R"yaml(
    client_id: c2d1d1e3-3340-4170-980e-e9269bbbc551
    credentials:
      api_key: {file: )yaml",
                      d, R"yaml(/monato_api_key}
      client_secret: {file: )yaml",
                      d, R"yaml(/monato_client_secret}
  fintoc:
    enabled: true
    base_url: https://127.0.0.1:)yaml",
                      fintoc_port_, R"yaml(
    ca_file: )yaml",
                      ca, R"yaml(
    timeout: )yaml",
                      options_.provider_timeout, R"yaml(
    mode: test
    credentials:
      secret_key: {file: )yaml",
                      d, R"yaml(/fintoc_secret_key}
      jws_private_key: {file: )yaml",
                      d, R"yaml(/jws_private.pem}
)yaml");
}

absl::Status Environment::StartGateway() {
  const std::string& d = options_.dir;
  if (!WriteFile(d + "/gateway.yaml", GatewayConfig())) {
    return absl::InternalError("cannot write gateway.yaml");
  }
  // The ports of a killed gateway can take a moment to be free again: a few tries.
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::remove((d + "/gateway.port").c_str());
    gateway_ = std::make_unique<ChildProcess>(
        options_.gateway_binary,
        std::vector<std::string>{"--config=" + d + "/gateway.yaml",
                                 "--port_file=" + d + "/gateway.port"},
        d + "/gateway.log", LongLived());
    if (gateway_->WaitForFile(d + "/gateway.port", absl::Seconds(30))) {
      ++gateway_starts_;
      return absl::OkStatus();
    }
    gateway_.reset();
    absl::SleepFor(absl::Milliseconds(250));
  }
  return absl::UnavailableError(absl::StrCat("the gateway did not start; see ", d, "/gateway.log"));
}

void Environment::KillGateway() {
  if (gateway_ == nullptr) return;
  gateway_->Signal(SIGKILL);
  gateway_->WaitForExit(absl::Seconds(10));
  gateway_.reset();
}

bool Environment::Stop() {
  int gateway_exit = 0;
  if (gateway_ != nullptr) {
    gateway_->Signal(SIGTERM);
    gateway_exit = gateway_->WaitForExit(absl::Seconds(30));
  }
  int sandbox_exit = 0;
  if (sandbox_ != nullptr) {
    sandbox_->Signal(SIGTERM);
    sandbox_exit = sandbox_->WaitForExit(absl::Seconds(30));
  }
  return gateway_exit == 0 && sandbox_exit == 0;
}

std::string Environment::grpc_address() const { return absl::StrCat("127.0.0.1:", grpc_port_); }

absl::StatusOr<std::string> Environment::Control(const std::string& provider,
                                                 const std::string& method, const std::string& path,
                                                 const std::string& body) {
  const int port = provider == "fintoc" ? fintoc_port_ : monato_port_;
  return bench::SandboxControl(absl::StrCat("https://127.0.0.1:", port),
                               options_.dir + "/sandbox-ca.pem", method, path, body);
}

}  // namespace chaos
