// The provider sandbox: one process serving a Monato Fincore simulator, a Fintoc Transfers v2
// simulator and an STP SPEI simulator, each on its own HTTPS port, with a throwaway CA made at
// start-up. Start-up facts (ports, seeded ids) are JSON lines on stderr; see sandbox/README.md.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sandbox/common/log.h"
#include "sandbox/common/money.h"
#include "sandbox/fintoc/fintoc_simulator.h"
#include "sandbox/http/http_server.h"
#include "sandbox/monato/monato_simulator.h"
#include "sandbox/stp/stp_simulator.h"
#include "sandbox/tls/test_pki.h"
#include "vocabulary/status_macros.h"

ABSL_FLAG(std::string, address, "127.0.0.1", "Address both servers listen on.");
ABSL_FLAG(int, monato_port, 0, "Monato HTTPS port; 0 picks a free one.");
ABSL_FLAG(int, fintoc_port, 0, "Fintoc HTTPS port; 0 picks a free one.");
ABSL_FLAG(int, stp_port, 0, "STP HTTPS port; 0 picks a free one.");
ABSL_FLAG(std::string, ports_file, "",
          "Where to write \"monato=PORT\\nfintoc=PORT\\nstp=PORT\\n\" once all listen "
          "(atomically).");
ABSL_FLAG(std::string, ca_out, "", "Where to write the sandbox CA certificate (PEM).");
ABSL_FLAG(std::string, cert_names, "",
          "Extra comma-separated DNS names or IPs for the server certificate (besides "
          "localhost, 127.0.0.1 and --address).");
ABSL_FLAG(int, threads, 2, "Server threads per port.");
ABSL_FLAG(int, settle_after_ms, 2000,
          "Pending payouts settle after this long; negative: only on POST /_sandbox/settle.");
ABSL_FLAG(int, token_lifetime_s, 86400, "Monato credential token lifetime.");
ABSL_FLAG(int, money_out_processing_ms, 0,
          "How long a Monato money_out takes to answer (exposes operation_in_progress).");
ABSL_FLAG(bool, no_dedup, false,
          "Both providers ignore Idempotency-Key (every money-moving POST moves money), as when "
          "a key expired; POST /_sandbox/dedup switches it at run time.");
ABSL_FLAG(int, webhook_duplicate_percent, 0,
          "0-100: this share of both providers' webhook events is delivered twice.");
ABSL_FLAG(int, webhook_max_delay_ms, 0,
          "Each webhook delivery waits a random 0..N ms first, so events arrive out of order.");
ABSL_FLAG(std::string, monato_client_id, sandbox::kMonatoDefaultClientId, "Monato client id.");
ABSL_FLAG(std::string, monato_api_key_file, "",
          "File holding the Monato x-api-key; absent: the demo default of the README.");
ABSL_FLAG(std::string, monato_client_secret_file, "",
          "File holding the Monato client secret; absent: the demo default of the README.");
ABSL_FLAG(std::string, monato_webhook_ca_file, "",
          "CA bundle (PEM) to verify https:// Monato webhook receivers; empty: system store.");
ABSL_FLAG(std::string, fintoc_secret_key_file, "",
          "File holding the Fintoc secret key; absent: the demo default of the README.");
ABSL_FLAG(std::string, fintoc_jws_public_key_file, "",
          "PEM public key that Fintoc-JWS-Signature must verify with; absent: transfers answer "
          "401 missing_active_jws_public_key.");
ABSL_FLAG(std::string, fintoc_webhook_url, "", "Where Fintoc events are POSTed; empty: none.");
ABSL_FLAG(std::string, fintoc_webhook_secret_file, "",
          "File holding the Fintoc webhook secret; absent: the demo default of the README.");
ABSL_FLAG(std::string, fintoc_webhook_ca_file, "",
          "CA bundle (PEM) to verify an https:// Fintoc webhook receiver; empty: system store.");
ABSL_FLAG(std::string, stp_empresa, sandbox::kStpDefaultEmpresa, "The one STP company (empresa).");
ABSL_FLAG(std::string, stp_cuenta_ordenante, sandbox::kStpDefaultCuentaOrdenante,
          "The company's ordering CLABE at STP (646...).");
ABSL_FLAG(std::string, stp_public_key_file, "",
          "PEM RSA public key every STP firma must verify with; absent: every signed call "
          "answers \"Error validando la firma\".");
ABSL_FLAG(std::string, stp_state_webhook_url, "",
          "Where STP order state changes (cambio de estado) are POSTed; empty: none.");
ABSL_FLAG(std::string, stp_deposit_webhook_url, "",
          "Where STP deposits received (abonos) are POSTed; empty: none.");
ABSL_FLAG(std::string, stp_webhook_ca_file, "",
          "CA bundle (PEM) to verify https:// STP notification receivers; empty: system store.");

namespace sandbox {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A secret from a file (trailing newline and spaces dropped), or `fallback` without a file.
absl::StatusOr<std::string> ReadSecret(const std::string& path, const std::string& fallback,
                                       bool* from_file) {
  *from_file = !path.empty();
  if (path.empty()) return fallback;
  ASSIGN_OR_RETURN(const std::string text, ReadFile(path));
  std::string secret(absl::StripAsciiWhitespace(text));
  if (secret.empty()) return absl::InvalidArgumentError(absl::StrCat(path, " is empty"));
  return secret;
}

// Written to a temporary name and renamed, so a reader never sees half a file.
absl::Status WriteFileAtomically(const std::string& path, const std::string& contents) {
  const std::string temporary = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << contents;
    if (!out.flush()) return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

bool LooksLikeIp(const std::string& name) {
  return name.find(':') != std::string::npos ||
         name.find_first_not_of("0123456789.") == std::string::npos;
}

int Fail(const absl::Status& status) {
  LogJson("error", "sandbox cannot start", {{"error", status.ToString()}});
  return 1;
}

int Run() {
  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const std::string address = absl::GetFlag(FLAGS_address);
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ips = {"127.0.0.1"};
  std::vector<std::string> extra =
      absl::StrSplit(absl::GetFlag(FLAGS_cert_names), ',', absl::SkipWhitespace());
  extra.push_back(address);
  for (const std::string& name : extra) {
    if (name == "0.0.0.0" || name == "::" || name == "localhost" || name == "127.0.0.1") continue;
    (LooksLikeIp(name) ? ips : dns_names).push_back(name);
  }
  absl::StatusOr<TestPki> pki = MakeTestPki("Payouts gateway sandbox CA", dns_names, ips);
  if (!pki.ok()) return Fail(pki.status());
  if (!absl::GetFlag(FLAGS_ca_out).empty()) {
    if (absl::Status s = WriteFileAtomically(absl::GetFlag(FLAGS_ca_out), pki->ca_cert_pem);
        !s.ok()) {
      return Fail(s);
    }
  }
  const absl::Duration settle_after = absl::Milliseconds(absl::GetFlag(FLAGS_settle_after_ms));

  MonatoConfig monato;
  bool monato_key_from_file = false, monato_secret_from_file = false;
  monato.client_id = absl::GetFlag(FLAGS_monato_client_id);
  absl::StatusOr<std::string> api_key = ReadSecret(absl::GetFlag(FLAGS_monato_api_key_file),
                                                   kMonatoDemoApiKey, &monato_key_from_file);
  absl::StatusOr<std::string> client_secret =
      ReadSecret(absl::GetFlag(FLAGS_monato_client_secret_file), kMonatoDemoClientSecret,
                 &monato_secret_from_file);
  if (!api_key.ok()) return Fail(api_key.status());
  if (!client_secret.ok()) return Fail(client_secret.status());
  monato.api_key = *api_key;
  monato.client_secret = *client_secret;
  monato.token_lifetime = absl::Seconds(absl::GetFlag(FLAGS_token_lifetime_s));
  monato.settle_after = settle_after;
  monato.money_out_processing = absl::Milliseconds(absl::GetFlag(FLAGS_money_out_processing_ms));
  monato.webhooks.ca_file = absl::GetFlag(FLAGS_monato_webhook_ca_file);
  monato.dedup = !absl::GetFlag(FLAGS_no_dedup);
  monato.webhook_faults.duplicate_percent = absl::GetFlag(FLAGS_webhook_duplicate_percent);
  monato.webhook_faults.max_delay = absl::Milliseconds(absl::GetFlag(FLAGS_webhook_max_delay_ms));

  FintocConfig fintoc;
  bool fintoc_key_from_file = false, fintoc_secret_from_file = false;
  absl::StatusOr<std::string> secret_key = ReadSecret(absl::GetFlag(FLAGS_fintoc_secret_key_file),
                                                      kFintocDemoSecretKey, &fintoc_key_from_file);
  absl::StatusOr<std::string> webhook_secret =
      ReadSecret(absl::GetFlag(FLAGS_fintoc_webhook_secret_file), kFintocDemoWebhookSecret,
                 &fintoc_secret_from_file);
  if (!secret_key.ok()) return Fail(secret_key.status());
  if (!webhook_secret.ok()) return Fail(webhook_secret.status());
  fintoc.secret_key = *secret_key;
  fintoc.webhook_secret = *webhook_secret;
  if (const std::string path = absl::GetFlag(FLAGS_fintoc_jws_public_key_file); !path.empty()) {
    absl::StatusOr<std::string> pem = ReadFile(path);
    if (!pem.ok()) return Fail(pem.status());
    fintoc.jws_public_key_pem = *pem;
  }
  fintoc.webhook_url = absl::GetFlag(FLAGS_fintoc_webhook_url);
  fintoc.webhooks.ca_file = absl::GetFlag(FLAGS_fintoc_webhook_ca_file);
  fintoc.settle_after = settle_after;
  fintoc.dedup = !absl::GetFlag(FLAGS_no_dedup);
  fintoc.webhook_faults = monato.webhook_faults;

  StpConfig stp;
  stp.empresa = absl::GetFlag(FLAGS_stp_empresa);
  stp.cuenta_ordenante = absl::GetFlag(FLAGS_stp_cuenta_ordenante);
  if (const std::string path = absl::GetFlag(FLAGS_stp_public_key_file); !path.empty()) {
    absl::StatusOr<std::string> pem = ReadFile(path);
    if (!pem.ok()) return Fail(pem.status());
    stp.public_key_pem = *pem;
  }
  stp.state_webhook_url = absl::GetFlag(FLAGS_stp_state_webhook_url);
  stp.deposit_webhook_url = absl::GetFlag(FLAGS_stp_deposit_webhook_url);
  stp.webhooks.ca_file = absl::GetFlag(FLAGS_stp_webhook_ca_file);
  stp.settle_after = settle_after;
  stp.dedup = !absl::GetFlag(FLAGS_no_dedup);
  stp.webhook_faults = monato.webhook_faults;

  auto monato_simulator = std::make_unique<MonatoSimulator>(monato);
  absl::StatusOr<std::unique_ptr<FintocSimulator>> fintoc_simulator =
      FintocSimulator::Create(fintoc);
  if (!fintoc_simulator.ok()) return Fail(fintoc_simulator.status());
  absl::StatusOr<std::unique_ptr<StpSimulator>> stp_simulator = StpSimulator::Create(stp);
  if (!stp_simulator.ok()) return Fail(stp_simulator.status());

  ServerOptions options;
  options.control_endpoints = true;  // /_sandbox/stats and /_sandbox/faults
  options.server_name = "payouts-gateway-sandbox";
  options.address = address;
  options.cert_pem = pki->server_cert_pem;
  options.key_pem = pki->server_key_pem;
  options.threads = absl::GetFlag(FLAGS_threads);
  options.port = absl::GetFlag(FLAGS_monato_port);
  MonatoSimulator* monato_raw = monato_simulator.get();
  absl::StatusOr<std::unique_ptr<HttpServer>> monato_server = HttpServer::Start(
      options, [monato_raw](const ServerRequest& request, const Responder& responder) {
        monato_raw->Handle(request, responder);
      });
  if (!monato_server.ok()) return Fail(monato_server.status());
  options.port = absl::GetFlag(FLAGS_fintoc_port);
  FintocSimulator* fintoc_raw = fintoc_simulator->get();
  absl::StatusOr<std::unique_ptr<HttpServer>> fintoc_server = HttpServer::Start(
      options, [fintoc_raw](const ServerRequest& request, const Responder& responder) {
        fintoc_raw->Handle(request, responder);
      });
  if (!fintoc_server.ok()) return Fail(fintoc_server.status());
  options.port = absl::GetFlag(FLAGS_stp_port);
  StpSimulator* stp_raw = stp_simulator->get();
  absl::StatusOr<std::unique_ptr<HttpServer>> stp_server = HttpServer::Start(
      options, [stp_raw](const ServerRequest& request, const Responder& responder) {
        stp_raw->Handle(request, responder);
      });
  if (!stp_server.ok()) return Fail(stp_server.status());

  const int monato_port = (*monato_server)->port();
  const int fintoc_port = (*fintoc_server)->port();
  const int stp_port = (*stp_server)->port();
  if (!absl::GetFlag(FLAGS_ports_file).empty()) {
    if (absl::Status s = WriteFileAtomically(absl::GetFlag(FLAGS_ports_file),
                                             absl::StrCat("monato=", monato_port, "\nfintoc=",
                                                          fintoc_port, "\nstp=", stp_port, "\n"));
        !s.ok()) {
      return Fail(s);
    }
  }
  const MonatoSeed& seed = monato_simulator->seed();
  LogJson(
      "info", "monato seed",
      {{"client_id", seed.client_id},
       {"main_account_id", seed.main_account_id},
       {"main_instrument_id", seed.main_instrument_id},
       {"main_clabe", seed.main_clabe},
       {"main_account_balance", FormatTwoDecimalAmount(monato.main_account_balance_cents)},
       {"credentials", monato_key_from_file && monato_secret_from_file ? "files" : "demo defaults"},
       {"rejected_destination_clabe", kMonatoRejectedClabe}});
  LogJson("info", "fintoc seed",
          {{"account_id", fintoc.account_id},
           {"root_account_number_id", fintoc.root_account_number_id},
           {"root_account_number", fintoc.root_account_number},
           {"entity_id", fintoc.entity_id},
           {"available_balance", fintoc.account_balance},
           {"currency", "MXN"},
           {"secret_key", fintoc_key_from_file ? "file" : "demo default"},
           {"jws_public_key", fintoc.jws_public_key_pem.empty() ? "none" : "configured"},
           {"webhook_url", fintoc.webhook_url},
           {"rejected_counterparty", kFintocRejectedCounterparty}});
  if (fintoc.jws_public_key_pem.empty()) {
    LogJson("warning",
            "no --fintoc_jws_public_key_file: POST /v2/transfers answers 401 "
            "missing_active_jws_public_key");
  }
  LogJson("info", "stp seed",
          {{"empresa", stp.empresa},
           {"cuenta_ordenante", stp.cuenta_ordenante},
           {"institucion_operante", kStpBankCode},
           {"public_key", stp.public_key_pem.empty() ? "none" : "configured"},
           {"state_webhook_url", stp.state_webhook_url},
           {"deposit_webhook_url", stp.deposit_webhook_url},
           {"cancelled_beneficiary", kStpCancelledBeneficiary}});
  if (stp.public_key_pem.empty()) {
    LogJson("warning",
            "no --stp_public_key_file: every STP order and query answers \"Error validando la "
            "firma\"");
  }
  LogJson("info", "sandbox listening",
          {{"address", address},
           {"monato_port", monato_port},
           {"fintoc_port", fintoc_port},
           {"stp_port", stp_port},
           {"ca_out", absl::GetFlag(FLAGS_ca_out)},
           {"settle_after_ms", absl::GetFlag(FLAGS_settle_after_ms)},
           {"dedup", !absl::GetFlag(FLAGS_no_dedup)}});

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  LogJson("info", "sandbox stopping",
          {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  // Servers first (no more handler calls), then the simulators' timers and webhook
  // deliveries, then the servers' io_contexts.
  (*monato_server)->Stop();
  (*fintoc_server)->Stop();
  (*stp_server)->Stop();
  monato_simulator.reset();
  fintoc_simulator->reset();
  stp_simulator->reset();
  monato_server->reset();
  fintoc_server->reset();
  stp_server->reset();
  LogJson("info", "sandbox stopped");
  return 0;
}

}  // namespace
}  // namespace sandbox

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return sandbox::Run();
}
