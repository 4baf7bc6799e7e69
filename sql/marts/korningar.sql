-- marts.korningar: the run history, one row per published run, so an analyst can see on what the numbers rest and
-- since when. Each build carries the rows of the live warehouse over (staging.korningar_tidigare, copied by the
-- register step) and adds its own; a run that does not publish leaves no row, because its build is discarded.
--   run_id          the Dagster run that built the warehouse
--   startad, klar   when the run started, and when its marts were finished (just before the report and publishing):
--                   moments (TIMESTAMPTZ), whatever the machine's time zone
--   utlost_av       what started it: kommando (the pipeline command), schema (nightly_schedule), sensor
--                   (raw_filer_sensor), ui (the Dagster UI), test
--   status          publicerad, or publicerad_med_avvisade when some input files were rejected
--   exitkod         what the pipeline command exits with for such a run: 0, or 2 with rejected files
--   filer_lasta, filer_avvisade  input files loaded, and rejected (an earlier version may stand in for one)
--   varningar       findings of severity varning (marts.datakvalitet)
--   filer           JSON: every input file with its status, sha256 and the reason it was rejected
--   rader           JSON: rows per mart
--   indata          the digest of raw/ the run started from (finsam.ingest.inventory.scan: paths and checksums,
--                   hashed): the raw-file sensor builds nothing while raw/ still matches the latest published run
--   lopnummer       the run's number: 1 for the first published run, each run the one before it plus 1, so the
--                   latest run is the one with the highest number even when the clock stepped back between runs
create or replace table marts.korningar as
with filer as (
    select count(*) filter (where status = 'inlast') as lasta, count(*) filter (where status <> 'inlast') as avvisade,
           to_json(coalesce(list(struct_pack(fil, status, sha256, orsak) order by fil), [])) as filer
    from marts.inlasta_filer
),
fynd as (
    select count(*) filter (where allvarlighet = 'varning') as varningar from marts.datakvalitet
),
rader as (
    select to_json(map(list(table_name order by table_name), list(estimated_size order by table_name))) as rader
    from duckdb_tables()
    where schema_name = 'marts' and table_name <> 'korningar'
)
select * from staging.korningar_tidigare
where run_id <> (select run_id from register.bygge)
union all by name
select b.run_id, b.startad, get_current_timestamp() as klar, b.utlost_av,
       case when f.avvisade > 0 then 'publicerad_med_avvisade' else 'publicerad' end as status,
       case when f.avvisade > 0 then 2 else 0 end::integer as exitkod,
       f.lasta::bigint as filer_lasta, f.avvisade::bigint as filer_avvisade, d.varningar::bigint as varningar,
       f.filer::varchar as filer, r.rader::varchar as rader,
       (select coalesce(max(lopnummer), 0) + 1 from staging.korningar_tidigare
        where run_id <> b.run_id)::integer as lopnummer,
       b.indata
from register.bygge b, filer f, fynd d, rader r
order by lopnummer;
