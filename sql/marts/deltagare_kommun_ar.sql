-- marts.deltagare_kommun_ar: participants per member kommun and year, the unique individuals of the insatser that
-- serve the kommun (config/insatser.csv, column kommun). Counted with the rules of deltagare_ar, defined once in
-- sql/staging/deltagare_raknat.sql (level kommun): deltagare, nyinskrivna, avslutade, avslut_arbete_studier,
-- avslut_jobb_studieredo, pagaende_vid_arets_slut, registreringar, anonyma, aterkommande. A spell belongs to the
-- kommun its insats serves on the spell's start date. Insatser for the whole förbund (kommun blank) are in no
-- kommun, so the kommuner need not add up to the förbund; a person in insatser of two kommuner counts in both.
-- One row per kommun and year it counts for the förbund (a member on 31 December, as malgrupp_kommun). The counts
-- are NULL, never 0, when the förbund-year has no registrations (reported counts have no kommun split) or when
-- no register row names the kommun for the year and none of its spells run then; 0 when one does but nobody
-- took part. In a seam year of the registrations (staging.forsta_registreringsar: the förbund's first year of
-- registrations, or the first after a year without any) nyinskrivna and aterkommande are NULL, as in deltagare_ar.
create or replace table marts.deltagare_kommun_ar as
with sus as (
    select forbund, ar from marts.deltagare_ar where insats = '*' and kalla = 'sus'
),
namnd as (
    select distinct k.forbund, k.kommun, k.ar
    from register.forbund_kommun_ar k
    join register.insatser r on r.forbund = k.forbund and r.kommun = k.kommun
     and r.giltig_fran <= make_date(k.ar, 12, 31) and (r.giltig_till is null or r.giltig_till >= make_date(k.ar, 1, 1))
),
raknat as (
    select forbund, nyckel as kommun, ar, * exclude (forbund, niva, nyckel, ar)
    from staging.deltagare_raknat where niva = 'kommun'
),
rader as (
    select k.forbund, k.kommun, k.kommun_namn, k.ar, c.* exclude (forbund, kommun, ar),
           s.forbund is not null and (c.forbund is not null or n.forbund is not null) as kand,
           f.forbund is not null as forsta_ar
    from register.forbund_kommun_ar k
    left join sus s using (forbund, ar)
    left join staging.forsta_registreringsar f using (forbund, ar)
    left join namnd n using (forbund, kommun, ar)
    left join raknat c using (forbund, kommun, ar)
)
select forbund, kommun, kommun_namn, ar::integer as ar,
       case when kand then coalesce(deltagare, 0) end::bigint as deltagare,
       case when kand and not forsta_ar then coalesce(nyinskrivna, 0) end::bigint as nyinskrivna,
       case when kand then coalesce(avslutade, 0) end::bigint as avslutade,
       case when kand then coalesce(avslut_arbete_studier, 0) end::bigint as avslut_arbete_studier,
       case when kand then coalesce(avslut_jobb_studieredo, 0) end::bigint as avslut_jobb_studieredo,
       case when kand then coalesce(pagaende_vid_arets_slut, 0) end::bigint as pagaende_vid_arets_slut,
       case when kand then coalesce(registreringar, 0) end::bigint as registreringar,
       case when kand then coalesce(anonyma, 0) end::bigint as anonyma,
       case when kand and not forsta_ar then coalesce(aterkommande, 0) end::bigint as aterkommande
from rader
order by forbund, kommun, ar;
