// Everything the Monato adapter reads from a reply: list envelopes, transactions, refunds,
// accounts, banks, instruments and error bodies. A reply is untrusted input (a proxy, a
// changed API, a hostile network): any bytes must give a value or an error, never a crash.
// The request bodies built from caller text must stay valid JSON whatever the text.
#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/json.hpp>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "providers/common/json_fields.h"
#include "providers/monato/monato_messages.h"

namespace monato = providers::monato;

namespace {
void ParseEveryWay(const boost::json::object& object) {
  (void)monato::ParseTransaction(object);
  (void)monato::ParseRefund(object, "original");
  (void)monato::ParseAccount(object);
  (void)monato::ParseBank(object);
  (void)monato::ParseInstrument(object);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int http_status = 200 + data[0] * 2;  // 200..710: successes, 4xx, 5xx, odd ones

  for (absl::string_view key : {"data", "banks"}) {
    auto page = monato::ParsePage(body, key);
    if (!page.ok()) continue;
    (void)page->HasNext();
    for (const auto& item : page->items) ParseEveryWay(item);
  }
  if (auto object = providers::ParseJsonObject(body); object.ok()) {
    ParseEveryWay(*object);
    if (const auto* inner = providers::OptionalObject(*object, "data")) ParseEveryWay(*inner);
  }
  (void)monato::ErrorFromReply(http_status, body);
  (void)monato::MapTransactionStatus(body);

  // Caller text into request bodies.
  if (!fuzz::IsUtf8(body)) return 0;
  providers::PayoutOrder order;
  order.request.set_description(std::string(body));
  order.request.set_numeric_reference(data[0] * 39215u);
  order.request.mutable_amount()->set_amount_minor(static_cast<int64_t>(data[0]) * 1000003);
  order.request.mutable_counterparty()->set_holder_name(std::string(body));
  // A CLABE reaches the body only after validation: digits (of any length here).
  std::string digits;
  for (char c : body) digits.push_back(static_cast<char>('0' + static_cast<unsigned char>(c) % 10));
  order.request.mutable_counterparty()->set_clabe(digits);
  FUZZ_CHECK(providers::ParseJsonObject(monato::MoneyOutBody(body, body, body, order)).ok());
  FUZZ_CHECK(providers::ParseJsonObject(
                 monato::InstrumentBody(body, body, body, order.request.counterparty(), body))
                 .ok());
  FUZZ_CHECK(
      providers::ParseJsonObject(monato::RefundBody(static_cast<int64_t>(data[0]) - 100, body))
          .ok());
  return 0;
}
