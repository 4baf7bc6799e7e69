-- marts.datakvalitet: one row per finding, from every step of the build (staging.fynd_* tables, gathered into
-- staging.fynd by the datakvalitet asset). allvarlighet: 'fel' = file rejected, 'varning', 'info'.
-- regel codes and their meaning: sql/findings/koder.yaml (docs/fynd.md).
create or replace table marts.datakvalitet as
select forbund, ar::integer as ar, insats, regel, allvarlighet, fil, rad::bigint as rad, kolumn, hittat, forvantat,
       beskrivning, varde::double as varde, kalla
from staging.fynd
order by case allvarlighet when 'fel' then 0 when 'varning' then 1 else 2 end, regel, fil, rad, forbund, ar, insats,
         kolumn;
