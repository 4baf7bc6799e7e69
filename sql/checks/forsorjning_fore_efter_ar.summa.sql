-- forsorjning_fore_efter_ar.summa: per förbund and year the rows add up to at most deltagare_ar's avslutade of the
-- förbund (equal when every last spell carries the Försörjning columns), and only in years counted from the
-- registrations (kalla 'sus').
-- The rows that break the rule; none = passed.
select f.forbund, f.ar, sum(f.avslutade) as avslutade, any_value(d.avslutade) as deltagare_ar_avslutade
from marts.forsorjning_fore_efter_ar f
left join marts.deltagare_ar d on d.forbund = f.forbund and d.ar = f.ar and d.insats = '*'
group by all
having sum(f.avslutade) > coalesce(any_value(d.avslutade), -1) or any_value(d.kalla) is distinct from 'sus'
