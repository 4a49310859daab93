// Monato's JSON shapes (docs/providers/monato.md#messages): replies are camelCase, token/credential
// replies and webhook bodies snake_case, absent values the Python-style string "None".
#ifndef SANDBOX_MONATO_MONATO_JSON_H_
#define SANDBOX_MONATO_MONATO_JSON_H_

#include <string>

#include <boost/json.hpp>

#include "absl/time/time.h"
#include "sandbox/monato/monato_model.h"

namespace sandbox {

boost::json::object BankJson(const MonatoBank& bank);
boost::json::object AccountJson(const MonatoAccount& account);
boost::json::object InstrumentJson(const MonatoInstrument& instrument);
boost::json::object TransactionJson(const MonatoTransaction& transaction);
boost::json::object WebhookJson(const MonatoWebhook& webhook);
// POST .../auth/credential-tokens reply.
boost::json::object TokenJson(const MonatoToken& token, const std::string& credential_id);

// Webhook envelopes {"id_msg","msg_name","msg_date","body":{...}}
// (docs/providers/monato.md#webhooks).
boost::json::object StatusUpdateEvent(const MonatoTransaction& transaction, absl::Time now);
boost::json::object MoneyInEvent(const MonatoTransaction& transaction,
                                 const MonatoAccount& beneficiary, absl::Time now);

}  // namespace sandbox

#endif  // SANDBOX_MONATO_MONATO_JSON_H_
