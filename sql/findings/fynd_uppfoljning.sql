-- staging.fynd_uppfoljning: findings on Uppföljning Finsam (raw/uppfoljning/) across its years.
--   inriktning_andras  (varning) one per förbund and insats whose Inriktning is not the same every year it is
--                      reported; hittat names each inriktning with its years. ar, fil and rad are those of the
--                      first year whose inriktning differs from the year reported before it.
create or replace table staging.fynd_uppfoljning as
with rader as (
    select forbund, insats_nyckel, insats, ar, inriktning, fil, rad,
           lag(inriktning) over (partition by forbund, insats_nyckel order by ar) as foregaende,
           lag(ar) over (partition by forbund, insats_nyckel order by ar) as foregaende_ar
    from staging.uppfoljning_rader
),
per_inriktning as (
    select forbund, insats_nyckel, inriktning, min(ar) as fran,
           string_agg(ar::varchar, ', ' order by ar) as ar_lista
    from rader
    group by forbund, insats_nyckel, inriktning
),
andrade as (
    select forbund, insats_nyckel, string_agg(inriktning || ' ' || ar_lista, '; ' order by fran) as hittat
    from per_inriktning
    group by forbund, insats_nyckel
    having count(*) > 1
),
forsta as (
    select * from rader
    where inriktning <> foregaende
    qualify row_number() over (partition by forbund, insats_nyckel order by ar) = 1
)
select 'inriktning_andras' as regel, 'varning' as allvarlighet,
       printf('the insats''s Inriktning changes between years: %s in %d, %s in %d; an insats keeps one inriktning '
              || '(correct the years that are wrong, or register a new insats)',
              f.foregaende, f.foregaende_ar, f.inriktning, f.ar) as beskrivning,
       'uppfoljning' as kalla, f.forbund, f.ar, f.insats, f.fil, f.rad, 'Inriktning' as kolumn, a.hittat,
       'the same Inriktning every year' as forvantat
from andrade a
join forsta f using (forbund, insats_nyckel)
order by f.forbund, f.insats_nyckel;
