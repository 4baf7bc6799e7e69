-- staging.fynd_sus: reconciliation findings on participant counts (rows of marts.datakvalitet).
--   stock_flow            reported counts (raw/sus_aggregat) per förbund, insats, uttag and year y:
--                         Deltagare(y) - Nyinskrivna(y) must equal Deltagare(y-1) - Avslutade(y-1)
--   aggregat_avviker      a förbund-year has registrations and a report: every column where they differ
--   saknar_sus            a förbund-year with neither registrations nor reported unique individuals
--   endast_registreringar only registrations (Uttag = registrerade) reported: deltagare stays NULL
--   aggregat_anvands      no registrations; the year's counts come from the report (info)
--   efter_sus_stangd      a year from the SUS closure on counted from registrations (a register of the förbund's
--                         own) because Uppföljning Finsam has no rows for it (info); the text says when they are
--                         only the spells SUS still had open when it closed
--   uppfoljning_anvands_inte  a förbund-year with Uppföljning Finsam rows that another source counts (info)
--   uppfoljning_avviker   a year counted from Uppföljning Finsam that registrations also cover: every individinriktad
--                         insats whose total differs from its registrations' deltagare (varde = Uppföljning −
--                         registrations). A warning where the registrations are a whole year of the förbund's own
--                         register, or where the year's total is below what SUS registered before it closed; info
--                         where SUS simply stopped (the closure year's registrations cover only its first months,
--                         a later year's only the spells still open at the closure)
--   forsta_registreringsar  a förbund-year that is the first of its registrations, or the first after a year
--                         without any (staging.forsta_registreringsar): nyinskrivna, aterkommande and time in insats
--                         are NULL there (info; not a data error, weight 0)
--   regimskifte           the first year a förbund's counts come from Uppföljning Finsam after years from another
--                         source: what is no longer comparable across that break (info)
create or replace table staging.fynd_sus as
with reported as (select * from staging.sus_aggregat_rader),
stock_flow as (
    select 'stock_flow' as regel, 'varning' as allvarlighet,
           printf('reported counts break the stock-flow identity: Deltagare %d - Nyinskrivna %d = %d at the start '
                  || 'of %d, but Deltagare %d - Avslutade %d = %d at the end of %d (%+d individuals, uttag %s)',
                  cur.deltagare, cur.nyinskrivna, cur.deltagare - cur.nyinskrivna, cur.ar, prev.deltagare,
                  prev.avslutade, prev.deltagare - prev.avslutade, prev.ar,
                  (cur.deltagare - cur.nyinskrivna) - (prev.deltagare - prev.avslutade), cur.uttag) as beskrivning,
           'sus_aggregat' as kalla, cur.forbund, cur.ar, cur.insats, cur.fil, cur.rad,
           'Deltagare - Nyinskrivna' as kolumn,
           (cur.deltagare - cur.nyinskrivna)::varchar as hittat,
           (prev.deltagare - prev.avslutade)::varchar as forvantat,
           ((cur.deltagare - cur.nyinskrivna) - (prev.deltagare - prev.avslutade))::double as varde
    from reported cur
    join register.ar y on y.ar = cur.ar
    join reported prev
      on prev.forbund = cur.forbund and prev.insats = cur.insats and prev.uttag = cur.uttag
     and prev.ar = cur.ar - 1
    where (cur.deltagare - cur.nyinskrivna) <> (prev.deltagare - prev.avslutade)
),
both_sources as (
    select r.forbund, r.ar, r.insats, r.uttag, r.fil, r.rad, col.kolumn, col.rapporterat,
           case col.kolumn
               when 'deltagare' then d.deltagare when 'nyinskrivna' then d.nyinskrivna
               when 'avslutade' then d.avslutade when 'avslut_arbete_studier' then d.avslut_arbete_studier
               when 'avslut_jobb_studieredo' then d.avslut_jobb_studieredo
               when 'registreringar' then d.registreringar end as registrerat
    from reported r
    join marts.deltagare_ar t on t.forbund = r.forbund and t.ar = r.ar and t.insats = '*' and t.kalla = 'sus'
    left join marts.deltagare_ar d on d.forbund = r.forbund and d.ar = r.ar and d.insats = r.insats
    cross join lateral (
        select * from (values
            ('deltagare', case when r.uttag = 'unika' then r.deltagare end),
            ('nyinskrivna', case when r.uttag = 'unika' then r.nyinskrivna end),
            ('avslutade', case when r.uttag = 'unika' then r.avslutade end),
            ('avslut_arbete_studier', case when r.uttag = 'unika' then r.avslut_arbete_studier end),
            ('avslut_jobb_studieredo', case when r.uttag = 'unika' then r.avslut_jobb_studieredo end),
            ('registreringar', case when r.uttag = 'registrerade' then r.deltagare end)
        ) v(kolumn, rapporterat)
    ) col
    where col.rapporterat is not null
),
differences as (
    select 'aggregat_avviker' as regel, 'varning' as allvarlighet,
           printf('the report says %s = %d, the registrations give %d (%+d)%s', kolumn, rapporterat,
                  coalesce(registrerat, 0), rapporterat - coalesce(registrerat, 0),
                  case when registrerat is null then '; the insats has no registrations this year' else '' end)
               as beskrivning,
           'sus_aggregat' as kalla, forbund, ar, insats, fil, rad, kolumn,
           rapporterat::varchar as hittat, coalesce(registrerat, 0)::varchar as forvantat,
           (rapporterat - coalesce(registrerat, 0))::double as varde
    from both_sources b
    where rapporterat <> coalesce(registrerat, 0)
      and not (kolumn = 'nyinskrivna' and exists (select 1 from staging.forsta_registreringsar f
                                                  where f.forbund = b.forbund and f.ar = b.ar))
),
missing as (
    select case when registreringar is not null then 'endast_registreringar' else 'saknar_sus' end as regel,
           'varning' as allvarlighet,
           case when registreringar is not null
                then 'only registrations were reported (Uttag = registrerade); unique individuals are unknown, '
                     || 'so deltagare and the other counts are NULL'
                when exists (select 1 from staging.sus_aggregat_rader a
                             where a.forbund = d.forbund and a.ar = d.ar and a.insats <> '*')
                then 'no SUS registrations and no förbund total among the reported counts, only counts per insats '
                     || '(a person in two insatser would count twice): the förbund''s counts are NULL, not 0'
                else 'no SUS registrations and no reported counts for this förbund and year; counts are NULL, '
                     || 'not 0' end as beskrivning,
           'sus' as kalla, forbund, ar, insats, null as fil, null::bigint as rad, 'deltagare' as kolumn,
           null as hittat, null as forvantat, null::double as varde
    from marts.deltagare_ar d
    where insats = '*' and deltagare is null and kalla is distinct from 'uppfoljning'
),
from_reports as (
    select 'aggregat_anvands' as regel, 'info' as allvarlighet,
           'no registrations this year: the counts come from the reported figures (kalla = aggregat)' as beskrivning,
           'sus_aggregat' as kalla, forbund, ar, insats, null as fil, null::bigint as rad, null as kolumn,
           null as hittat, null as forvantat, null::double as varde
    from marts.deltagare_ar
    where insats = '*' and kalla = 'aggregat' and deltagare is not null
),
efter_stangning as (
    select 'efter_sus_stangd' as regel, 'info' as allvarlighet,
           printf('counted from registrations although SUS closed on %s: Uppföljning Finsam has no rows for this '
                  || 'förbund and year, so %s', (select sus_stangd from register.installningar),
                  case when eget_register then 'the förbund''s own SUS-shaped register is used'
                       else 'the registrations SUS held are used: those of the closure year up to the closure, and '
                            || 'after it only the spells still open then, whose end nobody recorded' end)
               as beskrivning,
           'sus' as kalla, forbund, ar, '*' as insats, null as fil, null::bigint as rad, null as kolumn,
           null as hittat, null as forvantat, null::double as varde
    from staging.kallval
    where kalla = 'sus' and efter_stangning
),
registrerat_per_insats as (
    select r.forbund, r.ar, n.insats_nyckel, sum(r.deltagare) as deltagare
    from staging.deltagare_raknat r
    join staging.sus_insatsnamn n on n.insats = r.nyckel
    where r.niva = 'insats'
    group by all
),
uppfoljning_mot_sus as (
    select 'uppfoljning_avviker' as regel,
           case when k.eget_register or u.totalt < coalesce(r.deltagare, 0) and u.ar = year(i.sus_stangd)
                then 'varning' else 'info' end as allvarlighet,
           printf('Uppföljning Finsam gives the insats %d participants, the registrations %s (%+d)%s', u.totalt,
                  coalesce(r.deltagare::varchar, 'none'), u.totalt - coalesce(r.deltagare, 0),
                  case when k.eget_register then ''
                       when u.ar = year(i.sus_stangd) then printf('; SUS closed on %s, so its registrations cover '
                                                                 || 'only the year up to then', i.sus_stangd)
                       else printf('; SUS closed on %s, so the registrations are only the spells still open then',
                                   i.sus_stangd) end) as beskrivning,
           'uppfoljning' as kalla, u.forbund, u.ar, u.insats, u.fil, u.rad, 'Totalt' as kolumn,
           u.totalt::varchar as hittat, coalesce(r.deltagare, 0)::varchar as forvantat,
           (u.totalt - coalesce(r.deltagare, 0))::double as varde
    from staging.uppfoljning_rader u
    join staging.kallval k on k.forbund = u.forbund and k.ar = u.ar and k.kalla = 'uppfoljning' and k.har_sus
    cross join register.installningar i
    left join registrerat_per_insats r on r.forbund = u.forbund and r.ar = u.ar and r.insats_nyckel = u.insats_nyckel
    where u.inriktning = 'individinriktad' and u.totalt is distinct from coalesce(r.deltagare, 0)
),
uppfoljning_oanvand as (
    select 'uppfoljning_anvands_inte' as regel, 'info' as allvarlighet,
           printf('Uppföljning Finsam has %d row(s) for this förbund and year, which is counted from registrations '
                  || '(kalla %s: %s); those rows are not used for its counts', count(*), k.kalla,
                  case when k.efter_stangning then 'a register of its own after SUS closed'
                       else 'a year before SUS closed' end) as beskrivning,
           'uppfoljning' as kalla, u.forbund, u.ar, '*' as insats, min(u.fil) as fil, null::bigint as rad,
           null as kolumn, null as hittat, 'uppfoljning' as forvantat, count(*)::double as varde
    from staging.uppfoljning_rader u
    join staging.kallval k on k.forbund = u.forbund and k.ar = u.ar and k.kalla is distinct from 'uppfoljning'
    group by u.forbund, u.ar, k.kalla, k.efter_stangning
),
regimskifte as (
    select 'regimskifte' as regel, 'info' as allvarlighet,
           printf('from %d the counts come from Uppföljning Finsam (kalla uppfoljning), before from %s: deltagare is '
                  || 'then the sum over individinriktade insatser (a person in two insatser counts twice), not unique '
                  || 'persons, and nyinskrivna, pågående, återkommande, time in insats, ålder and stock-flow are no '
                  || 'longer counted; compare ratios across %d with care', ar, foregaende, ar) as beskrivning,
           'uppfoljning' as kalla, forbund, ar, '*' as insats, null as fil, null::bigint as rad, 'kalla' as kolumn,
           'uppfoljning' as hittat, foregaende as forvantat, null::double as varde
    from (select forbund, ar, kalla,
                 lag(kalla ignore nulls) over (partition by forbund order by ar) as foregaende
          from staging.kallval)
    where kalla = 'uppfoljning' and foregaende is not null and foregaende <> 'uppfoljning'
),
forsta_ar as (
    select 'forsta_registreringsar' as regel, 'info' as allvarlighet,
           case orsak when 'forsta' then 'the first year with registrations in the förbund''s SUS data'
                else 'the first year with registrations after a year without any' end
               || ': nobody''s spells before 1 January are known, so nyinskrivna, aterkommande and time in insats '
               || '(tid_i_insats_ar) are NULL, not every deltagare counted as new' as beskrivning,
           'sus' as kalla, forbund, ar, '*' as insats, null as fil, null::bigint as rad, 'nyinskrivna' as kolumn,
           orsak as hittat, null as forvantat, null::double as varde
    from staging.forsta_registreringsar
)
select * from stock_flow
union all by name select * from differences
union all by name select * from efter_stangning
union all by name select * from uppfoljning_mot_sus
union all by name select * from uppfoljning_oanvand
union all by name select * from regimskifte
union all by name select * from missing
union all by name select * from from_reports
union all by name select * from forsta_ar;
