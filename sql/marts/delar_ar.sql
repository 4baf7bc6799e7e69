-- marts.delar_ar: each delårsrapport (raw/ekonomi/ lines with a Period till before 31 December,
-- staging.ekonomi_delar_rader) per förbund, year, period and kategori, against the year's budget, with a prognosis
-- for the whole year.
--   utfall_hittills   Σ belopp of the delår's lines of the kategori, kr (finansiella_poster net, as in ekonomi_ar);
--                     0 for a kategori without lines where the delår has lines of its side, NULL where it has none
--   budget_helar      the year's budget for the kategori (budget_utfall_ar, insats '*': the latest decided version)
--   forbrukad_andel   utfall_hittills ÷ budget_helar; NULL when the budget is missing or 0 (above 1: more used
--                     than the year's budget)
--   forvantad_andel   days from 1 January to period_till inclusive ÷ the days of the year (243/365 on 31 August)
--   prognos_helar     the förbund's prognosis for the year (budget_utfall_ar.prognos, prognos_kalla 'forbund');
--                     without one, utfall_hittills ÷ forvantad_andel (prognos_kalla 'linjar')
--   deltagare_hittills the förbund's participants from 1 January to period_till (persons with a registration
--                     overlapping the period, an anonymous spell once in its start year), where the year's counts
--                     come from registrations (staging.kallval) and they cover the period (period_till up to
--                     sus_stangd, or the förbund keeps a register of its own); NULL otherwise: Uppföljning Finsam
--                     reports whole years only. The same on each kategori row of the period.
-- A row for each kategori with a delår line or a budget; years of register.ar only.
create or replace table marts.delar_ar as
with rader as (
    select d.forbund, d.ar, d.period_till, d.kategori, d.typ,
           case when d.kategori = 'finansiella_poster' and d.typ = 'kostnad' then -d.belopp else d.belopp end as belopp
    from staging.ekonomi_delar_rader d
    join register.ar y on y.ar = d.ar
    where d.kategori not in ('exkludera', 'eget_kapital')
),
perioder as (
    select distinct d.forbund, d.ar, d.period_till
    from staging.ekonomi_delar_rader d
    join register.ar y on y.ar = d.ar
),
utfall as (
    -- every kategori of a side the delår has lines of, 0 where it has none of the kategori
    select s.forbund, s.ar, s.period_till, s.kategori, coalesce(sum(r.belopp), 0) as utfall_hittills
    from (select distinct r.forbund, r.ar, r.period_till, k.kategori
          from rader r join register.kostnadskategori k on k.typ = r.typ) s
    left join rader r on r.forbund = s.forbund and r.ar = s.ar and r.period_till = s.period_till
     and r.kategori = s.kategori
    group by all
),
budget as (
    select p.forbund, p.ar, p.period_till, b.kategori, b.budget, b.prognos
    from perioder p
    join marts.budget_utfall_ar b on b.forbund = p.forbund and b.ar = p.ar and b.insats = '*'
),
kategorier as (
    select coalesce(u.forbund, b.forbund) as forbund, coalesce(u.ar, b.ar) as ar,
           coalesce(u.period_till, b.period_till) as period_till, coalesce(u.kategori, b.kategori) as kategori,
           u.utfall_hittills, b.budget as budget_helar, b.prognos
    from utfall u
    full join budget b on b.forbund = u.forbund and b.ar = u.ar and b.period_till = u.period_till
     and b.kategori = u.kategori
    where (u.utfall_hittills <> 0 or b.budget is not null or b.prognos is not null
           or exists (select 1 from rader r where r.forbund = u.forbund and r.ar = u.ar
                      and r.period_till = u.period_till and r.kategori = u.kategori))
),
deltagare as (
    select p.forbund, p.ar, p.period_till,
           count(distinct s.person) filter (where not s.anonym)
               + count(*) filter (where s.anonym and s.start >= make_date(p.ar, 1, 1)) as deltagare_hittills
    from perioder p
    join staging.kallval k on k.forbund = p.forbund and k.ar = p.ar and k.kalla = 'sus'
    cross join register.installningar i
    left join staging.sus_registreringar s on s.forbund = p.forbund and s.start <= p.period_till
         and (s.slut is null or s.slut >= make_date(p.ar, 1, 1))
    where i.sus_stangd is null or p.period_till <= i.sus_stangd or k.eget_register
    group by all
),
andelar as (
    select *, (period_till - make_date(ar, 1, 1) + 1)::double
              / (make_date(ar, 12, 31) - make_date(ar, 1, 1) + 1) as forvantad_andel
    from kategorier
)
select forbund, ar::integer as ar, period_till, kategori,
       round(utfall_hittills, 2)::double as utfall_hittills, round(budget_helar, 2)::double as budget_helar,
       (utfall_hittills / nullif(budget_helar, 0))::double as forbrukad_andel,
       forvantad_andel::double as forvantad_andel,
       round(coalesce(prognos, utfall_hittills / forvantad_andel), 2)::double as prognos_helar,
       case when prognos is not null then 'forbund' when utfall_hittills is not null then 'linjar' end as prognos_kalla,
       d.deltagare_hittills::bigint as deltagare_hittills
from andelar
left join deltagare d using (forbund, ar, period_till)
order by forbund, ar, period_till, kategori;
