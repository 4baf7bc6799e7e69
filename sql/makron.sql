-- Macros every SQL step may use: finsam.build.runner runs this file on the build connection before each step of
-- sql/staging, sql/findings and sql/marts (temp macros live as long as the connection, and Dagster gives each step
-- its own), so a formula several marts need is written once, here.
--
-- wilson(k, n, sida): one bound of the Wilson 95 % score interval (z = 1.959964) of the share k of n; sida < 0 the
-- lower bound, sida > 0 the upper:
--   (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), p = k/n; exactly 0 (1) at k = 0 (k = n).
-- NULL when n is missing or 0, and when k is missing, negative or above n (no interval describes a share above 1).
create or replace temp macro wilson(k, n, sida) as
    case when n > 0 and k between 0 and n then
        case when sida < 0 and k = 0 then 0.0
             when sida > 0 and k = n then 1.0
             else (k / n + 1.959964 ** 2 / (2 * n)
                   + sida * 1.959964 * sqrt(k / n * (1 - k / n) / n + 1.959964 ** 2 / (4 * n ** 2)))
                  / (1 + 1.959964 ** 2 / n) end
    end;

-- The avslut kategorier (config/avslutsorsak.csv) behind the outcome measures, written once for every count of them:
--   arbete_studier(k)     arbete or studier: avslut_arbete_studier
--   jobb_studieredo(k)    arbetssokande or studieredo (ready to seek work or study): avslut_jobb_studieredo
--   stegforflyttning(k)   a step towards work: either of those, or annan_insats: avslut_stegforflyttning
create or replace temp macro arbete_studier(k) as k in ('arbete', 'studier');
create or replace temp macro jobb_studieredo(k) as k in ('arbetssokande', 'studieredo');
create or replace temp macro stegforflyttning(k) as arbete_studier(k) or jobb_studieredo(k) or k = 'annan_insats';
