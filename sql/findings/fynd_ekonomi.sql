-- staging.fynd_ekonomi: findings on the money side (rows of marts.datakvalitet).
--   saknar_ekonomi        a förbund-year without årsredovisning lines: ekonomi_ar is NULL throughout (varning)
--   saknar_intakter       lines, but no income line: the incomes of ekonomi_ar are NULL (varning)
--   saknar_kostnader      lines, but no cost line: the costs of ekonomi_ar are NULL (varning)
--   saknar_eget_kapital   a förbund-year with lines but no eget_kapital line: eget_kapital is NULL (varning)
--   saknar_underlag       a jamforelse_ar ratio is NULL because an input is missing or 0; one row per input,
--                         naming the ratios it leaves NULL (info)
--   saknar_tilldelning    no decided medelstilldelning in raw/tilldelning: the two checks below cannot run (info)
--   finansieringsmodell   a party's share of the decided medelstilldelning (Stat + Region + Kommuner) is more
--                         than 0.5 percentage points from 50 / 25 / 25 (varning)
--   medlemsbidrag_avviker ekonomi_ar.medlemsbidrag differs from the decided medelstilldelning by more than 1 %
--                         of it and at least 1 000 kr (rounding to tkr and a late payment stay below) (varning)
--   eget_kapital_over_20  eget_kapital_andel (eget kapital ÷ medlemsbidrag) above its riktvarde (koder.yaml, 0.20),
--                         Nationella rådet's recommendation (varning)
--   ansokt_andel_stat     Ansökt stat ÷ Möjlig stat, the share of the possible state money the förbund asked for;
--                         varning below its riktvarde (koder.yaml, 0.90: owners want to see money left unclaimed),
--                         else info
--   kommunfordelning      a kommun's reported medlemsbidrag differs by more than 1 kr from its population share of
--                         the kommun quarter (marts.kommunfordelning) (varning)
--   kommunfordelning_ej_kontrollerad  per-kommun lines exist but population on 1 November y-1 is missing for a
--                         member, or a line names a kommun that is not a member that year (info)
create or replace table staging.fynd_ekonomi as
with grid as (
    select f.kod as forbund, y.ar from register.forbund f cross join register.ar y
),
tilldelning as (
    select * from marts.tilldelning_ar where fil is not null
),
missing_ekonomi as (
    select 'saknar_ekonomi' as regel, 'varning' as allvarlighet,
           'no årsredovisning lines (raw/ekonomi) for this förbund and year: every amount in ekonomi_ar is NULL, '
               || 'not 0' as beskrivning,
           e.forbund, e.ar, null::varchar as kolumn, null::varchar as hittat, null::varchar as forvantat,
           null::double as varde, null::varchar as fil, null::bigint as rad
    from marts.ekonomi_ar e
    where e.kostnader_totalt is null and e.intakter_totalt is null
),
missing_side(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select case when e.intakter_totalt is null then 'saknar_intakter' else 'saknar_kostnader' end, 'varning',
           case when e.intakter_totalt is null
                then 'the årsredovisning lines of this förbund and year hold no income line: medlemsbidrag, '
                     || 'externa_bidrag, ovriga_intakter and intakter_totalt are NULL, not 0'
                else 'the årsredovisning lines of this förbund and year hold no cost line: kostnad_individ, '
                     || 'kostnad_struktur, kostnad_admin and kostnader_totalt are NULL, not 0' end,
           e.forbund, e.ar, case when e.intakter_totalt is null then 'intakter_totalt' else 'kostnader_totalt' end,
           null, 'at least one line of that kind', null, null, null
    from marts.ekonomi_ar e
    where (e.intakter_totalt is null) <> (e.kostnader_totalt is null)
),
missing_eget_kapital(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'saknar_eget_kapital', 'varning',
           'no eget_kapital line for this förbund and year: eget_kapital, eget_kapital_andel and '
               || 'eget_kapital_andel_intakter are NULL',
           e.forbund, e.ar, 'eget_kapital', null, 'a line mapped to kategori eget_kapital', null, null, null
    from marts.ekonomi_ar e
    where (e.kostnader_totalt is not null or e.intakter_totalt is not null) and e.eget_kapital is null
),
inputs as (
    -- (input, missing?, zero?, the ratios it leaves NULL); count inputs only once deltagare is known
    select j.forbund, j.ar, i.*
    from marts.jamforelse_ar j
    join marts.ekonomi_ar e using (forbund, ar)
    left join marts.helarsekvivalenter_ar h on h.forbund = j.forbund and h.ar = j.ar and h.kon = 'totalt'
         and h.ersattning = 'totalt'
    cross join lateral (
        select * from (values
            ('deltagare', j.deltagare is null, j.deltagare = 0,
             case when j.deltagare is null
                  then 'andel_avslutade, kostnad_per_deltagare, kostnad_per_avslut, '
                       || 'kostnad_per_avslut_arbete_studier, kostnad_per_utfall, andel_avslutade_lag, '
                       || 'andel_avslutade_hog, andel_arbete_studier, andel_arbete_studier_lag, '
                       || 'andel_arbete_studier_hog, andel_jobb_studieredo, andel_jobb_studieredo_lag, '
                       || 'andel_jobb_studieredo_hog, andel_stegforflyttning, andel_stegforflyttning_lag, '
                       || 'andel_stegforflyttning_hog and deltagare_per_1000_helarsekvivalenter are'
                  else 'andel_avslutade, andel_avslutade_lag, andel_avslutade_hog and kostnad_per_deltagare are' end),
            ('avslutade', j.deltagare is not null and j.avslutade is null, j.avslutade = 0,
             case when j.avslutade is null then 'andel_avslutade, andel_avslutade_lag, andel_avslutade_hog, '
                  else '' end
                 || 'kostnad_per_avslut, andel_arbete_studier, andel_arbete_studier_lag, andel_arbete_studier_hog, '
                 || 'andel_jobb_studieredo, andel_jobb_studieredo_lag, andel_jobb_studieredo_hog, '
                 || 'andel_stegforflyttning, andel_stegforflyttning_lag and andel_stegforflyttning_hog are'),
            ('avslut_arbete_studier', j.deltagare is not null and j.avslut_arbete_studier is null,
             j.avslut_arbete_studier = 0,
             case when j.avslut_arbete_studier is null
                  then 'kostnad_per_avslut_arbete_studier, andel_arbete_studier, andel_arbete_studier_lag and '
                       || 'andel_arbete_studier_hog are'
                  else 'kostnad_per_avslut_arbete_studier is' end),
            ('avslut_jobb_studieredo', j.deltagare is not null and j.avslut_jobb_studieredo is null, false,
             'andel_jobb_studieredo, andel_jobb_studieredo_lag and andel_jobb_studieredo_hog are'),
            ('avslut_stegforflyttning', j.deltagare is not null and j.avslut_stegforflyttning is null, false,
             'andel_stegforflyttning, andel_stegforflyttning_lag and andel_stegforflyttning_hog are'),
            ('avslut_arbete_studier + avslut_jobb_studieredo',
             j.deltagare is not null and j.avslut_arbete_studier + j.avslut_jobb_studieredo is null,
             j.avslut_arbete_studier + j.avslut_jobb_studieredo = 0, 'kostnad_per_utfall is'),
            ('ekonomi_ar', e.kostnader_totalt is null and e.intakter_totalt is null, false,
             'kostnad_per_deltagare, kostnad_per_avslut, kostnad_per_avslut_arbete_studier, kostnad_per_utfall, '
             || 'admin_andel_kostnader, admin_andel_medelstilldelning, admin_andel_intakter, andel_individ, '
             || 'andel_struktur, eget_kapital_andel and eget_kapital_andel_intakter are'),
            ('kostnader_totalt', e.kostnader_totalt is null and e.intakter_totalt is not null, e.kostnader_totalt = 0,
             case when e.kostnader_totalt is null
                  then 'kostnad_per_deltagare, kostnad_per_avslut, kostnad_per_avslut_arbete_studier, '
                       || 'kostnad_per_utfall, admin_andel_kostnader, admin_andel_medelstilldelning, '
                       || 'admin_andel_intakter, andel_individ and andel_struktur are'
                  else 'admin_andel_kostnader, andel_individ and andel_struktur are' end),
            ('medlemsbidrag', e.medlemsbidrag is null and e.kostnader_totalt is not null, e.medlemsbidrag = 0,
             'admin_andel_medelstilldelning and eget_kapital_andel are'),
            ('intakter_totalt', e.intakter_totalt is null and e.kostnader_totalt is not null, e.intakter_totalt = 0,
             'admin_andel_intakter and eget_kapital_andel_intakter are'),
            ('eget_kapital', (e.kostnader_totalt is not null or e.intakter_totalt is not null) and e.eget_kapital is null,
             false, 'eget_kapital_andel and eget_kapital_andel_intakter are'),
            ('helarsekvivalenter', j.deltagare is not null and h.helarsekvivalenter is null, h.helarsekvivalenter = 0,
             'deltagare_per_1000_helarsekvivalenter is')
        ) v(kolumn, saknas, noll, paverkar)
    ) i
),
no_basis(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'saknar_underlag', 'info',
           case when kolumn = 'ekonomi_ar' then 'the year has no årsredovisning lines'
                when saknas then kolumn || ' is missing' else kolumn || ' is 0' end
               || ', so ' || paverkar || ' NULL (a ratio with a missing or zero denominator is NULL, never 0)',
           forbund, ar, kolumn, case when saknas then null else '0' end, 'a number above 0', null, null, null
    from inputs
    where saknas or coalesce(noll, false)
),
missing_tilldelning(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'saknar_tilldelning', 'info',
           'no decided medelstilldelning (raw/tilldelning) for this förbund and year: the finansieringsmodell '
               || 'and medlemsbidrag checks could not run',
           g.forbund, g.ar, null, null, null, null, null, null
    from grid g
    anti join tilldelning t on t.forbund = g.forbund and t.ar = g.ar
),
party_shares as (
    select t.*, p.kolumn, p.belopp, p.mal, p.belopp / nullif(t.totalt, 0) as andel
    from tilldelning t
    join grid g on g.forbund = t.forbund and g.ar = t.ar
    cross join lateral (
        select * from (values ('Stat', t.stat, 0.50), ('Region', t.region, 0.25), ('Kommuner', t.kommuner, 0.25))
        v(kolumn, belopp, mal)
    ) p
),
model(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'finansieringsmodell', 'varning',
           printf('%s pays %.2f %% of the medelstilldelning (%s kr of %s kr); the finansieringsmodell says %d %%',
                  kolumn, andel * 100, format('{:t }', round(belopp)::bigint), format('{:t }', round(totalt)::bigint),
                  (mal * 100)::integer),
           forbund, ar, kolumn, printf('%.2f %%', andel * 100),
           printf('%d %% ± 0.5 percentage points', (mal * 100)::integer), andel, fil, rad
    from party_shares
    where abs(andel - mal) > 0.005 + 1e-9
),
contribution(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'medlemsbidrag_avviker', 'varning',
           printf('the årsredovisning''s medlemsbidrag (%s kr) differs from the decided medelstilldelning (%s kr) '
                  || 'by %s kr', format('{:t }', round(e.medlemsbidrag)::bigint),
                  format('{:t }', round(t.totalt)::bigint), format('{:t }', round(e.medlemsbidrag - t.totalt)::bigint)),
           e.forbund, e.ar, 'medlemsbidrag', printf('%.0f', e.medlemsbidrag),
           printf('%.0f ± %.0f', t.totalt, greatest(1000, 0.01 * t.totalt)), e.medlemsbidrag - t.totalt, t.fil, t.rad
    from marts.ekonomi_ar e
    join tilldelning t using (forbund, ar)
    where abs(e.medlemsbidrag - t.totalt) > greatest(1000, 0.01 * t.totalt)
),
equity_lines as (
    select forbund, ar, arg_min(fil, rad) as fil, min(rad) as rad
    from staging.ekonomi_rader
    where kategori = 'eget_kapital'
    group by all
),
equity(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'eget_kapital_over_20', 'varning',
           printf('eget kapital (%s kr) is %.1f %% of the year''s medlemsbidrag (%s kr); Nationella rådet '
                  || 'recommends at most %g %%', format('{:t }', round(e.eget_kapital)::bigint),
                  j.eget_kapital_andel * 100, format('{:t }', round(e.medlemsbidrag)::bigint),
                  riktvarde('eget_kapital_over_20') * 100),
           j.forbund, j.ar, 'eget_kapital', printf('%.1f %%', j.eget_kapital_andel * 100),
           printf('at most %g %% of medlemsbidrag', riktvarde('eget_kapital_over_20') * 100), j.eget_kapital_andel,
           l.fil, l.rad
    from marts.jamforelse_ar j
    join marts.ekonomi_ar e using (forbund, ar)
    left join equity_lines l using (forbund, ar)
    where j.eget_kapital_andel > riktvarde('eget_kapital_over_20')
),
requested(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'ansokt_andel_stat', case when ansokt_andel_stat < riktvarde('ansokt_andel_stat') then 'varning'
                                     else 'info' end,
           printf('requested %s kr of the %s kr state funding it could get (%.1f %%)',
                  format('{:t }', round(ansokt_stat)::bigint), format('{:t }', round(mojlig_stat)::bigint),
                  ansokt_andel_stat * 100),
           t.forbund, t.ar, 'Ansökt stat', printf('%.1f %%', ansokt_andel_stat * 100),
           printf('%g %% or more of Möjlig stat', riktvarde('ansokt_andel_stat') * 100), ansokt_andel_stat, fil,
           rad
    from tilldelning t
    where ansokt_andel_stat is not null
),
split(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'kommunfordelning', 'varning',
           printf('%s paid %s kr; its share of the kommun quarter (%s kr) by population on 1 November %d '
                  || '(%s of %s) is %s kr', coalesce(kommun_namn, kommun), format('{:t }', rapporterat::bigint),
                  format('{:t }', kommunandel::bigint), ar - 1, format('{:t }', befolkning_1_nov),
                  format('{:t }', befolkning_medlemmar), format('{:t }', forvantat::bigint)),
           forbund, ar, kommun, printf('%.0f', rapporterat), printf('%.0f ± 1', forvantat), differens, fil, rad
    from marts.kommunfordelning
    where abs(differens) > 1
),
split_unchecked(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'kommunfordelning_ej_kontrollerad', 'info',
           case when not medlem then printf('a medlemsbidrag line names kommun %s, which is not a member in %d',
                                            kommun, ar)
                when rapporterat is null then printf('no medlemsbidrag line for member kommun %s',
                                                     coalesce(kommun_namn, kommun))
                else printf('the kommun split of %d could not be checked: population on 1 November %d is missing '
                            || 'or 0 for %s (raw/scb/folkmangd_nov)', ar, ar - 1, coalesce(kommun_namn, kommun)) end,
           forbund, ar, kommun, null, null, null, fil, rad
    from marts.kommunfordelning
    where not medlem or rapporterat is null or coalesce(befolkning_1_nov, 0) = 0
),
split_unnamed(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    -- a kommun medlemsbidrag line that names no member kommun (or several) cannot be placed in the split
    select 'kommunfordelning_ej_kontrollerad', 'info',
           printf('the medlemsbidrag line ''%s'' names no member kommun of %d (or more than one), so it is not in '
                  || 'the kommun split', r.post, r.ar),
           r.forbund, r.ar, 'Post', r.post, 'the name of exactly one member kommun', r.belopp, r.fil, r.rad
    from staging.ekonomi_rader r
    where r.kategori = 'medlemsbidrag_kommun' and r.kommun is null
      and exists (select 1 from marts.kommunfordelning k where k.forbund = r.forbund and k.ar = r.ar)
),
zero_allocation(regel, allvarlighet, beskrivning, forbund, ar, kolumn, hittat, forvantat, varde, fil, rad) as (
    select 'finansieringsmodell', 'varning',
           'the decided medelstilldelning is 0 kr in total: the 50 / 25 / 25 split cannot be checked',
           t.forbund, t.ar, 'Stat + Region + Kommuner', printf('%.0f', coalesce(t.totalt, 0)), 'more than 0 kr', 0,
           t.fil, t.rad
    from tilldelning t
    join grid g on g.forbund = t.forbund and g.ar = t.ar
    where coalesce(t.totalt, 0) = 0
),
-- each findings CTE names its columns in its header, so the union below matches them by name
findings as (
    select * from missing_ekonomi
    union all by name select * from missing_side
    union all by name select * from missing_eget_kapital
    union all by name select * from no_basis
    union all by name select * from missing_tilldelning
    union all by name select * from model
    union all by name select * from contribution
    union all by name select * from equity
    union all by name select * from requested
    union all by name select * from split
    union all by name select * from split_unchecked
    union all by name select * from split_unnamed
    union all by name select * from zero_allocation
)
select regel, allvarlighet, beskrivning, 'ekonomi' as kalla, forbund, ar::integer as ar, null::varchar as insats,
       fil, rad::bigint as rad, kolumn, hittat, forvantat, varde::double as varde
from findings;
