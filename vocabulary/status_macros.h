// RETURN_IF_ERROR and ASSIGN_OR_RETURN, the two early returns every absl::Status function
// writes, defined once so call sites read as the step they take rather than its plumbing.
#ifndef VOCABULARY_STATUS_MACROS_H_
#define VOCABULARY_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status) once and returns it from the enclosing function unless OK.
#define RETURN_IF_ERROR(expr)                                      \
  do {                                                             \
    const ::absl::Status status_macros_status_ = (expr);           \
    if (!status_macros_status_.ok()) return status_macros_status_; \
  } while (false)

// Evaluates `expr` (an absl::StatusOr<T>) once; returns its status unless OK, otherwise moves
// the value into `lhs`, which may declare a variable: ASSIGN_OR_RETURN(auto key, LoadKey(path));
// Expands to several statements, so it cannot be the body of an unbraced if. A type in `lhs`
// with a comma needs parentheses around it or an alias.
#define ASSIGN_OR_RETURN(lhs, expr) \
  STATUS_MACROS_ASSIGN_OR_RETURN_(STATUS_MACROS_CONCAT_(status_macros_or_, __LINE__), lhs, expr)

#define STATUS_MACROS_ASSIGN_OR_RETURN_(statusor, lhs, expr) \
  auto statusor = (expr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = *std::move(statusor)

#define STATUS_MACROS_CONCAT_(a, b) STATUS_MACROS_CONCAT_INNER_(a, b)
#define STATUS_MACROS_CONCAT_INNER_(a, b) a##b

#endif  // VOCABULARY_STATUS_MACROS_H_
