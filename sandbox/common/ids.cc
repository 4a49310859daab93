#include "sandbox/common/ids.h"

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "sandbox/common/crypto.h"

namespace sandbox {
namespace {

// Namespace of the sandbox's name-based ids (a random v4 UUID fixed once, here).
constexpr char kSandboxNamespace[] = "5b0e6f1c-8a43-4c2e-9d7a-3f61b2c4e8d0";

std::string RandomFrom(absl::string_view alphabet, size_t length) {
  // Rejection sampling keeps every character equally likely.
  const unsigned limit = 256 - 256 % alphabet.size();
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    for (unsigned char byte : RandomBytes(length - out.size() + 8)) {
      if (byte >= limit) continue;
      out.push_back(alphabet[byte % alphabet.size()]);
      if (out.size() == length) break;
    }
  }
  return out;
}

}  // namespace

std::string NewUuid() {
  // random_generator is not thread-safe; one per call is cheap (it reads the OS entropy).
  boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

std::string StableUuid(absl::string_view name) {
  static const boost::uuids::uuid kNamespace = boost::uuids::string_generator()(kSandboxNamespace);
  boost::uuids::name_generator_sha1 generator(kNamespace);
  return boost::uuids::to_string(generator(name.data(), name.size()));
}

bool IsUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-'
                      : !absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

std::string RandomAlphanumeric(size_t length) {
  return RandomFrom("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", length);
}

std::string RandomUpperAlphanumeric(size_t length) {
  return RandomFrom("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", length);
}

std::string NewPrefixedId(absl::string_view prefix) {
  return absl::StrCat(prefix, RandomAlphanumeric(27));
}

}  // namespace sandbox
