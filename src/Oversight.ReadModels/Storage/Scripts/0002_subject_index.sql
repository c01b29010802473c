-- Which inspections, correction orders and referrals concern an organization: their first event names it
-- (data.organizationId). A partial expression index keeps that lookup exact and current for auditors'
-- histories without a projection (and costs nothing on other event types).
CREATE INDEX events_subject_organization ON {schema}.events ((data ->> 'organizationId'))
    WHERE event_type IN ('InspectionScheduled', 'CorrectionOrderIssued', 'TraffickingSuspicionReferred');
