-- The floor: plain DuckDB computing the förbund totals (insats = '*') of marts.deltagare_ar straight from a
-- synthetic data set's SUS csv files (scripts/make_synth.py), with the contract's counting. No validation, no
-- findings, no pseudonyms: the least work any pipeline must do. Set the variable `dir` to the data set's folder
-- first (bench/run.py does); its sus_filer.csv names each file's förbund, csv dialect and export date, and
-- avslutsorsak texts map through its config/avslutsorsak.csv. Result: the table floor_deltagare_ar.
set variable filer = (select list(struct_pack(fil := getvariable('dir') || '/' || fil, forbund, dialekt, uttag))
                      from read_csv(getvariable('dir') || '/sus_filer.csv', all_varchar = true));
set variable d0 = (select list(f.fil) from (select unnest(getvariable('filer')) as f) where f.dialekt = '0');
set variable d1 = (select list(f.fil) from (select unnest(getvariable('filer')) as f) where f.dialekt = '1');
set variable d2 = (select list(f.fil) from (select unnest(getvariable('filer')) as f) where f.dialekt = '2');
set variable d3 = (select list(f.fil) from (select unnest(getvariable('filer')) as f) where f.dialekt = '3');

-- each dialect's files in one read, columns by position (the sniffer would cost more than the reading)
create or replace temp table rader as
select filename, insats, person, anonym, kon, fodelsear, start, slut, avslutsorsak
from read_csv(getvariable('d0'), delim = ';', encoding = 'latin-1', skip = 4, header = false, filename = true,
              auto_detect = false,
              columns = {'forbund': 'varchar', 'insats': 'varchar', 'insats_id': 'varchar', 'person': 'varchar',
                         'anonym': 'varchar', 'kon': 'varchar', 'fodelsear': 'varchar', 'start': 'varchar',
                         'slut': 'varchar', 'avslutsorsak': 'varchar'})
union all by name
select filename, insats, person, anonym, kon, fodelsear, start, slut, avslutsorsak
from read_csv(getvariable('d1'), delim = ',', header = true, filename = true, auto_detect = false,
              columns = {'forbund': 'varchar', 'insats': 'varchar', 'person': 'varchar', 'anonym': 'varchar', 'kon': 'varchar',
                       'fodelsear': 'varchar', 'start': 'varchar', 'slut': 'varchar', 'avslutsorsak': 'varchar'})
union all by name
select filename, insats, person, anonym, kon, fodelsear, start, slut, avslutsorsak
from read_csv(getvariable('d2'), delim = '\t', header = true, filename = true, auto_detect = false,
              columns = {'forbund': 'varchar', 'insats': 'varchar', 'person': 'varchar', 'anonym': 'varchar', 'kon': 'varchar',
                       'fodelsear': 'varchar', 'start': 'varchar', 'slut': 'varchar', 'avslutsorsak': 'varchar'})
union all by name
select filename, insats, person, anonym, kon, fodelsear, start, slut, avslutsorsak
from read_csv(getvariable('d3'), delim = ';', header = true, filename = true, auto_detect = false,
              columns = {'forbund': 'varchar', 'insats': 'varchar', 'person': 'varchar', 'anonym': 'varchar', 'kon': 'varchar',
                       'fodelsear': 'varchar', 'start': 'varchar', 'slut': 'varchar', 'avslutsorsak': 'varchar'});

create or replace temp table spells as
with filer as (select unnest(getvariable('filer'), recursive := true)),
typed as (
    select f.forbund, f.uttag, r.filename, trim(r.insats) as insats,
           coalesce(r.anonym, '') ilike 'ja' as anonym,
           r.start::date as start, r.slut::date as slut,
           coalesce(k.kategori, 'okand') as kategori,
           lower(left(r.kon, 1)) as kon, r.fodelsear, replace(r.person, '-', '') as digits
    from rader r
    join filer f on f.fil = r.filename
    left join read_csv(getvariable('dir') || '/config/avslutsorsak.csv', all_varchar = true) k
      on lower(trim(k.avslutsorsak)) = lower(trim(r.avslutsorsak))
    where r.start is not null                       -- the Totalt row
),
keyed as (
    select *,
           case when not regexp_full_match(digits, '\d{10}') then digits
                -- 10 digits: the century that makes the person younger than 100 on the start date
                when ('20' || digits[1:6]) > strftime(start, '%Y%m%d') then '19' || digits
                else '20' || digits end as person,
           -- anonymous rows are told apart by what they hold and their order in the file
           row_number() over (partition by forbund, filename, anonym, insats, start, slut, kon, fodelsear) as nr
    from typed
)
select forbund, insats, coalesce(case when not anonym then person end, 'anon|' || concat_ws('|', start, slut, kon, fodelsear, nr)) as person,
       anonym, start, slut, kategori
from keyed
qualify row_number() over (partition by forbund, insats, coalesce(case when not anonym then person end,
                                                                   'anon|' || concat_ws('|', start, slut, kon, fodelsear, nr)), start
                           order by uttag desc) = 1;

create or replace temp table floor_deltagare_ar as
-- from the first spell's year, so that the year after it is no seam (only years from 2016 are kept)
with ar as (select unnest(range(least(2016, (select min(year(start)) from spells)), year(current_date))) as ar),
spell_year as (
    select s.*, y.ar,
           s.slut is null or s.slut > make_date(y.ar, 12, 31) as open_at_end,
           s.start <= make_date(y.ar - 1, 12, 31) and (s.slut is null or s.slut > make_date(y.ar - 1, 12, 31))
               as open_at_start,
           coalesce(s.slut, date '9999-12-31') as last_day,
           list_position(['arbete', 'studier', 'arbetssokande', 'studieredo', 'annan_insats', 'sjukdom', 'flytt',
                          'avbrott', 'ovrigt', 'okand'], s.kategori) as rank
    from spells s
    join ar y on s.start <= make_date(y.ar, 12, 31) and (s.slut is null or s.slut >= make_date(y.ar, 1, 1))
            and (not s.anonym or year(s.start) = y.ar)
),
person_year as (
    select forbund, ar, bool_or(open_at_end) as open_at_end, bool_or(open_at_start) as open_at_start,
           arg_max(kategori, (last_day, -rank)) as last_kategori
    from spell_year where not anonym group by forbund, ar, person
),
persons as (
    select forbund, ar, count(*) as deltagare,
           count(*) filter (where not open_at_start) as nyinskrivna,
           count(*) filter (where not open_at_end) as avslutade,
           count(*) filter (where not open_at_end and last_kategori in ('arbete', 'studier')) as avslut_arbete_studier,
           count(*) filter (where not open_at_end and last_kategori in ('arbetssokande', 'studieredo'))
               as avslut_jobb_studieredo,
           count(*) filter (where open_at_end) as pagaende_vid_arets_slut
    from person_year group by all
),
registrations as (
    select forbund, ar, count(*) as registreringar, count(*) filter (where anonym) as anonyma
    from spell_year group by all
)
select r.forbund, r.ar, coalesce(p.deltagare, 0) + r.anonyma as deltagare,
       -- none in a förbund's first year with registrations or the first after a year without (the contract's seam)
       case when exists (select 1 from registrations q where q.forbund = r.forbund and q.ar = r.ar - 1)
            then coalesce(p.nyinskrivna, 0) + r.anonyma end as nyinskrivna, coalesce(p.avslutade, 0) as avslutade,
       coalesce(p.avslut_arbete_studier, 0) as avslut_arbete_studier,
       coalesce(p.avslut_jobb_studieredo, 0) as avslut_jobb_studieredo,
       coalesce(p.pagaende_vid_arets_slut, 0) as pagaende_vid_arets_slut, r.registreringar, r.anonyma
from registrations r left join persons p using (forbund, ar)
where r.ar >= 2016;
