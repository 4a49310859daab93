#include "bench/direct_monato.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "providers/common/await.h"
#include "providers/monato/monato_messages.h"
#include "vocabulary/status_macros.h"

namespace bench {
namespace {

using providers::Await;  // setup only: the load itself never blocks

constexpr char kClabe[] = "014180655091438298";  // the gateway load's counterparty too
constexpr char kInstitution[] = "40014";         // its bank (CLABE prefix 014) as a Banxico code

}  // namespace

// Monato wants a UUID: this run's start time and the call's number, in UUID form.
std::string DirectMonato::IdempotencyKey(int64_t number) const {
  return absl::StrFormat("%08x-0000-4000-8000-%012x", run_stamp_ & 0xffffffff, number);
}

DirectMonato::DirectMonato(DirectMonatoOptions options)
    : options_(std::move(options)), run_stamp_(absl::ToUnixMicros(absl::Now())) {}

DirectMonato::~DirectMonato() {
  if (http_ != nullptr) http_->Shutdown();
}

absl::StatusOr<std::unique_ptr<DirectMonato>> DirectMonato::Connect(DirectMonatoOptions options) {
  std::unique_ptr<DirectMonato> direct(new DirectMonato(std::move(options)));
  net::http::BeastHttpClientOptions http_options;
  http_options.ca_file = direct->options_.ca_file;
  http_options.max_connections_per_origin = direct->options_.max_connections;
  ASSIGN_OR_RETURN(auto http, net::http::BeastHttpClient::Create(http_options));
  direct->http_ = std::move(http);
  providers::monato::TokenCacheOptions token_options;
  token_options.base_url = direct->options_.base_url;
  token_options.client_id = direct->options_.client_id;
  token_options.api_key = direct->options_.api_key;
  token_options.client_secret = direct->options_.client_secret;
  direct->session_ =
      std::make_unique<providers::monato::MonatoSession>(direct->http_.get(), token_options);
  direct->directory_ = std::make_unique<providers::monato::MonatoDirectory>(
      direct->session_.get(), providers::monato::DirectoryOptions{});

  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  ASSIGN_OR_RETURN(auto account, Await<providers::monato::MonatoAccountInfo>([&](auto done) {
                     direct->directory_->Account(direct->options_.account_id, deadline,
                                                 std::move(done));
                   }));
  payments::v1::Counterparty counterparty;
  counterparty.set_clabe(kClabe);
  counterparty.set_holder_name("Jon Snow");
  counterparty.set_institution_code(kInstitution);  // the gateway's validation fills it in
  ASSIGN_OR_RETURN(auto destination, Await<std::string>([&](auto done) {
                     direct->directory_->DestinationInstrument(counterparty, account.bank_id,
                                                               deadline, std::move(done));
                   }));
  direct->source_instrument_ = account.instrument_id;
  direct->destination_instrument_ = destination;
  return direct;
}

StartCall DirectMonato::Starter() {
  return [this](int64_t n, CallFinished finished) { Start(n, std::move(finished)); };
}

void DirectMonato::Start(int64_t n, CallFinished finished) {
  static std::atomic<int64_t> keys{0};
  providers::PayoutOrder order;  // what GatewayLoad sends, so the bodies have the same shape
  order.source_account_native_id = options_.account_id;
  auto& request = order.request;
  request.mutable_amount()->set_amount_minor(100 + n % 900);
  request.mutable_amount()->set_currency("MXN");
  request.mutable_counterparty()->set_clabe(kClabe);
  request.mutable_counterparty()->set_holder_name("Jon Snow");
  request.mutable_counterparty()->set_institution_code(kInstitution);
  request.set_description("Carga");
  request.set_numeric_reference(1 + n % 9'999'999);
  session_->Send(
      "POST", "/v1/transactions/money_out",
      providers::monato::MoneyOutBody(options_.client_id, source_instrument_,
                                      destination_instrument_, order),
      {{"Idempotency-Key", IdempotencyKey(keys++)}}, absl::Now() + absl::Seconds(30),
      /*safe_to_retry=*/true,
      [finished = std::move(finished)](absl::StatusOr<net::http::HttpResponse> response) {
        const bool ok = response.ok() && response->status >= 200 && response->status < 300;
        finished("monato-direct", ok ? grpc::StatusCode::OK
                                  : response.ok()
                                      ? grpc::StatusCode::UNKNOWN
                                      : static_cast<grpc::StatusCode>(response.status().code()));
      });
}

}  // namespace bench
