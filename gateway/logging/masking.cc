#include "gateway/logging/masking.h"

#include <memory>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/json_util.h>
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
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(*copy, &json, options).ok()) {
    return boost::json::value("[unprintable]");
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  return ec ? boost::json::value("[unprintable]") : value;
}

}  // namespace gateway
