-- staging.fynd_indikatorer: findings on the survey and progression indicators (marts.indikatorer_ar), each naming
-- the file and row it comes from.
--   lag_tackningsgrad     (varning) a participant survey or BIP whose answers are fewer than tackningsgrad_varning
--                         (installningar.yaml, 0.3) of the year's deltagare: the value describes those who answered,
--                         not the deltagare; varde = tackningsgrad
--   tackningsgrad_over_1  (varning) a participant survey or BIP with more answers than the förbund or insats had
--                         deltagare that year (staging.deltagare_nyckel_ar): answers counted per occasion, or another
--                         group than the deltagare; tackningsgrad is left NULL; varde = answers ÷ deltagare
create or replace table staging.fynd_indikatorer as
with rader as (
    select m.*, r.fil, r.rad, r.deltagarenkat, d.deltagare
    from marts.indikatorer_ar m
    join staging.indikator_rader r using (forbund, insats, ar, enkat, indikator)
    left join staging.deltagare_nyckel_ar d on d.forbund = r.forbund and d.ar = r.ar and d.insats_nyckel = r.insats_nyckel
)
select 'lag_tackningsgrad' as regel, 'varning' as allvarlighet,
       printf('%d answers to %s %s are %.1f %% of the %d deltagare of %d, below tackningsgrad_varning %.0f %% '
              || '(installningar.yaml): the value describes those who answered, not the deltagare', r.antal_svar,
              r.enkat, r.indikator, r.tackningsgrad * 100, r.deltagare, r.ar, i.tackningsgrad_varning * 100)
           as beskrivning,
       'indikatorer' as kalla, r.forbund, r.ar, r.insats, r.fil, r.rad, 'Antal svar' as kolumn,
       printf('%.1f %%', r.tackningsgrad * 100) as hittat,
       printf('at least %.0f %% of the deltagare', i.tackningsgrad_varning * 100) as forvantat,
       r.tackningsgrad as varde
from rader r
cross join register.installningar i
where r.tackningsgrad < i.tackningsgrad_varning
union all
select 'tackningsgrad_over_1', 'varning',
       printf('%d answers to %s %s, but %d deltagare in %d: more answers than deltagare (answers counted per '
              || 'occasion, or another group than the deltagare?), so täckningsgrad is left empty', r.antal_svar,
              r.enkat, r.indikator, r.deltagare, r.ar),
       'indikatorer', r.forbund, r.ar, r.insats, r.fil, r.rad, 'Antal svar', r.antal_svar::varchar,
       printf('at most %d (the deltagare of the year)', r.deltagare), r.antal_svar / nullif(r.deltagare, 0)
from rader r
where r.deltagarenkat and r.antal_svar > r.deltagare
order by regel, forbund, ar, insats;
