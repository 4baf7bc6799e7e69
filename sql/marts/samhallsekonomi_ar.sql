-- marts.samhallsekonomi_ar: a socio-economic SCENARIO, not an effect. Per förbund, year and actor: what the year's
-- avslutade would be worth to the actor IF each avslut to an outcome were worth what config/samhallsekonomi.csv
-- (register.samhallsekonomi) assumes per person and year. Nothing here measures what the insatser caused: no
-- comparison group says what these people would have done without them.
--   personer        the year's avslutade (marts.avslut_ar, the förbund row insats '*') in the avslut kategorier the
--                   actor values: Σ over those kategorier. Each avslutad is in exactly one kategori (their last
--                   spell's), so an actor that values several kategorier counts each person once, in the kategori
--                   of their last spell; the same person may count for several actors
--   varde_1_ar      Σ over the actor's kategorier of avslutade × kr per person och år (kr_per_ar): one year's
--                   value
--   varde_5_ar      5 × varde_1_ar: the same value for five years, no discounting and no decay
--   varde_lag_5_ar  0.5 × varde_5_ar;  varde_hog_5_ar  1.5 × varde_5_ar: a low and a high case
--   kostnad_individ marts.ekonomi_ar.kostnad_individ of the förbund and year (the year's cost of individinriktade
--                   insatser), to hold the scenario against
--   exempelvarden   some value of the actor in config/samhallsekonomi.csv is an invented example (exempel = ja)
-- Rows for the förbund-years where avslut_ar has the split by kategori (registrations, or reported avslut after
-- SUS) and for every actor the config values; none without config/samhallsekonomi.csv.
create or replace table marts.samhallsekonomi_ar as
with aktorer as (
    select aktor, bool_or(exempel) as exempelvarden from register.samhallsekonomi group by aktor
),
per_aktor as (
    select a.forbund, a.ar, v.aktor, sum(a.avslutade) as personer,
           sum(a.avslutade * v.kr_per_ar) as varde_1_ar
    from marts.avslut_ar a
    join register.samhallsekonomi v on v.utfall = a.kategori
    where a.insats = '*' and a.avslutade is not null
    group by all
)
select p.forbund, p.ar::integer as ar, p.aktor, p.personer::bigint as personer, p.varde_1_ar::double as varde_1_ar,
       (5 * p.varde_1_ar)::double as varde_5_ar,
       (0.5 * 5 * p.varde_1_ar)::double as varde_lag_5_ar,
       (1.5 * 5 * p.varde_1_ar)::double as varde_hog_5_ar,
       e.kostnad_individ, k.exempelvarden
from per_aktor p
join aktorer k using (aktor)
left join marts.ekonomi_ar e on e.forbund = p.forbund and e.ar = p.ar
order by p.forbund, p.ar, p.aktor;
