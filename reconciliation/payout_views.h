// The two views built from the API's Payout message: the gateway's stored payout, and a payout
// as a provider adapter parses its listing or a read by id (Provider::ListPayouts/GetPayout).
#ifndef RECONCILIATION_PAYOUT_VIEWS_H_
#define RECONCILIATION_PAYOUT_VIEWS_H_

#include "proto/payments/v1/payout_service.pb.h"
#include "reconciliation/views.h"

namespace reconciliation {

// The gateway's record of `payout` (its id, provider id, status and times as stored;
// update_time is taken as the last status change).
GatewayRecord GatewayRecordOf(const payments::v1::Payout& payout);

// The provider's transfer as an adapter parsed it (provider_payout_id is the transfer's id).
ProviderTransfer ProviderTransferOf(const payments::v1::Payout& payout);

}  // namespace reconciliation

#endif  // RECONCILIATION_PAYOUT_VIEWS_H_
