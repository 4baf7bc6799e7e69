-- marts.revisioner: every published figure of a closed year that a publish changed, the revisions of earlier
-- publishes carried over (staging.revisioner_tidigare, copied by the register step) and this build's added.
-- A figure: a value of a column the revision guard compares (every count, amount, ratio and description of persons
-- of every mart that is not bookkeeping; finsam.build.declarations, `revised`). A closed year: one up to
-- register.installningar.sista_stangda_ar (the year before the run's). The runner attaches the published
-- warehouse while this runs (finsam.publish.revision.compared) and gives two temporary views:
--   revision_par    mart, forbund, ar, nyckel, kolumn, skydd, gammalt (the published value, never NULL), nytt (this
--                   build's; NULL when the value or its row is gone), underlag_gammalt, underlag_nytt (the smallest
--                   count of persons each rests on, for disclosure control)
--   revision_filer  fil, hur (ny, ändrad, avvisad, borttagen since the last publish), and the forbund and ar (NULL =
--                   every year) its rows concern
-- A difference below a billionth of the value is the order of a floating-point sum, not a revision. A value that
-- was NULL and now exists is a first publication, not a revision (revision_par holds only published values).
-- over_tolerans: beyond revision_tolerans, or from or to 0, or gone; publishing stops on it unless confirmed.
create or replace table marts.revisioner as
with satt as (
    select revision_tolerans as tolerans, sista_stangda_ar from register.installningar
),
andrade as (
    select p.*
    from revision_par p, satt s
    where p.ar <= s.sista_stangda_ar
      and (p.nytt is null or abs(p.nytt - p.gammalt) > 1e-9 * greatest(abs(p.gammalt), abs(p.nytt), 1))
),
filer as (
    select a.forbund, a.ar,
           array_to_string(list_sort(list_distinct(list(f.fil || ' (' || f.hur || ')'))), '; ') as filer
    from (select distinct forbund, ar from andrade) a
    join revision_filer f on f.forbund = a.forbund and (f.ar is null or f.ar = a.ar)
    group by all
)
select * from staging.revisioner_tidigare
where korning <> (select run_id from register.bygge)
union all by name
select b.run_id as korning, a.mart, a.nyckel, a.kolumn, a.forbund, a.ar, a.skydd, a.gammalt, a.nytt,
       (a.nytt - a.gammalt) / nullif(abs(a.gammalt), 0) as andring,
       a.nytt is null or a.gammalt = 0 or a.nytt = 0 or abs(a.nytt - a.gammalt) > s.tolerans * abs(a.gammalt)
           as over_tolerans,
       a.underlag_gammalt, a.underlag_nytt, f.filer
from andrade a
cross join satt s
cross join register.bygge b
left join filer f on f.forbund = a.forbund and f.ar = a.ar
order by mart, forbund, ar, nyckel, kolumn, korning;
