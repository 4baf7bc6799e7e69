-- marts.uppfoljning_efter_avslut_ar: how the people who ended in a year fare some months later, as the förbund's own
-- follow-up (raw/uppfoljning_efter_avslut/) counts them; one row per förbund, insats ('*' = the förbund as a
-- whole), avslutsår and months after avslut. Outcomes, not effects: nothing here says what would have happened
-- without the insats.
--   avslutade      the file's Avslutade; blank: marts.deltagare_ar's avslutade of the förbund (insats) in the
--                  avslutsår (staging.deltagare_nyckel_ar: the insats matched by its key, insats_nyckel), unless
--                  that is below tillfragade (the two count different avslut; fynd_uppfoljning_efter_avslut says
--                  tackningsgrad_over_1): then NULL
--   svarsfrekvens  svarande ÷ tillfragade
--   tackningsgrad  tillfragade ÷ avslutade: the share of the year's avslutade that were asked
--   arbete … annat the svarande by outcome, as in the file (blank = NULL; they add up to svarande, blank as 0)
--   andel_arbete_studier  (arbete + studier) ÷ svarande, blank outcomes as 0, with its Wilson 95 % interval
--                  (andel_arbete_studier_lag, _hog; wilson() in sql/makron.sql): the svarande seen as a sample of
--                  the year's avslutade, which says nothing of those who did not answer
-- Every ratio is NULL when its denominator is NULL or 0.
create or replace table marts.uppfoljning_efter_avslut_ar as
with rader as (
    select r.*, coalesce(r.avslutade, case when d.avslutade >= r.tillfragade then d.avslutade end) as bas,
           coalesce(r.arbete, 0) + coalesce(r.studier, 0) as arbete_studier
    from staging.uppfoljning_efter_avslut_rader r
    left join staging.deltagare_nyckel_ar d
           on d.forbund = r.forbund and d.ar = r.avslutsar and d.insats_nyckel = r.insats_nyckel
)
select forbund, insats, avslutsar::integer as avslutsar, manader::integer as manader,
       bas::bigint as avslutade, tillfragade::bigint as tillfragade, svarande::bigint as svarande,
       (svarande / nullif(tillfragade, 0))::double as svarsfrekvens,
       (tillfragade / nullif(bas, 0))::double as tackningsgrad,
       arbete::bigint as arbete, studier::bigint as studier, arbetssokande::bigint as arbetssokande,
       fortsatt_rehabilitering::bigint as fortsatt_rehabilitering, sjukskrivning_ae::bigint as sjukskrivning_ae,
       forsorjningsstod::bigint as forsorjningsstod, annat::bigint as annat,
       (arbete_studier / nullif(svarande, 0))::double as andel_arbete_studier,
       wilson(arbete_studier, svarande, -1)::double as andel_arbete_studier_lag,
       wilson(arbete_studier, svarande, 1)::double as andel_arbete_studier_hog
from rader
order by forbund, insats = '*' desc, insats, avslutsar, manader;
