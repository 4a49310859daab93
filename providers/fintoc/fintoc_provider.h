// The Fintoc adapter: payments.v1 calls carried out through Fintoc's Transfers API v2 over the
// shared HTTPS client. It translates (fintoc_messages) and sends (fintoc_session); it decides
// no money semantics beyond the reply: a transfer whose reply is lost, 5xx or unreadable is
// UNKNOWN, never a failure, and is resolved by retrying CreatePayout with the same key (the
// shared rules, providers/common/money_moves.h).
#ifndef PROVIDERS_FINTOC_FINTOC_PROVIDER_H_
#define PROVIDERS_FINTOC_FINTOC_PROVIDER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "net/http/http_client.h"
#include "providers/fintoc/fintoc_options.h"
#include "providers/fintoc/fintoc_session.h"
#include "providers/fintoc/jws_signer.h"
#include "providers/provider.h"

namespace providers::fintoc {

class FintocProvider final : public Provider {
 public:
  // Validates `options` and loads the JWS key (refusing to start without a usable one).
  // `http` must outlive the provider.
  static absl::StatusOr<std::unique_ptr<FintocProvider>> Create(net::http::HttpClient* http,
                                                                FintocOptions options);
  // The same with a signer built by the caller (tests inject its clock and nonces);
  // options.jws_private_key_path is then not used.
  static absl::StatusOr<std::unique_ptr<FintocProvider>> Create(net::http::HttpClient* http,
                                                                FintocOptions options,
                                                                std::shared_ptr<JwsSigner> signer);

  // A rotated secret key (the secret file changed): checked like at start (a key of the other
  // mode is refused and the current one stays), then used by every later request.
  absl::Status RotateSecretKey(std::string secret_key);

  payments::v1::Provider id() const override { return payments::v1::PROVIDER_FINTOC; }
  const Capabilities& capabilities() const override { return capabilities_; }

  void CreatePayout(const PayoutOrder& order, const CallContext& context,
                    Callback<payments::v1::Payout> done) override;
  void GetPayout(const std::string& native_payout_id, const CallContext& context,
                 Callback<payments::v1::Payout> done) override;
  void ListPayouts(const payments::v1::ListPayoutsRequest& filter, const PageQuery& page,
                   const CallContext& context,
                   Callback<payments::v1::ListPayoutsResponse> done) override;
  void RefundTransaction(const RefundOrder& order, const CallContext& context,
                         Callback<payments::v1::Refund> done) override;
  // fintoc_lookup.cc: a bounded search of GET /v2/transfers.
  void FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                             const CallContext& context,
                             Callback<payments::v1::Payout> done) override;
  // fintoc_sent_payouts.cc: GET /v2/transfers?direction=outbound&since=&until=, paged.
  void ListSentPayouts(const TimeWindow& window, const PageQuery& page, const CallContext& context,
                       Callback<payments::v1::ListPayoutsResponse> done) override;
  void ListAccounts(const PageQuery& page, const CallContext& context,
                    Callback<payments::v1::ListAccountsResponse> done) override;
  void GetAccount(const std::string& native_account_id, const CallContext& context,
                  Callback<payments::v1::Account> done) override;
  void CreateAccount(const payments::v1::CreateAccountRequest& request,
                     const std::string& parent_native_id, const CallContext& context,
                     Callback<payments::v1::Account> done) override;
  void ListBanks(const PageQuery& page, const CallContext& context,
                 Callback<payments::v1::ListBanksResponse> done) override;
  void RegisterCounterparty(const payments::v1::RegisterCounterpartyRequest& request,
                            const CallContext& context,
                            Callback<payments::v1::RegisteredCounterparty> done) override;
  void ListCounterparties(const PageQuery& page, const CallContext& context,
                          Callback<payments::v1::ListCounterpartiesResponse> done) override;

  // The Idempotency-Key sent for a caller's key: UUID v5 in the configured namespace over
  // (calling service, operation, caller's key); the same across retries and restarts.
  // Operations: "transfer" (CreatePayout), "transfer_return" (RefundTransaction),
  // "account_number" (CreateAccount).
  absl::StatusOr<std::string> ProviderIdempotencyKey(absl::string_view operation,
                                                     absl::string_view caller,
                                                     absl::string_view caller_key) const;

  JwsSigner& signer() { return *signer_; }

 private:
  FintocProvider(net::http::HttpClient* http, FintocOptions options,
                 std::shared_ptr<JwsSigner> signer);

  const FintocOptions options_;
  const Capabilities capabilities_;
  const std::shared_ptr<JwsSigner> signer_;
  FintocSession session_;
};

}  // namespace providers::fintoc

#endif  // PROVIDERS_FINTOC_FINTOC_PROVIDER_H_
