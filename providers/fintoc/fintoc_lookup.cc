#include "providers/fintoc/fintoc_lookup.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "providers/common/native_id.h"
#include "providers/common/payout_results.h"
#include "providers/fintoc/fintoc_messages.h"
#include "providers/fintoc/fintoc_paging.h"
#include "providers/fintoc/fintoc_provider.h"
#include "providers/fintoc/fintoc_sent_payouts.h"
#include "vocabulary/proto_time.h"
#include "vocabulary/resource_id.h"

namespace providers::fintoc {
namespace {

using payments::v1::Payout;

// One search: its filters, what it has found so far and how far it has read.
struct Search {
  FintocSession* session;
  PayoutOrder order;
  absl::Time not_before;
  absl::Time deadline;
  std::string query;
  int pages = 0;
  std::vector<Payout> matches;
  Callback<Payout> done;

  std::string Describe() const {
    return absl::StrCat("Fintoc transfers from ", order.source_account_native_id, " since ",
                        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", not_before, absl::UTCTimeZone()));
  }

  void Finish() {
    if (matches.size() == 1) return done(WithOrder(std::move(matches[0]), order));
    if (matches.empty()) {
      return done(
          absl::NotFoundError(absl::StrCat("none of the ", Describe(),
                                           " matches this payout's amount, counterparty, reference "
                                           "and description (",
                                           pages, " page(s) read to the end)")));
    }
    std::vector<std::string> ids;
    for (const Payout& match : matches) ids.push_back(match.provider_payout_id());
    done(absl::FailedPreconditionError(
        absl::StrCat(matches.size(), " of the ", Describe(), " match this payout (",
                     absl::StrJoin(ids, ", "), "); a person must decide which one it is")));
  }
};

// Any failure to read the list: the search did not finish, so it vouches for nothing (never a
// NOT_FOUND, which would claim the listing holds no such transfer).
absl::Status Unfinished(const absl::Status& why) {
  return absl::UnavailableError(
      absl::StrCat("the search of Fintoc's transfers did not finish: ", why.message()));
}

void ReadPage(std::shared_ptr<Search> search, std::string cursor) {
  auto url = PageUrl(*search->session, PageQuery{kLookupPageSize, std::move(cursor)},
                     "/v2/transfers", search->query, NativeId::kFintocTransfer);
  if (!url.ok()) return search->done(absl::InternalError(url.status().message()));
  ++search->pages;
  search->session->Get(
      *std::move(url), search->deadline,
      [search](absl::StatusOr<net::http::HttpResponse> response) mutable {
        if (!response.ok()) return search->done(Unfinished(response.status()));
        if (response->status < 200 || response->status >= 300) {
          return search->done(Unfinished(ErrorFromReply(response->status, response->body)));
        }
        auto items = ParseList(response->body);
        if (!items.ok()) {
          return search->done(absl::UnavailableError(
              absl::StrCat("unreadable Fintoc transfer list: ", items.status().message())));
        }
        bool older_seen = false;  // the list is newest first: the window has been passed
        for (const auto& item : *items) {
          auto transfer = ParseTransfer(item);
          if (!transfer.ok()) {
            return search->done(absl::UnavailableError(
                absl::StrCat("unreadable Fintoc transfer: ", transfer.status().message())));
          }
          if (transfer->has_create_time() &&
              gateway::TimeOf(transfer->create_time()) < search->not_before) {
            older_seen = true;
            continue;
          }
          if (MatchesOrder(*transfer, search->order, search->not_before)) {
            search->matches.push_back(*std::move(transfer));
          }
        }
        auto next = NextPageToken(*response, NativeId::kFintocTransfer);
        if (!next.ok()) return search->done(Unfinished(next.status()));
        if (next->empty() || older_seen) return search->Finish();
        if (search->pages >= kLookupMaxPages) {
          return search->done(absl::UnavailableError(
              absl::StrCat("the ", search->Describe(), " fill more than ", kLookupMaxPages,
                           " pages of ", kLookupPageSize, "; the search stopped before the end")));
        }
        ReadPage(std::move(search), *std::move(next));
      });
}

}  // namespace

bool MatchesOrder(const Payout& transfer, const PayoutOrder& order, absl::Time not_before) {
  const auto& request = order.request;
  const std::string source =
      gateway::ResourceId{payments::v1::PROVIDER_FINTOC, std::string(gateway::kind::kAccount),
                          order.source_account_native_id}
          .ToString();
  const std::string& number = request.counterparty().has_debit_card()
                                  ? request.counterparty().debit_card()
                                  : request.counterparty().clabe();
  const std::string& sent_number = transfer.counterparty().has_debit_card()
                                       ? transfer.counterparty().debit_card()
                                       : transfer.counterparty().clabe();
  if (transfer.has_create_time() && gateway::TimeOf(transfer.create_time()) < not_before)
    return false;
  return transfer.source_account_id() == source &&
         transfer.amount().amount_minor() == request.amount().amount_minor() &&
         transfer.amount().currency() == absl::AsciiStrToUpper(request.amount().currency()) &&
         !number.empty() && sent_number == number &&
         transfer.numeric_reference() == request.numeric_reference() &&
         transfer.description() == request.description();
}

void FindTransferByReference(FintocSession* session, const PayoutOrder& order,
                             absl::Time sent_after, absl::Time deadline, Callback<Payout> done) {
  if (absl::Status id = CheckNativeId(NativeId::kFintocAccount, order.source_account_native_id,
                                      "source_account_id");
      !id.ok()) {
    return done(id);
  }
  auto search = std::make_shared<Search>();
  search->session = session;
  search->order = order;
  search->not_before = sent_after - kLookupClockMargin;
  search->deadline = deadline;
  // `since` is an inclusive RFC 3339 UTC date-time on transaction_date
  // (docs/providers/fintoc.md#listing-transfers-for-reconciliation); a bare date is not what
  // Fintoc documents.
  search->query = absl::StrCat("direction=outbound&account_id=", order.source_account_native_id);
  if (search->not_before != absl::InfinitePast()) {
    absl::StrAppend(&search->query, "&since=", FintocDateTime(search->not_before));
  }
  absl::StrAppend(&search->query, "&limit=", kLookupPageSize);
  search->done = std::move(done);
  ReadPage(std::move(search), "");
}

void FintocProvider::FindPayoutByReference(const PayoutOrder& order, absl::Time sent_after,
                                           const CallContext& context, Callback<Payout> done) {
  FindTransferByReference(&session_, order, sent_after, context.deadline, std::move(done));
}

}  // namespace providers::fintoc
