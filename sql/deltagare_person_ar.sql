-- staging.deltagare_person_ar: one row per level (insats, or '*' for the förbund), year and non-anonymous person
-- with a spell overlapping the year: the person-year of the contract's counting (data-contract.md, "Counting").
--   open_at_start  a spell of the person at this level is open after 31 Dec y-1
--   open_at_end    a spell is open after 31 Dec y (not open_at_end = avslutad in y)
--   last_kategori  the kategori of the last spell: latest end date; on the same end day the better outcome wins,
--                  in register.avslut_kategori's order (arbete, studier, arbetssokande, studieredo, ...)
--   last_stod      that spell's stod (register.avslutsorsak: med_stod, utan_stod, NULL = the text does not say);
--                  among equally ranked last spells utan_stod wins over med_stod, med_stod over NULL
-- sql/deltagare_ar.sql holds the same person-year in its CTE person_year; marts.avslut_ar counts from this view,
-- and its blocking check avslut_ar_summa proves that both give the same avslutade and outcome counts.
create or replace view staging.deltagare_person_ar as
with spells as (
    select s.forbund, s.insats, s.person, s.anonym, s.start, s.slut, s.kategori, a.stod
    from staging.sus_registreringar s
    left join staging.sus_avslutsorsak t on t.avslutsorsak = s.avslutsorsak
    left join register.avslutsorsak a on a.nyckel = t.nyckel and a.kategori = s.kategori and s.slut is not null
    where not s.anonym
),
levels as (
    select * from spells
    union all by name
    select * replace ('*' as insats) from spells
),
spell_year as (
    select l.*, y.ar,
           l.slut is null or l.slut > make_date(y.ar, 12, 31) as open_at_end,
           l.start <= make_date(y.ar - 1, 12, 31) and (l.slut is null or l.slut > make_date(y.ar - 1, 12, 31))
               as open_at_start,
           date_diff('day', date '1900-01-01', coalesce(l.slut, date '9999-12-31')) * 100
               + 99 - coalesce(k.ordning, 11) as last_rank,
           coalesce(list_position(['med_stod', 'utan_stod'], l.stod), 0) as stod_rank
    from levels l
    join register.ar y
      on l.start <= make_date(y.ar, 12, 31) and (l.slut is null or l.slut >= make_date(y.ar, 1, 1))
    left join register.avslut_kategori k on k.kategori = l.kategori
)
select forbund, insats, ar, person,
       bool_or(open_at_start) as open_at_start,
       bool_or(open_at_end) as open_at_end,
       arg_max(kategori, last_rank) as last_kategori,
       arg_max_null(stod, last_rank * 3 + stod_rank) as last_stod
from spell_year
group by all;
