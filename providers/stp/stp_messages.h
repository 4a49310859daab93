// Translation between the gateway's payments.v1 types and STP's SPEI web services JSON
// (docs/providers/stp.md): the ordenPago/registra body and its cadena original, the status
// query, their {"resultado":{...}} replies, STP's order states. Pure functions: no I/O, no
// crash on any input (fuzz-friendly), testable from recorded JSON.
//
// Payouts parsed here carry STP's facts (provider_payout_id = STP's order id, tracking_key =
// claveRastreo, status, amount, ...) but no gateway `id` or `provider`: the adapter sets
// those, as the STP enum value arrives with its registration.
#ifndef PROVIDERS_STP_STP_MESSAGES_H_
#define PROVIDERS_STP_STP_MESSAGES_H_

#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/payments/v1/payout_service.pb.h"
#include "providers/provider.h"
#include "providers/stp/stp_original_string.h"

namespace providers::stp {

// STP's own Banxico participant code: institucionOperante of every order it sends.
inline constexpr absl::string_view kStpInstitutionCode = "90646";
// conceptoPago and the names: at most 39 characters (stpmex-python truncates there).
inline constexpr size_t kMaxTextLength = 39;
inline constexpr size_t kMaxRfcCurpLength = 18;
inline constexpr uint32_t kMaxNumericReference = 9'999'999;

// The sender's side of every order, from the adapter's configuration.
struct OrderSettings {
  std::string empresa;  // the client's name at STP
  std::string institucion_operante = std::string(kStpInstitutionCode);
  std::string nombre_ordenante;    // optional, truncated to 39
  std::string rfc_curp_ordenante;  // optional
};

// --- Requests --------------------------------------------------------------------------------

// The fields of ordenPago/registra for a validated `order` (text already folded to ASCII),
// sent from CLABE `order.source_account_native_id` with `tracking_key`: monto from int64
// minor units as "1.20" (no floating point), tipoPago 1, tipoCuentaOrdenante 40,
// tipoCuentaBeneficiario 40 (CLABE) or 3 (card), rfcCurpBeneficiario "ND" when empty, texts
// cut to 39, topologia T, medioEntrega 3, prioridad 0 (docs/providers/stp.md#registra).
// INVALID_ARGUMENT, naming the field, for what STP cannot carry: a non-MXN or non-positive
// amount, a missing institution code, a reference outside 1..9,999,999, a bad tracking key.
absl::StatusOr<OrderFields> RegistraFields(const PayoutOrder& order, const OrderSettings& settings,
                                           absl::string_view tracking_key);

// The JSON body of ordenPago/registra: every non-empty field of `fields` (monto, tipoPago,
// tipoCuenta*, referenciaNumerica, medioEntrega and prioridad as JSON numbers, the rest as
// strings) plus "firma". Exactly the non-empty fields, so the receiver can rebuild the signed
// cadena from the body.
std::string RegistraBody(const OrderFields& fields, absl::string_view firma);

// The JSON body of ordenPago/consOrdEnvRastreo (institucionOperante as a number; fechaOperacion
// left out when empty).
std::string StatusQueryBody(absl::string_view empresa, absl::string_view tracking_key,
                            absl::string_view institucion_operante,
                            absl::string_view fecha_operacion, absl::string_view firma);

// A registra body back into its fields (the simulator rebuilds the signed cadena this way):
// strings as they are, integers in decimal, monto with exactly two decimals. INVALID_ARGUMENT
// for a non-object member, a fractional number other than monto, or a monto that is not an
// exact two-decimal amount. "firma" and unknown members are ignored.
absl::StatusOr<OrderFields> OrderFieldsFromBody(const boost::json::object& body);

// --- Replies --------------------------------------------------------------------------------

// What ordenPago/registra answered.
struct RegistraOutcome {
  enum class Kind {
    kRegistered,         // a new order: `order_id` is STP's id
    kAlreadyRegistered,  // -1: this claveRastreo was used today, i.e. this order was sent
                         // before (a retry): read it back by tracking key, never fail it
    kRejected,           // -200: refused by STP's anti-money-laundering checks (REJECTED)
  };
  Kind kind = Kind::kRegistered;
  std::string order_id;
  std::string reason;  // STP's code and masked description, for kRejected
};

// The registra reply. Errors carry an ErrorInfo reason STP_<NAME> (docs/providers/stp.md#registra):
// UNKNOWN (STP_UNREADABLE_REPLY, STP_NO_SERVICE_RESPONSE) when the order may or may not exist,
// UNAUTHENTICATED (STP_INVALID_SIGNATURE), INVALID_ARGUMENT (with the field when known),
// FAILED_PRECONDITION for the rest. STP's descriptions are quoted with account numbers masked.
absl::StatusOr<RegistraOutcome> ParseRegistraReply(absl::string_view body);

// The consOrdEnvRastreo reply into a Payout (no id/provider, see above): NOT_FOUND
// (STP_ORDER_NOT_FOUND) for -100, the registra error mapping for other codes, INVALID_ARGUMENT
// when the order lacks claveRastreo, estado or an exact monto.
absl::StatusOr<payments::v1::Payout> ParseStatusQueryReply(absl::string_view body);

// An ordenPago object (query reply or listing) into a Payout (no id/provider).
absl::StatusOr<payments::v1::Payout> ParseOrder(const boost::json::object& order);

// STP's order state (short code "LQ", "D", ... or a notification's word "LIQUIDACION",
// "DEVUELTA", ..., any case) into a gateway status; UNKNOWN for anything else, never guessed
// (docs/providers/stp.md#states).
payments::v1::PayoutStatus MapOrderState(absl::string_view estado);

// --- Shared readers ----------------------------------------------------------------------------

// STP's amount member: a JSON number or a decimal string, in pesos with at most two decimals,
// >= 0 and < 10^13, into minor units. A number is accepted only when it is exactly the double
// of a two-decimal amount (Boost.JSON hands over doubles); INVALID_ARGUMENT otherwise.
absl::StatusOr<int64_t> MontoMinor(const boost::json::value& monto);

// `text` with every run of 10 or more digits (CLABEs, cards, phones) cut to its last four
// ("****1499"), at most 200 characters: STP's descriptions quote account numbers.
std::string MaskAccountNumbers(absl::string_view text);

}  // namespace providers::stp

#endif  // PROVIDERS_STP_STP_MESSAGES_H_
