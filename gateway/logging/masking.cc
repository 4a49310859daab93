#include "gateway/logging/masking.h"

#include <memory>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/json_util.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gateway {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

enum class Treatment { kKeep, kLastFour, kInitials, kRedact };

Treatment TreatmentFor(const std::string& name) {
  if (name == "clabe" || name == "debit_card" || name == "account_number" ||
      name == "card_number" || name == "clabe_number" || name == "root_account_number" ||
      name == "destination") {
    return Treatment::kLastFour;
  }
  if (name == "holder_name" || name == "rfc" || name == "holder_id") return Treatment::kInitials;
  if (absl::StrContains(name, "secret") || absl::StrContains(name, "password") || name == "token" ||
      name == "api_key" || name == "private_key" || name == "authorization") {
    return Treatment::kRedact;
  }
  return Treatment::kKeep;
}

std::string Apply(Treatment treatment, const std::string& value) {
  switch (treatment) {
    case Treatment::kKeep:
      return value;
    case Treatment::kLastFour:
      return value.size() <= 4
                 ? std::string(value.size(), '*')
                 : absl::StrCat(std::string(value.size() - 4, '*'), value.substr(value.size() - 4));
    case Treatment::kInitials:
      return value.empty() ? value : absl::StrCat(value.substr(0, 1), "***");
    case Treatment::kRedact:
      return value.empty() ? value : "[redacted]";
  }
  return value;
}

// Strict UTF-8 (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF).
bool IsUtf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t extra;
    uint32_t code;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // cut short
    for (size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMin[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

bool AppendJson(const Message& message, boost::json::object& out);

// One value of `field` (index -1: the singular value) as the protobuf JSON printer renders it
// and boost::json parses that back; false for what only the printer knows how to render.
bool JsonValue(const Message& message, const FieldDescriptor* field, int index,
               boost::json::value& out) {
  const Reflection* r = message.GetReflection();
  const bool rep = index >= 0;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      out = static_cast<int64_t>(rep ? r->GetRepeatedInt32(message, field, index)
                                     : r->GetInt32(message, field));
      return true;
    case FieldDescriptor::CPPTYPE_UINT32:
      out = static_cast<int64_t>(rep ? r->GetRepeatedUInt32(message, field, index)
                                     : r->GetUInt32(message, field));
      return true;
    case FieldDescriptor::CPPTYPE_INT64:  // 64-bit integers are JSON strings
      out = absl::StrCat(rep ? r->GetRepeatedInt64(message, field, index)
                             : r->GetInt64(message, field));
      return true;
    case FieldDescriptor::CPPTYPE_UINT64:
      out = absl::StrCat(rep ? r->GetRepeatedUInt64(message, field, index)
                             : r->GetUInt64(message, field));
      return true;
    case FieldDescriptor::CPPTYPE_BOOL:
      out = rep ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field);
      return true;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value =
          rep ? r->GetRepeatedEnum(message, field, index) : r->GetEnum(message, field);
      // An unknown number is printed as a number by the printer: left to it.
      if (value == nullptr || value->type()->FindValueByNumber(value->number()) != value) {
        return false;
      }
      out = value->name();
      return true;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      if (field->type() == FieldDescriptor::TYPE_BYTES) return false;  // base64: the printer's
      std::string text =
          rep ? r->GetRepeatedString(message, field, index) : r->GetString(message, field);
      if (!IsUtf8(text)) return false;
      out = boost::json::string(text);
      return true;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& inner =
          rep ? r->GetRepeatedMessage(message, field, index) : r->GetMessage(message, field);
      boost::json::object object;
      if (!AppendJson(inner, object)) return false;
      out = std::move(object);
      return true;
    }
    default:  // float and double: the printer's number formatting
      return false;
  }
}

// The fields of `message` as MessageToJsonString (proto field names) prints them: set fields
// only, in field-number order. False for well-known types, maps, floats, bytes and unknown
// enum numbers, which the printer renders its own way.
bool AppendJson(const Message& message, boost::json::object& out) {
  const auto* descriptor = message.GetDescriptor();
  if (descriptor->file()->package() == "google.protobuf") return false;
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  out.reserve(fields.size());
  for (const FieldDescriptor* field : fields) {
    if (field->is_map() || field->is_extension()) return false;
    if (field->is_repeated()) {
      boost::json::array values;
      const int size = reflection->FieldSize(message, field);
      values.reserve(size);
      for (int i = 0; i < size; ++i) {
        if (!JsonValue(message, field, i, values.emplace_back(nullptr))) return false;
      }
      out[field->name()] = std::move(values);
    } else if (!JsonValue(message, field, -1, out[field->name()])) {
      return false;
    }
  }
  return true;
}

// The reference rendering: protobuf's JSON printer, parsed back.
boost::json::value PrintedJson(const Message& masked) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(masked, &json, options).ok()) {
    return boost::json::value("[unprintable]");
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  return ec ? boost::json::value("[unprintable]") : value;
}

}  // namespace

std::string MaskAccountNumber(absl::string_view number) {
  return Apply(Treatment::kLastFour, std::string(number));
}

void MaskSensitiveFields(Message& message) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          MaskSensitiveFields(*reflection->MutableRepeatedMessage(&message, field, i));
        }
      } else {
        MaskSensitiveFields(*reflection->MutableMessage(&message, field));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      const Treatment treatment = TreatmentFor(field->name());
      if (treatment == Treatment::kKeep) continue;
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          reflection->SetRepeatedString(
              &message, field, i,
              Apply(treatment, reflection->GetRepeatedString(message, field, i)));
        }
      } else {
        reflection->SetString(&message, field,
                              Apply(treatment, reflection->GetString(message, field)));
      }
    }
  }
}

boost::json::value MaskedJson(const Message& message) {
  std::unique_ptr<Message> copy(message.New());
  copy->CopyFrom(message);
  MaskSensitiveFields(*copy);
  // Built directly by reflection: the printer (binary serialization, a type resolver, JSON
  // text, then parsing that text) was most of the per-RPC log line's CPU. The result is the
  // same; what the direct build does not cover goes to the printer.
  boost::json::object object;
  if (AppendJson(*copy, object)) return object;
  return PrintedJson(*copy);
}

boost::json::value MaskedJsonByPrinterForTesting(const Message& message) {
  std::unique_ptr<Message> copy(message.New());
  copy->CopyFrom(message);
  MaskSensitiveFields(*copy);
  return PrintedJson(*copy);
}

}  // namespace gateway
