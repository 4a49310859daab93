// Ids a caller could send to steer a provider request elsewhere (tests only): path and query
// delimiters, encoded slashes, dot segments, CR/LF, empty, oversized and non-ASCII ids, each
// built around a `valid` id so only the hostile part makes it wrong.
#ifndef PROVIDERS_COMMON_HOSTILE_IDS_H_
#define PROVIDERS_COMMON_HOSTILE_IDS_H_

#include <string>
#include <vector>

namespace providers {

inline std::vector<std::string> HostileIds(const std::string& valid) {
  return {valid + "/refund",
          "../" + valid,
          valid + "/..",
          "..",
          valid + "?page=2",
          valid + "%2F..%2Fcredentials",
          "%2E%2E",
          valid + "\r\nGET /v1/banks HTTP/1.1",
          valid + "\n",
          std::string("\r\n"),
          valid + " ",
          valid + "#x",
          "",
          valid + std::string(5000, 'a'),
          valid + "\xc3\xb1",  // n with tilde, UTF-8
          std::string(valid).append(1, '\0')};
}

}  // namespace providers

#endif  // PROVIDERS_COMMON_HOSTILE_IDS_H_
