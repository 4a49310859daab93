#include "vocabulary/idempotency_keys.h"

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace providers {

absl::StatusOr<std::string> UuidV5(absl::string_view namespace_uuid, absl::string_view name) {
  boost::uuids::uuid ns;
  try {
    ns = boost::uuids::string_generator()(std::string(namespace_uuid));
  } catch (const std::runtime_error&) {
    return absl::InvalidArgumentError(
        absl::StrCat("idempotency namespace is not a UUID: ", namespace_uuid.substr(0, 40)));
  }
  boost::uuids::name_generator_sha1 generate(ns);
  return boost::uuids::to_string(generate(name.data(), name.size()));
}

std::string ProviderKeyName(absl::string_view caller, absl::string_view operation,
                            absl::string_view caller_key) {
  return absl::StrCat(caller.size(), ":", caller, "|", operation.size(), ":", operation, "|",
                      caller_key.size(), ":", caller_key);
}

}  // namespace providers
