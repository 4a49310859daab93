#include "bench/chaos/checker.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace chaos {
namespace {

// Keeps the report readable when thousands of rows break the same way.
constexpr size_t kMaxListed = 50;

void Note(std::vector<std::string>& list, std::map<std::string, int64_t>& counts,
          const std::string& kind, std::string text) {
  ++counts[kind];
  if (list.size() < kMaxListed) list.push_back(absl::StrCat(kind, ": ", text));
}

std::string Describe(const GatewayPayout& payout) {
  return absl::StrCat(payout.id, " (caller key ", payout.idempotency_key, ", ", payout.status,
                      payout.status_reason.empty() ? "" : ": ", payout.status_reason, ")");
}

}  // namespace

std::string ExpectedGatewayStatus(const std::string& provider, const std::string& status) {
  if (provider == "monato") {
    if (status == "LIQUIDATED") return "SUCCEEDED";
    if (status == "REJECTED") return "REJECTED";
    if (status == "REFUNDED") return "RETURNED";
    return "";  // INITIALIZED
  }
  if (status == "succeeded") return "SUCCEEDED";
  if (status == "rejected") return "REJECTED";
  if (status == "failed") return "FAILED";
  if (status == "returned") return "RETURNED";
  return "";  // pending
}

CheckResult Check(const CheckInput& input) {
  CheckResult result;
  auto violation = [&](const std::string& kind, std::string text) {
    Note(result.violations, result.counts, kind, std::move(text));
  };
  auto unsettled = [&](const std::string& kind, std::string text) {
    Note(result.unsettled, result.counts, kind, std::move(text));
  };
  auto& counts = result.counts;

  // 1. Each provider key moved money once, but for re-sends after a reply the gateway never
  //    got: those are what provider keys are for (a provider that honours them replays; the
  //    no-dedup sandbox makes a transfer, excused below). Any other second transfer is the
  //    gateway's: its own claim should have prevented the send.
  std::map<std::pair<std::string, std::string>, int64_t> created_per_key;
  for (const SendRow& row : input.key_sends) {
    counts[absl::StrCat(row.provider, "_sends")] += row.sends;
    counts[absl::StrCat(row.provider, "_replays")] += row.replays;
    counts[absl::StrCat(row.provider, "_replies_lost")] += row.replies_lost;
    if (row.sends > 1) ++counts[absl::StrCat(row.provider, "_keys_sent_more_than_once")];
    created_per_key[{row.provider, row.key}] = row.created;
    if (row.unjustified > 0) {
      violation(
          "key moved money again although its reply had been delivered",
          absl::StrCat(row.provider, " ", row.operation, " key ", row.key, ": ", row.created,
                       " transfers from ", row.sends, " sends, ", row.unjustified, " unjustified"));
    } else if (row.created > 1) {
      counts["transfers_after_lost_replies"] += row.created - 1;
    }
  }
  for (const SendRow& row : input.body_sends) {
    if (row.created > 1) ++counts["bodies_with_more_than_one_transfer"];
  }
  // One payout, one provider key: the same payout under a second key would be a second
  // payment no provider could catch (references are unique per job).
  std::map<std::pair<std::string, std::string>, std::string> key_of_reference;
  for (const ProviderTransfer& transfer : input.transfers) {
    auto [it, inserted] = key_of_reference.emplace(
        std::make_pair(transfer.provider, transfer.reference), transfer.idempotency_key);
    if (!inserted && it->second != transfer.idempotency_key) {
      violation("one payout sent under two provider keys",
                absl::StrCat(transfer.provider, " reference ", transfer.reference, ": keys ",
                             it->second, " and ", transfer.idempotency_key));
    }
  }

  // 2. Every provider transfer belongs to exactly one gateway payout, with the same amount,
  //    counterparty and reference, and ends in the status the provider gave it.
  std::map<std::pair<std::string, std::string>, const GatewayPayout*> by_transfer;
  std::map<std::string, std::vector<const GatewayPayout*>> by_key;
  for (const GatewayPayout& payout : input.payouts) {
    ++counts[absl::StrCat("payouts_", payout.provider)];
    ++counts[absl::StrCat("payouts_", payout.status)];
    by_key[payout.idempotency_key].push_back(&payout);
    if (payout.provider_payout_id.empty()) continue;
    auto [it, inserted] =
        by_transfer.emplace(std::make_pair(payout.provider, payout.provider_payout_id), &payout);
    if (!inserted) {
      violation("two payouts for one provider transfer",
                absl::StrCat(payout.provider_payout_id, ": ", Describe(*it->second), " and ",
                             Describe(payout)));
    }
  }
  std::map<std::pair<std::string, std::string>, const ProviderTransfer*> transfers;
  for (const ProviderTransfer& transfer : input.transfers) {
    ++counts[absl::StrCat("transfers_", transfer.provider)];
    transfers[{transfer.provider, transfer.id}] = &transfer;
    auto found = by_transfer.find({transfer.provider, transfer.id});
    if (found == by_transfer.end() &&
        created_per_key[{transfer.provider, transfer.idempotency_key}] > 1) {
      // A re-send after a lost reply (excused above): one of the key's transfers is the
      // payout's; a provider honouring keys would never have made this one.
      ++counts["excused_duplicate_transfers"];
      continue;
    }
    if (found == by_transfer.end()) {
      unsettled("provider transfer with no gateway payout",
                absl::StrCat(transfer.provider, " ", transfer.id, " (provider key ",
                             transfer.idempotency_key, ", reference ", transfer.reference, ")"));
      continue;
    }
    const GatewayPayout& payout = *found->second;
    if (payout.amount != transfer.amount || payout.clabe != transfer.clabe ||
        payout.reference != transfer.reference) {
      violation(
          "payout and provider transfer differ",
          absl::StrCat(Describe(payout), ": amount ", payout.amount, " vs ", transfer.amount,
                       ", reference ", payout.reference, " vs ", transfer.reference,
                       ", counterparty ", payout.clabe == transfer.clabe ? "same" : "differs"));
    }
    const std::string expected = ExpectedGatewayStatus(transfer.provider, transfer.status);
    if (expected.empty()) {
      unsettled("provider transfer not final yet", absl::StrCat(transfer.id, " ", transfer.status));
    } else if (payout.status != expected) {
      unsettled(
          "status disagrees with the provider",
          absl::StrCat(Describe(payout), " but ", transfer.provider, " says ", transfer.status));
    } else {
      ++counts["statuses_agree"];
    }
  }

  // 2b. A key that made several transfers: the gateway can only know a transfer's id from the
  //     reply to the send that made it. If its payout names one that is not the key's last,
  //     it had read that reply and still sent again (or sent while another send was still
  //     out). Sound even where the send ledger cannot see that a reply went unread.
  std::map<std::pair<std::string, std::string>, std::string> last_transfer_of_key;
  for (const ProviderTransfer& transfer : input.transfers) {  // oldest first
    last_transfer_of_key[{transfer.provider, transfer.idempotency_key}] = transfer.id;
  }
  for (const ProviderTransfer& transfer : input.transfers) {
    const auto key = std::make_pair(transfer.provider, transfer.idempotency_key);
    if (created_per_key[key] < 2 || last_transfer_of_key[key] == transfer.id) continue;
    auto found = by_transfer.find({transfer.provider, transfer.id});
    if (found != by_transfer.end()) {
      violation("sent again after the reply naming this transfer was read",
                absl::StrCat(Describe(*found->second), " names ", transfer.id, " but key ",
                             transfer.idempotency_key, " later made ", last_transfer_of_key[key]));
    }
  }

  // 3. Every gateway payout is settled and, when it names a provider transfer, that transfer
  //    exists; one payout per caller key.
  for (const GatewayPayout& payout : input.payouts) {
    if (payout.status == "UNKNOWN") {
      unsettled("payout left UNKNOWN", Describe(payout));
    } else if (payout.provider_payout_id.empty() && payout.status != "FAILED" &&
               payout.status != "REJECTED") {
      unsettled("payout with no provider transfer", Describe(payout));
    }
    if (!payout.provider_payout_id.empty() &&
        transfers.count({payout.provider, payout.provider_payout_id}) == 0) {
      violation("payout names a transfer the provider never made", Describe(payout));
    }
  }
  for (const auto& [key, payouts] : by_key) {
    if (payouts.size() > 1) {
      violation("two payouts for one caller key",
                absl::StrCat(key, ": ", Describe(*payouts[0]), " and ", Describe(*payouts[1])));
    }
  }

  // 4. What each caller was told is what happened.
  std::map<std::string, const Job*> jobs;
  for (const Job& job : input.jobs) {
    jobs[job.key] = &job;
    ++counts["jobs"];
    counts["caller_calls"] += job.sends;
    if (job.resent) ++counts["jobs_resent"];
    ++counts[absl::StrCat("answers_", job.answered ? job.code : "NONE")];
    if (!job.answered) {
      violation("caller never got a definite answer", job.key);
      continue;
    }
    if (!job.inconsistent.empty()) {
      violation("one key got two different answers", absl::StrCat(job.key, ": ", job.inconsistent));
    }
    auto found = by_key.find(job.key);
    const GatewayPayout* payout = found == by_key.end() ? nullptr : found->second[0];
    if (job.code == "OK") {
      if (payout == nullptr) {
        violation("caller got a payout the gateway does not list",
                  absl::StrCat(job.key, " -> ", job.payout_id));
      } else if (payout->id != job.payout_id || payout->amount != job.amount ||
                 payout->clabe != job.clabe || payout->reference != job.reference ||
                 payout->provider != job.provider) {
        violation("listed payout differs from the one the caller asked for and got",
                  absl::StrCat(job.key, ": told ", job.payout_id, ", listed ", Describe(*payout)));
      }
    } else if (payout != nullptr && !payout->provider_payout_id.empty()) {
      violation("caller told the payout failed but money moved",
                absl::StrCat(job.key, " answered ", job.code, ", yet ", Describe(*payout),
                             " has transfer ", payout->provider_payout_id));
    }
  }
  for (const GatewayPayout& payout : input.payouts) {
    if (jobs.count(payout.idempotency_key) == 0) {
      violation("payout for a key no caller sent", Describe(payout));
    }
  }
  return result;
}

}  // namespace chaos
