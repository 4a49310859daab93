#include "sandbox/common/json_util.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sandbox/common/crypto.h"

namespace sandbox {

absl::optional<boost::json::object> ParseJsonObject(absl::string_view text) {
  boost::system::error_code ec;
  boost::json::value value =
      boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec || !value.is_object()) return absl::nullopt;
  return std::move(value.as_object());
}

const boost::json::value* JsonMember(const boost::json::object& object, absl::string_view key) {
  return object.if_contains(boost::json::string_view(key.data(), key.size()));
}

const boost::json::string* JsonString(const boost::json::object& object, absl::string_view key) {
  const boost::json::value* value = JsonMember(object, key);
  return value == nullptr ? nullptr : value->if_string();
}

const boost::json::object* JsonObject(const boost::json::object& object, absl::string_view key) {
  const boost::json::value* value = JsonMember(object, key);
  return value == nullptr ? nullptr : value->if_object();
}

namespace {

void AppendCanonical(const boost::json::value& value, std::string* out) {
  if (const auto* object = value.if_object()) {
    std::vector<const boost::json::key_value_pair*> members;
    members.reserve(object->size());
    for (const auto& member : *object) members.push_back(&member);
    std::sort(members.begin(), members.end(),
              [](const auto* a, const auto* b) { return a->key() < b->key(); });
    out->push_back('{');
    for (size_t i = 0; i < members.size(); ++i) {
      if (i > 0) out->push_back(',');
      out->append(boost::json::serialize(boost::json::value(members[i]->key())));
      out->push_back(':');
      AppendCanonical(members[i]->value(), out);
    }
    out->push_back('}');
  } else if (const auto* array = value.if_array()) {
    out->push_back('[');
    for (size_t i = 0; i < array->size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendCanonical((*array)[i], out);
    }
    out->push_back(']');
  } else {
    out->append(boost::json::serialize(value));
  }
}

}  // namespace

std::string CanonicalJson(const boost::json::value& value) {
  std::string out;
  AppendCanonical(value, &out);
  return out;
}

std::string BodyFingerprint(absl::string_view scope, absl::string_view body) {
  boost::system::error_code ec;
  boost::json::value value =
      boost::json::parse(boost::json::string_view(body.data(), body.size()), ec);
  const std::string canonical = ec ? std::string(body) : CanonicalJson(value);
  return Sha256Hex(absl::StrCat(scope, "\n", ec ? "raw:" : "json:", canonical));
}

std::string ToJson(const boost::json::value& value) { return boost::json::serialize(value); }

}  // namespace sandbox
