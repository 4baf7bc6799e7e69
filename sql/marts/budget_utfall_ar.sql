-- marts.budget_utfall_ar: budget, prognosis and utfall per förbund, year and kategori (insats '*'), and per insats
-- the budget lines name, for the förbund-years with a budget or a prognosis in raw/budget/ (staging.budget_rader).
--   The version rule: the budget of a förbund-year is its budget and reviderad budget lines decided on the latest
--   Beslutad day (on one day a reviderad budget wins over a budget); the prognosis its prognos lines of the latest
--   day. A version holds every line: a later one replaces an earlier one whole.
--   budget, prognos   Σ belopp of the version's lines of the kategori (and insats), in kr, costs and incomes positive;
--                     finansiella_poster net (incomes − costs) as in ekonomi_ar. For the förbund ('*'), a kategori
--                     without budget lines is 0 where the budget has lines of its side (intäkt, kostnad), as
--                     ekonomi_ar fills the årsredovisning (a budget is whole); NULL where there is no budget or no
--                     line of that side. A prognosis may forecast some kategorier only: one without prognos lines is
--                     NULL (delar_ar then takes the linear prognosis). For an insats, NULL without a line of it.
--   utfall            the förbund: the kategori's amount in ekonomi_ar (the årsredovisning, whole years; a delår never
--                     counts). An insats: Σ of the årsredovisning lines config/kostnadsmappning.csv ties to it
--                     (utfall_kalla arsredovisning), else the insats's utfall in Uppföljning Finsam when the budget
--                     gives the insats one kategori (utfall_kalla uppfoljning), else NULL
--   avvikelse         utfall − budget
--   avvikelse_andel   avvikelse ÷ budget; NULL when the budget is missing or 0
-- A row for each kategori with a budget or prognos line or an utfall other than 0, and each insats-kategori with a
-- line; years of register.ar only.
create or replace table marts.budget_utfall_ar as
with rader as (
    select b.*, case when b.version = 'prognos' then 'prognos' else 'budget' end as slag
    from staging.budget_rader b
    join register.ar y on y.ar = b.ar
),
versioner as (
    select forbund, ar, slag, version, beslutad,
           row_number() over (partition by forbund, ar, slag
                              order by beslutad desc, version = 'reviderad budget' desc) as ordning
    from (select distinct forbund, ar, slag, version, beslutad from rader)
),
galler as (
    select r.forbund, r.ar, r.slag, r.version, r.beslutad, r.kategori, r.typ, r.insats, r.insats_nyckel,
           case when r.kategori = 'finansiella_poster' and r.typ = 'kostnad' then -r.belopp else r.belopp end as belopp
    from rader r
    join versioner v on v.forbund = r.forbund and v.ar = r.ar and v.slag = r.slag and v.version = r.version
     and v.beslutad = r.beslutad and v.ordning = 1
    where r.kategori not in ('exkludera', 'eget_kapital')
),
beslut as (
    select forbund, ar,
           any_value(version) filter (where slag = 'budget' and ordning = 1) as budget_version,
           any_value(beslutad) filter (where slag = 'budget' and ordning = 1) as budget_beslutad,
           any_value(beslutad) filter (where slag = 'prognos' and ordning = 1) as prognos_beslutad
    from versioner
    group by all
),
sidor as (
    select distinct forbund, ar, slag, typ from galler
),
forbund_belopp as (
    -- '*': every kategori of a side the version has lines of, 0 where it has none of the kategori
    select s.forbund, s.ar, s.slag, s.kategori, coalesce(sum(g.belopp), 0) as belopp, count(g.belopp) > 0 as rader
    from (select distinct s.forbund, s.ar, s.slag, k.kategori
          from sidor s join register.kostnadskategori k on k.typ = s.typ) s
    left join galler g on g.forbund = s.forbund and g.ar = s.ar and g.slag = s.slag and g.kategori = s.kategori
    group by all
),
utfall as (
    unpivot (select forbund, ar, medlemsbidrag_stat, medlemsbidrag_region, medlemsbidrag_kommun, externa_bidrag,
                    ovriga_intakter, kostnad_individ as individinriktade_insatser,
                    kostnad_struktur as strukturovergripande_insatser, kostnad_admin as administration,
                    finansiella_poster
             from marts.ekonomi_ar)
    on columns(* exclude (forbund, ar)) into name kategori value utfall
),
forbund_rader as (
    select coalesce(b.forbund, p.forbund) as forbund, coalesce(b.ar, p.ar) as ar, '*' as insats,
           coalesce(b.kategori, p.kategori) as kategori, b.belopp as budget,
           case when p.rader then p.belopp end as prognos,
           coalesce(b.rader, false) or coalesce(p.rader, false) as rader
    from (select * from forbund_belopp where slag = 'budget') b
    full join (select * from forbund_belopp where slag = 'prognos') p
      on p.forbund = b.forbund and p.ar = b.ar and p.kategori = b.kategori
),
forbund_ar as (
    select distinct forbund, ar from galler
),
forbund_utfall as (
    select coalesce(f.forbund, u.forbund) as forbund, coalesce(f.ar, u.ar) as ar, '*' as insats,
           coalesce(f.kategori, u.kategori) as kategori, f.budget, f.prognos, u.utfall,
           case when u.utfall is not null then 'arsredovisning' end as utfall_kalla, f.rader
    from forbund_rader f
    full join (select u.* from utfall u semi join forbund_ar a using (forbund, ar)) u
      on u.forbund = f.forbund and u.ar = f.ar and u.kategori = f.kategori
),
insats_belopp as (
    select forbund, ar, insats_nyckel, kategori, min(insats) as insats,
           sum(belopp) filter (where slag = 'budget') as budget, sum(belopp) filter (where slag = 'prognos') as prognos
    from galler
    where insats is not null
    group by forbund, ar, insats_nyckel, kategori
),
insats_kategorier as (
    select forbund, ar, insats_nyckel, count(*) as kategorier from insats_belopp group by all
),
arsredovisning as (
    -- the årsredovisning lines tied to an insats (their insats is the register's spelling)
    select e.forbund, e.ar, r.insats_nyckel, e.kategori, sum(e.belopp) as utfall
    from staging.ekonomi_rader e
    join (select distinct forbund, insats, insats_nyckel from register.insatser) r
      on r.forbund = e.forbund and r.insats = e.insats
    group by all
),
uppfoljning as (
    select forbund, ar, insats_nyckel, sum(utfall_kr) as utfall
    from staging.uppfoljning_rader
    where utfall_kr is not null
    group by all
),
insats_rader as (
    select i.forbund, i.ar, i.insats, i.kategori, i.budget, i.prognos,
           case when a.utfall is not null then a.utfall when k.kategorier = 1 then u.utfall end as utfall,
           case when a.utfall is not null then 'arsredovisning'
                when k.kategorier = 1 and u.utfall is not null then 'uppfoljning' end as utfall_kalla
    from insats_belopp i
    join insats_kategorier k using (forbund, ar, insats_nyckel)
    left join arsredovisning a using (forbund, ar, insats_nyckel, kategori)
    left join uppfoljning u using (forbund, ar, insats_nyckel)
),
alla as (
    select forbund, ar, insats, kategori, budget, prognos, utfall, utfall_kalla
    from forbund_utfall
    where rader or coalesce(utfall, 0) <> 0
    union all by name
    select * from insats_rader
)
select a.forbund, a.ar::integer as ar, a.insats, a.kategori,
       round(a.budget, 2)::double as budget, round(a.prognos, 2)::double as prognos, round(a.utfall, 2)::double as utfall,
       round(a.utfall - a.budget, 2)::double as avvikelse,
       ((a.utfall - a.budget) / nullif(a.budget, 0))::double as avvikelse_andel,
       a.utfall_kalla, b.budget_version, b.budget_beslutad, b.prognos_beslutad
from alla a
left join beslut b using (forbund, ar)
order by forbund, ar, insats <> '*', insats, kategori;
