-- marts.avslut_ar: the avslutade of each förbund (insats = '*', unique individuals) and insats per year, split by
-- the kategori of their last spell: every kategori of config/avslutsorsak.csv plus okand, arbete and studier apart.
-- One row per row of marts.deltagare_ar and kategori (register.avslut_kategori). Per level and year y:
--   avslutade         non-anonymous deltagare of y not open after 31 Dec y whose last spell (latest end date; on
--                     the same day the better outcome) has this kategori (staging.deltagare_person_ar)
--   avslutade_totalt  deltagare_ar.avslutade of the level and year: what the kategori rows add up to
--   andel             avslutade / avslutade_totalt
--   med_stod          of avslutade, those whose last spell's avslutsorsak says continued public support
--                     (config/avslutsorsak.csv, column stod = med_stod: "Arbete med lönestöd", ...)
--   utan_stod         of avslutade, those whose text says without support (stod = utan_stod); the rest, blank
--                     stod ("Arbete", "Studier"), is not known either way
--   avslut_stegforflyttning  stegförflyttning, defined here once: the level's avslutade of the year whose last
--                     spell ended in kategori arbete, studier, arbetssokande, studieredo or annan_insats (a step
--                     towards work, contract "Stegförflyttning"); the same on every kategori row of the level and
--                     year, NULL where the kategori counts are (marts.jamforelse_ar takes the förbund's from here)
--   andel_stegforflyttning   avslut_stegforflyttning / avslutade_totalt
-- Counts exist where deltagare_ar counted from registrations (kalla = 'sus') and, from Uppföljning Finsam (kalla =
-- 'uppfoljning'), where the insatser reported avslut (raw/avslut_rapporterade: Σ Antal per kategori and stod; the
-- förbund row all insatser's); reports (kalla = 'aggregat') give no split by kategori, so there the counts are NULL,
-- as for years without data or without reported avslut. kalla is deltagare_ar's. The blocking check
-- avslut_ar_summa proves, on every build, that the kategori rows add up to deltagare_ar's avslutade,
-- avslut_arbete_studier (arbete + studier) and avslut_jobb_studieredo (arbetssokande + studieredo).
create or replace table marts.avslut_ar as
with counted as (
    select forbund, nyckel as insats, ar, last_kategori as kategori, count(*) as avslutade,
           count(*) filter (where last_stod = 'med_stod') as med_stod,
           count(*) filter (where last_stod = 'utan_stod') as utan_stod
    from staging.deltagare_person_ar
    where niva in ('forbund', 'insats', 'typ') and not anonym and not open_at_end
    group by all
),
insatsnamn as (
    select distinct forbund, ar, insats, insats_nyckel from staging.uppfoljning_rader
),
alla as (
    select d.forbund, d.insats, d.ar, d.kalla, d.avslutade as avslutade_totalt, k.kategori, k.ordning,
           case when d.kalla = 'sus' then c.avslutade else r.antal end as avslutade,
           case when d.kalla = 'sus' then c.med_stod else r.med_stod end as med_stod,
           case when d.kalla = 'sus' then c.utan_stod else r.utan_stod end as utan_stod,
           -- counts where the level has them: registrations, or reported avslut (deltagare_ar.avslutade not NULL)
           d.kalla = 'sus' or (d.kalla = 'uppfoljning' and d.avslutade is not null) as har_antal
    from marts.deltagare_ar d
    cross join register.avslut_kategori k
    left join counted c on c.forbund = d.forbund and c.insats = d.insats and c.ar = d.ar and c.kategori = k.kategori
    left join insatsnamn n on d.kalla = 'uppfoljning' and n.forbund = d.forbund and n.ar = d.ar and n.insats = d.insats
    left join staging.avslut_rapporterat r on d.kalla = 'uppfoljning' and r.forbund = d.forbund and r.ar = d.ar
         and r.kategori = k.kategori and r.insats_nyckel is not distinct from n.insats_nyckel
),
raknat as (
    select forbund, insats, ar, kategori, ordning, kalla, avslutade_totalt,
           case when har_antal then coalesce(avslutade, 0) end as avslutade,
           case when har_antal then coalesce(med_stod, 0) end as med_stod,
           case when har_antal then coalesce(utan_stod, 0) end as utan_stod
    from alla
),
steg as (
    select *, sum(avslutade) filter (where stegforflyttning(kategori))
                  over (partition by forbund, insats, ar) as avslut_stegforflyttning
    from raknat
)
select forbund, insats, ar::integer as ar, kategori,
       avslutade::bigint as avslutade,
       avslutade_totalt::bigint as avslutade_totalt,
       (avslutade / nullif(avslutade_totalt, 0))::double as andel,
       med_stod::bigint as med_stod,
       utan_stod::bigint as utan_stod,
       kalla,
       avslut_stegforflyttning::bigint as avslut_stegforflyttning,
       (avslut_stegforflyttning / nullif(avslutade_totalt, 0))::double as andel_stegforflyttning
from steg
order by forbund, insats = '*' desc, insats, ar, ordning;
