// payctl: a small command-line client for the gateway (grpcurl is not packaged by Debian).
//
//   payctl [--addr=HOST:PORT] [--tls_ca_file=... [--tls_cert_file=... --tls_key_file=...]]
//          [--token_file=...] health | services | validate-clabe CLABE | banks |
//          accounts | limits [--source=ID] [--destination=CLABE] | get-payout ID |
//          create-payout [flags] | reconcile --from=T --to=T [--provider=NAME] | demo
//
// Replies are printed as JSON (limits and reconcile as tables); errors as the gRPC code, message
// and field violations.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/cli/channel.h"
#include "gateway/cli/limits_table.h"
#include "gateway/cli/reconciliation_table.h"
#include "gateway/cli/reflection_client.h"
#include "gateway/server/status_conversion.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "proto/payments/v1/account_service.grpc.pb.h"
#include "proto/payments/v1/limits_service.grpc.pb.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "proto/payments/v1/reconciliation_service.grpc.pb.h"
#include "vocabulary/error_details.h"
#include "vocabulary/proto_time.h"
#include "vocabulary/resource_id.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:50051", "Gateway gRPC address.");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM of the CA that signed the gateway's certificate; set: TLS (verified), "
          "unset: plaintext (the local demo).");
ABSL_FLAG(std::string, tls_cert_file, "",
          "Client certificate (PEM) for mutual TLS; needs --tls_key_file and --tls_ca_file.");
ABSL_FLAG(std::string, tls_key_file, "", "Private key (PEM) of --tls_cert_file.");
ABSL_FLAG(std::string, tls_server_name, "",
          "Name to check in the server certificate instead of the host in --addr.");
ABSL_FLAG(std::string, token_file, "",
          "File holding the caller token (a trailing newline is dropped); wins over the "
          "environment variable GATEWAY_CALLER_TOKEN. The token is never a flag value.");
ABSL_FLAG(std::string, key, "", "create-payout: idempotency key.");
ABSL_FLAG(std::string, source, "",
          "create-payout: source account id; limits: the account whose per-source-account "
          "usage to show.");
ABSL_FLAG(std::string, destination, "",
          "limits: the destination CLABE (or card number) whose per-destination usage to show.");
ABSL_FLAG(std::string, clabe, "", "create-payout: destination CLABE.");
ABSL_FLAG(std::string, holder, "", "create-payout: destination holder name.");
ABSL_FLAG(int64_t, amount_minor, 0, "create-payout: amount in centavos.");
ABSL_FLAG(std::string, description, "", "create-payout: SPEI concept.");
ABSL_FLAG(uint32_t, reference, 0, "create-payout: SPEI numeric reference.");
ABSL_FLAG(std::string, from, "",
          "reconcile: the window's start, RFC 3339 (e.g. 2026-12-01T00:00:00Z).");
ABSL_FLAG(std::string, to, "", "reconcile: the window's end (exclusive), RFC 3339.");
ABSL_FLAG(std::string, provider, "",
          "reconcile: one provider (monato, fintoc); unset: every configured one.");
ABSL_FLAG(int32_t, timeout_s, 300, "reconcile: how long to wait for the report, in seconds.");

namespace gateway {
namespace {

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

void PrintError(const grpc::Status& status) {
  std::cout << "error: " << static_cast<int>(status.error_code()) << " " << status.error_message()
            << "\n";
  for (const auto& violation : FieldViolationsOf(FromGrpcStatus(status))) {
    std::cout << "  field " << violation.field() << ": " << violation.description() << "\n";
  }
}

class Client {
 public:
  // `token`: the caller token (--token_file or GATEWAY_CALLER_TOKEN, never the command line);
  // empty: no authorization header.
  Client(std::shared_ptr<grpc::Channel> channel, std::string token)
      : token_(std::move(token)),
        channel_(std::move(channel)),
        health_(grpc::health::v1::Health::NewStub(channel_)),
        payouts_(payments::v1::PayoutService::NewStub(channel_)),
        accounts_(payments::v1::AccountService::NewStub(channel_)),
        limits_(payments::v1::LimitsService::NewStub(channel_)),
        reconciliation_(payments::v1::ReconciliationService::NewStub(channel_)) {}

  // Each call prints its reply and returns the gRPC status.
  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(Stub* stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response, bool print = true) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!token_.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
    grpc::Status status = (stub->*method)(&context, request, response);
    if (!print) return status;
    if (status.ok()) {
      std::cout << ToJson(*response);
    } else {
      PrintError(status);
    }
    return status;
  }

  bool Health() {
    grpc::health::v1::HealthCheckResponse response;
    auto status = Call(health_.get(), &grpc::health::v1::Health::Stub::Check,
                       grpc::health::v1::HealthCheckRequest(), &response, false);
    std::cout << "health: "
              << (status.ok()
                      ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())
                      : status.error_message())
              << "\n";
    return status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  }

  bool Services() {
    auto services = ListServicesByReflection(channel_);
    if (!services.ok()) {
      std::cout << "error: " << services.status() << "\n";
      return false;
    }
    for (const auto& service : *services) std::cout << service << "\n";
    return true;
  }

  payments::v1::ValidateClabeResponse ValidateClabe(const std::string& clabe,
                                                    grpc::Status* status) {
    payments::v1::ValidateClabeRequest request;
    request.set_clabe(clabe);
    payments::v1::ValidateClabeResponse response;
    *status = Call(accounts_.get(), &payments::v1::AccountService::Stub::ValidateClabe, request,
                   &response);
    return response;
  }

  grpc::Status Banks(payments::v1::ListBanksResponse* response, bool print) {
    payments::v1::ListBanksRequest request;
    request.set_page_size(500);
    return Call(accounts_.get(), &payments::v1::AccountService::Stub::ListBanks, request, response,
                print);
  }

  grpc::Status Accounts() {
    payments::v1::ListAccountsResponse response;
    return Call(accounts_.get(), &payments::v1::AccountService::Stub::ListAccounts,
                payments::v1::ListAccountsRequest(), &response);
  }

  // The caller's own policy and limits, printed as a table.
  grpc::Status Limits(const std::string& source_account_id, const std::string& destination) {
    payments::v1::GetCallerLimitsRequest request;
    request.set_source_account_id(source_account_id);
    request.set_destination(destination);
    payments::v1::CallerLimits response;
    grpc::Status status = Call(limits_.get(), &payments::v1::LimitsService::Stub::GetCallerLimits,
                               request, &response, false);
    if (status.ok()) {
      std::cout << FormatCallerLimits(response);
    } else {
      PrintError(status);
    }
    return status;
  }

  // A reconciliation run over the window, printed as tables. It runs within the call: a long
  // window takes a while, hence its own deadline.
  grpc::Status Reconcile(const payments::v1::ReconcileRequest& request, absl::Duration timeout,
                         payments::v1::ReconciliationReport* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    if (!token_.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
    grpc::Status status = reconciliation_->Reconcile(&context, request, response);
    if (status.ok()) {
      std::cout << FormatReconciliationReport(*response);
    } else {
      PrintError(status);
    }
    return status;
  }

  grpc::Status GetPayout(const std::string& id) {
    payments::v1::GetPayoutRequest request;
    request.set_payout_id(id);
    payments::v1::Payout response;
    return Call(payouts_.get(), &payments::v1::PayoutService::Stub::GetPayout, request, &response);
  }

  grpc::Status CreatePayout(const payments::v1::CreatePayoutRequest& request,
                            payments::v1::Payout* response, bool print = true) {
    return Call(payouts_.get(), &payments::v1::PayoutService::Stub::CreatePayout, request, response,
                print);
  }

  grpc::Status GetPayoutQuietly(const std::string& id, payments::v1::Payout* response) {
    payments::v1::GetPayoutRequest request;
    request.set_payout_id(id);
    return Call(payouts_.get(), &payments::v1::PayoutService::Stub::GetPayout, request, response,
                false);
  }

  // Streams WatchPayouts for one payout until `on_event` returns false or `timeout` passes.
  void Watch(const std::string& payout_id, absl::Duration timeout,
             const std::function<bool(const payments::v1::PayoutEvent&)>& on_event) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    if (!token_.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
    payments::v1::WatchPayoutsRequest request;
    request.add_payout_ids(payout_id);
    auto reader = payouts_->WatchPayouts(&context, request);
    payments::v1::PayoutEvent event;
    while (reader->Read(&event)) {
      if (!on_event(event)) {
        context.TryCancel();
        break;
      }
    }
    reader->Finish();
  }

  grpc::Status AccountsOf(payments::v1::Provider provider,
                          payments::v1::ListAccountsResponse* response) {
    payments::v1::ListAccountsRequest request;
    request.set_provider(provider);
    return Call(accounts_.get(), &payments::v1::AccountService::Stub::ListAccounts, request,
                response, false);
  }

 private:
  std::string token_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  std::unique_ptr<payments::v1::PayoutService::Stub> payouts_;
  std::unique_ptr<payments::v1::AccountService::Stub> accounts_;
  std::unique_ptr<payments::v1::LimitsService::Stub> limits_;
  std::unique_ptr<payments::v1::ReconciliationService::Stub> reconciliation_;
};

// --from, --to and --provider as a ReconcileRequest; a flag that does not parse is an error
// here (an unset one is left to the gateway, which names the field).
absl::StatusOr<payments::v1::ReconcileRequest> ReconcileFromFlags() {
  payments::v1::ReconcileRequest request;
  for (const auto& [flag, name] :
       {std::pair<std::string, const char*>{absl::GetFlag(FLAGS_from), "--from"},
        {absl::GetFlag(FLAGS_to), "--to"}}) {
    if (flag.empty()) continue;
    absl::Time time;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, flag, &time, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " must be an RFC 3339 time like 2026-12-01T00:00:00Z: ", error));
    }
    *(std::string(name) == "--from" ? request.mutable_from() : request.mutable_to()) =
        TimestampOf(time);
  }
  const std::string provider = absl::GetFlag(FLAGS_provider);
  if (!provider.empty()) {
    request.set_provider(ProviderFromName(provider));
    if (request.provider() == payments::v1::PROVIDER_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("--provider: unknown provider \"", provider, "\" (monato, fintoc)"));
    }
  }
  return request;
}

payments::v1::CreatePayoutRequest PayoutFromFlags() {
  payments::v1::CreatePayoutRequest request;
  request.set_idempotency_key(absl::GetFlag(FLAGS_key));
  request.set_source_account_id(absl::GetFlag(FLAGS_source));
  request.mutable_amount()->set_amount_minor(absl::GetFlag(FLAGS_amount_minor));
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe(absl::GetFlag(FLAGS_clabe));
  request.mutable_counterparty()->set_holder_name(absl::GetFlag(FLAGS_holder));
  request.set_description(absl::GetFlag(FLAGS_description));
  request.set_numeric_reference(absl::GetFlag(FLAGS_reference));
  return request;
}

bool IsFinal(payments::v1::PayoutStatus status) {
  return status == payments::v1::PAYOUT_STATUS_SUCCEEDED ||
         status == payments::v1::PAYOUT_STATUS_FAILED ||
         status == payments::v1::PAYOUT_STATUS_REJECTED ||
         status == payments::v1::PAYOUT_STATUS_RETURNED;
}

// One payout through `provider`, from CreatePayout to its final status. Returns failures.
int DemoPayout(Client& client, payments::v1::Provider provider, const std::string& name) {
  const std::string title = absl::StrCat("== ", name, ": ");
  payments::v1::ListAccountsResponse accounts;
  grpc::Status status = client.AccountsOf(provider, &accounts);
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
    std::cout << title << "not configured on this gateway; skipped\n\n";
    return 0;
  }
  if (!status.ok() || accounts.accounts().empty()) {
    std::cout << title << "FAIL cannot list accounts: " << status.error_message() << "\n\n";
    return 1;
  }
  const payments::v1::Account& source = accounts.accounts(0);
  std::cout << title << "paying from " << source.id() << " (balance "
            << source.available_balance().amount_minor() << " centavos)\n";
  payments::v1::CreatePayoutRequest request;
  // Unique per run, so the demo can be run again; reused below to show idempotency.
  request.set_idempotency_key(absl::StrCat("demo-", name, "-", absl::ToUnixMicros(absl::Now())));
  request.set_source_account_id(source.id());
  request.mutable_amount()->set_amount_minor(195);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe("014180655091438298");
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.set_description("Pago demo");
  request.set_numeric_reference(4242);
  std::cout << title << "CreatePayout MXN 1.95 to CLABE 014180655091438298\n";
  payments::v1::Payout payout;
  status = client.CreatePayout(request, &payout);
  if (!status.ok()) return 1;
  std::cout << title << "the same request again, same idempotency key\n";
  payments::v1::Payout again;
  status = client.CreatePayout(request, &again, false);
  const bool same = status.ok() && again.id() == payout.id();
  std::cout << (same ? "  ok  " : "  FAIL ") << "same payout " << again.id()
            << ", no second transfer\n";
  std::cout << title << "following " << payout.id() << " on WatchPayouts\n";
  client.Watch(payout.id(), absl::Seconds(15), [&](const payments::v1::PayoutEvent& event) {
    std::cout << "  event " << event.cursor() << ": "
              << payments::v1::PayoutStatus_Name(event.previous_status()) << " -> "
              << payments::v1::PayoutStatus_Name(event.payout().status()) << " ("
              << event.payout().provider_status() << ", tracking key "
              << event.payout().tracking_key() << ")\n";
    payout = event.payout();
    return !IsFinal(payout.status());
  });
  // No event (webhooks off or lost): read it, which also re-asks the provider.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (!IsFinal(payout.status()) && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(250));
    payments::v1::Payout read;
    if (client.GetPayoutQuietly(payout.id(), &read).ok()) {
      if (read.status() != payout.status()) {
        std::cout << "  " << payments::v1::PayoutStatus_Name(payout.status()) << " -> "
                  << payments::v1::PayoutStatus_Name(read.status()) << " ("
                  << read.provider_status() << ", tracking key " << read.tracking_key() << ")\n";
      }
      payout = read;
    }
  }
  const bool final_ok = payout.status() == payments::v1::PAYOUT_STATUS_SUCCEEDED;
  std::cout << (final_ok ? "  ok  " : "  FAIL ") << name << " payout "
            << payments::v1::PayoutStatus_Name(payout.status()) << "\n\n";
  return (same ? 0 : 1) + (final_ok ? 0 : 1);
}

// Walks through what the gateway does; exits non-zero if any step misbehaves.
int Demo(Client& client) {
  int failures = 0;
  auto step = [&](const std::string& title, bool ok) {
    std::cout << (ok ? "  ok  " : "  FAIL ") << title << "\n\n";
    if (!ok) ++failures;
  };
  std::cout << "== health (grpc.health.v1)\n";
  step("the gateway is SERVING", client.Health());
  std::cout << "== services (server reflection, what grpcurl list shows)\n";
  step("reflection lists the services", client.Services());

  std::cout << "== ValidateClabe: a valid CLABE (no provider is called)\n";
  grpc::Status status;
  auto valid = client.ValidateClabe("012180026050783858", &status);
  step("012180026050783858 is valid (BBVA México)", status.ok() && valid.valid());
  std::cout << "== ValidateClabe: a documentation example with a wrong check digit\n";
  auto invalid = client.ValidateClabe("738969123456789120", &status);
  step("738969123456789120 is rejected, check digit 6 expected",
       status.ok() && !invalid.valid() && invalid.expected_check_digit() == "6");

  std::cout << "== ListBanks: the built-in SPEI catalogue\n";
  payments::v1::ListBanksResponse banks;
  status = client.Banks(&banks, false);
  std::cout << banks.banks_size() << " banks, e.g. " << banks.banks(0).clabe_prefix() << " "
            << banks.banks(0).name() << "\n";
  step("the catalogue lists SPEI participants", status.ok() && banks.banks_size() > 90);

  std::cout << "== CreatePayout with bad fields: every field named, nothing sent\n";
  payments::v1::CreatePayoutRequest bad;
  bad.set_idempotency_key("demo-bad-1");
  bad.set_source_account_id("monato.acct.demo");
  bad.mutable_amount()->set_amount_minor(0);
  bad.mutable_amount()->set_currency("MXN");
  bad.mutable_counterparty()->set_clabe("012180000000000008");
  bad.mutable_counterparty()->set_holder_name("Jon Snow");
  bad.set_description("Pago #1");
  bad.set_numeric_reference(12345678);
  payments::v1::Payout payout;
  status = client.CreatePayout(bad, &payout);
  step("INVALID_ARGUMENT naming amount, clabe, description and reference",
       status.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
           FieldViolationsOf(FromGrpcStatus(status)).size() == 4);

  failures += DemoPayout(client, payments::v1::PROVIDER_MONATO, "Monato");
  failures += DemoPayout(client, payments::v1::PROVIDER_FINTOC, "Fintoc");
  failures += DemoPayout(client, payments::v1::PROVIDER_STP, "STP");

  std::cout << (failures == 0 ? "demo: all steps ok\n" : "demo: some steps FAILED\n");
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace gateway

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "payctl [--addr=HOST:PORT] [--tls_ca_file= [--tls_cert_file= --tls_key_file=] "
      "--tls_server_name=] [--token_file=] health|services|validate-clabe CLABE|banks|accounts|"
      "limits [--source= --destination=]|get-payout ID|create-payout --key= --source= --clabe= "
      "--holder= --amount_minor= "
      "--description= --reference=|reconcile --from= --to= [--provider=]|demo");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::cerr << absl::ProgramUsageMessage() << "\n";
    return 2;
  }
  auto channel = gateway::MakeChannel({.address = absl::GetFlag(FLAGS_addr),
                                       .tls_ca_file = absl::GetFlag(FLAGS_tls_ca_file),
                                       .tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file),
                                       .tls_key_file = absl::GetFlag(FLAGS_tls_key_file),
                                       .tls_server_name = absl::GetFlag(FLAGS_tls_server_name)});
  auto token = gateway::ReadCallerToken(absl::GetFlag(FLAGS_token_file));
  for (const absl::Status& status : {channel.status(), token.status()}) {
    if (!status.ok()) {
      std::cerr << "payctl: " << status.message() << "\n";
      return 2;
    }
  }
  gateway::Client client(*std::move(channel), *std::move(token));
  const std::string command = args[1];
  const std::string argument = args.size() > 2 ? args[2] : "";
  if (command == "health") return client.Health() ? 0 : 1;
  if (command == "services") return client.Services() ? 0 : 1;
  if (command == "validate-clabe") {
    grpc::Status status;
    auto response = client.ValidateClabe(argument, &status);
    return status.ok() && response.valid() ? 0 : 1;
  }
  if (command == "banks") {
    payments::v1::ListBanksResponse response;
    return client.Banks(&response, true).ok() ? 0 : 1;
  }
  if (command == "accounts") return client.Accounts().ok() ? 0 : 1;
  if (command == "limits") {
    const grpc::Status status =
        client.Limits(absl::GetFlag(FLAGS_source), absl::GetFlag(FLAGS_destination));
    return status.ok() ? 0 : 1;
  }
  if (command == "get-payout") return client.GetPayout(argument).ok() ? 0 : 1;
  if (command == "create-payout") {
    payments::v1::Payout payout;
    return client.CreatePayout(gateway::PayoutFromFlags(), &payout).ok() ? 0 : 1;
  }
  if (command == "reconcile") {
    auto request = gateway::ReconcileFromFlags();
    if (!request.ok()) {
      std::cerr << "payctl: " << request.status().message() << "\n";
      return 2;
    }
    payments::v1::ReconciliationReport report;
    const grpc::Status status =
        client.Reconcile(*request, absl::Seconds(absl::GetFlag(FLAGS_timeout_s)), &report);
    // 0 only when clean: a script can tell a discrepancy from a failure (1 both, but printed).
    return status.ok() && report.clean() ? 0 : 1;
  }
  if (command == "demo") return gateway::Demo(client);
  std::cerr << "unknown command " << command << "\n" << absl::ProgramUsageMessage() << "\n";
  return 2;
}
