-- Delivery keeps an offer's designations in order: before delivering one, it looks for an earlier one of the
-- same landlord and offer still waiting.
create index designation_offer on designation (landlord_id, rpls_id, status);
