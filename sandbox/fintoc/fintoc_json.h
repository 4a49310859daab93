// Fintoc's JSON shapes (docs/providers/fintoc.md#endpoints, #transfers): snake_case, "object" and
// "mode" members, integer amounts, null for absent values, RFC 3339 UTC timestamps.
#ifndef SANDBOX_FINTOC_FINTOC_JSON_H_
#define SANDBOX_FINTOC_FINTOC_JSON_H_

#include <string>

#include <boost/json.hpp>

#include "absl/time/time.h"
#include "sandbox/fintoc/fintoc_model.h"

namespace sandbox {

boost::json::object AccountJson(const FintocAccount& account);
boost::json::object AccountNumberJson(const FintocAccountNumber& account_number);
boost::json::object TransferJson(const FintocTransfer& transfer,
                                 const FintocAccountNumber& account_number);
// {"id":"evt_...","type":...,"mode":"test","created_at":...,"data":...,"object":"event"}
boost::json::object EventJson(const std::string& type, boost::json::object data, absl::Time now);

// "2025-09-02T15:58:51Z"
std::string FintocTimestamp(absl::Time time);

}  // namespace sandbox

#endif  // SANDBOX_FINTOC_FINTOC_JSON_H_
