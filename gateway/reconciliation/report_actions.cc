#include "gateway/reconciliation/report_actions.h"

#include "absl/strings/str_cat.h"
#include "gateway/core/engine_steps.h"
#include "idempotency/gateway_store.h"

namespace gateway {

using payments::v1::Payout;

void ReportActions::Note(const reconciliation::Item& item, const std::string& provider_status,
                         const std::string* caller) {
  if (item.item_class == reconciliation::ItemClass::kStuck && item.gateway.has_value()) {
    if (item.gateway->status == payments::v1::PAYOUT_STATUS_PENDING) {
      ++stuck_.pending;
    } else {
      ++stuck_.unknown;
    }
  }
  if (!item.gateway.has_value() || !item.provider.has_value()) return;
  const bool apply = item.status_action == reconciliation::StatusAction::kApply;
  // Paired without the provider's id (by tracking key or fingerprint): the payout learns it,
  // as the resolver's search by reference would record it, with the status when it applies.
  if (item.gateway->provider_payout_id.empty() && !item.provider->provider_transfer_id.empty()) {
    if (caller != nullptr) {
      adoptions_.push_back({*caller, item.gateway->payout_id, item.provider->provider_transfer_id,
                            item.provider->tracking_key,
                            apply ? item.status_to_apply : payments::v1::PAYOUT_STATUS_UNSPECIFIED,
                            provider_status});
    }
    return;
  }
  if (!apply) return;
  providers::WebhookEvent event;
  event.provider = provider_;
  event.kind = providers::WebhookEvent::Kind::kPayoutStatus;
  event.event_id = absl::StrCat("reconciliation/", item.gateway->payout_id);
  event.provider_payout_id = item.gateway->provider_payout_id.empty()
                                 ? item.provider->provider_transfer_id
                                 : item.gateway->provider_payout_id;
  event.tracking_key = item.provider->tracking_key;
  event.status = item.status_to_apply;
  event.provider_status = provider_status;
  // The listing (or the read by id) is itself the provider's answer: no confirming read.
  event.confirm_by_reading = false;
  applies_.push_back({item.gateway->payout_id, std::move(event)});
}

// One at a time, each through the store (so never inline: no recursion).
void ReportActions::ApplyNext(size_t index) {
  if (index >= applies_.size()) return AdoptNext(0);
  engine_->ApplyProviderEvent(
      applies_[index].second, [self = shared_from_this(), index](absl::StatusOr<Payout> applied) {
        const std::string& payout_id = self->applies_[index].first;
        if (applied.ok()) {
          self->applied[payout_id] = applied->status();
        } else {
          self->apply_errors[payout_id] = std::string(applied.status().message());
        }
        self->ApplyNext(index + 1);
      });
}

// The provider's id (and tracking key, and a status to apply) written on a payout paired
// without it, in one store transaction through the engine's monotonic save (a status change
// is logged for WatchPayouts).
void ReportActions::AdoptNext(size_t index) {
  if (index >= adoptions_.size()) {
    auto done = std::move(done_);
    return done();
  }
  Adoption adoption = adoptions_[index];
  store_->Run<Payout>(
      [adoption](idempotency::GatewayStore& s) -> absl::StatusOr<Payout> {
        auto stored = s.GetPayout(adoption.caller, adoption.payout_id);
        if (!stored.ok()) return stored.status();
        if (!stored->has_value()) return absl::NotFoundError("the payout is gone");
        Payout updated = **stored;
        if (!updated.provider_payout_id().empty()) return updated;  // learnt meanwhile
        updated.set_provider_payout_id(adoption.provider_payout_id);
        if (updated.tracking_key().empty()) updated.set_tracking_key(adoption.tracking_key);
        if (adoption.status != payments::v1::PAYOUT_STATUS_UNSPECIFIED) {
          updated.set_status(adoption.status);
          updated.set_provider_status(adoption.provider_status);
        }
        return engine_steps::SaveAndLog(s, adoption.caller, updated);
      },
      [self = shared_from_this(), index](absl::StatusOr<Payout> saved) {
        const Adoption& adoption = self->adoptions_[index];
        if (!saved.ok()) {
          self->apply_errors[adoption.payout_id] = std::string(saved.status().message());
        } else if (adoption.status != payments::v1::PAYOUT_STATUS_UNSPECIFIED) {
          self->applied[adoption.payout_id] = saved->status();
        }
        self->AdoptNext(index + 1);
      });
}

}  // namespace gateway
