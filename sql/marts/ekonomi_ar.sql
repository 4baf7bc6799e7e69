-- marts.ekonomi_ar: money per förbund and year, from the årsredovisning lines in staging.ekonomi_rader, each put in
-- one kategori by config/kostnadsmappning.csv. Amounts in kr; costs and incomes are stored as positive numbers.
--   medlemsbidrag        medlemsbidrag_stat + medlemsbidrag_region + medlemsbidrag_kommun (the medelstilldelning)
--   externa_bidrag       grants outside the medelstilldelning (Tillväxtverket, MUCF, ESF, ...)
--   ovriga_intakter      other operating income
--   intakter_totalt      medlemsbidrag + externa_bidrag + ovriga_intakter
--   kostnad_individ      individinriktade insatser
--   kostnad_struktur     strukturövergripande insatser
--   kostnad_admin        administration (kansli, förbundschef, styrelse, revision, lokaler, ...)
--   kostnader_totalt     kostnad_individ + kostnad_struktur + kostnad_admin
--   eget_kapital         the eget_kapital lines at year end; NULL when the year has none
--   finansiella_poster   financial income minus financial costs (in neither total)
-- Lines mapped to exkludera (subtotals, opening balances) count nowhere. Missing is NULL, never 0: a förbund-year
-- without income lines has NULL incomes, one without cost lines NULL costs, one with neither is NULL throughout
-- (ekonomi_kontroller reports saknar_intakter, saknar_kostnader, saknar_ekonomi). Where a side has lines, a
-- kategori of that side without lines is 0 (the årsredovisning has no such line).
create or replace table marts.ekonomi_ar as
with per_kategori as (
    select forbund, ar,
           coalesce(sum(belopp) filter (where kategori = 'medlemsbidrag_stat'), 0) as medlemsbidrag_stat,
           coalesce(sum(belopp) filter (where kategori = 'medlemsbidrag_region'), 0) as medlemsbidrag_region,
           coalesce(sum(belopp) filter (where kategori = 'medlemsbidrag_kommun'), 0) as medlemsbidrag_kommun,
           coalesce(sum(belopp) filter (where kategori = 'externa_bidrag'), 0) as externa_bidrag,
           coalesce(sum(belopp) filter (where kategori = 'ovriga_intakter'), 0) as ovriga_intakter,
           coalesce(sum(belopp) filter (where kategori = 'individinriktade_insatser'), 0) as kostnad_individ,
           coalesce(sum(belopp) filter (where kategori = 'strukturovergripande_insatser'), 0) as kostnad_struktur,
           coalesce(sum(belopp) filter (where kategori = 'administration'), 0) as kostnad_admin,
           coalesce(sum(case when typ = 'kostnad' then -belopp else belopp end)
                        filter (where kategori = 'finansiella_poster'), 0) as finansiella_poster,
           sum(belopp) filter (where kategori = 'eget_kapital') as eget_kapital,
           bool_or(kategori in ('medlemsbidrag_stat', 'medlemsbidrag_region', 'medlemsbidrag_kommun', 'externa_bidrag',
                                'ovriga_intakter')) as har_intakter,
           bool_or(kategori in ('individinriktade_insatser', 'strukturovergripande_insatser', 'administration'))
               as har_kostnader
    from staging.ekonomi_rader
    group by all
),
totals as (
    select *,
           medlemsbidrag_stat + medlemsbidrag_region + medlemsbidrag_kommun as medlemsbidrag,
           kostnad_individ + kostnad_struktur + kostnad_admin as kostnader_totalt
    from per_kategori
),
sides as (
    -- each side is NULL where the year has no line of it
    select forbund, ar, eget_kapital, finansiella_poster,
           case when har_intakter then medlemsbidrag end as medlemsbidrag,
           case when har_intakter then externa_bidrag end as externa_bidrag,
           case when har_intakter then ovriga_intakter end as ovriga_intakter,
           case when har_intakter then medlemsbidrag_stat end as medlemsbidrag_stat,
           case when har_intakter then medlemsbidrag_region end as medlemsbidrag_region,
           case when har_intakter then medlemsbidrag_kommun end as medlemsbidrag_kommun,
           case when har_kostnader then kostnad_individ end as kostnad_individ,
           case when har_kostnader then kostnad_struktur end as kostnad_struktur,
           case when har_kostnader then kostnad_admin end as kostnad_admin,
           case when har_kostnader then kostnader_totalt end as kostnader_totalt
    from totals
    where har_intakter or har_kostnader or eget_kapital is not null
)
select f.kod as forbund, y.ar::integer as ar,
       round(t.medlemsbidrag, 2)::double as medlemsbidrag,
       round(t.externa_bidrag, 2)::double as externa_bidrag,
       round(t.ovriga_intakter, 2)::double as ovriga_intakter,
       round(t.medlemsbidrag + t.externa_bidrag + t.ovriga_intakter, 2)::double as intakter_totalt,
       round(t.kostnad_individ, 2)::double as kostnad_individ,
       round(t.kostnad_struktur, 2)::double as kostnad_struktur,
       round(t.kostnad_admin, 2)::double as kostnad_admin,
       round(t.kostnader_totalt, 2)::double as kostnader_totalt,
       round(t.eget_kapital, 2)::double as eget_kapital,
       round(t.medlemsbidrag_stat, 2)::double as medlemsbidrag_stat,
       round(t.medlemsbidrag_region, 2)::double as medlemsbidrag_region,
       round(t.medlemsbidrag_kommun, 2)::double as medlemsbidrag_kommun,
       round(t.finansiella_poster, 2)::double as finansiella_poster
from register.forbund f
cross join register.ar y
left join sides t on t.forbund = f.kod and t.ar = y.ar
order by forbund, ar;
