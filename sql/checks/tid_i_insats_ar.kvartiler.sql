-- tid_i_insats_ar.kvartiler: p25_dagar <= median_dagar <= p75_dagar, and all three exactly when something ended,
-- except in a seam year of the registrations (staging.forsta_registreringsar), where all three are NULL.
-- The rows that break the rule; none = passed.
select t.forbund, t.insats, t.ar from marts.tid_i_insats_ar t
left join staging.forsta_registreringsar f on f.forbund = t.forbund and f.ar = t.ar
where case when f.forbund is not null
           then coalesce(t.p25_dagar, t.median_dagar, t.p75_dagar, t.pagaende_over_365) is not null
           else (t.p25_dagar is null) <> (t.avslutade = 0) or (t.median_dagar is null) <> (t.avslutade = 0)
                or (t.p75_dagar is null) <> (t.avslutade = 0) or t.p25_dagar > t.median_dagar
                or t.median_dagar > t.p75_dagar end
