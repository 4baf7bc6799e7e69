-- marts.jamforelse_ar: the comparison the genomlysning makes, one row per förbund and year.
-- Counts are the förbund's unique individuals (marts.deltagare_ar, insats = '*'); money is marts.ekonomi_ar.
-- A ratio whose denominator is missing or 0 is NULL, never 0 and never an error; ekonomi_kontroller reports each
-- as saknar_underlag. Definitions (data-contract.md, "Definitions for jamforelse_ar"):
--   column                             numerator                    denominator
--   andel_avslutade                    avslutade                    deltagare
--   kostnad_per_deltagare              kostnad_individ              deltagare
--   kostnad_per_avslut                 kostnad_individ              avslutade
--   kostnad_per_avslut_arbete_studier  kostnad_individ              avslut_arbete_studier
--   kostnad_per_utfall                 kostnad_individ              avslut_arbete_studier + avslut_jobb_studieredo
--   admin_andel_kostnader              kostnad_admin                kostnader_totalt
--   admin_andel_medelstilldelning      kostnad_admin                medlemsbidrag (the genomlysning's table)
--   admin_andel_intakter               kostnad_admin                intakter_totalt (incl. external grants)
--   andel_individ                      kostnad_individ              kostnader_totalt
--   andel_struktur                     kostnad_struktur             kostnader_totalt
--   eget_kapital_andel                 eget_kapital at year end     medlemsbidrag
--   malgrupp                           malgrupp_andel x population 16-64 on 31 Dec of the member kommuner (malgrupp_ar)
--   tackningsgrad                      deltagare                    malgrupp
--   helarsekvivalenter_andel           sum of helårsekvivalenter    sum of population 20-64, member kommuner
--   helarsekvivalenter_andel_riket     the same for riket (kön and ersättning totalt; helarsekvivalenter_ar)
--   eget_kapital_andel_intakter        eget_kapital at year end     intakter_totalt (Sydnärke's own target: <= 7 %)
--   andel_arbete_studier               avslut_arbete_studier        avslutade
--   andel_jobb_studieredo              avslut_jobb_studieredo       avslutade
--   deltagare_per_1000_helarsekvivalenter  1000 x deltagare         sum of helårsekvivalenter, member kommuner
--                                                                   (kön and ersättning totalt)
--   <share>_lag, <share>_hog           Wilson 95 % score interval (z = 1.959964) of andel_avslutade,
--                                      andel_arbete_studier and andel_jobb_studieredo
-- deltagare_bas says what deltagare is: unika (unique persons: registrations or reported unique counts) or
-- summa_insatser (Uppföljning Finsam: the sum over individinriktade insatser, a person in two counts twice).
-- Costs per participant use kostnad_individ, what the förbund pays for individinriktade insatser, as the
-- genomlysning does, not total costs.
-- wilson(k, n, sida): the Wilson 95 % score interval of k of n, defined once for every mart in sql/makron.sql.
-- Here it treats the year's deltagare (avslutade) as a sample of the förbund's possible participants, so small
-- förbund get wide intervals; NULL when n is missing or 0, and when k > n (reported counts can give an
-- andel_avslutade above 1: no interval describes that).
create or replace table marts.jamforelse_ar as
select f.kod as forbund, y.ar::integer as ar,
       d.deltagare::bigint as deltagare,
       d.avslutade::bigint as avslutade,
       d.avslut_arbete_studier::bigint as avslut_arbete_studier,
       d.avslut_jobb_studieredo::bigint as avslut_jobb_studieredo,
       (d.avslutade / nullif(d.deltagare, 0))::double as andel_avslutade,
       (e.kostnad_individ / nullif(d.deltagare, 0))::double as kostnad_per_deltagare,
       (e.kostnad_individ / nullif(d.avslutade, 0))::double as kostnad_per_avslut,
       (e.kostnad_individ / nullif(d.avslut_arbete_studier, 0))::double as kostnad_per_avslut_arbete_studier,
       (e.kostnad_individ / nullif(d.avslut_arbete_studier + d.avslut_jobb_studieredo, 0))::double
           as kostnad_per_utfall,
       (e.kostnad_admin / nullif(e.kostnader_totalt, 0))::double as admin_andel_kostnader,
       (e.kostnad_admin / nullif(e.medlemsbidrag, 0))::double as admin_andel_medelstilldelning,
       (e.kostnad_admin / nullif(e.intakter_totalt, 0))::double as admin_andel_intakter,
       (e.kostnad_individ / nullif(e.kostnader_totalt, 0))::double as andel_individ,
       (e.kostnad_struktur / nullif(e.kostnader_totalt, 0))::double as andel_struktur,
       (e.eget_kapital / nullif(e.medlemsbidrag, 0))::double as eget_kapital_andel,
       m.malgrupp::double as malgrupp,
       (d.deltagare / nullif(m.malgrupp, 0))::double as tackningsgrad,
       h.andel::double as helarsekvivalenter_andel,
       h.andel_riket::double as helarsekvivalenter_andel_riket,
       (e.eget_kapital / nullif(e.intakter_totalt, 0))::double as eget_kapital_andel_intakter,
       wilson(d.avslutade, d.deltagare, -1)::double as andel_avslutade_lag,
       wilson(d.avslutade, d.deltagare, 1)::double as andel_avslutade_hog,
       (d.avslut_arbete_studier / nullif(d.avslutade, 0))::double as andel_arbete_studier,
       wilson(d.avslut_arbete_studier, d.avslutade, -1)::double as andel_arbete_studier_lag,
       wilson(d.avslut_arbete_studier, d.avslutade, 1)::double as andel_arbete_studier_hog,
       (d.avslut_jobb_studieredo / nullif(d.avslutade, 0))::double as andel_jobb_studieredo,
       wilson(d.avslut_jobb_studieredo, d.avslutade, -1)::double as andel_jobb_studieredo_lag,
       wilson(d.avslut_jobb_studieredo, d.avslutade, 1)::double as andel_jobb_studieredo_hog,
       (1000 * d.deltagare / nullif(h.helarsekvivalenter, 0))::double as deltagare_per_1000_helarsekvivalenter,
       d.deltagare_bas
from register.forbund f
cross join register.ar y
left join (
    -- one series across the SUS closure: unique persons where a source counts them, else (Uppföljning Finsam) the
    -- sum over the individinriktade insatser; every per-deltagare ratio above uses this deltagare
    select forbund, ar, avslutade, avslut_arbete_studier, avslut_jobb_studieredo,
           case when kalla = 'uppfoljning' then registreringar else deltagare end as deltagare,
           case when kalla = 'uppfoljning' and registreringar is not null then 'summa_insatser'
                when deltagare is not null then 'unika' end as deltagare_bas
    from marts.deltagare_ar
    where insats = '*'
) d on d.forbund = f.kod and d.ar = y.ar
left join marts.ekonomi_ar e on e.forbund = f.kod and e.ar = y.ar
left join marts.malgrupp_ar m on m.forbund = f.kod and m.ar = y.ar
left join marts.helarsekvivalenter_ar h on h.forbund = f.kod and h.ar = y.ar and h.kon = 'totalt'
     and h.ersattning = 'totalt'
order by forbund, ar;
