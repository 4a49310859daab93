// STP's "cadena original": the text an order's `firma` signs. Its fields, in STP's fixed
// order, each rendered as text (absent -> empty), joined with '|', between "||" and "||".
// The same layout with only empresa, fechaOperacion, claveRastreo and institucionOperante
// filled is what a status query by tracking key signs. Built here independently of the
// gateway's adapter (providers/stp), so a bug on one side cannot hide behind shared code.
#ifndef SANDBOX_STP_STP_CADENA_H_
#define SANDBOX_STP_STP_CADENA_H_

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "absl/status/statusor.h"

namespace sandbox {

// The 34 field names in signing order.
const std::vector<std::string>& StpCadenaFields();

// The cadena original of a JSON order (or query). Strings as sent; integers in decimal;
// `monto` and `iva` with exactly two decimals (from a number, or a decimal string);
// null or absent -> "" (an invalid monto as sent). Fails for a value of another kind (object,
// array, bool).
absl::StatusOr<std::string> StpCadenaOriginal(const boost::json::object& order);

// A JSON number as STP's Java servers print it in messages: 500.0, 1.234.
std::string StpNumberText(double value);

// A JSON number or decimal string as centavos: at most two decimals, >= 0, below 10^15.
absl::StatusOr<int64_t> StpAmountCentavos(const boost::json::value& value);

}  // namespace sandbox

#endif  // SANDBOX_STP_STP_CADENA_H_
