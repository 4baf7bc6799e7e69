-- marts.indikatorer_ar: survey and progression indicators (raw/indikatorer/: NNS's indicator surveys, BIP
-- progression, the förbund's own surveys), one row per förbund, insats ('*' = the förbund), year, survey (enkat)
-- and indicator, with the answers each value rests on and how many of the year's participants they are.
--   skillnad_riket  varde - riket, on the indicator's scale; NULL without a national value
--   tackningsgrad   antal_svar ÷ the deltagare of the förbund or insats that year, for the participant surveys
--                   (enkat deltagare_*) and bip only (staging column deltagarenkat; NULL for staff, board, managers,
--                   referrers and other surveys, who are no deltagare). The förbund's deltagare are
--                   marts.jamforelse_ar.deltagare (after SUS the sum over its individinriktade insatser), an insats'
--                   marts.deltagare_ar's: staging.deltagare_nyckel_ar, matched by the insats' key. NULL when they
--                   are unknown or 0, and when the answers exceed them (fynd_indikatorer: tackningsgrad_over_1; no
--                   share of the deltagare describes that)
create or replace table marts.indikatorer_ar as
select r.forbund, r.insats, r.ar::integer as ar, r.enkat, r.indikator, r.fraga, r.antal_svar::bigint as antal_svar,
       r.varde::double as varde, r.skala, r.riket::double as riket, (r.varde - r.riket)::double as skillnad_riket,
       case when r.deltagarenkat and r.antal_svar <= d.deltagare
            then r.antal_svar / nullif(d.deltagare, 0) end::double as tackningsgrad
from staging.indikator_rader r
left join staging.deltagare_nyckel_ar d on d.forbund = r.forbund and d.ar = r.ar and d.insats_nyckel = r.insats_nyckel
order by r.forbund, r.insats = '*' desc, r.insats, r.ar, r.enkat, r.indikator;
