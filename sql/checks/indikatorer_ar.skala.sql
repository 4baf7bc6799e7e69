-- indikatorer_ar.skala: on the scale andel, varde and riket lie within 0-1, and skillnad_riket = varde - riket.
-- The rows that break the rule; none = passed.
select forbund, insats, ar, enkat, indikator
from marts.indikatorer_ar
where (skala = 'andel' and (varde not between 0 and 1 or riket not between 0 and 1))
   or skillnad_riket is distinct from varde - riket
