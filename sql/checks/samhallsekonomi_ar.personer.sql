-- samhallsekonomi_ar.personer: an actor's personer are some of the förbund's avslutade of the year: at most
-- deltagare_ar's avslutade of the förbund (each avslutad is in one avslut kategori).
-- The rows that break the rule; none = passed.
select s.forbund, s.ar, s.aktor, s.personer, d.avslutade
from marts.samhallsekonomi_ar s
left join marts.deltagare_ar d on d.forbund = s.forbund and d.ar = s.ar and d.insats = '*'
where d.avslutade is null or s.personer > d.avslutade
