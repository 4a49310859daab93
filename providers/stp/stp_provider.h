// The STP adapter: payments.v1 calls carried out through STP's SPEI web services
// (docs/providers/stp.md) over the shared HTTPS client. Every request is signed (firma over
// the cadena original); there is no bearer token.
//
// Native payout id: the tracking key (claveRastreo), not STP's numeric order id. STP reads an
// order back only by tracking key (ordenPago/consOrdEnvRastreo); the key is derived from the
// caller's idempotency key, so it is known before the reply and is the same for every retry:
// "stp.payout.<claveRastreo>" stays readable even when registra's reply is lost.
//
// Outcomes follow the shared rules (providers/common/money_moves.h): a lost or unreadable
// registra reply is UNKNOWN (resolved by re-sending the same key, which STP refuses with -1,
// and reading the order back); -1 "tracking key already used" is this very order sent before:
// it is read back, never failed.
#ifndef PROVIDERS_STP_STP_PROVIDER_H_
#define PROVIDERS_STP_STP_PROVIDER_H_

#include <functional>
#include <memory>
#include <string>

#include "net/http/http_client.h"
#include "providers/provider.h"
#include "providers/stp/stp_messages.h"
#include "providers/stp/stp_signer.h"

namespace providers::stp {

struct StpOptions {
  std::string base_url;  // "https://demo.stpmex.com:7024/speiws/rest"
  OrderSettings order;   // empresa, ordenante
  // The client's source CLABE at STP (cuentaOrdenante): the one account this adapter lists
  // and the only source account it sends from.
  std::string cuenta_ordenante;
  std::string tracking_key_prefix;  // 0-9 of [A-Z0-9]
  int64_t max_payout_minor = 99'999'999'999;
  // STP refuses a reused claveRastreo only within one operating day
  // (docs/providers/stp.md#idempotency): the declared key lifetime must stay well under it.
  absl::Duration tracking_key_lifetime = absl::Hours(6);
  // The clock that dates a send's operating day (tests set it).
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// STP's operating day of `time` ("YYYYMMDD", fechaOperacion) as the adapter reckons it: the
// calendar date in Mexico City (UTC-6 all year since 2022). When STP's day really rolls over
// is unconfirmed (docs/providers/stp.md#idempotency).
std::string OperatingDate(absl::Time time);

class StpProvider final : public Provider {
 public:
  // `http` must outlive the provider; the signer is shared with whoever rotates its key.
  StpProvider(net::http::HttpClient* http, std::shared_ptr<StpSigner> signer, StpOptions options);

  payments::v1::Provider id() const override { return payments::v1::PROVIDER_STP; }
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
  // The order's tracking key is a function of its idempotency key, so the one order it
  // created is read by that key (status query) on the operating day of `sent_after`, then
  // today: OK, or NOT_FOUND when STP has none on either day.
  void FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                             const CallContext& context,
                             Callback<payments::v1::Payout> done) override;
  // UNIMPLEMENTED: STP lists orders only by date and only received ones are documented.
  void ListSentPayouts(const TimeWindow& window, const PageQuery& page, const CallContext& context,
                       Callback<payments::v1::ListPayoutsResponse> done) override;
  // The configured cuentaOrdenante, the one account (STP documents no account listing).
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

  // The claveRastreo of the caller's payout: the same across retries and restarts.
  absl::StatusOr<std::string> TrackingKey(const std::string& caller,
                                          const std::string& caller_key) const;

 private:
  void Post(const std::string& method, const std::string& path, std::string body,
            absl::Time deadline, bool safe_to_retry, net::http::ResponseCallback done);
  // The order with this tracking key on operating day `fecha_operacion` ("" = today).
  void ReadByTrackingKey(const std::string& tracking_key, absl::Time deadline,
                         Callback<payments::v1::Payout> done,
                         const std::string& fecha_operacion = "");
  // ordenPago/registra of the order, signed; the reply mapped by the shared outcome rules.
  void Register(const PayoutOrder& order, const std::string& key, absl::Time deadline,
                Callback<payments::v1::Payout> done);
  payments::v1::Account TheAccount() const;

  net::http::HttpClient* const http_;
  const std::shared_ptr<StpSigner> signer_;
  const StpOptions options_;
  const Capabilities capabilities_;
};

// The gateway's form of an order STP reported: id "stp.payout.<claveRastreo>", provider STP,
// provider_payout_id the tracking key (see above).
payments::v1::Payout AsGatewayPayout(payments::v1::Payout payout);

}  // namespace providers::stp

#endif  // PROVIDERS_STP_STP_PROVIDER_H_
